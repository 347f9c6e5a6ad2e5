use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::runs;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::ConstructKind;

/// `` `cmd` ``: the legacy spelling of `$(cmd)`.
#[derive(Debug)]
pub struct BacktickSubstitution;

static META: RuleMeta = RuleMeta {
    id: "DD207",
    name: "backtick-substitution",
    severity: Severity::Info,
    category: Category::Maintainability,
    aliases: &["SC2006"],
    summary: "Backtick command substitution: use `$(…)`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags each command substitution written with backticks in a `RUN` \
        command, except `` `# comment` ``, the idiom for a comment between continued \
        lines.",
    why_it_matters: "Backticks are the legacy form of `$(…)`: they do not nest without \
        escaping, backslashes inside them behave differently, and they are easy to \
        mistake for quotes. `$(…)` does the same thing and reads clearly. Severity info \
        (ShellCheck SC2006, a style finding).",
    bad_example: "FROM alpine:3.20\nRUN mkdir -p /opt/build-`date +%Y%m%d`\n",
    good_example: "FROM alpine:3.20\nRUN mkdir -p \"/opt/build-$(date +%Y%m%d)\"\n",
    references: &[
        "https://www.shellcheck.net/wiki/SC2006",
        "https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_06_03",
    ],
};

impl Rule for BacktickSubstitution {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let Some(script) = run.script() else {
                continue;
            };
            for c in script
                .constructs
                .iter()
                .filter(|c| c.kind == ConstructKind::Backtick)
            {
                // `` `# comment` `` is the idiom for a comment between
                // continued lines, not a substitution anyone reads.
                let inner = run
                    .info
                    .text
                    .get(c.span.start.saturating_add(1)..c.span.end.saturating_sub(1))
                    .unwrap_or_default();
                if inner.trim_start().starts_with('#') {
                    continue;
                }
                let message = "Backticks are the legacy command substitution: write `$(…)`, \
                     which nests and quotes predictably."
                    .to_string();
                out.push(cx.finding(&META, run.locate(c.span), message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::check::spans;

    #[test]
    fn a_comment_in_backticks_is_not_flagged() {
        let text = "FROM alpine:3.20\nRUN a && `# say why` b && echo `date`\n";
        assert_eq!(spans("DD207", text), ["`date`"]);
    }
}
