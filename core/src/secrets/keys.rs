//! Does a variable, label or option name a credential?
//!
//! Names are split into lower-case words on `_`, `-`, `.`, other
//! punctuation and camelCase boundaries (`dbPassword` → `db password`,
//! `APIKey` → `api key`); trailing digits are dropped (`PASSWORD2`). A name
//! is a credential name when one of its words is a credential word and every
//! word after it only qualifies the value (`SECRET_KEY_BASE`,
//! `TOKEN_VALUE`): `PASSWORD_FILE`, `SECRET_NAME`, `TOKEN_TTL`, `KEY_URL`
//! and `PASSWORD_MIN_LENGTH` describe *something about* a credential. Words
//! are matched whole, so `TOKENIZER_PATH` and `PASSPORT` are not
//! credentials, and any `gpg`/`pgp`/`public`/`fingerprint` word rules the
//! name out (`GPG_KEY` in official images is a public key fingerprint).

/// How much a credential name says on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strength {
    /// `password`, `secret`, `token`, `api key`, `private key`…: any literal
    /// value is a hard-coded credential.
    Strong,
    /// `auth`, `license key`, `encryption key`…: only a random-looking value
    /// is treated as a secret.
    Weak,
}

/// Words that name a credential by themselves.
const STRONG_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "passcode",
    "secret",
    "token",
    "apikey",
    "apitoken",
    "accesskey",
    "accesstoken",
    "authtoken",
    "secretkey",
    "privatekey",
    "clientsecret",
    "credentials",
    "credential",
    "creds",
];

/// Words that name a credential only after another word (`api key`).
const KEY_QUALIFIERS_STRONG: &[&str] = &["api", "access", "private", "secret"];

const KEY_QUALIFIERS_WEAK: &[&str] = &[
    "encryption",
    "signing",
    "master",
    "app",
    "auth",
    "license",
    "licence",
    "session",
    "account",
    "storage",
    "client",
    "service",
    "cookie",
    "jwt",
    "hmac",
];

/// Weak credential words on their own.
const WEAK_WORDS: &[&str] = &["auth", "apisecret", "masterkey", "encryptionkey"];

/// Words that may follow a credential word and still leave the value the
/// credential itself.
const VALUE_QUALIFIERS: &[&str] = &[
    "key",
    "value",
    "base",
    "str",
    "string",
    "plain",
    "plaintext",
    "raw",
    "hex",
    "b64",
    "base64",
    "encoded",
    "literal",
    "text",
];

/// Words that make a name not a credential wherever they appear.
const NEVER: &[&str] = &[
    "nopasswd",
    "gpg",
    "pgp",
    "gnupg",
    "public",
    "pub",
    "fingerprint",
    "fingerprints",
    "keyring",
    "keyserver",
    "keyid",
    "checksum",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "hash",
];

/// Is `name` (an ENV/ARG/LABEL key, a shell variable, an option name
/// without its dashes) the name of a credential? See the module docs for
/// the word rules.
pub fn is_credential_key(name: &str) -> bool {
    credential_strength(name).is_some()
}

/// Whether `name` names a credential, and how strongly.
pub(crate) fn credential_strength(name: &str) -> Option<Strength> {
    let words = split_words(name);
    if words.iter().any(|w| NEVER.contains(&w.as_str())) {
        return None;
    }
    let mut best: Option<Strength> = None;
    for (i, word) in words.iter().enumerate() {
        let rest_ok = words
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .all(|w| VALUE_QUALIFIERS.contains(&w.as_str()));
        if !rest_ok {
            continue;
        }
        let prev = i
            .checked_sub(1)
            .and_then(|p| words.get(p))
            .map(String::as_str);
        let strength = word_strength(word, prev);
        best = match (best, strength) {
            (Some(Strength::Strong), _) | (_, Some(Strength::Strong)) => Some(Strength::Strong),
            (b, s) => b.or(s),
        };
    }
    best
}

/// Is `name` an AWS secret access key name (`AWS_SECRET_ACCESS_KEY`,
/// `aws_secret_key`)?
pub(crate) fn is_aws_secret_key_name(name: &str) -> bool {
    let words = split_words(name);
    words.iter().any(|w| w == "aws") && words.iter().any(|w| w == "secret")
}

fn word_strength(word: &str, prev: Option<&str>) -> Option<Strength> {
    if STRONG_WORDS.contains(&word) || compound_strong(word) {
        return Some(Strength::Strong);
    }
    if word == "key" {
        let prev = prev?;
        if KEY_QUALIFIERS_STRONG.contains(&prev) {
            return Some(Strength::Strong);
        }
        if KEY_QUALIFIERS_WEAK.contains(&prev) {
            return Some(Strength::Weak);
        }
        return None;
    }
    if WEAK_WORDS.contains(&word) {
        return Some(Strength::Weak);
    }
    None
}

/// `rootpassword`, `dbpasswd`, `githubtoken`-style single words.
fn compound_strong(word: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "password",
        "passwd",
        "apikey",
        "accesskey",
        "secretkey",
        "privatekey",
        "authtoken",
        "accesstoken",
        "apitoken",
        "bottoken",
        "clientsecret",
        "appsecret",
    ];
    // `NOPASSWD` (sudoers) says there is none.
    !word.starts_with("no")
        && SUFFIXES
            .iter()
            .any(|s| word.len() > s.len() && word.ends_with(s))
}

/// Splits a name into lower-case words; see the module docs.
pub(crate) fn split_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            flush(&mut current, &mut words);
            continue;
        }
        if c.is_uppercase() && !current.is_empty() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let prev_lower_or_digit = prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit());
            let acronym_end =
                prev.is_some_and(char::is_uppercase) && next.is_some_and(char::is_lowercase);
            if prev_lower_or_digit || acronym_end {
                flush(&mut current, &mut words);
            }
        }
        current.extend(c.to_lowercase());
    }
    flush(&mut current, &mut words);
    words
}

fn flush(current: &mut String, words: &mut Vec<String>) {
    let trimmed = current.trim_end_matches(|c: char| c.is_ascii_digit());
    if !trimmed.is_empty() {
        words.push(trimmed.to_string());
    } else if !current.is_empty() {
        words.push(std::mem::take(current));
    }
    current.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words() {
        assert_eq!(split_words("dbPassword"), ["db", "password"]);
        assert_eq!(split_words("APIKey"), ["api", "key"]);
        assert_eq!(
            split_words("MYSQL_ROOT_PASSWORD"),
            ["mysql", "root", "password"]
        );
        assert_eq!(split_words("aws.secret-key"), ["aws", "secret", "key"]);
        assert_eq!(split_words("PASSWORD2"), ["password"]);
        assert_eq!(split_words("OAuth2Token"), ["o", "auth", "token"]);
        assert_eq!(split_words(""), Vec::<String>::new());
    }

    #[test]
    fn credential_names() {
        for name in [
            "PASSWORD",
            "DB_PASSWORD",
            "db-passwd",
            "DB_PWD",
            "REDIS_PASS",
            "GITHUB_TOKEN",
            "SECRET",
            "JWT_SECRET",
            "API_KEY",
            "APIKEY",
            "apiKey",
            "ACCESS_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "PRIVATE_KEY",
            "CREDENTIALS",
            "CLIENT_SECRET",
            "SECRET_KEY_BASE",
            "ROOTPASSWORD",
            "NPM_AUTH_TOKEN",
        ] {
            assert!(is_credential_key(name), "{name}");
        }
        assert_eq!(credential_strength("AUTH"), Some(Strength::Weak));
        assert_eq!(credential_strength("LICENSE_KEY"), Some(Strength::Weak));
        assert_eq!(credential_strength("API_KEY"), Some(Strength::Strong));
    }

    #[test]
    fn not_credential_names() {
        for name in [
            "TOKENIZER_PATH",
            "PASSWORD_FILE",
            "SECRET_NAME",
            "GPG_KEY",
            "GPG_KEYS",
            "KEY_URL",
            "KEY",
            "PWD_DIR",
            "PASSPORT",
            "PUBLIC_KEY",
            "TOKEN_TTL",
            "PASSWORD_MIN_LENGTH",
            "password-stdin",
            "AUTH_METHOD",
            "AUTHOR",
            "org.opencontainers.image.authors",
            "SSH_KEY_FINGERPRINT",
            "SECRETS_DIR",
            "NODE_SHA256",
            "API_KEY_ID",
            "NOPASSWD",
        ] {
            assert!(!is_credential_key(name), "{name}");
        }
    }
}
