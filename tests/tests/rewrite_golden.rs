//! Golden rewrites: one Dockerfile per stack under `tests/data/rewrite/`,
//! each compared with its `.expected` file (outcome, changes, new file).
//! `UPDATE_EXPECT=1 cargo test -p drydock-tests --test rewrite_golden`
//! rewrites the expected files (then review the diff). Also: rewriting is
//! idempotent, and never panics on random bytes or adversarial input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;
use common::options;
use std::path::{Path, PathBuf};

use drydock_core::rewrite::{Outcome, Rewrite, rewrite_with};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/rewrite")
        .join(name)
}

fn render(r: &Rewrite) -> String {
    let mut out = format!(
        "outcome: {} ({}), score {} -> {}\n",
        r.outcome.as_str(),
        r.stack.map_or("none", |s| s.as_str()),
        r.score_before,
        r.score_after
    );
    if let Some(reason) = &r.reason {
        out.push_str(&format!("reason: {reason}\n"));
    }
    for c in &r.changes {
        out.push_str(&format!("- {}: {}\n", c.summary, c.reason));
    }
    out.push_str("----\n");
    out.push_str(&r.dockerfile);
    out
}

const GOLDEN: [(&str, Outcome); 11] = [
    ("go-single-stage", Outcome::Rewritten),
    ("go-shell-command", Outcome::Rewritten),
    ("rust", Outcome::Rewritten),
    ("node", Outcome::Rewritten),
    ("python", Outcome::Rewritten),
    ("java", Outcome::Rewritten),
    ("static", Outcome::Rewritten),
    ("binary", Outcome::Rewritten),
    // .NET is detected but not rewritten yet: declined, with the reason.
    ("dotnet", Outcome::Declined),
    ("seed-golang", Outcome::Unchanged),
    ("vulnerable-node", Outcome::Declined),
];

#[test]
fn one_dockerfile_per_stack() {
    let mut stale = Vec::new();
    for (name, outcome) in GOLDEN {
        let input = std::fs::read_to_string(data(&format!("{name}.Dockerfile"))).unwrap();
        let r = rewrite_with(&input, &options());
        assert_eq!(r.outcome, outcome, "{name}: {:?}", r.reason);
        let actual = render(&r);
        let path = data(&format!("{name}.expected"));
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if actual != expected {
            println!("--- {name}: actual\n{actual}");
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} differ from their .expected files; run \
         `UPDATE_EXPECT=1 cargo test -p drydock-tests --test rewrite_golden` and review the diff"
    );
}

#[test]
fn the_single_stage_go_build_becomes_the_seed_pattern() {
    let input = std::fs::read_to_string(data("go-single-stage.Dockerfile")).unwrap();
    let r = rewrite_with(&input, &options());
    let out = &r.dockerfile;
    for part in [
        "AS build",
        "COPY go.mod go.sum* ./",
        "go mod download",
        "CGO_ENABLED=0 go build -trimpath -ldflags='-s -w'",
        "FROM gcr.io/distroless/static-debian13:nonroot",
        "USER 65532:65532",
        "CMD [\"./server\"]",
    ] {
        assert!(out.contains(part), "{part} missing from\n{out}");
    }
    assert!(r.score_after >= 90 && r.score_after > r.score_before);
    assert!(
        r.diff
            .starts_with("--- Dockerfile\n+++ Dockerfile.rewritten\n")
    );
}

#[test]
fn rewriting_a_rewrite_changes_nothing() {
    for (name, _) in GOLDEN {
        let input = std::fs::read_to_string(data(&format!("{name}.Dockerfile"))).unwrap();
        let once = rewrite_with(&input, &options());
        let twice = rewrite_with(&once.dockerfile, &options());
        assert_ne!(
            twice.outcome,
            Outcome::Rewritten,
            "{name}: {}",
            twice.dockerfile
        );
        assert_eq!(twice.dockerfile, once.dockerfile, "{name}");
    }
}

/// A small deterministic generator (xorshift), so failures reproduce.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn never_panics_on_random_or_adversarial_input() {
    let pieces = [
        "FROM golang:1.21\n",
        "FROM node:18 AS b\n",
        "FROM python:3.9\n",
        "RUN go build -o /a .\n",
        "COPY . .\n",
        "WORKDIR /app\n",
        "CMD ./server\n",
        "CMD [\"node\", \"a.js\"]\n",
        "ENTRYPOINT x $Y\n",
        "RUN npm ci\n",
        "EXPOSE 80 8080/udp\n",
        "HEALTHCHECK CMD [\"x\"]\n",
        "USER 0\n",
        "ENV A=1 B=\"x y\"\n",
        "COPY --from=b /x /y\n",
        "RUN \\\n",
        "\"",
        "'",
        "[",
        "\u{feff}",
        "é",
        "\r\n",
        "ONBUILD RUN x\n",
        "ARG V=1\nFROM golang:$V\n",
        "RUN <<EOF\nx\nEOF\n",
        "ENV SECRET_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n",
        "FROM scratch\n",
        "COPY go.mod ./\n",
        "RUN cargo install --path .\n",
        "CMD [\"myapp\"]\n",
        "FROM nginx:1\n",
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..200 {
        let n = (xorshift(&mut state) % 12) as usize;
        let mut text = String::new();
        for _ in 0..n {
            let i = (xorshift(&mut state) % pieces.len() as u64) as usize;
            text.push_str(pieces[i]);
        }
        let r = rewrite_with(&text, &options());
        if r.outcome == Outcome::Rewritten {
            let again = rewrite_with(&r.dockerfile, &options());
            assert_ne!(again.outcome, Outcome::Rewritten, "not idempotent:\n{text}");
        }
    }
    for _ in 0..100 {
        let len = (xorshift(&mut state) % 200) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| xorshift(&mut state) as u8).collect();
        let _ = rewrite_with(&String::from_utf8_lossy(&bytes), &options());
    }
    let long = format!(
        "FROM golang:1.21\nRUN go build{}\nCMD [\"/a\"]\n",
        " -v".repeat(5_000)
    );
    let _ = rewrite_with(&long, &options());
    let deep = format!(
        "FROM golang:1.21\nRUN {}x{}\nCMD [\"/a\"]\n",
        "$(".repeat(400),
        ")".repeat(400)
    );
    let _ = rewrite_with(&deep, &options());
}
