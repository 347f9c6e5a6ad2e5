//! Throughput over the development corpus: `syntax::parse`,
//! `drydock_core::analyze` and `syntax::shell::lex` (over every RUN script).
//!
//! `cargo bench -p drydock-core --bench parse`. Reads every file of
//! `../shared/corpus/dockerfiles` (or the directory in `DRYDOCK_CORPUS`);
//! without it, falls back to `tests/data/buildkit/testfiles`, saying so.
//! Criterion reports MB/s (`Throughput::Bytes`); a plain pass before it
//! prints files/s and MB/s as well. Figures go in `BENCHMARKS.md`.
//! Not run by `cargo test` or CI (`harness = false`, benches are opt-in).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use drydock_core::syntax::{self, Instruction, shell};

/// Every file of the corpus, as text (invalid UTF-8 replaced).
fn corpus() -> (String, Vec<String>) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let candidates = [
        std::env::var_os("DRYDOCK_CORPUS").map(PathBuf::from),
        Some(root.join("../shared/corpus/dockerfiles")),
    ];
    if let Some(dir) = candidates.into_iter().flatten().find(|d| d.is_dir()) {
        let mut files = Vec::new();
        read_dir_into(&dir, &mut files);
        if !files.is_empty() {
            return (dir.display().to_string(), files);
        }
    }
    let fallback = root.join("tests/data/buildkit/testfiles");
    eprintln!(
        "bench: the dev corpus (../shared/corpus/dockerfiles) is absent; \
         falling back to {} (figures are not comparable)",
        fallback.display()
    );
    let mut files = Vec::new();
    read_dir_into(&fallback, &mut files);
    (fallback.display().to_string(), files)
}

fn read_dir_into(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            read_dir_into(&p, out);
        } else if p.file_name().is_some_and(|n| n != "result")
            && let Ok(bytes) = std::fs::read(&p)
        {
            out.push(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
}

/// The shell scripts of the corpus's RUNs, as the lexer is meant to get
/// them (see `syntax::shell`'s module docs).
fn run_scripts(files: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for text in files {
        for inst in &syntax::parse(text).instructions {
            push_scripts(inst, &mut out);
        }
    }
    out
}

fn push_scripts(inst: &Instruction, out: &mut Vec<String>) {
    if let Some(sub) = &inst.sub_command {
        push_scripts(sub, out);
    }
    if !inst.is("run") || inst.json {
        return;
    }
    let text = inst.value.join(" ");
    let Some(first) = inst.heredocs.first() else {
        out.push(text);
        return;
    };
    let bare = text.trim().trim_start_matches("<<").trim_start_matches('-');
    if inst.heredocs.len() == 1 && bare.trim_matches(['\'', '"']) == first.name {
        out.push(first.content.clone());
        return;
    }
    let mut script = text;
    script.push('\n');
    for h in &inst.heredocs {
        script.push_str(&h.content);
        script.push_str(&h.name);
        script.push('\n');
    }
    out.push(script);
}

fn total_bytes(texts: &[String]) -> u64 {
    texts.iter().map(|t| t.len() as u64).sum()
}

/// Times `passes` runs of `f` over all of `items`; prints items/s and MB/s.
fn plain_pass(what: &str, unit: &str, items: &[String], passes: u32, f: impl Fn(&str)) {
    let bytes = total_bytes(items) as f64;
    let start = Instant::now();
    for _ in 0..passes {
        for t in items {
            f(black_box(t));
        }
    }
    let secs = start.elapsed().as_secs_f64() / f64::from(passes);
    println!(
        "{what}: {} {unit}, {:.1} MB: {:.1} ms/pass, {:.0} {unit}/s, {:.1} MB/s",
        items.len(),
        bytes / 1e6,
        secs * 1e3,
        items.len() as f64 / secs,
        bytes / 1e6 / secs,
    );
}

fn benches(c: &mut Criterion) {
    let (source, files) = corpus();
    let scripts = run_scripts(&files);
    println!("corpus: {source}");
    plain_pass("parse", "files", &files, 5, |t| {
        black_box(syntax::parse(t));
    });
    plain_pass("analyze", "files", &files, 3, |t| {
        black_box(drydock_core::analyze(t));
    });
    plain_pass("shell::lex", "scripts", &scripts, 5, |t| {
        black_box(shell::lex(t));
    });

    // Adversarial: one RUN line with many findings (each needs its column
    // on a long line, each group its score share). Linear: 10× the
    // commands should take about 10× the time.
    for n in [20_000usize, 200_000] {
        let text = format!(
            "FROM debian:12\nRUN {}\n",
            vec!["apt-get update"; n].join(" && ")
        );
        plain_pass(
            &format!("analyze one RUN of {n} `apt-get update`"),
            "files",
            std::slice::from_ref(&text),
            3,
            |t| {
                black_box(drydock_core::analyze(t));
            },
        );
    }

    let mut g = c.benchmark_group("corpus");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.throughput(Throughput::Bytes(total_bytes(&files)));
    g.bench_function("parse", |b| {
        b.iter(|| {
            for t in &files {
                black_box(syntax::parse(black_box(t)));
            }
        });
    });
    g.bench_function("analyze", |b| {
        b.iter(|| {
            for t in &files {
                black_box(drydock_core::analyze(black_box(t)));
            }
        });
    });
    g.throughput(Throughput::Bytes(total_bytes(&scripts)));
    g.bench_function("shell_lex", |b| {
        b.iter(|| {
            for t in &scripts {
                black_box(shell::lex(black_box(t)));
            }
        });
    });
    g.finish();
}

criterion_group!(parse, benches);
criterion_main!(parse);
