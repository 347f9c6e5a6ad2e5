use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `COPY a b dest` where `dest` does not end with `/`.
#[derive(Debug)]
pub struct CopyDestinationNotDirectory;

static META: RuleMeta = RuleMeta {
    id: "DD037",
    name: "copy-destination-not-directory",
    severity: Severity::High,
    category: Category::Reliability,
    aliases: &["DL3021", "DS011"],
    summary: "`COPY` of several sources to a destination without `/`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `COPY` or `ADD` with two or more sources whose destination does \
        not end with `/`.",
    why_it_matters: "With several sources the destination must be a directory, and \
        BuildKit requires it to be written with a trailing `/`; otherwise the build fails \
        (\"When using COPY with more than one source file, the destination must be a \
        directory and end with a /\"). Severity high: the build breaks.",
    bad_example: "FROM node:22-slim\nCOPY package.json package-lock.json /app\n",
    good_example: "FROM node:22-slim\nCOPY package.json package-lock.json /app/\n",
    references: &["https://docs.docker.com/reference/dockerfile/#copy"],
};

impl Rule for CopyDestinationNotDirectory {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in &cx.file.instructions {
            let keyword = if inst.is("COPY") {
                "COPY"
            } else if inst.is("ADD") {
                "ADD"
            } else {
                continue;
            };
            if inst.value.len() < 3 {
                continue;
            }
            let Some(dest) = inst.value.last() else {
                continue;
            };
            let d = dest.trim_matches(['"', '\'']);
            if d.ends_with('/') || d.ends_with('\\') {
                continue;
            }
            let span = inst.value_spans.last().copied().unwrap_or(inst.span);
            let message = format!(
                "`{keyword}` with {} sources needs a directory destination ending in `/`: write \
                 `{d}/`.",
                inst.value.len().saturating_sub(1)
            );
            out.push(cx.finding(&META, span, message));
        }
    }
}
