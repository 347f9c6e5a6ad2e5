//! Word expansion with BuildKit's shell-lexer semantics
//! (moby/buildkit `frontend/dockerfile/shell/lex.go`).
//!
//! This is what `docker build` does to the arguments of `FROM`, `ENV`,
//! `ARG`, `COPY`, `WORKDIR`, … before using them: `$V`, `${V}`,
//! `${V:-x}`, `${V-x}`, `${V:+x}`, `${V+x}`, `${V:?msg}`, `${V?msg}`,
//! `${V#p}`, `${V##p}`, `${V%p}`, `${V%%p}`, `${V/p/r}`, `${V//p/r}`, single
//! and double quotes, the escape token (`\` or a backtick) and, for
//! [`Lexer::process_words`], word splitting after expansion.
//!
//! It is *not* a POSIX shell: there is no command substitution, arithmetic,
//! tilde or glob expansion, and `$1`, `$@`, `$$`, … are plain (normally unset)
//! variables. The RUN shell lexer is [`super::shell`].
//!
//! **Invariants:** never panics; errors are values ([`ExpandError`]); time
//! is linear in the input except for the pattern operators, which are
//! `O(value × pattern)`; `${` nesting deeper than [`MAX_NESTING`] is an
//! error instead of a stack overflow, and so is a word expanding to more
//! than [`MAX_EXPANSION_LEN`] bytes instead of running out of memory.
//!
//! Known differences from Go: letters and digits in names are Rust's
//! `is_alphabetic`/`is_numeric` (Go: Unicode categories L and Nd), which
//! differ only for rare non-Latin characters.

mod pattern;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::hash::{BuildHasher, Hash};

pub use pattern::{Pattern, PatternError, reverse_pattern, reverse_string};

/// How deeply `${…}` may nest before expansion gives up with
/// [`ExpandErrorKind::TooDeep`]. BuildKit has no limit; real Dockerfiles
/// nest two or three levels.
pub const MAX_NESTING: usize = 128;

/// The longest text (in bytes) one word may expand to before expansion
/// gives up with [`ExpandErrorKind::TooLong`]. BuildKit has no limit, but
/// nested `${V//p/${V//p/…}}` grows exponentially with the nesting, so a
/// few hundred bytes of input could ask for gigabytes.
pub const MAX_EXPANSION_LEN: usize = 1 << 20;

/// The platform whose environment semantics apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Platform {
    /// Variable names are case-sensitive.
    #[default]
    Unix,
    /// Variable names are case-insensitive (BuildKit's `NormalizeEnvKey`
    /// upper-cases them).
    Windows,
}

impl Platform {
    /// Whether `a` and `b` name the same variable on this platform.
    pub fn keys_equal(self, a: &str, b: &str) -> bool {
        match self {
            Self::Unix => a == b,
            Self::Windows => a
                .chars()
                .flat_map(char::to_uppercase)
                .eq(b.chars().flat_map(char::to_uppercase)),
        }
    }
}

/// A set of variables the lexer can look names up in.
///
/// Implemented for slices, arrays and vectors of `(name, value)` pairs (a
/// later pair wins, as in BuildKit's `EnvsFromSlice`), for `HashMap` and
/// `BTreeMap`, and for references to any of them.
pub trait Env {
    /// The value of `name`, or `None` when it is unset. An empty string means
    /// set but empty.
    fn lookup(&self, name: &str, platform: Platform) -> Option<&str>;
}

impl<T: Env + ?Sized> Env for &T {
    fn lookup(&self, name: &str, platform: Platform) -> Option<&str> {
        (**self).lookup(name, platform)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Env for [(K, V)] {
    fn lookup(&self, name: &str, platform: Platform) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(k, _)| platform.keys_equal(k.as_ref(), name))
            .map(|(_, v)| v.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Env for [(K, V); N] {
    fn lookup(&self, name: &str, platform: Platform) -> Option<&str> {
        self.as_slice().lookup(name, platform)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Env for Vec<(K, V)> {
    fn lookup(&self, name: &str, platform: Platform) -> Option<&str> {
        self.as_slice().lookup(name, platform)
    }
}

impl<K, V, S> Env for HashMap<K, V, S>
where
    K: std::borrow::Borrow<str> + AsRef<str> + Hash + Eq,
    V: AsRef<str>,
    S: BuildHasher,
{
    fn lookup(&self, name: &str, platform: Platform) -> Option<&str> {
        if let Some(v) = self.get(name) {
            return Some(v.as_ref());
        }
        match platform {
            Platform::Unix => None,
            Platform::Windows => {
                // Deterministic among several case variants: the smallest key.
                self.iter()
                    .filter(|(k, _)| platform.keys_equal(k.as_ref(), name))
                    .min_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()))
                    .map(|(_, v)| v.as_ref())
            }
        }
    }
}

impl<K, V> Env for BTreeMap<K, V>
where
    K: std::borrow::Borrow<str> + AsRef<str> + Ord,
    V: AsRef<str>,
{
    fn lookup(&self, name: &str, platform: Platform) -> Option<&str> {
        if let Some(v) = self.get(name) {
            return Some(v.as_ref());
        }
        match platform {
            Platform::Unix => None,
            Platform::Windows => self
                .iter()
                .find(|(k, _)| platform.keys_equal(k.as_ref(), name))
                .map(|(_, v)| v.as_ref()),
        }
    }
}

/// Splits `NAME=value` entries as BuildKit's `EnvsFromSlice`: on the first
/// `=`; an entry without `=` sets the name to the empty string. Use the
/// result as an [`Env`] (later entries win).
pub fn env_from_entries<S: AsRef<str>>(entries: &[S]) -> Vec<(String, String)> {
    entries
        .iter()
        .map(|e| {
            let e = e.as_ref();
            match e.split_once('=') {
                Some((k, v)) => (k.to_owned(), v.to_owned()),
                None => (e.to_owned(), String::new()),
            }
        })
        .collect()
}

/// BuildKit's shell-word lexer: expansion options plus the escape token.
///
/// All flags are `false` in BuildKit's default lexer (`NewLex`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lexer {
    /// The escape token: `\` or, after `# escape=``, a backtick.
    pub escape: char,
    /// Case sensitivity of variable names.
    pub platform: Platform,
    /// Keep quote characters in the result (`RawQuotes`).
    pub raw_quotes: bool,
    /// Keep escape tokens in the result (`RawEscapes`).
    pub raw_escapes: bool,
    /// Treat quotes as ordinary characters (`SkipProcessQuotes`).
    pub skip_process_quotes: bool,
    /// Leave references to unset variables as written (`SkipUnsetEnv`).
    pub skip_unset_env: bool,
}

impl Default for Lexer {
    fn default() -> Self {
        Self::new('\\')
    }
}

/// The result of expanding one word.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expanded {
    /// The expanded text (`ProcessWord`'s result).
    pub value: String,
    /// The text split into words after expansion (`ProcessWords`).
    pub words: Vec<String>,
    /// Names that were referenced and set (BuildKit's `Matched`).
    pub matched: BTreeSet<String>,
    /// Names that were referenced but unset (BuildKit's `Unmatched`).
    pub unmatched: BTreeSet<String>,
}

/// Why expansion failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpandErrorKind {
    /// `${` without its `}`.
    MissingBrace,
    /// `${}`, `${{…}`, `${:…}`.
    BadSubstitution,
    /// `${V=x}`, `${V:x}`, `${V:#p}`, `${.}`, …; the modifier as written.
    UnsupportedModifier(String),
    /// `${V/p` or `${V//p` without the second `/`.
    MissingSlash,
    /// An unterminated `'…`.
    UnterminatedSingleQuote,
    /// An unterminated `"…`.
    UnterminatedDoubleQuote,
    /// The end of the word came before the character that closes a construct.
    UnexpectedEnd(char),
    /// `${V?msg}` / `${V:?msg}` with `V` unset (or empty, for `:?`).
    Required { name: String, message: String },
    /// A `#`, `%` or `/` pattern that BuildKit cannot compile.
    InvalidPattern {
        pattern: String,
        error: PatternError,
    },
    /// `${` nested deeper than [`MAX_NESTING`].
    TooDeep,
    /// The expansion grew past [`MAX_EXPANSION_LEN`] bytes.
    TooLong,
}

impl fmt::Display for ExpandErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingBrace => f.write_str("syntax error: missing '}'"),
            Self::BadSubstitution => f.write_str("syntax error: bad substitution"),
            Self::UnsupportedModifier(m) => write!(f, "unsupported modifier ({m}) in substitution"),
            Self::MissingSlash => f.write_str("syntax error: missing '/' in ${}"),
            Self::UnterminatedSingleQuote => {
                f.write_str("unexpected end of statement while looking for matching single-quote")
            }
            Self::UnterminatedDoubleQuote => {
                f.write_str("unexpected end of statement while looking for matching double-quote")
            }
            Self::UnexpectedEnd(c) => {
                write!(
                    f,
                    "unexpected end of statement while looking for matching {c}"
                )
            }
            Self::Required { name, message } => write!(f, "{name}: {message}"),
            Self::InvalidPattern { pattern, error } => {
                write!(f, "invalid pattern ({pattern}) in substitution: {error}")
            }
            Self::TooDeep => write!(f, "substitutions nested deeper than {MAX_NESTING}"),
            Self::TooLong => write!(f, "expansion longer than {MAX_EXPANSION_LEN} bytes"),
        }
    }
}

/// A word that could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandError {
    /// The word as given.
    pub input: String,
    pub kind: ExpandErrorKind,
    /// Names referenced and set before the error.
    pub matched: BTreeSet<String>,
    /// Names referenced but unset before the error.
    pub unmatched: BTreeSet<String>,
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to process {:?}: {}", self.input, self.kind)
    }
}

impl std::error::Error for ExpandError {}

impl Lexer {
    /// A lexer with BuildKit's defaults and the given escape token.
    pub const fn new(escape: char) -> Self {
        Self {
            escape,
            platform: Platform::Unix,
            raw_quotes: false,
            raw_escapes: false,
            skip_process_quotes: false,
            skip_unset_env: false,
        }
    }

    /// The same lexer with another platform's variable-name semantics.
    #[must_use]
    pub const fn with_platform(mut self, platform: Platform) -> Self {
        self.platform = platform;
        self
    }

    /// Expands `word` (BuildKit's `ProcessWordWithMatches`): the value, the
    /// words it splits into, and which variables it used.
    pub fn process_word<E: Env + ?Sized>(
        &self,
        word: &str,
        env: &E,
    ) -> Result<Expanded, ExpandError> {
        let mut chars: Vec<char> = word.chars().collect();
        // Go's text/scanner skips a byte-order mark at the very start.
        if chars.first() == Some(&'\u{FEFF}') {
            chars.remove(0);
        }
        let mut st = State {
            lex: self,
            env,
            chars,
            pos: 0,
            depth: 0,
            matched: BTreeSet::new(),
            unmatched: BTreeSet::new(),
        };
        match st.stop_on(None, self.raw_escapes) {
            Ok((value, words)) => Ok(Expanded {
                value,
                words,
                matched: st.matched,
                unmatched: st.unmatched,
            }),
            Err(kind) => Err(ExpandError {
                input: word.to_owned(),
                kind,
                matched: st.matched,
                unmatched: st.unmatched,
            }),
        }
    }

    /// Expands `word` and splits it into words (BuildKit's `ProcessWords`):
    /// unquoted whitespace coming from the text or from a variable's value
    /// separates words; quoted text never does.
    pub fn process_words<E: Env + ?Sized>(
        &self,
        word: &str,
        env: &E,
    ) -> Result<Vec<String>, ExpandError> {
        self.process_word(word, env).map(|e| e.words)
    }
}

/// BuildKit's `wordsStruct`: accumulates the split words.
#[derive(Debug, Default)]
struct Words {
    buf: String,
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, c: char) {
        if c.is_whitespace() {
            if self.in_word && !self.buf.is_empty() {
                self.words.push(std::mem::take(&mut self.buf));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(c);
        }
    }

    fn add_raw_char(&mut self, c: char) {
        self.buf.push(c);
        self.in_word = true;
    }

    fn add_string(&mut self, s: &str) {
        for c in s.chars() {
            self.add_char(c);
        }
    }

    fn add_raw_string(&mut self, s: &str) {
        self.buf.push_str(s);
        self.in_word = true;
    }

    fn finish(mut self) -> Vec<String> {
        if !self.buf.is_empty() {
            self.words.push(self.buf);
        }
        self.words
    }
}

type Res<T> = Result<T, ExpandErrorKind>;

/// One expansion in progress (BuildKit's `shellWord`).
struct State<'a, E: ?Sized> {
    lex: &'a Lexer,
    env: &'a E,
    chars: Vec<char>,
    pos: usize,
    depth: usize,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
}

impl<E: Env + ?Sized> State<'_, E> {
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

    fn get_env(&mut self, name: &str) -> Option<String> {
        match self.env.lookup(name, self.lex.platform) {
            Some(v) => {
                self.matched.insert(name.to_owned());
                Some(v.to_owned())
            }
            None => {
                self.unmatched.insert(name.to_owned());
                None
            }
        }
    }

    /// Processes up to `stop` (consumed) or the end of the input when `stop`
    /// is `None`. `raw` keeps escape tokens (used inside patterns).
    fn stop_on(&mut self, stop: Option<char>, raw: bool) -> Res<(String, Vec<String>)> {
        let mut result = String::new();
        let mut words = Words::default();
        let quotes = !self.lex.skip_process_quotes;
        while let Some(ch) = self.peek() {
            if stop == Some(ch) {
                self.pos += 1;
                return Ok((result, words.finish()));
            }
            if ch == '$' {
                let tmp = self.dollar()?;
                if result.len() + tmp.len() > MAX_EXPANSION_LEN {
                    return Err(ExpandErrorKind::TooLong);
                }
                result.push_str(&tmp);
                words.add_string(&tmp);
            } else if quotes && ch == '\'' {
                let tmp = self.single_quote()?;
                result.push_str(&tmp);
                words.add_raw_string(&tmp);
            } else if quotes && ch == '"' {
                let tmp = self.double_quote(raw)?;
                result.push_str(&tmp);
                words.add_raw_string(&tmp);
            } else {
                self.pos += 1;
                if ch == self.lex.escape {
                    if raw {
                        words.add_raw_char(ch);
                        result.push(ch);
                    }
                    // The escape token escapes anything, except the end.
                    let Some(escaped) = self.next() else {
                        break;
                    };
                    words.add_raw_char(escaped);
                    result.push(escaped);
                } else {
                    words.add_char(ch);
                    result.push(ch);
                }
            }
        }
        if let Some(s) = stop {
            return Err(ExpandErrorKind::UnexpectedEnd(s));
        }
        Ok((result, words.finish()))
    }

    fn single_quote(&mut self) -> Res<String> {
        let mut result = String::new();
        let open = self.next();
        if self.lex.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.next() {
                None => return Err(ExpandErrorKind::UnterminatedSingleQuote),
                Some('\'') => {
                    if self.lex.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn double_quote(&mut self, raw: bool) -> Res<String> {
        let mut result = String::new();
        let open = self.next();
        if self.lex.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.peek() {
                None => return Err(ExpandErrorKind::UnterminatedDoubleQuote),
                Some('"') => {
                    self.pos += 1;
                    if self.lex.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let v = self.dollar()?;
                    if result.len() + v.len() > MAX_EXPANSION_LEN {
                        return Err(ExpandErrorKind::TooLong);
                    }
                    result.push_str(&v);
                }
                Some(c) => {
                    self.pos += 1;
                    let mut out = c;
                    if c == self.lex.escape {
                        if raw {
                            result.push(c);
                        }
                        match self.peek() {
                            // A trailing escape is dropped; the quote is
                            // still unterminated.
                            None => continue,
                            // Only `"`, `$` and the escape token itself can
                            // be escaped; any other escape stays.
                            Some(n) if n == '"' || n == '$' || n == self.lex.escape => {
                                self.pos += 1;
                                out = n;
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(out);
                }
            }
        }
    }

    /// Reads a name: a run of digits, one special parameter
    /// (`@ * # ? - $ ! 0`), or letters, digits and `_`.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && c.is_numeric() {
                while let Some(d) = self.peek().filter(|d| d.is_numeric()) {
                    self.pos += 1;
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.pos += 1;
                name.push(c);
                return name;
            }
            if !c.is_alphabetic() && !c.is_numeric() && c != '_' {
                break;
            }
            self.pos += 1;
            name.push(c);
        }
        name
    }

    fn dollar(&mut self) -> Res<String> {
        self.pos += 1; // `$`
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".to_owned());
            }
            return Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.lex.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.pos += 1; // `{`
        if self.depth >= MAX_NESTING {
            return Err(ExpandErrorKind::TooDeep);
        }
        self.depth += 1;
        let r = self.braced();
        self.depth -= 1;
        r
    }

    /// After `${`.
    fn braced(&mut self) -> Res<String> {
        match self.peek() {
            None => return Err(ExpandErrorKind::MissingBrace),
            Some('{' | '}' | ':') => return Err(ExpandErrorKind::BadSubstitution),
            Some(_) => {}
        }
        let name = self.name();
        let ch = self.next();
        let mut chs = String::from(ch.unwrap_or('\u{FFFD}'));
        match ch {
            Some('}') => Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.lex.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let mut op = ch;
                let null_is_unset = ch == Some(':');
                if null_is_unset {
                    op = self.next();
                    chs.push(op.unwrap_or('\u{FFFD}'));
                }
                let raw = matches!(op, Some('#' | '%'));
                if null_is_unset && raw {
                    return Err(ExpandErrorKind::UnsupportedModifier(chs));
                }
                let word = self.stop_on_or(Some('}'), raw, ExpandErrorKind::MissingBrace)?;
                let value = self.get_env(&name);
                let Some(value) = value else {
                    if self.lex.skip_unset_env {
                        return Ok(format!("${{{name}{chs}{word}}}"));
                    }
                    return self.modifier(op, &name, None, null_is_unset, word, chs);
                };
                self.modifier(op, &name, Some(value), null_is_unset, word, chs)
            }
            Some('/') => {
                let replace_all = self.peek() == Some('/');
                if replace_all {
                    self.pos += 1;
                }
                let pattern = self.stop_on_or(Some('/'), true, ExpandErrorKind::MissingSlash)?;
                let replacement =
                    self.stop_on_or(Some('}'), true, ExpandErrorKind::MissingBrace)?;
                let value = self.get_env(&name);
                if value.is_none() && self.lex.skip_unset_env {
                    return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
                }
                let value = value.unwrap_or_default();
                let re = Pattern::compile(&pattern, true, false)
                    .map_err(|error| ExpandErrorKind::InvalidPattern { pattern, error })?;
                Ok(if replace_all {
                    re.replace_all_within(&value, &replacement, MAX_EXPANSION_LEN)
                        .ok_or(ExpandErrorKind::TooLong)?
                } else {
                    re.replace_first(&value, &replacement)
                })
            }
            _ => Err(ExpandErrorKind::UnsupportedModifier(chs)),
        }
    }

    /// `stop_on`, but an error met at the end of the input becomes `at_end`.
    fn stop_on_or(
        &mut self,
        stop: Option<char>,
        raw: bool,
        at_end: ExpandErrorKind,
    ) -> Res<String> {
        match self.stop_on(stop, raw) {
            Ok((w, _)) => Ok(w),
            Err(e) => Err(if self.peek().is_none() { at_end } else { e }),
        }
    }

    fn modifier(
        &self,
        op: Option<char>,
        name: &str,
        value: Option<String>,
        null_is_unset: bool,
        word: String,
        chs: String,
    ) -> Res<String> {
        let unset_or_null = match &value {
            None => true,
            Some(v) => null_is_unset && v.is_empty(),
        };
        match op {
            Some('-') => Ok(if unset_or_null {
                word
            } else {
                value.unwrap_or_default()
            }),
            Some('+') => Ok(if unset_or_null { String::new() } else { word }),
            Some('?') => {
                if unset_or_null {
                    let message = if !word.is_empty() {
                        word
                    } else if value.is_none() {
                        "is not allowed to be unset".to_owned()
                    } else {
                        "is not allowed to be empty".to_owned()
                    };
                    return Err(ExpandErrorKind::Required {
                        name: name.to_owned(),
                        message,
                    });
                }
                Ok(value.unwrap_or_default())
            }
            Some(c @ ('#' | '%')) => {
                let value = value.unwrap_or_default();
                let (greedy, pat) = match word.strip_prefix(c) {
                    Some(rest) => (true, rest.to_owned()),
                    None => (false, word),
                };
                let invalid = |error| ExpandErrorKind::InvalidPattern {
                    pattern: pat.clone(),
                    error,
                };
                if c == '%' {
                    // Shortest/longest *suffix*: reverse both and trim a
                    // prefix, as BuildKit does.
                    let re =
                        Pattern::compile(&reverse_pattern(&pat), greedy, true).map_err(invalid)?;
                    Ok(reverse_string(&re.trim_prefix(&reverse_string(&value))))
                } else {
                    let re = Pattern::compile(&pat, greedy, true).map_err(invalid)?;
                    Ok(re.trim_prefix(&value))
                }
            }
            _ => Err(ExpandErrorKind::UnsupportedModifier(chs)),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn env() -> Vec<(&'static str, &'static str)> {
        vec![("PWD", "/home"), ("SHELL", "bash"), ("NULL", "")]
    }

    fn word(input: &str) -> Result<String, ExpandError> {
        Lexer::default()
            .process_word(input, &env())
            .map(|e| e.value)
    }

    #[test]
    fn basic_forms() {
        assert_eq!(word("he$PWD").unwrap(), "he/home");
        assert_eq!(word("${XXX:-${PWD}}x").unwrap(), "/homex");
        assert_eq!(word("${NULL-d}").unwrap(), "");
        assert_eq!(word("${NULL:-d}").unwrap(), "d");
        assert_eq!(word("'$PWD'").unwrap(), "$PWD");
        assert_eq!(word("\"a\\tb\"").unwrap(), "a\\tb");
        assert!(word("${PWD").is_err());
        assert!(word("${NULL:?}").is_err());
    }

    #[test]
    fn required_message_is_in_the_error() {
        let e = word("${NOPE:?set it}").unwrap_err();
        assert_eq!(
            e.to_string(),
            "failed to process \"${NOPE:?set it}\": NOPE: set it"
        );
        assert!(e.unmatched.contains("NOPE"));
    }

    #[test]
    fn backtick_escape() {
        let lex = Lexer::new('`');
        let e = lex.process_word("a`$PWD\\x", &env()).unwrap();
        assert_eq!(e.value, "a$PWD\\x");
    }

    #[test]
    fn windows_names_ignore_case() {
        let lex = Lexer::default().with_platform(Platform::Windows);
        let e = lex.process_word("$pwd", &env()).unwrap();
        assert_eq!(e.value, "/home");
        assert!(e.matched.contains("pwd"));
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let s = "${A:-".repeat(10_000);
        let e = word(&s).unwrap_err();
        assert!(matches!(
            e.kind,
            ExpandErrorKind::TooDeep | ExpandErrorKind::MissingBrace
        ));
        let s = format!("{}{}", "${A:-".repeat(100), "}".repeat(100));
        assert_eq!(word(&s).unwrap(), "");
    }
}
