use crate::diagnostic::{Finding, Severity};
use crate::model::BaseKind;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// Base image with no tag or the `latest` tag.
#[derive(Debug)]
pub struct BaseImageTag;

static META: RuleMeta = RuleMeta {
    id: "DD001",
    name: "base-image-unpinned",
    severity: Severity::Medium,
    category: Category::SupplyChain,
    aliases: &["DL3006", "DL3007", "DS001", "CKV_DOCKER_7"],
    summary: "Base image has no tag or uses `latest`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `FROM` whose image has no tag, or the `latest` tag, and no digest.",
    why_it_matters: "`latest` and a missing tag both mean \"whatever the registry holds today\". \
        The same Dockerfile then builds a different image next week: a new major version, \
        a different distribution, new vulnerabilities, broken builds nobody changed.",
    bad_example: "FROM node:latest\nUSER node\n",
    good_example: "FROM node:22.11-bookworm-slim\nUSER node\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#from",
        "https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
    ],
};

/// The peer ids a missing tag answers for.
const UNTAGGED: &[&str] = &["DL3006", "DS001", "CKV_DOCKER_7"];
/// The peer ids a `latest` tag answers for.
const LATEST: &[&str] = &["DL3007", "DS001", "CKV_DOCKER_7"];

impl Rule for BaseImageTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for stage in &cx.model.stages {
            let image = &stage.base_image;
            // Only external images are judged: not stages, `scratch`, or
            // bases that do not resolve to a valid reference; a digest pins.
            if stage.base_kind != BaseKind::Image || image.digest.is_some() {
                continue;
            }
            let span = stage.base_span;
            let shown = if stage.base == stage.base_resolved {
                format!("`{}`", stage.base)
            } else {
                format!("`{}` (resolves to `{}`)", stage.base, stage.base_resolved)
            };
            let (aliases, message): (&'static [&'static str], String) = match image.tag.as_deref() {
                None => (
                    UNTAGGED,
                    format!(
                        "{shown} has no tag, so it means `latest`: the build changes whenever the \
                     registry does. Pin a version tag, or a digest."
                    ),
                ),
                Some("latest") => (
                    LATEST,
                    format!(
                        "{shown} uses the mutable `latest` tag: the build changes whenever the registry \
                     does. Pin a version tag, or a digest."
                    ),
                ),
                Some(_) => continue,
            };
            out.push(cx.finding_for(&META, aliases, span, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analyze;

    fn flagged(text: &str) -> Vec<(usize, usize)> {
        analyze(text)
            .findings
            .iter()
            .filter(|f| f.rule == "DD001")
            .map(|f| (f.line, f.column))
            .collect()
    }

    #[test]
    fn resolves_global_args_in_from() {
        assert_eq!(flagged("ARG BASE=node\nFROM ${BASE}\n"), [(2, 6)]);
        assert_eq!(flagged("ARG V=latest\nFROM node:$V\n"), [(2, 6)]);
        assert_eq!(flagged("ARG V=20\nFROM node:$V\n"), []);
        // An ARG without a default leaves `node:` invalid: not judged here.
        assert_eq!(flagged("ARG V\nFROM node:$V\n"), []);
    }

    #[test]
    fn skips_stages_scratch_and_digests() {
        assert_eq!(
            flagged(
                "FROM node:20 AS b\nFROM b\nFROM scratch\nFROM a@sha256:0000000000000000000000000000000000000000000000000000000000000000\n"
            ),
            []
        );
        assert_eq!(flagged("FROM gcr.io/distroless/static\n"), [(1, 6)]);
    }
}
