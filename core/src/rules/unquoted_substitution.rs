use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{runs, split_words};
use crate::rules::word_parts::parts;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::RedirectOp;

/// An unquoted `$(…)` whose output is split into words.
#[derive(Debug)]
pub struct UnquotedSubstitution;

static META: RuleMeta = RuleMeta {
    id: "DD202",
    name: "unquoted-substitution",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["SC2046"],
    summary: "Unquoted command substitution in a `RUN` command: its output is split",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a command substitution (`$(…)` or backticks) used unquoted as an \
        argument or redirection target of a `RUN` command. Substitutions in assignments, \
        `[[ ]]`, `for` word lists and in the command name position are not flagged.",
    why_it_matters: "The shell splits the output of an unquoted substitution at spaces \
        and newlines and expands glob characters in it, so one file name with a space \
        becomes two arguments and a `*` in the output becomes a list of files. Quote it \
        (`\"$(cmd)\"`) when the output is one value; when it is a list meant to be split, \
        say so with `xargs`, a `while read` loop or a `for` loop. Severity low \
        (ShellCheck SC2046, a warning).",
    bad_example: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends linux-headers-$(uname -r)\n",
    good_example: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends \"linux-headers-$(uname -r)\"\n",
    references: &[
        "https://www.shellcheck.net/wiki/SC2046",
        "https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_06_05",
    ],
};

impl Rule for UnquotedSubstitution {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            for cmd in run.shell_commands() {
                if cmd.argv.first().is_some_and(|w| w.raw == "[[") {
                    continue;
                }
                let mut words = split_words(&run, cmd);
                for r in &cmd.redirects {
                    if !matches!(r.op, RedirectOp::Heredoc | RedirectOp::HeredocStripTabs)
                        && let Some(t) = &r.target
                    {
                        words.push((t, 0));
                    }
                }
                for (word, from) in words {
                    for part in parts(&word.raw) {
                        if part.start < from || !part.is_substitution() || !part.is_unquoted() {
                            continue;
                        }
                        let message = format!(
                            "The output of `{}` is split at spaces and glob-expanded: quote it \
                             (`\"{}\"`), or split it on purpose with `xargs` or a loop.",
                            short(part.text),
                            short(part.text)
                        );
                        out.push(cx.finding(&META, run.locate(part.span_in(word.span)), message));
                    }
                }
            }
        }
    }
}

/// At most 40 characters of `text`, with an ellipsis.
fn short(text: &str) -> String {
    if text.chars().count() <= 40 {
        text.to_string()
    } else {
        let head: String = text.chars().take(37).collect();
        format!("{head}…")
    }
}
