//! Heredoc markers: which words of a RUN/COPY/ADD line open a heredoc.
//!
//! BuildKit (`heredocsFromLine`) splits the whole logical line into words
//! with its shell lexer — escape character always `\`, quotes and escapes
//! kept (`RawQuotes`, `RawEscapes`), unset variables kept as written
//! (`SkipUnsetEnv`, no variables are set), and `<<` swallowing the blanks
//! after it so `<<  EOF` stays one word — and ignores a lexing error (then
//! there is no heredoc). Each word matching `^(\d*)<<(-?)\s*([^<]*)$` is
//! then read by `ParseHeredoc`: the rest is lexed twice, quotes removed and
//! kept; it must be one word (else it is not a heredoc), that word is the
//! name, and the body is expanded unless the two lexings differ in their
//! number of quote characters (`<<'EOF'`, `<<"EOF"`, `<<E"O"F`).
//!
//! The lexer here is the subset of BuildKit's `shell.Lex` those two calls
//! use (no variable is ever set). Nesting of `${…}` is capped at
//! [`MAX_NESTING`] levels (a lexing error beyond), which keeps the stack
//! bounded on adversarial input; Go's growable stacks have no such limit.

use super::Heredoc;
use super::dump::go_quote;
use crate::diagnostic::Span;

/// How deeply `${a:-${b:-…}}` may nest before the lexer gives up.
pub const MAX_NESTING: usize = 200;

/// A heredoc marker as `ParseHeredoc` reads it (`Heredoc` without a body).
pub fn parse_heredoc(word: &str) -> Result<Option<Heredoc>, String> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let (fd_text, rest) = word.split_at(digits);
    let Some(rest) = rest.strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.trim_start_matches(['\t', '\n', '\u{c}', '\r', ' ']);
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    // strconv.ParseUint: "" is an error (0), overflow saturates.
    let file_descriptor = if fd_text.is_empty() {
        0
    } else {
        fd_text.parse::<u64>().unwrap_or(u64::MAX)
    };
    let fail = |e: String| format!("failed to process {}: {e}", go_quote(rest));
    let words = Lexer::new(rest, false, false).words().map_err(fail)?;
    let [name] = words.as_slice() else {
        return Ok(None);
    };
    let raw = Lexer::new(rest, true, false).words().map_err(fail)?;
    let [raw_name] = raw.as_slice() else {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    };
    let quotes = |s: &str| s.chars().filter(|c| matches!(c, '\'' | '"')).count();
    Ok(Some(Heredoc {
        name: name.clone(),
        file_descriptor,
        expand: quotes(name) == quotes(raw_name),
        chomp,
        content: String::new(),
        content_span: Span::default(),
        terminator_span: None,
    }))
}

/// The heredocs a logical line opens, in order (BuildKit's
/// `heredocsFromLine`). An error comes from [`parse_heredoc`].
pub fn heredocs_from_line(line: &str) -> Result<Vec<Heredoc>, String> {
    let words = Lexer::new(line, true, true).words().unwrap_or_default();
    let mut out = Vec::new();
    for word in words {
        if let Some(h) = parse_heredoc(&word)? {
            out.push(h);
        }
    }
    Ok(out)
}

/// Strips the leading tabs of every line (BuildKit's `ChompHeredocContent`,
/// applied for `<<-`).
pub fn chomp_heredoc_content(content: &str) -> String {
    content
        .split_inclusive('\n')
        .map(|line| line.trim_start_matches('\t'))
        .collect()
}

/// Go's `unicode.IsSpace`.
fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Go's `unicode.IsDigit` (decimal digits).
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

#[derive(Default)]
struct Words {
    word: String,
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, c: char) {
        if is_space(c) {
            if self.in_word && !self.word.is_empty() {
                self.words.push(std::mem::take(&mut self.word));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(c);
        }
    }

    fn add_raw_char(&mut self, c: char) {
        self.word.push(c);
        self.in_word = true;
    }

    fn add_string(&mut self, s: &str) {
        s.chars().for_each(|c| self.add_char(c));
    }

    fn add_raw_string(&mut self, s: &str) {
        self.word.push_str(s);
        self.in_word = true;
    }

    fn finish(mut self) -> Vec<String> {
        if !self.word.is_empty() {
            self.words.push(self.word);
        }
        self.words
    }
}

/// BuildKit's shell lexer with no variables set and `SkipUnsetEnv`.
struct Lexer {
    chars: Vec<char>,
    pos: usize,
    raw_quotes: bool,
    raw_escapes: bool,
    depth: usize,
}

const ESCAPE: char = '\\';

impl Lexer {
    fn new(text: &str, raw_quotes: bool, raw_escapes: bool) -> Self {
        let mut chars: Vec<char> = text.chars().collect();
        // Go's text/scanner skips a byte-order mark at the very start.
        if chars.first() == Some(&'\u{feff}') {
            chars.remove(0);
        }
        Lexer {
            chars,
            pos: 0,
            raw_quotes,
            raw_escapes,
            depth: 0,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn words(mut self) -> Result<Vec<String>, String> {
        let raw = self.raw_escapes;
        self.stop_on(None, raw).map(|(_, words)| words)
    }

    fn stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>), String> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err("nesting too deep".to_string());
        }
        let saved = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let r = self.stop_on_inner(stop);
        self.raw_escapes = saved;
        self.depth -= 1;
        r
    }

    fn stop_on_inner(&mut self, stop: Option<char>) -> Result<(String, Vec<String>), String> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(ch) = self.peek() {
            if stop == Some(ch) {
                self.next();
                return Ok((result, words.finish()));
            }
            match ch {
                '$' => {
                    let tmp = self.dollar()?;
                    result.push_str(&tmp);
                    words.add_string(&tmp);
                }
                '\'' => {
                    let tmp = self.single_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp);
                }
                '"' => {
                    let tmp = self.double_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp);
                }
                '<' => {
                    let tmp = self.possible_heredoc();
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp);
                }
                _ => {
                    self.next();
                    if ch == ESCAPE {
                        if self.raw_escapes {
                            words.add_raw_char(ch);
                            result.push(ch);
                        }
                        let Some(c) = self.next() else { break };
                        words.add_raw_char(c);
                        result.push(c);
                    } else {
                        words.add_char(ch);
                        result.push(ch);
                    }
                }
            }
        }
        if let Some(s) = stop {
            return Err(format!(
                "unexpected end of statement while looking for matching {s}"
            ));
        }
        Ok((result, words.finish()))
    }

    /// `<<` keeps the blanks after it, so `<<  EOF` stays one word.
    fn possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".to_string();
        }
        self.next();
        let mut out = "<<".to_string();
        while let Some(c @ (' ' | '\t')) = self.peek() {
            out.push(c);
            self.next();
        }
        out
    }

    fn single_quote(&mut self) -> Result<String, String> {
        let mut out = String::new();
        let open = self.next();
        if self.raw_quotes {
            out.extend(open);
        }
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .to_string(),
                    );
                }
                Some('\'') => {
                    if self.raw_quotes {
                        out.push('\'');
                    }
                    return Ok(out);
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn double_quote(&mut self) -> Result<String, String> {
        let mut out = String::new();
        let open = self.next();
        if self.raw_quotes {
            out.extend(open);
        }
        loop {
            match self.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .to_string(),
                    );
                }
                Some('"') => {
                    self.next();
                    if self.raw_quotes {
                        out.push('"');
                    }
                    return Ok(out);
                }
                Some('$') => {
                    let v = self.dollar()?;
                    out.push_str(&v);
                }
                Some(_) => {
                    let Some(mut ch) = self.next() else { continue };
                    if ch == ESCAPE {
                        if self.raw_escapes {
                            out.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some('"' | '$' | ESCAPE) => {
                                if let Some(c) = self.next() {
                                    ch = c;
                                }
                            }
                            Some(_) => {}
                        }
                    }
                    out.push(ch);
                }
            }
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && is_digit(ch) {
                while let Some(c) = self.peek().filter(|c| is_digit(*c)) {
                    self.next();
                    name.push(c);
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return ch.to_string();
            }
            if !ch.is_alphabetic() && !is_digit(ch) && ch != '_' {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    /// `$…` with every variable unset: the text comes back as written
    /// (after lexing the inner words), errors as BuildKit reports them.
    fn dollar(&mut self) -> Result<String, String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            return Ok(if name.is_empty() {
                "$".to_string()
            } else {
                format!("${name}")
            });
        }
        self.next();
        match self.peek() {
            None => return Err("syntax error: missing '}'".to_string()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".to_string()),
            Some(_) => {}
        }
        let name = self.name();
        let ch = self.next();
        let mut chs = ch.unwrap_or('\u{FFFD}').to_string();
        match ch {
            Some('}') => Ok(format!("${{{name}}}")),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let mut ch = ch;
                if ch == Some(':') {
                    ch = self.next();
                    chs.push(ch.unwrap_or('\u{FFFD}'));
                }
                let raw = matches!(ch, Some('#' | '%'));
                let word = match self.stop_on(Some('}'), raw) {
                    Ok((w, _)) => w,
                    Err(e) if self.peek().is_none() && e != "nesting too deep" => {
                        return Err("syntax error: missing '}'".to_string());
                    }
                    Err(e) => return Err(e),
                };
                Ok(format!("${{{name}{chs}{word}}}"))
            }
            Some('/') => {
                if self.peek() == Some('/') {
                    self.next();
                }
                let pattern = match self.stop_on(Some('/'), true) {
                    Ok((w, _)) => w,
                    Err(_) if self.peek().is_none() => {
                        return Err("syntax error: missing '/' in ${}".to_string());
                    }
                    Err(e) => return Err(e),
                };
                let replacement = match self.stop_on(Some('}'), true) {
                    Ok((w, _)) => w,
                    Err(_) if self.peek().is_none() => {
                        return Err("syntax error: missing '}'".to_string());
                    }
                    Err(e) => return Err(e),
                };
                Ok(format!("${{{name}/{pattern}/{replacement}}}"))
            }
            _ => Err(format!("unsupported modifier ({chs}) in substitution")),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn names(line: &str) -> Vec<String> {
        heredocs_from_line(line)
            .unwrap()
            .into_iter()
            .map(|h| h.name)
            .collect()
    }

    #[test]
    fn markers() {
        assert_eq!(names("RUN <<EOF <<EOF2"), ["EOF", "EOF2"]);
        assert_eq!(names("RUN <<  EOF  > foo"), ["EOF"]);
        assert_eq!(names("RUN <<- EOF"), Vec::<String>::new());
        assert_eq!(names("RUN << -EOF"), ["-EOF"]);
        assert_eq!(names("RUN '<<EOF'"), Vec::<String>::new());
        assert_eq!(names("RUN <<$EOF"), ["$EOF"]);
        let h = parse_heredoc("3<<-'EOF'").unwrap().unwrap();
        assert_eq!((h.file_descriptor, h.chomp, h.expand), (3, true, false));
        let h = parse_heredoc("<<eo\\'f").unwrap().unwrap();
        assert_eq!((h.name.as_str(), h.expand), ("eo'f", true));
        assert!(parse_heredoc("<<'EOF").is_err());
        assert_eq!(parse_heredoc("<<EOF sh").unwrap(), None);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let line = format!("RUN <<EOF {}", "${a:-".repeat(10_000));
        assert_eq!(names(&line), Vec::<String>::new());
    }

    #[test]
    fn chomp() {
        assert_eq!(
            chomp_heredoc_content("\thello\n\t\tworld\n"),
            "hello\nworld\n"
        );
    }
}
