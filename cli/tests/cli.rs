//! The `drydock` binary, run as a user runs it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::Output;

mod common;
use common::{drydock_in, stdout};

/// Runs in the package directory, as `cargo test` starts it.
fn drydock(args: &[&str], stdin: &str) -> Output {
    drydock_in(std::path::Path::new("."), args, stdin)
}

#[test]
fn lint_text_names_file_line_and_column() {
    let out = drydock(
        &["lint", "-"],
        "FROM node:latest\nUSER node\nHEALTHCHECK CMD true\n",
    );
    // A medium finding stays under the default --fail-on high.
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with("-:1:6: medium[DD001]: `node:latest` uses the mutable `latest` tag"),
        "{text}"
    );
    assert!(
        text.ends_with("-: score 96/100 (EXCELLENT), 2 findings\n"),
        "{text}"
    );
}

#[test]
fn fail_on_sets_the_exit_code() {
    let text = "FROM node:latest\nUSER node\n";
    assert_eq!(
        drydock(&["lint", "--fail-on", "medium", "-"], text)
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        drydock(&["lint", "--fail-on=low", "-"], text).status.code(),
        Some(1)
    );
    assert_eq!(
        drydock(&["lint", "--fail-on", "high", "-"], text)
            .status
            .code(),
        Some(0)
    );
    // Root in the final stage is high: fails by default, not with `none`.
    let root = "FROM node:22\n";
    assert_eq!(drydock(&["lint", "-"], root).status.code(), Some(1));
    assert_eq!(
        drydock(&["lint", "--fail-on", "none", "-"], root)
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn json_has_the_documented_shape() {
    let out = drydock(&["lint", "--format", "json", "-"], "FROM node\n");
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let files = v.as_array().unwrap();
    assert_eq!(files.len(), 1);
    let file = &files[0];
    assert_eq!(file["file"], "-");
    // DD002 root (high 10), DD111 no HEALTHCHECK (low 1.5), DD001 untagged
    // (medium 4): 100 × e^(−0.155) = 85.6.
    assert_eq!(file["score"], 86);
    assert_eq!(file["grade"], "GOOD");
    let findings = file["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3);
    let first = findings[0].as_object().unwrap();
    let mut keys: Vec<_> = first.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "aliases", "category", "column", "docs_url", "end_line", "fix", "line", "message",
            "points", "rule", "severity"
        ]
    );
    assert_eq!(first["rule"], "DD002");
    assert_eq!(first["severity"], "high");
    assert!(
        first["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "CKV_DOCKER_3")
    );
}

/// Nothing to find: a digest-pinned, supported base, a user, a health check.
const GOOD: &str = "FROM alpine:3.22@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1\nUSER 1000\nHEALTHCHECK CMD true\n";

#[test]
fn several_files_and_io_errors() {
    let dir = std::env::temp_dir().join(format!("drydock-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("Dockerfile");
    std::fs::write(&good, GOOD).unwrap();
    let out = drydock(
        &[
            "lint",
            "--today",
            "2026-09-01",
            "--format",
            "json",
            good.to_str().unwrap(),
            "-",
        ],
        "FROM alpine\n",
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["score"], 100);

    let missing = dir.join("missing");
    let out = drydock(&["lint", missing.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    assert!(out.stdout.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["lint"][..],
        &["lint", "--format", "xml", "-"],
        &["lint", "--fail-on", "bad", "-"],
        &["frobnicate"],
        &["lint", "--bogus", "-"],
    ] {
        let out = drydock(args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("drydock: "),
            "{args:?}"
        );
    }
    let help = drydock(&["--help"], "");
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("drydock lint"));
}

#[test]
fn binary_input_is_analysed_not_refused() {
    let out = drydock(&["lint", "-"], "\u{0}\u{1}FROM\u{ff}\n\\\n");
    assert!(matches!(out.status.code(), Some(0 | 1)));
}

#[test]
fn parse_dump_is_buildkits_dump_byte_for_byte() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/buildkit/testfiles");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let case = entry.unwrap().path();
        let out = drydock(
            &["parse", "--dump", case.join("Dockerfile").to_str().unwrap()],
            "",
        );
        let expected = std::fs::read_to_string(case.join("result")).unwrap();
        assert_eq!(stdout(&out), expected, "{}", case.display());
        assert_eq!(out.status.code(), Some(0));
        checked += 1;
    }
    assert_eq!(checked, 33);
}

#[test]
fn parse_json_has_buildkits_fields_plus_spans() {
    let out = drydock(
        &["parse", "--format", "json", "-"],
        "FROM alpine:3.20\nRUN <<EOF\necho hi\nEOF\n",
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["escape_token"], "\\");
    assert!(v["errors"].as_array().unwrap().is_empty());
    assert!(v["warnings"].as_array().unwrap().is_empty());
    let run = &v["instructions"][1];
    for key in [
        "cmd",
        "sub_command",
        "json",
        "original",
        "start_line",
        "end_line",
        "flags",
        "value",
        "heredocs",
        "span",
    ] {
        assert!(run.get(key).is_some(), "missing {key}: {run}");
    }
    assert_eq!(run["heredocs"][0]["name"], "EOF");
    assert_eq!(run["heredocs"][0]["content"], "echo hi\n");
    assert_eq!(run["span"]["start"], 17);
}

#[test]
fn parse_errors_exit_1_and_name_the_line() {
    let out = drydock(&["parse", "--dump", "-"], "FROM a\nRUN <<EOF\nnever ends\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("-:2: error: line 2"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(drydock(&["parse"], "").status.code(), Some(2));
    assert_eq!(
        drydock(&["parse", "--format", "yaml", "-"], "")
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn pragmas_silence_findings_and_say_so() {
    let text = "# drydock ignore=DD002 -- CI image\nFROM node:22@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1\nHEALTHCHECK CMD true\n";
    let out = drydock(&["lint", "--today", "2026-09-01", "-"], text);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).ends_with("-: score 100/100 (EXCELLENT), 0 findings, 1 silenced by pragmas\n"),
        "{}",
        stdout(&out)
    );
    let out = drydock(&["lint", "--format", "json", "-"], text);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v[0]["suppressed"][0]["rule"], "DD002");
    assert_eq!(v[0]["suppressed"][0]["reason"], "CI image");
    assert_eq!(v[0]["suppressed"][0]["pragma_line"], 1);
}

#[test]
fn today_judges_end_of_life() {
    let text = "FROM node:22-slim\nUSER node\nHEALTHCHECK CMD true\n";
    let soon = drydock(&["lint", "--today", "2027-03-01", "-"], text);
    assert_eq!(soon.status.code(), Some(0));
    assert!(
        stdout(&soon).contains("low[DD110]: `node:22-slim` runs Node.js 22 in the final image, which reaches end of life on 2027-04-30, in 60 days"),
        "{}",
        stdout(&soon)
    );
    let ended = drydock(&["lint", "--today=2027-05-01", "-"], text);
    assert_eq!(ended.status.code(), Some(1));
    assert!(stdout(&ended).contains("high[DD110]"), "{}", stdout(&ended));
    let bad = drydock(&["lint", "--today", "2027-02-30", "-"], text);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a date"));
}

#[test]
fn size_json_has_the_documented_shape() {
    let text = "FROM golang:1.25-alpine AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nCOPY . /src\n";
    let o = drydock(&["size", "--format", "json", "-"], text);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["final_stage"], "stage 1");
    for key in ["compressed_bytes", "uncompressed_bytes"] {
        for part in ["low", "expected", "high"] {
            assert!(v[key][part].is_u64(), "{key}.{part}");
        }
    }
    let breakdown = v["breakdown"].as_array().unwrap();
    assert_eq!(breakdown.len(), 3);
    for item in breakdown {
        assert!(item["line"].is_u64() && item["instruction"].is_string());
        assert!(item["bytes"]["expected"].is_u64() && item["reason"].is_string());
    }
    assert_eq!(v["needs_context"], true);
    // With the context size given, `COPY .` takes exactly that.
    let o = drydock(
        &["size", "--format=json", "--context-size", "5MB", "-"],
        text,
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["breakdown"][2]["bytes"]["expected"], 5_000_000);
    // Text names the total and each line; a bad stage is a usage error.
    let o = drydock(&["size", "-"], text);
    assert!(stdout(&o).contains("on disk"), "{}", stdout(&o));
    assert_eq!(
        drydock(&["size", "--stage", "nope", "-"], text)
            .status
            .code(),
        Some(2)
    );
    let o = drydock(&["size", "--stage", "build", "--format", "json", "-"], text);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["final_stage"], "build");
}

const SINGLE_STAGE_GO: &str = "FROM golang:1.21\nWORKDIR /app\nCOPY . .\nRUN go build -o server .\nEXPOSE 8080\nCMD [\"./server\"]\n";

#[test]
fn rewrite_prints_the_new_dockerfile_and_explains_on_stderr() {
    let out = drydock(&["rewrite", "--today", "2026-11-27", "-"], SINGLE_STAGE_GO);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains("FROM gcr.io/distroless/static-debian13:nonroot"),
        "{text}"
    );
    assert!(text.contains("USER 65532:65532"), "{text}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("-: rewritten (go stack)"), "{err}");
}

#[test]
fn rewrite_diff_and_json() {
    let diff = drydock(
        &["rewrite", "--format", "diff", "--today", "2026-11-27", "-"],
        SINGLE_STAGE_GO,
    );
    let text = stdout(&diff);
    assert!(
        text.starts_with("--- Dockerfile\n+++ Dockerfile.rewritten\n@@"),
        "{text}"
    );
    assert!(
        text.contains("\n+FROM gcr.io/distroless/static-debian13:nonroot\n"),
        "{text}"
    );
    let json = drydock(
        &["rewrite", "--format=json", "--today=2026-11-27", "-"],
        SINGLE_STAGE_GO,
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["outcome"], "rewritten");
    assert_eq!(v["stack"], "go");
    assert!(v["changes"].as_array().unwrap().len() >= 4);
    assert!(v["score_after"].as_u64().unwrap() >= 90);
    // The image shrinks: golang:1.21 (≈ 1 GB on disk) to distroless/static.
    let (before, after) = (
        v["size"]["before_bytes"].as_u64().unwrap(),
        v["size"]["after_bytes"].as_u64().unwrap(),
    );
    assert!(after * 10 < before, "{before} -> {after}");
    // Something it cannot rewrite comes back unchanged, with the reason.
    let kept = drydock(&["rewrite", "-"], "FROM scratch\nCOPY app /\n");
    assert_eq!(stdout(&kept), "FROM scratch\nCOPY app /\n");
    assert!(String::from_utf8_lossy(&kept.stderr).contains("unchanged"));
    assert_eq!(
        drydock(&["rewrite", "--format", "yaml", "-"], "")
            .status
            .code(),
        Some(2)
    );
}
