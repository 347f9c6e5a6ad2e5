use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `FROM --platform=linux/amd64 …`.
#[derive(Debug)]
pub struct FromPlatformConstant;

static META: RuleMeta = RuleMeta {
    id: "DD038",
    name: "from-platform-constant",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["DL3029", "FromPlatformFlagConstDisallowed"],
    summary: "`FROM --platform` with a fixed value",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `FROM --platform=` whose value uses no build argument (for \
        example `linux/amd64`).",
    why_it_matters: "A fixed platform pins the stage to one architecture whatever \
        `docker build --platform` asks for: on an arm64 machine the build silently runs \
        under emulation, or an image for the wrong architecture is produced. Use \
        `--platform=$BUILDPLATFORM` for stages that only build (cross-compiling), and \
        leave it out where the target platform is meant. Severity low.",
    bad_example: "FROM --platform=linux/amd64 golang:1.23 AS build\n",
    good_example: "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n",
    references: &[
        "https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/",
        "https://docs.docker.com/build/building/multi-platform/",
    ],
};

impl Rule for FromPlatformConstant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for stage in &cx.model.stages {
            let Some(platform) = &stage.platform else {
                continue;
            };
            if platform.raw.contains('$') {
                continue;
            }
            let Some(inst) = cx.file.instructions.get(stage.from) else {
                continue;
            };
            let span = inst.flag_span("platform").unwrap_or(inst.span);
            let message = format!(
                "`FROM --platform={}` fixes the platform: use `$BUILDPLATFORM` for build \
                 stages, or leave it out to follow `docker build --platform`.",
                platform.raw
            );
            out.push(cx.finding(&META, span, message));
        }
    }
}
