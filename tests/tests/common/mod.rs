//! What several test files share (each uses some of it).
#![allow(dead_code)]

use std::path::PathBuf;

use drydock_core::AnalysisOptions;
use drydock_core::eol::Date;

/// Options with a fixed day, so end-of-life verdicts (and the scores and
/// rewrites that depend on them) do not drift with the calendar.
pub fn options() -> AnalysisOptions {
    AnalysisOptions {
        today: Date::parse("2026-11-27"),
        ..AnalysisOptions::default()
    }
}

/// The corpus folder (`../shared/corpus/dockerfiles`) and its file names,
/// sorted; `None`, after printing that `what` is skipped, when the folder
/// is absent (a fresh clone without `../shared`).
pub fn corpus_names(what: &str) -> Option<(PathBuf, Vec<String>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/dockerfiles");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("{what}: skipped ({} not found)", dir.display());
        return None;
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    Some((dir, names))
}
