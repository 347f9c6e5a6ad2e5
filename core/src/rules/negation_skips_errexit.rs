use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{next_separator_after, runs, sets_errexit};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::{ConstructKind, Separator};

/// `set -e; ! cmd; next`: a negated command never stops the script.
#[derive(Debug)]
pub struct NegationSkipsErrexit;

static META: RuleMeta = RuleMeta {
    id: "DD208",
    name: "negation-skips-errexit",
    severity: Severity::Info,
    category: Category::Reliability,
    aliases: &["SC2251"],
    summary: "`! cmd` does not stop a `set -e` script: use `cmd && exit 1`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "In a `RUN` script that turns on `set -e`, flags a command negated with \
        `!` that stands on its own: not in a condition, not joined with `&&`/`||`, and \
        not the last command.",
    why_it_matters: "`set -e` ignores the status of a negated pipeline, so `! grep -q \
        secret file` meant as an assertion never fails the build: the next command runs \
        either way. Write `grep -q secret file && exit 1`, or make the negation the last \
        command so that its status is the script's. Severity info (ShellCheck SC2251).",
    bad_example: "FROM debian:12\nRUN set -e; ! grep -q debug /etc/app.conf; echo checked\n",
    good_example: "FROM debian:12\nRUN set -e; if grep -q debug /etc/app.conf; then exit 1; fi; echo checked\n",
    references: &[
        "https://www.shellcheck.net/wiki/SC2251",
        "https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_26",
    ],
};

impl Rule for NegationSkipsErrexit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let Some(script) = run.script() else {
                continue;
            };
            if !sets_errexit(&script.commands) {
                continue;
            }
            // Negated pipelines: simple commands and compound ones (`! { …; }`).
            let negated = script
                .commands
                .iter()
                .filter(|c| c.negated && c.pipeline.index == 0)
                .map(|c| (c.span, c.after, c.parent))
                .chain(
                    script
                        .constructs
                        .iter()
                        .filter(|c| c.negated && c.pipeline.index == 0 && !c.kind.is_substitution())
                        .map(|c| (c.span, c.after, c.parent)),
                );
            for (span, after, parent) in negated {
                let next = next_separator_after(script, parent, span.end);
                let kind = parent
                    .and_then(|i| script.constructs.get(i))
                    .map(|c| c.kind);
                let conditional = matches!(
                    kind,
                    Some(ConstructKind::If | ConstructKind::While | ConstructKind::Until)
                );
                if matches!(after, Separator::And | Separator::Or)
                    || (conditional && next == Some(Separator::Start))
                {
                    continue;
                }
                // Last in an `if`/`for`/`case` body: its status is not the
                // script's either. Last in the script, a subshell or a group:
                // it is.
                let last_in_body = kind.is_some_and(|k| {
                    !matches!(k, ConstructKind::Subshell | ConstructKind::Group)
                        && !k.is_substitution()
                });
                match next {
                    Some(Separator::Semicolon | Separator::Newline | Separator::Background) => {}
                    None if last_in_body => {}
                    _ => continue,
                }
                let message = "`set -e` does not stop on a command negated with `!`, so this \
                     check never fails the build: use `… && exit 1` instead."
                    .to_string();
                out.push(cx.finding(&META, run.locate(span), message));
            }
        }
    }
}
