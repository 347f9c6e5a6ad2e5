//! Corpus conformance: for each of the 6,769 Dockerfiles of
//! `../shared/corpus`, drydock's instructions must equal what BuildKit's
//! parser made of them (`buildkit-parse.jsonl.gz`): cmd, sub_command,
//! flags, value, json, original, start/end line, heredocs and the comments
//! before each instruction. The AST dump of each instruction is compared
//! too. Files listed in `tests/data/parser-corpus-exceptions.tsv` (with the
//! reason BuildKit is wrong there) may differ. Without `../shared`, the test
//! says so and passes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::PathBuf;

use drydock_core::syntax::{self, dump::dump_instruction};
use serde_json::Value;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// The fields BuildKit's parse gives, from drydock's serialization.
fn comparable(inst: &syntax::Instruction) -> Value {
    let mut v = serde_json::to_value(inst).unwrap();
    let obj = v.as_object_mut().unwrap();
    for key in [
        "span",
        "keyword_span",
        "args_span",
        "flag_spans",
        "value_spans",
        "sub_instruction",
    ] {
        obj.remove(key);
    }
    for h in obj["heredocs"].as_array_mut().unwrap() {
        let h = h.as_object_mut().unwrap();
        h.remove("content_span");
        h.remove("terminator_span");
    }
    obj.insert("dump".into(), Value::String(dump_instruction(inst)));
    v
}

fn exceptions() -> BTreeMap<String, String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/parser-corpus-exceptions.tsv");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .map(|(f, why)| (f.to_string(), why.to_string()))
        .collect()
}

#[test]
fn corpus_agrees_with_buildkit() {
    let dir = corpus();
    let Ok(gz) = std::fs::File::open(dir.join("buildkit-parse.jsonl.gz")) else {
        println!("parser corpus agreement: skipped (../shared/corpus not found)");
        return;
    };
    let allowed = exceptions();
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(gz));
    let mut total = 0;
    let mut agree = 0;
    let mut compared = 0;
    let mut failures = Vec::new();
    for line in reader.lines() {
        let row: Value = serde_json::from_str(&line.unwrap()).unwrap();
        let name = row["file"].as_str().unwrap();
        let bytes = std::fs::read(dir.join("dockerfiles").join(name)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let file = syntax::parse(&text);
        total += 1;
        let want: Vec<Value> = match row["instructions"].as_array() {
            Some(a) => a.clone(),
            None => Vec::new(),
        };
        let got: Vec<Value> = if row["ok"].as_bool() == Some(true) {
            file.instructions.iter().map(comparable).collect()
        } else {
            // BuildKit failed: drydock must report an error (and may keep
            // what it could read).
            assert!(
                !file.errors.is_empty(),
                "{name}: BuildKit failed, drydock did not"
            );
            Vec::new()
        };
        compared += want.len();
        let same = got == want
            && (row["ok"].as_bool() != Some(true)
                || row["escape_token"].as_str() == Some(file.escape_token.to_string().as_str()));
        if same {
            agree += 1;
        } else if !allowed.contains_key(name) {
            let first = got
                .iter()
                .zip(&want)
                .find(|(g, w)| g != w)
                .map(|(g, w)| format!("\n  want {w}\n  got  {g}"))
                .unwrap_or_else(|| format!(" ({} vs {} instructions)", got.len(), want.len()));
            failures.push(format!("{name}:{first}"));
        }
    }
    println!("parser corpus agreement: {agree}/{total} ({compared} instructions)");
    assert_eq!(total, 6769);
    assert!(compared > 70_000);
    let shown: Vec<_> = failures.iter().take(15).cloned().collect();
    assert!(
        failures.is_empty(),
        "{} files differ:\n{}",
        failures.len(),
        shown.join("\n")
    );
}
