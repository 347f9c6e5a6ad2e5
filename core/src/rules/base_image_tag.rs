use crate::diagnostic::{Finding, Severity, Span};
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
    docs: RuleDocs {
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
    },
};

impl Rule for BaseImageTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for stage in &cx.model.stages {
            let image = &stage.base_image;
            // Stages, `scratch`, digests and unresolved variables are not judged here.
            if stage.base_stage.is_some()
                || stage.base.eq_ignore_ascii_case("scratch")
                || stage.base.contains('$')
                || image.digest.is_some()
            {
                continue;
            }
            let Some(from) = cx.file.instructions.get(stage.from) else {
                continue;
            };
            let span = from.args_span;
            let span = Span::new(span.start, span.start + stage.base.len());
            let message = match image.tag.as_deref() {
                None => format!(
                    "`{}` has no tag, so it means `latest`: the build changes whenever the \
                     registry does. Pin a version tag, or a digest.",
                    stage.base
                ),
                Some("latest") => format!(
                    "`{}` uses the mutable `latest` tag: the build changes whenever the registry \
                     does. Pin a version tag, or a digest.",
                    stage.base
                ),
                Some(_) => continue,
            };
            out.push(cx.finding(&META, span, message));
        }
    }
}
