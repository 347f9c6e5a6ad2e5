//! Container image archives: what dive, dockle and syft would say about the
//! output of `docker save` or an OCI archive.
//!
//! **API Boundary:** two steps, so a Web Worker can drive them:
//!
//! 1. [`read`]`(reader, observe)` makes **one pass** over any [`Read`]
//!    (a file natively; `FileReaderSync` over `Blob.slice` in a worker) and
//!    returns an [`Archive`]: per-layer summaries, small JSON files, the few
//!    small files the analysis needs. `observe` is called every megabyte
//!    with the bytes read so far; returning `false` cancels.
//! 2. [`analyze_archive`]`(&archive, tag, options)` assembles one image of
//!    it — the archive may hold several; [`Archive`] keeps them all, so
//!    picking another tag needs no second read — into an [`ImageAnalysis`].
//!
//! A verified read can also be split in two passes over two readers of the
//! same bytes, run at the same time (the CLI's two threads, the browser's
//! two Web Workers), so SHA-256 is off the inflating pass's critical path:
//! [`read_without_blob_digests`] does all of [`read`] but hash the blobs
//! as stored, [`read_blob_digests`] hashes only those, and
//! [`merge_digests`] puts them together into exactly the [`Archive`] that
//! [`read`] gives (or `None`, and the caller reads again in one pass).
//!
//! [`analyze_image`] does both. Formats: legacy docker-archive, Docker 25+
//! (an OCI layout plus `manifest.json`), oci-archive (nested indexes),
//! all of them gzip'ed whole; layers plain, gzip or zstd (by magic bytes).
//!
//! **Invariants:** one pass, bounded memory — no layer or archive is held,
//! a layer entry costs a 16-byte record and each distinct path about 40
//! bytes, captured files are capped; no panic on any input: a damaged
//! archive gives errors (in [`ImageAnalysis::errors`]) plus whatever could
//! be analysed. Secrets are only ever shown redacted.

mod changes;
mod checks;
mod config;
mod fs;
mod layout;
mod packages;
mod paths;
mod reader;
mod stream;
mod tar;
#[cfg(test)]
pub(crate) mod tests;

use std::io::Read;

use serde::Serialize;

pub use changes::{ChangeKind, LayerChanges, PathChange, layer_changes};
pub use checks::{CHECKS, ImageCheck, ImageFinding, Source, check_docs};
pub use config::instruction as history_instruction;
pub use fs::{Efficiency, WastedPath};
pub use layout::{Format, ImageEntry};
pub use packages::{Os, Package};
pub use reader::{
    Archive, BlobDigests, DiffIdHashes, DiffIds, PendingArchive, ReadOptions, merge_digests, read,
    read_blob_digests, read_blob_digests_with, read_every_way, read_with,
    read_without_blob_digests, read_without_digests,
};
pub use stream::{Compression, Progress};

use crate::analysis::analyze_with;
use crate::diagnostic::Finding;
use crate::options::AnalysisOptions;
use crate::score::{self, Grade, ScoreReport};
use config::ImageConfig;
use paths::PathTable;
use reader::LayerSummary;

/// One layer of the analysed image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerInfo {
    /// The manifest's digest for the layer (OCI), else the digest of the
    /// blob as stored.
    pub digest: String,
    /// The digest of the uncompressed tar (the config's `diff_ids`).
    pub diff_id: String,
    /// Σ tar header sizes, as dive counts.
    pub size_bytes: u64,
    /// The blob's size in the archive.
    pub compressed_bytes: u64,
    /// Entries that are not directories or whiteouts.
    pub files: u64,
    /// The history entry that made it (entries marked `empty_layer` skipped).
    pub created_by: Option<String>,
    pub compression: Option<Compression>,
    /// The layer the manifest names is not in the archive.
    pub missing: bool,
}

/// Everything drydock says about one image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageAnalysis {
    pub format: Option<Format>,
    /// The whole archive's compression (`docker save | gzip` is `gzip`).
    pub archive_compression: Option<Compression>,
    /// Every image of the archive; `selected` is the one analysed.
    pub images: Vec<ImageEntry>,
    pub selected: Option<usize>,
    pub os: Option<Os>,
    pub architecture: Option<String>,
    pub layers: Vec<LayerInfo>,
    #[serde(flatten)]
    pub figures: Efficiency,
    pub packages: Vec<Package>,
    /// Sorted by severity (worst first), then rule and path.
    pub findings: Vec<ImageFinding>,
    pub score: u8,
    pub grade: Grade,
    pub score_report: ScoreReport,
    /// The history as an approximate Dockerfile; `history` findings' spans
    /// and lines are in it.
    pub dockerfile: String,
    /// What went wrong (truncation, corrupt layers, bad JSON, missing
    /// layers, digest mismatches); the rest is analysed all the same.
    pub errors: Vec<String>,
    pub bytes_read: u64,
    pub cancelled: bool,
}

/// The image analysis in the shape of a Dockerfile [`crate::Analysis`] of
/// its rebuilt history (`image.dockerfile`), so that the report renderers
/// (`report::sarif`, `markdown`, `html`, `json`) print it with that text:
/// the findings, the score and the sub-scores are the image's. Findings
/// from the config or the files have no line of their own and point at
/// line 1 (their message names the path).
pub fn report_analysis(image: &ImageAnalysis) -> crate::Analysis {
    let mut a = crate::analyze(&image.dockerfile);
    a.findings = image
        .findings
        .iter()
        .map(|f| {
            let mut finding = f.finding.clone();
            if finding.line == 0 {
                finding.line = 1;
                finding.end_line = finding.end_line.max(1);
                finding.column = finding.column.max(1);
            }
            finding
        })
        .collect();
    a.suppressed.clear();
    a.score = image.score;
    a.grade = image.grade;
    a.score_report = image.score_report.clone();
    a
}

/// Reads `reader` and analyses the image tagged `tag` (the first if `None`).
pub fn analyze_image(
    reader: impl Read,
    tag: Option<&str>,
    options: &AnalysisOptions,
) -> ImageAnalysis {
    let archive = read(reader, &mut |_| true);
    analyze_archive(&archive, tag, options)
}

/// Dockerfile rules whose verdict the image config gives better (user,
/// healthcheck, ports, secrets: the `DI` checks), or that judge `FROM`,
/// which the history does not record.
const HISTORY_SKIPS: &[&str] = &[
    "DD001", "DD002", "DD100", "DD101", "DD106", "DD108", "DD109", "DD110", "DD111",
];

/// Which image `tag` names: exact, or with `:latest` added.
fn select(images: &[ImageEntry], tag: Option<&str>) -> Result<usize, String> {
    let Some(tag) = tag else {
        return if images.is_empty() {
            Err("the archive holds no image".to_string())
        } else {
            Ok(0)
        };
    };
    let latest = format!("{tag}:latest");
    images
        .iter()
        .position(|i| i.tags.iter().any(|t| t == tag || *t == latest))
        .ok_or_else(|| {
            let all: Vec<&str> = images
                .iter()
                .flat_map(|i| i.tags.iter().map(String::as_str))
                .collect();
            format!(
                "no image is tagged `{tag}`; the archive has: {}",
                if all.is_empty() {
                    "untagged images only".to_string()
                } else {
                    all.join(", ")
                }
            )
        })
}

/// Assembles and analyses one image of a read archive.
pub fn analyze_archive(
    archive: &Archive,
    tag: Option<&str>,
    options: &AnalysisOptions,
) -> ImageAnalysis {
    let layout = layout::read(archive);
    let mut errors = archive.errors.clone();
    errors.extend(layout.errors.iter().cloned());
    let selected = match select(&layout.images, tag) {
        Ok(i) => Some(i),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let entry = selected.and_then(|i| layout.images.get(i));
    let config_json = entry
        .and_then(|e| e.config_path.as_deref())
        .map(|p| archive.resolve(p))
        .and_then(|p| match archive.json.get(&p) {
            Some(bytes) => match serde_json::from_slice::<serde_json::Value>(bytes) {
                Ok(v) => Some(v),
                Err(e) => {
                    errors.push(format!("{p}: bad JSON in the image config: {e}"));
                    None
                }
            },
            None => {
                errors.push(format!("the image config {p} is missing"));
                None
            }
        });
    let config = config_json.as_ref().map(ImageConfig::from_json);
    let history = config
        .as_ref()
        .map(ImageConfig::layer_history)
        .unwrap_or_default();

    let mut layers: Vec<&LayerSummary> = Vec::new();
    let mut infos = Vec::new();
    for (i, path) in entry
        .map(|e| e.layer_paths.as_slice())
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let resolved = archive.resolve(path);
        let summary = archive
            .layer_at
            .get(&resolved)
            .and_then(|&k| archive.layers.get(k));
        let declared = entry.and_then(|e| e.layer_digests.get(i).cloned().flatten());
        let created_by = history.get(i).map(|s| s.to_string());
        let Some(summary) = summary else {
            errors.push(format!(
                "layer {} ({path}) is missing from the archive",
                i + 1
            ));
            infos.push(LayerInfo {
                digest: declared.unwrap_or_default(),
                diff_id: String::new(),
                size_bytes: 0,
                compressed_bytes: 0,
                files: 0,
                created_by,
                compression: None,
                missing: true,
            });
            continue;
        };
        if let (Some(expected), None, false) = (
            config.as_ref().and_then(|c| c.diff_ids.get(i)),
            &summary.error,
            summary.diff_id.is_empty(),
        ) && *expected != summary.diff_id
        {
            errors.push(format!(
                "layer {} ({path}): digest mismatch: the config expects {expected}, the content hashes to {}",
                i + 1,
                summary.diff_id
            ));
        }
        layers.push(summary);
        // Unverified reads hash nothing: the config's diff id stands in.
        let digest = declared
            .or_else(|| (!summary.digest.is_empty()).then(|| summary.digest.clone()))
            .or_else(|| config.as_ref().and_then(|c| c.diff_ids.get(i).cloned()))
            .unwrap_or_default();
        infos.push(LayerInfo {
            digest,
            diff_id: summary.diff_id.clone(),
            size_bytes: summary.size_bytes,
            compressed_bytes: summary.compressed_bytes,
            files: summary.files,
            created_by,
            compression: summary.compression,
            missing: false,
        });
    }

    let stacked = fs::stack(&archive.paths, &layers);
    let captured = final_files(&archive.paths, &layers, &stacked);
    let text_of = |path: &str| -> Option<String> {
        captured
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
    };
    let os = text_of("/etc/os-release")
        .or_else(|| text_of("/usr/lib/os-release"))
        .and_then(|t| packages::os_release(&t));
    let mut pkgs = Vec::new();
    for (path, bytes) in &captured {
        let text = String::from_utf8_lossy(bytes);
        if path == "/var/lib/dpkg/status" || path.starts_with("/var/lib/dpkg/status.d/") {
            packages::dpkg(&text, &mut pkgs);
        } else if path == "/lib/apk/db/installed" {
            packages::apk(&text, &mut pkgs);
        }
    }
    pkgs.sort();
    pkgs.dedup();
    let passwd = text_of("/etc/passwd")
        .map(|t| packages::accounts(&t))
        .unwrap_or_default();
    let group = text_of("/etc/group")
        .map(|t| packages::accounts(&t))
        .unwrap_or_default();
    let shadow = text_of("/etc/shadow")
        .map(|t| packages::accounts(&t))
        .unwrap_or_default();

    let mut findings = Vec::new();
    let mut dockerfile = String::new();
    if let (Some(config), Some(entry)) = (&config, entry) {
        checks::config_checks(config, &entry.tags, &passwd, &mut findings);
        let (text, line_layers) = config::dockerfile(config);
        let history = analyze_with(&text, options);
        for f in history.findings {
            if HISTORY_SKIPS.contains(&f.rule) {
                continue;
            }
            let layer = line_layers.get(f.line.saturating_sub(1)).copied().flatten();
            findings.push(ImageFinding {
                finding: f,
                source: Source::History,
                layer,
                path: None,
            });
        }
        dockerfile = text;
    }
    checks::account_checks(&passwd, &group, &shadow, &mut findings);
    checks::file_checks(&archive.paths, &layers, &stacked, &mut findings);
    findings.sort_by(|a, b| {
        b.finding
            .severity
            .cmp(&a.finding.severity)
            .then(a.finding.rule.cmp(b.finding.rule))
            .then(a.path.cmp(&b.path))
            .then(a.finding.line.cmp(&b.finding.line))
    });
    let mut plain: Vec<Finding> = findings.iter().map(|f| f.finding.clone()).collect();
    let score_report = score::assess(&mut plain);
    for (f, scored) in findings.iter_mut().zip(plain) {
        f.finding.points = scored.points;
    }

    ImageAnalysis {
        format: layout.format,
        archive_compression: archive.compression,
        images: layout.images.clone(),
        selected,
        os,
        architecture: config.as_ref().and_then(|c| c.architecture.clone()),
        layers: infos,
        figures: stacked.efficiency.clone(),
        packages: pkgs,
        findings,
        score: score_report.score,
        grade: score_report.grade,
        score_report,
        dockerfile,
        errors,
        bytes_read: archive.progress.bytes_read,
        cancelled: archive.cancelled,
    }
}

/// The captured small files as the final filesystem has them: (path, content).
fn final_files<'a>(
    paths: &PathTable,
    layers: &[&'a LayerSummary],
    stacked: &fs::Stacked,
) -> Vec<(String, &'a [u8])> {
    let mut out = Vec::new();
    for (li, layer) in layers.iter().enumerate() {
        for (node, bytes) in &layer.captured {
            if stacked.visible(*node).is_some_and(|v| v.layer == li) {
                out.push((paths.path(*node), bytes.as_slice()));
            }
        }
    }
    out
}
