//! Shannon entropy and the "looks random" test for generic secrets.
//!
//! Thresholds (bits per character, over the value's own byte frequencies):
//!
//! | alphabet | min length | min entropy | why |
//! |---|---|---|---|
//! | hex `[0-9a-f]` | 20 | 3.0 | random hex approaches 4.0; `deadbeef`-style words and repeated digits stay below |
//! | base64/alphanumeric `[A-Za-z0-9+/=_-]` | 16 | 3.5 | random base64 of 16–40 chars scores 3.7–5.0; English words and `snake_case` names score 2.5–3.4 |
//!
//! A value must also switch character class (upper, lower, digit, symbol)
//! at least once per 6 characters, so `mysecretpassword123` is a word, not
//! noise; a base64 value must mix at least two of upper, lower, digit and
//! not be a plain identifier made of dictionary-looking
//! lower-case words joined by `_`/`-`. Other alphabets (spaces, `:`, `@`…)
//! are never "random": those are prose, URLs or lists.

/// Which alphabet a value is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// Only `0-9a-f` (or only `0-9A-F`).
    Hex,
    /// Only `A-Za-z0-9+/=_-` (base64 and base64url, alphanumeric).
    Base64,
    /// Anything else.
    Other,
}

impl Alphabet {
    /// The alphabet of `value`.
    pub fn of(value: &str) -> Alphabet {
        let b = value.as_bytes();
        let lower_hex = b.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
        let upper_hex = b.iter().all(|c| matches!(c, b'0'..=b'9' | b'A'..=b'F'));
        if !b.is_empty() && (lower_hex || upper_hex) {
            return Alphabet::Hex;
        }
        if !b.is_empty()
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'_' | b'-'))
        {
            return Alphabet::Base64;
        }
        Alphabet::Other
    }
}

/// Shannon entropy of `value`'s bytes in bits per byte (0 for empty).
pub fn shannon_entropy(value: &str) -> f64 {
    let mut counts = [0u32; 256];
    for &b in value.as_bytes() {
        if let Some(c) = counts.get_mut(usize::from(b)) {
            *c = c.saturating_add(1);
        }
    }
    let len = value.len() as f64;
    if len == 0.0 {
        return 0.0;
    }
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

/// Does `value` look like a random secret (see the module's table)?
pub(crate) fn looks_random(value: &str) -> bool {
    let len = value.len();
    match Alphabet::of(value) {
        Alphabet::Hex => len >= 20 && shannon_entropy(value) >= 3.0 && mixed(value.as_bytes()),
        Alphabet::Base64 => {
            let b = value.as_bytes();
            let upper = b.iter().any(u8::is_ascii_uppercase);
            let lower = b.iter().any(u8::is_ascii_lowercase);
            let digit = b.iter().any(u8::is_ascii_digit);
            let classes = usize::from(upper) + usize::from(lower) + usize::from(digit);
            len >= 16
                && classes >= 2
                && mixed(b)
                && shannon_entropy(value) >= 3.5
                && !is_identifier_like(value)
        }
        Alphabet::Other => false,
    }
}

/// Random text switches between upper case, lower case, digits and
/// symbols often (about every other character); words followed by a number
/// (`mysecretpassword123`) switch once. At least one switch per 6
/// characters, and 3 in all.
fn mixed(b: &[u8]) -> bool {
    fn class(c: u8) -> u8 {
        match c {
            b'A'..=b'Z' => 0,
            b'a'..=b'z' => 1,
            b'0'..=b'9' => 2,
            _ => 3,
        }
    }
    let switches = b
        .windows(2)
        .filter(|w| matches!(w, [x, y] if class(*x) != class(*y)))
        .count();
    switches >= 3 && switches * 6 >= b.len()
}

/// `my_app_name-v2`, `SomeJavaClassName`, `org-example-service`: words
/// joined by separators or camel case, with few digits.
fn is_identifier_like(value: &str) -> bool {
    let b = value.as_bytes();
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    let separators = b.iter().filter(|c| matches!(c, b'_' | b'-' | b'.')).count();
    // Every separated part is a plain lower-case or Capitalized word.
    let wordy = value
        .split(['_', '-', '.'])
        .all(|part| part.len() >= 2 && part.bytes().skip(1).all(|c| c.is_ascii_lowercase()));
    (separators >= 1 && wordy && digits <= 2)
        || (separators == 0 && digits == 0 && is_camel_words(b))
}

/// `SomeJavaClassName`: upper-case letters only at word starts, each word
/// at least 3 letters.
fn is_camel_words(b: &[u8]) -> bool {
    let mut run = 0usize;
    let mut ok = true;
    for (i, c) in b.iter().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && run < 3 {
                ok = false;
            }
            run = 1;
        } else if c.is_ascii_lowercase() {
            run += 1;
        } else {
            return false;
        }
    }
    ok && run >= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_values() {
        assert_eq!(shannon_entropy(""), 0.0);
        assert_eq!(shannon_entropy("aaaa"), 0.0);
        assert!((shannon_entropy("ab") - 1.0).abs() < 1e-9);
        assert!((shannon_entropy("0123456789abcdef") - 4.0).abs() < 1e-9);
    }

    #[test]
    fn random_looking() {
        assert!(looks_random("Zx8vQ2mN7pL4kR9tY3wB6hJ1"));
        assert!(looks_random("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzKEYz12"));
        assert!(looks_random("3f9a1c7e5b2d8f4a6c0e9b1d"));
        assert!(!looks_random("mysecretpassword123"));
        assert!(!looks_random("supersecret"));
        assert!(!looks_random("my_application_secret"));
        assert!(!looks_random("SomeJavaClassName"));
        assert!(!looks_random("aaaaaaaaaaaaaaaaaaaaaaaa"));
        assert!(!looks_random("00000000000000000000000"));
        assert!(!looks_random("this is not random at all"));
    }
}
