//! The commands: `serve`, `test`, `e2e`.

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::run::{Tally, run, run_tests, step};
use crate::tools::{self, CHROMEDRIVER, CHROMIUM, Need, Tools};
use crate::{Error, Result, root, serve, site};

const DEFAULT_PORT: u16 = 8080;

pub fn serve(args: &[String]) -> Result {
    let port = match args {
        [] => match std::env::var("DRYDOCK_PORT") {
            Ok(p) => parse_port(&p)?,
            Err(_) => DEFAULT_PORT,
        },
        [flag, value] if flag == "--port" => parse_port(value)?,
        [flag] if flag.starts_with("--port=") => parse_port(flag.trim_start_matches("--port="))?,
        _ => return Err(Error("usage: cargo xtask serve [--port N]".into())),
    };
    let started = Instant::now();
    let tools = tools::ensure_all(Need::Build)?;
    let dist = site::build(&tools)?;
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        Error(format!(
            "cannot listen on 127.0.0.1:{port}: {e} (choose another with --port N)"
        ))
    })?;
    println!(
        "\nready in {:.0?}: serving {} on http://127.0.0.1:{port}/ (Ctrl+C stops)",
        started.elapsed(),
        dist.display()
    );
    serve::serve(listener, dist);
    Ok(())
}

fn parse_port(s: &str) -> Result<u16> {
    s.parse()
        .map_err(|_| Error(format!("`{s}` is not a port number")))
}

/// Everything CI runs, in order, stopping at the first failure.
pub fn test() -> Result {
    let started = Instant::now();
    let tools = tools::ensure_all(Need::Everything)?;
    let mut tally = Tally::default();
    let mut timings = vec![("tools", started.elapsed())];
    let mut timed = |name: &'static str, f: &mut dyn FnMut() -> Result<Tally>| -> Result {
        let t = Instant::now();
        let result = f();
        timings.push((name, t.elapsed()));
        tally.add(result?);
        Ok(())
    };
    timed("fmt", &mut || {
        step("cargo fmt --check");
        run(Command::new("cargo")
            .args(["fmt", "--all", "--", "--check"])
            .current_dir(root()))?;
        Ok(Tally::default())
    })?;
    timed("clippy", &mut || {
        step("cargo clippy -D warnings");
        run(Command::new("cargo")
            .args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])
            .current_dir(root()))?;
        Ok(Tally::default())
    })?;
    timed("docs", &mut || {
        step("cargo doc -D warnings (broken doc links fail)");
        run(Command::new("cargo")
            .args(["doc", "--workspace", "--no-deps", "--quiet"])
            .env("RUSTDOCFLAGS", "-D warnings")
            .current_dir(root()))?;
        Ok(Tally::default())
    })?;
    timed("native tests", &mut || {
        step("native tests (cargo test --workspace)");
        run_tests(
            Command::new("cargo")
                .args(["test", "--workspace"])
                .current_dir(root()),
        )
    })?;
    timed("wasm tests", &mut || wasm_tests(&tools))?;
    let mut dist = None;
    timed("release build", &mut || {
        dist = Some(site::build(&tools)?);
        Ok(Tally::default())
    })?;
    let dist = dist.ok_or_else(|| Error("no site was built".into()))?;
    timed("browser e2e", &mut || e2e_tests(&dist))?;

    println!("\n==> summary");
    for (name, time) in &timings {
        println!("  {name:<14} {:>8.1?}", time);
    }
    println!("  {:<14} {:>8.1?}", "total", started.elapsed());
    // The plain closing line CI reads.
    println!("tests: {} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}

/// Builds the site and runs the browser tests only.
pub fn e2e() -> Result {
    let tools = tools::ensure_all(Need::Everything)?;
    let dist = site::build(&tools)?;
    let tally = e2e_tests(&dist)?;
    println!("e2e: {} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}

/// `wasm_bindgen_test`s of the web crate in headless Chromium via chromedriver
/// (browser flags in `web/webdriver.json`).
fn wasm_tests(tools: &Tools) -> Result<Tally> {
    step("wasm tests (wasm-bindgen-test-runner, headless Chromium)");
    run_tests(
        tools
            .command("cargo")
            .args([
                "test",
                "-p",
                "drydock-web",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )
}

/// Serves `dist` on a free loopback port and runs `tests/e2e/*.test.mjs`
/// with node's test runner.
fn e2e_tests(dist: &Path) -> Result<Tally> {
    step("browser e2e (playwright-core + Chromium against the built site)");
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/", listener.local_addr()?);
    let dir = dist.to_path_buf();
    std::thread::spawn(move || serve::serve(listener, dir));
    let e2e = root().join("tests/e2e");
    let mut files: Vec<_> = std::fs::read_dir(&e2e)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error(format!("no *.test.mjs files in {}", e2e.display())));
    }
    let artifacts = root().join("test-artifacts");
    std::fs::create_dir_all(&artifacts)?;
    println!("site: {url}  artifacts: {}", artifacts.display());
    run_tests(
        Command::new("node")
            .arg("--test")
            .args(&files)
            .current_dir(&e2e)
            .env("DRYDOCK_URL", &url)
            .env("DRYDOCK_DIST", dist)
            .env("DRYDOCK_ARTIFACTS", &artifacts)
            .env("CHROMIUM", CHROMIUM),
    )
}
