//! Every image fixture of `../shared/images` analysed: dive's figures from
//! `dive-metrics.jsonl` matched exactly, drydock's own figures and findings
//! on the "waste" image, and each fixture cut short and corrupted. Without
//! `../shared`, the test says so and passes (the vendored subset is tested
//! in the core). Every read is also made split in two passes and merged,
//! and must give the same archive as the single pass.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use drydock_core::AnalysisOptions;
use drydock_core::image::{ImageAnalysis, analyze_archive, read_every_way};
use serde_json::Value;

fn images_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/images");
    if dir.join("dive-metrics.jsonl").is_file() {
        Some(dir)
    } else {
        println!("note: {} is absent; image fixtures skipped", dir.display());
        None
    }
}

/// Analyses `bytes`, after checking that the split read (two passes,
/// merged, as the CLI and the browser run it) gives exactly the archive
/// of the single verified pass.
fn analyze(bytes: &[u8]) -> ImageAnalysis {
    let single = read_every_way(bytes)
        .unwrap_or_else(|split| panic!("the {split:?} split read differs from the single pass"));
    analyze_archive(&single, None, &AnalysisOptions::DEFAULT)
}

#[test]
fn every_fixture_matches_dive() {
    let Some(dir) = images_dir() else { return };
    let metrics = std::fs::read_to_string(dir.join("dive-metrics.jsonl")).unwrap();
    let mut checked = 0;
    for line in metrics.lines().filter(|l| !l.trim().is_empty()) {
        let want: Value = serde_json::from_str(line).unwrap();
        let file = want["file"].as_str().unwrap();
        let a = analyze(&std::fs::read(dir.join(file)).unwrap());
        assert!(a.errors.is_empty(), "{file}: {:?}", a.errors);
        let f = &a.figures;
        assert_eq!(f.efficiency, want["efficiency"].as_f64().unwrap(), "{file}");
        assert_eq!(f.size_bytes, want["sizeBytes"].as_u64().unwrap(), "{file}");
        assert_eq!(
            f.user_size_bytes,
            want["userSizeBytes"].as_u64().unwrap(),
            "{file}"
        );
        assert_eq!(
            f.wasted_bytes,
            want["wastedBytes"].as_u64().unwrap(),
            "{file}"
        );
        assert_eq!(
            f.user_wasted_percent,
            want["wastedUserPercent"].as_f64(),
            "{file}"
        );
        let sizes: Vec<u64> = a.layers.iter().map(|l| l.size_bytes).collect();
        let want_sizes: Vec<u64> = want["layer_sizes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(sizes, want_sizes, "{file}");
        let kind = want["kind"].as_str().unwrap();
        let format = a.format.unwrap().as_str();
        assert_eq!(
            kind.starts_with("oci"),
            format == "oci-archive",
            "{file}: {format}"
        );
        println!(
            "{file}: efficiency {} wasted {} user-wasted {:?} reclaimable {} ({format})",
            f.efficiency, f.wasted_bytes, f.user_wasted_percent, f.reclaimable_bytes
        );
        checked += 1;
    }
    assert_eq!(checked, 17);
}

/// The waste image in all five of its forms: the same figures, findings and
/// score; the deleted /opt/cache that dive misses is reclaimable.
#[test]
fn the_waste_image_in_every_form() {
    let Some(dir) = images_dir() else { return };
    let mut first: Option<ImageAnalysis> = None;
    for file in [
        "waste-docker-archive.tar",
        "waste-docker-archive.tar.gz",
        "waste-docker25-style.tar",
        "waste-oci-archive-gzip.tar",
        "waste-oci-archive-zstd.tar",
    ] {
        let a = analyze(&std::fs::read(dir.join(file)).unwrap());
        let cache = a.figures.top_wasted.iter().find(|w| w.path == "/opt/cache");
        assert_eq!(cache.map(|w| w.bytes), Some(786_432), "{file}");
        // 2 MiB + a page of big.bin, busybox rewritten, passwd appended to, the cache.
        assert!(a.figures.reclaimable_bytes > 2_097_152 + 786_432, "{file}");
        let rules: Vec<(&str, Option<&str>)> = a
            .findings
            .iter()
            .map(|f| (f.finding.rule, f.path.as_deref()))
            .collect();
        for want in [
            ("DI003", None),
            ("DI005", Some("/root/.ssh/id_rsa")),
            ("DI005", Some("/app/.env")),
            ("DI006", Some("/app/su-helper")),
            ("DI007", Some("/app/world-writable.txt")),
        ] {
            assert!(rules.contains(&want), "{file}: {want:?} not in {rules:?}");
        }
        // Runs as 1000:1000: not root.
        assert!(!rules.contains(&("DI001", None)), "{file}");
        let json = serde_json::to_string(&a).unwrap();
        let env = a
            .findings
            .iter()
            .find(|f| f.finding.rule == "DI003")
            .unwrap();
        assert!(
            env.finding.message.contains('…'),
            "redacted: {}",
            env.finding.message
        );
        assert!(!json.contains("BEGIN OPENSSH PRIVATE KEY"), "{file}");
        if let Some(first) = &first {
            assert_eq!(a.figures, first.figures, "{file}");
            assert_eq!(a.score, first.score, "{file}");
            assert_eq!(a.findings.len(), first.findings.len(), "{file}");
        } else {
            println!(
                "waste: score {} ({:?}), findings {:?}",
                a.score, a.grade, rules
            );
            first = Some(a);
        }
    }
}

#[test]
fn busybox_runs_as_root_and_is_not_distroless() {
    let Some(dir) = images_dir() else { return };
    let a = analyze(&std::fs::read(dir.join("bb-docker-archive.tar")).unwrap());
    let rules: Vec<&str> = a.findings.iter().map(|f| f.finding.rule).collect();
    assert_eq!(rules, ["DI001", "DI002", "DI008"]);
    assert_eq!(a.layers[0].files, 8);
}

/// Every fixture cut at several offsets, and with bytes flipped: never a
/// panic, and a cut before the last layer's end is always reported.
#[test]
fn damaged_fixtures_are_reported_never_panic() {
    let Some(dir) = images_dir() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".tar"))
        .collect();
    files.sort();
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let n = bytes.len();
        for k in 1..8 {
            let cut = n * k / 8;
            let a = analyze(&bytes[..cut]);
            if k <= 4 {
                assert!(!a.errors.is_empty(), "{} cut at {cut}", path.display());
            }
        }
        for k in 0..12 {
            let mut flipped = bytes.clone();
            let at = (n / 12) * k + 7;
            flipped[at.min(n - 1)] ^= 0xa5;
            let _ = analyze(&flipped);
        }
    }
}
