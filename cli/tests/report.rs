//! `drydock lint --format sarif|markdown`, `--config`, `--docs-base`,
//! `--no-fail`, and `drydock rules`, run as a user runs them. Each test
//! that needs files works in its own directory under Cargo's test tmpdir,
//! so nothing depends on the home directory or on the repository's files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

mod common;
use common::{drydock_in, stdout};

/// Three findings: DD002 (high), DD001 (medium), DD003 (info). The
/// HEALTHCHECK keeps DD111 out, so the tests stay about the reports.
const TEXT: &str = "FROM node\nMAINTAINER me\nHEALTHCHECK NONE\n";

/// A fresh, empty directory for one test.
fn workdir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("report-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs in an empty directory that no test writes to (no config file).
fn drydock(args: &[&str], stdin: &str) -> Output {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-plain");
    std::fs::create_dir_all(&dir).unwrap();
    drydock_in(&dir, args, stdin)
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// `(rule, severity)` of the findings in `--format json` output.
fn findings(v: &Value) -> Vec<(String, String)> {
    v[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn sarif_output_for_stdin() {
    let out = drydock(&["lint", "--format", "sarif", "-"], TEXT);
    // Same exit code as text: DD002 is high.
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "drydock");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    let results = run["results"].as_array().unwrap();
    let rules: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["DD002", "DD001", "DD003"]);
    let uri = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "stdin");
    assert_eq!(results[0]["level"], "error");
    assert_eq!(results[1]["level"], "warning");
    assert_eq!(results[2]["level"], "note");
}

#[test]
fn sarif_keeps_relative_paths_relative() {
    let dir = workdir("sarif-paths");
    std::fs::create_dir_all(dir.join("app")).unwrap();
    std::fs::write(dir.join("app/Dockerfile"), TEXT).unwrap();
    let out = drydock_in(&dir, &["lint", "--format=sarif", "./app/Dockerfile"], "");
    let v = json(&out);
    let uri =
        &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "app/Dockerfile");
}

#[test]
fn markdown_output_has_a_summary_and_a_table_per_file() {
    let out = drydock(&["lint", "--format", "markdown", "-"], TEXT);
    assert_eq!(out.status.code(), Some(1));
    let md = stdout(&out);
    assert!(md.starts_with("## drydock report\n"), "{md}");
    assert!(
        md.contains("| `stdin` | 87 | GOOD | 0 | 1 | 1 | 0 | 1 | 0 | 0 |"),
        "{md}"
    );
    assert!(md.contains("### `stdin` — 87/100 (GOOD)"), "{md}");
    assert!(
        md.contains("| high | 1 | [DD002](https://drydock.invalid/#/rules/DD002) runs-as-root |"),
        "{md}"
    );
}

#[test]
fn json_adds_category_points_and_docs_url() {
    let out = drydock(&["lint", "--format", "json", "-"], TEXT);
    let v = json(&out);
    let f = &v[0]["findings"][0];
    assert_eq!(f["rule"], "DD002");
    assert_eq!(f["category"], "security");
    // What fixing it gives back: 87 → 96.
    assert_eq!(f["points"], 9.1);
    assert!(f["fix"].is_null());
    assert_eq!(f["docs_url"], "https://drydock.invalid/#/rules/DD002");
    // The original fields are all still there.
    for key in [
        "rule", "severity", "line", "end_line", "column", "message", "aliases",
    ] {
        assert!(f.get(key).is_some(), "{key}");
    }
}

#[test]
fn docs_base_changes_every_link() {
    let base = "http://127.0.0.1:8080/";
    let out = drydock(
        &["lint", "--format", "json", "--docs-base", base, "-"],
        TEXT,
    );
    assert_eq!(
        json(&out)[0]["findings"][0]["docs_url"],
        "http://127.0.0.1:8080/#/rules/DD002"
    );
    let out = drydock(
        &["lint", "--format", "sarif", "--docs-base", base, "-"],
        TEXT,
    );
    let v = json(&out);
    assert_eq!(v["runs"][0]["tool"]["driver"]["informationUri"], base);
    assert_eq!(
        v["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"],
        "http://127.0.0.1:8080/#/rules/DD001"
    );
    let out = drydock(
        &["lint", "--format", "markdown", "--docs-base", base, "-"],
        TEXT,
    );
    assert!(stdout(&out).contains("(http://127.0.0.1:8080/#/rules/DD002)"));
    // A relative base would give SARIF an invalid helpUri.
    let out = drydock(&["lint", "--docs-base", "docs/", "-"], TEXT);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--docs-base needs an absolute URL"));
}

#[test]
fn unknown_format_is_a_usage_error() {
    let out = drydock(&["lint", "--format", "xml", "-"], TEXT);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("(text, json, sarif, markdown, html)"));
}

#[test]
fn html_output_is_one_escaped_page() {
    let text = "FROM node\nLABEL a=\"<script>x</script>\"\n";
    let out = drydock(&["lint", "--format", "html", "--no-fail", "-"], text);
    assert_eq!(out.status.code(), Some(0));
    let page = stdout(&out);
    assert!(page.starts_with("<!doctype html>"));
    assert!(!page.contains("<script"));
    assert!(page.contains("&lt;script&gt;x&lt;/script&gt;"));
    assert!(page.contains("<code>stdin</code>"));
}

#[test]
fn no_fail_exits_zero() {
    assert_eq!(
        drydock(&["lint", "--no-fail", "-"], TEXT).status.code(),
        Some(0)
    );
    // Even with parse errors.
    let broken = "FROM alpine:3.20\nLABEL x\nUSER 1\n";
    assert_eq!(drydock(&["lint", "-"], broken).status.code(), Some(1));
    assert_eq!(
        drydock(&["lint", "--no-fail", "-"], broken).status.code(),
        Some(0)
    );
}

#[test]
fn rules_json_lists_the_catalogue() {
    let out = drydock(&["rules", "--format", "json"], "");
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let rules = v.as_array().unwrap();
    assert!(rules.len() >= 3);
    for r in rules {
        let mut keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["aliases", "category", "id", "name", "severity", "summary"]
        );
    }
    assert_eq!(rules[1]["id"], "DD002");
    assert_eq!(rules[1]["name"], "runs-as-root");
    assert_eq!(rules[1]["severity"], "high");
    assert_eq!(rules[1]["category"], "security");
    assert_eq!(rules[1]["aliases"][0], "DL3002");
}

#[test]
fn rules_text_is_an_aligned_table() {
    for args in [&["rules"][..], &["rules", "--format=text"]] {
        let out = drydock(args, "");
        assert_eq!(out.status.code(), Some(0));
        let text = stdout(&out);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("ID     NAME"), "{text}");
        let name_at = lines[0].find("NAME").unwrap();
        let severity_at = lines[0].find("SEVERITY").unwrap();
        for line in &lines[1..] {
            let chars: Vec<char> = line.chars().collect();
            assert!(line.starts_with("DD"), "{line}");
            assert_ne!(chars[name_at], ' ', "{line}");
            assert_eq!(chars[name_at - 1], ' ', "{line}");
            assert_ne!(chars[severity_at], ' ', "{line}");
        }
        assert!(text.contains("runs-as-root"));
    }
    let out = drydock(&["rules", "--format", "yaml"], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn hadolint_config_ignores_and_overrides() {
    let dir = workdir("hadolint-config");
    std::fs::write(
        dir.join("lint.yaml"),
        "# a .hadolint.yaml\nignored:\n  - DL3002\noverride:\n  error: [DL4000]\n  style: [DL3006]\ntrustedRegistries:\n  - docker.io\n",
    )
    .unwrap();
    let out = drydock_in(
        &dir,
        &["lint", "--config", "lint.yaml", "--format", "json", "-"],
        TEXT,
    );
    let v = json(&out);
    assert_eq!(findings(&v), pairs(&[("DD001", "info"), ("DD003", "high")]));
    let suppressed = &v[0]["suppressed"][0];
    assert_eq!(suppressed["rule"], "DD002");
    assert_eq!(suppressed["pragma"], "config");
    // Re-scored without DD002: high 10 points + info 0 → 100 × e^(−0.1).
    assert_eq!(v[0]["score"], 90);
    // DD003 is now high: fails under the default --fail-on high.
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn config_failure_threshold_and_no_fail_and_the_command_line_wins() {
    let dir = workdir("threshold");
    std::fs::write(
        dir.join("t.yaml"),
        "failure-threshold: error\nignored: [DD002]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("w.yaml"),
        "failure-threshold: warning\nignored: [DD002]\n",
    )
    .unwrap();
    std::fs::write(dir.join("n.yaml"), "no-fail: true\n").unwrap();
    let code = |args: &[&str]| drydock_in(&dir, args, TEXT).status.code();
    // Left: DD001 (medium), DD003 (info).
    assert_eq!(code(&["lint", "-c", "t.yaml", "-"]), Some(0));
    assert_eq!(code(&["lint", "-c", "w.yaml", "-"]), Some(1));
    assert_eq!(
        code(&["lint", "-c", "w.yaml", "--fail-on", "high", "-"]),
        Some(0)
    );
    assert_eq!(
        code(&["lint", "-c", "t.yaml", "--fail-on=info", "-"]),
        Some(1)
    );
    assert_eq!(code(&["lint", "-c", "n.yaml", "-"]), Some(0));
    assert_eq!(
        code(&["lint", "-c", "n.yaml", "--fail-on", "info", "-"]),
        Some(0)
    );
}

#[test]
fn drydock_config_keys() {
    let dir = workdir("drydock-config");
    std::fs::write(
        dir.join(".drydock.yaml"),
        "ignored: [maintainer-deprecated]\nseverity:\n  base-image-unpinned: critical\nfail-on: none\n",
    )
    .unwrap();
    let out = drydock_in(&dir, &["lint", "--format", "json", "-"], TEXT);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        findings(&json(&out)),
        pairs(&[("DD002", "high"), ("DD001", "critical")])
    );
}

#[test]
fn trusted_registries_flag_other_registries() {
    let dir = workdir("trusted-registries");
    std::fs::write(
        dir.join("lint.yaml"),
        "trustedRegistries: [docker.io, '*.gcr.io']\n",
    )
    .unwrap();
    let text = "FROM quay.io/a/b:1 AS q\nFROM eu.gcr.io/c/d:1\nCOPY --from=q /x /x\nUSER 1\nHEALTHCHECK NONE\n";
    let rules = |args: &[&str]| -> Vec<String> {
        let out = drydock_in(&dir, args, text);
        findings(&json(&out))
            .into_iter()
            .map(|(r, _)| r)
            .filter(|r| r == "DD060")
            .collect()
    };
    assert_eq!(
        rules(&["lint", "--config", "lint.yaml", "--format", "json", "-"]),
        ["DD060"]
    );
    // Without a policy the rule is off.
    assert!(rules(&["lint", "--no-config", "--format", "json", "-"]).is_empty());
}

#[test]
fn config_is_found_in_the_current_directory_only() {
    let dir = workdir("discover");
    std::fs::write(
        dir.join(".hadolint.yaml"),
        "ignored: [DL3002, DL3006, DL4000]\n",
    )
    .unwrap();
    let lint = |dir: &Path, extra: &[&str]| {
        let mut args = vec!["lint", "--format", "json"];
        args.extend_from_slice(extra);
        args.push("-");
        findings(&json(&drydock_in(dir, &args, TEXT)))
    };
    assert!(lint(&dir, &[]).is_empty());
    // `--no-config` skips it; `--config` names another.
    assert_eq!(lint(&dir, &["--no-config"]).len(), 3);
    // A subdirectory does not see its parent's file.
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    assert_eq!(lint(&dir.join("sub"), &[]).len(), 3);
    // .drydock.yaml comes first.
    std::fs::write(dir.join(".drydock.yaml"), "ignored: [DD003]\n").unwrap();
    assert_eq!(
        lint(&dir, &[]),
        pairs(&[("DD002", "high"), ("DD001", "medium")])
    );
}

#[test]
fn bad_config_is_exit_2_naming_the_file_and_line() {
    let dir = workdir("bad-config");
    std::fs::write(dir.join("bad.yaml"), "ignored:\n  - DL3008\n  oops: [\n").unwrap();
    let out = drydock_in(&dir, &["lint", "--config", "bad.yaml", "-"], TEXT);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("drydock: bad.yaml: line "), "{err}");
    assert!(stdout(&out).is_empty());

    std::fs::write(dir.join("level.yaml"), "override:\n  fatal: [DL3008]\n").unwrap();
    let out = drydock_in(&dir, &["lint", "--config", "level.yaml", "-"], TEXT);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("level.yaml: override: unknown level `fatal`"));

    let out = drydock_in(&dir, &["lint", "--config", "missing.yaml", "-"], TEXT);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read missing.yaml"));

    // A broken file found by discovery is an error too.
    std::fs::write(dir.join(".hadolint.yaml"), "ignored: 3\n").unwrap();
    let out = drydock_in(&dir, &["lint", "-"], TEXT);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("drydock: .hadolint.yaml: line 1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_keys_and_rules_warn_but_run() {
    let dir = workdir("warnings");
    std::fs::write(
        dir.join("c.yaml"),
        "ignored: [DD999]\nstrict-labels: true\nno-color: true\ncolour: red\n",
    )
    .unwrap();
    let out = drydock_in(
        &dir,
        &["lint", "-c", "c.yaml", "--fail-on", "none", "-"],
        TEXT,
    );
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains("drydock: warning: c.yaml: `strict-labels` is not supported"),
        "{err}"
    );
    assert!(
        err.contains("drydock: warning: c.yaml: unknown key `colour`"),
        "{err}"
    );
    assert!(
        err.contains("drydock: warning: c.yaml: `DD999` names no drydock rule"),
        "{err}"
    );
    assert!(!err.contains("no-color"), "{err}");
}
