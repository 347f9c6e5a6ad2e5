//! The line reader: BuildKit's `parser.Parse` loop.
//!
//! What BuildKit does, and drydock with it:
//! - Lines end at `\n`; trailing `\r`/`\n` are trimmed (CRLF works). The
//!   first line loses a UTF-8 byte-order mark.
//! - Parser directives are read on the first lines (see
//!   [`super::directives`]); `# escape=` switches the escape character to
//!   `` ` `` (only `\` and `` ` `` are allowed).
//! - A line whose first non-blank character is `#` is a comment. Comments
//!   gather (an empty `#` line resets them) and attach to the next
//!   instruction as `comments`.
//! - An instruction's first line loses its leading white space. A line
//!   continues when it ends with the escape character (blanks after it are
//!   ignored) not itself escaped; the escape and those blanks are removed
//!   and the next line is appended as is. Inside a continuation, comment
//!   lines are dropped and empty lines skipped — with the warning "Empty
//!   continuation line found in: …".
//! - RUN, COPY and ADD in shell form (also as ONBUILD's inner instruction)
//!   whose line contains `<<` get their heredoc bodies from the following
//!   lines, in order, each up to its terminator line (leading tabs ignored
//!   for `<<-`).
//! - A line of 65,536 bytes or more is an error (Go's `bufio.Scanner`
//!   limit), as is a file without instructions.
//!
//! Where BuildKit stops at its first error, drydock records it and goes on:
//! a bad directive is ignored; a bad instruction (ENV without value,
//! non-string JSON array, bad heredoc marker) is skipped; an unterminated
//! heredoc keeps what was read up to the end of the file; after an
//! over-long line, reading continues.

use super::directives::DirectiveParser;
use super::dump::go_trim_space;
use super::heredoc::heredocs_from_line;
use super::line_parsers::{RawNode, node_from_line};
use super::{Comment, Directive, Dockerfile, Instruction, SyntaxDiagnostic};
use crate::diagnostic::Span;

/// Go's `bufio.MaxScanTokenSize`: a line must be shorter.
pub const MAX_LINE: usize = 64 * 1024;

/// Parses `text` (see the module docs).
pub fn parse(text: &str) -> Dockerfile {
    let mut r = Reader {
        text,
        lines: Lines {
            text,
            pos: 0,
            number: 0,
            too_long: None,
        },
        escape: '\\',
        directive_parser: DirectiveParser::new(),
        out: Dockerfile {
            escape_token: '\\',
            directives: Vec::new(),
            instructions: Vec::new(),
            comments: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
        },
        pending_comments: Vec::new(),
    };
    r.run();
    r.finish()
}

/// One physical line.
#[derive(Clone, Copy)]
struct Line {
    number: usize,
    start: usize,
    /// End of the content, trailing `\r`/`\n` excluded.
    end: usize,
    /// Just past the `\n` (or the end of the text).
    next: usize,
}

struct Lines<'a> {
    text: &'a str,
    pos: usize,
    number: usize,
    /// The first line at or over [`MAX_LINE`] bytes.
    too_long: Option<Line>,
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        let rest = self.text.get(self.pos..).filter(|r| !r.is_empty())?;
        let (end, next) = match rest.find('\n') {
            Some(i) => (self.pos + i, self.pos + i + 1),
            None => (self.text.len(), self.text.len()),
        };
        self.number += 1;
        let content = self.text.get(self.pos..end).unwrap_or("");
        let line = Line {
            number: self.number,
            start: self.pos,
            end: self.pos + trim_newline(content).len(),
            next,
        };
        // Go's scanner counts every byte but the `\n`.
        if end - self.pos >= MAX_LINE && self.too_long.is_none() {
            self.too_long = Some(line);
        }
        self.pos = next;
        Some(line)
    }
}

/// Where a piece of the logical line comes from.
use super::{Piece, SourceMap};

struct Reader<'a> {
    text: &'a str,
    lines: Lines<'a>,
    escape: char,
    directive_parser: DirectiveParser,
    out: Dockerfile,
    pending_comments: Vec<String>,
}

/// Go's `bytes.TrimRight(line, "\r\n")`.
fn trim_newline(s: &str) -> &str {
    s.trim_end_matches(['\r', '\n'])
}

/// BuildKit's `isComment`: first non-blank character is `#`.
fn is_comment(s: &str) -> bool {
    s.trim_start_matches(char::is_whitespace).starts_with('#')
}

impl<'a> Reader<'a> {
    fn slice(&self, from: usize, to: usize) -> &'a str {
        self.text.get(from..to).unwrap_or("")
    }

    fn error(&mut self, line: usize, span: Span, message: &str) {
        self.out.errors.push(SyntaxDiagnostic {
            message: format!("line {line}: {message}"),
            line,
            span,
        });
    }

    /// `line` minus a trailing escape character (and blanks after it)
    /// that is not itself escaped: `(kept, is_end_of_line)`.
    fn trim_continuation<'s>(&self, line: &'s str) -> (&'s str, bool) {
        let t = line.trim_end_matches([' ', '\t']);
        if let Some(before) = t.strip_suffix(self.escape)
            && !before.ends_with(self.escape)
        {
            return (before, false);
        }
        (line, true)
    }

    fn record_comment(&mut self, line: Line, raw: &str, start: usize) {
        let lead = raw.len() - raw.trim_start_matches(char::is_whitespace).len();
        let body = trim_newline(raw.get(lead + 1..).unwrap_or(""));
        self.out.comments.push(Comment {
            text: go_trim_space(body).to_string(),
            line: line.number,
            span: Span::new(start + lead, line.end.max(start + lead)),
        });
    }

    fn run(&mut self) {
        while let Some(line) = self.lines.next() {
            self.instruction(line);
        }
    }

    fn instruction(&mut self, first: Line) {
        let mut raw_start = first.start;
        let mut raw = self.slice(first.start, first.next);
        if first.number == 1
            && let Some(r) = raw.strip_prefix('\u{feff}')
        {
            raw = r;
            raw_start += 3;
        }
        let comment = is_comment(raw);
        if comment {
            // BuildKit: strings.TrimSpace(string(bytesRead[1:])).
            let after = String::from_utf8_lossy(raw.as_bytes().get(1..).unwrap_or_default());
            let text = go_trim_space(&after).to_string();
            if text.is_empty() {
                self.pending_comments.clear();
            } else {
                self.pending_comments.push(text);
            }
        }
        let line_text = trim_newline(raw);
        let lead = line_text.len() - line_text.trim_start_matches(char::is_whitespace).len();
        let token = line_text.get(lead..).unwrap_or("");
        let token_start = raw_start + lead;
        let token_span = Span::new(token_start, token_start + token.len());
        let mut is_directive = false;
        match self.directive_parser.parse_line(token) {
            Ok(Some(d)) => {
                is_directive = true;
                self.pending_comments.pop();
                if d.name == "escape" {
                    match d.value.as_str() {
                        "\\" => self.escape = '\\',
                        "`" => self.escape = '`',
                        v => {
                            let msg = format!("invalid escape token '{v}' does not match ` or \\");
                            self.error(first.number, token_span, &msg);
                        }
                    }
                }
                self.out.directives.push(Directive {
                    name: d.name,
                    value: d.value,
                    line: first.number,
                    span: token_span,
                });
            }
            Ok(None) => {}
            Err(e) => {
                is_directive = true;
                self.pending_comments.pop();
                self.error(first.number, token_span, &e);
            }
        }
        if comment {
            if !is_directive {
                self.record_comment(first, raw, raw_start);
            }
            return;
        }
        let (piece, mut end_of_line) = self.trim_continuation(token);
        if end_of_line && piece.is_empty() {
            return;
        }

        // Join the continuation lines.
        let mut joined = String::from(piece);
        let mut pieces = vec![Piece {
            joined: 0,
            source: token_start,
        }];
        let mut end_line = first.number;
        let mut end = first.end;
        let mut has_empty = false;
        while !end_of_line {
            let Some(next) = self.lines.next() else { break };
            let raw = self.slice(next.start, next.next);
            end_line = next.number;
            end = next.end;
            if is_comment(raw) {
                self.record_comment(next, raw, next.start);
                continue;
            }
            let token = trim_newline(raw);
            if token.trim_start_matches(char::is_whitespace).is_empty() {
                has_empty = true;
                continue;
            }
            let (piece, eol) = self.trim_continuation(token);
            end_of_line = eol;
            pieces.push(Piece {
                joined: joined.len(),
                source: next.start,
            });
            joined.push_str(piece);
        }
        let map = SourceMap {
            pieces,
            text_len: self.text.len(),
        };
        let span = Span::new(token_start, end.max(token_start));
        if has_empty {
            self.out.warnings.push(SyntaxDiagnostic {
                message: format!("line {end_line}: Empty continuation line found in: {joined}"),
                line: end_line,
                span,
            });
        }

        let node = match node_from_line(&joined, 0, self.escape) {
            Ok(node) => node,
            Err(e) => {
                self.error(first.number, span, &e);
                self.pending_comments.clear();
                return;
            }
        };

        // Heredoc bodies.
        let mut heredocs = Vec::new();
        if can_contain_heredoc(&node) && joined.contains("<<") {
            match heredocs_from_line(&joined) {
                Ok(found) => heredocs = found,
                Err(e) => {
                    self.error(first.number, span, &e);
                    self.pending_comments.clear();
                    return;
                }
            }
        }
        let mut unterminated = false;
        for h in &mut heredocs {
            let body_start = self.lines.pos;
            if unterminated {
                // BuildKit stops at the first unterminated heredoc.
                h.content_span = Span::new(body_start, body_start);
                continue;
            }
            h.content_span = Span::new(body_start, body_start);
            loop {
                let Some(next) = self.lines.next() else {
                    let msg = "unterminated heredoc";
                    let at = Span::new(token_start, self.text.len());
                    self.error(first.number, at, msg);
                    end = self.text.len();
                    unterminated = true;
                    break;
                };
                end_line = next.number;
                end = next.end;
                let raw = self.slice(next.start, next.next);
                let mut candidate = trim_newline(raw);
                if h.chomp {
                    candidate = candidate.trim_start_matches('\t');
                }
                if candidate == h.name {
                    h.terminator_span = Some(Span::new(next.start, next.end));
                    break;
                }
                h.content.push_str(raw);
                h.content_span.end = next.next;
            }
        }

        let span = Span::new(token_start, end.max(token_start));
        let rounded = Rounded {
            map: &map,
            text: self.text,
        };
        let mut inst = build(&node, &joined, &rounded, first.number, end_line, span);
        inst.heredocs = heredocs.clone();
        if let Some(sub) = inst.sub_command.as_mut() {
            sub.heredocs = heredocs;
        }
        inst.comments = std::mem::take(&mut self.pending_comments);
        self.out.instructions.push(inst);
    }

    fn finish(mut self) -> Dockerfile {
        self.out.escape_token = self.escape;
        if let Some(line) = self.lines.too_long {
            let msg = format!(
                "dockerfile line greater than max allowed size of {}",
                MAX_LINE - 1
            );
            self.error(line.number, Span::new(line.start, line.end), &msg);
        }
        if self.out.instructions.is_empty() {
            let line = self.lines.number.max(1);
            let end = self.text.len();
            self.error(line, Span::new(end, end), "file with no instructions");
        }
        self.out
    }
}

/// BuildKit's `canContainHeredoc`: RUN, COPY or ADD (or ONBUILD's inner
/// one) not in exec form.
fn can_contain_heredoc(node: &RawNode) -> bool {
    let lower = super::dump::go_lower(&node.cmd.0);
    let node = match (&node.sub, lower.as_str()) {
        (Some(sub), "onbuild") => sub,
        _ => node,
    };
    let lower = super::dump::go_lower(&node.cmd.0);
    matches!(lower.as_str(), "run" | "copy" | "add") && !node.json
}

/// A [`SourceMap`] whose spans are widened to whole characters of the text.
///
/// The flag scanner works byte by byte, as BuildKit's does, and takes the
/// bytes 0x85 and 0xA0 for white space, so a flag can end (and the
/// arguments begin) inside a multi-byte character. A start rounds down, an
/// end rounds up, so every span slices the text.
struct Rounded<'a> {
    map: &'a SourceMap,
    text: &'a str,
}

impl Rounded<'_> {
    fn start(&self, offset: usize) -> usize {
        let mut at = self.map.start(offset);
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    fn end(&self, offset: usize) -> usize {
        let mut at = self.map.end(offset);
        while !self.text.is_char_boundary(at) {
            at += 1;
        }
        at
    }

    fn span(&self, r: &std::ops::Range<usize>) -> Span {
        let start = self.start(r.start);
        let end = if r.end <= r.start {
            start
        } else {
            self.end(r.end).max(start)
        };
        Span::new(start, end)
    }
}

fn build(
    node: &RawNode,
    joined: &str,
    map: &Rounded<'_>,
    start_line: usize,
    end_line: usize,
    span: Span,
) -> Instruction {
    Instruction {
        cmd: node.cmd.0.clone(),
        sub_command: node.sub.as_ref().map(|sub| {
            let sub_span = Span::new(map.start(sub.original.1.start), span.end);
            Box::new(build(sub, joined, map, start_line, end_line, sub_span))
        }),
        flags: node.flags.iter().map(|f| f.0.clone()).collect(),
        flag_spans: node.flags.iter().map(|f| map.span(&f.1)).collect(),
        value: node.values.iter().map(|v| v.0.clone()).collect(),
        value_spans: node.values.iter().map(|v| map.span(&v.1)).collect(),
        // Verbatim items (shell-form arguments) can map sub-ranges back.
        value_ranges: node
            .values
            .iter()
            .map(|v| (joined.get(v.1.clone()) == Some(v.0.as_str())).then(|| v.1.clone()))
            .collect(),
        source_map: map.map.clone(),
        json: node.json,
        original: node.original.0.clone(),
        start_line,
        end_line,
        heredocs: Vec::new(),
        comments: Vec::new(),
        span,
        keyword_span: map.span(&node.cmd.1),
        args_span: {
            let a = map.span(&node.args);
            // Shell-form arguments run to the end of the logical line.
            Span::new(a.start, a.end.max(a.start))
        },
    }
}
