//! Values that are not secrets even under a credential name.
//!
//! Decisions (documented here because they are judgement calls):
//!
//! - **References** are never secrets: `$VAR`, `${VAR}`, `$(cmd)`,
//!   `%VAR%`, `{{ .Var }}` anywhere in the value — the secret, if any, is
//!   supplied elsewhere.
//! - **Placeholders** are not reported: empty values, runs of `x`, `*`,
//!   `.`, `#`, `?`, `-`; `<password>`/`[token]`-style brackets; values
//!   mentioning `your` (`your-api-key`), `example`, `replace`, `placeholder`,
//!   `redacted`, `dummy`, `fake`, `please`, `fillme`; one character
//!   repeated (`00000000-0000-…`); and the words `changeme`, `changeit`,
//!   `test`, `none`, `null`, `nil`, `default`, `secret`, `password`,
//!   `token`, `todo`, `foo`, `bar`, `unset`, … `changeme`/`changeit` are
//!   deliberately placeholders: they announce "override me", and a
//!   default-credentials check is a different rule.
//! - **Flags** are not secrets: booleans (`true`, `false`, `yes`, `no`,
//!   `on`, `off`, `enabled`, `disabled`) and numbers of up to 5 digits
//!   (`PASSWORD_AUTH=false`, `TOKEN_EXPIRY=3600`).
//! - **File paths** are not secrets: values starting with `/`, `./`, `../`,
//!   `~/`, `file:` or a drive letter, or a single word ending in a
//!   key/config file extension (`db.pem`, `token.txt`); a URL without
//!   `user:pass@` is an endpoint, not a secret.
//! - **Prose** is not a secret: values with two or more spaces (LABEL
//!   descriptions) and values shorter than 3 characters.

const PLACEHOLDER_WORDS: &[&str] = &[
    "changeme",
    "changeit",
    "changethis",
    "example",
    "sample",
    "dummy",
    "test",
    "testing",
    "none",
    "null",
    "nil",
    "undefined",
    "unset",
    "empty",
    "notset",
    "default",
    "placeholder",
    "secret",
    "secrets",
    "password",
    "passwd",
    "pass",
    "token",
    "apikey",
    "key",
    "value",
    "redacted",
    "hidden",
    "masked",
    "todo",
    "tbd",
    "fixme",
    "foo",
    "bar",
    "baz",
    "foobar",
    "required",
    "optional",
    "na",
    "replaceme",
    "mysecret",
    "mypassword",
    "tests",
    "setup",
    "build",
    "insecure",
    "notsecret",
    "unused",
    "ignored",
    "unknown",
    "nokey",
    "quux",
    "qux",
    "all",
];

const PLACEHOLDER_PARTS: &[&str] = &[
    "your",
    "example",
    "replace",
    "placeholder",
    "redacted",
    "dummy",
    "fake",
    "changeme",
    "change_me",
    "change-me",
    "xxxx",
    "here",
    "fillme",
    "setme",
    "please",
    "somerandom",
];

const FLAG_WORDS: &[&str] = &[
    "true", "false", "yes", "no", "on", "off", "enabled", "disabled", "enable", "disable",
];

const FILE_EXTENSIONS: &[&str] = &[
    ".pem",
    ".key",
    ".crt",
    ".cer",
    ".der",
    ".p12",
    ".pfx",
    ".jks",
    ".keystore",
    ".json",
    ".txt",
    ".yaml",
    ".yml",
    ".env",
    ".conf",
    ".cfg",
    ".ini",
    ".properties",
    ".asc",
    ".gpg",
    ".xml",
    ".toml",
];

/// Is `value` a reference, a placeholder or empty — something that is not
/// a real secret whatever its name? See the module docs for the list.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || has_reference(v) {
        return true;
    }
    if v.chars()
        .all(|c| matches!(c, 'x' | 'X' | '*' | '.' | '#' | '?' | '-' | '_' | ' ' | '•'))
    {
        return true;
    }
    // One character repeated, separators aside: `0000-0000`, `aaaaaaaa`.
    let mut significant = v.chars().filter(|c| c.is_alphanumeric());
    if let Some(first) = significant.next()
        && significant.all(|c| c == first)
        && v.chars().count() >= 4
    {
        return true;
    }
    let bracketed = |open: char, close: char| v.starts_with(open) && v.ends_with(close);
    if bracketed('<', '>') || bracketed('[', ']') || bracketed('{', '}') {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    let word: String = lower.chars().filter(char::is_ascii_alphanumeric).collect();
    if PLACEHOLDER_WORDS.contains(&word.as_str()) || FLAG_WORDS.contains(&word.as_str()) {
        return true;
    }
    PLACEHOLDER_PARTS.iter().any(|p| lower.contains(p))
}

/// Flags, numbers, file paths, endpoints and prose: values that are not
/// secrets under a credential name (see the module docs).
pub(crate) fn is_not_a_secret_value(value: &str) -> bool {
    let v = value.trim();
    if v.chars().count() < 3 {
        return true;
    }
    if FLAG_WORDS.contains(&v.to_ascii_lowercase().as_str()) {
        return true;
    }
    if v.len() <= 5 && v.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    if is_path(v) {
        return true;
    }
    if (v.starts_with("http://") || v.starts_with("https://")) && !v.contains('@') {
        return true;
    }
    v.matches(' ').count() >= 2
}

/// Does `v` look like a file path?
pub(crate) fn is_path(v: &str) -> bool {
    let b = v.as_bytes();
    if v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("../")
        || v.starts_with("~/")
        || v.starts_with("file:")
    {
        return true;
    }
    if let [drive, b':', b'\\' | b'/', ..] = b
        && drive.is_ascii_alphabetic()
    {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    !v.contains(char::is_whitespace) && FILE_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

/// Does `v` contain a variable or command reference (`$X`, `${X}`, `$(…)`,
/// `%X%`, `{{…}}`)?
pub(crate) fn has_reference(v: &str) -> bool {
    let b = v.as_bytes();
    let dollar = b.windows(2).any(
        |w| matches!(w, [b'$', c] if c.is_ascii_alphabetic() || matches!(c, b'{' | b'(' | b'_')),
    );
    if dollar || v.contains("{{") {
        return true;
    }
    // %VAR% (Windows)
    if let Some(start) = v.find('%')
        && let Some(rest) = v.get(start + 1..)
        && let Some(end) = rest.find('%')
    {
        let name = rest.get(..end).unwrap_or_default();
        return !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_');
    }
    false
}

/// Strips one pair of matching surrounding quotes; returns the byte offset
/// of the remaining literal and the literal.
pub(crate) fn unquote(value: &str) -> (usize, &str) {
    let b = value.as_bytes();
    if let [q @ (b'"' | b'\''), .., last] = b
        && last == q
        && let Some(inner) = value.get(1..value.len() - 1)
    {
        return (1, inner);
    }
    (0, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for v in [
            "",
            "  ",
            "$X",
            "${DB_PASSWORD}",
            "${DB_PASSWORD:-x}",
            "pre${X}post",
            "$(cat /run/secrets/x)",
            "%TOKEN%",
            "{{ .Token }}",
            "<password>",
            "[token]",
            "xxx",
            "XXXXXXXX",
            "***",
            "your-api-key",
            "YOUR_TOKEN_HERE",
            "insert-key-here",
            "changeme",
            "change_me",
            "Example",
            "dummy",
            "test",
            "none",
            "null",
            "false",
            "TRUE",
            "secret",
            "replace-with-real-token",
            "00000000-0000-0000-0000-000000000000",
            "FILLMEIN",
            "please_set_environment_variable",
        ] {
            assert!(is_placeholder(v), "{v:?}");
        }
        for v in [
            "hunter2",
            "mysecretpassword123",
            "sk-1234567890abcdef",
            "supersecret",
        ] {
            assert!(!is_placeholder(v), "{v:?}");
        }
    }

    #[test]
    fn non_secret_values() {
        for v in [
            "8",
            "3600",
            "no",
            "/run/secrets/x",
            "./token",
            "~/.npmrc",
            "C:\\keys\\a",
            "token.txt",
            "server.pem",
            "https://auth.example.org/token",
            "a long label description",
        ] {
            assert!(is_not_a_secret_value(v), "{v:?}");
        }
        for v in ["hunter22", "123456", "abc/def+ghi", "https://u:p@h"] {
            assert!(!is_not_a_secret_value(v), "{v:?}");
        }
    }

    #[test]
    fn unquotes() {
        assert_eq!(unquote("\"abc\""), (1, "abc"));
        assert_eq!(unquote("'abc'"), (1, "abc"));
        assert_eq!(unquote("\"abc'"), (0, "\"abc'"));
        assert_eq!(unquote("\""), (0, "\""));
        assert_eq!(unquote(""), (0, ""));
    }
}
