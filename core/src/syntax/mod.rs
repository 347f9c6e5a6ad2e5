//! Dockerfile syntax: text → [`Dockerfile`] tree with byte spans, plus the
//! errors and warnings met on the way.
//!
//! The reader behaves exactly like BuildKit's Dockerfile parser
//! (`moby/buildkit` `frontend/dockerfile/parser`, HEAD 73ed6825): the same
//! logical lines, parser directives, escape character, continuation and
//! comment rules, exec-form (JSON) detection, ENV/LABEL forms, flags, ONBUILD
//! nesting and heredocs. [`dump()`](fn@dump) prints BuildKit's `AST.Dump()` text.
//!
//! **Invariant:** [`parse`] never fails and never panics, and runs in time
//! linear in the input. Where BuildKit stops with an error, drydock records
//! the error (its message names the line), skips to the next instruction and
//! goes on; see [`reader`] for each case.
//!
//! Every node keeps byte spans into the text as given (a byte-order mark
//! included); line/column come from [`crate::diagnostic::LineIndex`].
//!
//! Code map: [`reader`] (lines, directives, continuations, heredoc bodies) →
//! [`line_parsers`] (keyword, flags, per-instruction argument forms) using
//! [`json`] (exec form) and [`heredoc`] (heredoc markers); [`directives`]
//! (`# syntax=`, `# escape=`, `# check=`); [`dump`](mod@dump) (the
//! `AST.Dump()` text and Go quoting).

pub mod directives;
pub mod dump;
pub mod expand;
pub mod heredoc;
pub mod json;
pub mod line_parsers;
pub mod reader;
pub mod shell;

use serde::Serialize;
use serde::ser::SerializeStruct;

use crate::diagnostic::Span;

pub use dump::dump;

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dockerfile {
    /// The escape character: `\` unless a `# escape=` directive says otherwise.
    pub escape_token: char,
    /// Parser directives found at the top (`syntax`, `escape`, `check`).
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    /// Every comment line outside heredoc bodies, directives excluded
    /// (also those inside a continuation, which BuildKit drops).
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxDiagnostic>,
    pub warnings: Vec<SyntaxDiagnostic>,
}

/// A parser directive such as `# syntax=docker/dockerfile:1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Directive {
    /// The key, lower-cased (`syntax`, `escape` or `check`).
    pub name: String,
    pub value: String,
    pub line: usize,
    /// The whole directive line (without its line end).
    pub span: Span,
}

/// A comment line: `text` is what follows `#`, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub text: String,
    pub line: usize,
    pub span: Span,
}

/// One instruction, e.g. `RUN --mount=type=cache,target=/root/.cache make`.
///
/// The fields mirror BuildKit's `parser.Node`: `cmd` is the keyword as
/// written (BuildKit keeps its casing; compare with [`Instruction::is`]),
/// `value` the argument list BuildKit stores, and so on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// The keyword as written (`FROM`, `run`, …; unknown keywords too).
    pub cmd: String,
    /// ONBUILD's inner instruction, with its own flags and arguments.
    pub sub_command: Option<Box<Instruction>>,
    /// Flags as BuildKit stores them: `--name=value` or `--name`, quotes and
    /// backslashes removed.
    pub flags: Vec<String>,
    /// The span of each flag word, in the same order as `flags`.
    pub flag_spans: Vec<Span>,
    /// The arguments BuildKit stores. Exec form: the JSON array's strings.
    /// Shell form of RUN/CMD/ENTRYPOINT/SHELL/USER/WORKDIR/…: one string.
    /// ENV/LABEL: triples key, value, `"="` (or `""` for the legacy
    /// `ENV k v` form). Unknown instructions: `[""]`. ONBUILD: the inner
    /// instruction's arguments.
    pub value: Vec<String>,
    /// The span of each item of `value` (the `=`/`""` separators of ENV and
    /// LABEL get the `=` or an empty span).
    pub value_spans: Vec<Span>,
    /// Exec (JSON array) form.
    pub json: bool,
    /// The instruction's text with continuations joined, as BuildKit's
    /// `Original` (for ONBUILD's inner instruction: the text after ONBUILD).
    pub original: String,
    /// 1-based first and last physical line (heredoc bodies included).
    pub start_line: usize,
    pub end_line: usize,
    /// Heredocs (`<<EOF` …) of RUN/COPY/ADD, or of ONBUILD's inner one.
    pub heredocs: Vec<Heredoc>,
    /// The comment lines just before the instruction (BuildKit's
    /// `PrevComment`).
    pub comments: Vec<String>,
    /// The whole instruction, keyword to end of its last line.
    pub span: Span,
    /// The keyword alone.
    pub keyword_span: Span,
    /// The arguments after the keyword and flags.
    pub args_span: Span,
    /// Where each `value` item lies in the logical line (continuations
    /// joined), when the item is verbatim text of it (shell-form
    /// arguments); `None` for items BuildKit unquoted or rebuilt.
    pub value_ranges: Vec<Option<std::ops::Range<usize>>>,
    /// Maps offsets in the logical line back to the text.
    pub source_map: SourceMap,
}

/// Where a physical line's piece starts, in the logical line and in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub joined: usize,
    pub source: usize,
}

/// Maps byte offsets in an instruction's logical line (continuation lines
/// joined, comment lines dropped) back to offsets in the text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceMap {
    pub(crate) pieces: Vec<Piece>,
    pub(crate) text_len: usize,
}

impl SourceMap {
    /// The text offset of a start position (the later piece at a seam).
    pub fn start(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.joined <= offset).max(1);
        self.at(i - 1, offset)
    }

    /// The text offset of an end position (the earlier piece at a seam).
    pub fn end(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.joined < offset).max(1);
        self.at(i - 1, offset)
    }

    fn at(&self, piece: usize, offset: usize) -> usize {
        self.pieces.get(piece).map_or(offset, |p| {
            (p.source + offset.saturating_sub(p.joined)).min(self.text_len)
        })
    }

    /// The text span of a range of the logical line.
    pub fn span(&self, r: &std::ops::Range<usize>) -> Span {
        let start = self.start(r.start);
        let end = if r.end <= r.start {
            start
        } else {
            self.end(r.end).max(start)
        };
        Span::new(start, end)
    }
}

impl Instruction {
    /// The text span of bytes `range` of `value[index]`, when that item is
    /// verbatim text of the logical line (see [`Instruction::value_ranges`]).
    /// Exact across continuation lines.
    pub fn value_source_span(&self, index: usize, range: std::ops::Range<usize>) -> Option<Span> {
        let base = self.value_ranges.get(index)?.as_ref()?;
        let start = base.start.checked_add(range.start)?;
        let end = base.start.checked_add(range.end)?;
        (start <= end && end <= base.end).then(|| self.source_map.span(&(start..end)))
    }

    /// Is this instruction `keyword` (case-insensitive)?
    pub fn is(&self, keyword: &str) -> bool {
        self.cmd.eq_ignore_ascii_case(keyword)
    }

    /// The value of flag `--name` (`--name=value`), if present.
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags.iter().find_map(|f| flag_value(f, name))
    }

    /// Where flag `--name` stands, if present (the first one).
    pub fn flag_span(&self, name: &str) -> Option<Span> {
        let i = self
            .flags
            .iter()
            .position(|f| flag_value(f, name).is_some())?;
        self.flag_spans.get(i).copied()
    }
}

/// The value of `flag` (`--name=value` or `--name`) if it is `--name`.
fn flag_value<'f>(flag: &'f str, name: &str) -> Option<&'f str> {
    let rest = flag.strip_prefix("--")?.strip_prefix(name)?;
    match rest.strip_prefix('=') {
        Some(value) => Some(value),
        None if rest.is_empty() => Some(""),
        None => None,
    }
}

/// Serializes as one instruction of `buildkit-parse.jsonl.gz` (`cmd`,
/// `sub_command` as the inner keyword, `json`, `original`, `start_line`,
/// `end_line`, `flags`, `value`, `heredocs`, `prev_comment` when not empty)
/// plus drydock's spans and, for ONBUILD, the whole inner instruction as
/// `sub_instruction`.
impl Serialize for Instruction {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Instruction", 16)?;
        s.serialize_field("cmd", &self.cmd)?;
        s.serialize_field(
            "sub_command",
            &self.sub_command.as_ref().map(|sub| sub.cmd.as_str()),
        )?;
        s.serialize_field("json", &self.json)?;
        s.serialize_field("original", &self.original)?;
        s.serialize_field("start_line", &self.start_line)?;
        s.serialize_field("end_line", &self.end_line)?;
        s.serialize_field("flags", &self.flags)?;
        s.serialize_field("value", &self.value)?;
        s.serialize_field("heredocs", &self.heredocs)?;
        if self.comments.is_empty() {
            s.skip_field("prev_comment")?;
        } else {
            s.serialize_field("prev_comment", &self.comments)?;
        }
        s.serialize_field("span", &self.span)?;
        s.serialize_field("keyword_span", &self.keyword_span)?;
        s.serialize_field("args_span", &self.args_span)?;
        s.serialize_field("flag_spans", &self.flag_spans)?;
        s.serialize_field("value_spans", &self.value_spans)?;
        match &self.sub_command {
            Some(sub) => s.serialize_field("sub_instruction", sub)?,
            None => s.skip_field("sub_instruction")?,
        }
        s.end()
    }
}

/// A heredoc: `<<EOF` on the instruction line, its body on the lines after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    /// The terminator word, quotes removed (`EOF` for `<<'EOF'`).
    pub name: String,
    /// `3` for `3<<EOF`; 0 when none is given.
    pub file_descriptor: u64,
    /// Variables are expanded in the body unless the word was quoted.
    pub expand: bool,
    /// `<<-EOF`: leading tabs are stripped (see
    /// [`heredoc::chomp_heredoc_content`]); the terminator may be indented
    /// by tabs.
    pub chomp: bool,
    /// The body as written, every line with its line end; for `<<-` the
    /// tabs are not stripped here (BuildKit strips them later, when it
    /// builds the instruction).
    pub content: String,
    /// The body lines (empty at the body start when there is none).
    pub content_span: Span,
    /// The terminator line, without its line end; `None` when the heredoc
    /// is unterminated.
    pub terminator_span: Option<Span>,
}

/// A parse error or warning, located in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyntaxDiagnostic {
    /// `line N: ` followed by BuildKit's message.
    pub message: String,
    pub line: usize,
    pub span: Span,
}

/// Parses `text` as a Dockerfile. Never fails: see the module docs.
pub fn parse(text: &str) -> Dockerfile {
    reader::parse(text)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_instructions_with_continuations_and_comments() {
        let text = "# c\nFROM alpine:3.20 AS build\nRUN apk add \\\n# inner\n  curl\n\nCMD [\"sh\", \"-c\"]\n";
        let file = parse(text);
        let cmds: Vec<_> = file.instructions.iter().map(|i| i.cmd.as_str()).collect();
        assert_eq!(cmds, ["FROM", "RUN", "CMD"]);
        assert_eq!(file.instructions[0].comments, ["c"]);
        let run = &file.instructions[1];
        assert_eq!((run.start_line, run.end_line), (3, 5));
        // BuildKit keeps a shell-form RUN as one string.
        assert_eq!(run.value, ["apk add   curl"]);
        assert_eq!(
            &text[run.span.start..run.span.end],
            "RUN apk add \\\n# inner\n  curl"
        );
        let cmd = &file.instructions[2];
        assert!(cmd.json);
        assert_eq!(cmd.value, ["sh", "-c"]);
        assert!(file.errors.is_empty());
        assert_eq!(file.comments.len(), 2);
    }

    #[test]
    fn flags_are_split_off() {
        let text = "COPY --from=build --link /a /b";
        let file = parse(text);
        let copy = &file.instructions[0];
        assert_eq!(copy.flags, ["--from=build", "--link"]);
        assert_eq!(copy.flag("from"), Some("build"));
        assert_eq!(copy.flag("link"), Some(""));
        assert_eq!(copy.flag("chown"), None);
        assert_eq!(copy.value, ["/a", "/b"]);
        let spans: Vec<_> = copy
            .value_spans
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(spans, ["/a", "/b"]);
        assert_eq!(
            &text[copy.flag_spans[1].start..copy.flag_spans[1].end],
            "--link"
        );
        assert_eq!(&text[copy.args_span.start..copy.args_span.end], "/a /b");
    }

    #[test]
    fn unknown_keyword_is_kept_and_an_error_does_not_stop_parsing() {
        let file = parse("FR{OM x\nENV PATH\nUSER app\n");
        assert_eq!(file.instructions.len(), 2);
        assert_eq!(file.instructions[0].cmd, "FR{OM");
        assert_eq!(file.instructions[0].value, [""]);
        assert_eq!(file.errors.len(), 1);
        assert_eq!(file.errors[0].line, 2);
        assert_eq!(
            file.errors[0].message,
            "line 2: ENV must have two arguments"
        );
    }

    #[test]
    fn spans_cover_continuations_and_bom() {
        let text = "\u{feff}FROM a\nENV k=v \\\n  x=\"y z\"\n";
        let file = parse(text);
        let env = &file.instructions[1];
        assert_eq!(env.value, ["k", "v", "=", "x", "\"y z\"", "="]);
        let got: Vec<_> = env
            .value_spans
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(got, ["k", "v", "=", "x", "\"y z\"", "="]);
        assert_eq!(
            &text[file.instructions[0].keyword_span.start..][..4],
            "FROM"
        );
    }

    #[test]
    fn crlf_spans_stop_before_the_line_end() {
        let text = "FROM a\r\nRUN <<EOF\r\nx\r\nEOF\r\n";
        let file = parse(text);
        assert_eq!(
            &text[file.instructions[0].span.start..file.instructions[0].span.end],
            "FROM a"
        );
        let run = &file.instructions[1];
        assert_eq!(&text[run.span.start..run.span.end], "RUN <<EOF\r\nx\r\nEOF");
        let h = &run.heredocs[0];
        assert_eq!(h.content, "x\r\n");
        assert_eq!(&text[h.content_span.start..h.content_span.end], "x\r\n");
        let t = h.terminator_span.unwrap();
        assert_eq!(&text[t.start..t.end], "EOF");
    }

    #[test]
    fn onbuild_keeps_its_inner_instruction() {
        let text = "ONBUILD RUN --mount=type=cache,target=/c <<EOF\necho hi\nEOF\n";
        let file = parse(text);
        let on = &file.instructions[0];
        let inner = on.sub_command.as_deref().unwrap();
        assert_eq!(inner.cmd, "RUN");
        assert_eq!(inner.flags, ["--mount=type=cache,target=/c"]);
        assert_eq!(on.value, ["<<EOF"]);
        assert_eq!(on.heredocs.len(), 1);
        assert_eq!(inner.heredocs, on.heredocs);
        assert_eq!(on.heredocs[0].content, "echo hi\n");
        assert_eq!(on.end_line, 3);
        assert_eq!(
            dump(&file),
            "(onbuild (run [\"--mount=type=cache,target=/c\"] \"<<EOF\"))"
        );
    }
}
