//! The shell patterns of `${V#p}`, `${V%p}` and `${V/p/r}`.
//!
//! BuildKit turns a pattern into a Go regular expression (`*` → `.*` or
//! `.*?`, `?` → `.`, everything else literal) and runs Go's leftmost-first
//! engine. The only constructs are literals, "any character but a newline"
//! and a star of it, so a small Pike VM gives the same matches in
//! `O(text × pattern)` time, without backtracking blow-ups.

use std::fmt;

/// One element of a compiled pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// A literal character.
    Lit(char),
    /// `?`: any one character except `\n` (Go's `.`).
    Any,
    /// `*`: any run of characters except `\n` (Go's `.*` / `.*?`).
    Star,
}

/// A compiled shell pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    toks: Vec<Tok>,
    /// `*` prefers the longest run (`.*`) instead of the shortest (`.*?`).
    greedy: bool,
    /// Matches only at the start of the text (`^`).
    anchored: bool,
}

/// A pattern BuildKit rejects: `\` followed by anything but `*`, `?`, `\`
/// (or, dropped silently, `}` and `/`), or `\` at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// The character after the backslash; `None` at the end of the pattern.
    pub escaped: Option<char>,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Go prints EOF (-1) with %c as U+FFFD.
        write!(
            f,
            "invalid escape '\\{}'",
            self.escaped.unwrap_or('\u{FFFD}')
        )
    }
}

impl std::error::Error for PatternError {}

impl Pattern {
    /// Compiles `pattern` as BuildKit's `convertShellPatternToRegex` does.
    pub fn compile(pattern: &str, greedy: bool, anchored: bool) -> Result<Self, PatternError> {
        let mut chars = pattern.chars().peekable();
        // Go's text/scanner skips a byte-order mark at the very start.
        if chars.peek() == Some(&'\u{FEFF}') {
            chars.next();
        }
        let mut toks = Vec::new();
        while let Some(c) = chars.next() {
            match c {
                '*' => toks.push(Tok::Star),
                '?' => toks.push(Tok::Any),
                '\\' => match chars.peek().copied() {
                    // `}` and `/` are escaped only to get them through `${}`;
                    // the backslash is not part of the pattern.
                    Some('}' | '/') => {}
                    Some(e @ ('*' | '?' | '\\')) => {
                        chars.next();
                        toks.push(Tok::Lit(e));
                    }
                    other => {
                        return Err(PatternError { escaped: other });
                    }
                },
                c => toks.push(Tok::Lit(c)),
            }
        }
        Ok(Self {
            toks,
            greedy,
            anchored,
        })
    }

    /// The Go regular expression BuildKit builds for this pattern (for
    /// diagnostics and conformance tests).
    pub fn to_go_regex(&self) -> String {
        let mut out = String::new();
        if self.anchored {
            out.push('^');
        }
        for t in &self.toks {
            match *t {
                Tok::Star if self.greedy => out.push_str(".*"),
                Tok::Star => out.push_str(".*?"),
                Tok::Any => out.push('.'),
                Tok::Lit(c) => {
                    if matches!(
                        c,
                        '[' | ']'
                            | '{'
                            | '}'
                            | '.'
                            | '+'
                            | '('
                            | ')'
                            | '|'
                            | '^'
                            | '$'
                            | '*'
                            | '?'
                            | '\\'
                    ) {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
        }
        out
    }

    /// The leftmost-first match at or after char index `from`, as
    /// `(start, end)` char indices.
    pub fn find_at(&self, hay: &[char], from: usize) -> Option<(usize, usize)> {
        let n = self.toks.len();
        // seen[pc] == generation of the list pc was last added to.
        let mut seen = vec![usize::MAX; n + 1];
        let mut clist: Vec<(usize, usize)> = Vec::new();
        let mut nlist: Vec<(usize, usize)> = Vec::new();
        let mut found = None;
        let mut pos = from;
        loop {
            if found.is_none() && (!self.anchored || pos == 0) {
                self.add(&mut clist, &mut seen, pos, 0, pos);
            }
            if clist.is_empty() {
                break;
            }
            let c = hay.get(pos).copied();
            for &(pc, start) in &clist {
                match self.toks.get(pc) {
                    None => {
                        // Match: lower-priority threads are cut off.
                        found = Some((start, pos));
                        break;
                    }
                    Some(Tok::Lit(l)) => {
                        if c == Some(*l) {
                            self.add(&mut nlist, &mut seen, pos + 1, pc + 1, start);
                        }
                    }
                    Some(Tok::Any) => {
                        if c.is_some_and(|c| c != '\n') {
                            self.add(&mut nlist, &mut seen, pos + 1, pc + 1, start);
                        }
                    }
                    Some(Tok::Star) => {
                        if c.is_some_and(|c| c != '\n') {
                            self.add(&mut nlist, &mut seen, pos + 1, pc, start);
                        }
                    }
                }
            }
            if pos >= hay.len() {
                break;
            }
            std::mem::swap(&mut clist, &mut nlist);
            nlist.clear();
            pos += 1;
        }
        found
    }

    /// Adds thread `pc` with its epsilon closure (a run of stars may be
    /// skipped) to `list`, in priority order.
    fn add(
        &self,
        list: &mut Vec<(usize, usize)>,
        seen: &mut [usize],
        generation: usize,
        pc: usize,
        start: usize,
    ) {
        let mut end = pc;
        while matches!(self.toks.get(end), Some(Tok::Star)) {
            end += 1;
        }
        let mut push = |p: usize| {
            if let Some(s) = seen.get_mut(p)
                && *s != generation
            {
                *s = generation;
                list.push((p, start));
            }
        };
        if self.greedy {
            for p in pc..=end {
                push(p);
            }
        } else {
            for p in (pc..=end).rev() {
                push(p);
            }
        }
    }

    /// Go's `ReplaceAllString(value, replacement)` for this pattern,
    /// including `$0` / `${0}` / `$$` in the replacement.
    pub fn replace_all(&self, value: &str, replacement: &str) -> String {
        self.replace_all_within(value, replacement, usize::MAX)
            .unwrap_or_default()
    }

    /// [`Pattern::replace_all`], giving up (`None`) as soon as the result
    /// grows past `limit` bytes: every match can insert the whole
    /// replacement, so the result can be `value × replacement` long.
    pub fn replace_all_within(
        &self,
        value: &str,
        replacement: &str,
        limit: usize,
    ) -> Option<String> {
        let hay: Vec<char> = value.chars().collect();
        let mut out = String::new();
        let mut last_end = 0usize;
        let mut search = 0usize;
        while search <= hay.len() {
            let Some((s, e)) = self.find_at(&hay, search) else {
                break;
            };
            push_chars(&mut out, &hay, last_end, s);
            // No replacement for an empty match right after another match.
            if e > last_end || s == 0 {
                expand_template(&mut out, replacement, &hay, s, e);
            }
            if out.len() > limit {
                return None;
            }
            last_end = e;
            let width = usize::from(search < hay.len());
            if search + width > e {
                search += width;
            } else if search + 1 > e {
                search += 1;
            } else {
                search = e;
            }
        }
        push_chars(&mut out, &hay, last_end, hay.len());
        (out.len() <= limit).then_some(out)
    }

    /// Replaces the first match of the pattern (literal replacement).
    pub fn replace_first(&self, value: &str, replacement: &str) -> String {
        let hay: Vec<char> = value.chars().collect();
        match self.find_at(&hay, 0) {
            Some((s, e)) => {
                let mut out = String::new();
                push_chars(&mut out, &hay, 0, s);
                out.push_str(replacement);
                push_chars(&mut out, &hay, e, hay.len());
                out
            }
            None => value.to_owned(),
        }
    }

    /// Removes the leftmost match anchored at the start, if any.
    pub fn trim_prefix(&self, value: &str) -> String {
        let hay: Vec<char> = value.chars().collect();
        match self.find_at(&hay, 0) {
            Some((_, e)) => hay.get(e..).unwrap_or_default().iter().collect(),
            None => value.to_owned(),
        }
    }
}

fn push_chars(out: &mut String, hay: &[char], from: usize, to: usize) {
    if let Some(s) = hay.get(from..to) {
        out.extend(s);
    }
}

/// Go's `Regexp.Expand` for a regexp with no capture groups: `$$` is `$`,
/// `$0`/`${0}` the whole match, any other `$name` or `${name}` nothing, and a
/// malformed `$` stays literal.
fn expand_template(out: &mut String, template: &str, hay: &[char], s: usize, e: usize) {
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(rest.get(..i).unwrap_or_default());
        rest = rest.get(i + 1..).unwrap_or_default();
        if let Some(r) = rest.strip_prefix('$') {
            out.push('$');
            rest = r;
            continue;
        }
        match extract_name(rest) {
            Some((name, after)) => {
                rest = after;
                if name == "0" {
                    push_chars(out, hay, s, e);
                }
            }
            None => out.push('$'),
        }
    }
    out.push_str(rest);
}

/// The `name` or `{name}` at the start of `s` (letters, digits, `_`) and what
/// follows it.
fn extract_name(s: &str) -> Option<(&str, &str)> {
    let (body, brace) = match s.strip_prefix('{') {
        Some(b) => (b, true),
        None => (s, false),
    };
    let len: usize = body
        .chars()
        .take_while(|c| c.is_alphabetic() || c.is_numeric() || *c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = body.get(..len)?;
    let after = body.get(len..)?;
    if brace {
        let after = after.strip_prefix('}')?;
        Some((name, after))
    } else {
        Some((name, after))
    }
}

/// Reverses a pattern but keeps each `\x` escape pair in order
/// (`a\*c` → `c\*a`), as BuildKit's `reversePattern`.
pub fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut units: Vec<&[char]> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let len = if chars.get(i) == Some(&'\\') && i + 1 < chars.len() {
            2
        } else {
            1
        };
        if let Some(u) = chars.get(i..i + len) {
            units.push(u);
        }
        i += len;
    }
    units.iter().rev().flat_map(|u| u.iter()).collect()
}

/// Reverses a string by Unicode scalar values.
pub fn reverse_string(s: &str) -> String {
    s.chars().rev().collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn find(p: &str, greedy: bool, anchored: bool, hay: &str) -> Option<(usize, usize)> {
        let h: Vec<char> = hay.chars().collect();
        Pattern::compile(p, greedy, anchored)
            .unwrap()
            .find_at(&h, 0)
    }

    #[test]
    fn leftmost_first() {
        assert_eq!(find("*x", false, true, "axbx"), Some((0, 2)));
        assert_eq!(find("*x", true, true, "axbx"), Some((0, 4)));
        assert_eq!(find("b*", true, false, "aabbb"), Some((2, 5)));
        assert_eq!(find("b*", false, false, "aabbb"), Some((2, 3)));
        assert_eq!(find("", true, false, "abc"), Some((0, 0)));
        assert_eq!(find("?", true, true, "\n"), None);
        assert_eq!(find("a*b", true, false, "xxa\nb ab"), Some((6, 8)));
    }

    #[test]
    fn replace_all_like_go() {
        let p = Pattern::compile("", true, false).unwrap();
        assert_eq!(p.replace_all("ab", "-"), "-a-b-");
        let p = Pattern::compile("*", true, false).unwrap();
        assert_eq!(p.replace_all("ab", "-"), "-");
        let p = Pattern::compile("o", true, false).unwrap();
        assert_eq!(p.replace_all("foo", "[$0]"), "f[o][o]");
        assert_eq!(p.replace_all("foo", "$$1${0}$1$x$"), "f$1o$$1o$");
    }

    #[test]
    fn go_regex_text() {
        let p = Pattern::compile("(()[]{\\}^$.\\*\\?|\\\\", true, true).unwrap();
        assert_eq!(
            p.to_go_regex(),
            "^\\(\\(\\)\\[\\]\\{\\}\\^\\$\\.\\*\\?\\|\\\\"
        );
    }
}
