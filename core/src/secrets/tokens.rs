//! Known token formats, recognised by their prefixes and shapes.
//!
//! Each detector starts at a word boundary, consumes the maximal run of its
//! alphabet and checks the run's length and shape, so a scan never looks at
//! a byte twice ([`token_at`] reports where the run ended even when it is
//! not a token).

use super::{Confidence, SecretKind};

/// What a detector made of the text at a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenScan {
    /// A token of this kind runs up to `end` (exclusive).
    Found {
        kind: SecretKind,
        confidence: Confidence,
        end: usize,
    },
    /// A prefix matched but its run (up to `end`) is not a token; the caller
    /// may skip the run.
    Rejected { end: usize },
    /// No known prefix here.
    None,
}

/// Is the whole of `value` one known token?
pub(crate) fn known_token(value: &str) -> Option<(SecretKind, Confidence)> {
    match token_at(value.as_bytes(), 0) {
        TokenScan::Found {
            kind,
            confidence,
            end,
        } if end == value.len() => Some((kind, confidence)),
        _ => None,
    }
}

/// 40 characters of base64 (`A-Za-z0-9/+`), as AWS secret access keys.
pub(crate) fn is_aws_secret_shape(value: &str) -> bool {
    value.len() == 40
        && value
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'+'))
}

fn alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

fn alnum_dash_underscore(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

/// The end of the run of `class` bytes starting at `from`.
fn run_end(b: &[u8], from: usize, class: fn(u8) -> bool) -> usize {
    let mut end = from;
    while b.get(end).copied().is_some_and(class) {
        end += 1;
    }
    end
}

fn starts_with_at(b: &[u8], at: usize, prefix: &[u8]) -> bool {
    b.get(at..).is_some_and(|rest| rest.starts_with(prefix))
}

/// Looks for a known token starting at `at` (the caller checks that `at`
/// is at a word boundary).
pub(crate) fn token_at(b: &[u8], at: usize) -> TokenScan {
    let Some(&first) = b.get(at) else {
        return TokenScan::None;
    };
    let found = |kind, confidence, end| TokenScan::Found {
        kind,
        confidence,
        end,
    };
    match first {
        b'A' => {
            if starts_with_at(b, at, b"AKIA") || starts_with_at(b, at, b"ASIA") {
                let end = run_end(b, at, alnum);
                let body = b.get(at + 4..end).unwrap_or_default();
                let base32 = body
                    .iter()
                    .all(|c| c.is_ascii_uppercase() || matches!(c, b'2'..=b'7'));
                if body.len() == 16 && base32 && !body.windows(7).any(|w| w == b"EXAMPLE") {
                    return found(SecretKind::AwsAccessKeyId, Confidence::High, end);
                }
                return TokenScan::Rejected { end };
            }
            if starts_with_at(b, at, b"AIza") {
                let end = run_end(b, at, alnum_dash_underscore);
                if end - at == 39 {
                    return found(SecretKind::GoogleApiKey, Confidence::High, end);
                }
                return TokenScan::Rejected { end };
            }
            TokenScan::None
        }
        b'g' => {
            let classic = [b"ghp_", b"gho_", b"ghu_", b"ghs_", b"ghr_"]
                .iter()
                .any(|p| starts_with_at(b, at, *p));
            if classic {
                let end = run_end(b, at + 4, alnum);
                if end - (at + 4) >= 36 {
                    return found(SecretKind::GitHubToken, Confidence::High, end);
                }
                return TokenScan::Rejected { end };
            }
            if starts_with_at(b, at, b"github_pat_") {
                let end = run_end(b, at + 11, |c| c.is_ascii_alphanumeric() || c == b'_');
                if end - (at + 11) >= 40 {
                    return found(SecretKind::GitHubToken, Confidence::High, end);
                }
                return TokenScan::Rejected { end };
            }
            if starts_with_at(b, at, b"glpat-") {
                let end = run_end(b, at + 6, alnum_dash_underscore);
                if end - (at + 6) >= 20 {
                    return found(SecretKind::GitLabToken, Confidence::High, end);
                }
                return TokenScan::Rejected { end };
            }
            TokenScan::None
        }
        b'x' => {
            let slack = starts_with_at(b, at, b"xox")
                && matches!(b.get(at + 3), Some(b'b' | b'a' | b'p' | b'r' | b's'))
                && b.get(at + 4) == Some(&b'-');
            if slack {
                let end = run_end(b, at + 5, |c| c.is_ascii_alphanumeric() || c == b'-');
                let body = b.get(at + 5..end).unwrap_or_default();
                if body.len() >= 10 && body.iter().filter(|c| c.is_ascii_digit()).count() >= 4 {
                    return found(SecretKind::SlackToken, Confidence::High, end);
                }
                return TokenScan::Rejected { end };
            }
            TokenScan::None
        }
        b's' | b'r' => {
            let key = b.get(at + 1) == Some(&b'k') && b.get(at + 2) == Some(&b'_');
            if !key {
                return TokenScan::None;
            }
            let (live, prefix_len) = if starts_with_at(b, at + 3, b"live_") {
                (true, 8)
            } else if starts_with_at(b, at + 3, b"test_") {
                (false, 8)
            } else {
                return TokenScan::None;
            };
            let end = run_end(b, at + prefix_len, alnum);
            if end - (at + prefix_len) >= 16 {
                return if live {
                    found(SecretKind::StripeLiveKey, Confidence::High, end)
                } else {
                    found(SecretKind::StripeTestKey, Confidence::Low, end)
                };
            }
            TokenScan::Rejected { end }
        }
        b'n' => {
            if starts_with_at(b, at, b"npm_") {
                let end = run_end(b, at + 4, alnum);
                if end - (at + 4) == 36 {
                    return found(SecretKind::NpmToken, Confidence::High, end);
                }
                return TokenScan::Rejected { end };
            }
            TokenScan::None
        }
        b'p' => {
            if starts_with_at(b, at, b"pypi-AgE") {
                let end = run_end(b, at + 5, alnum_dash_underscore);
                if end - (at + 5) >= 50 {
                    return found(SecretKind::PyPiToken, Confidence::High, end);
                }
                return TokenScan::Rejected { end };
            }
            TokenScan::None
        }
        b'e' => {
            if starts_with_at(b, at, b"eyJ") {
                return jwt_at(b, at);
            }
            TokenScan::None
        }
        b'h' => {
            const HOOK: &[u8] = b"hooks.slack.com/services/";
            if starts_with_at(b, at, HOOK) {
                let from = at + HOOK.len();
                let end = run_end(b, from, |c| {
                    c.is_ascii_alphanumeric() || c == b'/' || c == b'_'
                });
                let parts = b
                    .get(from..end)
                    .unwrap_or_default()
                    .split(|&c| c == b'/')
                    .filter(|p| !p.is_empty())
                    .count();
                if parts >= 3 && end - from >= 20 {
                    return found(SecretKind::SlackWebhook, Confidence::High, end);
                }
                return TokenScan::Rejected { end };
            }
            TokenScan::None
        }
        _ => TokenScan::None,
    }
}

/// A JWT: `header.payload.signature`, base64url, the header a JSON object
/// with an `alg` member.
fn jwt_at(b: &[u8], at: usize) -> TokenScan {
    let end = run_end(b, at, |c| {
        c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')
    });
    let run = b.get(at..end).unwrap_or_default();
    let mut parts = run.split(|&c| c == b'.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return TokenScan::Rejected { end };
    };
    let header_json = decode_base64url(header);
    let alg_none = contains(&header_json, b"\"none\"");
    let ok = header_json.first() == Some(&b'{')
        && contains(&header_json, b"\"alg\"")
        && payload.len() >= 4
        && decode_base64url(payload).first() == Some(&b'{')
        && (signature.len() >= 16 || alg_none);
    if ok {
        TokenScan::Found {
            kind: SecretKind::Jwt,
            confidence: Confidence::High,
            end,
        }
    } else {
        TokenScan::Rejected { end }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Decodes unpadded base64url (padding and invalid characters end the
/// decoding); a JWT header is short, so only its first 512 bytes are read.
pub(crate) fn decode_base64url(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len().min(512) * 3 / 4 + 3);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &c in input.iter().take(512) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => break,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<SecretKind> {
        known_token(s).map(|(k, _)| k)
    }

    #[test]
    fn base64url_decoding() {
        assert_eq!(
            decode_base64url(b"eyJhbGciOiJIUzI1NiJ9"),
            br#"{"alg":"HS256"}"#
        );
        assert_eq!(decode_base64url(b"TWFu"), b"Man");
        assert_eq!(decode_base64url(b"TWE"), b"Ma");
        assert_eq!(decode_base64url(b""), b"");
    }

    #[test]
    fn formats() {
        use SecretKind::*;
        assert_eq!(kind("AKIAZ7VRSQ5TUVWXY234"), Some(AwsAccessKeyId));
        assert_eq!(kind("ASIAZ7VRSQ5TUVWXY234"), Some(AwsAccessKeyId));
        assert_eq!(kind("AKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(kind("AKIAZ7VRSQ5TUVWXY23"), None);
        assert_eq!(kind("AKIAz7vrsq5tuvwxy234"), None);
        assert_eq!(
            kind("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"),
            Some(GitHubToken)
        );
        assert_eq!(
            kind("ghs_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"),
            Some(GitHubToken)
        );
        assert_eq!(kind("ghp_short"), None);
        assert_eq!(
            kind(
                "github_pat_11ABCDEFG0aBcDeFgHiJkLm_NoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01234"
            ),
            Some(GitHubToken)
        );
        assert_eq!(kind("glpat-aBcDeFgHiJ-kLmNoPqRsT"), Some(GitLabToken));
        assert_eq!(kind("glpat-short"), None);
        assert_eq!(
            kind("xoxb-123456789012-1234567890123-aBcDeFgHiJkLmNoPqRsTuVwX"),
            Some(SlackToken)
        );
        assert_eq!(kind("xoxb-not-a-token"), None);
        assert_eq!(kind("xoxz-123456789012-1234567890123"), None);
        assert_eq!(
            kind("hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"),
            Some(SlackWebhook)
        );
        assert_eq!(
            kind("sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
            Some(StripeLiveKey)
        );
        assert_eq!(
            kind("rk_live_4eC39HqLyjWDarjtT1zdp7dc"),
            Some(StripeLiveKey)
        );
        assert_eq!(
            known_token("sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
            Some((StripeTestKey, Confidence::Low))
        );
        assert_eq!(kind("pk_live_4eC39HqLyjWDarjtT1zdp7dc"), None);
        assert_eq!(kind("sk_live_"), None);
        assert_eq!(
            kind("AIzaSyA-1234567890abcdefghijklmnopqrstu"),
            Some(GoogleApiKey)
        );
        assert_eq!(kind("AIzaSyA-1234567890"), None);
        assert_eq!(
            kind("npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"),
            Some(NpmToken)
        );
        assert_eq!(kind("npm_install"), None);
        assert_eq!(
            kind("pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoLWlqa2wtbW5vcC1xcnN0LXV2d3h5ejAxMjM0NTY3ODkw"),
            Some(PyPiToken)
        );
        assert_eq!(kind("pypi-simple"), None);
    }

    #[test]
    fn jwts() {
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assert_eq!(kind(jwt), Some(SecretKind::Jwt));
        // Header without alg.
        assert_eq!(
            kind("eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV"),
            None
        );
        // Two parts only; garbage.
        assert_eq!(kind("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0"), None);
        assert_eq!(kind("eyJ"), None);
        assert_eq!(kind("eyJ..."), None);
    }
}
