//! `drydock image` run as a user runs it, on the vendored fixtures.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;

mod common;
use common::{drydock_in, stdout};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/images")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn drydock(args: &[&str]) -> std::process::Output {
    drydock_in(Path::new("."), args, "")
}

#[test]
fn json_has_the_documented_shape_and_dives_figures() {
    let file = fixture("test-kaniko-image.tar");
    let out = drydock(&["image", "--format", "json", "--no-fail", &file]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for key in [
        "format",
        "os",
        "layers",
        "efficiency",
        "wasted_bytes",
        "user_wasted_percent",
        "reclaimable_bytes",
        "top_wasted",
        "packages",
        "findings",
        "score",
        "grade",
    ] {
        assert!(v.get(key).is_some(), "no `{key}` in {v}");
    }
    assert_eq!(v["format"], "docker-archive");
    // Floats as written (serde_json's default parser may be an ulp off).
    assert!(
        text.contains("\"efficiency\": 0.9793688490216431,"),
        "{text}"
    );
    assert!(text.contains("\"user_wasted_percent\": 0.4884502043790995,"));
    assert_eq!(v["wasted_bytes"], 46245);
    let layer = &v["layers"][0];
    for key in [
        "digest",
        "size_bytes",
        "compressed_bytes",
        "files",
        "created_by",
    ] {
        assert!(layer.get(key).is_some(), "no `{key}` in {layer}");
    }
    assert_eq!(layer["size_bytes"], 1231733);
    assert_eq!(v["layers"].as_array().unwrap().len(), 14);
    let finding = &v["findings"][0];
    for key in [
        "rule", "severity", "message", "category", "points", "source",
    ] {
        assert!(finding.get(key).is_some(), "no `{key}` in {finding}");
    }
}

#[test]
fn text_names_layers_figures_and_score_and_fails_on_high() {
    let out = drydock(&["image", &fixture("test_bundle.tar")]);
    let text = stdout(&out);
    assert!(text.contains("docker-archive [test_image_2]"), "{text}");
    assert!(text.contains("efficiency 100.00 %"), "{text}");
    assert!(text.contains("high[DI001]"), "{text}");
    assert!(text.trim_end().ends_with("2 findings"), "{text}");
    // Runs as root: a high finding fails by default.
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn image_picks_by_tag_and_refuses_an_unknown_one() {
    let file = fixture("test_bundle.tar");
    let out = drydock(&["image", "--image", "test_image_1", "--no-fail", &file]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("[test_image_1]"));
    let out = drydock(&["image", "--image", "nope", &file]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no image is tagged `nope`"), "{err}");
}

#[test]
fn damage_and_usage_errors() {
    let dir = std::env::temp_dir().join(format!("drydock-image-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bytes = std::fs::read(fixture("test-oci-gzip-image.tar")).unwrap();
    let cut = dir.join("cut.tar");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    let out = drydock(&["image", "--no-fail", cut.to_str().unwrap()]);
    // Damaged: reported, exit 1 (or 2 when no image could be named at all).
    assert_ne!(out.status.code(), Some(0));
    assert!(!out.stderr.is_empty());
    assert_eq!(drydock(&["image"]).status.code(), Some(2));
    assert_eq!(
        drydock(&["image", "--format", "xml", "x"]).status.code(),
        Some(2)
    );
    assert_eq!(
        drydock(&["image", "/nonexistent.tar"]).status.code(),
        Some(2)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_report_formats_of_lint_print_an_image_too() {
    let file = fixture("test-kaniko-image.tar");
    let sarif = drydock(&["image", "--format", "sarif", "--no-fail", &file]);
    assert_eq!(sarif.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"].as_str().unwrap().starts_with("DI"))
    );
    let md =
        String::from_utf8(drydock(&["image", "--format", "markdown", "--no-fail", &file]).stdout)
            .unwrap();
    assert!(md.starts_with("## drydock report"), "{md}");
    let html =
        String::from_utf8(drydock(&["image", "--format", "html", "--no-fail", &file]).stdout)
            .unwrap();
    assert!(html.starts_with("<!doctype html>") && !html.contains("<script"));
}

/// A verified read runs on two threads (the layers' bytes handed to the
/// digest thread as they are inflated): it must say exactly what the
/// core's single verified pass says — on every vendored fixture, and on a
/// gzip layer damaged in the middle (its diff id no longer matches).
#[test]
fn a_verified_read_on_two_threads_says_what_one_pass_says() {
    use drydock_core::image;
    let dir = std::env::temp_dir().join(format!("drydock-image-split-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tar"))
        .collect();
    files.sort();
    assert!(files.len() >= 9, "{files:?}");
    let mut damaged = std::fs::read(fixture("test-oci-gzip-image.tar")).unwrap();
    let gzip = damaged
        .windows(3)
        .position(|w| w == [0x1f, 0x8b, 0x08])
        .expect("the fixture has a gzip layer");
    damaged[gzip + 40] ^= 0x10;
    files.push(dir.join("damaged.tar"));
    std::fs::write(files.last().unwrap(), &damaged).unwrap();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let single = image::read(&bytes[..], &mut |_| true);
        let analysis =
            image::analyze_archive(&single, None, &drydock_core::AnalysisOptions::DEFAULT);
        // Through text, as the CLI's output (the parser may be an ulp off).
        let mut expected: serde_json::Value =
            serde_json::from_str(&serde_json::to_string(&analysis).unwrap()).unwrap();
        let out = drydock(&[
            "image",
            "--format",
            "json",
            "--no-fail",
            file.to_str().unwrap(),
        ]);
        let mut got: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: {e}: {}", file.display(), stdout(&out)));
        // Not read again in one pass: the split itself gave this.
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        got.as_object_mut().unwrap().remove("file");
        expected.as_object_mut().unwrap().remove("file");
        assert_eq!(got, expected, "{}", file.display());
        if file.ends_with("damaged.tar") {
            assert!(
                got["errors"].as_array().is_some_and(|e| !e.is_empty()),
                "{got}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
