//! Parser directives: `# syntax=…`, `# escape=…`, `# check=…`.
//!
//! BuildKit's `DirectiveParser`: a line is a directive when it matches
//! `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` (`\s` being
//! `[\t\n\f\r ]`) and its lower-cased key is `syntax`, `escape` or `check`.
//! The first line that is not a directive — a blank line, any other
//! comment, an unknown key, an instruction — ends the directives for good.
//! A key given twice is an error ("only one escape parser directive can be
//! used"). [`detect_syntax`] also accepts `// syntax=…` and a JSON object,
//! and skips a `#!` first line and a byte-order mark.

/// One directive found by [`DirectiveParser`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDirective {
    /// Lower-cased key.
    pub name: String,
    pub value: String,
    /// 1-based line (counted by the parser that found it).
    pub line: usize,
}

/// Reads directives line by line until the first non-directive.
#[derive(Debug, Clone, Default)]
pub struct DirectiveParser {
    line: usize,
    /// `//` instead of `#` (only for [`detect_syntax`]).
    slashes: bool,
    seen: Vec<String>,
    done: bool,
}

impl DirectiveParser {
    /// A parser for `#` directives.
    pub fn new() -> Self {
        Self::default()
    }

    /// Is the directive section over?
    pub fn done(&self) -> bool {
        self.done
    }

    /// Looks at one more line (BuildKit's `ParseLine`).
    pub fn parse_line(&mut self, line: &str) -> Result<Option<FoundDirective>, String> {
        self.line += 1;
        if self.done {
            return Ok(None);
        }
        let prefix = if self.slashes { "//" } else { "#" };
        let Some((key, value)) = match_directive(line, prefix) else {
            self.done = true;
            return Ok(None);
        };
        let name = key.to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.done = true;
            return Ok(None);
        }
        if self.seen.contains(&name) {
            return Err(format!("only one {name} parser directive can be used"));
        }
        self.seen.push(name.clone());
        Ok(Some(FoundDirective {
            name,
            value: value.to_string(),
            line: self.line,
        }))
    }

    /// All directives at the top of `data` (BuildKit's `ParseAll`, lines
    /// split like Go's `bufio.ScanLines`). On an error, returns what was
    /// found before it together with the error.
    pub fn parse_all(&mut self, data: &str) -> (Vec<FoundDirective>, Option<String>) {
        let mut out = Vec::new();
        for line in scan_lines(data) {
            if self.done {
                break;
            }
            match self.parse_line(line) {
                Ok(Some(d)) => out.push(d),
                Ok(None) => {}
                Err(e) => return (out, Some(e)),
            }
        }
        (out, None)
    }
}

/// A directive found by [`detect_syntax`] or [`parse_directive`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectedDirective {
    /// The value up to its first space (`docker/dockerfile:1`).
    pub reference: String,
    /// The whole value.
    pub cmdline: String,
    /// 1-based line; 0 for the JSON form (as BuildKit reports it).
    pub line: usize,
}

/// The frontend named by `# syntax=`, `// syntax=` or `{"syntax": "…"}`
/// (BuildKit's `DetectSyntax`).
pub fn detect_syntax(data: &str) -> Option<DetectedDirective> {
    find_directive("syntax", data, true)
}

/// The value of directive `key` in `#` form only (BuildKit's
/// `ParseDirective`).
pub fn parse_directive(key: &str, data: &str) -> Option<DetectedDirective> {
    find_directive(key, data, false)
}

fn find_directive(key: &str, data: &str, any_format: bool) -> Option<DetectedDirective> {
    let data = data.strip_prefix('\u{feff}').unwrap_or(data);
    let first = data.split('\n').next().unwrap_or("");
    let (data, line) = if first.starts_with("#!") {
        (data.split_once('\n').map_or("", |(_, rest)| rest), 1)
    } else {
        (data, 0)
    };
    let found = |slashes: bool| {
        let mut parser = DirectiveParser {
            line,
            slashes,
            ..DirectiveParser::default()
        };
        let (found, _) = parser.parse_all(data);
        found
            .into_iter()
            .find(|d| d.name == key)
            .map(|d| DetectedDirective {
                reference: d.value.split(' ').next().unwrap_or("").to_string(),
                cmdline: d.value,
                line: d.line,
            })
    };
    if let Some(d) = found(false) {
        return Some(d);
    }
    if !any_format {
        return None;
    }
    if let Some(d) = found(true) {
        return Some(d);
    }
    super::json::object_string_field(data, key).map(|v| DetectedDirective {
        reference: v.clone(),
        cmdline: v,
        line,
    })
}

/// Lines as Go's `bufio.ScanLines` gives them: split at `\n`, one trailing
/// `\r` dropped, no empty last line.
fn scan_lines(data: &str) -> impl Iterator<Item = &str> {
    let data = data.strip_suffix('\n').unwrap_or(data);
    let lines: Box<dyn Iterator<Item = &str>> = if data.is_empty() {
        Box::new(std::iter::empty())
    } else {
        Box::new(data.split('\n'))
    };
    lines.map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// RE2's `\s`.
fn is_re_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ')
}

/// Matches `^<prefix>\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`.
fn match_directive<'a>(line: &'a str, prefix: &str) -> Option<(&'a str, &'a str)> {
    let rest = line.strip_prefix(prefix)?.trim_start_matches(is_re_space);
    let key_len = rest
        .bytes()
        .enumerate()
        .take_while(|&(i, b)| {
            if i == 0 {
                b.is_ascii_alphabetic()
            } else {
                b.is_ascii_alphanumeric()
            }
        })
        .count();
    if key_len == 0 {
        return None;
    }
    let (key, rest) = rest.split_at(key_len);
    let rest = rest.trim_start_matches(is_re_space).strip_prefix('=')?;
    if rest.is_empty() || rest.contains('\n') {
        return None;
    }
    let value = rest
        .trim_start_matches(is_re_space)
        .trim_end_matches(is_re_space);
    if !value.is_empty() {
        return Some((key, value));
    }
    // Only white space after `=`: the lazy group takes its last character.
    let last = rest.char_indices().last()?.0;
    Some((key, rest.get(last..)?))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn directive_lines() {
        assert_eq!(
            match_directive("# EScape = `  ", "#"),
            Some(("EScape", "`"))
        );
        assert_eq!(match_directive("#a=  ", "#"), Some(("a", " ")));
        assert_eq!(match_directive("#a=", "#"), None);
        assert_eq!(match_directive("# key-x=1", "#"), None);
        let mut p = DirectiveParser::new();
        assert!(p.parse_line("#syntax=a").unwrap().is_some());
        assert!(p.parse_line("#syntax=b").is_err());
    }

    #[test]
    fn detects_syntax() {
        let d = detect_syntax("#!/bin/sh\n# syntax = x // opts\n").unwrap();
        assert_eq!(
            (d.reference.as_str(), d.cmdline.as_str(), d.line),
            ("x", "x // opts", 2)
        );
        assert_eq!(detect_syntax("#!/bin/sh\n\n# syntax = x\n"), None);
        assert_eq!(detect_syntax("//syntax=foo\n").unwrap().reference, "foo");
        assert_eq!(parse_directive("check", "//check=skip=all"), None);
    }
}
