//! Queries over the RUN commands the model lexed once: which program a
//! command runs, its flags, its operands, and where a word is in the file.
//! Rules ask these questions; none of them re-reads shell text.

use crate::diagnostic::Span;
use crate::model::RunInfo;
use crate::rules::Context;
use crate::syntax::Instruction;
use crate::syntax::shell::{Command, ConstructKind, Script, Separator, Word, program_name};

/// A RUN with its instruction.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    pub info: &'a RunInfo,
    pub inst: &'a Instruction,
}

impl<'a> Run<'a> {
    /// The commands the RUN runs: the lexed script's, or for exec form its
    /// argv as one command of literal words (see [`crate::model::RunInfo::exec`]);
    /// none under a non-POSIX shell.
    pub fn commands(&self) -> &'a [Command] {
        self.info.commands()
    }

    /// The file span of `span` (a span in the lexed script) when the script
    /// maps verbatim onto the file; otherwise the instruction's span.
    pub fn span_of(&self, span: Span) -> Span {
        match self.info.offset {
            Some(offset) => Span {
                start: offset.saturating_add(span.start),
                end: offset.saturating_add(span.end),
            },
            None => self.inst.span,
        }
    }

    /// The file span of `span` (a span in the lexed script), also across
    /// continuation lines; the instruction's span where the script was
    /// rebuilt.
    pub fn locate(&self, span: Span) -> Span {
        self.info
            .file_span(self.inst, span)
            .unwrap_or(self.inst.span)
    }

    /// The commands a shell runs: the lexed script's, none for exec form.
    /// Rules about shell syntax (quoting, globs, `echo` escapes) use this,
    /// not [`Run::commands`]: an exec-form argv reaches no shell, so its
    /// `$(…)` and `*` are literal.
    pub fn shell_commands(&self) -> &'a [Command] {
        self.script().map_or(&[], |s| s.commands.as_slice())
    }

    /// The lexed script, if the RUN has one.
    pub fn script(&self) -> Option<&'a Script> {
        self.info.script.as_ref()
    }

    /// Whether the shell is bash, ksh or zsh (declaration builtins such as
    /// `export X=$v` do not split their assignments there), not `sh`.
    pub fn is_bash_like(&self) -> bool {
        self.info.shell.first().is_some_and(|p| {
            matches!(
                program_name(p).as_str(),
                "bash" | "ksh" | "zsh" | "ksh93" | "mksh"
            )
        })
    }

    /// Whether a `--mount=type=cache` targets `dir` (or a directory in it).
    pub fn caches(&self, dir: &str) -> bool {
        self.info.mounts.iter().any(|m| {
            m.kind == crate::model::MountType::Cache
                && m.target.as_deref().is_some_and(|t| {
                    let t = t.trim_end_matches('/');
                    let d = dir.trim_end_matches('/');
                    t == d || d.starts_with(&format!("{t}/"))
                })
        })
    }
}

/// Every RUN of the file, in order.
pub fn runs<'a>(cx: &'a Context<'_>) -> impl Iterator<Item = Run<'a>> + 'a {
    cx.model.runs.iter().filter_map(|info| {
        cx.file
            .instructions
            .get(info.instruction)
            .map(|inst| Run { info, inst })
    })
}

/// The base name of the program a command runs (`argv[0]` without its
/// directory), if it is a literal word.
pub fn program(cmd: &Command) -> Option<&str> {
    let word = cmd.argv.first()?;
    if word.has_expansion {
        return None;
    }
    let name = word.value.as_str();
    Some(name.rsplit('/').next().unwrap_or(name))
}

/// The arguments after the program name.
pub fn args(cmd: &Command) -> &[Word] {
    cmd.argv.get(1..).unwrap_or_default()
}

/// Whether the command has one of the long options `long` (`--name` or
/// `--name=value`) or one of the short letters `short` (alone or grouped:
/// `-qy`). Words after `--` are operands.
pub fn has_option(cmd: &Command, long: &[&str], short: &[char]) -> bool {
    has_option_in(args(cmd), long, short)
}

/// [`has_option`] over an argument list (the words after the program name).
pub fn has_option_in(words: &[Word], long: &[&str], short: &[char]) -> bool {
    for w in words {
        let v = w.value.as_str();
        if v == "--" {
            break;
        }
        if let Some(name) = v.strip_prefix("--") {
            let name = name.split('=').next().unwrap_or(name);
            if long.contains(&name) {
                return true;
            }
        } else if let Some(letters) = v.strip_prefix('-')
            && letters.chars().any(|c| short.contains(&c))
        {
            return true;
        }
    }
    false
}

/// The operands of a command: its arguments that are not options, skipping
/// the value of every option in `takes_value` (`-o value`, `--opt value`).
/// `--opt=value` and grouped short options are one word.
pub fn operands<'a>(cmd: &'a Command, takes_value: &[&str]) -> Vec<&'a Word> {
    operands_in(args(cmd), takes_value)
}

/// [`operands`] of an argument list (the words after the program name).
pub fn operands_in<'a>(words: &'a [Word], takes_value: &[&str]) -> Vec<&'a Word> {
    let mut out = Vec::new();
    let mut words = words.iter();
    let mut only_operands = false;
    while let Some(w) = words.next() {
        let v = w.value.as_str();
        if only_operands {
            out.push(w);
        } else if v == "--" {
            only_operands = true;
        } else if v.starts_with('-') && v.len() > 1 {
            if !v.contains('=') && takes_value.contains(&v) {
                words.next();
            }
        } else {
            out.push(w);
        }
    }
    out
}

/// For `tool [options] sub operands…`: the subcommand and the operands
/// after it.
pub fn subcommand<'a>(cmd: &'a Command, takes_value: &[&str]) -> Option<(&'a str, Vec<&'a Word>)> {
    let mut ops = operands(cmd, takes_value).into_iter();
    let sub = ops.next()?;
    Some((sub.value.as_str(), ops.collect()))
}

/// The package operands `extract` finds in `commands` that `pinned` does not
/// accept, or whose text comes from a command substitution.
pub fn unpinned_packages<'a>(
    commands: &'a [Command],
    extract: fn(&'a Command) -> Option<Vec<&'a Word>>,
    pinned: fn(&str) -> bool,
) -> Vec<&'a Word> {
    commands
        .iter()
        .filter_map(extract)
        .flatten()
        .filter(|w| !pinned(&w.value) || substituted(w))
        .collect()
}

/// `names` joined as `` `a`, `b` ``, at most `max` of them.
pub fn list(names: &[&str], max: usize) -> String {
    let mut shown: Vec<String> = names.iter().take(max).map(|n| format!("`{n}`")).collect();
    if names.len() > max {
        shown.push(format!("and {} more", names.len().saturating_sub(max)));
    }
    shown.join(", ")
}

/// Options of `apt-get` that take a value in the next word.
const APT_GET_VALUE_OPTIONS: &[&str] = &[
    "-o",
    "--option",
    "-t",
    "--target-release",
    "--default-release",
    "-c",
    "--config-file",
    "-a",
    "--host-architecture",
];

/// For `apt-get [options] install pkg…`: the package operands.
pub fn apt_get_install(cmd: &Command) -> Option<Vec<&Word>> {
    if program(cmd) != Some("apt-get") {
        return None;
    }
    let (sub, packages) = subcommand(cmd, APT_GET_VALUE_OPTIONS)?;
    (sub == "install").then_some(packages)
}

/// Options of `apk` that take a value in the next word.
const APK_VALUE_OPTIONS: &[&str] = &[
    "-t",
    "--virtual",
    "-X",
    "--repository",
    "-p",
    "--root",
    "--arch",
    "--cache-dir",
    "--keys-dir",
    "--repositories-file",
];

/// For `apk [options] add pkg…`: the package operands.
pub fn apk_add(cmd: &Command) -> Option<Vec<&Word>> {
    if program(cmd) != Some("apk") {
        return None;
    }
    let (sub, packages) = subcommand(cmd, APK_VALUE_OPTIONS)?;
    (sub == "add").then_some(packages)
}

/// Options of `pip install` that take a value in the next word.
const PIP_VALUE_OPTIONS: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--src",
    "--upgrade-strategy",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--trusted-host",
    "--cert",
    "--client-cert",
    "--cache-dir",
    "--progress-bar",
    "--log",
    "--proxy",
    "--retries",
    "--timeout",
    "--exists-action",
    "--global-option",
    "--install-option",
    "--no-binary",
    "--only-binary",
    "--config-settings",
    "-C",
];

/// Whether `name` is a pip executable: `pip`, `pip3`, `pip3.12`, `pip-3.6`.
fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip")
        .map(|v| v.strip_prefix('-').filter(|v| !v.is_empty()).unwrap_or(v))
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// For `pip …` or `python -m pip …` (the program `name` with `args`): the
/// words after `pip`.
pub fn pip_args<'a>(name: &str, args: &'a [Word]) -> Option<&'a [Word]> {
    if is_pip(name) {
        Some(args)
    } else if name.starts_with("python") {
        let i = args.iter().position(|w| w.value == "-m").filter(|&i| {
            args.get(i.saturating_add(1))
                .is_some_and(|w| is_pip(&w.value))
        })?;
        args.get(i.saturating_add(2)..)
    } else {
        None
    }
}

/// For `pip install …` or `python -m pip install …`: the words after
/// `install` (options and requirements).
pub fn pip_install(cmd: &Command) -> Option<&[Word]> {
    let rest = pip_args(program(cmd)?, args(cmd))?;
    // Global options before the subcommand are rare and take no values
    // except a few; skip words until `install`.
    let i = rest.iter().position(|w| !w.value.starts_with('-'))?;
    let sub = rest.get(i)?;
    (sub.value == "install").then(|| rest.get(i.saturating_add(1)..).unwrap_or_default())
}

/// The requirement operands of a `pip install` argument list.
pub fn pip_requirements(words: &[Word]) -> Vec<&Word> {
    let mut out = Vec::new();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        let v = w.value.as_str();
        if v.starts_with('-') && v.len() > 1 {
            if !v.contains('=') && PIP_VALUE_OPTIONS.contains(&v) {
                it.next();
            }
        } else {
            out.push(w);
        }
    }
    out
}

/// Whether a word is (or starts with) a command substitution, whose output
/// cannot be judged from the text: `$(…)`, `` `…` ``.
pub fn substituted(word: &Word) -> bool {
    word.raw.starts_with("$(") || word.raw.starts_with('`') || word.raw.starts_with("\"$(")
}

/// The RPM-family and SUSE package managers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RpmTool {
    Yum,
    Dnf,
    Microdnf,
    Zypper,
}

impl RpmTool {
    /// The tool a program name runs (`dnf5` and `tdnf` count as dnf).
    pub fn of(program: &str) -> Option<RpmTool> {
        match program {
            "yum" => Some(RpmTool::Yum),
            "dnf" | "dnf5" | "tdnf" => Some(RpmTool::Dnf),
            "microdnf" => Some(RpmTool::Microdnf),
            "zypper" => Some(RpmTool::Zypper),
            _ => None,
        }
    }

    /// The name to show in messages.
    pub fn name(self) -> &'static str {
        match self {
            RpmTool::Yum => "yum",
            RpmTool::Dnf => "dnf",
            RpmTool::Microdnf => "microdnf",
            RpmTool::Zypper => "zypper",
        }
    }
}

/// Options of yum/dnf/microdnf/zypper that take a value in the next word.
const RPM_VALUE_OPTIONS: &[&str] = &[
    "-c",
    "--config",
    "--installroot",
    "--releasever",
    "--setopt",
    "-x",
    "--exclude",
    "--enablerepo",
    "--disablerepo",
    "--repo",
    "--repoid",
    "-e",
    "-d",
    "--errorlevel",
    "--debuglevel",
    "-r",
    "-R",
    "--root",
    "--from",
    "--type",
    "-t",
    "--forcearch",
];

/// The `--setopt` settings of a yum/dnf command (`--setopt=key=value` or
/// `--setopt key=value`), each with its option word.
pub fn setopts(args: &[Word]) -> Vec<(&Word, &str)> {
    let mut out = Vec::new();
    for (i, w) in args.iter().enumerate() {
        let setting = match w.value.strip_prefix("--setopt") {
            Some("") => args.get(i.saturating_add(1)).map(|n| n.value.as_str()),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        out.extend(setting.map(|s| (w, s)));
    }
    out
}

/// For `yum|dnf|microdnf|zypper [options] sub operands…`: the tool, the
/// subcommand and its operands.
pub fn rpm_command(cmd: &Command) -> Option<(RpmTool, &str, Vec<&Word>)> {
    let tool = RpmTool::of(program(cmd)?)?;
    let (sub, ops) = subcommand(cmd, RPM_VALUE_OPTIONS)?;
    Some((tool, sub, ops))
}

/// For an install with yum/dnf/microdnf/zypper: the tool and the package
/// operands.
pub fn rpm_install(cmd: &Command) -> Option<(RpmTool, Vec<&Word>)> {
    let (tool, sub, ops) = rpm_command(cmd)?;
    let install = match tool {
        RpmTool::Zypper => matches!(sub, "install" | "in"),
        _ => matches!(sub, "install" | "groupinstall" | "localinstall"),
    };
    install.then_some((tool, ops))
}

/// Whether stage `index` ends up in the image: the final stage or one it is
/// built `FROM`. Builder stages only copied from are not.
pub fn ships(model: &crate::model::BuildModel, index: usize) -> bool {
    let mut stage = model.final_stage();
    while let Some(s) = stage {
        if s.index == index {
            return true;
        }
        stage = model.parent(s);
    }
    false
}

/// The declaration builtins, whose `NAME=value` arguments are assignments.
pub const DECLARATIONS: &[&str] = &["export", "local", "declare", "readonly", "typeset"];

/// For a `NAME=value` / `NAME+=value` word: the byte offset of `value` in
/// the raw word.
pub fn assignment_value_offset(word: &Word) -> Option<usize> {
    let raw = word.raw.as_str();
    let eq = raw.find('=')?;
    let name = raw.get(..eq)?;
    let name = name.strip_suffix('+').unwrap_or(name);
    let mut chars = name.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then_some(eq.saturating_add(1))
}

/// The words of `cmd` the shell splits and globs, each with the byte
/// offset in its raw text where that part starts: the command name when it
/// is more than one expansion alone, every argument, and of a declaration
/// builtin's `NAME=value` argument only the value — and none of it in bash,
/// ksh or zsh, which do not split there. Redirection targets are the
/// caller's (which ones count differs by rule).
pub fn split_words<'a>(run: &Run<'_>, cmd: &'a Command) -> Vec<(&'a Word, usize)> {
    let declaration = program(cmd).is_some_and(|p| DECLARATIONS.contains(&p));
    let mut words = Vec::new();
    if let Some(w) = cmd.argv.first()
        && crate::rules::word_parts::parts(&w.raw).len() > 1
    {
        words.push((w, 0));
    }
    for w in args(cmd) {
        match assignment_value_offset(w) {
            // `export X=$v`: not split in bash, split in sh.
            Some(_) if declaration && run.is_bash_like() => {}
            Some(at) if declaration => words.push((w, at)),
            _ => words.push((w, 0)),
        }
    }
    words
}

/// Whether the script turns on errexit anywhere (`set -e`, `set -eux`,
/// `set -o errexit`), as ShellCheck assumes for the whole script.
pub fn sets_errexit(commands: &[Command]) -> bool {
    commands.iter().any(|c| {
        program(c) == Some("set") && {
            let words: Vec<&str> = args(c).iter().map(|w| w.value.as_str()).collect();
            words.iter().any(|w| {
                w.strip_prefix('-')
                    .is_some_and(|f| !f.starts_with('-') && f.contains('e'))
            }) || words.windows(2).any(|p| p == ["-o", "errexit"])
        }
    })
}

/// The separator before whatever follows `cmd`'s pipeline in its list
/// (`&&`, `||`, `;`, newline…), or `None` when the pipeline is the last of
/// its list. `Start` means the next element begins a new list in the same
/// construct (after `then`, `do`, `else`).
pub fn next_separator(script: &Script, cmd: &Command) -> Option<Separator> {
    next_separator_after(script, cmd.parent, cmd.span.end)
}

/// [`next_separator`] for whatever ends at `end` in the list of the
/// construct `parent` (a command or a compound command).
pub fn next_separator_after(
    script: &Script,
    parent: Option<usize>,
    end: usize,
) -> Option<Separator> {
    let commands = script
        .commands
        .iter()
        .filter(|c| c.parent == parent && c.span.start >= end)
        .map(|c| (c.span.start, c.after));
    let constructs = script
        .constructs
        .iter()
        .filter(|c| c.parent == parent && !c.kind.is_substitution() && c.span.start >= end)
        .map(|c| (c.span.start, c.after));
    commands
        .chain(constructs)
        .filter(|(_, after)| *after != Separator::Pipe)
        .min_by_key(|(start, _)| *start)
        .map(|(_, after)| after)
}

/// Whether `cmd` sits directly in an `if`, `while` or `until` (its
/// condition or its body: the lexer does not tell them apart).
pub fn in_conditional(script: &Script, cmd: &Command) -> bool {
    cmd.parent
        .and_then(|i| script.constructs.get(i))
        .is_some_and(|c| {
            matches!(
                c.kind,
                ConstructKind::If | ConstructKind::While | ConstructKind::Until
            )
        })
}

/// The subcommand word of an `apt-get install`, `apk add` or
/// yum/dnf/microdnf/zypper install (where a fix inserts an option).
pub fn install_word(cmd: &Command) -> Option<&Word> {
    let takes_value = match program(cmd)? {
        "apt-get" => APT_GET_VALUE_OPTIONS,
        "apk" => APK_VALUE_OPTIONS,
        p if RpmTool::of(p).is_some() => RPM_VALUE_OPTIONS,
        _ => return None,
    };
    operands(cmd, takes_value).into_iter().next()
}
