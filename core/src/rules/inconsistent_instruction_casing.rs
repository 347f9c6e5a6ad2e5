use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// Instruction keywords in a casing other than the file's majority.
#[derive(Debug)]
pub struct InconsistentInstructionCasing;

static META: RuleMeta = RuleMeta {
    id: "DD047",
    name: "inconsistent-instruction-casing",
    severity: Severity::Info,
    category: Category::Style,
    aliases: &["ConsistentInstructionCasing"],
    summary: "Instruction keywords in mixed casing",
    docs: RuleDocs {
        what_it_does: "Flags an instruction keyword whose casing differs from the file's \
            majority: lower-case keywords in a file written mostly in upper case, and the \
            reverse. Mixed-case keywords (`From`) are always flagged.",
        why_it_matters: "Keywords are case-insensitive, but a file that mixes `RUN` and `run` is \
            harder to scan, and tools that grep for instructions miss some. Upper case is the \
            convention. Severity info: style.",
        bad_example: "FROM alpine:3.20\nrun echo hi\nCMD [\"sh\"]\n",
        good_example: "FROM alpine:3.20\nRUN echo hi\nCMD [\"sh\"]\n",
        references: &[
            "https://docs.docker.com/reference/build-checks/consistent-instruction-casing/",
            "https://docs.docker.com/reference/dockerfile/#format",
        ],
    },
};

impl Rule for InconsistentInstructionCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let insts = &cx.file.instructions;
        let lower = insts
            .iter()
            .filter(|i| i.cmd == i.cmd.to_ascii_lowercase())
            .count();
        let upper = insts
            .iter()
            .filter(|i| i.cmd == i.cmd.to_ascii_uppercase())
            .count();
        let want_lower = lower > upper;
        for inst in insts {
            let ok = if want_lower {
                inst.cmd == inst.cmd.to_ascii_lowercase()
            } else {
                inst.cmd == inst.cmd.to_ascii_uppercase()
            };
            if ok {
                continue;
            }
            let expected = if want_lower {
                inst.cmd.to_ascii_lowercase()
            } else {
                inst.cmd.to_ascii_uppercase()
            };
            let message = format!(
                "`{}` does not match the casing of the other instructions: write `{expected}`.",
                inst.cmd
            );
            out.push(cx.finding(&META, inst.keyword_span, message));
        }
    }
}
