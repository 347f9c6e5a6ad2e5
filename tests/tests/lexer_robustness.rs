//! Word expansion and the RUN shell lexer never panic, never overflow the
//! stack and stay linear: random bytes (a simple xorshift generator) and
//! adversarial nesting.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use drydock_core::syntax::expand::{Lexer, Platform};
use drydock_core::syntax::shell;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Random text: mostly shell-significant ASCII, sometimes any byte
/// (made valid UTF-8 the way a reader of a file would).
fn random_text(rng: &mut XorShift, max_len: u64) -> String {
    const ALPHABET: &[u8] = b"ab $(){}[]'\"`\\|&;<>\n\t#=!*?:-+%/_019xifthenfidodonecaseesacin";
    let len = (rng.next() % max_len) as usize;
    let mut bytes = Vec::with_capacity(len);
    for _ in 0..len {
        let r = rng.next();
        if r.is_multiple_of(8) {
            bytes.push((r >> 8) as u8);
        } else {
            bytes.push(ALPHABET[(r >> 8) as usize % ALPHABET.len()]);
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn lexers() -> Vec<Lexer> {
    let mut all = Vec::new();
    for escape in ['\\', '`'] {
        for bits in 0..16u8 {
            let mut l = Lexer::new(escape);
            l.raw_quotes = bits & 1 != 0;
            l.raw_escapes = bits & 2 != 0;
            l.skip_unset_env = bits & 4 != 0;
            l.skip_process_quotes = bits & 8 != 0;
            if bits % 3 == 0 {
                l.platform = Platform::Windows;
            }
            all.push(l);
        }
    }
    all
}

#[test]
fn random_input_never_panics() {
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    let lexers = lexers();
    let env = vec![("a", "x y"), ("b", ""), ("x", "*?\\")];
    let n = 20_000;
    for i in 0..n {
        let text = random_text(&mut rng, 80);
        let lex = &lexers[i % lexers.len()];
        let _ = lex.process_word(&text, &env);
        let _ = lex.process_words(&text, &env);
        let script = shell::lex(&text);
        for c in &script.commands {
            assert!(text.get(c.span.start..c.span.end).is_some(), "{text:?}");
        }
        for e in &script.errors {
            assert!(
                e.span.start <= e.span.end && e.span.end <= text.len(),
                "{text:?}"
            );
        }
    }
    println!("random inputs: {n} through word expansion (2 ways) and the shell lexer");
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    println!("{what}: {took:?}");
    assert!(took < Duration::from_secs(10), "{what} took {took:?}");
    out
}

#[test]
fn adversarial_nesting_is_bounded() {
    let env: Vec<(&str, &str)> = vec![];
    let lex = Lexer::default();
    let n = 10_000;
    let deep_braces = format!("{}x{}", "${a:-".repeat(n), "}".repeat(n));
    let r = timed("expand: 10,000 nested ${", || {
        lex.process_word(&deep_braces, &env)
    });
    assert!(r.is_err());
    let open_braces = "${".repeat(n);
    assert!(
        timed("expand: 10,000 unclosed ${", || lex
            .process_word(&open_braces, &env))
        .is_err()
    );
    let deep_subst = format!("{}x{}", "$(".repeat(n), ")".repeat(n));
    timed("expand: 10,000 nested $(", || {
        lex.process_word(&deep_subst, &env)
    })
    .unwrap();

    let s = timed("shell: 10,000 nested $(", || shell::lex(&deep_subst));
    assert!(!s.errors.is_empty());
    let s = timed("shell: 10,000 nested ${", || shell::lex(&deep_braces));
    assert!(s.errors.is_empty());
    for (what, text) in [
        ("shell: 10,000 nested \"$(", "\"$(".repeat(n)),
        ("shell: 10,000 nested (", "(".repeat(n)),
        ("shell: 10,000 nested {", "{ ".repeat(n)),
        ("shell: 10,000 nested if", "if ".repeat(n)),
        ("shell: 10,000 backticks", "`".repeat(n)),
        ("shell: 10,000 <(", "cat <(".repeat(n)),
        ("shell: 10,000 $((", "$((".repeat(n)),
        ("shell: 10,000 heredocs", "cat <<E\n".repeat(n)),
    ] {
        timed(what, || shell::lex(&text));
    }
}

#[test]
fn large_inputs_are_linear() {
    let lex = Lexer::default();
    let env = vec![("V", "value")];
    let line = "apt-get install -y \"$V\" ${V:-x} $(echo a | b) && ".repeat(20_000);
    let s = timed("shell: 1 MB line", || shell::lex(&line));
    assert_eq!(s.commands.len(), 60_000);
    let word = "a${V}b\\ c'd'\"e$V\" ".repeat(60_000);
    let r = timed("expand: 1 MB word", || lex.process_word(&word, &env)).unwrap();
    assert_eq!(r.words.len(), 60_000);
    let lines = "echo $HOME \\\n".repeat(100_000);
    timed("shell: 100,000 continuation lines", || shell::lex(&lines));
    let unterminated = format!("cat <<EOF\n{}", "x\n".repeat(500_000));
    let s = timed("shell: unterminated heredoc in 1 MB", || {
        shell::lex(&unterminated)
    });
    assert_eq!(s.errors.len(), 1);
}
