//! Inputs the fuzz targets (`fuzz/`, see its README) found, minimised, each
//! with the invariant it broke. Every span of a parse must slice the text:
//! in range and on char boundaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use drydock_core::Span;
use drydock_core::syntax::{self, Instruction, shell};

fn assert_slices(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && text.get(span.start..span.end).is_some(),
        "{what}: span {span:?} does not slice {text:?}"
    );
}

fn inside(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn check_spans(text: &str, inst: &Instruction) {
    assert_slices(text, inst.span, "instruction");
    assert_slices(text, inst.keyword_span, "keyword");
    assert_slices(text, inst.args_span, "args");
    assert!(inside(inst.span, inst.args_span), "args outside {text:?}");
    for s in inst.flag_spans.iter().chain(&inst.value_spans) {
        assert_slices(text, *s, "flag/value");
        assert!(inside(inst.span, *s), "flag/value outside {text:?}");
    }
    if let Some(sub) = &inst.sub_command {
        check_spans(text, sub);
    }
}

/// fuzz `parse`, 2026-11-27: BuildKit reads flags byte by byte and takes
/// bytes 0x85 and 0xA0 as white space, so a flag can end — and the
/// arguments begin — inside a multi-byte character (`入` is E5 85 A5).
/// The values stay BuildKit's; the spans must widen to whole characters.
#[test]
fn flag_ending_inside_a_multibyte_character() {
    for text in [
        "C --\u{5165}",
        "COPY --from=\u{5165}x a b\n",
        "RUN --mount=\u{a0}\u{5165} echo\n",
        "ONBUILD ADD --chown=\u{5165}\u{5165} a b\n",
        "HEALTHCHECK --interval=\u{5165} CMD x\n",
        // 態 is E6 85 8B: one stray byte after the flag, which BuildKit's
        // value carries as U+FFFD; the args span ran past the line end.
        "U --\u{614b}\n",
        "COPY --\u{614b}a b\nRUN x\n",
        "COPY --\u{20000}x y\n",
    ] {
        let file = syntax::parse(text);
        assert!(!file.instructions.is_empty(), "{text:?}");
        for inst in &file.instructions {
            check_spans(text, inst);
        }
    }
}

/// fuzz `shell`, 2026-11-27: the "unterminated '(('" error of an `((`
/// command started one byte before the `((` — inside the character before
/// it (`\u{FFFD}` here, as a lossy read of byte 0x8D gives).
#[test]
fn unterminated_arithmetic_command_error_starts_at_its_parens() {
    for text in ["for \u{FFFD}((", "\u{e9}((x", "a; \u{5165}((1"] {
        let script = shell::lex(text);
        assert!(!script.errors.is_empty(), "{text:?}");
        for e in &script.errors {
            assert_slices(text, e.span, "shell error");
        }
    }
    let text = "x; ((1 + 2";
    let e = &shell::lex(text).errors[0];
    assert_eq!(&text[e.span.start..e.span.end], "((1 + 2");
    let text = "echo $((1";
    let e = &shell::lex(text).errors[0];
    assert_eq!(&text[e.span.start..e.span.end], "$((1");
}

/// fuzz `expand`, 2026-11-27 (out of memory after ~9.5 minutes): nested
/// `${V//p/${V//p/…}}` multiplies the value's length by the replacement's
/// at every level, so a few hundred bytes asked for gigabytes. BuildKit
/// has no bound; drydock stops at `MAX_EXPANSION_LEN` with an error.
#[test]
fn nested_replace_all_is_bounded() {
    use drydock_core::syntax::expand::{ExpandErrorKind, Lexer, MAX_EXPANSION_LEN};
    use std::time::{Duration, Instant};

    let value = "x".repeat(1000);
    let env = [("A", value.as_str())];
    let lex = Lexer::new('\\');
    let start = Instant::now();
    for word in [
        "${A//x/${A//x/${A//x/$A}}}",
        "${A//x/${A//x/${A//x/${A//x/${A}}}}}",
        // An empty pattern matches at every position.
        "${A///${A///${A///${A}}}}",
    ] {
        let err = lex.process_word(word, &env[..]).unwrap_err();
        assert_eq!(err.kind, ExpandErrorKind::TooLong, "{word}");
    }
    // Many bounded pieces in one word are bounded too.
    let many = "${A//x/$A}".repeat(200);
    let err = lex.process_word(&many, &env[..]).unwrap_err();
    assert_eq!(err.kind, ExpandErrorKind::TooLong);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    // Below the bound nothing changes.
    let ok = lex.process_word("${A//x/yy}", &env[..]).unwrap();
    assert_eq!(ok.value.len(), 2000);
    let at_bound = "x".repeat(MAX_EXPANSION_LEN);
    let env = [("B", at_bound.as_str())];
    assert_eq!(
        lex.process_word("$B", &env[..]).unwrap().value.len(),
        MAX_EXPANSION_LEN
    );
    let err = lex.process_word("$B/$B", &env[..]).unwrap_err();
    assert_eq!(err.kind, ExpandErrorKind::TooLong);
}

/// fuzz `shell`, 2026-11-27: when `case` plus subshells and backticks nest
/// past `MAX_DEPTH` and lexing stops, the backtick being opened stayed
/// behind as a word with `raw` "`", an empty `value` and `has_expansion ==
/// false`, which claims a plain word whose value differs from its text.
/// Fixed: the word that was opening the cut-off substitution is marked as
/// having an expansion. (The fuzz target still skips that check once a
/// script has the "nesting deeper than" error.)
#[test]
fn word_cut_off_by_the_depth_limit_is_not_plain() {
    let text: String = [
        "case(!(\u{c}(`(!(\t(\t(`(\u{fffd}((`(`(\u{fffd}((\u{fffd}((\t(`(",
        "\u{fffd}((\t(`(`(`(\u{fffd}((\u{fffd}((\t(`(`(\u{fffd}((`(`(\t(",
        "\u{fffd}((!(`(`(\u{fffd}((!(!(`(\t(!(\u{fffd}((\t(`(`(\u{fffd}((\t(",
        "\u{fffd}((!(`(`(\t(!(!(\t(\t(\u{fffd}((\t(`(`(\u{fffd}((!(!(`(\t(!(!(",
        "\t(`(`(\u{fffd}((`(`(\t(\u{fffd}((\t(`(\u{fffd}((\t(\t(`(`(\u{fffd}((",
        "\t(`(`(\u{fffd}((\u{fffd}((\t(`(`(\u{fffd}((`(\u{fffd}((\t(`(\u{fffd}(",
        "(\u{fffd}((\t(`(`(\u{fffd}(\u{fffd}((\t(`(\u{fffd}((\u{fffd}((!(`(`(",
        "\u{fffd}((!(\u{fffd}((\t(`(`(\t(\u{fffd}((\t(`(\u{fffd}((\u{fffd}((\t(",
        "`(`(\u{fffd}((!(\u{fffd}((\t(`(`(\u{fffd}((\t(\t(\u{fffd}((\t(\t(`(`(",
        "\t(\u{fffd}((\t(`(\u{fffd}(\u{fffd}((\t(`(`(\u{fffd}((`(`(\u{fffd}(",
        "\u{fffd}((\t(`(\u{fffd}(\u{fffd}((!(`(`(\u{fffd}((!(`(`",
    ]
    .concat();
    let script = shell::lex(&text);
    assert!(
        script
            .errors
            .iter()
            .any(|e| e.message.starts_with("nesting deeper"))
    );
    for c in &script.commands {
        for w in &c.argv {
            if !w.quoted && !w.has_expansion {
                assert_eq!(w.value, w.raw, "word at {:?}", w.span);
            }
        }
    }
}
