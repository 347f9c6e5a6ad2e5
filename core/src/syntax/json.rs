//! Exec-form detection: BuildKit's `parseJSON`, which hands the arguments
//! to Go's `json.Unmarshal` into a `[]any`.
//!
//! What that means, and what this module reproduces without recursion:
//! - the arguments (leading Unicode whitespace trimmed) must start with `[`;
//! - the *whole* text must be one valid JSON value (JSON whitespace — space,
//!   tab, CR, LF — around it is fine): `CMD ["x"] # c` is therefore shell
//!   form at BuildKit HEAD;
//! - nesting deeper than 10,000 is a syntax error (Go's `maxNestingDepth`);
//! - a number that overflows `float64` anywhere in the value makes
//!   `Unmarshal` fail, so the line is shell form too;
//! - a valid array with any element that is not a string is an error
//!   ("when using JSON array syntax, arrays must be comprised of strings
//!   only"), reported by the parser;
//! - strings decode like Go: `\uXXXX` escapes, a lone surrogate becomes
//!   U+FFFD, raw control characters are invalid.

use std::ops::Range;

/// BuildKit's `errDockerfileNotStringArray` message.
pub const NOT_STRING_ARRAY: &str =
    "when using JSON array syntax, arrays must be comprised of strings only";

/// Why a text is not an exec-form array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON, or not an array: the arguments are shell form.
    NotJson,
    /// A valid JSON array with a non-string element: a parse error.
    NotStringArray,
}

/// Go's `encoding/json` nesting limit.
const MAX_DEPTH: usize = 10_000;

/// Parses `text` as BuildKit's `parseJSON` does. On success returns each
/// string with its byte range in `text` (quotes included).
pub fn parse_json_array(text: &str) -> Result<Vec<(String, Range<usize>)>, JsonError> {
    let start = text.len() - text.trim_start_matches(char::is_whitespace).len();
    let b = text.as_bytes();
    if b.get(start) != Some(&b'[') {
        return Err(JsonError::NotJson);
    }
    let mut p = Cursor {
        b,
        i: start + 1,
        overflow: false,
    };
    let mut items = Vec::new();
    let mut non_string = false;
    p.ws();
    if p.peek() == Some(b']') {
        p.i += 1;
    } else {
        loop {
            p.ws();
            if p.peek() == Some(b'"') {
                let from = p.i;
                let s = p.string().ok_or(JsonError::NotJson)?;
                items.push((s, from..p.i));
            } else {
                non_string = true;
                p.skip_value(1).ok_or(JsonError::NotJson)?;
            }
            p.ws();
            match p.peek() {
                Some(b',') => p.i += 1,
                Some(b']') => {
                    p.i += 1;
                    break;
                }
                _ => return Err(JsonError::NotJson),
            }
        }
    }
    p.ws();
    if p.i != b.len() || p.overflow {
        return Err(JsonError::NotJson);
    }
    if non_string {
        return Err(JsonError::NotStringArray);
    }
    Ok(items)
}

/// If all of `text` is a JSON object, the string value of its top-level
/// `key` (the last one wins, like a Go map). Used by
/// [`super::directives::detect_syntax`].
pub fn object_string_field(text: &str, key: &str) -> Option<String> {
    let mut p = Cursor {
        b: text.as_bytes(),
        i: 0,
        overflow: false,
    };
    p.ws();
    if p.peek() != Some(b'{') {
        return None;
    }
    p.i += 1;
    let mut found = None;
    p.ws();
    if p.peek() == Some(b'}') {
        p.i += 1;
    } else {
        loop {
            p.ws();
            if p.peek() != Some(b'"') {
                return None;
            }
            let k = p.string()?;
            p.ws();
            if p.peek() != Some(b':') {
                return None;
            }
            p.i += 1;
            p.ws();
            if p.peek() == Some(b'"') {
                let v = p.string()?;
                if k == key {
                    found = Some(v);
                }
            } else {
                p.skip_value(1)?;
                if k == key {
                    found = None;
                }
            }
            p.ws();
            match p.peek() {
                Some(b',') => p.i += 1,
                Some(b'}') => {
                    p.i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    p.ws();
    if p.i != p.b.len() || p.overflow {
        return None;
    }
    found
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
    /// A number overflowed `float64` (Go's `Unmarshal` then fails).
    overflow: bool,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.b.get(at..at + 4)?;
        let s = std::str::from_utf8(digits).ok()?;
        if !s.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(s, 16).ok()
    }

    /// A string at `self.i` (which is `"`), decoded like Go.
    fn string(&mut self) -> Option<String> {
        let mut out = String::new();
        self.i += 1;
        loop {
            let c = self.peek()?;
            match c {
                b'"' => {
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    let e = *self.b.get(self.i + 1)?;
                    self.i += 2;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let r = self.hex4(self.i)?;
                            self.i += 4;
                            if (0xD800..0xE000).contains(&r) {
                                // A valid pair is consumed; otherwise U+FFFD and
                                // the next escape is read on its own.
                                let pair = (r < 0xDC00
                                    && self.b.get(self.i) == Some(&b'\\')
                                    && self.b.get(self.i + 1) == Some(&b'u'))
                                .then(|| self.hex4(self.i + 2))
                                .flatten()
                                .filter(|lo| (0xDC00..0xE000).contains(lo));
                                match pair {
                                    Some(lo) => {
                                        self.i += 6;
                                        let c = 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00);
                                        out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                                    }
                                    None => out.push('\u{FFFD}'),
                                }
                            } else {
                                out.push(char::from_u32(r).unwrap_or('\u{FFFD}'));
                            }
                        }
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => {
                    // Copy one UTF-8 character (the text is valid UTF-8).
                    let len = match c {
                        0..=0x7f => 1,
                        0xc0..=0xdf => 2,
                        0xe0..=0xef => 3,
                        _ => 4,
                    };
                    let chunk = self.b.get(self.i..self.i + len)?;
                    out.push_str(std::str::from_utf8(chunk).ok()?);
                    self.i += len;
                }
            }
        }
    }

    fn number(&mut self) -> Option<()> {
        let from = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => {
                while matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.i += 1;
                }
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return None;
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return None;
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.i += 1;
            }
        }
        let text = std::str::from_utf8(self.b.get(from..self.i)?).ok()?;
        if text.parse::<f64>().map_or(true, f64::is_infinite) {
            self.overflow = true;
        }
        Some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.b.get(self.i..self.i + word.len())? == word {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    /// Skips one JSON value without recursion; `depth` containers are open
    /// around it.
    fn skip_value(&mut self, depth: usize) -> Option<()> {
        let mut stack: Vec<u8> = Vec::new();
        loop {
            // A value starts here.
            self.ws();
            let mut done = true;
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'[' | b'{' => {
                    let open = self.peek()?;
                    stack.push(open);
                    if depth + stack.len() > MAX_DEPTH {
                        return None;
                    }
                    self.i += 1;
                    self.ws();
                    let close = if open == b'[' { b']' } else { b'}' };
                    if self.peek() == Some(close) {
                        self.i += 1;
                        stack.pop();
                    } else {
                        if open == b'{' {
                            self.key()?;
                        }
                        done = false;
                    }
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            if !done {
                continue;
            }
            // After a value: close containers or move to the next item.
            loop {
                let Some(&top) = stack.last() else {
                    return Some(());
                };
                self.ws();
                match (top, self.peek()?) {
                    (_, b',') => {
                        self.i += 1;
                        if top == b'{' {
                            self.ws();
                            self.key()?;
                        }
                        break;
                    }
                    (b'[', b']') | (b'{', b'}') => {
                        self.i += 1;
                        stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    /// An object key and its `:`.
    fn key(&mut self) -> Option<()> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.string()?;
        self.ws();
        if self.peek() != Some(b':') {
            return None;
        }
        self.i += 1;
        Some(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn strings(text: &str) -> Result<Vec<String>, JsonError> {
        parse_json_array(text).map(|v| v.into_iter().map(|(s, _)| s).collect())
    }

    #[test]
    fn go_json_rules() {
        assert_eq!(strings(" [ \"a\" , \"b\" ]").unwrap(), ["a", "b"]);
        assert_eq!(strings("[]").unwrap(), Vec::<String>::new());
        assert_eq!(strings("[\"x\"] # c"), Err(JsonError::NotJson));
        assert_eq!(strings("[\"a\", 1]"), Err(JsonError::NotStringArray));
        assert_eq!(strings("[\"a\", [\"b\"]]"), Err(JsonError::NotStringArray));
        assert_eq!(strings("[\"a\", 1e999]"), Err(JsonError::NotJson));
        assert_eq!(strings("['a']"), Err(JsonError::NotJson));
        assert_eq!(strings("[\"\\ud800x\"]").unwrap(), ["\u{FFFD}x"]);
        assert_eq!(strings("[\"\\ud83d\\ude00\"]").unwrap(), ["😀"]);
        assert_eq!(strings("[\"a\tb\"]"), Err(JsonError::NotJson));
        let deep = format!("[{}{}]", "[".repeat(9_999), "]".repeat(9_999));
        assert_eq!(strings(&deep), Err(JsonError::NotStringArray));
        let deeper = format!("[{}{}]", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(strings(&deeper), Err(JsonError::NotJson));
    }

    #[test]
    fn object_fields() {
        let t = "{\"syntax\": \"foo\", \"bar\": [\"abc\"]}";
        assert_eq!(object_string_field(t, "syntax").as_deref(), Some("foo"));
        assert_eq!(object_string_field("{\"syntax\": \"foo\"", "syntax"), None);
        assert_eq!(
            object_string_field("{\"syntax\": \"foo\"}\n# x", "syntax"),
            None
        );
    }
}
