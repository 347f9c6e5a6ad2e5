use crate::diagnostic::{Finding, Severity};
use crate::model::DiagnosticKind;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A global ARG default that makes a `FROM` base empty or invalid.
#[derive(Debug)]
pub struct InvalidDefaultArgInFrom;

static META: RuleMeta = RuleMeta {
    id: "DD051",
    name: "invalid-default-arg-in-from",
    severity: Severity::Medium,
    category: Category::Reliability,
    aliases: &["InvalidDefaultArgInFrom"],
    summary: "`FROM` is empty or invalid with the ARG defaults",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `FROM` whose base uses build arguments and, with their default \
        values, expands to an empty or invalid image name (`ARG TAG` without a default \
        used in `FROM alpine:${TAG}`).",
    why_it_matters: "A plain `docker build` without `--build-arg` fails with an invalid \
        reference error. Give the global `ARG` a working default so the file builds as \
        is, and let `--build-arg` override it. Severity medium: the default build fails.",
    bad_example: "ARG TAG\nFROM alpine:${TAG}\n",
    good_example: "ARG TAG=3.20\nFROM alpine:${TAG}\n",
    references: &[
        "https://docs.docker.com/reference/build-checks/invalid-default-arg-in-from/",
        "https://docs.docker.com/reference/dockerfile/#arg",
    ],
};

impl Rule for InvalidDefaultArgInFrom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for stage in &cx.model.stages {
            let bad = matches!(
                stage.base_kind,
                crate::model::BaseKind::Unresolved | crate::model::BaseKind::Invalid
            );
            // Only the defaults are at fault when every variable is declared.
            if !bad
                || !stage.base.contains('$')
                || cx
                    .model
                    .diagnostics
                    .iter()
                    .any(|d| d.kind == DiagnosticKind::UndefinedArgInFrom && d.line == stage.line)
            {
                continue;
            }
            let message = format!(
                "With the default build arguments, `FROM {}` becomes `{}`, which is not a valid \
                 image: give the global `ARG` a default.",
                stage.base, stage.base_resolved
            );
            out.push(cx.finding(&META, stage.base_span, message));
        }
    }
}
