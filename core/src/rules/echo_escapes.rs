use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{args, program, runs};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `echo "a\nb"`: whether `\n` is expanded depends on the shell.
#[derive(Debug)]
pub struct EchoEscapes;

static META: RuleMeta = RuleMeta {
    id: "DD205",
    name: "echo-escapes",
    severity: Severity::Info,
    category: Category::Reliability,
    aliases: &["SC2028"],
    summary: "`echo` with backslash escapes: use `printf`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags an `echo` (without `-e`) whose argument contains a backslash escape \
        such as `\\n`, `\\t`, `\\033` or `\\\\`.",
    why_it_matters: "Whether `echo` turns `\\n` into a newline depends on the shell: dash \
        (Debian's and Ubuntu's `/bin/sh`) does, bash does not without `-e`, BusyBox \
        depends on its build. The same line writes different files on different base \
        images. `printf` behaves the same everywhere: `printf 'a\\nb\\n'`. Severity info \
        (ShellCheck SC2028).",
    bad_example: "FROM debian:12\nRUN echo \"[main]\\nenabled=1\" > /etc/app.conf\n",
    good_example: "FROM debian:12\nRUN printf '[main]\\nenabled=1\\n' > /etc/app.conf\n",
    references: &[
        "https://www.shellcheck.net/wiki/SC2028",
        "https://pubs.opengroup.org/onlinepubs/9799919799/utilities/echo.html",
    ],
};

impl Rule for EchoEscapes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            for cmd in run.shell_commands() {
                if program(cmd) != Some("echo") {
                    continue;
                }
                let words = args(cmd);
                let options = words
                    .iter()
                    .take_while(|w| w.value.starts_with('-') && w.value.len() > 1)
                    .count();
                if words.iter().take(options).any(|w| w.value.contains('e')) {
                    continue;
                }
                let Some(word) = words
                    .iter()
                    .skip(options)
                    .find(|w| !w.raw.contains("$'") && has_escape(&w.value))
                else {
                    continue;
                };
                let message = "`echo` may or may not expand backslash escapes depending on the \
                     shell: use `printf` instead."
                    .to_string();
                out.push(cx.finding(&META, run.locate(word.span), message));
            }
        }
    }
}

/// A backslash followed by an escape letter `echo` may expand.
fn has_escape(value: &str) -> bool {
    let b = value.as_bytes();
    b.windows(2)
        .any(|w| w.first() == Some(&b'\\') && w.get(1).is_some_and(|c| b"abefnrtvx0\\".contains(c)))
}
