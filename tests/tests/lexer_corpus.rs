//! The RUN shell lexer over every shell-form RUN of the development corpus
//! (`../shared/corpus/buildkit-parse.jsonl.gz`, BuildKit's own parse):
//! nothing panics, and real-world shell lexes without syntax errors.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use drydock_core::syntax::shell::{self, ConstructKind};
use serde_json::Value;

fn corpus() -> Option<Vec<Value>> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/buildkit-parse.jsonl.gz");
    let f = std::fs::File::open(&p).ok()?;
    let r = BufReader::new(flate2::read::GzDecoder::new(f));
    Some(
        r.lines()
            .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
            .collect(),
    )
}

/// The shell scripts of a RUN: its shell-form text and, for `RUN <<EOF`,
/// the heredoc body that runs as the script.
fn scripts(ins: &Value, out: &mut Vec<(String, String)>, file: &str) {
    if let Some(sub) = ins.get("sub_command").filter(|s| !s.is_null()) {
        scripts(sub, out, file);
    }
    if ins["cmd"] != "RUN" || ins["json"] == true {
        return;
    }
    let text = ins["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    let heredocs = ins["heredocs"].as_array().cloned().unwrap_or_default();
    let Some(first) = heredocs.first() else {
        out.push((file.to_owned(), text));
        return;
    };
    // `RUN <<EOF` alone: the body is the script.
    let name = first["name"].as_str().unwrap_or_default();
    let bare = text.trim().trim_start_matches("<<").trim_start_matches('-');
    if heredocs.len() == 1 && bare.trim_matches(['\'', '"']) == name {
        let body = first["content"].as_str().unwrap_or_default();
        out.push((file.to_owned(), body.to_owned()));
        return;
    }
    // Otherwise the shell gets the line followed by the bodies, each closed
    // by its delimiter, as BuildKit hands it over.
    let mut script = text;
    script.push('\n');
    for h in &heredocs {
        script.push_str(h["content"].as_str().unwrap_or_default());
        script.push_str(h["name"].as_str().unwrap_or_default());
        script.push('\n');
    }
    out.push((file.to_owned(), script));
}

#[test]
fn corpus_runs_lex_cleanly() {
    let Some(files) = corpus() else {
        println!("corpus not found; skipped");
        return;
    };
    let mut runs = Vec::new();
    let mut non_posix = 0;
    for f in &files {
        let name = f["file"].as_str().unwrap_or_default();
        // SHELL holds per stage; a non-POSIX one (PowerShell, cmd) is the
        // caller's business, as in the product.
        let mut shell_argv: Vec<String> = Vec::new();
        for ins in f["instructions"].as_array().into_iter().flatten() {
            match ins["cmd"].as_str() {
                Some("FROM") => shell_argv.clear(),
                Some("SHELL") => {
                    shell_argv = ins["value"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_str().unwrap().to_owned())
                        .collect();
                }
                _ => {}
            }
            if shell::is_posix_shell(&shell_argv) {
                scripts(ins, &mut runs, name);
            } else if ins["cmd"] == "RUN" {
                non_posix += 1;
            }
        }
    }
    let start = std::time::Instant::now();
    let (mut commands, mut nested, mut piped, mut with_errors, mut bytes) = (0, 0, 0, 0, 0);
    let mut constructs = std::collections::BTreeMap::<String, usize>::new();
    let mut examples = Vec::new();
    for (file, text) in &runs {
        bytes += text.len();
        let s = shell::lex(text);
        commands += s.commands.len();
        nested += s.commands.iter().filter(|c| c.is_nested()).count();
        piped += s.commands.iter().filter(|c| c.pipeline.is_piped()).count();
        for c in &s.constructs {
            *constructs.entry(format!("{:?}", c.kind)).or_default() += 1;
        }
        if !s.errors.is_empty() {
            with_errors += 1;
            if examples.len() < 40 {
                let e = &s.errors[0];
                let from = text.floor_char_boundary(e.span.start.saturating_sub(60));
                let to = text.ceil_char_boundary((e.span.end + 60).min(text.len()));
                examples.push(format!(
                    "{file}: {} at {:?}\n      …{:?}…",
                    e.message,
                    e.span,
                    &text[from..to]
                ));
            }
        }
        // Spans always index the text.
        for c in &s.commands {
            assert!(text.get(c.span.start..c.span.end).is_some());
            for w in &c.argv {
                assert_eq!(text.get(w.span.start..w.span.end), Some(w.raw.as_str()));
            }
        }
        let _ = ConstructKind::Subshell;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "shell lexer corpus: {} RUN scripts ({:.1} MB; {non_posix} non-POSIX RUNs skipped) → {commands} commands \
         ({nested} in substitutions, {piped} piped), constructs {constructs:?}; \
         {with_errors} scripts with syntax errors; {:.1} MB/s (debug build)",
        runs.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs.max(1e-9),
    );
    for e in &examples {
        println!("  {e}");
    }
    assert!(runs.len() > 20_000, "only {} RUN scripts", runs.len());
    // Real Dockerfiles are valid shell but for a handful of genuinely broken
    // lines (listed above when the test runs with --nocapture).
    assert!(
        with_errors * 1000 < runs.len(),
        "{with_errors} scripts with errors"
    );
}
