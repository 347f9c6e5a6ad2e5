use crate::diagnostic::{Applicability, Finding, Severity};
use crate::rules::fix::{fix, replace, text_is};
use crate::rules::inconsistent_instruction_casing::wants_lower;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `FROM x as y` (or `from x AS y`).
#[derive(Debug)]
pub struct FromAsCasing;

static META: RuleMeta = RuleMeta {
    id: "DD050",
    name: "from-as-casing",
    severity: Severity::Info,
    category: Category::Style,
    aliases: &["FromAsCasing"],
    summary: "`AS` casing differs from `FROM`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `FROM … AS name` whose `AS` keyword is not in the same casing as \
        `FROM` (`FROM node as build`).",
    why_it_matters: "Matching keywords read as one instruction; a lower-case `as` after an \
        upper-case `FROM` looks like part of the image name at a glance. Severity info: \
        style.",
    bad_example: "FROM node:22 as build\n",
    good_example: "FROM node:22 AS build\n",
    references: &["https://docs.docker.com/reference/build-checks/from-as-casing/"],
};

impl Rule for FromAsCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in cx.file.instructions.iter().filter(|i| i.is("FROM")) {
            let Some(word) = inst.value.get(1).filter(|w| w.eq_ignore_ascii_case("as")) else {
                continue;
            };
            let from_upper = inst.cmd == inst.cmd.to_ascii_uppercase();
            let from_lower = inst.cmd == inst.cmd.to_ascii_lowercase();
            let bad = (from_upper && word != "AS") || (from_lower && word != "as");
            if !bad {
                continue;
            }
            let span = inst.value_spans.get(1).copied().unwrap_or(inst.span);
            let want = if from_lower { "as" } else { "AS" };
            let message = format!(
                "`{word}` does not match the casing of `{}`: write `{want}`.",
                inst.cmd
            );
            let mut finding = cx.finding(&META, span, message);
            // When `FROM` itself is off the file's casing, the
            // inconsistent-instruction-casing fix re-cases both words.
            let from_consistent = if wants_lower(&cx.file.instructions) {
                from_lower
            } else {
                from_upper
            };
            if from_consistent && text_is(cx, span, word) {
                finding = finding.with_fix(fix(
                    &format!("Write `{want}`"),
                    Applicability::Safe,
                    vec![replace(span, want)],
                ));
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Applicability;
    use crate::rules::fix::check::{fixed, fixes};

    #[test]
    fn fix_recases_as() {
        assert_eq!(
            fixed("DD050", "FROM node:22 as build\n"),
            Some(("FROM node:22 AS build\n".to_string(), Applicability::Safe))
        );
        assert_eq!(
            fixed("DD050", "from node:22 As build\nrun x\n").map(|f| f.0),
            Some("from node:22 as build\nrun x\n".to_string())
        );
    }

    #[test]
    fn no_fix_when_from_itself_is_recased() {
        // `from` is off the file's upper case: DD047's fix re-cases both.
        assert!(fixes("DD050", "from a:1 AS b\nRUN x\nCMD [\"sh\"]\n").is_empty());
    }
}
