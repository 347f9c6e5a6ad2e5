use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{
    args, in_conditional, next_separator, program, runs, sets_errexit,
};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::{Command, Separator};

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
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `cd` (or `pushd`/`popd`) in a `RUN` that is not followed by `&&` \
        or `||` (so its \
        failure goes unnoticed), unless the script turns on `set -e`. `cd` in an `if`/`while` \
        and a `cd` that cannot fail (`cd /`, `cd ..`, `cd ../..`: a path of only `.` and \
        `/`) are not flagged.",
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
};

/// `cd /`, `cd ..`, `pushd .`: a single path made of `.` and `/` only
/// names a directory that always exists (ShellCheck exempts them too).
/// `popd` can always fail (an empty stack).
fn cannot_fail(cmd: &Command) -> bool {
    if program(cmd) == Some("popd") {
        return false;
    }
    match args(cmd) {
        [dir] => {
            !dir.has_expansion
                && !dir.value.is_empty()
                && dir.value.chars().all(|c| c == '.' || c == '/')
        }
        _ => false,
    }
}

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
                let Some(name @ ("cd" | "pushd" | "popd")) = program(cmd) else {
                    continue;
                };
                if cannot_fail(cmd) {
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
                let message = format!(
                    "If this `{name}` fails, the commands after it run in the wrong \
                     directory: use `{name} … && …` or `{name} … || exit 1`."
                );
                out.push(cx.finding(&META, run.locate(cmd.span), message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::check::fires;

    #[test]
    fn a_cd_that_cannot_fail_is_not_flagged() {
        for dir in ["/", "..", "../..", "./", "\"/\""] {
            let text = format!("FROM debian:12\nRUN cd {dir}; make\n");
            assert!(!fires("DD204", &text), "{dir}");
        }
        for dir in ["/x", "-P ..", "$D", "~"] {
            let text = format!("FROM debian:12\nRUN cd {dir}; make\n");
            assert!(fires("DD204", &text), "{dir}");
        }
        assert!(!fires("DD204", "FROM debian:12\nRUN pushd . && make\n"));
        assert!(fires(
            "DD204",
            "FROM debian:12\nRUN pushd /src; make; popd\n"
        ));
        assert!(fires(
            "DD204",
            "FROM debian:12\nRUN pushd . && make && popd\n"
        ));
    }
}
