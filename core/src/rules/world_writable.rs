use crate::diagnostic::{Finding, Severity};
use crate::rules::scope::{self, program};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// Files made writable by every user.
#[derive(Debug)]
pub struct WorldWritable;

static META: RuleMeta = RuleMeta {
    id: "DD104",
    name: "world-writable-permissions",
    severity: Severity::Medium,
    category: Category::Security,
    aliases: &[],
    summary: "Files in the image are made writable by every user (`chmod 777`, `o+w`)",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags `chmod` in `RUN` and `COPY`/`ADD --chmod` giving write permission to \
        all users: octal modes whose last digit has the write bit (`777`, `666`, `0757`) and \
        symbolic modes `o+w`, `a+w`, `a=rwx`, `ugo+rwx`. A mode with the sticky bit \
        (`1777`, `+t`, as `/tmp` has) is not flagged, nor is `+w` without `o` or `a` (the \
        umask applies). Judges the final stage and the stages it is built `FROM`.",
    why_it_matters: "Any process in the container — whatever user it runs as, including a \
        compromised one — can then replace the application's code, configuration or \
        scripts that root or another user later executes, turning a foothold into code \
        execution as that user. Grant write access to the one user that needs it \
        (`chown app` and `755`/`644`, or `--chown=app` on `COPY`).",
    bad_example: "FROM node:22-slim\nCOPY . /app\nRUN chmod -R 777 /app\nUSER node\n",
    good_example: "FROM node:22-slim\nCOPY --chown=node:node . /app\nRUN chmod -R 755 /app && chmod 1777 /tmp\nUSER node\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#copy---chown---chmod",
        "https://cwe.mitre.org/data/definitions/732.html",
    ],
};

impl Rule for WorldWritable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let chain = scope::final_chain(cx.model);
        for run in scope::runs(cx, |s| chain.contains(&s)) {
            for cmd in run.commands() {
                let Some((name, args)) = program(cmd) else {
                    continue;
                };
                if name != "chmod" {
                    continue;
                }
                let Some(mode) = args
                    .iter()
                    .find(|w| !w.value.starts_with('-') || is_mode(&w.value))
                else {
                    continue;
                };
                if world_writable(&mode.value) {
                    let message = format!(
                        "`chmod {}` makes files writable by every user in the container. Give \
                         write access only to the user that needs it (`chown` it, then `755`/`644`).",
                        mode.value
                    );
                    out.push(cx.finding(&META, run.file_span(mode.span), message));
                }
            }
        }
        for (_, inst) in scope::instructions(cx, |s| chain.contains(&s)) {
            if !(inst.is("COPY") || inst.is("ADD")) {
                continue;
            }
            let (Some(mode), Some(span)) = (inst.flag("chmod"), inst.flag_span("chmod")) else {
                continue;
            };
            if world_writable(mode) {
                let message = format!(
                    "`--chmod={mode}` makes the copied files writable by every user in the \
                     container. Use `--chown=<user>` with `755`/`644` instead."
                );
                out.push(cx.finding(&META, span, message));
            }
        }
    }
}

/// `-w` style symbolic modes start with `-` too (`chmod -w file`).
fn is_mode(word: &str) -> bool {
    word.len() > 1
        && word
            .trim_start_matches('-')
            .chars()
            .all(|c| "rwxXst".contains(c))
}

/// Whether a chmod mode grants write to "others" without the sticky bit.
pub fn world_writable(mode: &str) -> bool {
    if !mode.is_empty() && mode.chars().all(|c| c.is_digit(8)) {
        let digits: Vec<u32> = mode.chars().filter_map(|c| c.to_digit(8)).collect();
        let others = digits.last().copied().unwrap_or(0);
        let sticky = digits.len() >= 4 && digits.get(digits.len() - 4).is_some_and(|d| d & 1 == 1);
        return digits.len() >= 3 && others & 2 != 0 && !sticky;
    }
    let mut writable = false;
    for clause in mode.split(',') {
        let who: String = clause.chars().take_while(|c| "ugoa".contains(*c)).collect();
        let ops = clause.get(who.len()..).unwrap_or_default();
        if ops.contains('t') {
            return false;
        }
        if !(who.contains('o') || who.contains('a')) {
            continue;
        }
        // `+rw-x`: the permissions after each `+`/`=` up to the next operator.
        let mut granting = false;
        for c in ops.chars() {
            match c {
                '+' | '=' => granting = true,
                '-' => granting = false,
                'w' if granting => writable = true,
                _ => {}
            }
        }
    }
    writable
}

#[cfg(test)]
mod tests {
    use super::world_writable;
    use crate::rules::check;

    fn found(text: &str) -> Vec<String> {
        check::spans("DD104", text)
    }

    #[test]
    fn modes() {
        for m in [
            "777", "0777", "666", "757", "0002", "a+w", "o+rwx", "ugo=rwx", "u+x,o+w", "a+rwX",
        ] {
            assert!(world_writable(m), "{m}");
        }
        for m in [
            "755", "644", "1777", "3777", "u+w", "+w", "g+w", "a-w", "o-w+r", "a+rwt", "7", "x",
        ] {
            assert!(!world_writable(m), "{m}");
        }
    }

    #[test]
    fn runs_and_copy_flags_in_the_final_image() {
        assert_eq!(
            found("FROM a:1\nRUN mkdir /d && chmod -R 777 /d /e\nCOPY --chmod=666 a /a\n"),
            ["777", "--chmod=666"]
        );
        assert_eq!(
            found("FROM a:1 AS base\nRUN chmod a+w /x\nFROM base\n"),
            ["a+w"]
        );
    }

    #[test]
    fn build_stages_and_safe_modes() {
        for text in [
            "FROM a:1 AS build\nRUN chmod 777 /build\nFROM b:1\nCOPY --from=build /out /out\n",
            "FROM a:1\nRUN chmod 1777 /tmp && chmod 755 /app && chmod +w f\n",
            "FROM a:1\nCOPY --chmod=755 a /a\n",
            "FROM a:1\nRUN echo chmod 777 x\n",
        ] {
            assert_eq!(found(text), [] as [String; 0], "{text}");
        }
    }
}
