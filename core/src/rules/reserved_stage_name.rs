use crate::diagnostic::{Finding, Severity};
use crate::model::DiagnosticKind;
use crate::rules::duplicate_stage_name::capitalized;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A stage named `scratch` or `context`.
#[derive(Debug)]
pub struct ReservedStageName;

static META: RuleMeta = RuleMeta {
    id: "DD045",
    name: "reserved-stage-name",
    severity: Severity::Medium,
    category: Category::Reliability,
    aliases: &["DL3063", "ReservedStageName"],
    summary: "Stage named `scratch` or `context`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a stage called `scratch` or `context` (in any case).",
    why_it_matters: "`scratch` is the empty base image and `context` the build context in \
        `--from` and `--mount`; a stage with one of those names is either unreachable or \
        shadows the built-in meaning, so `FROM scratch` or `COPY --from=context` no longer \
        do what readers expect. Severity medium: a wrong build.",
    bad_example: "FROM alpine:3.20 AS scratch\nRUN echo hi\n",
    good_example: "FROM alpine:3.20 AS base\nRUN echo hi\n",
    references: &[
        "https://docs.docker.com/reference/build-checks/reserved-stage-name/",
        "https://docs.docker.com/reference/dockerfile/#from",
    ],
};

impl Rule for ReservedStageName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for d in &cx.model.diagnostics {
            if d.kind == DiagnosticKind::ReservedStageName {
                out.push(cx.finding(&META, d.span, format!("{}.", capitalized(&d.message))));
            }
        }
    }
}
