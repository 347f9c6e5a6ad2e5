use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// An empty line inside a continued instruction.
#[derive(Debug)]
pub struct EmptyContinuation;

static META: RuleMeta = RuleMeta {
    id: "DD053",
    name: "empty-continuation",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["NoEmptyContinuation"],
    summary: "Empty line inside a continued instruction",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags an instruction continued with `\\` across an empty line (the \
        parser's empty-continuation warning).",
    why_it_matters: "An empty line in the middle of a continued `RUN` is skipped today, so \
        the instruction silently goes on; readers take the blank line for the end. Docker \
        has announced that this will become an error, which would break the build. \
        Severity low.",
    bad_example: "FROM debian:12-slim\nRUN apt-get update && \\\n\n    apt-get install -y curl\n",
    good_example: "FROM debian:12-slim\nRUN apt-get update && \\\n    apt-get install -y curl\n",
    references: &[
        "https://docs.docker.com/reference/build-checks/no-empty-continuation/",
        "https://docs.docker.com/reference/dockerfile/#format",
    ],
};

impl Rule for EmptyContinuation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for w in &cx.file.warnings {
            if !w.message.contains("Empty continuation") {
                continue;
            }
            let message = "An empty line continues this instruction: remove it (it will become \
                 an error in a future Docker release)."
                .to_string();
            out.push(cx.finding(&META, w.span, message));
        }
    }
}
