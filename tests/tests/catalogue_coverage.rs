//! Every row of the peer catalogue (`../shared/rules/catalogue.tsv`) is
//! either covered by a drydock rule (its peer id among the rule's aliases)
//! or listed in `core/src/rules/NOT_COVERED.md` with a reason — and no id is
//! both. Without `../shared`, the test says so and passes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use drydock_core::rules::REGISTRY;

/// The id rules use for a catalogue row: Trivy rows are `DS-0001` in the
/// catalogue and `DS001` (their short alias) in drydock.
fn alias_of(tool: &str, id: &str) -> String {
    match (tool, id.strip_prefix("DS-0")) {
        ("trivy", Some(n)) => format!("DS{n}"),
        _ => id.to_string(),
    }
}

/// `| id | tool | reason |` rows of NOT_COVERED.md: id → reason.
fn not_covered() -> BTreeMap<String, String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/src/rules/NOT_COVERED.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() != 3 || cells[0] == "id" || cells[0].starts_with("---") {
            continue;
        }
        assert!(!cells[2].is_empty(), "no reason for {}", cells[0]);
        assert!(
            out.insert(cells[0].to_string(), cells[2].to_string())
                .is_none(),
            "{} listed twice",
            cells[0]
        );
    }
    out
}

#[test]
fn every_catalogue_row_is_covered_or_explained() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/rules/catalogue.tsv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "note: {} is absent; catalogue coverage skipped",
            path.display()
        );
        return;
    };
    let aliases: BTreeSet<&str> = REGISTRY
        .iter()
        .flat_map(|r| r.meta().aliases.iter().copied())
        .collect();
    let listed = not_covered();
    let mut problems = Vec::new();
    let mut catalogue = BTreeSet::new();
    let (mut covered, mut explained) = (0, 0);
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (tool, id) = (cols[0], cols[1]);
        catalogue.insert(id.to_string());
        let is_covered = aliases.contains(alias_of(tool, id).as_str());
        let is_listed = listed.contains_key(id);
        match (is_covered, is_listed) {
            (true, false) => covered += 1,
            (false, true) => explained += 1,
            (false, false) => problems.push(format!("{id} ({tool}): neither covered nor listed")),
            (true, true) => problems.push(format!(
                "{id} ({tool}): a rule covers it now; remove it from NOT_COVERED.md"
            )),
        }
    }
    for id in listed.keys().filter(|id| !catalogue.contains(*id)) {
        problems.push(format!(
            "{id}: listed in NOT_COVERED.md but not in the catalogue"
        ));
    }
    println!("catalogue: {covered} covered, {explained} listed in NOT_COVERED.md");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
