//! The parser never panics and runs in linear time: adversarial inputs
//! (generated here, not stored) and arbitrary byte strings.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use drydock_core::syntax;

/// Parses `text` and checks the result is sane; returns the time taken.
fn timed(text: &str) -> (syntax::Dockerfile, Duration) {
    let t = Instant::now();
    let file = syntax::parse(text);
    let took = t.elapsed();
    for inst in &file.instructions {
        assert!(inst.span.start <= inst.span.end && inst.span.end <= text.len());
        assert!(inst.start_line <= inst.end_line);
        for s in inst.value_spans.iter().chain(&inst.flag_spans) {
            assert!(s.start <= s.end && s.end <= text.len());
        }
    }
    (file, took)
}

/// Linear time: doubling the input must not much more than double the
/// time (4× allows for noise on a shared machine; quadratic would be 4×
/// at least, and in practice far more at these sizes).
fn assert_linear(make: impl Fn(usize) -> String, n: usize) {
    let small = make(n / 2);
    let big = make(n);
    let (_, t1) = timed(&small);
    let (_, t2) = timed(&big);
    let limit = t1.mul_f64(5.0) + Duration::from_millis(200);
    assert!(t2 <= limit, "not linear: {t1:?} for half, {t2:?} for full");
}

#[test]
fn ten_megabyte_file() {
    let make = |bytes: usize| {
        let unit = "FROM alpine:3.20 AS build\nRUN apk add --no-cache curl \\\n    git && echo ok\nENV A=1 B=\"two words\"\nCOPY --from=build <<EOF /x\nhello\nEOF\n# comment\n";
        unit.repeat(bytes / unit.len() + 1)
    };
    let text = make(10 * 1024 * 1024);
    let (file, took) = timed(&text);
    assert!(file.errors.is_empty());
    assert!(file.instructions.len() > 250_000);
    assert!(took < Duration::from_secs(30), "{took:?}");
    assert_linear(make, 4 * 1024 * 1024);
}

#[test]
fn million_continuation_lines() {
    let make = |n: usize| format!("FROM a\nRUN x \\\n{}y\n", "  z \\\n".repeat(n));
    let text = make(1_000_000);
    let (file, _) = timed(&text);
    assert_eq!(file.instructions.len(), 2);
    assert_eq!(file.instructions[1].end_line, 1_000_003);
    assert_linear(make, 400_000);
    // Empty and comment lines inside the continuation too.
    let text = format!("RUN x \\\n{}y\n", "\n# c\n".repeat(500_000));
    let (file, _) = timed(&text);
    assert_eq!(file.warnings.len(), 1);
    assert_eq!(file.comments.len(), 500_000);
}

#[test]
fn megabyte_single_line() {
    let make = |n: usize| format!("RUN {}\n", "a <<b ${c:-d} \"e\" 'f' ".repeat(n / 24));
    let text = make(1 << 20);
    let (file, _) = timed(&text);
    assert_eq!(file.instructions.len(), 1);
    // BuildKit's line limit (Go's bufio.Scanner) is reported, not fatal.
    assert!(
        file.errors
            .iter()
            .any(|e| e.message.contains("max allowed size of 65535"))
    );
    assert_linear(make, 1 << 20);
    let json = format!("CMD [{}\"x\"]\n", "\"a\",".repeat(200_000));
    let (file, _) = timed(&json);
    assert!(file.instructions[0].json);
    let flags = format!("COPY {}a b\n", "--f=\"x y\" ".repeat(100_000));
    let (file, _) = timed(&flags);
    assert_eq!(file.instructions[0].flags.len(), 100_000);
}

#[test]
fn unterminated_heredoc_at_the_start_of_a_megabyte() {
    let make = |n: usize| format!("RUN <<EOF\n{}", "echo line\n".repeat(n / 10));
    let text = make(1 << 20);
    let (file, _) = timed(&text);
    assert_eq!(file.instructions.len(), 1);
    assert!(
        file.errors
            .iter()
            .any(|e| e.message == "line 1: unterminated heredoc")
    );
    assert_eq!(
        file.instructions[0].heredocs[0].content.len(),
        text.len() - 10
    );
    assert_linear(make, 1 << 20);
    // Many heredoc markers, each unterminated after the first.
    let many = format!("RUN {}\n", "<<A ".repeat(100_000));
    let (file, _) = timed(&many);
    assert_eq!(file.errors.len(), 2, "{:?}", file.errors);
    assert_eq!(file.instructions[0].heredocs.len(), 100_000);
}

#[test]
fn deep_nesting() {
    timed(&format!("RUN <<EOF {}\nEOF\n", "${a:-".repeat(10_000)));
    timed(&format!("CMD {}\n", "[".repeat(100_000)));
    timed(&format!("CMD [{}]\n", "{\"a\":[".repeat(20_000)));
    let (file, _) = timed(&format!("{}RUN x\n", "ONBUILD ".repeat(100_000)));
    assert_eq!(file.errors.len(), 3, "{:?}", file.errors);
    timed(&"\\\n".repeat(100_000));
}

/// A simple xorshift generator: many seeds, lossy-converted random bytes
/// biased towards Dockerfile syntax.
#[test]
fn arbitrary_bytes_never_panic() {
    const ALPHABET: &[&[u8]] = &[
        b"\n",
        b"\r\n",
        b" ",
        b"\t",
        b"\\",
        b"`",
        b"#",
        b"# escape=`\n",
        b"# syntax=x\n",
        b"RUN ",
        b"COPY ",
        b"ONBUILD ",
        b"ENV ",
        b"LABEL ",
        b"HEALTHCHECK ",
        b"CMD ",
        b"ARG ",
        b"FROM ",
        b"<<",
        b"<<-",
        b"EOF",
        b"'",
        b"\"",
        b"$",
        b"{",
        b"}",
        b":-",
        b"[",
        b"]",
        b",",
        b"=",
        b"--",
        b"--mount=type=cache",
        b"3<<",
        b"\xef\xbb\xbf",
        b"\xc3\xa0",
        b"\xe0\xa0\x80",
        b"\x85",
        b"\xa0",
        b"\x00",
        b"\xff",
        b"a",
        b"0",
        b"1e999",
        b"\\u00",
        b"/",
    ];
    for seed in 1..=20_000u64 {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let len = (next() % 80) as usize;
        let mut bytes = Vec::new();
        for _ in 0..len {
            let r = next();
            if r % 4 == 0 {
                bytes.push((r >> 8) as u8);
            } else {
                bytes.extend_from_slice(ALPHABET[(r >> 8) as usize % ALPHABET.len()]);
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let (file, _) = timed(&text);
        let _ = syntax::dump(&file);
        let _ = serde_json::to_string(&file).unwrap();
    }
}
