use crate::diagnostic::{Finding, Severity};
use crate::model::BaseKind;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A base image pinned by tag but not by digest.
#[derive(Debug)]
pub struct BaseDigest;

static META: RuleMeta = RuleMeta {
    id: "DD109",
    name: "base-image-not-pinned-by-digest",
    severity: Severity::Info,
    category: Category::SupplyChain,
    aliases: &[],
    summary: "Base image is pinned by tag, not by digest",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags each `FROM` of an external image, in the stages the target needs, \
        that names a version tag but no `@sha256:` digest. Untagged and `latest` bases are \
        `base-image-unpinned`'s (one finding per problem); `scratch` and stages are not \
        images.",
    why_it_matters: "A tag is a pointer the publisher (or whoever takes over the account or \
        registry) can move: `node:22-slim` is rebuilt every few weeks, so two builds of the \
        same commit differ, and a malicious push lands in the next build. A digest names \
        exactly one image; tools such as Renovate or Dependabot keep `tag@digest` pins \
        current, so the pin costs no freshness.",
    bad_example: "FROM python:3.12-slim\nUSER nobody\n",
    good_example: "FROM python:3.12-slim@sha256:a3e58f9399353be051735f09be0316bfdeab571a5c6a24fd78b92df85bcb2d85\nUSER nobody\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
        "https://docs.docker.com/reference/dockerfile/#from",
    ],
};

impl Rule for BaseDigest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for stage in cx.model.stages.iter().filter(|s| s.reachable) {
            let image = &stage.base_image;
            if stage.base_kind != BaseKind::Image || image.digest.is_some() {
                continue;
            }
            // No tag or `latest`: base-image-unpinned (DD001) says it.
            let Some(tag) = image.tag.as_deref().filter(|t| *t != "latest") else {
                continue;
            };
            let message = format!(
                "`{}` is pinned by its tag `{tag}` only, which the publisher can move. Pin the \
                 digest too (`{}:{tag}@sha256:…`) and let Renovate or Dependabot update it.",
                stage.base_resolved,
                name(image),
            );
            out.push(cx.finding(&META, stage.base_span, message));
        }
    }
}

/// The image's name as written: `[registry/]repository`.
pub fn name(image: &crate::model::ImageRef) -> String {
    match &image.registry {
        Some(r) => format!("{r}/{}", image.repository),
        None => image.repository.clone(),
    }
}

#[cfg(test)]
mod tests {

    fn lines(text: &str) -> Vec<usize> {
        crate::rules::check::lines("DD109", text)
    }

    #[test]
    fn tagged_bases_of_needed_stages() {
        assert_eq!(
            lines(
                "FROM golang:1.24 AS build\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /a /a\n"
            ),
            [1, 2]
        );
        assert_eq!(lines("ARG V=3.20\nFROM alpine:$V\n"), [2]);
    }

    #[test]
    fn digests_latest_scratch_stages_unused() {
        assert_eq!(
            lines(
                "FROM a:1@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS a\nFROM node\nFROM node:latest\nFROM scratch\nFROM a\nFROM b:1 AS unused\nFROM a\n"
            ),
            [] as [usize; 0]
        );
    }
}
