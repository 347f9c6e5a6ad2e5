//! Share links: everything lives in the URL fragment, so no server sees it.
//!
//! - An **analysis link** carries the Dockerfile: `v1.<codec>.<payload>`,
//!   the text deflated (`d`) or as is (`r`, when deflate does not shrink
//!   it), in base64url without padding. Opening it restores the editor.
//! - A **score link** carries no Dockerfile text at all:
//!   `s1.<score>.<grade>.<hash>.<rule>:<line>,…` — the score, its grade's
//!   initial, a 64-bit FNV-1a hash of the text (to tell versions apart) and
//!   each finding's rule id and line.
//!
//! Decoding takes untrusted input (anyone can craft a link): it never
//! panics, checks every field, and bounds its work — a link longer than
//! [`MAX_LINK`] is refused before decoding, and inflating stops at
//! [`MAX_TEXT`] bytes (a decompression bomb gets an error, not the memory).

// miniz_oxide directly, not flate2: the playground's wasm links only this
// small inflate/deflate; flate2's zlib-rs backend is the image reader's.
use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::{TINFLStatus, decompress_to_vec_with_limit};

use crate::analysis::Analysis;
use crate::rules;
use crate::score::Grade;

/// The longest Dockerfile a link restores (1 MiB).
pub const MAX_TEXT: usize = 1 << 20;
/// The longest fragment decoded (characters after `#`).
pub const MAX_LINK: usize = 2 * MAX_TEXT;
/// The most findings a score link lists.
pub const MAX_FINDINGS: usize = 2000;
/// Deflate level of analysis links (zlib's best).
const BEST: u8 = 9;
/// Chat apps and some browsers cut longer links: the UI warns above it.
pub const LONG_LINK: usize = 2000;

/// What a link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shared {
    /// A Dockerfile to restore in the editor.
    Dockerfile(String),
    /// A score card, without the Dockerfile.
    Score(ScoreCard),
}

/// The contents of a score link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreCard {
    pub score: u8,
    pub grade: Grade,
    /// FNV-1a 64 of the analysed text, 16 hex digits.
    pub hash: String,
    /// `(rule id, line)` of each finding, in the analysis' order.
    pub findings: Vec<(&'static str, usize)>,
}

/// Why a link could not be read; the message is shown as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareError(pub String);

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(message: impl Into<String>) -> Result<T, ShareError> {
    Err(ShareError(message.into()))
}

/// Whether a location fragment (without `#`) is a share link at all, as
/// opposed to a page route (`/rules/…`).
pub fn is_share_link(fragment: &str) -> bool {
    fragment.starts_with("v1.") || fragment.starts_with("s1.")
}

/// The analysis link fragment for `text` (without `#`).
pub fn encode_dockerfile(text: &str) -> String {
    let deflated = compress_to_vec(text.as_bytes(), BEST);
    if deflated.len() < text.len() {
        format!("v1.d.{}", base64url(&deflated))
    } else {
        format!("v1.r.{}", base64url(text.as_bytes()))
    }
}

/// The score link fragment for `analysis` of `text` (without `#`). At
/// most [`MAX_FINDINGS`] findings are listed.
pub fn encode_score(text: &str, analysis: &Analysis) -> String {
    let findings: Vec<String> = analysis
        .findings
        .iter()
        .take(MAX_FINDINGS)
        .map(|f| format!("{}:{}", f.rule, f.line))
        .collect();
    format!(
        "s1.{}.{}.{:016x}.{}",
        analysis.score,
        grade_letter(analysis.grade),
        fnv1a(text.as_bytes()),
        findings.join(",")
    )
}

/// Reads a link fragment (without `#`).
pub fn decode(fragment: &str) -> Result<Shared, ShareError> {
    if fragment.len() > MAX_LINK {
        return err(format!(
            "This link is {} characters long; drydock reads links of at most {MAX_LINK}.",
            fragment.len()
        ));
    }
    if let Some(rest) = fragment.strip_prefix("v1.") {
        return decode_dockerfile(rest).map(Shared::Dockerfile);
    }
    if let Some(rest) = fragment.strip_prefix("s1.") {
        return decode_score(rest).map(Shared::Score);
    }
    err("This is not a drydock share link (it should start with `#v1.` or `#s1.`).")
}

fn decode_dockerfile(rest: &str) -> Result<String, ShareError> {
    let (codec, payload) = rest.split_once('.').unwrap_or((rest, ""));
    let bytes = unbase64url(payload)?;
    let text = match codec {
        "r" => {
            if bytes.len() > MAX_TEXT {
                return err(format!("The shared Dockerfile is over {MAX_TEXT} bytes."));
            }
            bytes
        }
        "d" => inflate(&bytes)?,
        other => {
            return err(format!(
                "Unknown encoding `{}` in this link (this drydock reads `d` and `r`).",
                shown(other)
            ));
        }
    };
    String::from_utf8(text)
        .map_err(|_| ShareError("The shared Dockerfile is not valid UTF-8 text.".into()))
}

/// Inflates `bytes`, refusing output over [`MAX_TEXT`].
fn inflate(bytes: &[u8]) -> Result<Vec<u8>, ShareError> {
    match decompress_to_vec_with_limit(bytes, MAX_TEXT) {
        Ok(out) => Ok(out),
        Err(e) if e.status == TINFLStatus::HasMoreOutput => err(format!(
            "The shared Dockerfile unpacks to more than {MAX_TEXT} bytes; drydock does not open it."
        )),
        Err(_) => err("This link is damaged: its compressed data is corrupt or cut off."),
    }
}

fn decode_score(rest: &str) -> Result<ScoreCard, ShareError> {
    let mut fields = rest.splitn(4, '.');
    let (Some(score), Some(grade), Some(hash), findings) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return err("This score link is cut off: it needs a score, a grade and a hash.");
    };
    let score: u8 = score.parse().ok().filter(|s| *s <= 100).ok_or_else(|| {
        ShareError("This score link's score is not a number from 0 to 100.".into())
    })?;
    let grade_field = grade;
    let grade = Grade::of(score);
    if grade_letter(grade) != grade_field {
        return err("This score link's grade does not match its score.");
    }
    if hash.len() != 16 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return err("This score link's content hash is not 16 hex digits.");
    }
    let mut list = Vec::new();
    for item in findings
        .unwrap_or_default()
        .split(',')
        .filter(|i| !i.is_empty())
    {
        if list.len() >= MAX_FINDINGS {
            return err(format!(
                "This score link lists more than {MAX_FINDINGS} findings."
            ));
        }
        let (rule, line) = item.split_once(':').unwrap_or((item, ""));
        let Some(meta) = rules::lookup(rule)
            .map(|r| r.meta())
            .filter(|m| m.id == rule)
        else {
            return err(format!(
                "This score link names an unknown rule `{}`.",
                shown(rule)
            ));
        };
        let line: usize = line
            .parse()
            .ok()
            .filter(|l| (1..=10_000_000).contains(l))
            .ok_or_else(|| {
                ShareError(format!(
                    "This score link has a bad line number for {}.",
                    meta.id
                ))
            })?;
        list.push((meta.id, line));
    }
    Ok(ScoreCard {
        score,
        grade,
        hash: hash.to_ascii_lowercase(),
        findings: list,
    })
}

/// A piece of a link fit to quote in a message: letters, digits, `-` and
/// `_` only (anything else becomes `?`), at most 16 characters.
fn shown(piece: &str) -> String {
    piece
        .chars()
        .take(16)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '?'
            }
        })
        .collect()
}

fn grade_letter(grade: Grade) -> &'static str {
    match grade {
        Grade::Excellent => "E",
        Grade::Good => "G",
        Grade::Fair => "F",
        Grade::Poor => "P",
    }
}

/// The id of the rule whose findings are hard-coded secrets.
const SECRET_RULE: &str = "DD100";

/// `text` with every detected secret replaced by `REDACTED`, and how many
/// were: the secrets the analysis found (silenced ones too) and any known
/// token format anywhere in the text. A finding whose span is not exactly
/// the secret (a whole instruction) is not cut out blindly: its text is
/// scanned for the token instead.
pub fn redact_secrets(text: &str, analysis: &Analysis) -> (String, usize) {
    let exact = |s: &crate::Span| {
        text.get(s.start..s.end)
            .is_some_and(|t| !t.is_empty() && t.len() <= 4096 && !t.contains('\n'))
    };
    let mut spans: Vec<crate::Span> = analysis
        .findings
        .iter()
        .chain(analysis.suppressed.iter().map(|s| &s.finding))
        .filter(|f| f.rule == SECRET_RULE)
        .map(|f| f.span)
        .filter(exact)
        .collect();
    spans.extend(crate::secrets::scan_text(text).into_iter().map(|m| m.span));
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    // Merge overlaps so that each byte is replaced once.
    let mut merged: Vec<crate::Span> = Vec::new();
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut count = 0;
    for s in &merged {
        let (Some(before), true) = (text.get(at..s.start), text.is_char_boundary(s.end)) else {
            continue;
        };
        out.push_str(before);
        out.push_str("REDACTED");
        at = s.end;
        count += 1;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    (out, count)
}

/// 64-bit FNV-1a: a stable content hash (not a secure one; it only tells
/// versions of a Dockerfile apart).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 4648 §5).
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3).saturating_mul(4));
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len().saturating_add(1);
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(*ALPHABET.get(index as usize).unwrap_or(&b'A')));
        }
    }
    out
}

/// Decodes base64url without padding; any other character, or a length
/// that no encoding gives, is an error naming the position.
pub fn unbase64url(text: &str) -> Result<Vec<u8>, ShareError> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return err("This link is cut off or damaged (its data has an impossible length).");
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in text.bytes().enumerate() {
        let Some(v) = ALPHABET.iter().position(|a| *a == c) else {
            return err(format!(
                "This link is damaged: character {} is not allowed in its data.",
                i.saturating_add(1)
            ));
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze;

    #[test]
    fn base64url_round_trips() {
        for n in 0..40 {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            let text = base64url(&bytes);
            assert!(text.bytes().all(|b| ALPHABET.contains(&b)));
            assert_eq!(unbase64url(&text).unwrap(), bytes);
        }
        assert_eq!(base64url(b"hello?"), "aGVsbG8_");
        assert!(unbase64url("a").is_err());
        assert!(unbase64url("ab+c").is_err());
    }

    #[test]
    fn dockerfiles_round_trip_deflated_or_raw() {
        let long = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n".repeat(20);
        let link = encode_dockerfile(&long);
        assert!(link.starts_with("v1.d."), "{link}");
        assert!(link.len() < long.len() / 3);
        assert_eq!(decode(&link), Ok(Shared::Dockerfile(long)));
        let short = "FROM a";
        let link = encode_dockerfile(short);
        assert!(link.starts_with("v1.r."), "{link}");
        assert_eq!(decode(&link), Ok(Shared::Dockerfile(short.into())));
        let markup = "FROM a\nLABEL x=\"<script>alert(1)</script>\" é ✓\n";
        assert_eq!(
            decode(&encode_dockerfile(markup)),
            Ok(Shared::Dockerfile(markup.into()))
        );
    }

    #[test]
    fn score_links_carry_no_text() {
        let text = "FROM node\nMAINTAINER me\nENV API_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc\n";
        let a = analyze(text);
        let link = encode_score(text, &a);
        assert!(
            !link.contains("sk_live") && !link.contains("node"),
            "{link}"
        );
        let Ok(Shared::Score(card)) = decode(&link) else {
            panic!("{link}");
        };
        assert_eq!(card.score, a.score);
        assert_eq!(card.grade, a.grade);
        let expected: Vec<(&str, usize)> = a.findings.iter().map(|f| (f.rule, f.line)).collect();
        assert_eq!(card.findings, expected);
        assert_eq!(card.hash, format!("{:016x}", fnv1a(text.as_bytes())));
    }

    #[test]
    fn secrets_are_redacted_before_sharing() {
        let text = "FROM node:22\nENV DB_PASSWORD=hunter2hunter2\nRUN curl -H 'Authorization: token ghp_abcdefghijklmnopqrstuvwxyz0123456789' x\n";
        let a = analyze(text);
        let (clean, n) = redact_secrets(text, &a);
        assert_eq!(n, 2, "{clean}");
        assert!(
            !clean.contains("hunter2") && !clean.contains("ghp_"),
            "{clean}"
        );
        assert!(clean.contains("DB_PASSWORD=REDACTED"), "{clean}");
        let (same, none) = redact_secrets("FROM a\n", &analyze("FROM a\n"));
        assert_eq!((same.as_str(), none), ("FROM a\n", 0));
    }

    #[test]
    fn bad_links_get_a_message() {
        let bad = [
            "",
            "v2.d.AAAA",
            "v1.x.AAAA",
            "v1.d.!!!!",
            "v1.d.AAAAA",
            "v1.r._w",
            "s1.101.E.0000000000000000.",
            "s1.95.P.0000000000000000.",
            "s1.95.E.xyz.",
            "s1.95.E.0000000000000000.DD999:1",
            "s1.95.E.0000000000000000.DD001:0",
            "s1.95.E.0000000000000000.DD001",
            "s1.95",
            "s1.95.E.0000000000000000.<script>:1",
        ];
        for link in bad {
            let e = decode(link).expect_err(link);
            assert!(!e.0.is_empty() && !e.0.contains('<'), "{link}: {e}");
        }
    }

    #[test]
    fn a_truncated_link_is_an_error_not_half_a_file() {
        let text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n".repeat(30);
        let link = encode_dockerfile(&text);
        assert!(link.starts_with("v1.d."));
        for cut in [
            link.len() - 1,
            link.len() - 4,
            link.len() * 3 / 4,
            link.len() / 2,
            8,
        ] {
            let short = link.get(..cut).unwrap();
            match decode(short) {
                Err(_) => {}
                Ok(Shared::Dockerfile(t)) => panic!("cut at {cut} gave {} bytes", t.len()),
                Ok(other) => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_decompression_bomb_is_refused() {
        let zeros = vec![b'a'; 8 * MAX_TEXT];
        let deflated = compress_to_vec(&zeros, BEST);
        let link = format!("v1.d.{}", base64url(&deflated));
        assert!(link.len() < 20_000, "{}", link.len());
        let e = decode(&link).unwrap_err();
        assert!(e.0.contains("more than"), "{e}");
        let too_long = format!("v1.r.{}", "A".repeat(MAX_LINK));
        assert!(decode(&too_long).unwrap_err().0.contains("at most"));
    }
}
