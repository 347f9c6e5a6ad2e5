use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// An instruction other than `ARG` before the first `FROM`.
#[derive(Debug)]
pub struct InstructionBeforeFrom;

static META: RuleMeta = RuleMeta {
    id: "DD044",
    name: "instruction-before-from",
    severity: Severity::High,
    category: Category::Reliability,
    aliases: &["DL3061"],
    summary: "Instruction before the first `FROM`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags the first instruction other than `ARG` that comes before the \
        first `FROM` (comments and parser directives are fine).",
    why_it_matters: "Only global `ARG`s may precede `FROM`: anything else has no stage to \
        belong to and the build stops with \"no build stage in current context\". \
        Severity high: the build fails.",
    bad_example: "LABEL org.opencontainers.image.authors=\"me\"\nFROM alpine:3.20\n",
    good_example: "ARG VERSION=3.20\nFROM alpine:${VERSION}\nLABEL org.opencontainers.image.authors=\"me\"\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#format",
        "https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact",
    ],
};

impl Rule for InstructionBeforeFrom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        // One finding per file: the first offender.
        let first = cx.model.preamble.iter().find_map(|&i| {
            cx.file
                .instructions
                .get(i)
                .filter(|inst| !inst.is("ARG") && !inst.is("FROM"))
        });
        if let Some(inst) = first {
            let keyword = inst.cmd.to_ascii_uppercase();
            let message = format!(
                "`{keyword}` before the first `FROM`: only `ARG` may come before `FROM`; the \
                 build fails."
            );
            out.push(cx.finding(&META, inst.keyword_span, message));
        }
    }
}
