//! One logical line → keyword, flags and arguments, as BuildKit's
//! `newNodeFromLine`, `splitCommand`, `extractBuilderFlags` and the
//! per-instruction line parsers (`line_parsers.go`) do it.
//!
//! Every string comes with its byte range in the logical line so the reader
//! can map it back to the source.
//!
//! Quirks kept on purpose, because BuildKit has them:
//! - the keyword is split off at the first run of `[\t\v\f\r ]` after the
//!   line is trimmed of Unicode white space, and kept as written;
//! - flags are read byte by byte: bytes 0x85 and 0xA0 count as white space
//!   and every byte ≥ 0x80 is taken as a Latin-1 character, so non-ASCII
//!   text inside a flag comes out re-encoded (Go's `rune(line[pos])`); the
//!   escape character there is always `\`;
//! - `--` ends the flags and is dropped;
//! - ENV/LABEL: the legacy `KEY value` form is chosen when the first word
//!   has no `=`; its value is the rest of the line as written;
//! - HEALTHCHECK splits its first word off byte by byte, like the flags.

use std::borrow::Cow;
use std::ops::Range;

use super::dump::{go_lower, go_quote};
use super::json::{self, JsonError};

/// How deeply `ONBUILD ONBUILD …` is followed; deeper levels are an error.
/// (BuildKit nests without limit at this stage and rejects chained ONBUILD
/// later, when it builds instructions.)
pub const MAX_ONBUILD_DEPTH: usize = 16;

/// A string of the line and its byte range there.
pub type Item = (String, Range<usize>);

/// An instruction as BuildKit's parser builds it, with ranges in the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawNode {
    pub cmd: Item,
    pub flags: Vec<Item>,
    pub values: Vec<Item>,
    pub json: bool,
    /// The range of the arguments after the flags.
    pub args: Range<usize>,
    /// The text this node was made from (`Original`).
    pub original: Item,
    /// ONBUILD's inner instruction.
    pub sub: Option<Box<RawNode>>,
}

/// Parses one logical line (`base` is where `line` starts in the logical
/// line, for the ranges). An error is BuildKit's message.
pub fn node_from_line(line: &str, base: usize, escape: char) -> Result<RawNode, String> {
    node_at_depth(line, base, escape, 0)
}

fn node_at_depth(line: &str, base: usize, escape: char, depth: usize) -> Result<RawNode, String> {
    let (cmd, flags, args) = split_command(line, base);
    let rest = args.0.as_ref();
    let at = args.1.start;
    let mut sub = None;
    let mut json = false;
    let values = match go_lower(&cmd.0).as_str() {
        "add" | "copy" | "volume" => {
            let (v, j) = parse_maybe_json_to_list(rest, at)?;
            json = j;
            v
        }
        "arg" => parse_words(rest, at, escape),
        "cmd" | "entrypoint" | "run" | "shell" => {
            let (v, j) = parse_maybe_json(rest, at)?;
            json = j;
            v
        }
        "env" => parse_name_val(rest, at, "ENV", escape)?,
        "label" => parse_name_val(rest, at, "LABEL", escape)?,
        "expose" | "from" => parse_strings_whitespace_delimited(rest, at),
        "healthcheck" => {
            let (v, j) = parse_health_config(rest, at)?;
            json = j;
            v
        }
        "maintainer" | "stopsignal" | "user" | "workdir" => parse_string(rest, at),
        "onbuild" => {
            if rest.is_empty() {
                Vec::new()
            } else if depth >= MAX_ONBUILD_DEPTH {
                return Err(format!(
                    "ONBUILD nested more than {MAX_ONBUILD_DEPTH} levels deep"
                ));
            } else {
                let inner = node_at_depth(rest, at, escape, depth + 1)?;
                json = inner.json;
                let values = inner.values.clone();
                sub = Some(Box::new(inner));
                values
            }
        }
        // BuildKit keeps an unknown instruction with one empty argument.
        _ => vec![(String::new(), at..at)],
    };
    Ok(RawNode {
        cmd,
        flags,
        values,
        json,
        args: args.1,
        original: (line.to_string(), base..base + line.len()),
        sub,
    })
}

/// Go's `unicode.IsSpace` on one byte taken as a Latin-1 character.
fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0)
}

/// BuildKit's `reWhitespace`: `[\t\v\f\r ]`.
fn is_re_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// The text of `line` from byte `at`, lossily when `at` falls inside a
/// character (possible after the byte-wise flag scanner).
fn tail(line: &str, at: usize) -> Cow<'_, str> {
    match line.get(at..) {
        Some(s) => Cow::Borrowed(s),
        None => String::from_utf8_lossy(line.as_bytes().get(at..).unwrap_or_default()),
    }
}

/// Go's `strings.TrimSpace` with the offset of what is left.
fn trim_space_at(s: &str) -> (usize, &str) {
    let start = s.len() - s.trim_start_matches(char::is_whitespace).len();
    let t = s.trim_matches(char::is_whitespace);
    (start, t)
}

/// `splitCommand`: keyword, flags, and the (trimmed) arguments with their
/// range.
#[allow(clippy::type_complexity)]
fn split_command(line: &str, base: usize) -> (Item, Vec<Item>, (Cow<'_, str>, Range<usize>)) {
    let (lead, trimmed) = trim_space_at(line);
    let start = base + lead;
    let Some(ws) = trimmed.find(is_re_whitespace) else {
        let end = start + trimmed.len();
        return (
            (trimmed.to_string(), start..end),
            Vec::new(),
            (Cow::Borrowed(""), end..end),
        );
    };
    let cmd = (
        trimmed.get(..ws).unwrap_or("").to_string(),
        start..start + ws,
    );
    let after = ws
        + trimmed.get(ws..).map_or(0, |r| {
            r.len() - r.trim_start_matches(is_re_whitespace).len()
        });
    let rest = trimmed.get(after..).unwrap_or("");
    let rest_base = start + after;
    let (remaining, flags) = extract_builder_flags(rest.as_bytes());
    let flags = flags
        .into_iter()
        .map(|(f, r)| (f, rest_base + r.start..rest_base + r.end))
        .collect();
    let args = match remaining {
        None => (
            Cow::Borrowed(""),
            rest_base + rest.len()..rest_base + rest.len(),
        ),
        Some(at) => {
            let t = tail(rest, at);
            let (lead, _) = trim_space_at(&t);
            let len = t.trim_matches(char::is_whitespace).len();
            // When the flags ended inside a character, `t` begins with one
            // U+FFFD (3 bytes) per stray byte: offsets into `t` run ahead
            // of the source by `grown`. Shift the base back so that the
            // text after them maps exactly (and nothing runs past the line).
            let grown = t.len() - (rest.len() - at.min(rest.len()));
            let from = (rest_base + at).saturating_sub(grown) + lead;
            let args = match t {
                Cow::Borrowed(b) => Cow::Borrowed(b.get(lead..lead + len).unwrap_or("")),
                Cow::Owned(o) => Cow::Owned(o.get(lead..lead + len).unwrap_or("").to_string()),
            };
            (args, from..from + len)
        }
    };
    (cmd, flags, args)
}

/// `extractBuilderFlags`: the flags (with ranges in `line`) and where the
/// arguments start (`None`: no arguments).
fn extract_builder_flags(line: &[u8]) -> (Option<usize>, Vec<Item>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0;
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut ch = 0u8;
    let mut pos = 0;
    while pos <= line.len() {
        if let Some(&b) = line.get(pos) {
            ch = b;
        }
        let at_end = pos == line.len();
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if is_space_byte(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || line.get(pos + 1) != Some(&b'-') {
                return (Some(pos), words);
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if at_end {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push((word, word_start..pos));
            }
            break;
        }
        if phase == Phase::Word {
            if is_space_byte(ch) {
                phase = Phase::Spaces;
                if word == "--" {
                    return (Some(pos), words);
                }
                if blank_ok || !word.is_empty() {
                    words.push((std::mem::take(&mut word), word_start..pos));
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == b'\'' || ch == b'"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            if ch == b'\\' {
                if pos + 1 == line.len() {
                    pos += 1;
                    continue;
                }
                pos += 1;
                ch = line.get(pos).copied().unwrap_or(ch);
            }
            word.push(char::from(ch));
            pos += 1;
            continue;
        }
        // In quotes.
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        if ch == b'\\' {
            if pos + 1 == line.len() {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            ch = line.get(pos).copied().unwrap_or(ch);
        }
        word.push(char::from(ch));
        pos += 1;
    }
    (None, words)
}

/// `parseWords`: words split at Unicode white space; quotes and escapes
/// are kept, an escape character ending the text is dropped.
pub fn parse_words(rest: &str, base: usize, escape: char) -> Vec<Item> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut word = String::new();
    let mut start = 0;
    let mut chars = rest.char_indices().peekable();
    loop {
        let Some((pos, mut ch)) = chars.next() else {
            if phase != Phase::Spaces && (blank_ok || !word.is_empty()) {
                let end = start + word.len();
                words.push((word, base + start..base + end));
            }
            break;
        };
        let last = chars.peek().is_none();
        if phase == Phase::Spaces {
            if ch.is_whitespace() {
                continue;
            }
            phase = Phase::Word;
            start = pos;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    let end = start + word.len();
                    words.push((std::mem::take(&mut word), base + start..base + end));
                }
                word.clear();
                blank_ok = false;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                if last {
                    continue;
                }
                word.push(ch);
                if let Some((_, next)) = chars.next() {
                    ch = next;
                }
            }
            word.push(ch);
            continue;
        }
        // In quotes.
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == escape && quote != '\'' {
            if last {
                phase = Phase::Word;
                continue;
            }
            word.push(ch);
            if let Some((_, next)) = chars.next() {
                ch = next;
            }
        }
        word.push(ch);
    }
    words
}

/// `parseNameVal` (ENV, LABEL): triples key, value, `"="` — or key, rest of
/// the line, `""` in the legacy form.
pub fn parse_name_val(
    rest: &str,
    base: usize,
    key: &str,
    escape: char,
) -> Result<Vec<Item>, String> {
    let words = parse_words(rest, base, escape);
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    if !first.0.contains('=') {
        let Some(ws) = rest.find(is_re_whitespace) else {
            return Err(format!("{key} must have two arguments"));
        };
        let after = rest.get(ws..).unwrap_or("");
        let skip = after.len() - after.trim_start_matches(is_re_whitespace).len();
        let value_at = ws + skip;
        let end = base + rest.len();
        return Ok(vec![
            (rest.get(..ws).unwrap_or("").to_string(), base..base + ws),
            (
                rest.get(value_at..).unwrap_or("").to_string(),
                base + value_at..end,
            ),
            (String::new(), end..end),
        ]);
    }
    let mut out = Vec::with_capacity(words.len() * 3);
    for (word, range) in words {
        let Some(eq) = word.find('=') else {
            return Err(format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                go_quote(&word)
            ));
        };
        let s = range.start;
        out.push((word.get(..eq).unwrap_or("").to_string(), s..s + eq));
        out.push((
            word.get(eq + 1..).unwrap_or("").to_string(),
            s + eq + 1..range.end,
        ));
        out.push(("=".to_string(), s + eq..s + eq + 1));
    }
    Ok(out)
}

/// `parseStringsWhitespaceDelimited`: split at runs of `[\t\v\f\r ]`.
pub fn parse_strings_whitespace_delimited(rest: &str, base: usize) -> Vec<Item> {
    if rest.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_ws = false;
    for (i, c) in rest.char_indices() {
        if is_re_whitespace(c) {
            if !in_ws {
                out.push((
                    rest.get(start..i).unwrap_or("").to_string(),
                    base + start..base + i,
                ));
                in_ws = true;
            }
        } else if in_ws {
            in_ws = false;
            start = i;
        }
    }
    if in_ws {
        start = rest.len();
    }
    out.push((
        rest.get(start..).unwrap_or("").to_string(),
        base + start..base + rest.len(),
    ));
    out
}

/// `parseString`: the whole text as one argument.
pub fn parse_string(rest: &str, base: usize) -> Vec<Item> {
    if rest.is_empty() {
        Vec::new()
    } else {
        vec![(rest.to_string(), base..base + rest.len())]
    }
}

/// `parseJSON` with ranges.
pub fn parse_json(rest: &str, base: usize) -> Result<Vec<Item>, JsonError> {
    json::parse_json_array(rest).map(|items| {
        items
            .into_iter()
            .map(|(s, r)| (s, base + r.start..base + r.end))
            .collect()
    })
}

/// `parseMaybeJSON` (RUN, CMD, ENTRYPOINT, SHELL): exec form or one string.
pub fn parse_maybe_json(rest: &str, base: usize) -> Result<(Vec<Item>, bool), String> {
    if rest.is_empty() {
        return Ok((Vec::new(), false));
    }
    match parse_json(rest, base) {
        Ok(items) => Ok((items, true)),
        Err(JsonError::NotStringArray) => Err(json::NOT_STRING_ARRAY.to_string()),
        Err(JsonError::NotJson) => Ok((parse_string(rest, base), false)),
    }
}

/// `parseMaybeJSONToList` (ADD, COPY, VOLUME): exec form or words.
pub fn parse_maybe_json_to_list(rest: &str, base: usize) -> Result<(Vec<Item>, bool), String> {
    match parse_json(rest, base) {
        Ok(items) => Ok((items, true)),
        Err(JsonError::NotStringArray) => Err(json::NOT_STRING_ARRAY.to_string()),
        Err(JsonError::NotJson) => Ok((parse_strings_whitespace_delimited(rest, base), false)),
    }
}

/// `parseHealthConfig`: the type word (`CMD`, `NONE`) then
/// [`parse_maybe_json`] of the rest.
pub fn parse_health_config(rest: &str, base: usize) -> Result<(Vec<Item>, bool), String> {
    let b = rest.as_bytes();
    let sep = b.iter().position(|&c| is_space_byte(c)).unwrap_or(b.len());
    let next = b
        .iter()
        .skip(sep)
        .position(|&c| !is_space_byte(c))
        .map_or(b.len(), |p| sep + p);
    if sep == 0 {
        return Ok((Vec::new(), false));
    }
    let typ = String::from_utf8_lossy(b.get(..sep).unwrap_or_default()).into_owned();
    let cmd_text = tail(rest, next);
    let (cmd, json) = parse_maybe_json(&cmd_text, base + next)?;
    let mut out = vec![(typ, base..base + sep)];
    out.extend(cmd);
    Ok((out, json))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn values(line: &str) -> Vec<String> {
        node_from_line(line, 0, '\\')
            .unwrap()
            .values
            .into_iter()
            .map(|v| v.0)
            .collect()
    }

    #[test]
    fn forms() {
        assert_eq!(values("COPY --from=a -- x y"), ["x", "y"]);
        assert_eq!(values("ENV a b  c"), ["a", "b  c", ""]);
        assert_eq!(
            values("LABEL a=\"b c\" d=e"),
            ["a", "\"b c\"", "=", "d", "e", "="]
        );
        assert_eq!(values("HEALTHCHECK CMD [\"x\"]"), ["CMD", "x"]);
        assert_eq!(values("FOO bar"), [""]);
        assert_eq!(values("ARG a=1 b"), ["a=1", "b"]);
        let n = node_from_line("COPY --chmod=\"7 5\" a b", 0, '\\').unwrap();
        assert_eq!(n.flags[0].0, "--chmod=7 5");
        assert_eq!(n.flags[0].1, 5..18);
        assert!(node_from_line("LABEL a=b c", 0, '\\').is_err());
    }

    #[test]
    fn words() {
        let w: Vec<_> = parse_words("foo\\ bar 'a b' x\\", 0, '\\')
            .into_iter()
            .collect();
        assert_eq!(
            w,
            [
                ("foo\\ bar".to_string(), 0..8),
                ("'a b'".to_string(), 9..14),
                ("x".to_string(), 15..16)
            ]
        );
    }
}
