use crate::diagnostic::{Applicability, Edit, Finding, Severity};
use crate::rules::fix::{fix, replace, text_is};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::Instruction;

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
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
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
};

impl Rule for InconsistentInstructionCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let insts = &cx.file.instructions;
        let want_lower = wants_lower(insts);
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
            let mut finding = cx.finding(&META, inst.keyword_span, message);
            if text_is(cx, inst.keyword_span, &inst.cmd) {
                let mut edits = vec![replace(inst.keyword_span, &expected)];
                edits.extend(as_edit(cx, inst, want_lower));
                finding = finding.with_fix(fix(
                    &format!("Write `{expected}`"),
                    Applicability::Safe,
                    edits,
                ));
            }
            out.push(finding);
        }
    }
}

/// Whether the file's majority casing of keywords is lower case (ties go
/// to upper case).
pub(crate) fn wants_lower(insts: &[Instruction]) -> bool {
    let lower = insts
        .iter()
        .filter(|i| i.cmd == i.cmd.to_ascii_lowercase())
        .count();
    let upper = insts
        .iter()
        .filter(|i| i.cmd == i.cmd.to_ascii_uppercase())
        .count();
    lower > upper
}

/// For a `FROM … AS name` whose keyword is re-cased: the `AS` re-cased to
/// match, so that the fix does not leave a `from-as-casing` finding.
fn as_edit(cx: &Context<'_>, inst: &Instruction, lower: bool) -> Option<Edit> {
    if !inst.is("FROM") {
        return None;
    }
    let word = inst.value.get(1).filter(|w| w.eq_ignore_ascii_case("as"))?;
    let span = *inst.value_spans.get(1)?;
    let want = if lower { "as" } else { "AS" };
    (word != want && text_is(cx, span, word)).then(|| replace(span, want))
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Applicability;
    use crate::rules::fix::check::{fixed, fixes};

    #[test]
    fn fix_recases_the_keyword() {
        assert_eq!(
            fixed("DD047", "FROM a:1\nrun echo hi\nCMD [\"sh\"]\n"),
            Some((
                "FROM a:1\nRUN echo hi\nCMD [\"sh\"]\n".to_string(),
                Applicability::Safe
            ))
        );
        let all = fixes("DD047", "from a:1\nRun echo hi\ncmd [\"sh\"]\n");
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].0, [("Run".to_string(), "run".to_string())]);
    }

    #[test]
    fn fix_recases_as_with_from() {
        assert_eq!(
            fixed("DD047", "From a:1 as b\nRUN x\nCMD [\"sh\"]\n").map(|f| f.0),
            Some("FROM a:1 AS b\nRUN x\nCMD [\"sh\"]\n".to_string())
        );
    }
}
