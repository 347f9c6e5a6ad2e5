//! ENTRYPOINT, CMD and HEALTHCHECK commands as argv: exec form as it is,
//! shell form when it is one plain command.

use crate::syntax::Instruction;
use crate::syntax::shell::{self, program_name};

/// A command an image starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Argv {
    pub words: Vec<String>,
    /// Was written in shell form.
    pub from_shell: bool,
}

impl Argv {
    /// The program's name (`/usr/bin/python3.12` → `python3.12`).
    pub fn program(&self) -> Option<String> {
        self.words.first().map(|w| program_name(w))
    }
}

/// Programs that only work with a shell or a package manager around them.
pub(crate) fn needs_shell_program(name: &str) -> Option<&'static str> {
    Some(match name {
        "sh" | "bash" | "ash" | "dash" | "zsh" => "it is a shell",
        "npm" | "yarn" | "pnpm" | "npx" => "it runs package scripts with `sh`",
        "supervisord" | "dumb-init" | "tini" | "s6-svscan" | "runsvdir" | "pm2" | "pm2-runtime"
        | "nodemon" => "it is a process manager that starts other programs through a shell",
        _ if name.ends_with(".sh") => "it is a shell script",
        _ => return None,
    })
}

/// The argv of a CMD/ENTRYPOINT (or HEALTHCHECK `CMD`, whose words follow
/// `CMD` in `value`): exec form as written; shell form when it is one plain
/// command without variables, globs, redirections or operators. `Err`
/// says why it needs a shell.
pub(crate) fn argv(inst: &Instruction) -> Result<Argv, String> {
    let words: Vec<String> = if inst.is("HEALTHCHECK") {
        inst.value.get(1..).unwrap_or_default().to_vec()
    } else {
        inst.value.clone()
    };
    if inst.json {
        return Ok(Argv {
            words,
            from_shell: false,
        });
    }
    let text = words.join(" ");
    let script = shell::lex(&text);
    let [cmd] = script.commands.as_slice() else {
        return Err(format!("`{}` is more than one command", text.trim()));
    };
    let plain = script.errors.is_empty()
        && script.constructs.is_empty()
        && cmd.assignments.is_empty()
        && cmd.redirects.is_empty()
        && !cmd.background
        && !cmd.negated
        && cmd
            .argv
            .iter()
            .all(|w| !w.has_expansion && !w.value.contains(['*', '?', '[', '~']));
    if !plain {
        return Err(format!(
            "`{}` uses shell features (variables, globs, redirections or operators)",
            text.trim()
        ));
    }
    Ok(Argv {
        words: cmd.argv.iter().map(|w| w.value.clone()).collect(),
        from_shell: true,
    })
}

/// Why `argv` needs a shell at run time, if it does.
pub(crate) fn needs_shell(argv: &Argv) -> Option<String> {
    let program = argv.program()?;
    needs_shell_program(&program).map(|why| format!("`{program}`: {why}"))
}

/// Renders argv as a JSON array, as Dockerfile exec form.
pub(crate) fn exec_form(words: &[String]) -> String {
    let items: Vec<String> = words.iter().map(|w| json_string(w)).collect();
    format!("[{}]", items.join(", "))
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    crate::report::json::write_str(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn of(line: &str) -> Result<Vec<String>, String> {
        let file = parse(line);
        argv(&file.instructions[0]).map(|a| a.words)
    }

    #[test]
    fn plain_shell_form_becomes_exec_form() {
        assert_eq!(
            of("CMD ./server --port 80").unwrap(),
            ["./server", "--port", "80"]
        );
        assert_eq!(of("CMD [\"node\", \"a.js\"]").unwrap(), ["node", "a.js"]);
        assert_eq!(of("CMD node 'my app.js'").unwrap(), ["node", "my app.js"]);
        assert!(of("CMD node $APP").is_err());
        assert!(of("CMD a && b").is_err());
        assert!(of("CMD a > log").is_err());
        assert_eq!(
            exec_form(&["a\"b".into(), "c\\".into()]),
            r#"["a\"b", "c\\"]"#
        );
    }
}
