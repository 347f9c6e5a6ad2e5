use std::collections::BTreeMap;

use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{
    DECLARATIONS, Run, args, assignment_value_offset, program, runs, split_words,
};
use crate::rules::word_parts::{Kind, Part, param, parts};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::{Command, ConstructKind, Redirect, RedirectOp, Script, Separator, Word};

/// An unquoted `$VAR` that may split into several words or glob.
#[derive(Debug)]
pub struct UnquotedExpansion;

static META: RuleMeta = RuleMeta {
    id: "DD200",
    name: "unquoted-expansion",
    severity: Severity::Info,
    category: Category::Reliability,
    aliases: &["SC2086"],
    summary: "Unquoted variable in a `RUN` command: double-quote it",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a parameter expansion (`$NAME`, `${NAME…}`, `$1`, `$*`) used \
        unquoted as an argument or redirection target in a `RUN` command, when its value \
        is not known to be a single harmless word. Values known to be safe are not \
        flagged: variables the Dockerfile itself sets with `ENV` or `ARG` in the stage, \
        Docker's predefined proxy arguments (`HTTP_PROXY`, `no_proxy`…), \
        variables the script assigned a plain word without spaces or glob characters \
        (`N=4`), loop variables over such words, `$#`, `$?`, `$$`, `$!`, `$-` and \
        `${#NAME}`. Expansions are not flagged where the shell does not split them: \
        assignments, `[[ ]]`, arithmetic, `case` subjects, `for` word lists and \
        here-documents.",
    why_it_matters: "The shell splits an unquoted expansion at spaces and expands glob \
        characters in the result, so a path with a space or a value with `*` turns into \
        several arguments or into a list of files. In a build that means a command that \
        works until the day a value changes. Quoting (`\"$NAME\"`) keeps the value one \
        argument. Severity info (ShellCheck SC2086): many such values never contain a \
        space, but the rule cannot know that.",
    bad_example: "FROM alpine:3.20\nRUN dir=\"$(mktemp -d)\" && cp -r /src $dir\n",
    good_example: "FROM alpine:3.20\nARG VERSION=1.2\nRUN dir=\"$(mktemp -d)\" && cp -r /src \"$dir\" && echo $VERSION\n",
    references: &[
        "https://www.shellcheck.net/wiki/SC2086",
        "https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_06_05",
    ],
};

impl Rule for UnquotedExpansion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let Some(script) = run.script() else {
                continue;
            };
            let mut safe = dockerfile_vars(cx, &run);
            // Commands and `for` headers in source order, so that the
            // values known at each point are those assigned before it.
            let mut events: Vec<(usize, Event)> = script
                .commands
                .iter()
                .enumerate()
                .map(|(i, c)| (c.span.start, Event::Command(i)))
                .collect();
            events.extend(
                script
                    .constructs
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.kind == ConstructKind::For)
                    .map(|(i, c)| (c.span.start, Event::For(i))),
            );
            // `( … ) > $f`, `done < $f`: the redirections of a compound
            // command, at its end.
            events.extend(
                script
                    .constructs
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| !c.redirects.is_empty())
                    .map(|(i, c)| (c.span.end, Event::Redirects(i))),
            );
            events.sort_by_key(|(start, _)| *start);
            for (_, event) in events {
                match event {
                    Event::For(i) => {
                        let Some(c) = script.constructs.get(i) else {
                            continue;
                        };
                        let Some((var, items)) = c.words.split_first() else {
                            continue;
                        };
                        let known = c.has_in
                            && !items.is_empty()
                            && items.iter().all(|w| value_is_safe(w, 0, &safe));
                        safe.insert(var.value.clone(), known);
                    }
                    Event::Redirects(i) => {
                        let Some(c) = script.constructs.get(i) else {
                            continue;
                        };
                        let words = redirect_targets(&c.redirects).map(|t| (t, 0)).collect();
                        check_words(cx, &run, words, &safe, out);
                    }
                    Event::Command(i) => {
                        let Some(cmd) = script.commands.get(i) else {
                            continue;
                        };
                        check_command(cx, &run, cmd, &safe, out);
                        learn(script, cmd, &mut safe);
                    }
                }
            }
        }
    }
}

enum Event {
    Command(usize),
    For(usize),
    Redirects(usize),
}

/// Known variables: `true` when their value is one harmless word.
type Known = BTreeMap<String, bool>;

/// The variables the Dockerfile sets for this RUN (ENV, ARG), which
/// ShellCheck, as hadolint runs it, is told hold a plain value.
fn dockerfile_vars(cx: &Context<'_>, run: &Run<'_>) -> Known {
    let mut known: Known = cx
        .model
        .visible(run.info.env)
        .into_iter()
        .filter(|v| v.instruction.is_some())
        .map(|v| (v.name.clone(), true))
        .collect();
    if let Some(stage) = cx.model.stages.get(run.info.stage) {
        for a in stage
            .args
            .iter()
            .filter(|a| a.instruction < run.info.instruction)
        {
            known.insert(a.name.clone(), true);
        }
    }
    // Docker's predefined proxy build arguments hold one URL each.
    for name in crate::model::PROXY_ARGS {
        known.entry(name.to_string()).or_insert(true);
    }
    known
}

fn check_command(
    cx: &Context<'_>,
    run: &Run<'_>,
    cmd: &Command,
    safe: &Known,
    out: &mut Vec<Finding>,
) {
    if cmd
        .argv
        .first()
        .is_some_and(|w| w.raw == "[[" || w.raw.starts_with("(("))
    {
        return;
    }
    let mut words = split_words(run, cmd);
    words.extend(redirect_targets(&cmd.redirects).map(|t| (t, 0)));
    check_words(cx, run, words, safe, out);
}

/// The words redirections name as files (not here-documents or `<&`).
fn redirect_targets(redirects: &[Redirect]) -> impl Iterator<Item = &Word> {
    redirects
        .iter()
        .filter(|r| {
            !matches!(
                r.op,
                RedirectOp::Heredoc | RedirectOp::HeredocStripTabs | RedirectOp::DupInput
            )
        })
        .filter_map(|r| r.target.as_ref())
}

/// Flags the unquoted, unsafe parameters in `words` (each from a byte
/// offset: the value of `export X=…` starts after the `=`).
fn check_words(
    cx: &Context<'_>,
    run: &Run<'_>,
    words: Vec<(&Word, usize)>,
    safe: &Known,
    out: &mut Vec<Finding>,
) {
    for (word, from) in words {
        for part in parts(&word.raw) {
            if part.start < from || part.kind != Kind::Param || !part.is_unquoted() {
                continue;
            }
            if param_is_safe(&part, safe) {
                continue;
            }
            let span = run.locate(part.span_in(word.span));
            let message = format!(
                "`{}` is unquoted: the shell splits its value at spaces and expands globs in \
                 it. Write `\"{}\"`.",
                part.text, part.text
            );
            out.push(cx.finding(&META, span, message));
        }
    }
}

/// Whether an unquoted parameter part expands to one harmless word.
fn param_is_safe(part: &Part<'_>, safe: &Known) -> bool {
    let p = param(part.text);
    if p.length || matches!(p.name, "#" | "?" | "$" | "!" | "-" | "@") {
        // `$@` unquoted is a different finding (SC2068).
        return true;
    }
    let name_safe = safe.get(p.name).copied().unwrap_or(false);
    let op = p.op;
    if op.starts_with('[') {
        // Arrays: not POSIX sh; left to other checks.
        return true;
    }
    if let Some(alt) = op.strip_prefix(":+").or_else(|| op.strip_prefix('+')) {
        return word_text_is_safe(alt, safe);
    }
    if let Some(default) = [":-", ":=", "-", "="]
        .iter()
        .find_map(|o| op.strip_prefix(o))
    {
        return name_safe && word_text_is_safe(default, safe);
    }
    name_safe
}

/// Whether the text of a word (from byte `from`) is one harmless word: no
/// whitespace or glob characters, no substitution, only safe parameters.
fn value_is_safe(word: &Word, from: usize, safe: &Known) -> bool {
    word.raw
        .get(from..)
        .is_some_and(|text| word_text_is_safe(text, safe))
}

fn word_text_is_safe(text: &str, safe: &Known) -> bool {
    parts(text).iter().all(|p| match p.kind {
        Kind::Text => !p
            .text
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '*' | '?' | '[')),
        Kind::Param => param_is_safe(p, safe),
        Kind::Arith => true,
        Kind::CommandSub | Kind::Backtick => false,
    })
}

/// Records what a command assigns.
///
/// An assignment that may not run (after `&&`/`||`, in a loop or `if`
/// body) joins its value with the one before: both must be safe.
fn learn(script: &Script, cmd: &Command, safe: &mut Known) {
    let conditional = matches!(cmd.after, Separator::And | Separator::Or)
        || cmd
            .parent
            .and_then(|i| script.constructs.get(i))
            .is_some_and(|c| {
                matches!(
                    c.kind,
                    ConstructKind::If
                        | ConstructKind::While
                        | ConstructKind::Until
                        | ConstructKind::For
                        | ConstructKind::Case
                )
            });
    let set = |safe: &mut Known, name: &str, known: bool| {
        let before = safe.get(name).copied().unwrap_or(false);
        safe.insert(name.to_string(), known && (before || !conditional));
    };
    if cmd.argv.is_empty() {
        for a in &cmd.assignments {
            let known = !a.append && value_is_safe(&a.value, 0, safe);
            set(safe, &a.name, known);
        }
        return;
    }
    match program(cmd) {
        Some(p) if DECLARATIONS.contains(&p) => {
            for w in args(cmd) {
                if let Some(at) = assignment_value_offset(w) {
                    let name = w.raw.get(..at.saturating_sub(1)).unwrap_or_default();
                    let name = name.trim_end_matches('+');
                    let known = value_is_safe(w, at, safe);
                    set(safe, name, known);
                }
            }
        }
        Some("read") => {
            for w in args(cmd).iter().filter(|w| !w.value.starts_with('-')) {
                set(safe, &w.value, false);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::check::spans;

    #[test]
    fn redirections_of_compound_commands_are_judged() {
        let text = "FROM alpine:3.20\nRUN ( echo a; echo b ) >> $HOME/.profile\n";
        assert_eq!(spans("DD200", text), ["$HOME"]);
        let text = "FROM alpine:3.20\nRUN for x in a b; do echo $x; done > $OUT\n";
        assert_eq!(spans("DD200", text), ["$OUT"]);
        // A variable the Dockerfile sets is known to be one word.
        let text = "FROM alpine:3.20\nENV OUT=/log\nRUN while true; do break; done > $OUT\n";
        assert!(spans("DD200", text).is_empty());
    }

    #[test]
    fn predefined_proxy_arguments_are_one_word() {
        let text = "FROM alpine:3.20\nRUN pip install --proxy=$HTTP_PROXY x $TARGETARCH\n";
        assert_eq!(spans("DD200", text), ["$TARGETARCH"]);
    }
}
