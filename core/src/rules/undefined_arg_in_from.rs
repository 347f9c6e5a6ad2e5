use crate::diagnostic::{Finding, Severity};
use crate::model::DiagnosticKind;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `FROM` uses an ARG no global `ARG` declares.
#[derive(Debug)]
pub struct UndefinedArgInFrom;

static META: RuleMeta = RuleMeta {
    id: "DD055",
    name: "undefined-arg-in-from",
    severity: Severity::Medium,
    category: Category::Reliability,
    aliases: &["UndefinedArgInFrom"],
    summary: "`FROM` uses an undeclared build argument",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a variable in `FROM` (image or `--platform`) that no `ARG` before \
        the first `FROM` declares. Predefined platform arguments (`BUILDPLATFORM`, \
        `TARGETARCH`, …) are declared implicitly.",
    why_it_matters: "`FROM` only sees global `ARG`s. An `ARG` declared inside a stage, or \
        not at all, expands to nothing in `FROM`, so `FROM node:${NODE_VERSION}` becomes \
        `FROM node:` and the build fails or pulls another image than intended. Severity \
        medium.",
    bad_example: "FROM node:${NODE_VERSION}-slim\n",
    good_example: "ARG NODE_VERSION=22\nFROM node:${NODE_VERSION}-slim\n",
    references: &[
        "https://docs.docker.com/reference/build-checks/undefined-arg-in-from/",
        "https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact",
    ],
};

impl Rule for UndefinedArgInFrom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for d in &cx.model.diagnostics {
            if d.kind == DiagnosticKind::UndefinedArgInFrom {
                let message = format!(
                    "{}: declare it with `ARG` before the first `FROM`.",
                    d.message
                );
                out.push(cx.finding(
                    &META,
                    d.span,
                    crate::rules::duplicate_stage_name::capitalized(&message),
                ));
            }
        }
    }
}
