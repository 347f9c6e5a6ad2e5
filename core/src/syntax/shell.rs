//! The RUN shell lexer: a POSIX-shell script (a shell-form `RUN`'s text, or
//! a heredoc body run as a script) split once into simple commands, so that
//! no rule ever re-parses shell text.
//!
//! Each [`Command`] has its leading `NAME=value` assignments, its argv
//! [`Word`]s and its [`Redirect`]s, each with a byte [`Span`] into the input;
//! how it is connected to what comes before it ([`Separator`]); its place in
//! a pipeline ([`PipePos`]); and the innermost [`Construct`] it sits in:
//! `( )`, `{ }`, `if`, `for`, `while`, `until`, `case`, `$( )` or backticks.
//! Commands inside command substitutions are extracted too
//! ([`Command::substitution_depth`] > 0).
//!
//! This is a lexer with just enough grammar to find commands, not a shell:
//! nothing is expanded, globbed or executed. The escape character is always
//! `\` (the Dockerfile's `# escape=` does not reach the shell). Whether the
//! RUN's shell is POSIX at all is the caller's call ([`is_posix_shell`]).
//!
//! What to pass: for `RUN cmd …` the instruction's text with continuations
//! joined (BuildKit's `value`); for `RUN <<EOF` alone, the heredoc body (it
//! runs as the script); for `RUN cmd <<EOF`, the line followed by each body
//! and its delimiter line, as the shell receives it — the lexer then attaches
//! each body to its `<<` redirection ([`Redirect::heredoc`]).
//!
//! **Invariants:** never panics; never fails (problems are reported in
//! [`Script::errors`] and lexing goes on); one pass, linear time; no
//! recursion — nesting lives on an explicit stack capped at
//! [`MAX_DEPTH`] lists (deeper input stops lexing with an error).

use crate::diagnostic::Span;

/// How many command lists (`( )`, `{ }`, `$( )`, `if`, …) may nest before
/// lexing stops with an error.
pub const MAX_DEPTH: usize = 256;

/// A lexed script.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    /// Every simple command, in source order of its first token (a command
    /// comes before the commands of its substitutions).
    pub commands: Vec<Command>,
    /// Every compound command and substitution, in order of opening.
    pub constructs: Vec<Construct>,
    /// Syntax problems met (unterminated quotes, stray keywords, …).
    pub errors: Vec<ShellError>,
}

/// One simple command: `A=1 B=2 cmd arg >file`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// From the first to the last token of the command.
    pub span: Span,
    /// Leading `NAME=value` / `NAME+=value` words.
    pub assignments: Vec<Assignment>,
    /// The command name and its arguments (may be empty: `A=1 >f`).
    pub argv: Vec<Word>,
    /// Redirections, wherever they appear in the command.
    pub redirects: Vec<Redirect>,
    /// The operator before this command (or its pipeline) in its list.
    pub after: Separator,
    /// Position in its pipeline (`index 0, len 1` when not piped).
    pub pipeline: PipePos,
    /// Preceded by `!`.
    pub negated: bool,
    /// Its pipeline is run in the background (`&`).
    pub background: bool,
    /// The innermost construct around it (index into [`Script::constructs`]).
    pub parent: Option<usize>,
    /// How many `$( )` / backticks / `<( )` enclose it.
    pub substitution_depth: usize,
}

impl Command {
    /// The command name's literal value (`argv[0]`), if any.
    pub fn name(&self) -> Option<&str> {
        self.argv.first().map(|w| w.value.as_str())
    }

    /// The literal values of argv.
    pub fn args(&self) -> impl Iterator<Item = &str> {
        self.argv.iter().map(|w| w.value.as_str())
    }

    /// Inside a command substitution (`$( )`, backticks, `<( )`).
    pub fn is_nested(&self) -> bool {
        self.substitution_depth > 0
    }
}

/// One shell word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub span: Span,
    /// The word exactly as written.
    pub raw: String,
    /// The word after quote removal and escape processing, with expansions
    /// (`$V`, `${…}`, `$(…)`, backticks, `$((…))`) kept as written.
    pub value: String,
    /// Contains an expansion that the shell would perform (unquoted or in
    /// double quotes), so `value` is not the final text.
    pub has_expansion: bool,
    /// Contains quoting (`'…'`, `"…"` or `\`).
    pub quoted: bool,
}

/// A leading `NAME=value` of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The whole `NAME=value` word.
    pub span: Span,
    pub name: String,
    /// `NAME+=value`.
    pub append: bool,
    /// The part after `=`.
    pub value: Word,
}

/// A redirection: `2>&1`, `>file`, `<<EOF`, …
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// From the IO number (or operator) to the end of the target.
    pub span: Span,
    /// The explicit file descriptor (`2` in `2>file`).
    pub fd: Option<u32>,
    pub op: RedirectOp,
    /// The file, descriptor or here-document delimiter (`None` if missing).
    pub target: Option<Word>,
    /// A here-document's body.
    pub heredoc: Option<HeredocBody>,
}

/// The here-document body of a `<<` / `<<-` redirection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeredocBody {
    /// The body's lines, without the closing delimiter line.
    pub span: Span,
    /// The delimiter was unquoted, so the body is expanded.
    pub expand: bool,
}

/// A redirection operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RedirectOp {
    /// `<`
    Input,
    /// `>`
    Output,
    /// `>>`
    Append,
    /// `>|`
    Clobber,
    /// `<>`
    ReadWrite,
    /// `<&`
    DupInput,
    /// `>&`
    DupOutput,
    /// `&>`
    OutputBoth,
    /// `&>>`
    AppendBoth,
    /// `<<`
    Heredoc,
    /// `<<-`
    HeredocStripTabs,
    /// `<<<`
    HereString,
}

/// What precedes a command or construct in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Separator {
    /// First in its list (the script, a body after `then`/`do`/`else`, a
    /// case arm, a group, a substitution).
    #[default]
    Start,
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;`
    Semicolon,
    /// A newline.
    Newline,
    /// `&` (the previous pipeline runs in the background).
    Background,
    /// `|` or `|&`: not first in its pipeline.
    Pipe,
}

/// Position in a pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PipePos {
    pub index: usize,
    pub len: usize,
}

impl Default for PipePos {
    fn default() -> Self {
        Self { index: 0, len: 1 }
    }
}

impl PipePos {
    /// Part of a pipeline of two or more.
    pub fn is_piped(self) -> bool {
        self.len > 1
    }
}

/// A compound command or a substitution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Construct {
    pub kind: ConstructKind,
    /// From the opening token to the closing one (or the end of input).
    pub span: Span,
    /// The enclosing construct.
    pub parent: Option<usize>,
    /// The operator before it (compound commands; `Start` for substitutions).
    pub after: Separator,
    /// Its position in a pipeline (compound commands).
    pub pipeline: PipePos,
    pub negated: bool,
    pub background: bool,
    /// Redirections after the closing keyword (`done < file`).
    pub redirects: Vec<Redirect>,
    /// The header's words: for `for NAME in w…` the loop variable then the
    /// words after `in` (only the variable without `in`); for `case W in`
    /// the subject `W`. Empty for other constructs.
    pub words: Vec<Word>,
    /// A `for` header with `in` (`for x; do` iterates over `"$@"`).
    pub has_in: bool,
}

/// The kind of a [`Construct`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConstructKind {
    /// `( … )`
    Subshell,
    /// `{ …; }`
    Group,
    /// `if … then … elif … else … fi`
    If,
    /// `while … do … done`
    While,
    /// `until … do … done`
    Until,
    /// `for NAME in …; do … done` (and `select`)
    For,
    /// `case WORD in … esac`
    Case,
    /// `$( … )`
    CommandSubstitution,
    /// `` `…` ``
    Backtick,
    /// `<( … )` / `>( … )`
    ProcessSubstitution,
}

impl ConstructKind {
    /// A substitution (its commands' output becomes text).
    pub fn is_substitution(self) -> bool {
        matches!(
            self,
            Self::CommandSubstitution | Self::Backtick | Self::ProcessSubstitution
        )
    }
}

/// A syntax problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellError {
    pub span: Span,
    pub message: String,
}

/// A program's name as a shell would look it up: the last path component
/// (`/` or `\\`), lower-cased, without `.exe` (`C:\\Tools\\PWSH.EXE` → `pwsh`).
pub fn program_name(program: &str) -> String {
    let base = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(program)
        .to_ascii_lowercase();
    match base.strip_suffix(".exe") {
        Some(stem) => stem.to_string(),
        None => base,
    }
}

/// Whether a RUN with this `SHELL` (its exec-form argv; empty for the
/// default `/bin/sh -c`) runs a POSIX-like shell this lexer understands.
/// PowerShell, `cmd` and anything unknown are not.
pub fn is_posix_shell(shell_argv: &[String]) -> bool {
    let mut args = shell_argv.iter().map(String::as_str);
    let Some(mut prog) = args.next() else {
        return true;
    };
    loop {
        let base = program_name(prog);
        let base = base.as_str();
        if base == "env" {
            // `/usr/bin/env [-S] bash …`: look at the program env runs.
            match args.find(|a| !a.starts_with('-') && !a.contains('=')) {
                Some(p) => {
                    prog = p;
                    continue;
                }
                None => return false,
            }
        }
        return matches!(
            base,
            "sh" | "bash"
                | "dash"
                | "ash"
                | "ksh"
                | "ksh93"
                | "mksh"
                | "pdksh"
                | "oksh"
                | "zsh"
                | "yash"
                | "posh"
                | "busybox"
                | "hush"
        ) || (base.starts_with("bash") && base.get(4..).is_some_and(is_version));
    }
}

fn is_version(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Lexes `script` (shell-form RUN text, continuations already joined, or a
/// heredoc body).
pub fn lex(script: &str) -> Script {
    let mut lx = Lx {
        src: script,
        b: script.as_bytes(),
        pos: 0,
        out: Script::default(),
        lists: vec![ListFrame::new(ListKind::Top, None, 0, Separator::Start)],
        words: Vec::new(),
        pending_heredocs: Vec::new(),
        heredoc_cursor: 0,
        subst_depth: 0,
        aborted: false,
    };
    lx.run();
    lx.out
}

// ---------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Top,
    Construct(ConstructKind),
}

/// Keyword-driven states of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KwState {
    Normal,
    /// After `for`/`select`: the variable name.
    ForName,
    /// After `for NAME`: `in`, `do`, `;` or a newline.
    ForIn,
    /// The words after `in`, up to `;` or a newline.
    ForWords,
    /// After the for header: `do` expected.
    ForDo,
    /// After `case`: the subject word.
    CaseWord,
    /// After the subject: `in` expected.
    CaseIn,
    /// Reading `pat | pat )` of a case arm.
    CasePattern,
}

#[derive(Debug, Clone, Copy)]
enum Elem {
    Cmd(usize),
    Construct(usize),
}

#[derive(Debug)]
struct CmdBuilder {
    start: usize,
    end: usize,
    assignments: Vec<Assignment>,
    argv: Vec<Word>,
    redirects: Vec<Redirect>,
    after: Separator,
    negated: bool,
    /// `[[ … ]]`: `&&`, `||`, `<`, `>`, `(`, `)` are words until `]]`.
    dbracket: bool,
}

#[derive(Debug)]
struct PendingRedirect {
    start: usize,
    fd: Option<u32>,
    op: RedirectOp,
}

#[derive(Debug)]
struct ListFrame {
    kind: ListKind,
    /// `Script::commands.len()` when the list opened.
    commands_at_open: usize,
    construct: Option<usize>,
    start: usize,
    cmd: Option<CmdBuilder>,
    redirect: Option<PendingRedirect>,
    next_after: Separator,
    pipe: Vec<Elem>,
    negate: bool,
    state: KwState,
    /// A compound command just closed: redirections attach to it.
    last_compound: Option<usize>,
}

impl ListFrame {
    fn new(kind: ListKind, construct: Option<usize>, start: usize, after: Separator) -> Self {
        Self {
            kind,
            commands_at_open: 0,
            construct,
            start,
            cmd: None,
            redirect: None,
            next_after: after,
            pipe: Vec::new(),
            negate: false,
            state: KwState::Normal,
            last_compound: None,
        }
    }

    fn is(&self, k: ConstructKind) -> bool {
        self.kind == ListKind::Construct(k)
    }

    /// The next word would be a command name (keywords are recognised).
    fn at_command_start(&self) -> bool {
        self.redirect.is_none()
            && self.last_compound.is_none()
            && self
                .cmd
                .as_ref()
                .is_none_or(|c| c.argv.is_empty() && c.assignments.is_empty())
    }

    fn in_dbracket(&self) -> bool {
        self.cmd.as_ref().is_some_and(|c| c.dbracket)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    DQuote,
    /// Inside `${ … }`.
    Param,
}

#[derive(Debug)]
struct WordFrame {
    /// `lists.len()` when the word started.
    depth: usize,
    start: usize,
    value: Vec<u8>,
    modes: Vec<Mode>,
    /// Inside `${…}`: the value gets the raw text from here when it closes.
    raw_from: Option<usize>,
    has_expansion: bool,
    quoted: bool,
    dbracket: bool,
    /// The last substitution closed in this word had no commands (e.g.
    /// `` `# comment` ``), and spans `(start, end)`.
    empty_subst: Option<(usize, usize)>,
}

impl WordFrame {
    fn push(&mut self, bytes: &[u8]) {
        if self.raw_from.is_none() {
            self.value.extend_from_slice(bytes);
        }
    }
}

#[derive(Debug)]
struct PendingHeredoc {
    /// Where the redirect lives once its command is finished.
    owner: Option<HeredocOwner>,
    delimiter: String,
    strip_tabs: bool,
    expand: bool,
}

#[derive(Debug, Clone, Copy)]
enum HeredocOwner {
    Command(usize, usize),
    Construct(usize, usize),
}

struct Lx<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    out: Script,
    /// Command lists, innermost last. Never empty while running.
    lists: Vec<ListFrame>,
    /// Words in progress, innermost last. A word belongs to the list at
    /// `depth - 1`; a substitution list opened inside it sits above it.
    words: Vec<WordFrame>,
    pending_heredocs: Vec<PendingHeredoc>,
    /// Pending here-documents before this index all have owners.
    heredoc_cursor: usize,
    subst_depth: usize,
    aborted: bool,
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

impl<'a> Lx<'a> {
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn peek(&self) -> Option<u8> {
        self.at(self.pos)
    }

    fn text(&self, s: usize, e: usize) -> &'a str {
        self.src.get(s..e).unwrap_or_default()
    }

    fn error(&mut self, start: usize, end: usize, message: impl Into<String>) {
        self.out.errors.push(ShellError {
            span: Span::new(start, end),
            message: message.into(),
        });
    }

    fn list(&mut self) -> Option<&mut ListFrame> {
        self.lists.last_mut()
    }

    fn in_word(&self) -> bool {
        self.words
            .last()
            .is_some_and(|w| w.depth == self.lists.len())
    }

    fn run(&mut self) {
        while !self.aborted {
            let before = (self.pos, self.lists.len(), self.words.len());
            if self.in_word() {
                if !self.word_step() {
                    // End of input inside a word.
                    self.finish_word_at_eof();
                }
            } else if self.peek().is_none() {
                if self.lists.len() <= 1 {
                    break;
                }
                self.close_list_at_eof();
            } else {
                self.list_step();
            }
            // Every step consumes input or changes the stack; guard anyway.
            if before == (self.pos, self.lists.len(), self.words.len()) {
                self.pos += 1;
            }
        }
        // Finish the top-level list.
        while self.in_word() {
            self.finish_word_at_eof();
        }
        while self.lists.len() > 1 {
            self.close_list_at_eof();
        }
        self.end_pipeline(Separator::Start);
        // Commands are pushed when they end (inner ones first); report them
        // in source order. Nothing refers to command indices any more.
        self.out.commands.sort_by_key(|c| c.span.start);
        if let Some(p) = self.pending_heredocs.first() {
            let msg = format!("here-document delimited by '{}' has no body", p.delimiter);
            self.error(self.b.len(), self.b.len(), msg);
        }
    }

    // ----- list level -------------------------------------------------------

    fn list_step(&mut self) {
        let Some(c) = self.peek() else { return };
        let next = self.at(self.pos + 1);
        let dbracket = self.lists.last().is_some_and(ListFrame::in_dbracket);
        match c {
            b' ' | b'\t' | b'\r' => self.pos += 1,
            b'\\' if next == Some(b'\n') => self.pos += 2,
            b'#' => {
                // A comment ends at the newline, or at the closing backtick
                // (the shell finds a backtick's end before parsing inside).
                let backtick = self.innermost_is(ConstructKind::Backtick);
                while self
                    .peek()
                    .is_some_and(|c| c != b'\n' && !(backtick && c == b'`'))
                {
                    self.pos += 1;
                }
            }
            b'\n' => {
                self.pos += 1;
                self.separator(Separator::Newline);
                self.read_heredoc_bodies();
            }
            b'`' if self.innermost_is(ConstructKind::Backtick) => {
                self.pos += 1;
                self.close_list(self.pos);
            }
            b'&' if next == Some(b'&') && !dbracket => {
                self.pos += 2;
                self.separator(Separator::And);
            }
            b'|' if next == Some(b'|') && !dbracket => {
                self.pos += 2;
                self.separator(Separator::Or);
            }
            b';' if next == Some(b';') => {
                let len = if self.at(self.pos + 2) == Some(b'&') {
                    3
                } else {
                    2
                };
                self.pos += len;
                self.case_arm_end();
            }
            b';' if next == Some(b'&') => {
                self.pos += 2;
                self.case_arm_end();
            }
            b';' => {
                self.pos += 1;
                self.separator(Separator::Semicolon);
            }
            b'|' if !dbracket => {
                self.pos += if next == Some(b'&') { 2 } else { 1 };
                self.pipe();
            }
            b'&' if next == Some(b'>') => {
                let start = self.pos;
                let append = self.at(self.pos + 2) == Some(b'>');
                self.pos += if append { 3 } else { 2 };
                let op = if append {
                    RedirectOp::AppendBoth
                } else {
                    RedirectOp::OutputBoth
                };
                self.start_redirect(start, None, op);
            }
            b'&' if !dbracket => {
                self.pos += 1;
                self.separator(Separator::Background);
            }
            b'(' if !dbracket => self.open_paren(),
            b')' if !dbracket => {
                self.pos += 1;
                self.close_paren();
            }
            b'<' | b'>' if next == Some(b'(') => self.start_word(),
            b'<' | b'>' if !dbracket => {
                let start = self.pos;
                self.redirect_op(start, None);
            }
            b'0'..=b'9' => {
                let mut i = self.pos;
                while self.at(i).is_some_and(|c| c.is_ascii_digit()) {
                    i += 1;
                }
                if matches!(self.at(i), Some(b'<' | b'>')) && self.at(i + 1) != Some(b'(') {
                    let fd = self.text(self.pos, i).parse().ok();
                    let start = self.pos;
                    self.pos = i;
                    self.redirect_op(start, fd);
                } else {
                    self.start_word();
                }
            }
            _ => self.start_word(),
        }
    }

    fn innermost_is(&self, k: ConstructKind) -> bool {
        self.lists.last().is_some_and(|l| l.is(k))
    }

    /// At `<` or `>` (after any IO number).
    fn redirect_op(&mut self, start: usize, fd: Option<u32>) {
        let rest = self.b.get(self.pos..).unwrap_or_default();
        let (op, len) = match rest {
            [b'<', b'<', b'<', ..] => (RedirectOp::HereString, 3),
            [b'<', b'<', b'-', ..] => (RedirectOp::HeredocStripTabs, 3),
            [b'<', b'<', ..] => (RedirectOp::Heredoc, 2),
            [b'<', b'&', ..] => (RedirectOp::DupInput, 2),
            [b'<', b'>', ..] => (RedirectOp::ReadWrite, 2),
            [b'<', ..] => (RedirectOp::Input, 1),
            [b'>', b'>', ..] => (RedirectOp::Append, 2),
            [b'>', b'&', ..] => (RedirectOp::DupOutput, 2),
            [b'>', b'|', ..] => (RedirectOp::Clobber, 2),
            _ => (RedirectOp::Output, 1),
        };
        self.pos += len;
        self.start_redirect(start, fd, op);
    }

    fn start_redirect(&mut self, start: usize, fd: Option<u32>, op: RedirectOp) {
        if let Some(r) = self.list().and_then(|l| l.redirect.take()) {
            self.error(r.start, start, "redirection without a target");
        }
        let in_compound = self.lists.last().is_some_and(|l| l.last_compound.is_some());
        if !in_compound {
            self.ensure_cmd(start);
        }
        if let Some(l) = self.list() {
            l.redirect = Some(PendingRedirect { start, fd, op });
        }
    }

    fn ensure_cmd(&mut self, start: usize) {
        let Some(l) = self.lists.last_mut() else {
            return;
        };
        if l.cmd.is_none() {
            let after = l.next_after;
            let negated = std::mem::take(&mut l.negate);
            l.cmd = Some(CmdBuilder {
                start,
                end: start,
                assignments: Vec::new(),
                argv: Vec::new(),
                redirects: Vec::new(),
                after,
                negated,
                dbracket: false,
            });
        }
    }

    fn start_word(&mut self) {
        let dbracket = self.lists.last().is_some_and(ListFrame::in_dbracket);
        self.words.push(WordFrame {
            depth: self.lists.len(),
            start: self.pos,
            value: Vec::new(),
            modes: Vec::new(),
            raw_from: None,
            has_expansion: false,
            quoted: false,
            dbracket,
            empty_subst: None,
        });
    }

    /// Ends the current simple command, if any, adding it to the pipeline.
    fn finish_cmd(&mut self) {
        let parent = self.innermost_construct();
        let depth = self.subst_depth;
        let Some(l) = self.lists.last_mut() else {
            return;
        };
        if let Some(r) = l.redirect.take() {
            self.out.errors.push(ShellError {
                span: Span::new(r.start, self.pos),
                message: "redirection without a target".into(),
            });
        }
        let Some(c) = l.cmd.take() else {
            return;
        };
        if c.argv.is_empty() && c.assignments.is_empty() && c.redirects.is_empty() {
            return;
        }
        let idx = self.out.commands.len();
        // Its here-document redirects own the oldest unowned bodies, in order.
        for (ri, r) in c.redirects.iter().enumerate() {
            if !is_heredoc_op(r.op) {
                continue;
            }
            while self
                .pending_heredocs
                .get(self.heredoc_cursor)
                .is_some_and(|p| p.owner.is_some())
            {
                self.heredoc_cursor += 1;
            }
            if let Some(p) = self.pending_heredocs.get_mut(self.heredoc_cursor) {
                p.owner = Some(HeredocOwner::Command(idx, ri));
                self.heredoc_cursor += 1;
            }
        }
        self.out.commands.push(Command {
            span: Span::new(c.start, c.end),
            assignments: c.assignments,
            argv: c.argv,
            redirects: c.redirects,
            after: c.after,
            pipeline: PipePos::default(),
            negated: c.negated,
            background: false,
            parent,
            substitution_depth: depth,
        });
        if let Some(l) = self.lists.last_mut() {
            l.pipe.push(Elem::Cmd(idx));
        }
    }

    fn innermost_construct(&self) -> Option<usize> {
        self.lists.iter().rev().find_map(|l| l.construct)
    }

    /// Ends the current pipeline: fixes positions, marks `&`.
    fn end_pipeline(&mut self, sep: Separator) {
        self.finish_cmd();
        let Some(l) = self.lists.last_mut() else {
            return;
        };
        l.last_compound = None;
        let pipe = std::mem::take(&mut l.pipe);
        let len = pipe.len();
        let background = sep == Separator::Background;
        for (index, e) in pipe.into_iter().enumerate() {
            let pos = PipePos { index, len };
            match e {
                Elem::Cmd(i) => {
                    if let Some(c) = self.out.commands.get_mut(i) {
                        c.pipeline = pos;
                        c.background = background;
                    }
                }
                Elem::Construct(i) => {
                    if let Some(c) = self.out.constructs.get_mut(i) {
                        c.pipeline = pos;
                        c.background = background;
                    }
                }
            }
        }
    }

    fn separator(&mut self, sep: Separator) {
        let Some(l) = self.lists.last() else { return };
        match l.state {
            KwState::ForName | KwState::ForIn | KwState::ForWords => {
                if let Some(l) = self.list() {
                    l.state = KwState::ForDo;
                }
                return;
            }
            KwState::ForDo | KwState::CaseWord | KwState::CaseIn | KwState::CasePattern => {
                if sep != Separator::Newline {
                    self.error(self.pos - 1, self.pos, "unexpected separator");
                }
                return;
            }
            KwState::Normal => {}
        }
        let idle = l.cmd.is_none() && l.redirect.is_none() && l.last_compound.is_none();
        if sep == Separator::Newline
            && idle
            && (l.pipe.is_empty() || l.next_after == Separator::Pipe)
        {
            // A blank line, or a newline after `&&`, `||`, `|`: whitespace.
            return;
        }
        if idle
            && l.pipe.is_empty()
            && sep != Separator::Newline
            && !l.negate
            && matches!(
                l.next_after,
                Separator::And | Separator::Or | Separator::Pipe
            )
        {
            self.error(self.pos.saturating_sub(2), self.pos, "missing command");
        }
        self.end_pipeline(sep);
        if let Some(l) = self.list() {
            l.next_after = sep;
        }
    }

    fn pipe(&mut self) {
        self.finish_cmd();
        if let Some(l) = self.list() {
            l.last_compound = None;
            l.next_after = Separator::Pipe;
        }
    }

    fn case_arm_end(&mut self) {
        if self.innermost_is(ConstructKind::Case) {
            self.end_pipeline(Separator::Start);
            if let Some(l) = self.list() {
                l.state = KwState::CasePattern;
                l.next_after = Separator::Start;
            }
        } else {
            self.error(self.pos.saturating_sub(2), self.pos, "';;' outside 'case'");
            self.separator(Separator::Semicolon);
        }
    }

    fn open_paren(&mut self) {
        let start = self.pos;
        let state = self.lists.last().map(|l| l.state);
        if state == Some(KwState::CasePattern) {
            // Optional `(` before a case pattern.
            self.pos += 1;
            return;
        }
        let at_start = self.lists.last().is_some_and(ListFrame::at_command_start);
        // `name ( )`: a function definition; its body follows.
        let func = self
            .lists
            .last()
            .and_then(|l| l.cmd.as_ref())
            .is_some_and(|c| {
                c.argv.len() == 1 && c.assignments.is_empty() && c.redirects.is_empty()
            });
        if func {
            let mut i = self.pos + 1;
            while matches!(self.at(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            if self.at(i) == Some(b')') {
                self.pos = i + 1;
                if let Some(l) = self.list() {
                    l.cmd = None;
                }
                return;
            }
        }
        if at_start && self.at(self.pos + 1) == Some(b'(') {
            // `(( arithmetic ))` as a command.
            let end = self.arith_end(start, self.pos + 2);
            self.ensure_cmd(start);
            self.pos = end;
            let w = Word {
                span: Span::new(start, end),
                raw: self.text(start, end).to_owned(),
                value: self.text(start, end).to_owned(),
                has_expansion: true,
                quoted: false,
            };
            if let Some(c) = self.list().and_then(|l| l.cmd.as_mut()) {
                c.end = end;
                c.argv.push(w);
            }
            return;
        }
        if self.array_assignment() {
            return;
        }
        if !at_start {
            self.error(start, start + 1, "unexpected '('");
            self.end_pipeline(Separator::Semicolon);
        }
        self.pos += 1;
        self.open_compound(ConstructKind::Subshell, start);
    }

    /// At `(` right after `NAME=`: a bash array `NAME=(a "b c")` becomes part
    /// of the assignment's value. Returns `false` if this is not one.
    fn array_assignment(&mut self) -> bool {
        let pos = self.pos;
        let is_array = self.at(pos.wrapping_sub(1)) == Some(b'=')
            && self
                .lists
                .last()
                .and_then(|l| l.cmd.as_ref())
                .and_then(|c| c.assignments.last())
                .is_some_and(|a| a.span.end == pos && c_argv_empty(&self.lists));
        if !is_array {
            return false;
        }
        let mut depth = 0usize;
        let mut i = pos;
        while let Some(c) = self.at(i) {
            match c {
                b'\\' => i += 1,
                b'\'' | b'"' => {
                    let mut j = i + 1;
                    while let Some(d) = self.at(j) {
                        if d == c {
                            break;
                        }
                        if d == b'\\' && c == b'"' {
                            j += 1;
                        }
                        j += 1;
                    }
                    i = j;
                }
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        let end = (i + 1).min(self.b.len());
        if self.at(i).is_none() {
            self.error(pos, end, "unterminated array");
        }
        let text = self.text(pos, end);
        self.pos = end;
        if let Some(c) = self.list().and_then(|l| l.cmd.as_mut())
            && let Some(a) = c.assignments.last_mut()
        {
            a.span.end = end;
            a.value.span.end = end;
            a.value.raw.push_str(text);
            a.value.value.push_str(text);
            a.value.has_expansion |= text.contains('$') || text.contains('`');
            c.end = end;
        }
        true
    }

    /// Index just past the `))` closing an arithmetic expression whose
    /// body starts at `from` (or the end of input); `open` is where its
    /// `((` or `$((` starts, for the error when it is unterminated.
    fn arith_end(&mut self, open: usize, from: usize) -> usize {
        let mut depth = 0usize;
        let mut i = from;
        while let Some(c) = self.at(i) {
            match c {
                b'(' => depth += 1,
                b')' if depth > 0 => depth -= 1,
                b')' if self.at(i + 1) == Some(b')') => return i + 2,
                _ => {}
            }
            i += 1;
        }
        self.error(open, self.b.len(), "unterminated '(('");
        self.b.len()
    }

    fn close_paren(&mut self) {
        let close_end = self.pos;
        let Some(l) = self.lists.last() else { return };
        if l.state == KwState::CasePattern {
            if let Some(l) = self.list() {
                l.state = KwState::Normal;
                l.next_after = Separator::Start;
            }
            return;
        }
        let kind = match l.kind {
            ListKind::Construct(k) => Some(k),
            ListKind::Top => None,
        };
        match kind {
            Some(
                ConstructKind::Subshell
                | ConstructKind::CommandSubstitution
                | ConstructKind::ProcessSubstitution,
            ) => self.close_list(close_end),
            _ => {
                // Recover: close an enclosing subshell if there is one
                // within this substitution level.
                if self.find_open(|k| {
                    matches!(
                        k,
                        ConstructKind::Subshell
                            | ConstructKind::CommandSubstitution
                            | ConstructKind::ProcessSubstitution
                    )
                }) {
                    self.unclosed_until(|k| {
                        matches!(
                            k,
                            ConstructKind::Subshell
                                | ConstructKind::CommandSubstitution
                                | ConstructKind::ProcessSubstitution
                        )
                    });
                    self.close_list(close_end);
                } else {
                    self.error(close_end - 1, close_end, "unmatched ')'");
                }
            }
        }
    }

    /// Whether a list of a kind matching `want` is open, looking outwards
    /// but not past a substitution boundary (which is checked itself).
    fn find_open(&self, want: impl Fn(ConstructKind) -> bool) -> bool {
        for l in self.lists.iter().rev() {
            match l.kind {
                ListKind::Top => return false,
                ListKind::Construct(k) if want(k) => return true,
                ListKind::Construct(k) if k.is_substitution() => return false,
                ListKind::Construct(_) => {}
            }
        }
        false
    }

    /// Force-closes inner lists until one matching `want` is innermost.
    fn unclosed_until(&mut self, want: impl Fn(ConstructKind) -> bool) {
        while let Some(l) = self.lists.last() {
            match l.kind {
                ListKind::Construct(k) if !want(k) && !k.is_substitution() => {
                    let msg = format!("unclosed {}", kind_name(k));
                    self.error(l.start, self.pos, msg);
                    self.close_list(self.pos);
                }
                _ => break,
            }
        }
    }

    fn open_compound(&mut self, kind: ConstructKind, start: usize) {
        if self.lists.len() >= MAX_DEPTH {
            self.error(
                start,
                self.b.len(),
                format!("nesting deeper than {MAX_DEPTH}"),
            );
            self.aborted = true;
            // The word being read was opening this construct: it holds a
            // substitution (or worse) that was cut off, so it is not plain.
            if kind.is_substitution()
                && let Some(w) = self.words.last_mut()
            {
                w.has_expansion = true;
            }
            return;
        }
        let substitution = kind.is_substitution();
        let parent = self.innermost_construct();
        let (after, negated) = match self.lists.last_mut() {
            Some(l) if !substitution => (l.next_after, std::mem::take(&mut l.negate)),
            _ => (Separator::Start, false),
        };
        let idx = self.out.constructs.len();
        self.out.constructs.push(Construct {
            kind,
            span: Span::new(start, start),
            parent,
            after,
            pipeline: PipePos::default(),
            negated,
            background: false,
            redirects: Vec::new(),
            words: Vec::new(),
            has_in: false,
        });
        if !substitution && let Some(l) = self.list() {
            l.pipe.push(Elem::Construct(idx));
        }
        if substitution {
            self.subst_depth += 1;
        }
        let mut frame = ListFrame::new(
            ListKind::Construct(kind),
            Some(idx),
            start,
            Separator::Start,
        );
        frame.commands_at_open = self.out.commands.len();
        frame.state = match kind {
            ConstructKind::For => KwState::ForName,
            ConstructKind::Case => KwState::CaseWord,
            _ => KwState::Normal,
        };
        self.lists.push(frame);
    }

    /// Closes the innermost list at `end` (just past its closing token).
    fn close_list(&mut self, end: usize) {
        if self.lists.len() <= 1 {
            return;
        }
        // Any word in progress inside this list has been finished by now.
        self.end_pipeline(Separator::Start);
        let Some(frame) = self.lists.pop() else {
            return;
        };
        let ListKind::Construct(kind) = frame.kind else {
            return;
        };
        if let Some(c) = frame.construct.and_then(|i| self.out.constructs.get_mut(i)) {
            c.span = Span::new(frame.start, end);
        }
        if kind.is_substitution() {
            self.subst_depth = self.subst_depth.saturating_sub(1);
            // Back in the word that contains the substitution.
            let raw = self.text(frame.start, end).as_bytes();
            let empty = self.out.commands.len() == frame.commands_at_open;
            if let Some(w) = self.words.last_mut() {
                w.push(raw);
                w.has_expansion = true;
                w.empty_subst = empty.then_some((frame.start, end));
            }
        } else if let Some(l) = self.lists.last_mut() {
            l.last_compound = frame.construct;
        }
    }

    fn close_list_at_eof(&mut self) {
        if let Some(l) = self.lists.last()
            && let ListKind::Construct(k) = l.kind
        {
            let msg = format!("unclosed {}", kind_name(k));
            self.error(l.start, self.b.len(), msg);
        }
        self.close_list(self.b.len());
    }

    // ----- words -------------------------------------------------------------

    /// Reads word characters. Returns `false` at the end of input.
    fn word_step(&mut self) -> bool {
        loop {
            let Some(c) = self.peek() else {
                return false;
            };
            let next = self.at(self.pos + 1);
            let Some(w) = self.words.last() else {
                return true;
            };
            let mode = w.modes.last().copied();
            let in_backtick = self.innermost_is(ConstructKind::Backtick);
            match mode {
                None => match c {
                    b' ' | b'\t' | b'\r' | b'\n' | b';' => {
                        self.end_word();
                        return true;
                    }
                    b'&' | b'|' | b'(' | b')' | b'<' | b'>' if !w.dbracket => {
                        if matches!(c, b'<' | b'>') && next == Some(b'(') && self.pos == w.start {
                            let start = self.pos;
                            self.pos += 2;
                            self.open_compound(ConstructKind::ProcessSubstitution, start);
                            return true;
                        }
                        self.end_word();
                        return true;
                    }
                    b'`' => {
                        if in_backtick {
                            self.end_word();
                        } else {
                            self.open_backtick();
                        }
                        return true;
                    }
                    b'\\' => self.escape_unquoted(next),
                    b'\'' => self.single_quote(),
                    b'"' => {
                        self.pos += 1;
                        if let Some(w) = self.words.last_mut() {
                            w.quoted = true;
                            w.modes.push(Mode::DQuote);
                        }
                    }
                    b'$' => {
                        if self.dollar(false) {
                            return true;
                        }
                    }
                    _ => self.literal(),
                },
                Some(Mode::DQuote) => match c {
                    b'"' => {
                        self.pos += 1;
                        self.pop_mode();
                    }
                    b'\\' => {
                        let n = match next {
                            Some(b'\n') => {
                                self.pos += 2;
                                continue;
                            }
                            Some(n @ (b'$' | b'`' | b'"' | b'\\')) => vec![n],
                            _ => vec![b'\\'],
                        };
                        self.pos += if n == [b'\\'] && next != Some(b'\\') {
                            1
                        } else {
                            2
                        };
                        if let Some(w) = self.words.last_mut() {
                            w.push(&n);
                        }
                    }
                    b'$' => {
                        if self.dollar(true) {
                            return true;
                        }
                    }
                    b'`' => {
                        if in_backtick {
                            self.error(self.pos, self.pos + 1, "unterminated double quote");
                            self.end_word();
                        } else {
                            self.open_backtick();
                        }
                        return true;
                    }
                    _ => self.literal(),
                },
                Some(Mode::Param) => match c {
                    b'}' => {
                        self.pos += 1;
                        self.pop_mode();
                    }
                    b'\\' => self.pos = (self.pos + 2).min(self.b.len()),
                    b'\'' if !w.modes.contains(&Mode::DQuote) => self.single_quote(),
                    b'"' => {
                        self.pos += 1;
                        if let Some(w) = self.words.last_mut() {
                            w.modes.push(Mode::DQuote);
                        }
                    }
                    b'$' => {
                        if self.dollar(true) {
                            return true;
                        }
                    }
                    b'`' => {
                        if in_backtick {
                            self.error(self.pos, self.pos + 1, "unterminated '${'");
                            self.end_word();
                        } else {
                            self.open_backtick();
                        }
                        return true;
                    }
                    _ => self.pos += 1,
                },
            }
        }
    }

    /// Copies a run of ordinary bytes into the word.
    fn literal(&mut self) {
        let start = self.pos;
        let mode = self.words.last().and_then(|w| w.modes.last().copied());
        self.pos += 1;
        while let Some(c) = self.peek() {
            let special = match mode {
                None => {
                    matches!(
                        c,
                        b' ' | b'\t'
                            | b'\r'
                            | b'\n'
                            | b';'
                            | b'&'
                            | b'|'
                            | b'('
                            | b')'
                            | b'<'
                            | b'>'
                            | b'`'
                            | b'\\'
                            | b'\''
                            | b'"'
                            | b'$'
                    )
                }
                _ => matches!(c, b'"' | b'\\' | b'$' | b'`'),
            };
            if special {
                break;
            }
            self.pos += 1;
        }
        let bytes = self.b.get(start..self.pos).unwrap_or_default();
        if let Some(w) = self.words.last_mut() {
            w.push(bytes);
        }
    }

    fn escape_unquoted(&mut self, next: Option<u8>) {
        match next {
            Some(b'\n') => self.pos += 2,
            Some(_) => {
                // Copy the whole escaped character (it may be multi-byte).
                let start = self.pos + 1;
                let len = self
                    .src
                    .get(start..)
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8);
                self.pos = start + len;
                let bytes = self.b.get(start..self.pos).unwrap_or_default();
                if let Some(w) = self.words.last_mut() {
                    w.quoted = true;
                    w.push(bytes);
                }
            }
            None => {
                self.pos += 1;
                if let Some(w) = self.words.last_mut() {
                    w.push(b"\\");
                }
            }
        }
    }

    fn single_quote(&mut self) {
        let start = self.pos;
        let body = start + 1;
        let end = match self
            .b
            .get(body..)
            .and_then(|r| r.iter().position(|&c| c == b'\''))
        {
            Some(i) => body + i,
            None => {
                self.error(start, self.b.len(), "unterminated single quote");
                self.b.len()
            }
        };
        self.pos = (end + 1).min(self.b.len());
        let bytes = self.b.get(body..end).unwrap_or_default();
        if let Some(w) = self.words.last_mut() {
            w.quoted = true;
            w.push(bytes);
        }
    }

    fn pop_mode(&mut self) {
        let pos = self.pos;
        let mut raw = None;
        if let Some(w) = self.words.last_mut() {
            let popped = w.modes.pop();
            if popped == Some(Mode::Param)
                && !w.modes.contains(&Mode::Param)
                && let Some(from) = w.raw_from.take()
            {
                raw = Some(from);
            }
        }
        if let Some(from) = raw {
            let bytes = self.b.get(from..pos).unwrap_or_default();
            if let Some(w) = self.words.last_mut() {
                w.push(bytes);
            }
        }
    }

    /// At `$`. Returns `true` when a substitution list was opened (the
    /// caller must return to the main loop).
    fn dollar(&mut self, in_quotes: bool) -> bool {
        let start = self.pos;
        let next = self.at(start + 1);
        match next {
            Some(b'{') => {
                self.pos += 2;
                if let Some(w) = self.words.last_mut() {
                    w.has_expansion = true;
                    if w.raw_from.is_none() {
                        w.raw_from = Some(start);
                    }
                    w.modes.push(Mode::Param);
                }
                false
            }
            Some(b'(') if self.at(start + 2) == Some(b'(') => {
                let end = self.arith_end(start, start + 3);
                self.pos = end;
                let bytes = self.b.get(start..end).unwrap_or_default();
                if let Some(w) = self.words.last_mut() {
                    w.has_expansion = true;
                    w.push(bytes);
                }
                false
            }
            Some(b'(') => {
                self.pos += 2;
                self.open_compound(ConstructKind::CommandSubstitution, start);
                true
            }
            Some(b'\'') if !in_quotes => {
                // $'…' (ANSI-C quoting): `\'` does not end it; the text is
                // kept as written.
                let body = start + 2;
                let mut i = body;
                while let Some(c) = self.at(i) {
                    match c {
                        b'\\' => i += 2,
                        b'\'' => break,
                        _ => i += 1,
                    }
                }
                let end = i.min(self.b.len());
                if self.at(end).is_none() {
                    self.error(start, self.b.len(), "unterminated single quote");
                }
                self.pos = (end + 1).min(self.b.len());
                let bytes = self.b.get(body..end).unwrap_or_default();
                if let Some(w) = self.words.last_mut() {
                    w.quoted = true;
                    w.push(bytes);
                }
                false
            }
            Some(b'"') if !in_quotes => {
                // $"…" (locale translation): a double-quoted string.
                self.pos += 1;
                false
            }
            Some(c) if is_name_start(c) => {
                let mut i = start + 2;
                while self.at(i).is_some_and(is_name_char) {
                    i += 1;
                }
                self.expansion(start, i);
                false
            }
            Some(c) if c.is_ascii_digit() || b"@*#?-$!".contains(&c) => {
                self.expansion(start, start + 2);
                false
            }
            _ => {
                self.pos += 1;
                if let Some(w) = self.words.last_mut() {
                    w.push(b"$");
                }
                false
            }
        }
    }

    fn expansion(&mut self, start: usize, end: usize) {
        self.pos = end;
        let bytes = self.b.get(start..end).unwrap_or_default();
        if let Some(w) = self.words.last_mut() {
            w.has_expansion = true;
            w.push(bytes);
        }
    }

    fn open_backtick(&mut self) {
        let start = self.pos;
        self.pos += 1;
        self.open_compound(ConstructKind::Backtick, start);
    }

    fn finish_word_at_eof(&mut self) {
        if let Some(w) = self.words.last() {
            let start = w.start;
            match w.modes.last() {
                Some(Mode::DQuote) => self.error(start, self.b.len(), "unterminated double quote"),
                Some(Mode::Param) => self.error(start, self.b.len(), "unterminated '${'"),
                None => {}
            }
        }
        // An unterminated `${` still contributes its text.
        if let Some(w) = self.words.last_mut() {
            w.modes.clear();
            if let Some(from) = w.raw_from.take() {
                let bytes = self.b.get(from..).unwrap_or_default();
                w.value.extend_from_slice(bytes);
            }
        }
        self.end_word();
    }

    /// The word in progress ends at `self.pos`; hand it to its list.
    fn end_word(&mut self) {
        let Some(w) = self.words.pop() else { return };
        if !w.quoted && w.empty_subst == Some((w.start, self.pos)) {
            // An unquoted substitution without commands (`` `# note` ``)
            // expands to no word at all (but stands for a command).
            if self.lists.last().is_some_and(|l| l.redirect.is_none()) {
                self.ensure_cmd(w.start);
            }
            return;
        }
        let span = Span::new(w.start, self.pos);
        let raw = self.text(w.start, self.pos).to_owned();
        let value = String::from_utf8(w.value)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        let word = Word {
            span,
            raw,
            value,
            has_expansion: w.has_expansion,
            quoted: w.quoted,
        };
        self.on_word(word);
    }

    // ----- grammar -----------------------------------------------------------

    fn on_word(&mut self, word: Word) {
        let Some(l) = self.lists.last() else { return };
        let at_start = l.at_command_start();
        let after_compound = l.last_compound.is_some();
        if l.redirect.is_some() {
            self.redirect_target(word);
            return;
        }
        let plain = !word.quoted && !word.has_expansion;
        let kw = if plain { word.raw.as_str() } else { "" };
        match l.state {
            KwState::ForName => {
                self.set_state(KwState::ForIn);
                self.header_word(word);
                return;
            }
            KwState::ForIn => {
                match kw {
                    "in" => {
                        self.set_state(KwState::ForWords);
                        self.header_word_in();
                    }
                    "do" => self.set_state(KwState::Normal),
                    _ => {
                        self.error(word.span.start, word.span.end, "expected 'in' or 'do'");
                        self.set_state(KwState::ForWords);
                    }
                }
                return;
            }
            KwState::ForWords => {
                self.header_word(word);
                return;
            }
            KwState::ForDo => {
                if kw == "do" {
                    self.set_state(KwState::Normal);
                } else {
                    self.error(word.span.start, word.span.end, "expected 'do'");
                }
                return;
            }
            KwState::CaseWord => {
                self.set_state(KwState::CaseIn);
                self.header_word(word);
                return;
            }
            KwState::CaseIn => {
                if kw == "in" {
                    self.set_state(KwState::CasePattern);
                } else {
                    self.error(word.span.start, word.span.end, "expected 'in'");
                }
                return;
            }
            KwState::CasePattern => {
                if kw == "esac" {
                    self.close_keyword(ConstructKind::Case, word.span.end);
                }
                return;
            }
            KwState::Normal => {}
        }
        // After a compound command only a closing keyword may follow
        // directly: `do ( … ) done`, `fi done`.
        let closing = matches!(
            kw,
            "fi" | "done" | "esac" | "}" | "then" | "do" | "else" | "elif"
        );
        if plain && (at_start || (after_compound && closing)) && self.keyword(&word) {
            return;
        }
        if after_compound {
            self.error(
                word.span.start,
                word.span.end,
                "unexpected word after a compound command",
            );
            self.end_pipeline(Separator::Semicolon);
            if let Some(l) = self.list() {
                l.next_after = Separator::Semicolon;
            }
        }
        self.ensure_cmd(word.span.start);
        let Some(c) = self.list().and_then(|l| l.cmd.as_mut()) else {
            return;
        };
        c.end = word.span.end;
        if c.argv.is_empty()
            && let Some(a) = assignment(&word)
        {
            c.assignments.push(a);
            return;
        }
        if c.argv.is_empty() && word.raw == "[[" {
            c.dbracket = true;
        } else if c.dbracket && word.raw == "]]" {
            c.dbracket = false;
        }
        c.argv.push(word);
    }

    /// Records a header word (loop variable, loop word, case subject) on
    /// the innermost construct.
    fn header_word(&mut self, word: Word) {
        let idx = self.lists.last().and_then(|l| l.construct);
        if let Some(c) = idx.and_then(|i| self.out.constructs.get_mut(i)) {
            c.words.push(word);
        }
    }

    /// Marks the innermost `for` as having an `in` list.
    fn header_word_in(&mut self) {
        let idx = self.lists.last().and_then(|l| l.construct);
        if let Some(c) = idx.and_then(|i| self.out.constructs.get_mut(i)) {
            c.has_in = true;
        }
    }

    fn set_state(&mut self, s: KwState) {
        if let Some(l) = self.list() {
            l.state = s;
        }
    }

    /// Handles a reserved word in command position. Returns `false` when
    /// `word` is not one.
    fn keyword(&mut self, word: &Word) -> bool {
        let (s, e) = (word.span.start, word.span.end);
        match word.raw.as_str() {
            "if" => self.open_compound(ConstructKind::If, s),
            "while" => self.open_compound(ConstructKind::While, s),
            "until" => self.open_compound(ConstructKind::Until, s),
            "for" | "select" => self.open_compound(ConstructKind::For, s),
            "case" => self.open_compound(ConstructKind::Case, s),
            "{" => self.open_compound(ConstructKind::Group, s),
            "!" => {
                if let Some(l) = self.list() {
                    l.negate = !l.negate;
                }
            }
            // `time pipeline` (a reserved word in bash, `/usr/bin/time` in
            // sh): the pipeline runs as if written alone.
            "time" => {}
            "function" => {
                // `function name [()]`: skip the name; the body follows.
                self.skip_function_name();
            }
            "then" | "elif" | "else" => {
                if self.reach(ConstructKind::If, word) {
                    self.body_keyword();
                }
            }
            "do" => {
                if self.reach_loop(word) {
                    self.body_keyword();
                }
            }
            "fi" => self.close_keyword(ConstructKind::If, e),
            "esac" => self.close_keyword(ConstructKind::Case, e),
            "}" => self.close_keyword(ConstructKind::Group, e),
            "done" => {
                let k = self.lists.iter().rev().find_map(|l| match l.kind {
                    ListKind::Construct(
                        k @ (ConstructKind::While | ConstructKind::Until | ConstructKind::For),
                    ) => Some(k),
                    _ => None,
                });
                self.close_keyword(k.unwrap_or(ConstructKind::While), e);
            }
            _ => return false,
        }
        true
    }

    fn skip_function_name(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        while self
            .peek()
            .is_some_and(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'(' | b'{' | b';'))
        {
            self.pos += 1;
        }
        let mut i = self.pos;
        while matches!(self.at(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if self.at(i) == Some(b'(') {
            let mut j = i + 1;
            while matches!(self.at(j), Some(b' ' | b'\t')) {
                j += 1;
            }
            if self.at(j) == Some(b')') {
                self.pos = j + 1;
            }
        }
    }

    /// `then`/`elif`/`else`/`do`: the pipeline before ends; a new body list
    /// starts.
    fn body_keyword(&mut self) {
        self.end_pipeline(Separator::Start);
        if let Some(l) = self.list() {
            l.next_after = Separator::Start;
        }
    }

    /// Makes a list of kind `k` innermost (closing others with errors).
    fn reach(&mut self, k: ConstructKind, word: &Word) -> bool {
        if self.innermost_is(k) {
            return true;
        }
        if self.find_open(|x| x == k) {
            self.unclosed_until(|x| x == k);
            return true;
        }
        let msg = format!("unexpected '{}'", word.raw);
        self.error(word.span.start, word.span.end, msg);
        false
    }

    fn reach_loop(&mut self, word: &Word) -> bool {
        let is_loop = |x| {
            matches!(
                x,
                ConstructKind::While | ConstructKind::Until | ConstructKind::For
            )
        };
        if self
            .lists
            .last()
            .is_some_and(|l| matches!(l.kind, ListKind::Construct(k) if is_loop(k)))
        {
            return true;
        }
        if self.find_open(is_loop) {
            self.unclosed_until(is_loop);
            return true;
        }
        let msg = format!("unexpected '{}'", word.raw);
        self.error(word.span.start, word.span.end, msg);
        false
    }

    fn close_keyword(&mut self, k: ConstructKind, end: usize) {
        let (s, e) = (self.pos.min(end).saturating_sub(1), end);
        if self.innermost_is(k) || self.find_open(|x| x == k) {
            self.unclosed_until(|x| x == k);
            self.close_list(end);
        } else {
            let msg = format!(
                "'{}' without an open {}",
                self.text(s, e).trim(),
                kind_name(k)
            );
            self.error(s, e, msg);
        }
    }

    fn redirect_target(&mut self, word: Word) {
        let Some(l) = self.lists.last_mut() else {
            return;
        };
        let Some(r) = l.redirect.take() else { return };
        let heredoc = matches!(r.op, RedirectOp::Heredoc | RedirectOp::HeredocStripTabs);
        let redirect = Redirect {
            span: Span::new(r.start, word.span.end),
            fd: r.fd,
            op: r.op,
            target: Some(word.clone()),
            heredoc: None,
        };
        let owner = if let Some(ci) = l.last_compound {
            let n = self
                .out
                .constructs
                .get_mut(ci)
                .map(|c| {
                    c.redirects.push(redirect);
                    c.redirects.len() - 1
                })
                .unwrap_or(0);
            Some(HeredocOwner::Construct(ci, n))
        } else if let Some(c) = l.cmd.as_mut() {
            c.end = word.span.end;
            c.redirects.push(redirect);
            // The command's index is known when it is finished.
            None
        } else {
            None
        };
        if heredoc {
            // A command's redirect gets its owner in `finish_cmd`
            // once the command is finished.
            self.pending_heredocs.push(PendingHeredoc {
                owner,
                delimiter: word.value.clone(),
                strip_tabs: r.op == RedirectOp::HeredocStripTabs,
                expand: !word.quoted,
            });
        }
    }

    /// Reads here-document bodies after a newline.
    fn read_heredoc_bodies(&mut self) {
        if self.pending_heredocs.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending_heredocs);
        self.heredoc_cursor = 0;
        for p in pending {
            let body_start = self.pos;
            let mut body_end = self.b.len();
            let mut found = false;
            while self.pos < self.b.len() {
                let line_start = self.pos;
                let line_end = self
                    .b
                    .get(line_start..)
                    .and_then(|r| r.iter().position(|&c| c == b'\n'))
                    .map_or(self.b.len(), |i| line_start + i);
                self.pos = (line_end + 1).min(self.b.len());
                let mut line = self.text(line_start, line_end);
                line = line.strip_suffix('\r').unwrap_or(line);
                if p.strip_tabs {
                    line = line.trim_start_matches('\t');
                }
                if line == p.delimiter {
                    body_end = line_start;
                    found = true;
                    break;
                }
            }
            if !found {
                let msg = format!(
                    "here-document delimited by '{}' is not terminated",
                    p.delimiter
                );
                self.error(body_start, self.b.len(), msg);
            }
            let body = HeredocBody {
                span: Span::new(body_start, body_end),
                expand: p.expand,
            };
            let slot = match p.owner {
                Some(HeredocOwner::Command(c, r)) => self
                    .out
                    .commands
                    .get_mut(c)
                    .and_then(|c| c.redirects.get_mut(r)),
                Some(HeredocOwner::Construct(c, r)) => self
                    .out
                    .constructs
                    .get_mut(c)
                    .and_then(|c| c.redirects.get_mut(r)),
                None => None,
            };
            if let Some(r) = slot {
                r.heredoc = Some(body);
            }
        }
    }
}

fn c_argv_empty(lists: &[ListFrame]) -> bool {
    lists
        .last()
        .and_then(|l| l.cmd.as_ref())
        .is_some_and(|c| c.argv.is_empty())
}

fn is_heredoc_op(op: RedirectOp) -> bool {
    matches!(op, RedirectOp::Heredoc | RedirectOp::HeredocStripTabs)
}

fn kind_name(k: ConstructKind) -> &'static str {
    match k {
        ConstructKind::Subshell => "'('",
        ConstructKind::Group => "'{'",
        ConstructKind::If => "'if'",
        ConstructKind::While => "'while'",
        ConstructKind::Until => "'until'",
        ConstructKind::For => "'for'",
        ConstructKind::Case => "'case'",
        ConstructKind::CommandSubstitution => "'$('",
        ConstructKind::Backtick => "'`'",
        ConstructKind::ProcessSubstitution => "process substitution",
    }
}

/// `NAME=value` or `NAME+=value` with an unquoted name.
fn assignment(word: &Word) -> Option<Assignment> {
    let raw = word.raw.as_bytes();
    if !raw.first().copied().is_some_and(is_name_start) {
        return None;
    }
    let name_len = raw.iter().take_while(|&&c| is_name_char(c)).count();
    let (append, prefix) = match raw.get(name_len..) {
        Some([b'+', b'=', ..]) => (true, name_len + 2),
        Some([b'=', ..]) => (false, name_len + 1),
        _ => return None,
    };
    let name = word.raw.get(..name_len)?.to_owned();
    let value = Word {
        span: Span::new(word.span.start + prefix, word.span.end),
        raw: word.raw.get(prefix..)?.to_owned(),
        value: word.value.get(prefix..).unwrap_or_default().to_owned(),
        has_expansion: word.has_expansion,
        quoted: word.quoted,
    };
    Some(Assignment {
        span: word.span,
        name,
        append,
        value,
    })
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;

    /// One line per command: `after pipe depth | A=1 | argv… | redirects`.
    fn show(src: &str) -> String {
        let s = lex(src);
        let mut out = String::new();
        for c in &s.commands {
            let after = match c.after {
                Separator::Start => "start",
                Separator::And => "&&",
                Separator::Or => "||",
                Separator::Semicolon => ";",
                Separator::Newline => "nl",
                Separator::Background => "&",
                Separator::Pipe => "|",
            };
            let mut line = after.to_string();
            if c.pipeline.is_piped() {
                line += &format!(" p{}/{}", c.pipeline.index, c.pipeline.len);
            }
            if c.substitution_depth > 0 {
                line += &format!(" d{}", c.substitution_depth);
            }
            if c.negated {
                line += " !";
            }
            if c.background {
                line += " bg";
            }
            if let Some(p) = c.parent {
                line += &format!(" in:{:?}", s.constructs[p].kind);
            }
            line += " |";
            for a in &c.assignments {
                line += &format!(" {}={}", a.name, a.value.value);
            }
            if !c.assignments.is_empty() {
                line += " |";
            }
            for w in &c.argv {
                line += &format!(" {}", w.value);
                if w.has_expansion {
                    line += "$";
                }
            }
            for r in &c.redirects {
                line += &format!(
                    " [{}{:?} {}]",
                    r.fd.map(|f| f.to_string()).unwrap_or_default(),
                    r.op,
                    r.target.as_ref().map(|t| t.value.as_str()).unwrap_or("-")
                );
            }
            // Spans are exact: the command's text starts with its first token.
            assert!(src.get(c.span.start..c.span.end).is_some());
            for w in &c.argv {
                assert_eq!(&src[w.span.start..w.span.end], w.raw);
            }
            out += &line;
            out.push('\n');
        }
        for e in &s.errors {
            out += &format!("error: {}\n", e.message);
        }
        out
    }

    fn check(src: &str, want: &str) {
        let got = show(src);
        let want: String = want
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(got, want, "\n--- input:\n{src}\n--- got:\n{got}");
    }

    #[test]
    fn apt_get_chain() {
        check(
            "apt-get update &&     apt-get install -y --no-install-recommends \
             curl ca-certificates &&     rm -rf /var/lib/apt/lists/*",
            "start | apt-get update
             && | apt-get install -y --no-install-recommends curl ca-certificates
             && | rm -rf /var/lib/apt/lists/*",
        );
    }

    #[test]
    fn pipes_and_lists() {
        check(
            "curl -fsSL https://x.io/install.sh | sh -s -- -y || true; echo done &",
            "start p0/2 | curl -fsSL https://x.io/install.sh
             | p1/2 | sh -s -- -y
             || | true
             ; bg | echo done",
        );
        check(
            "wget -qO- $URL | tar xz -C /opt |& tee log",
            "start p0/3 | wget -qO- $URL$
             | p1/3 | tar xz -C /opt
             | p2/3 | tee log",
        );
    }

    #[test]
    fn set_prefix_and_assignments() {
        check(
            "set -eux; \tDEBIAN_FRONTEND=noninteractive A= B=\"x y\" apt-get install -y vim; X=1",
            "start | set -eux
             ; | DEBIAN_FRONTEND=noninteractive A= B=x y | apt-get install -y vim
             ; | X=1 |",
        );
    }

    #[test]
    fn quoting_and_escapes() {
        let s = lex(r#"echo 'a b' "c $HOME d" e\ f "g\"h" '$X' \$Y"#);
        let c = &s.commands[0];
        let vals: Vec<_> = c.args().collect();
        assert_eq!(
            vals,
            ["echo", "a b", "c $HOME d", "e f", "g\"h", "$X", "$Y"]
        );
        let exp: Vec<_> = c.argv.iter().map(|w| w.has_expansion).collect();
        assert_eq!(exp, [false, false, true, false, false, false, false]);
        assert_eq!(c.argv[2].raw, "\"c $HOME d\"");
        assert!(s.errors.is_empty());
    }

    #[test]
    fn command_substitution_is_extracted() {
        check(
            "ARCH=\"$(dpkg --print-architecture | awk -F- '{ print $NF }')\" && echo `uname -m` $(( 1 + 2 ))",
            "start | ARCH=$(dpkg --print-architecture | awk -F- '{ print $NF }') |
             start p0/2 d1 in:CommandSubstitution | dpkg --print-architecture
             | p1/2 d1 in:CommandSubstitution | awk -F- { print $NF }
             && | echo `uname -m`$ $(( 1 + 2 ))$
             start d1 in:Backtick | uname -m",
        );
    }

    #[test]
    fn nested_substitutions() {
        check(
            "echo \"$(basename \"$(pwd)\")\"",
            "start | echo $(basename \"$(pwd)\")$
             start d1 in:CommandSubstitution | basename $(pwd)$
             start d2 in:CommandSubstitution | pwd",
        );
    }

    #[test]
    fn if_then_fi() {
        check(
            "if [ \"$TARGETARCH\" = \"arm64\" ]; then ARCH=aarch64; else ARCH=x86_64; fi && echo $ARCH",
            "start in:If | [ $TARGETARCH$ = arm64 ]
             start in:If | ARCH=aarch64 |
             start in:If | ARCH=x86_64 |
             && | echo $ARCH$",
        );
        let s = lex("if true; then a; fi && b");
        assert_eq!(s.constructs[0].kind, ConstructKind::If);
        assert_eq!(
            &"if true; then a; fi && b"[s.constructs[0].span.start..s.constructs[0].span.end],
            "if true; then a; fi"
        );
    }

    #[test]
    fn for_and_while_loops() {
        check(
            "for f in a b $C; do echo $f; rm -f \"$f\"; done; while read -r l; do echo \"$l\"; done < list.txt",
            "start in:For | echo $f$
             ; in:For | rm -f $f$
             start in:While | read -r l
             start in:While | echo $l$",
        );
        let s = lex("while read -r l; do echo; done < list.txt");
        assert_eq!(s.constructs[0].redirects.len(), 1);
        check(
            "for i in $(seq 1 3); do echo $i; done",
            "start d1 in:CommandSubstitution | seq 1 3
             start in:For | echo $i$",
        );
    }

    #[test]
    fn case_esac() {
        check(
            "case \"$(uname -m)\" in x86_64) A=amd64 ;; aarch64|arm64) A=arm64 ;; *) echo bad; exit 1 ;; esac; echo $A",
            "start d1 in:CommandSubstitution | uname -m
             start in:Case | A=amd64 |
             start in:Case | A=arm64 |
             start in:Case | echo bad
             ; in:Case | exit 1
             ; | echo $A$",
        );
    }

    #[test]
    fn subshell_and_group() {
        check(
            "(cd /src && make) && { echo ok; echo fine; } | tee x",
            "start in:Subshell | cd /src
             && in:Subshell | make
             start in:Group | echo ok
             ; in:Group | echo fine
             | p1/2 | tee x",
        );
        let s = lex("(cd /src && make) && { echo ok; } | tee x");
        let g = &s.constructs[1];
        assert_eq!(
            (g.kind, g.after, g.pipeline),
            (
                ConstructKind::Group,
                Separator::And,
                PipePos { index: 0, len: 2 }
            )
        );
    }

    #[test]
    fn redirections() {
        check(
            "echo x > /etc/a 2>&1; cat <<<'s' >>b; cmd &>/dev/null; 3< in x",
            "start | echo x [Output /etc/a] [2DupOutput 1]
             ; | cat [HereString s] [Append b]
             ; | cmd [OutputBoth /dev/null]
             ; | x [3Input in]",
        );
    }

    #[test]
    fn heredoc_in_script() {
        let src = "cat > /etc/x.conf <<EOF\nkey=$V\nEOF\necho after\ncat <<-'E' | sh\n\tls\n\tE\n";
        check(
            src,
            "start | cat [Output /etc/x.conf] [Heredoc EOF]
             nl | echo after
             nl p0/2 | cat [HeredocStripTabs E]
             | p1/2 | sh",
        );
        let s = lex(src);
        let h = s.commands[0].redirects[1].heredoc.clone().unwrap();
        assert_eq!(&src[h.span.start..h.span.end], "key=$V\n");
        assert!(h.expand);
        let h = s.commands[2].redirects[0].heredoc.clone().unwrap();
        assert_eq!(&src[h.span.start..h.span.end], "\tls\n");
        assert!(!h.expand);
    }

    #[test]
    fn several_heredocs_and_heredoc_in_substitution() {
        let src = "cat <<A - <<B | sort; echo x\na\nA\nb\nB\nV=$(cat <<C\nc\nC\n)\n";
        let s = lex(src);
        let body = |c: usize, r: usize| {
            let h = s.commands[c].redirects[r].heredoc.clone().unwrap();
            &src[h.span.start..h.span.end]
        };
        assert_eq!(s.commands[0].name(), Some("cat"));
        assert_eq!(body(0, 0), "a\n");
        assert_eq!(body(0, 1), "b\n");
        assert_eq!(s.commands[2].name(), Some("echo"));
        assert_eq!(s.commands[4].name(), Some("cat"));
        assert_eq!(body(4, 0), "c\n");
        assert!(s.errors.is_empty(), "{:?}", s.errors);
    }

    #[test]
    fn script_with_newlines_and_comments() {
        check(
            "#!/bin/sh\nset -e\n\n# comment\napt-get update &&\n  apt-get install -y x # trailing\nnpm ci\\\n --omit=dev\n",
            "start | set -e
             nl | apt-get update
             && | apt-get install -y x
             nl | npm ci --omit=dev",
        );
    }

    #[test]
    fn negation_and_dbracket() {
        check(
            "! grep -q x f && [[ -n $A && $B == y ]] || echo no",
            "start ! | grep -q x f
             && | [[ -n $A$ && $B$ == y ]]
             || | echo no",
        );
    }

    #[test]
    fn time_prefix() {
        check(
            "time apk add gcc | tee log && echo time",
            "start p0/2 | apk add gcc
             | p1/2 | tee log
             && | echo time",
        );
    }

    #[test]
    fn compound_then_closing_keyword() {
        check(
            "for d in a b; do ( cd $d && make ) done && if x; then for y in 1; do z; done fi",
            "start in:Subshell | cd $d$
             && in:Subshell | make
             start in:If | x
             start in:For | z",
        );
    }

    #[test]
    fn backtick_comments() {
        check(
            "yum install -y x &&  `# a comment (with parens)`  rm -rf /tmp/* && `# c` && DATE=`date +%F`",
            "start | yum install -y x
             && | rm -rf /tmp/*
             && | DATE=`date +%F` |
             start d1 in:Backtick | date +%F",
        );
    }

    #[test]
    fn bash_arrays_and_ansi_c_quotes() {
        check(
            "PKGS=(curl \"git lfs\" $X) && apt-get install ${PKGS[@]}; echo $'a\\'b' x",
            "start | PKGS=(curl \"git lfs\" $X) |
             && | apt-get install ${PKGS[@]}$
             ; | echo a\\'b x",
        );
    }

    #[test]
    fn functions() {
        check(
            "f() { echo in; }; f",
            "start in:Group | echo in
             ; | f",
        );
    }

    #[test]
    fn errors_do_not_stop_lexing() {
        let s = lex("echo 'unterminated && rm -rf /");
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.commands.len(), 1);
        let s = lex("fi; echo ok; done");
        assert_eq!(s.errors.len(), 2);
        assert_eq!(s.commands[0].name(), Some("echo"));
        let s = lex("echo $(ls");
        assert_eq!(s.commands.len(), 2);
        assert_eq!(s.errors.len(), 1);
    }

    #[test]
    fn posix_shells() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(is_posix_shell(&[]));
        assert!(is_posix_shell(&v(&["/bin/bash", "-o", "pipefail", "-c"])));
        assert!(is_posix_shell(&v(&["/usr/bin/env", "bash", "-c"])));
        assert!(is_posix_shell(&v(&["ash", "-eo", "pipefail", "-c"])));
        assert!(!is_posix_shell(&v(&["powershell", "-Command"])));
        assert!(!is_posix_shell(&v(&[
            "C:\\Windows\\System32\\cmd.exe",
            "/S",
            "/C"
        ])));
        assert!(!is_posix_shell(&v(&["pwsh", "-c"])));
    }

    #[test]
    fn deep_nesting_is_capped() {
        let n = 10_000;
        let src = format!("{}x{}", "$(".repeat(n), ")".repeat(n));
        let t = std::time::Instant::now();
        let s = lex(&src);
        assert!(!s.errors.is_empty());
        let src = format!("echo {}x{}", "${a:-".repeat(n), "}".repeat(n));
        let s = lex(&src);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.commands[0].argv[1].value.len(), src.len() - 5);
        let src = format!("{}x{}", "(".repeat(n), ")".repeat(n));
        lex(&src);
        let src = "`".repeat(n);
        lex(&src);
        let src = "\"$(".repeat(n);
        lex(&src);
        assert!(t.elapsed().as_secs() < 5);
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let alphabet = b"ab $(){}[]'\"`\\|&;<>\n\t#=!*?-_0123456789ifthenfidodonecaseesacin";
        for _ in 0..3000 {
            let len = (x % 64) as usize;
            let mut s = String::new();
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push(alphabet[(x % alphabet.len() as u64) as usize] as char);
            }
            let out = lex(&s);
            for c in &out.commands {
                assert!(s.get(c.span.start..c.span.end).is_some(), "{s:?}");
            }
        }
    }

    #[test]
    fn for_and_case_headers_keep_their_words() {
        let s = lex(
            "for x in a \"$b\" $(c); do echo $x; done; for y; do :; done; case $z in a) ;; esac",
        );
        let words = |i: usize| -> Vec<&str> {
            s.constructs[i]
                .words
                .iter()
                .map(|w| w.raw.as_str())
                .collect()
        };
        assert_eq!(s.constructs[0].kind, ConstructKind::For);
        assert_eq!(words(0), ["x", "a", "\"$b\"", "$(c)"]);
        assert!(s.constructs[0].has_in);
        let f2 = s
            .constructs
            .iter()
            .position(|c| c.kind == ConstructKind::For && c.span.start > 10)
            .unwrap();
        assert_eq!(words(f2), ["y"]);
        assert!(!s.constructs[f2].has_in);
        let case = s
            .constructs
            .iter()
            .position(|c| c.kind == ConstructKind::Case)
            .unwrap();
        assert_eq!(words(case), ["$z"]);
        // The loop body is unchanged.
        assert_eq!(
            s.commands
                .iter()
                .filter_map(Command::name)
                .collect::<Vec<_>>(),
            ["c", "echo", ":"]
        );
    }
}
