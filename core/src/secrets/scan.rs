//! The free-text scanner behind [`scan_text`].
//!
//! One left-to-right pass. At each word boundary it tries, in order: the
//! known token formats ([`super::tokens`]), a private-key block, a command
//! option carrying a password, and a `name=value` / `name: value`
//! assignment to a credential-named variable; at each `://` it looks for
//! `user:password@`. Whatever a detector scans it consumes (or looks ahead
//! at most a fixed distance), so the pass is linear in the text.

use super::entropy::looks_random;
use super::keys::{self, Strength};
use super::tokens::{self, TokenScan};
use super::values::{has_reference, is_not_a_secret_value, is_placeholder};
use super::{Confidence, SecretKind, SecretMatch};

/// Longest variable name considered in an assignment.
const MAX_NAME: usize = 128;
/// Longest value considered in an assignment or argument.
const MAX_VALUE: usize = 1024;
/// How far a private-key block may run before its `-----END` line.
const MAX_KEY_BLOCK: usize = 64 * 1024;
/// How far back the command of an option is looked for.
const MAX_LOOKBACK: usize = 256;

/// Finds secrets in free text: RUN commands, heredoc bodies, image history
/// lines, small files. Spans are byte offsets into `text`, in order, never
/// overlapping. Detects the formats of [`SecretKind`]:
///
/// - known tokens (AWS `AKIA`/`ASIA` key ids, GitHub `ghp_`… and
///   `github_pat_`, GitLab `glpat-`, Slack `xox?-` and webhooks, Stripe
///   `sk_live_`/`rk_live_` (and `sk_test_` at low confidence), Google
///   `AIza`, npm `npm_`, PyPI `pypi-AgE…`, JWTs);
/// - `-----BEGIN … PRIVATE KEY-----` blocks with a body;
/// - `scheme://user:password@host` with a literal password;
/// - `--password=…`/`--token …`-style options, `mysql -p…`,
///   `docker login -p …`, `sshpass -p …`, `curl -u user:pass`;
/// - `name=value`, `name: value` (and `aws_secret_access_key value`) where
///   the name is a credential: random-looking values
///   ([`SecretKind::HighEntropySecret`]), or any literal under a strong
///   name such as `password` ([`SecretKind::CredentialAssignment`]).
///
/// References (`$X`, `${X}`), placeholders and paths are skipped as in
/// [`super::classify_assignment`].
pub fn scan_text(text: &str) -> Vec<SecretMatch> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0usize;
    let mut key_end_cache: Option<Option<usize>> = None;
    while let Some(&c) = b.get(i) {
        let prev = i.checked_sub(1).and_then(|p| b.get(p)).copied();
        let boundary = prev.is_none_or(|p| !is_word(p));
        if c == b':' && starts_with_at(b, i + 1, b"//") {
            i = url_credentials(text, i + 3, &mut out);
            continue;
        }
        if !boundary || c >= 0x80 {
            i += 1;
            continue;
        }
        match tokens::token_at(b, i) {
            TokenScan::Found {
                kind,
                confidence,
                end,
            } => {
                push(text, &mut out, kind, i, end, confidence);
                i = end;
                continue;
            }
            TokenScan::Rejected { end } => {
                i = end.max(i + 1);
                continue;
            }
            TokenScan::None => {}
        }
        if c == b'-' {
            if starts_with_at(b, i, b"-----BEGIN ") {
                i = private_key(text, i, &mut out, &mut key_end_cache);
                continue;
            }
            if let Some(next) = option_argument(text, i, &mut out) {
                i = next;
                continue;
            }
        }
        if (c.is_ascii_alphabetic() || c == b'_')
            && prev != Some(b'$')
            && prev != Some(b'{')
            && let Some(next) = assignment(text, i, &mut out)
        {
            i = next;
            continue;
        }
        i += 1;
    }
    out
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn starts_with_at(b: &[u8], at: usize, prefix: &[u8]) -> bool {
    b.get(at..).is_some_and(|rest| rest.starts_with(prefix))
}

fn push(
    text: &str,
    out: &mut Vec<SecretMatch>,
    kind: SecretKind,
    start: usize,
    end: usize,
    confidence: Confidence,
) {
    if let Some(secret) = text.get(start..end)
        && !secret.is_empty()
    {
        out.push(SecretMatch::new(kind, start, secret, confidence));
    }
}

/// A literal value found at `start..end`: a known token keeps its own kind.
fn push_value(
    text: &str,
    out: &mut Vec<SecretMatch>,
    kind: SecretKind,
    start: usize,
    end: usize,
    confidence: Confidence,
) {
    let value = text.get(start..end).unwrap_or_default();
    match tokens::known_token(value) {
        Some((k, c)) => push(text, out, k, start, end, c),
        None => push(text, out, kind, start, end, confidence),
    }
}

/// `://user:pass@`: `from` is just after `://`. Returns where to go on.
fn url_credentials(text: &str, from: usize, out: &mut Vec<SecretMatch>) -> usize {
    let b = text.as_bytes();
    let mut end = from;
    let mut colon = None;
    while let Some(&c) = b.get(end) {
        match c {
            b'@' => break,
            b':' if colon.is_none() => colon = Some(end),
            b'/' | b'?' | b'#' | b'"' | b'\'' | b'`' | b'<' | b'>' | b'\\' => return from,
            c if c.is_ascii_whitespace() => return from,
            _ => {}
        }
        end += 1;
        if end - from > MAX_VALUE {
            return from;
        }
    }
    if b.get(end) != Some(&b'@') {
        return from;
    }
    let after = end + 1;
    let host_ok = b
        .get(after)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'[');
    let mut judged = false;
    if let Some(colon) = colon
        && host_ok
    {
        let user = text.get(from..colon).unwrap_or_default();
        let pass = text.get(colon + 1..end).unwrap_or_default();
        let literal = !pass.is_empty()
            && !has_reference(pass)
            && !has_reference(user)
            && !pass.starts_with('$')
            && !is_placeholder(pass)
            && (pass.len() > 5 || !pass.bytes().all(|c| c.is_ascii_digit()));
        if literal {
            judged = true;
            push_value(
                text,
                out,
                SecretKind::UrlCredentials,
                colon + 1,
                end,
                Confidence::Medium,
            );
        }
    }
    // Without a password, the user part may still hold a token
    // (`https://ghp_…@github.com`): let the main loop look at it.
    if judged { after } else { from }
}

/// A `-----BEGIN … PRIVATE KEY-----` block at `at`. Returns where to go on.
fn private_key(
    text: &str,
    at: usize,
    out: &mut Vec<SecretMatch>,
    end_cache: &mut Option<Option<usize>>,
) -> usize {
    let b = text.as_bytes();
    let label_from = at + "-----BEGIN ".len();
    // The label ends at the next "-----", within 64 bytes.
    let window = b
        .get(label_from..b.len().min(label_from + 64))
        .unwrap_or_default();
    let Some(label_len) = window.windows(5).position(|w| w == b"-----") else {
        return label_from;
    };
    let label = window.get(..label_len).unwrap_or_default();
    let header_end = label_from + label_len + 5;
    let is_private = label.ends_with(b"PRIVATE KEY") || label.ends_with(b"PRIVATE KEY BLOCK");
    if !is_private {
        return header_end;
    }
    // The next "-----END", found once and reused (linear over many headers).
    let next_end = match *end_cache {
        Some(Some(e)) if e >= header_end => Some(e),
        Some(None) => None,
        _ => {
            let found = find(b, header_end, b"-----END").map(|p| p + header_end);
            *end_cache = Some(found);
            found
        }
    };
    let body_end = match next_end {
        Some(e) if e - header_end <= MAX_KEY_BLOCK => e,
        _ => b.len().min(header_end + 4096),
    };
    let body = b.get(header_end..body_end).unwrap_or_default();
    let base64 = body
        .iter()
        .take(4096)
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
        .count();
    // A bare header (`grep 'BEGIN RSA PRIVATE KEY'`) holds no key.
    let has_body = base64 >= 64;
    if !has_body {
        return header_end;
    }
    let block_end = if next_end == Some(body_end) {
        // Through the END marker's closing dashes.
        let tail = b
            .get(body_end + 8..b.len().min(body_end + 8 + 64))
            .unwrap_or_default();
        tail.windows(5)
            .position(|w| w == b"-----")
            .map_or(body_end + 8, |p| body_end + 8 + p + 5)
    } else {
        header_end
    };
    push(
        text,
        out,
        SecretKind::PrivateKey,
        at,
        block_end,
        Confidence::High,
    );
    block_end
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
}

/// The command words before `at` in the same shell command (stops at a
/// line end without continuation, `;`, `|`, `&`), lower-cased, at most
/// [`MAX_LOOKBACK`] bytes back.
fn command_before(b: &[u8], at: usize) -> String {
    let from = at.saturating_sub(MAX_LOOKBACK);
    let window = b.get(from..at).unwrap_or_default();
    let mut start = 0;
    for (i, &c) in window.iter().enumerate().rev() {
        let stop = match c {
            b';' | b'|' | b'&' => true,
            b'\n' => i.checked_sub(1).and_then(|p| window.get(p)) != Some(&b'\\'),
            _ => false,
        };
        if stop {
            start = i + 1;
            break;
        }
    }
    String::from_utf8_lossy(window.get(start..).unwrap_or_default()).to_ascii_lowercase()
}

/// The program the command runs (its first word's base name, after
/// `sudo`, `exec`, `env` and `VAR=value` prefixes) and the word after it.
fn program(command: &str) -> (&str, &str) {
    let mut words = command.split_ascii_whitespace().skip_while(|w| {
        matches!(
            *w,
            "sudo" | "exec" | "env" | "time" | "nohup" | "then" | "do" | "(" | "{"
        ) || (w.contains('=') && !w.starts_with('-'))
    });
    let first = words.next().unwrap_or_default();
    let first = first.trim_start_matches(['(', '{', '"', '\'']);
    let base = first.rsplit('/').next().unwrap_or_default();
    (base, words.next().unwrap_or_default())
}

/// Does the command run one of `programs`?
fn runs(command: &str, programs: &[&str]) -> bool {
    programs.contains(&program(command).0)
}

/// `docker login`, `podman login`, `helm registry login`, `sshpass`.
fn runs_login(command: &str) -> bool {
    let (prog, sub) = program(command);
    prog == "sshpass"
        || (matches!(
            prog,
            "docker" | "podman" | "buildah" | "skopeo" | "nerdctl" | "oras"
        ) && sub == "login")
        || (prog == "helm" && command.split_ascii_whitespace().any(|w| w == "login"))
}

/// A shell word at `from`: quoted (`"…"`, `'…'`) or bare. Returns the
/// content's span and the end of the word.
fn word_at(b: &[u8], from: usize) -> Option<(usize, usize, usize)> {
    let first = *b.get(from)?;
    if first == b'"' || first == b'\'' {
        let mut end = from + 1;
        while let Some(&c) = b.get(end) {
            if c == first || c == b'\n' || end - from > MAX_VALUE {
                break;
            }
            end += 1;
        }
        if b.get(end) != Some(&first) {
            return None;
        }
        return Some((from + 1, end, end + 1));
    }
    let mut end = from;
    while let Some(&c) = b.get(end) {
        if c.is_ascii_whitespace()
            || matches!(
                c,
                b';' | b'&' | b'|' | b')' | b'(' | b'`' | b'"' | b'\'' | b'<' | b'>'
            )
            || end - from > MAX_VALUE
        {
            break;
        }
        end += 1;
    }
    (end > from).then_some((from, end, end))
}

/// An option carrying a credential, at `at` (a `-`). Returns where to go on
/// when it consumed something.
fn option_argument(text: &str, at: usize, out: &mut Vec<SecretMatch>) -> Option<usize> {
    let b = text.as_bytes();
    let long = b.get(at + 1) == Some(&b'-');
    let name_from = if long { at + 2 } else { at + 1 };
    let mut name_end = name_from;
    while b
        .get(name_end)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
        && name_end - name_from < MAX_NAME
    {
        name_end += 1;
    }
    let name = text.get(name_from..name_end)?;
    if name.is_empty() || !b.get(name_from).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    if long {
        return long_option(text, at, name, name_end, out);
    }
    // Short options: `-pSECRET` (mysql), `-p SECRET` (docker login,
    // sshpass), `-u user:pass` (curl).
    if at.checked_sub(1).and_then(|p| b.get(p)) == Some(&b'-') {
        return None;
    }
    let command = || command_before(b, at);
    if name.starts_with('p') {
        let attached = name.len() > 1 || matches!(b.get(name_end), Some(b'"' | b'\''));
        if attached {
            // `-psecret`, `-p"secret"`.
            let mysql = [
                "mysql",
                "mysqladmin",
                "mysqldump",
                "mariadb",
                "mariadb-admin",
            ];
            if !runs(&command(), &mysql) {
                return None;
            }
            let (s, e, next) = word_at(b, at + 2)?;
            literal_argument(text, s, e, out);
            return Some(next);
        }
        let from = skip_spaces(b, name_end);
        if from == name_end || !runs_login(&command()) {
            return None;
        }
        let (s, e, next) = word_at(b, from)?;
        literal_argument(text, s, e, out);
        return Some(next);
    }
    if name == "u" && runs(&command(), &["curl"]) {
        let from = skip_spaces(b, name_end);
        let (s, e, next) = word_at(b, from)?;
        user_password(text, s, e, out);
        return Some(next);
    }
    None
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// `--password=…`, `--token …`, `--user user:pass` (curl).
fn long_option(
    text: &str,
    at: usize,
    name: &str,
    name_end: usize,
    out: &mut Vec<SecretMatch>,
) -> Option<usize> {
    let b = text.as_bytes();
    let lower = name.to_ascii_lowercase();
    let first_word = lower.split(['-', '_']).next().unwrap_or_default();
    if matches!(
        first_word,
        "no" | "without"
            | "skip"
            | "disable"
            | "disabled"
            | "enable"
            | "enabled"
            | "allow"
            | "ask"
            | "prompt"
            | "require"
    ) {
        return None;
    }
    let value_from = match b.get(name_end) {
        Some(b'=') => name_end + 1,
        Some(b' ' | b'\t') => skip_spaces(b, name_end),
        _ => return None,
    };
    if lower == "user" {
        if !runs(&command_before(b, at), &["curl"]) {
            return None;
        }
        let (s, e, next) = word_at(b, value_from)?;
        user_password(text, s, e, out);
        return Some(next);
    }
    if keys::credential_strength(name) != Some(Strength::Strong) {
        return None;
    }
    let (s, e, next) = word_at(b, value_from)?;
    let value = text.get(s..e)?;
    // The next option, or a `k=v,k=v` list (`--secret id=x,src=y`).
    if value.starts_with('-') || value.contains('=') {
        return None;
    }
    literal_argument(text, s, e, out);
    Some(next)
}

/// Reports `s..e` as a password argument when it is a literal.
fn literal_argument(text: &str, s: usize, e: usize, out: &mut Vec<SecretMatch>) {
    let value = text.get(s..e).unwrap_or_default();
    if is_placeholder(value) || is_not_a_secret_value(value) || value.starts_with('$') {
        return;
    }
    // `--aes-pwd proxy-secret`: a file or variable name, not the password.
    let named_like_a_credential = value
        .split(['-', '_', '.'])
        .any(|w| keys::credential_strength(w).is_some());
    if named_like_a_credential && value.contains(['-', '_', '.']) && !looks_random(value) {
        return;
    }
    let confidence = if looks_random(value) {
        Confidence::High
    } else {
        Confidence::Medium
    };
    push_value(text, out, SecretKind::PasswordArgument, s, e, confidence);
}

/// `user:pass` of `curl -u`: the password part.
fn user_password(text: &str, s: usize, e: usize, out: &mut Vec<SecretMatch>) {
    let value = text.get(s..e).unwrap_or_default();
    if let Some(colon) = value.find(':') {
        literal_argument(text, s + colon + 1, e, out);
    }
}

/// A value free text may hold as a password: no shell, regex or path
/// syntax (`sed 's/password=.*/'`, `password=/etc/x`), not ending in `=`.
fn plain_literal(value: &str) -> bool {
    value.bytes().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'!' | b'@' | b'#' | b'%' | b'^' | b'+' | b'-' | b'_' | b'.' | b',' | b'~'
            )
    })
}

/// `name=value`, `name = value`, `name: value`, `"name": "value"` at `at`
/// with a credential name. Returns where to go on: past the value when one
/// was judged, past the name otherwise.
fn assignment(text: &str, at: usize, out: &mut Vec<SecretMatch>) -> Option<usize> {
    let b = text.as_bytes();
    let mut name_end = at;
    while b
        .get(name_end)
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
        && name_end - at < MAX_NAME
    {
        name_end += 1;
    }
    // Words joined by `.`/`-` may be a hostname or a flag; only the part up
    // to the first such joiner is skipped when nothing follows.
    let word_end = {
        let mut e = at;
        while b.get(e).copied().is_some_and(is_word) {
            e += 1;
        }
        e
    };
    let name = text.get(at..name_end)?;
    let strength = keys::credential_strength(name);
    let Some(strength) = strength else {
        return Some(word_end.max(at + 1));
    };
    let quoted_name = at
        .checked_sub(1)
        .and_then(|p| b.get(p))
        .is_some_and(|c| *c == b'"' || *c == b'\'');
    let mut i = name_end;
    if quoted_name && matches!(b.get(i), Some(b'"' | b'\'')) {
        i += 1;
    }
    let spaced_from = i;
    i = skip_spaces(b, i);
    let spaced = i > spaced_from;
    let aws_secret = keys::is_aws_secret_key_name(name);
    match b.get(i) {
        Some(b'=') if b.get(i + 1) != Some(&b'=') && !(spaced && prev_is_test(b, at)) => i += 1,
        // `passwd: files ldap` is nsswitch.conf, not a password.
        Some(b':')
            if matches!(b.get(i + 1), Some(b' ' | b'\t' | b'"' | b'\''))
                && !name.eq_ignore_ascii_case("passwd") =>
        {
            i += 1
        }
        Some(_) if aws_secret && spaced => {}
        _ => return Some(word_end.max(at + 1)),
    }
    i = skip_spaces(b, i);
    let (s, e, next) = word_at(b, i)?;
    let value = text.get(s..e)?;
    // `k=v` inside the value: a list or a sed expression, not a secret
    // (base64 padding `=` only comes at the end of a multiple of 4).
    let inner_equals =
        value.contains('=') && (value.trim_end_matches('=').contains('=') || value.len() % 4 != 0);
    if is_placeholder(value)
        || is_not_a_secret_value(value)
        || value.starts_with('$')
        || inner_equals
    {
        return Some(next);
    }
    if let Some((kind, confidence)) = tokens::known_token(value) {
        push(text, out, kind, s, e, confidence);
    } else if looks_random(value) {
        let kind = if aws_secret && tokens::is_aws_secret_shape(value) {
            SecretKind::AwsSecretAccessKey
        } else {
            SecretKind::HighEntropySecret
        };
        push(text, out, kind, s, e, Confidence::High);
    } else if strength == Strength::Strong && !aws_secret && plain_literal(value) {
        push(
            text,
            out,
            SecretKind::CredentialAssignment,
            s,
            e,
            Confidence::Medium,
        );
    }
    Some(next)
}

/// `[ x = y ]`-style comparisons: a `[`/`test` earlier on the command.
fn prev_is_test(b: &[u8], at: usize) -> bool {
    let command = command_before(b, at);
    command.contains('[') || matches!(program(&command).0, "test" | "if" | "[[" | "elif")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<SecretKind> {
        scan_text(text).into_iter().map(|m| m.kind).collect()
    }

    fn secrets(text: &str) -> Vec<&str> {
        scan_text(text)
            .into_iter()
            .map(|m| text.get(m.span.start..m.span.end).unwrap())
            .collect()
    }

    #[test]
    fn tokens_in_commands() {
        use SecretKind::*;
        assert_eq!(
            kinds("RUN git clone https://ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789@github.com/x/y"),
            [GitHubToken]
        );
        assert_eq!(
            kinds("export AWS_ACCESS_KEY_ID=AKIAZ7VRSQ5TUVWXY234 && aws s3 ls"),
            [AwsAccessKeyId]
        );
        assert_eq!(
            secrets(
                "aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzKEYz12"
            ),
            ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzKEYz12"]
        );
        assert_eq!(
            kinds(
                "curl -X POST https://hooks.slack.com/services/T01ABCDEF/B01ABCDEF/aBcDeFgHiJkLmNoPqRsTuVwX"
            ),
            [SlackWebhook]
        );
        assert_eq!(
            kinds(
                "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c' x"
            ),
            [Jwt]
        );
        assert_eq!(
            kinds(
                "echo //registry.npmjs.org/:_authToken=npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 > .npmrc"
            ),
            [NpmToken]
        );
        assert_eq!(
            kinds("stripe sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
            [StripeTestKey]
        );
        // Inside a longer word: not at a boundary.
        assert_eq!(kinds("xghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"), []);
    }

    #[test]
    fn private_keys() {
        let body = "MIIEowIBAAKCAQEA1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0987654321";
        let text = format!(
            "RUN echo \"-----BEGIN RSA PRIVATE KEY-----\\n{body}\\n-----END RSA PRIVATE KEY-----\" > /root/.ssh/id_rsa"
        );
        let found = scan_text(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, SecretKind::PrivateKey);
        let s = &text[found[0].span.start..found[0].span.end];
        assert!(s.starts_with("-----BEGIN RSA") && s.ends_with("PRIVATE KEY-----"));
        let heredoc = format!(
            "-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n{body}\n-----END OPENSSH PRIVATE KEY-----\n"
        );
        assert_eq!(kinds(&heredoc), [SecretKind::PrivateKey]);
        // Headers alone, public keys, certificates.
        assert_eq!(
            kinds("grep -q '-----BEGIN RSA PRIVATE KEY-----' key.pem"),
            []
        );
        assert_eq!(
            kinds(&format!(
                "-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----"
            )),
            []
        );
        assert_eq!(
            kinds(&format!(
                "-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----"
            )),
            []
        );
    }

    #[test]
    fn url_credentials() {
        assert_eq!(
            secrets("git clone https://bob:hunter22@example.com/r.git"),
            ["hunter22"]
        );
        assert_eq!(
            kinds("pip install -i https://u:s3cr3tpw@pypi.example.com/simple x"),
            [SecretKind::UrlCredentials]
        );
        for text in [
            "https://user:${PASS}@host/",
            "https://user:$PASS@host/",
            "https://${USER}:${PASS}@host/",
            "https://user:password@host/",
            "https://user:<password>@host/",
            "git@github.com:org/repo.git",
            "ssh://git@github.com/org/repo",
            "http://localhost:8080/path",
            "https://host:443@",
            "mongodb://user:@host",
        ] {
            assert_eq!(kinds(text), [], "{text}");
        }
    }

    #[test]
    fn password_arguments() {
        assert_eq!(
            secrets("mysql -uroot -prootpw123 -e 'select 1'"),
            ["rootpw123"]
        );
        assert_eq!(
            secrets("mysqladmin -u root -p\"s3cret!x\" status"),
            ["s3cret!x"]
        );
        assert_eq!(
            secrets("docker login -u bob -p hunter22 registry.example.com"),
            ["hunter22"]
        );
        assert_eq!(secrets("sshpass -p 'hunter22' ssh host"), ["hunter22"]);
        assert_eq!(
            secrets("x && sudo /usr/bin/mysql -uroot -proot123 db"),
            ["root123"]
        );
        assert_eq!(
            secrets("echo x; podman login -u u -p hunter22 r"),
            ["hunter22"]
        );
        assert_eq!(secrets("curl -u admin:hunter22 https://x"), ["hunter22"]);
        assert_eq!(
            secrets("curl --user admin:hunter22 https://x"),
            ["hunter22"]
        );
        assert_eq!(secrets("wget --password=hunter22 https://x"), ["hunter22"]);
        assert_eq!(secrets("app --api-key abcdef123456 run"), ["abcdef123456"]);
        for text in [
            "mysql -uroot -p$MYSQL_ROOT_PASSWORD",
            "mysql -uroot -p\"${MYSQL_ROOT_PASSWORD}\"",
            "mysql -uroot -p",
            "echo $PW | docker login -u bob --password-stdin",
            "docker login -u bob -p $TOKEN",
            "curl -u \"$USER:$PASS\" https://x",
            "curl -u admin https://x",
            "useradd -u 1000:1000 app",
            "tar -p -xf a.tar",
            "cp -p a b",
            "mkdir -p /app/x",
            "psql --no-password -h db",
            "docker build --secret id=npm,src=.npmrc .",
            "app --password-file /run/secrets/pw",
            "app --token-file=/run/secrets/pw",
            "ssh-keygen -t rsa -N '' -f key",
            "openssl req -passout pass:${PW} -x",
            "find /etc/mysql/ -name '*.cnf' -print0 | xargs",
            "adduser --disabled-password --gecos '' app",
            "echo 'app ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers",
            "sed -i '$a passwd: files ldap' /etc/nsswitch.conf",
            "sed -e \"s/APP_KEY=SomeRandomString/APP_KEY=x/\" .env",
            "DJANGO_SECRET_KEY=setup python manage.py collectstatic",
            "mtproto-proxy --aes-pwd proxy-secret proxy-multi.conf",
        ] {
            assert_eq!(kinds(text), [], "{text}");
        }
    }

    #[test]
    fn assignments() {
        assert_eq!(
            kinds("export API_TOKEN=Zx8vQ2mN7pL4kR9tY3wB6hJ1 && run"),
            [SecretKind::HighEntropySecret]
        );
        assert_eq!(
            kinds("DB_PASSWORD=hunter22\n"),
            [SecretKind::CredentialAssignment]
        );
        assert_eq!(
            kinds("spring.datasource.password=s3cretpw"),
            [SecretKind::CredentialAssignment]
        );
        assert_eq!(
            kinds("{\"password\": \"hunter22\"}"),
            [SecretKind::CredentialAssignment]
        );
        assert_eq!(
            kinds("password: hunter22\n"),
            [SecretKind::CredentialAssignment]
        );
        for text in [
            "export PASSWORD=$(cat /run/secrets/pw)",
            "export PASSWORD=${PASSWORD:-x}",
            "if [ \"$PASSWORD\" = \"abc\" ]; then x; fi",
            "[ -z $TOKEN ] && echo missing",
            "sed -i 's/password=.*/password=/' conf",
            "PASSWORD_FILE=/run/secrets/pw",
            "echo TOKENIZER_PATH=/models",
            "GPG_KEY=B42F6819007F00F88E364FD4036A9C25BF357DD4",
            "sha256sum=f1c0d7b1e5f4d2c3a1b0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8",
            "auth=basic",
            "password=",
            "token: ''",
        ] {
            assert_eq!(kinds(text), [], "{text}");
        }
    }

    /// Random bytes (as lossy UTF-8) and adversarial repetitions never
    /// panic, and spans always fall on character boundaries in the text.
    #[test]
    fn never_panics_on_random_input() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let pieces: &[&[u8]] = &[
            b"ghp_",
            b"AKIA",
            b"eyJ",
            b".",
            b"-----BEGIN ",
            b"PRIVATE KEY-----",
            b"-----END",
            b"://",
            b":",
            b"@",
            b"=",
            b"-p",
            b"--password",
            b" ",
            b"\n",
            b"\\\n",
            b"\"",
            b"'",
            b"mysql ",
            b"curl -u ",
            b"login ",
            b"xoxb-",
            b"sk_live_",
            b"A",
            b"z",
            b"7",
            b"$",
            b"password",
            b"_",
            b"\xff",
            b"\xc3\xa9",
            b"hooks.slack.com/services/",
        ];
        for round in 0..2000 {
            let len = (next() % 200) as usize;
            let mut bytes = Vec::new();
            for _ in 0..len {
                if round % 2 == 0 {
                    bytes.push((next() & 0xff) as u8);
                } else {
                    bytes.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            for m in scan_text(&text) {
                assert!(text.get(m.span.start..m.span.end).is_some());
                assert!(m.span.start < m.span.end);
            }
            let half = text.len() / 2;
            let split = (0..=half)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            let (k, v) = text.split_at(split);
            let _ = super::super::classify_assignment(k, v);
        }
    }

    #[test]
    fn linear_on_adversarial_input() {
        let start = std::time::Instant::now();
        for piece in [
            "-----BEGIN RSA PRIVATE KEY-----",
            "eyJ.",
            "://a",
            "ghp_",
            "-p ",
            "mysql -p",
            "password=",
            "a",
            "xoxb-1",
        ] {
            let text = piece.repeat(200_000 / piece.len().max(1) + 1);
            let _ = scan_text(&text);
        }
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }
}
