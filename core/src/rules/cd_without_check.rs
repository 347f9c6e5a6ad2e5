use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{
    args, in_conditional, next_separator, program, runs, sets_errexit,
};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::Separator;

/// A `cd` whose failure nothing checks.
#[derive(Debug)]
pub struct CdWithoutCheck;

static META: RuleMeta = RuleMeta {
    id: "DD204",
    name: "cd-without-check",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["SC2164"],
    summary: "`cd` whose failure is not checked: add `&&` or `|| exit`",
    docs: RuleDocs {
        what_it_does: "Flags a `cd` in a `RUN` that is not followed by `&&` or `||` (so its \
            failure goes unnoticed), unless the script turns on `set -e`. `cd` in an `if`/`while` \
            and `cd ..` are not flagged.",
        why_it_matters: "`/bin/sh -c` does not stop on errors. If the directory is missing (a \
            typo, a download that failed), `cd` fails, the next commands run in the wrong \
            directory and may delete, build or copy the wrong files. Chain with `&&`, add \
            `|| exit 1`, start the script with `set -e`, or use `WORKDIR`. Severity low \
            (ShellCheck SC2164, a warning).",
        bad_example: "FROM debian:12\nRUN cd /opt/app; make install\n",
        good_example: "FROM debian:12\nRUN cd /opt/app && make install\n",
        references: &[
            "https://www.shellcheck.net/wiki/SC2164",
            "https://docs.docker.com/reference/dockerfile/#workdir",
        ],
    },
};

impl Rule for CdWithoutCheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let Some(script) = run.script() else {
                continue;
            };
            if sets_errexit(&script.commands) {
                continue;
            }
            for cmd in &script.commands {
                if program(cmd) != Some("cd") || args(cmd).first().is_some_and(|w| w.raw == "..") {
                    continue;
                }
                let next = next_separator(script, cmd);
                if matches!(next, Some(Separator::And | Separator::Or)) {
                    continue;
                }
                if in_conditional(script, cmd) && next == Some(Separator::Start) {
                    // The condition of an `if`/`while` (followed by `then`/`do`).
                    continue;
                }
                let message = "If this `cd` fails, the commands after it run in the wrong \
                     directory: use `cd … && …` or `cd … || exit 1`."
                    .to_string();
                out.push(cx.finding(&META, run.locate(cmd.span), message));
            }
        }
    }
}
