//! The rewriter over the corpus (../shared/corpus/dockerfiles): every
//! rewrite it produces parses without errors, adds no finding of severity
//! medium or worse, keeps the exposed ports and the program the image
//! starts, scores 90 or more for Go, Rust, Node, Python, Java and static
//! sites, and is left unchanged when rewritten again. Counts per stack
//! (produced, declined, unchanged, ≥ 90) are printed. Without `../shared`
//! the test says it was skipped and passes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::options;
use std::collections::BTreeMap;
use std::path::PathBuf;

use drydock_core::rewrite::{Outcome, Stack, promises, rewrite_with};
use drydock_core::{Severity, analyze_with};

#[derive(Default)]
struct Counts {
    produced: usize,
    declined: usize,
    unchanged: usize,
    excellent: usize,
}

#[test]
fn corpus_rewrites_keep_their_promises() {
    let Some((dir, names)) = common::corpus_names("rewrite corpus") else {
        return;
    };
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    let options = options();
    let mut counts: BTreeMap<Option<Stack>, Counts> = BTreeMap::new();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let r = rewrite_with(&text, &options);
        let c = counts.entry(r.stack).or_default();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        match r.outcome {
            Outcome::Declined => {
                c.declined += 1;
                let reason = r.reason.clone().unwrap_or_default();
                let key: String = reason.chars().take(70).collect();
                *reasons
                    .entry(format!("{:?}: {key}", r.stack.map(|s| s.as_str())))
                    .or_default() += 1;
                continue;
            }
            Outcome::Unchanged => {
                c.unchanged += 1;
                continue;
            }
            Outcome::Rewritten => c.produced += 1,
        }
        let before = analyze_with(&text, &options);
        let after = analyze_with(&r.dockerfile, &options);
        let mut problems = Vec::new();
        if !after.errors.is_empty() {
            problems.push(format!("parse errors {:?}", after.errors));
        }
        for f in after
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Medium)
        {
            let n = |a: &drydock_core::Analysis| {
                a.findings
                    .iter()
                    .filter(|g| g.rule == f.rule && g.severity >= Severity::Medium)
                    .count()
            };
            if n(&after) > n(&before) {
                problems.push(format!("new {} {}", f.rule, f.message));
            }
        }
        let (p0, p1) = (promises(&text), promises(&r.dockerfile));
        if p0.ports != p1.ports {
            problems.push(format!("ports {:?} → {:?}", p0.ports, p1.ports));
        }
        if p0.program != p1.program {
            problems.push(format!("program {:?} → {:?}", p0.program, p1.program));
        }
        let stack = r.stack.unwrap();
        if after.score >= 90 {
            c.excellent += 1;
        } else if stack.must_excel() {
            problems.push(format!("score {}", after.score));
        }
        let again = rewrite_with(&r.dockerfile, &options);
        if again.outcome == Outcome::Rewritten && again.dockerfile != r.dockerfile {
            problems.push("not idempotent".to_string());
        }
        if !problems.is_empty() {
            failures.push(format!("{name}: {}", problems.join("; ")));
        }
    }
    println!("rewrite corpus: {} files", paths.len());
    println!("stack     produced declined unchanged  >=90");
    for (stack, c) in &counts {
        println!(
            "{:<9} {:>8} {:>8} {:>9} {:>5}",
            stack.map_or("none", |s| s.as_str()),
            c.produced,
            c.declined,
            c.unchanged,
            c.excellent
        );
    }
    let mut top: Vec<_> = reasons.into_iter().collect();
    top.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    println!("most common reasons to decline:");
    for (reason, n) in top.iter().take(40) {
        println!("{n:>6}  {reason}");
    }
    for f in failures.iter().take(30) {
        println!("FAIL {f}");
    }
    assert!(
        failures.is_empty(),
        "{} rewrites break a promise",
        failures.len()
    );
    let produced: usize = counts.values().map(|c| c.produced).sum();
    assert!(produced > 0, "no rewrite at all");
}
