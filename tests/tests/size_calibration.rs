//! Calibration of the size estimate: for official images in
//! `../shared/corpus` whose tag has a measured size in
//! `../shared/data/base_images.tsv`, estimate from the image's own
//! Dockerfile **without** that tag's row (`SizeOptions::exclude_tag`) and
//! compare with the measured compressed size. Prints the median and p90
//! relative error; the goal is a median of 30% or less. Skipped (with a
//! line saying so) when `../shared` is absent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use drydock_core::size::{SizeOptions, estimate_text, human};

/// Corpus file → the tag it builds (at the time repo-info measured it).
const CASES: &[(&str, &str)] = &[
    (
        "docker-library__python__3.12__slim-trixie__Dockerfile",
        "python:3.12-slim",
    ),
    (
        "docker-library__python__3.13__slim-trixie__Dockerfile",
        "python:3.13-slim",
    ),
    (
        "docker-library__python__3.12__alpine3.24__Dockerfile",
        "python:3.12-alpine",
    ),
    (
        "docker-library__python__3.13__alpine3.24__Dockerfile",
        "python:3.13-alpine",
    ),
    (
        "docker-library__postgres__18__trixie__Dockerfile",
        "postgres:latest",
    ),
    (
        "docker-library__php__8.3__trixie__apache__Dockerfile",
        "php:8.3-apache",
    ),
    (
        "docker-library__php__8.3__alpine3.24__fpm__Dockerfile",
        "php:8.3-fpm-alpine",
    ),
    ("docker-library__httpd__2.4__Dockerfile", "httpd:latest"),
    (
        "docker-library__buildpack-deps__debian__trixie__Dockerfile",
        "buildpack-deps:trixie",
    ),
    (
        "docker-library__ruby__4.0__slim-trixie__Dockerfile",
        "ruby:slim",
    ),
    (
        "nginxinc__docker-nginx__mainline__alpine__Dockerfile",
        "nginx:alpine",
    ),
    (
        "nginxinc__docker-nginx__mainline__debian__Dockerfile",
        "nginx:latest",
    ),
    (
        "nginxinc__docker-nginx__mainline__debian-perl__Dockerfile",
        "nginx:mainline-perl",
    ),
    (
        "nodejs__docker-node__22__alpine3.24__Dockerfile",
        "node:22-alpine",
    ),
    (
        "nodejs__docker-node__22__bookworm-slim__Dockerfile",
        "node:22-slim",
    ),
    (
        "nodejs__docker-node__24__trixie__Dockerfile",
        "node:24-trixie",
    ),
    (
        "adoptium__containers__21__jdk__ubuntu__resolute__Dockerfile",
        "eclipse-temurin:21-jdk",
    ),
    (
        "adoptium__containers__21__jre__ubuntu__resolute__Dockerfile",
        "eclipse-temurin:21-jre",
    ),
    (
        "adoptium__containers__8__jre__ubuntu__noble__Dockerfile",
        "eclipse-temurin:8-jre",
    ),
];

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

/// `image:tag` → measured compressed bytes (linux/amd64).
fn measured() -> Option<Vec<(String, u64)>> {
    let text = std::fs::read_to_string(shared().join("data/base_images.tsv")).ok()?;
    Some(
        text.lines()
            .skip(1)
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f.get(2) == Some(&"linux/amd64"))
                    .then(|| Some((format!("{}:{}", f[0], f[1]), f.get(3)?.parse().ok()?)))
                    .flatten()
            })
            .collect(),
    )
}

#[test]
fn calibration_against_official_images() {
    let Some(sizes) = measured() else {
        println!("size calibration: skipped (../shared/data/base_images.tsv not found)");
        return;
    };
    let dir = shared().join("corpus/dockerfiles");
    let mut errors = Vec::new();
    let mut inside_count = 0;
    for (file, tag) in CASES {
        let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
            println!("size calibration: {file} missing, not counted");
            continue;
        };
        let Some((_, actual)) = sizes.iter().find(|(t, _)| t == tag) else {
            continue;
        };
        let e = estimate_text(
            &text,
            &SizeOptions {
                exclude_tag: Some((*tag).to_string()),
                ..SizeOptions::default()
            },
        );
        // The estimate must not have used the tag's own row.
        assert!(
            e.breakdown
                .iter()
                .all(|i| !i.reason.contains(&format!("{tag} pulls"))),
            "{tag} looked itself up"
        );
        let got = e.compressed_bytes.expected;
        let err = (got as f64 - *actual as f64).abs() / *actual as f64;
        let inside = (e.compressed_bytes.low..=e.compressed_bytes.high).contains(actual);
        println!(
            "size calibration: {tag:<24} measured {:>8}  estimated {:>8}  ({} – {})  error {:>5.1}%{}",
            human(*actual),
            human(got),
            human(e.compressed_bytes.low),
            human(e.compressed_bytes.high),
            err * 100.0,
            if inside { "" } else { "  OUTSIDE the range" }
        );
        errors.push(err);
        inside_count += usize::from(inside);
    }
    if errors.is_empty() {
        println!("size calibration: skipped (../shared/corpus not found)");
        return;
    }
    errors.sort_by(f64::total_cmp);
    let pick = |q: f64| errors[((errors.len() - 1) as f64 * q).round() as usize];
    println!(
        "size calibration: {} images, median relative error {:.1}%, p90 {:.1}% (goal: median ≤ 30%); {inside_count} measured sizes inside the estimated range",
        errors.len(),
        pick(0.5) * 100.0,
        pick(0.9) * 100.0
    );
    assert!(
        pick(0.5) <= 0.30,
        "median error {:.1}% misses the 30% goal",
        pick(0.5) * 100.0
    );
}
