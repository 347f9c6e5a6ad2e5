use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `FROM --platform=$TARGETPLATFORM …`.
#[derive(Debug)]
pub struct RedundantTargetPlatform;

static META: RuleMeta = RuleMeta {
    id: "DD039",
    name: "redundant-target-platform",
    severity: Severity::Info,
    category: Category::Style,
    aliases: &["DL3065", "RedundantTargetPlatform"],
    summary: "`FROM --platform=$TARGETPLATFORM` is the default",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`).",
    why_it_matters: "Stages are built for the target platform anyway; spelling it out adds \
        noise and suggests to readers that something special happens. Severity info.",
    bad_example: "FROM --platform=$TARGETPLATFORM alpine:3.20\n",
    good_example: "FROM alpine:3.20\n",
    references: &[
        "https://docs.docker.com/reference/build-checks/redundant-target-platform/",
        "https://docs.docker.com/build/building/multi-platform/",
    ],
};

impl Rule for RedundantTargetPlatform {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for stage in &cx.model.stages {
            let Some(platform) = &stage.platform else {
                continue;
            };
            if !matches!(
                platform.raw.as_str(),
                "$TARGETPLATFORM" | "${TARGETPLATFORM}"
            ) {
                continue;
            }
            let Some(inst) = cx.file.instructions.get(stage.from) else {
                continue;
            };
            let span = inst.flag_span("platform").unwrap_or(inst.span);
            let message = "`--platform=$TARGETPLATFORM` is what `FROM` does by default: remove it."
                .to_string();
            out.push(cx.finding(&META, span, message));
        }
    }
}
