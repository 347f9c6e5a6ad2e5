//! Every fix a rule offers does what it says, checked by applying it.
//!
//! For each finding that carries a fix: applying its edits (non-overlapping,
//! from the end) gives text that (a) parses with no more errors than before,
//! (b) no longer has that finding (the same rule at the same place, mapped
//! through the edits) and (c) for a safe fix, has no finding of any rule
//! more than before (except the ones in [`CAUSED`]).
//!
//! Inputs: every rule's bad example from the registry docs, extra inputs per
//! fixed rule, and the corpus (`../shared/corpus/dockerfiles`; skipped with
//! a note when absent), where all safe fixes of a file are applied together
//! (a fix whose edits overlap one already taken waits) and the result is
//! re-analysed. Counts per rule are printed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use drydock_core::diagnostic::{Applicability, Edit, Fix};
use drydock_core::rules::fix::apply;
use drydock_core::rules::{self, REGISTRY};
use drydock_core::{Analysis, Finding, Span, analyze};

/// Findings a safe fix of a rule is documented to cause: (fixed rule,
/// rule that may appear). None today.
const CAUSED: &[(&str, &str)] = &[];

/// Extra inputs for the rules that offer fixes.
const EXTRA: &[&str] = &[
    // DD003
    "FROM a:1\nMAINTAINER \"Jane Doe\" <jane@example.com>\n",
    "FROM a:1\nMAINTAINER a\\b $X \\\n  c\n",
    "from a:1\nmaintainer x\nrun y\n",
    "# escape=`\nFROM a:1\nMAINTAINER a\\b `x \"q\"\n",
    // DD007, DD024, DD016, DD012
    "FROM debian:12\nRUN apt-get update && apt-get install curl \\\n    wget && rm -rf /var/lib/apt/lists/*\n",
    "FROM debian:12\nRUN apt-get -o Dpkg::Options::=--force-confold install -q curl\n",
    "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install curl\nEOF\n",
    "FROM fedora:40\nRUN yum install a && dnf --setopt=x=1 install b && zypper in c && zypper --quiet install d\n",
    "FROM alpine:3.20\nRUN apk update && apk add --virtual .deps curl \\\n  && apk add git\n",
    "FROM debian:12\nRUN wget -O /tmp/x https://example.com/x && wget https://example.com/y\n",
    "FROM alpine:3.20\nRUN wget https://example.com/y\n",
    "FROM debian:12\nRUN [\"sh\", \"-c\", \"apt-get install curl\"]\n",
    // DD052
    "FROM a:1\nENV A 1\nENV B two words\nLABEL c   \"quoted\"\nENV D $A/bin\nENV E x\\ y\nENV F 'a b'\n",
    "FROM a:1\nENV JAVA_OPTS -Xmx1g \\\n    -Xms1g\nLABEL x\ty z\n",
    "# escape=`\nFROM a:1\nENV A c:\\x y\n",
    // DD047, DD050
    "from a:1 AS b\nRUN x\nCMD [\"sh\"]\nENV A=1\n",
    "From a:1 as b\nRUN x\nCMD [\"sh\"]\n",
    "from a:1 As b\nrun x\n",
    "FROM a:1\nrun x\nonbuild run y\n",
    // DD015
    "FROM a:1\nCMD npm start\nENTRYPOINT /app/run --port=80\n",
    "FROM a:1\nCMD npm start && x\n",
    "FROM a:1\nCMD exec node server.js\n",
];

/// Where `pos` of the old text is in the text after `edits`.
fn map(pos: usize, edits: &[Edit]) -> usize {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| e.span.start);
    let mut delta: isize = 0;
    for e in sorted {
        if e.span.start < pos && e.span.end <= pos || e.span.end < pos {
            delta += e.content.len() as isize - (e.span.end - e.span.start) as isize;
        } else if e.span.start <= pos && pos < e.span.end {
            return (e.span.start as isize + delta) as usize;
        }
    }
    (pos as isize + delta) as usize
}

/// A finding of the same rule as `f` at `f`'s place, after `edits`.
fn still_there<'a>(f: &Finding, edits: &[Edit], after: &'a Analysis) -> Option<&'a Finding> {
    let start = map(f.span.start, edits);
    let end = map(f.span.end, edits).max(start);
    after.findings.iter().find(|g| {
        g.rule == f.rule && (g.span.start == start || (g.span.start < end && start < g.span.end))
    })
}

/// Per-rule counts of findings.
fn counts(a: &Analysis) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for f in &a.findings {
        *out.entry(f.rule).or_insert(0) += 1;
    }
    out
}

/// Rules with more findings in `after` than in `before`, less the ones the
/// fixed rules are documented to cause.
fn new_rules(before: &Analysis, after: &Analysis, fixed: &[&str]) -> Vec<String> {
    let b = counts(before);
    counts(after)
        .into_iter()
        .filter(|(rule, n)| *n > b.get(rule).copied().unwrap_or(0))
        .filter(|(rule, _)| {
            !CAUSED
                .iter()
                .any(|(by, caused)| caused == rule && fixed.contains(by))
        })
        .map(|(rule, n)| format!("{rule} ({} → {n})", b.get(rule).copied().unwrap_or(0)))
        .collect()
}

/// Checks one fix of one finding; returns the problems found.
fn check_one(text: &str, before: &Analysis, f: &Finding, fix: &Fix) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(fixed) = apply(text, &fix.edits) else {
        return vec![format!("{}: edits do not apply: {:?}", f.rule, fix.edits)];
    };
    let after = analyze(&fixed);
    if after.errors.len() > before.errors.len() {
        problems.push(format!(
            "{}: new parse errors {:?} in\n{fixed}",
            f.rule, after.errors
        ));
    }
    if let Some(g) = still_there(f, &fix.edits, &after) {
        problems.push(format!(
            "{}: finding still there ({}) in\n{fixed}",
            f.rule, g.message
        ));
    }
    if fix.applicability == Applicability::Safe {
        let new = new_rules(before, &after, &[f.rule]);
        if !new.is_empty() {
            problems.push(format!(
                "{}: safe fix adds findings {new:?} in\n{fixed}",
                f.rule
            ));
        }
    }
    problems
}

/// Checks every fix in `text` on its own; returns (fixes seen, problems).
fn check_text(text: &str) -> (usize, Vec<String>) {
    let before = analyze(text);
    let mut seen = 0;
    let mut problems = Vec::new();
    for f in &before.findings {
        if let Some(fix) = &f.fix {
            seen += 1;
            problems.extend(check_one(text, &before, f, fix));
        }
    }
    (seen, problems)
}

#[test]
fn every_fix_of_the_docs_and_extra_inputs_holds() {
    let mut seen = 0;
    let mut problems = Vec::new();
    let docs = REGISTRY
        .iter()
        .map(|r| rules::docs_of(r.meta()).bad_example);
    for text in docs.chain(EXTRA.iter().copied()) {
        let (n, p) = check_text(text);
        seen += n;
        problems.extend(p.into_iter().map(|p| format!("--- input:\n{text}\n{p}")));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The fixed rules' bad examples all offer a fix.
    for id in [
        "DD003", "DD007", "DD012", "DD015", "DD016", "DD024", "DD047", "DD050", "DD052",
    ] {
        let rule = drydock_core::rules::lookup(id).unwrap();
        let a = analyze(rules::docs_of(rule.meta()).bad_example);
        assert!(
            a.findings.iter().any(|f| f.rule == id && f.fix.is_some()),
            "{id}: its bad example offers no fix"
        );
    }
    assert!(seen >= 30, "only {seen} fixes seen");
}

#[test]
fn fix_helper_applies_from_the_end_and_refuses_overlaps() {
    let e = |s: usize, t: usize, c: &str| Edit {
        span: Span::new(s, t),
        content: c.to_string(),
    };
    assert_eq!(
        apply("abcdef", &[e(4, 5, "E"), e(1, 1, "+"), e(2, 3, "")]).as_deref(),
        Some("a+bdEf")
    );
    assert_eq!(apply("abcdef", &[e(1, 3, "x"), e(2, 4, "y")]), None);
    assert_eq!(apply("abc", &[e(2, 9, "x")]), None);
    assert_eq!(map(5, &[e(1, 1, "++"), e(2, 3, "")]), 6);
}

#[derive(Default, Debug)]
struct Tally {
    offered: usize,
    safe: usize,
    applied: usize,
    verified: usize,
    unsafe_checked: usize,
    unsafe_verified: usize,
}

#[test]
fn corpus_safe_fixes_hold_when_applied_together() {
    let Some((dir, names)) = common::corpus_names("corpus fixes") else {
        return;
    };
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    let mut tally: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut problems: Vec<String> = Vec::new();
    let mut files = 0;
    for path in &paths {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        files += 1;
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let before = analyze(&text);
        // Safe fixes together; overlapping ones wait for a later run.
        let mut taken: Vec<(&Finding, &Fix)> = Vec::new();
        let mut edits: Vec<Edit> = Vec::new();
        for f in &before.findings {
            let Some(fix) = &f.fix else { continue };
            let t = tally.entry(f.rule).or_default();
            t.offered += 1;
            if fix.applicability != Applicability::Safe {
                // Unsafe ones on their own: (a) and (b).
                t.unsafe_checked += 1;
                let p = check_one(&text, &before, f, fix);
                if p.is_empty() {
                    tally.entry(f.rule).or_default().unsafe_verified += 1;
                } else {
                    problems.extend(p.into_iter().map(|p| format!("{name}: {p}")));
                }
                continue;
            }
            t.safe += 1;
            let overlaps = fix.edits.iter().any(|e| {
                edits.iter().any(|o| {
                    (e.span.start < o.span.end && o.span.start < e.span.end)
                        || e.span.start == o.span.start
                        || (e.span.start == e.span.end
                            && o.span.start < e.span.start
                            && e.span.start < o.span.end)
                        || (o.span.start == o.span.end
                            && e.span.start < o.span.start
                            && o.span.start < e.span.end)
                })
            });
            if overlaps {
                continue;
            }
            edits.extend(fix.edits.iter().cloned());
            taken.push((f, fix));
        }
        if taken.is_empty() {
            continue;
        }
        let Some(fixed) = apply(&text, &edits) else {
            problems.push(format!("{name}: safe edits do not apply together"));
            continue;
        };
        let after = analyze(&fixed);
        let mut ok_file = true;
        if after.errors.len() > before.errors.len() {
            ok_file = false;
            problems.push(format!("{name}: new parse errors {:?}", after.errors));
        }
        let fixed_rules: Vec<&str> = taken.iter().map(|(f, _)| f.rule).collect();
        let new = new_rules(&before, &after, &fixed_rules);
        if !new.is_empty() {
            ok_file = false;
            problems.push(format!("{name}: safe fixes add findings {new:?}"));
        }
        for (f, _) in &taken {
            let t = tally.entry(f.rule).or_default();
            t.applied += 1;
            if let Some(g) = still_there(f, &edits, &after) {
                problems.push(format!(
                    "{name}: {} still there after its fix: {}",
                    f.rule, g.message
                ));
            } else if ok_file {
                t.verified += 1;
            }
        }
    }
    println!("corpus fixes over {files} files:");
    println!("rule   offered  safe  applied  verified  unsafe-checked  unsafe-verified");
    for (rule, t) in &tally {
        println!(
            "{rule}  {:>7}  {:>4}  {:>7}  {:>8}  {:>14}  {:>15}",
            t.offered, t.safe, t.applied, t.verified, t.unsafe_checked, t.unsafe_verified
        );
    }
    let shown: Vec<&String> = problems.iter().take(20).collect();
    assert!(
        problems.is_empty(),
        "{} problems, the first:\n{}",
        problems.len(),
        shown
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
