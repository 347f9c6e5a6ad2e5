//! Agreement with hadolint 2.15.1 over the development corpus
//! (`../shared/corpus/hadolint.jsonl.gz` and `dockerfiles/`).
//!
//! For every hadolint code (`DLxxxx`) that a drydock rule lists among its
//! aliases, and for every file, the set of lines where hadolint reports the
//! code is compared with the set of lines where drydock reports a rule
//! aliasing it. hadolint reports an instruction's first line, so a drydock
//! finding counts at the first line of the instruction that contains it.
//!
//! ShellCheck codes (`SCxxxx`) are compared the same way, with one twist:
//! hadolint keeps only one ShellCheck finding per `RUN` (the last in the
//! script), so where hadolint shows a different ShellCheck code on a line,
//! drydock's findings of other codes there may be hidden behind it. Such a
//! drydock line counts as *masked* (printed, not a disagreement) when the
//! code hadolint shows is one drydock does not implement, one drydock does
//! not report on that line, or one drydock reports later in the script than
//! this one (as ShellCheck would, so hadolint would have kept that one).
//!
//! Files hadolint could not parse (it reports `DL1000` and nothing else)
//! give it no opinion on any code, so they are not compared; the table
//! counts them apart (`unparsed`: such files where drydock reports the code).
//!
//! A file compared is one where either tool reports the code. Every
//! disagreement must be listed, with its class and reason, in
//! `tests/data/hadolint-disagreements.tsv`; an unlisted disagreement fails
//! the test, and so does a listed one that no longer disagrees, so the list
//! stays true. The test prints the table. Set
//! `DRYDOCK_DISAGREEMENTS=path` to write the current disagreements there.
//! Without `../shared`, the test says so and passes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::BufRead;
use std::path::PathBuf;

use drydock_core::rules::REGISTRY;
use drydock_core::{analyze, syntax};
use serde_json::Value;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

type Lines = BTreeSet<usize>;

/// One accepted disagreement: its class and reason.
struct Accepted {
    class: String,
    reason: String,
}

fn accepted() -> BTreeMap<(String, String), Accepted> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/hadolint-disagreements.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut out = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() == 4, "bad line in {}: {line}", path.display());
        if cols[0] == "code" {
            continue;
        }
        let key = (cols[0].to_string(), cols[1].to_string());
        let value = Accepted {
            class: cols[2].to_string(),
            reason: cols[3].to_string(),
        };
        assert!(!value.reason.is_empty(), "no reason for {line}");
        assert!(out.insert(key, value).is_none(), "duplicate line {line}");
    }
    out
}

/// The first line of the instruction containing byte `pos`.
fn instruction_line(file: &syntax::Dockerfile, pos: usize) -> Option<usize> {
    file.instructions
        .iter()
        .rev()
        .find(|i| i.span.start <= pos)
        .map(|i| i.start_line)
}

#[derive(Default)]
struct Row {
    hadolint: usize,
    drydock: usize,
    compared: usize,
    agreeing: usize,
    accepted: usize,
    masked: usize,
    /// Files hadolint could not parse where drydock reports the code.
    unparsed: usize,
}

#[test]
fn drydock_agrees_with_hadolint_on_the_codes_it_covers() {
    let dir = corpus();
    let Ok(gz) = std::fs::File::open(dir.join("hadolint.jsonl.gz")) else {
        println!(
            "note: {} is absent; hadolint agreement skipped",
            dir.display()
        );
        return;
    };
    let codes: BTreeSet<&str> = REGISTRY
        .iter()
        .flat_map(|r| r.meta().aliases.iter().copied())
        .filter(|a| a.starts_with("DL") || a.starts_with("SC"))
        .collect();
    let accepted = accepted();
    let mut rows: BTreeMap<&str, Row> = codes.iter().map(|c| (*c, Row::default())).collect();
    let mut unexplained = Vec::new();
    let mut dump = String::new();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();

    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(gz));
    for line in reader.lines() {
        let record: Value = serde_json::from_str(&line.unwrap()).unwrap();
        let name = record["file"].as_str().unwrap().to_string();
        let Ok(bytes) = std::fs::read(dir.join("dockerfiles").join(&name)) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let analysis = analyze(&text);
        let file = syntax::parse(&text);

        // hadolint could not parse the file: it has no opinion to compare.
        let unparsed = record["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f["code"] == "DL1000");
        let mut theirs: BTreeMap<&str, Lines> = BTreeMap::new();
        // The one ShellCheck code hadolint shows per line.
        let mut their_sc: BTreeMap<usize, String> = BTreeMap::new();
        for f in record["findings"].as_array().into_iter().flatten() {
            let code = f["code"].as_str().unwrap_or_default();
            if code.starts_with("SC") {
                let line = f["line"].as_u64().unwrap_or(0) as usize;
                their_sc.insert(line, code.to_string());
            }
            if let Some(code) = codes.get(code) {
                let line = f["line"].as_u64().unwrap_or(0) as usize;
                theirs.entry(code).or_default().insert(line);
            }
        }
        let mut ours: BTreeMap<&str, Lines> = BTreeMap::new();
        // Per (line, ShellCheck code): the last position drydock reports it at.
        let mut our_sc: BTreeMap<(usize, &str), usize> = BTreeMap::new();
        for f in &analysis.findings {
            let line = instruction_line(&file, f.span.start).unwrap_or(f.line);
            for code in f.aliases.iter().filter(|a| codes.contains(*a)) {
                ours.entry(code).or_default().insert(line);
                if code.starts_with("SC") {
                    let last = our_sc.entry((line, code)).or_default();
                    *last = (*last).max(f.span.start);
                }
            }
        }
        // Whether drydock's `code` at `line` may be hidden behind the other
        // ShellCheck code hadolint shows there.
        let masked = |code: &str, line: usize| -> bool {
            let Some(shown) = their_sc.get(&line) else {
                return false;
            };
            if shown == code {
                return false;
            }
            let Some(&mine) = our_sc.get(&(line, code)) else {
                return false;
            };
            match our_sc.get(&(line, shown.as_str())) {
                Some(&theirs) => theirs >= mine,
                None => true,
            }
        };

        for code in &codes {
            if unparsed {
                if ours.contains_key(code) {
                    rows.get_mut(code).unwrap().unparsed += 1;
                }
                let key = (code.to_string(), name.clone());
                if accepted.contains_key(&key) {
                    unexplained.push(format!(
                        "{code}\t{name}: listed, but hadolint could not parse the file, \
                         so it is not compared: remove the row"
                    ));
                }
                continue;
            }
            let empty = Lines::new();
            let h = theirs.get(code).unwrap_or(&empty);
            let d = ours.get(code).unwrap_or(&empty);
            let row = rows.get_mut(code).unwrap();
            let hidden: Lines = d
                .iter()
                .copied()
                .filter(|l| !h.contains(l) && masked(code, *l))
                .collect();
            row.masked += hidden.len();
            let d = &d.difference(&hidden).copied().collect::<Lines>();
            row.hadolint += h.len();
            row.drydock += d.len();
            if h.is_empty() && d.is_empty() {
                continue;
            }
            row.compared += 1;
            let key = (code.to_string(), name.clone());
            if h == d {
                row.agreeing += 1;
                if accepted.contains_key(&key) {
                    unexplained.push(format!(
                        "{code}\t{name}: listed as a disagreement but both report {h:?}"
                    ));
                }
                continue;
            }
            writeln!(dump, "{code}\t{name}\thadolint={h:?}\tdrydock={d:?}").unwrap();
            if accepted.contains_key(&key) {
                row.accepted += 1;
                seen.insert(key);
            } else {
                unexplained.push(format!(
                    "{code}\t{name}: hadolint lines {h:?}, drydock lines {d:?}"
                ));
            }
        }
    }
    for key in accepted.keys() {
        if codes.contains(key.0.as_str())
            && !seen.contains(key)
            && !unexplained
                .iter()
                .any(|u| u.starts_with(&format!("{}\t{}:", key.0, key.1)))
        {
            unexplained.push(format!(
                "{}\t{}: listed, but the tools now agree (or the file is gone): remove the row",
                key.0, key.1
            ));
        }
    }

    if let Ok(path) = std::env::var("DRYDOCK_DISAGREEMENTS") {
        std::fs::write(path, &dump).unwrap();
    }

    println!(
        "{:<8} {:>9} {:>8} {:>7} {:>9} {:>18} {:>7} {:>9} {:>9}",
        "code",
        "hadolint",
        "drydock",
        "masked",
        "unparsed",
        "agree/compared",
        "agree%",
        "accepted",
        "explained%"
    );
    for (code, r) in &rows {
        let pct = |n: usize| {
            if r.compared == 0 {
                100.0
            } else {
                100.0 * n as f64 / r.compared as f64
            }
        };
        println!(
            "{:<8} {:>9} {:>8} {:>7} {:>9} {:>18} {:>6.1}% {:>9} {:>8.1}%",
            code,
            r.hadolint,
            r.drydock,
            r.masked,
            r.unparsed,
            format!("{}/{}", r.agreeing, r.compared),
            pct(r.agreeing),
            r.accepted,
            pct(r.agreeing + r.accepted),
        );
    }
    let mut classes: BTreeMap<&str, usize> = BTreeMap::new();
    for a in accepted.values() {
        *classes.entry(a.class.as_str()).or_default() += 1;
    }
    println!("accepted disagreements by class: {classes:?}");

    assert!(
        unexplained.is_empty(),
        "{} disagreements are not explained in tests/data/hadolint-disagreements.tsv:\n{}",
        unexplained.len(),
        unexplained
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
