//! The parts of one lexed shell word ([`Word::raw`](crate::syntax::shell::Word)):
//! which text is unquoted, single-quoted, double-quoted or escaped, and
//! where its parameter expansions and substitutions are. The ShellCheck-like
//! rules ask "is this `$VAR` quoted?" of these parts; nothing here re-lexes
//! commands (the lexer already split the script), it only looks inside one
//! word.

use crate::diagnostic::Span;

/// How a part is quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    None,
    /// `'…'`
    Single,
    /// `"…"`
    Double,
    /// `\x`
    Escaped,
    /// `$'…'`
    AnsiC,
}

/// What a part is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Literal text (for quoted parts, the text between the quotes).
    Text,
    /// `$NAME`, `$1`, `$?`, `${…}`.
    Param,
    /// `$( … )`
    CommandSub,
    /// `` `…` ``
    Backtick,
    /// `$(( … ))`
    Arith,
}

/// One part of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part<'a> {
    pub kind: Kind,
    pub quote: Quote,
    /// The part's text as written (for `Text`, without the quotes).
    pub text: &'a str,
    /// Byte offset of `text` in the word.
    pub start: usize,
}

impl Part<'_> {
    /// The part's span in the script, given the word's span.
    pub fn span_in(&self, word: Span) -> Span {
        let start = word.start.saturating_add(self.start);
        Span::new(start, start.saturating_add(self.text.len()))
    }

    /// Unquoted: subject to word splitting and globbing.
    pub fn is_unquoted(&self) -> bool {
        self.quote == Quote::None
    }

    /// A command substitution, either spelling.
    pub fn is_substitution(&self) -> bool {
        matches!(self.kind, Kind::CommandSub | Kind::Backtick)
    }
}

/// A parameter expansion taken apart: `${#NAME}`, `${NAME:-word}`, `$1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param<'a> {
    /// The name, digit(s) or special character (`#`, `?`, `@`, …).
    pub name: &'a str,
    /// `${#NAME}`: the length, always a number.
    pub length: bool,
    /// What follows the name inside braces (`:-word`, `%%.*`, `[@]`).
    pub op: &'a str,
}

/// Takes a `Param` part's text apart.
pub fn param(text: &str) -> Param<'_> {
    let Some(inner) = text.strip_prefix("${") else {
        return Param {
            name: text.get(1..).unwrap_or_default(),
            length: false,
            op: "",
        };
    };
    let inner = inner.strip_suffix('}').unwrap_or(inner);
    let (length, body) = match inner.strip_prefix('#') {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, inner),
    };
    let bytes = body.as_bytes();
    let first = bytes.first().copied().unwrap_or(b' ');
    let end = if first.is_ascii_alphabetic() || first == b'_' {
        bytes
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
            .unwrap_or(bytes.len())
    } else if first.is_ascii_digit() {
        bytes
            .iter()
            .position(|c| !c.is_ascii_digit())
            .unwrap_or(bytes.len())
    } else {
        1.min(bytes.len())
    };
    Param {
        name: body.get(..end).unwrap_or_default(),
        length,
        op: body.get(end..).unwrap_or_default(),
    }
}

/// Splits a raw word into its parts. Never fails: unterminated quotes or
/// substitutions run to the end of the word.
pub fn parts(raw: &str) -> Vec<Part<'_>> {
    let b = raw.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut double = false;
    let quote = |double: bool| if double { Quote::Double } else { Quote::None };
    let mut push = |kind, quote, start: usize, end: usize| {
        if end > start
            && let Some(text) = raw.get(start..end)
        {
            out.push(Part {
                kind,
                quote,
                text,
                start,
            });
        }
    };
    while let Some(&c) = b.get(i) {
        match c {
            b'\'' if !double => {
                let end = find(b, i + 1, b'\'');
                push(Kind::Text, Quote::Single, i + 1, end);
                i = end + 1;
            }
            b'"' => {
                double = !double;
                i += 1;
            }
            b'\\' => {
                let end = char_end(raw, i + 1);
                let q = if double {
                    Quote::Double
                } else {
                    Quote::Escaped
                };
                push(Kind::Text, q, i, end);
                i = end;
            }
            b'`' => {
                let end = backtick_end(b, i + 1);
                push(Kind::Backtick, quote(double), i, end);
                i = end;
            }
            b'$' => {
                let (kind, end) = dollar(b, i, double);
                match kind {
                    Some(Kind::Text) => {
                        // `$'…'`
                        push(Kind::Text, Quote::AnsiC, i + 2, end.saturating_sub(1));
                    }
                    Some(kind) => push(kind, quote(double), i, end),
                    None => push(Kind::Text, quote(double), i, end),
                }
                i = end.max(i + 1);
            }
            _ => {
                let mut end = i + 1;
                while let Some(&d) = b.get(end) {
                    if matches!(d, b'\\' | b'`' | b'$' | b'"') || (d == b'\'' && !double) {
                        break;
                    }
                    end += 1;
                }
                push(Kind::Text, quote(double), i, end);
                i = end;
            }
        }
    }
    out
}

/// Index of the next `want` at or after `from` (or the end).
fn find(b: &[u8], from: usize, want: u8) -> usize {
    b.get(from..)
        .and_then(|r| r.iter().position(|&c| c == want))
        .map_or(b.len(), |p| from + p)
}

/// The end of the character starting at `at` (at most the end).
fn char_end(raw: &str, at: usize) -> usize {
    let len = raw
        .get(at..)
        .and_then(|s| s.chars().next())
        .map_or(0, char::len_utf8);
    (at + len).min(raw.len())
}

/// Just past the backtick closing one opened before `from`.
fn backtick_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => i += 2,
            b'`' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// At `$`: the kind of expansion and the index just past it. `Text` means
/// `$'…'`; `None` a lone `$`.
fn dollar(b: &[u8], i: usize, double: bool) -> (Option<Kind>, usize) {
    match b.get(i + 1) {
        Some(b'(') if b.get(i + 2) == Some(&b'(') => {
            (Some(Kind::Arith), close(b, i + 1, b'(', b')'))
        }
        Some(b'(') => (Some(Kind::CommandSub), close(b, i + 1, b'(', b')')),
        Some(b'{') => (Some(Kind::Param), close(b, i + 1, b'{', b'}')),
        Some(b'\'') if !double => {
            let mut j = i + 2;
            while let Some(&c) = b.get(j) {
                match c {
                    b'\\' => j += 2,
                    b'\'' => return (Some(Kind::Text), j + 1),
                    _ => j += 1,
                }
            }
            (Some(Kind::Text), b.len())
        }
        Some(&c) if c.is_ascii_alphabetic() || c == b'_' => {
            let mut j = i + 2;
            while b
                .get(j)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
            {
                j += 1;
            }
            (Some(Kind::Param), j)
        }
        Some(&c) if c.is_ascii_digit() || b"@*#?-$!".contains(&c) => (Some(Kind::Param), i + 2),
        _ => (None, i + 1),
    }
}

/// Just past the `close` matching the `open` at `at`, skipping quotes and
/// escapes (or the end).
fn close(b: &[u8], at: usize, open: u8, close: u8) -> usize {
    let mut depth = 0usize;
    let mut i = at;
    while let Some(&c) = b.get(i) {
        if c == b'\\' {
            i += 2;
            continue;
        }
        if c == b'\'' && open == b'(' {
            i = find(b, i + 1, b'\'') + 1;
            continue;
        }
        if c == b'"' {
            let mut j = i + 1;
            while let Some(&d) = b.get(j) {
                match d {
                    b'\\' => j += 2,
                    b'"' => break,
                    _ => j += 1,
                }
            }
            i = j + 1;
            continue;
        }
        if c == open {
            depth += 1;
        } else if c == close {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return i + 1;
            }
        }
        i += 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(raw: &str) -> Vec<String> {
        parts(raw)
            .iter()
            .map(|p| format!("{:?}/{:?}:{}", p.kind, p.quote, p.text))
            .collect()
    }

    #[test]
    fn splits_quotes_and_expansions() {
        assert_eq!(
            show(r#"a$B"c${D:-e}"'$f'\g$(h "i)")`j`$((1+2))$'\n'"#),
            [
                "Text/None:a",
                "Param/None:$B",
                "Text/Double:c",
                "Param/Double:${D:-e}",
                "Text/Single:$f",
                "Text/Escaped:\\g",
                "CommandSub/None:$(h \"i)\")",
                "Backtick/None:`j`",
                "Arith/None:$((1+2))",
                "Text/AnsiC:\\n",
            ]
        );
        assert_eq!(show("\"$(a)\""), ["CommandSub/Double:$(a)"]);
        assert_eq!(show("$"), ["Text/None:$"]);
        assert_eq!(show("'open"), ["Text/Single:open"]);
        assert_eq!(show("$(open"), ["CommandSub/None:$(open"]);
    }

    #[test]
    fn takes_parameters_apart() {
        let p = param("${#NAME}");
        assert!(p.length && p.name == "NAME");
        let p = param("${A:-x y}");
        assert_eq!((p.name, p.op), ("A", ":-x y"));
        assert_eq!(param("$?").name, "?");
        assert_eq!(param("${10}").name, "10");
        assert_eq!(param("${#}").name, "#");
    }

    #[test]
    fn odd_input_never_panics() {
        for raw in ["\\", "$'", "${", "`", "\"", "é\\é", "$(((", "'\u{e9}"] {
            let _ = parts(raw);
        }
    }
}
