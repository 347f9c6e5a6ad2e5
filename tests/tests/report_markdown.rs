//! The Markdown report, compared with `tests/data/report/expected.md`.
//! `UPDATE_EXPECT=1 cargo test -p drydock-tests --test report_markdown`
//! rewrites the file (then review the diff), as rust-analyzer's expect tests do.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use drydock_core::analyze;
use drydock_core::report::{self, FileReport, Options};

const FILES: [&str; 5] = [
    "seed/multi-stage-golang.Dockerfile",
    "seed/secure-python-app.Dockerfile",
    "seed/vulnerable-node-app.Dockerfile",
    "report/silenced.Dockerfile",
    "report/parse-error.Dockerfile",
];

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(rel)
}

fn render() -> String {
    let texts: Vec<String> = FILES
        .iter()
        .map(|f| std::fs::read_to_string(data(f)).unwrap())
        .collect();
    let analyses: Vec<_> = texts.iter().map(|t| analyze(t)).collect();
    let files: Vec<FileReport<'_>> = FILES
        .iter()
        .zip(&texts)
        .zip(&analyses)
        .map(|((path, text), analysis)| FileReport {
            path,
            text,
            analysis,
        })
        .collect();
    report::markdown(
        &files,
        &Options {
            tool_version: "0.1.0",
            docs_base: report::DOCS_BASE,
        },
    )
}

#[test]
fn markdown_matches_the_expected_file() {
    let actual = render();
    let path = data("report/expected.md");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if actual != expected {
        let first = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or(actual.lines().count().min(expected.lines().count()));
        panic!(
            "{} differs from the rendered report at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             Run `UPDATE_EXPECT=1 cargo test -p drydock-tests --test report_markdown` and review the diff.",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first),
        );
    }
}

#[test]
fn markdown_tables_are_well_formed() {
    let md = render();
    // Every table row has as many cells as its header (escaped pipes aside).
    let mut columns = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        let cells = line.replace("\\|", "").matches('|').count();
        match columns {
            None => columns = Some(cells),
            Some(n) => assert_eq!(cells, n, "{line}"),
        }
    }
    assert_eq!(md.matches("<details>").count(), 1);
    assert_eq!(md.matches("</details>").count(), 1);
    assert!(md.contains("[DD002](https://drydock.invalid/#/rules/DD002) runs-as-root"));
    assert!(md.contains("kept for the legacy label scraper"));
    assert!(md.contains("| error | 2 | line 2: LABEL must have two arguments |"));
    assert!(md.contains("| warning | 5 | line 5: Empty continuation line"));
}
