//! RUN analysis: each RUN's script, lexed once with [`shell::lex`], with
//! the shell, mounts and variables in effect.

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::Scope;
use super::mount::Mount;
use crate::diagnostic::Span;
use crate::syntax::Instruction;
use crate::syntax::heredoc::{chomp_heredoc_content, parse_heredoc};
use crate::syntax::shell::{self, Script};

/// The shell BuildKit prepends to shell-form commands on Linux.
pub const DEFAULT_SHELL: [&str; 2] = ["/bin/sh", "-c"];

/// How a RUN gives its command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunForm {
    /// `RUN cmd …`: the text runs in the `SHELL`.
    Shell,
    /// `RUN ["prog", "arg"]`: no shell.
    Exec,
    /// `RUN ["sh", "-c", "script"]`: exec form running a POSIX shell on a
    /// script given inline; the script is lexed.
    ExecShell,
    /// `RUN <<EOF` alone: the first heredoc's body is the script (or, when
    /// it starts with `#!`, a file run by that interpreter).
    Heredoc,
    /// `RUN cmd <<EOF`: the line plus the bodies, as the shell receives them.
    ShellWithHeredocs,
}

/// What kind of shell runs the script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShellKind {
    /// `sh`, `bash`, `ash`, … ([`shell::is_posix_shell`]).
    Posix,
    PowerShell,
    Cmd,
    /// Another interpreter (a heredoc `#!/usr/bin/env python3`, an unknown
    /// `SHELL`).
    Other,
    /// Exec form: no shell at all.
    None,
}

/// One RUN instruction, analysed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunInfo {
    /// Index into [`crate::syntax::Dockerfile::instructions`].
    pub instruction: usize,
    /// Index of its stage.
    pub stage: usize,
    pub form: RunForm,
    /// The `SHELL` in effect (`["/bin/sh", "-c"]` unless changed), or for
    /// a `#!` heredoc the interpreter line's words.
    pub shell: Vec<String>,
    pub shell_kind: ShellKind,
    /// Exec form: the argv as written.
    pub argv: Vec<String>,
    /// The text handed to the shell lexer (empty when nothing was lexed).
    pub text: String,
    /// Byte offset in the Dockerfile where `text` starts, when `text` is a
    /// verbatim slice of it (one-line RUN, unchomped heredoc body), so that
    /// `script` spans + `offset` are file spans. `None` when continuations
    /// or reassembly make the mapping inexact.
    pub offset: Option<usize>,
    /// The lexed script; `None` for exec form or a non-POSIX shell.
    #[serde(serialize_with = "serialize_script")]
    pub script: Option<Script>,
    /// Exec form (not `sh -c`): the argv as one command, every word a
    /// literal (no shell sees it), so rules about programs and their
    /// arguments judge `RUN ["pip", "install", "x"]` too. Rules about shell
    /// syntax read `script`, which exec form has none of.
    #[serde(skip)]
    pub exec: Vec<shell::Command>,
    /// Why `script` is `None` although the RUN has a script (`SHELL
    /// ["powershell", …]`, a `#!/usr/bin/python` heredoc).
    pub not_analysable: Option<String>,
    /// `--mount` options, values expanded.
    pub mounts: Vec<Mount>,
    /// `--network=` value, if given.
    pub network: Option<String>,
    /// `--security=` value, if given.
    pub security: Option<String>,
    /// The variables the command sees from the Dockerfile
    /// ([`super::BuildModel::var`]): stage ARGs with a value and ENVs (a
    /// later one replaces an earlier one of the same name), plus proxy
    /// build args. The base image's own ENV is unknown but PATH.
    pub env: Scope,
    /// The USER in effect (`None`: the base image's, usually root).
    pub user: Option<String>,
    /// The WORKDIR in effect (`None`: the base image's, usually `/`).
    pub workdir: Option<String>,
}

impl RunInfo {
    /// Whether the RUN has a lexed script.
    pub fn is_analysable(&self) -> bool {
        self.script.is_some()
    }

    /// The commands of the script; for exec form, the argv as one command
    /// (see [`RunInfo::exec`]); empty when not lexed.
    pub fn commands(&self) -> &[shell::Command] {
        self.script
            .as_ref()
            .map_or(self.exec.as_slice(), |s| s.commands.as_slice())
    }

    /// The Dockerfile span of `span`, a span of [`RunInfo::text`] (a command
    /// or word of the script). `inst` is this RUN's instruction. Exact for
    /// one-line RUNs, unchomped heredoc bodies and shell-form RUNs across
    /// continuation lines; `None` where the text was rebuilt (exec form
    /// `sh -c`, heredocs appended to a command line).
    pub fn file_span(&self, inst: &Instruction, span: Span) -> Option<Span> {
        if let Some(offset) = self.offset {
            return Some(Span::new(offset + span.start, offset + span.end));
        }
        match self.form {
            RunForm::Shell => inst.value_source_span(0, span.start..span.end),
            _ => None,
        }
    }
}

/// The kind of shell `argv` (a `SHELL` or the program of an exec form) is.
pub fn shell_kind(argv: &[String]) -> ShellKind {
    if shell::is_posix_shell(argv) {
        return ShellKind::Posix;
    }
    let prog = argv.first().map(String::as_str).unwrap_or_default();
    match shell::program_name(prog).as_str() {
        "powershell" | "pwsh" => ShellKind::PowerShell,
        "cmd" => ShellKind::Cmd,
        _ => ShellKind::Other,
    }
}

/// What a RUN runs, before variables: filled in by [`analyse`].
pub(super) struct RunContext<'a> {
    pub instruction: usize,
    pub stage: usize,
    /// The `SHELL` in effect (empty: the default).
    pub shell: &'a [String],
    pub env: Scope,
    pub user: Option<String>,
    pub workdir: Option<String>,
    pub mounts: Vec<Mount>,
}

/// Analyses one RUN: decides its form and shell, lexes its script once.
pub(super) fn analyse(inst: &Instruction, cx: RunContext<'_>) -> RunInfo {
    let shell_argv: Vec<String> = if cx.shell.is_empty() {
        DEFAULT_SHELL.iter().map(|s| (*s).to_string()).collect()
    } else {
        cx.shell.to_vec()
    };
    let mut info = RunInfo {
        instruction: cx.instruction,
        stage: cx.stage,
        form: RunForm::Shell,
        shell_kind: shell_kind(&shell_argv),
        shell: shell_argv,
        argv: Vec::new(),
        text: String::new(),
        offset: None,
        script: None,
        exec: Vec::new(),
        not_analysable: None,
        mounts: cx.mounts,
        network: inst.flag("network").map(str::to_string),
        security: inst.flag("security").map(str::to_string),
        env: cx.env,
        user: cx.user,
        workdir: cx.workdir,
    };

    if inst.json {
        info.form = RunForm::Exec;
        info.argv = inst.value.clone();
        info.shell = Vec::new();
        info.shell_kind = ShellKind::None;
        // `["sh", "-c", "script"]`: the script is shell text after all.
        if let [prog, flag, script, ..] = inst.value.as_slice()
            && flag == "-c"
            && shell::is_posix_shell(std::slice::from_ref(prog))
        {
            info.form = RunForm::ExecShell;
            info.shell = vec![prog.clone(), flag.clone()];
            info.shell_kind = ShellKind::Posix;
            info.text = script.clone();
            info.script = Some(shell::lex(script));
        } else if !inst.value.is_empty() {
            info.exec = vec![exec_command(&inst.value)];
        }
        return info;
    }

    let line = inst.value.join(" ");
    let single = inst.value.len() == 1 && inst.start_line == inst.end_line;
    let line_offset = inst
        .value_spans
        .first()
        .filter(|s| single && s.end.saturating_sub(s.start) == line.len())
        .map(|s| s.start);

    let bare_heredoc = inst.value.len() == 1
        && parse_heredoc(&line).ok().flatten().is_some()
        && !inst.heredocs.is_empty();
    if bare_heredoc && let Some(first) = inst.heredocs.first() {
        info.form = RunForm::Heredoc;
        let body = if first.chomp {
            chomp_heredoc_content(&first.content)
        } else {
            first.content.clone()
        };
        if !first.chomp {
            info.offset = Some(first.content_span.start);
        }
        // BuildKit runs a body starting with `#!` as a file, not via SHELL.
        if let Some(shebang) = body.strip_prefix("#!") {
            let interp: Vec<String> = shebang
                .lines()
                .next()
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect();
            info.shell_kind = shell_kind(&interp);
            info.shell = interp;
        }
        info.text = body;
    } else if inst.heredocs.is_empty() {
        info.text = line;
        info.offset = line_offset;
    } else {
        info.form = RunForm::ShellWithHeredocs;
        let mut text = line;
        for h in &inst.heredocs {
            text.push('\n');
            text.push_str(&h.content);
            text.push_str(&h.name);
        }
        info.text = text;
    }

    match info.shell_kind {
        ShellKind::Posix => info.script = Some(shell::lex(&info.text)),
        kind => {
            let what = match kind {
                ShellKind::PowerShell => "PowerShell",
                ShellKind::Cmd => "cmd.exe",
                _ => "a shell drydock cannot read",
            };
            info.not_analysable = Some(format!(
                "runs in {what} (`{}`), not a POSIX shell",
                info.shell.join(" ")
            ));
        }
    }
    info
}

// ---------------------------------------------------------------------------
// Serialization of the lexed script (the syntax types are not Serialize):
// a readable mirror with the parts the web app and CLI show.
// ---------------------------------------------------------------------------

fn serialize_script<S: Serializer>(script: &Option<Script>, s: S) -> Result<S::Ok, S::Error> {
    match script {
        None => s.serialize_none(),
        Some(script) => s.serialize_some(&ScriptView(script)),
    }
}

struct ScriptView<'a>(&'a Script);

impl Serialize for ScriptView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Script", 2)?;
        st.serialize_field("commands", &CommandsView(&self.0.commands))?;
        st.serialize_field("errors", &ErrorsView(self.0))?;
        st.end()
    }
}

struct CommandsView<'a>(&'a [shell::Command]);

impl Serialize for CommandsView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for c in self.0 {
            seq.serialize_element(&CommandView {
                span: c.span,
                argv: c.args().collect(),
                assignments: c
                    .assignments
                    .iter()
                    .map(|a| format!("{}={}", a.name, a.value.value))
                    .collect(),
                redirects: c.redirects.len(),
                after: format!("{:?}", c.after).to_ascii_lowercase(),
                piped: c.pipeline.is_piped(),
                nested: c.is_nested(),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct CommandView<'a> {
    span: crate::diagnostic::Span,
    argv: Vec<&'a str>,
    assignments: Vec<String>,
    redirects: usize,
    after: String,
    piped: bool,
    nested: bool,
}

struct ErrorsView<'a>(&'a Script);

impl Serialize for ErrorsView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.errors.len()))?;
        for e in &self.0.errors {
            seq.serialize_element(&(&e.message, e.span))?;
        }
        seq.end()
    }
}

/// An exec-form argv as one command of literal words (no shell: nothing is
/// expanded or split). Its spans are empty: findings on it point at the
/// instruction.
fn exec_command(argv: &[String]) -> shell::Command {
    let words = argv
        .iter()
        .map(|v| shell::Word {
            span: Span::default(),
            raw: v.clone(),
            value: v.clone(),
            has_expansion: false,
            quoted: true,
        })
        .collect();
    shell::Command {
        span: Span::default(),
        assignments: Vec::new(),
        argv: words,
        redirects: Vec::new(),
        after: shell::Separator::Start,
        pipeline: shell::PipePos::default(),
        negated: false,
        background: false,
        parent: None,
        substitution_depth: 0,
    }
}
