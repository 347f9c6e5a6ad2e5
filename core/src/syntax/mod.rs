//! Dockerfile syntax: text → [`Dockerfile`] tree with byte spans, plus the
//! errors and warnings met on the way.
//!
//! **Invariant:** [`parse`] never fails and never panics. On a bad line it
//! records an error, skips to the next instruction and goes on.
//!
//! This is the walking skeleton's reader: logical lines, continuations,
//! comments, keywords, flags and exec-form detection. The BuildKit-exact
//! parser (directives, heredocs, ENV/LABEL forms, ONBUILD) replaces its
//! internals behind the same types.

pub mod expand;

use serde::Serialize;

use crate::diagnostic::Span;

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dockerfile {
    /// The escape character: `\` unless a `# escape=` directive says otherwise.
    pub escape_token: char,
    pub instructions: Vec<Instruction>,
    pub errors: Vec<SyntaxDiagnostic>,
    pub warnings: Vec<SyntaxDiagnostic>,
}

/// One instruction, e.g. `RUN --mount=type=cache,target=/root/.cache make`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instruction {
    /// The keyword, upper-cased as BuildKit stores it (`FROM`, `RUN`, …).
    pub cmd: String,
    /// Flags as BuildKit stores them: `--name=value` or `--name`.
    pub flags: Vec<String>,
    /// The arguments BuildKit stores (exec form: the JSON array's strings).
    pub value: Vec<String>,
    /// Exec (JSON array) form.
    pub json: bool,
    /// The instruction's text with continuations joined, as BuildKit's `original`.
    pub original: String,
    /// 1-based first and last physical line.
    pub start_line: usize,
    pub end_line: usize,
    /// The whole instruction, keyword to last argument.
    pub span: Span,
    /// The keyword alone.
    pub keyword_span: Span,
    /// The arguments after the keyword and flags.
    pub args_span: Span,
}

impl Instruction {
    /// Is this instruction `keyword` (case-insensitive)?
    pub fn is(&self, keyword: &str) -> bool {
        self.cmd.eq_ignore_ascii_case(keyword)
    }

    /// The value of flag `--name` (`--name=value`), if present.
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags.iter().find_map(|f| {
            let rest = f.strip_prefix("--")?.strip_prefix(name)?;
            match rest.strip_prefix('=') {
                Some(value) => Some(value),
                None if rest.is_empty() => Some(""),
                None => None,
            }
        })
    }
}

/// A parse error or warning, located in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyntaxDiagnostic {
    pub message: String,
    pub line: usize,
    pub span: Span,
}

/// Parses `text` as a Dockerfile. Never fails: see the module docs.
pub fn parse(text: &str) -> Dockerfile {
    let mut reader = Reader {
        escape: '\\',
        out: Vec::new(),
        errors: Vec::new(),
    };
    reader.run(text);
    Dockerfile {
        escape_token: reader.escape,
        instructions: reader.out,
        errors: reader.errors,
        warnings: Vec::new(),
    }
}

struct Reader {
    escape: char,
    out: Vec<Instruction>,
    errors: Vec<SyntaxDiagnostic>,
}

/// A physical line: its 1-based number, its byte range without the line end.
struct Line<'a> {
    number: usize,
    start: usize,
    text: &'a str,
}

fn physical_lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut start = 0;
    text.split_inclusive('\n').enumerate().map(move |(i, raw)| {
        let line_start = start;
        start += raw.len();
        let body = raw.strip_suffix('\n').unwrap_or(raw);
        let body = body.strip_suffix('\r').unwrap_or(body);
        // A byte-order mark is not part of the first line; spans stay
        // offsets into the text as given.
        match body.strip_prefix('\u{feff}') {
            Some(rest) if i == 0 => Line {
                number: 1,
                start: line_start + 3,
                text: rest,
            },
            _ => Line {
                number: i + 1,
                start: line_start,
                text: body,
            },
        }
    })
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

impl Reader {
    fn run(&mut self, text: &str) {
        let mut lines = physical_lines(text).peekable();
        while let Some(first) = lines.next() {
            if first.text.trim().is_empty() || is_comment(first.text) {
                continue;
            }
            // Join continuation lines: comment lines inside are dropped.
            // `pieces` maps offsets in the joined text back to the source.
            let mut joined = String::new();
            let mut pieces = Vec::new();
            let mut end_line = first.number;
            let mut end = first.start + first.text.len();
            let mut current = (first.start, first.text);
            loop {
                pieces.push(Piece {
                    joined: joined.len(),
                    source: current.0,
                });
                match self.strip_continuation(current.1) {
                    Some(head) => {
                        joined.push_str(head);
                        let next = loop {
                            match lines.next_if(|l| is_comment(l.text)) {
                                Some(_) => continue,
                                None => break lines.next(),
                            }
                        };
                        match next {
                            Some(line) => {
                                end_line = line.number;
                                end = line.start + line.text.len();
                                current = (line.start, line.text);
                            }
                            None => break,
                        }
                    }
                    None => {
                        joined.push_str(current.1);
                        break;
                    }
                }
            }
            let logical = Logical {
                text: &joined,
                pieces: &pieces,
                start_line: first.number,
                end_line,
                end,
            };
            self.instruction(&logical);
        }
    }

    /// The line without its trailing escape character, if it continues.
    fn strip_continuation<'a>(&self, line: &'a str) -> Option<&'a str> {
        line.trim_end().strip_suffix(self.escape)
    }

    fn instruction(&mut self, logical: &Logical<'_>) {
        let original = logical.text.trim();
        let lead = logical.text.len() - logical.text.trim_start().len();
        let (keyword, mut rest) = split_word(original);
        let start = logical.source(lead);
        let keyword_span = Span::new(start, logical.source(lead + keyword.len()));
        let mut flags = Vec::new();
        loop {
            let (word, after) = split_word(rest);
            if word.starts_with("--") && word.len() > 2 {
                flags.push(word.to_string());
                rest = after;
            } else {
                break;
            }
        }
        let rest = rest.trim_start();
        let args_start = logical.source(lead + original.len() - rest.len());
        let (json, value) = match exec_form(rest) {
            Some(items) => (true, items),
            None => (false, rest.split_whitespace().map(str::to_string).collect()),
        };
        let start_line = logical.start_line;
        if keyword.chars().any(|c| !c.is_ascii_alphanumeric()) {
            self.errors.push(SyntaxDiagnostic {
                message: format!("line {start_line}: `{keyword}` is not an instruction keyword"),
                line: start_line,
                span: keyword_span,
            });
        }
        self.out.push(Instruction {
            cmd: keyword.to_ascii_uppercase(),
            flags,
            value,
            json,
            original: original.to_string(),
            start_line,
            end_line: logical.end_line,
            span: Span::new(start, logical.end),
            keyword_span,
            args_span: Span::new(args_start.min(logical.end), logical.end),
        });
    }
}

/// Where a piece of a logical line starts, in the joined text and in the source.
struct Piece {
    joined: usize,
    source: usize,
}

/// An instruction's physical lines joined into one.
struct Logical<'a> {
    text: &'a str,
    pieces: &'a [Piece],
    start_line: usize,
    end_line: usize,
    /// Source offset of the end of the last physical line.
    end: usize,
}

impl Logical<'_> {
    /// The source offset of `offset` in the joined text.
    fn source(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.joined <= offset).max(1);
        self.pieces
            .get(i - 1)
            .map_or(offset, |p| p.source + (offset - p.joined))
    }
}

fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    s.split_at(end)
}

/// `["a", "b"]` → the strings, if `rest` is a JSON array of strings.
fn exec_form(rest: &str) -> Option<Vec<String>> {
    let inner = rest.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut items = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        match chars.next() {
            None if items.is_empty() => return Some(items),
            Some('"') => {}
            _ => return None,
        }
        let mut item = String::new();
        loop {
            match chars.next()? {
                '"' => break,
                '\\' => match chars.next()? {
                    'n' => item.push('\n'),
                    't' => item.push('\t'),
                    c @ ('"' | '\\' | '/') => item.push(c),
                    _ => return None,
                },
                c => item.push(c),
            }
        }
        items.push(item);
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        match chars.next() {
            None => return Some(items),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_instructions_with_continuations_and_comments() {
        let text = "# c\nFROM alpine:3.20 AS build\nRUN apk add \\\n# inner\n  curl\n\nCMD [\"sh\", \"-c\"]\n";
        let file = parse(text);
        let cmds: Vec<_> = file.instructions.iter().map(|i| i.cmd.as_str()).collect();
        assert_eq!(cmds, ["FROM", "RUN", "CMD"]);
        let run = &file.instructions[1];
        assert_eq!((run.start_line, run.end_line), (3, 5));
        assert_eq!(run.value, ["apk", "add", "curl"]);
        assert_eq!(
            &text[run.span.start..run.span.end],
            "RUN apk add \\\n# inner\n  curl"
        );
        let cmd = &file.instructions[2];
        assert!(cmd.json);
        assert_eq!(cmd.value, ["sh", "-c"]);
        assert!(file.errors.is_empty());
    }

    #[test]
    fn flags_are_split_off() {
        let file = parse("COPY --from=build --link /a /b");
        let copy = &file.instructions[0];
        assert_eq!(copy.flags, ["--from=build", "--link"]);
        assert_eq!(copy.flag("from"), Some("build"));
        assert_eq!(copy.flag("link"), Some(""));
        assert_eq!(copy.flag("chown"), None);
        assert_eq!(copy.value, ["/a", "/b"]);
    }

    #[test]
    fn bad_keyword_is_an_error_not_a_failure() {
        let file = parse("FR{OM x\nUSER app\n");
        assert_eq!(file.errors.len(), 1);
        assert_eq!(file.errors[0].line, 1);
        assert_eq!(file.instructions.len(), 2);
    }
}
