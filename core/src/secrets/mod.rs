//! Hard-coded secret detection: a pure library the Dockerfile rules and the
//! image analysis share.
//!
//! Two entry points:
//!
//! - [`classify_assignment`] judges one `key=value` pair of an `ENV`, `ARG`
//!   or `LABEL` instruction (or an image config's `Env`/`Labels`): a value
//!   of a known token format is a secret whatever its key; otherwise the key
//!   must *name* a credential (see [`is_credential_key`]) and the value must
//!   be a literal, not a placeholder, reference or file path (see
//!   [`is_placeholder`]).
//! - [`scan_text`] finds secrets in free text (RUN commands, heredoc bodies,
//!   history lines, small files): known token formats, private-key blocks,
//!   JWTs, credentials in URLs, password arguments of well-known commands,
//!   and high-entropy values assigned to credential-named variables.
//!
//! **Invariants:** no IO; never panics on any input; [`scan_text`] runs in
//! time linear in the text (each detector looks ahead a bounded distance or
//! consumes what it scans). A [`SecretMatch`] never holds the secret: only
//! its span and a [redacted](redact) form, so printing, logging or
//! serializing a match cannot leak it.

mod entropy;
mod keys;
mod scan;
mod tokens;
mod values;

use std::fmt;

use serde::Serialize;

use crate::diagnostic::Span;

pub use entropy::{Alphabet, shannon_entropy};
pub use keys::is_credential_key;
pub use scan::scan_text;
pub use values::is_placeholder;

/// What kind of secret was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretKind {
    /// `AKIA…`/`ASIA…` followed by 16 base-32 characters.
    AwsAccessKeyId,
    /// 40 base-64 characters assigned to an `aws_secret_access_key`-like name.
    AwsSecretAccessKey,
    /// `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` (36 more) or `github_pat_`.
    GitHubToken,
    /// `glpat-` personal access tokens.
    GitLabToken,
    /// `xoxb-`, `xoxa-`, `xoxp-`, `xoxr-`, `xoxs-` tokens.
    SlackToken,
    /// `https://hooks.slack.com/services/T…/B…/…`.
    SlackWebhook,
    /// `sk_live_`/`rk_live_` keys.
    StripeLiveKey,
    /// `sk_test_`/`rk_test_` keys (no money moves: lower severity).
    StripeTestKey,
    /// `AIza` followed by 35 characters.
    GoogleApiKey,
    /// A `-----BEGIN … PRIVATE KEY-----` block with a body.
    PrivateKey,
    /// A JSON Web Token: three base64url parts, the header JSON with `alg`.
    Jwt,
    /// `npm_` followed by 36 characters.
    NpmToken,
    /// `pypi-AgEIcHlwaS5vcmc…` upload tokens.
    PyPiToken,
    /// `scheme://user:password@host` with a literal password.
    UrlCredentials,
    /// `--password=…`, `mysql -p…`, `docker login -p …`, `curl -u user:pass`.
    PasswordArgument,
    /// A high-entropy literal assigned to a credential-named variable.
    HighEntropySecret,
    /// A literal (not random-looking) value of a credential-named key, e.g.
    /// `ENV DB_PASSWORD=hunter2`.
    CredentialAssignment,
}

impl SecretKind {
    /// Every kind, in declaration order.
    pub const ALL: [SecretKind; 17] = [
        SecretKind::AwsAccessKeyId,
        SecretKind::AwsSecretAccessKey,
        SecretKind::GitHubToken,
        SecretKind::GitLabToken,
        SecretKind::SlackToken,
        SecretKind::SlackWebhook,
        SecretKind::StripeLiveKey,
        SecretKind::StripeTestKey,
        SecretKind::GoogleApiKey,
        SecretKind::PrivateKey,
        SecretKind::Jwt,
        SecretKind::NpmToken,
        SecretKind::PyPiToken,
        SecretKind::UrlCredentials,
        SecretKind::PasswordArgument,
        SecretKind::HighEntropySecret,
        SecretKind::CredentialAssignment,
    ];

    /// A stable kebab-case id, as serialized (`aws-access-key-id`, …).
    pub fn id(self) -> &'static str {
        match self {
            SecretKind::AwsAccessKeyId => "aws-access-key-id",
            SecretKind::AwsSecretAccessKey => "aws-secret-access-key",
            SecretKind::GitHubToken => "github-token",
            SecretKind::GitLabToken => "gitlab-token",
            SecretKind::SlackToken => "slack-token",
            SecretKind::SlackWebhook => "slack-webhook",
            SecretKind::StripeLiveKey => "stripe-live-key",
            SecretKind::StripeTestKey => "stripe-test-key",
            SecretKind::GoogleApiKey => "google-api-key",
            SecretKind::PrivateKey => "private-key",
            SecretKind::Jwt => "jwt",
            SecretKind::NpmToken => "npm-token",
            SecretKind::PyPiToken => "pypi-token",
            SecretKind::UrlCredentials => "url-credentials",
            SecretKind::PasswordArgument => "password-argument",
            SecretKind::HighEntropySecret => "high-entropy-secret",
            SecretKind::CredentialAssignment => "credential-assignment",
        }
    }

    /// A short human description (`AWS access key id`, …).
    pub fn description(self) -> &'static str {
        match self {
            SecretKind::AwsAccessKeyId => "AWS access key id",
            SecretKind::AwsSecretAccessKey => "AWS secret access key",
            SecretKind::GitHubToken => "GitHub token",
            SecretKind::GitLabToken => "GitLab token",
            SecretKind::SlackToken => "Slack token",
            SecretKind::SlackWebhook => "Slack webhook URL",
            SecretKind::StripeLiveKey => "Stripe live key",
            SecretKind::StripeTestKey => "Stripe test key",
            SecretKind::GoogleApiKey => "Google API key",
            SecretKind::PrivateKey => "private key",
            SecretKind::Jwt => "JSON Web Token",
            SecretKind::NpmToken => "npm token",
            SecretKind::PyPiToken => "PyPI token",
            SecretKind::UrlCredentials => "password in a URL",
            SecretKind::PasswordArgument => "password on a command line",
            SecretKind::HighEntropySecret => "high-entropy secret",
            SecretKind::CredentialAssignment => "hard-coded credential",
        }
    }
}

impl fmt::Display for SecretKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// How sure the detector is — a severity hint for the rules.
///
/// `High`: a known token format with its checksum-free shape, a private key,
/// a JWT, or a random-looking value under a credential name (→ critical).
/// `Medium`: a literal under a credential name, a password argument or URL
/// password (→ high). `Low`: test keys (→ medium or lower).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// One secret found. Holds no copy of the secret: `Debug`, `Display` and
/// serialization show only [`redacted`](SecretMatch::redacted).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct SecretMatch {
    pub kind: SecretKind,
    /// Byte offsets of the secret itself in the text given (the `value` for
    /// [`classify_assignment`], the text for [`scan_text`]); for a URL or
    /// `user:pass` argument, just the password.
    pub span: Span,
    /// A form safe to show: a few leading characters (none for short
    /// secrets), `…`, and the length — see [`redact`].
    pub redacted: String,
    pub confidence: Confidence,
}

impl SecretMatch {
    /// A match for `secret`, which sits at `start` in the scanned text.
    fn new(kind: SecretKind, start: usize, secret: &str, confidence: Confidence) -> Self {
        SecretMatch {
            kind,
            span: Span::new(start, start.saturating_add(secret.len())),
            redacted: redact(secret),
            confidence,
        }
    }
}

impl fmt::Display for SecretMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.description(), self.redacted)
    }
}

/// The redacted form of a secret: its first 4 characters when it has at
/// least 16 (token prefixes such as `ghp_` or `AKIA` say what it is without
/// giving it away), 2 when it has 8 to 15, none below; then `…` and the
/// length in characters: `sk_l…(32 chars)`, `my…(12 chars)`, `…(5 chars)`.
pub fn redact(secret: &str) -> String {
    let len = secret.chars().count();
    let shown = match len {
        16.. => 4,
        8..=15 => 2,
        _ => 0,
    };
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}…({len} chars)")
}

/// Judges one `key=value` pair (ENV, ARG, LABEL, image `Env`/`Labels`).
///
/// A value that *is* a known token (`ghp_…`, `AKIA…`, a JWT, a private-key
/// block, …) is a secret under any key. Otherwise the key must name a
/// credential ([`is_credential_key`]: `DB_PASSWORD`, `apiKey`, `JWT_SECRET`;
/// not `TOKENIZER_PATH`, `PASSWORD_FILE`, `GPG_KEY`, `KEY_URL`) and the value
/// must be a literal: not empty, not a `$VAR`/`${VAR}` reference, not a
/// placeholder, boolean or short number, not a file path
/// ([`is_placeholder`]). A random-looking value gives
/// [`SecretKind::HighEntropySecret`] (or `AwsSecretAccessKey` under an AWS
/// secret name), another literal [`SecretKind::CredentialAssignment`].
///
/// The match's span is a byte range of `value` (surrounding quotes, if the
/// caller left them, are skipped).
pub fn classify_assignment(key: &str, value: &str) -> Option<SecretMatch> {
    let (offset, literal) = values::unquote(value);
    if let Some((kind, confidence)) = tokens::known_token(literal) {
        return Some(SecretMatch::new(kind, offset, literal, confidence));
    }
    // A value holding a token among other text (`Bearer ghp_…`, a URL).
    if let Some(found) = scan_text(literal).into_iter().find(|m| {
        !matches!(
            m.kind,
            SecretKind::HighEntropySecret | SecretKind::CredentialAssignment
        )
    }) {
        return Some(SecretMatch {
            span: Span::new(
                found.span.start.saturating_add(offset),
                found.span.end.saturating_add(offset),
            ),
            ..found
        });
    }
    let strength = keys::credential_strength(key)?;
    if values::is_placeholder(literal) || values::is_not_a_secret_value(literal) {
        return None;
    }
    let random = entropy::looks_random(literal);
    let (kind, confidence) = if random {
        if keys::is_aws_secret_key_name(key) && tokens::is_aws_secret_shape(literal) {
            (SecretKind::AwsSecretAccessKey, Confidence::High)
        } else {
            (SecretKind::HighEntropySecret, Confidence::High)
        }
    } else {
        match strength {
            keys::Strength::Strong => (SecretKind::CredentialAssignment, Confidence::Medium),
            // `AUTH=basic`, `LICENSE_KEY=…`: only random-looking values count.
            keys::Strength::Weak => return None,
        }
    };
    Some(SecretMatch::new(kind, offset, literal, confidence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_never_shows_the_whole_secret() {
        assert_eq!(
            redact("sk_live_abcdefghijklmnopqrstuvwx"),
            "sk_l…(32 chars)"
        );
        assert_eq!(redact("hunter2hunter"), "hu…(13 chars)");
        assert_eq!(redact("hunter2"), "…(7 chars)");
        assert_eq!(redact(""), "…(0 chars)");
        assert_eq!(redact("ééééééééé"), "éé…(9 chars)");
    }

    #[test]
    fn display_and_debug_do_not_leak() {
        let secret = "mysecretpassword123";
        let m = classify_assignment("DATABASE_PASSWORD", secret).unwrap();
        assert!(!format!("{m}").contains(secret));
        assert!(!format!("{m:?}").contains(secret));
        assert!(!format!("{m:?}").contains("secretpassword"));
    }

    #[test]
    fn the_seed_examples_secrets() {
        let m = classify_assignment("DATABASE_PASSWORD", "mysecretpassword123").unwrap();
        assert_eq!(m.kind, SecretKind::CredentialAssignment);
        assert_eq!(m.span, Span::new(0, 19));
        assert!(classify_assignment("API_KEY", "sk-1234567890abcdef").is_some());
        assert!(classify_assignment("JWT_SECRET", "supersecret").is_some());
        assert!(classify_assignment("NODE_ENV", "development").is_none());
        assert!(classify_assignment("DEBUG", "*").is_none());
    }

    #[test]
    fn known_tokens_under_any_key() {
        let m = classify_assignment("GH", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789").unwrap();
        assert_eq!(m.kind, SecretKind::GitHubToken);
        assert_eq!(m.redacted, "ghp_…(40 chars)");
        let m = classify_assignment("X", "\"AKIAZ7VRSQ5TUVWXY234\"").unwrap();
        assert_eq!(m.kind, SecretKind::AwsAccessKeyId);
        assert_eq!(m.span, Span::new(1, 21));
        let m = classify_assignment("DATABASE_URL", "postgres://app:Xk29sPq1@db:5432/app").unwrap();
        assert_eq!(m.kind, SecretKind::UrlCredentials);
        assert_eq!(m.span, Span::new(15, 23));
        assert!(classify_assignment("DATABASE_URL", "postgres://app:${PW}@db/app").is_none());
        let m = classify_assignment("HEADER", "Bearer ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789")
            .unwrap();
        assert_eq!(m.span.start, 7);
    }

    #[test]
    fn credential_names_with_literals() {
        for (k, v) in [
            ("DB_PASSWORD", "hunter22"),
            ("MYSQL_ROOT_PASSWORD", "root"),
            ("POSTGRES_PASSWORD", "postgres"),
            ("dbPassword", "s3cr3t!"),
            ("GITHUB_TOKEN", "abc123def"),
            ("apiKey", "k-9f8e7d"),
            ("CLIENT_SECRET", "kjh34kj5h"),
            ("SECRET_KEY_BASE", "aa8f7d6e5c4b3a29"),
            ("PRIVATE_KEY", "mykey123"),
            ("REDIS_PASS", "redispw"),
            ("DB_PWD", "pw1234x"),
        ] {
            assert!(classify_assignment(k, v).is_some(), "{k}={v}");
        }
    }

    #[test]
    fn not_secrets() {
        for (k, v) in [
            ("TOKENIZER_PATH", "/models/tok"),
            ("PASSWORD_FILE", "/run/secrets/db"),
            ("SECRET_NAME", "/etc/secret.json"),
            ("GPG_KEY", "B42F6819007F00F88E364FD4036A9C25BF357DD4"),
            ("GPG_KEYS", "A035C8C19219BA821ECEA86B64E628F8D684696D"),
            ("KEY_URL", "https://example.org/key.asc"),
            ("PWD", "/app"),
            ("DB_PASSWORD", ""),
            ("DB_PASSWORD", "${DB_PASSWORD}"),
            ("DB_PASSWORD", "$DB_PASSWORD"),
            ("API_KEY", "<your-api-key>"),
            ("API_KEY", "your-api-key"),
            ("PASSWORD", "xxx"),
            ("PASSWORD", "***"),
            ("PASSWORD", "changeme"),
            ("PASSWORD_AUTH", "false"),
            ("TOKEN_TTL", "3600"),
            ("PASSWORD", "example"),
            ("PASSWORD", "dummy"),
            ("PASSWORD", "null"),
            ("AUTH", "basic"),
            ("PASSWORD_MIN_LENGTH", "8"),
            ("NPM_TOKEN", "/run/secrets/npm"),
            ("DB_PASSWORD_FILE", "db.txt"),
            ("PUBLIC_KEY", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq"),
            ("NODE_VERSION", "20.11.1"),
            (
                "NODE_SHA256",
                "f1c0d7b1e5f4d2c3a1b0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8",
            ),
        ] {
            assert!(classify_assignment(k, v).is_none(), "{k}={v}");
        }
    }

    #[test]
    fn high_entropy_values_are_high_confidence() {
        let m = classify_assignment("SECRET_KEY", "Zx8vQ2mN7pL4kR9tY3wB6hJ1").unwrap();
        assert_eq!(m.kind, SecretKind::HighEntropySecret);
        assert_eq!(m.confidence, Confidence::High);
        let m = classify_assignment(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzzzzKEYz",
        )
        .unwrap();
        assert_eq!(m.kind, SecretKind::HighEntropySecret);
        let m = classify_assignment(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzzzzKEYz12",
        )
        .unwrap();
        assert_eq!(m.kind, SecretKind::AwsSecretAccessKey);
        // A weak name needs a random value.
        assert!(classify_assignment("LICENSE_KEY", "Zx8vQ2mN7pL4kR9tY3wB6hJ1").is_some());
    }
}
