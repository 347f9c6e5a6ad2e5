use crate::diagnostic::{Finding, Severity, Span};
use crate::model::{BaseKind, BuildModel};
use crate::rules::command_line::{Run, args, program, runs};
use crate::rules::word_parts::{Kind, parts};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::{ConstructKind, RedirectOp, Word, program_name};

/// bash-only syntax in a `RUN` that `/bin/sh` runs.
#[derive(Debug)]
pub struct BashSyntaxInSh;

static META: RuleMeta = RuleMeta {
    id: "DD210",
    name: "bash-syntax-in-sh",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &[
        "SC3001", "SC3003", "SC3009", "SC3010", "SC3011", "SC3014", "SC3020", "SC3037", "SC3046",
        "SC3060",
    ],
    summary: "bash-only syntax in a `RUN` that `/bin/sh` runs",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags bash features in a `RUN` whose shell is `/bin/sh` (the default, \
        unless `SHELL` or a heredoc's `#!` names bash): brace expansion (`{a,b}`, \
        `{1..3}`), process substitution (`<(…)`), `source`, `[[ … ]]`, `==` in `[`/`test`, \
        `$'…'`, `&>`, `<<<`, `${var/a/b}` and `echo -e`. In a stage built on Alpine or \
        BusyBox, whose `ash` accepts most of these, only brace expansion and process \
        substitution are flagged.",
    why_it_matters: "On Debian and Ubuntu images `/bin/sh` is dash, which has none of \
        these: `mkdir -p /srv/{logs,data}` makes one directory literally named \
        `{logs,data}`, `echo -e` writes `-e` into the file, `[[` and `source` are \
        \"not found\" — inside an `if` that silently takes the other branch. Use the \
        POSIX form (`.`, `[ = ]`, `printf`, separate words) or run bash explicitly \
        (`SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`). Severity low \
        (ShellCheck SC3xxx, warnings when the shell is sh).",
    bad_example: "FROM debian:12-slim\nRUN mkdir -p /srv/{logs,data}\n",
    good_example: "FROM debian:12-slim\nRUN mkdir -p /srv/logs /srv/data\n",
    references: &[
        "https://www.shellcheck.net/wiki/SC3009",
        "https://wiki.ubuntu.com/DashAsBinSh",
        "https://docs.docker.com/reference/dockerfile/#shell",
    ],
};

impl Rule for BashSyntaxInSh {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            if !runs_in_sh(&run) {
                continue;
            }
            let Some(script) = run.script() else {
                continue;
            };
            let ash = built_on_ash(cx.model, run.info.stage);
            let mut found: Vec<(Span, &'static [&'static str], String)> = Vec::new();
            for c in &script.constructs {
                if c.kind == ConstructKind::ProcessSubstitution {
                    found.push((c.span, &["SC3001"], "process substitution `<(…)`".into()));
                }
            }
            for cmd in run.shell_commands() {
                let name = program(cmd);
                let words = cmd
                    .argv
                    .iter()
                    .chain(cmd.redirects.iter().filter_map(|r| r.target.as_ref()));
                for w in words {
                    if let Some(b) = brace_expansion(w) {
                        found.push((w.span, &["SC3009"], format!("brace expansion `{b}`")));
                    }
                }
                if ash {
                    continue;
                }
                match name {
                    Some("source") => {
                        found.push((cmd.span, &["SC3046"], "`source` (use `.`)".into()))
                    }
                    Some("[[") => {
                        found.push((cmd.span, &["SC3010"], "`[[ … ]]` (use `[ … ]`)".into()))
                    }
                    Some("[" | "test") => {
                        if let Some(w) = args(cmd).iter().find(|w| w.raw == "==") {
                            found.push((w.span, &["SC3014"], "`==` in a test (use `=`)".into()));
                        }
                    }
                    Some("echo") => {
                        if let Some(w) = args(cmd).first().filter(|w| {
                            w.value.len() > 1
                                && w.value.starts_with('-')
                                && w.value
                                    .chars()
                                    .skip(1)
                                    .all(|c| matches!(c, 'n' | 'e' | 'E'))
                                && w.value.contains(['e', 'E'])
                        }) {
                            found.push((
                                w.span,
                                &["SC3037"],
                                format!("`echo {}` (use `printf`)", w.value),
                            ));
                        }
                    }
                    _ => {}
                }
                for r in &cmd.redirects {
                    match r.op {
                        RedirectOp::OutputBoth | RedirectOp::AppendBoth => {
                            found.push((r.span, &["SC3020"], "`&>` (use `>file 2>&1`)".into()));
                        }
                        RedirectOp::HereString => {
                            found.push((r.span, &["SC3011"], "a here-string `<<<`".into()));
                        }
                        _ => {}
                    }
                }
                for w in &cmd.argv {
                    if ansi_c_quoted(&w.raw) {
                        found.push((w.span, &["SC3003"], "`$'…'` quoting".into()));
                    }
                    if let Some(p) = parts(&w.raw)
                        .into_iter()
                        .find(|p| p.kind == Kind::Param && replaces(p.text))
                    {
                        found.push((
                            p.span_in(w.span),
                            &["SC3060"],
                            format!("`{}` string replacement", p.text),
                        ));
                    }
                }
            }
            found.sort_by_key(|(span, _, _)| span.start);
            found.dedup_by_key(|(span, _, _)| span.start);
            for (span, code, what) in found {
                let message = format!(
                    "{what} is bash syntax, but this `RUN` runs in `/bin/sh` (dash on \
                     Debian and Ubuntu), which does not support it. Use the POSIX form or \
                     `SHELL [\"/bin/bash\", \"-c\"]`."
                );
                out.push(cx.finding_for(&META, code, run.locate(span), message));
            }
        }
    }
}

/// Whether the RUN's shell is plain `sh` (or dash).
fn runs_in_sh(run: &Run<'_>) -> bool {
    run.info
        .shell
        .first()
        .is_some_and(|p| matches!(program_name(p).as_str(), "sh" | "dash"))
}

/// Whether `stage` is built on Alpine or BusyBox (directly or through
/// earlier stages), whose `/bin/sh` is BusyBox `ash`.
fn built_on_ash(model: &BuildModel, mut stage: usize) -> bool {
    for _ in 0..=model.stages.len() {
        let Some(s) = model.stages.get(stage) else {
            return false;
        };
        match (s.base_kind, s.base_stage) {
            (BaseKind::Stage, Some(parent)) if parent < stage => stage = parent,
            (BaseKind::Image, _) => {
                let image = &s.base_image;
                let tag = image.tag.as_deref().unwrap_or_default();
                let repo = image.repository.rsplit('/').next().unwrap_or_default();
                return repo == "alpine" || repo == "busybox" || tag.contains("alpine");
            }
            _ => return false,
        }
    }
    false
}

/// An unquoted `{a,b}` or `{1..3}` in `word`, if any.
fn brace_expansion(word: &Word) -> Option<String> {
    for p in parts(&word.raw) {
        if p.kind != Kind::Text || !p.is_unquoted() {
            continue;
        }
        let mut from = 0;
        while let Some(open) = p.text.get(from..).and_then(|t| t.find('{')) {
            let open = from.saturating_add(open);
            let rest = p.text.get(open.saturating_add(1)..)?;
            let Some(close) = rest.find('}') else { break };
            let inner = rest.get(..close)?;
            let listed = inner.contains(',') || inner.contains("..");
            if listed && !inner.is_empty() && !inner.contains(['{', ' ', '\t']) {
                return p
                    .text
                    .get(open..open.saturating_add(close).saturating_add(2))
                    .map(str::to_string);
            }
            from = open.saturating_add(1);
        }
    }
    None
}

/// Whether `raw` has an unquoted `$'…'`.
fn ansi_c_quoted(raw: &str) -> bool {
    let mut quote: Option<u8> = None;
    let b = raw.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match (quote, c) {
            (None, b'\\') => i = i.saturating_add(1),
            (None, b'$') if b.get(i.saturating_add(1)) == Some(&b'\'') => return true,
            (None, b'\'' | b'"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (Some(b'"'), b'\\') => i = i.saturating_add(1),
            _ => {}
        }
        i = i.saturating_add(1);
    }
    false
}

/// `${name/pattern/replacement}` or `${name//…}`.
fn replaces(param: &str) -> bool {
    let Some(body) = param.strip_prefix("${") else {
        return false;
    };
    let name_end = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    name_end > 0
        && body
            .get(name_end..)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use crate::rules::check::spans;

    fn found(text: &str) -> Vec<String> {
        spans("DD210", text)
    }

    #[test]
    fn each_bashism_in_sh() {
        let t = |run: &str| found(&format!("FROM debian:12\nRUN {run}\n"));
        assert_eq!(
            t("mkdir -p /a/{b,c} /d/{1..3} && cp f{,.bak}"),
            ["/a/{b,c}", "/d/{1..3}", "f{,.bak}"]
        );
        assert_eq!(
            t("source /etc/profile && [[ -f x ]] && [ a == b ]"),
            ["source /etc/profile", "[[ -f x ]]", "=="]
        );
        assert_eq!(
            t("echo -e 'a\\nb' > f; echo -n x; echo -ne y"),
            ["-e", "-ne"]
        );
        assert_eq!(
            t("make &> log; cat <<< hi; diff <(a) <(b)"),
            ["&> log", "<<< hi", "<(a)", "<(b)"]
        );
        assert_eq!(
            t("printf $'a\\tb' ${v/a/b} ${v%/*}"),
            ["$'a\\tb'", "${v/a/b}"]
        );
    }

    #[test]
    fn quoted_or_not_bash_or_bash_shell() {
        let t = |run: &str| found(&format!("FROM debian:12\nRUN {run}\n"));
        assert!(t("echo '{a,b}' \"{1..3}\" {} ${x} && find . -exec rm {} \\;").is_empty());
        assert!(t("awk '{print $1,$2}' f && echo '$'\"'\"'x'").is_empty());
        assert!(
            found("FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN source x && mkdir {a,b}\n")
                .is_empty()
        );
        assert!(found("FROM debian:12\nRUN <<EOF\n#!/bin/bash\nsource x\nEOF\n").is_empty());
    }

    #[test]
    fn alpine_ash_accepts_most() {
        let text = "FROM alpine:3.20 AS a\nRUN source x && mkdir {a,b}\nFROM a\nRUN [[ -f x ]]\n";
        assert_eq!(found(text), ["{a,b}"]);
        assert_eq!(
            found("FROM python:3.12-alpine\nRUN echo -e x\n"),
            [] as [&str; 0]
        );
    }
}
