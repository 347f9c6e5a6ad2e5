use crate::diagnostic::{Applicability, Edit, Finding, Severity};
use crate::rules::fix::{fix, parse_one, replace, text_is};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::Instruction;

/// `CMD` or `ENTRYPOINT` in shell form.
#[derive(Debug)]
pub struct ShellFormCommand;

static META: RuleMeta = RuleMeta {
    id: "DD015",
    name: "shell-form-command",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["DL3025", "JSONArgsRecommended"],
    summary: "`CMD`/`ENTRYPOINT` in shell form",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `CMD` or `ENTRYPOINT` written as plain text instead of a JSON \
        array. `ONBUILD CMD …` is not judged here: it runs in a downstream build.",
    why_it_matters: "In shell form Docker runs `/bin/sh -c \"…\"`: the shell becomes PID 1 \
        and does not forward `SIGTERM`, so `docker stop` waits its timeout and then kills the \
        process without a clean shutdown. A shell-form `ENTRYPOINT` also ignores `CMD` and \
        `docker run` arguments. The exec form `[\"prog\", \"arg\"]` runs the program \
        directly. Severity low: shutdowns are slow and unclean, data may be lost.",
    bad_example: "FROM node:22-slim\nCMD node server.js\n",
    good_example: "FROM node:22-slim\nCMD [\"node\", \"server.js\"]\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#shell-and-exec-form",
        "https://docs.docker.com/reference/build-checks/json-args-recommended/",
    ],
};

impl Rule for ShellFormCommand {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in &cx.file.instructions {
            let keyword = if inst.is("CMD") {
                "CMD"
            } else if inst.is("ENTRYPOINT") {
                "ENTRYPOINT"
            } else {
                continue;
            };
            if inst.json {
                continue;
            }
            let message = format!(
                "`{keyword}` in shell form runs under `/bin/sh -c`, which does not pass signals \
                 on: write it as a JSON array (`{keyword} [\"prog\", \"arg\"]`)."
            );
            let mut finding = cx.finding(&META, inst.keyword_span, message);
            // Unsafe: the program, not a shell, now gets the signals; and an
            // ENTRYPOINT starts taking `CMD` / `docker run` arguments.
            if let Some(edit) = exec_form_edit(cx, inst, cx.file.escape_token) {
                finding = finding.with_fix(fix(
                    "Write the command as a JSON array",
                    Applicability::Unsafe,
                    vec![edit],
                ));
            }
            out.push(finding);
        }
    }
}

/// Shell words with no binary of their own (builtins, reserved words) or
/// that only make sense to a shell.
const SHELL_ONLY: &[&str] = &[
    "!", ".", ":", "[[", "alias", "break", "case", "cd", "continue", "do", "done", "elif", "else",
    "esac", "eval", "exec", "exit", "export", "fi", "for", "function", "if", "in", "local", "read",
    "readonly", "return", "select", "set", "shift", "source", "then", "time", "trap", "typeset",
    "ulimit", "umask", "unset", "until", "wait", "while", "{", "}",
];

/// The JSON array replacing a shell-form command's arguments, when the
/// command is a plain list of words: nothing the shell would interpret
/// (quotes, escapes, `$`, operators, redirects, globs, comments, `~`, a
/// leading assignment or builtin).
fn exec_form_edit(cx: &Context<'_>, inst: &Instruction, escape: char) -> Option<Edit> {
    let script = inst.value.first().filter(|_| inst.value.len() == 1)?;
    if !text_is(cx, inst.args_span, script) {
        return None;
    }
    let words: Vec<&str> = script.split_ascii_whitespace().collect();
    let first = words.first()?;
    let plain = |w: &str| {
        w.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '-' | '_' | '.' | '/' | ':' | ',' | '+' | '@' | '%' | '=')
        })
    };
    if !words.iter().all(|w| plain(w)) || first.contains('=') || SHELL_ONLY.contains(first) {
        return None;
    }
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    let json = format!("[{}]", quoted.join(", "));
    // Check: the new instruction is exec form with exactly these words.
    let new = parse_one(&format!("{} {json}", inst.cmd), escape)?;
    (new.json
        && new
            .value
            .iter()
            .map(String::as_str)
            .eq(words.iter().copied()))
    .then(|| replace(inst.args_span, &json))
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Applicability;
    use crate::rules::fix::check::{fixed, fixes};

    #[test]
    fn fix_writes_exec_form() {
        assert_eq!(
            fixed("DD015", "FROM a:1\nCMD npm start\n"),
            Some((
                "FROM a:1\nCMD [\"npm\", \"start\"]\n".to_string(),
                Applicability::Unsafe
            ))
        );
        assert_eq!(
            fixed("DD015", "FROM a:1\nENTRYPOINT /app/server --port=8080 -v\n").map(|f| f.0),
            Some("FROM a:1\nENTRYPOINT [\"/app/server\", \"--port=8080\", \"-v\"]\n".to_string())
        );
    }

    #[test]
    fn no_fix_for_shell_syntax() {
        for cmd in [
            "npm start && x",
            "echo $HOME",
            "echo \"a b\"",
            "cat *.txt",
            "a | b",
            "a > log",
            "a; b",
            "exec node x",
            "FOO=1 node x",
            "cd /app",
            "echo ~",
            "a \\\n b",
        ] {
            let text = format!("FROM a:1\nCMD {cmd}\n");
            assert!(fixes("DD015", &text).is_empty(), "{cmd}");
        }
    }
}
