//! Installs what the build and tests need, skipping what is already there at
//! the right version. Nothing is downloaded outside the package registries:
//!
//! | tool | from | why pinned |
//! |---|---|---|
//! | wasm32 target | rustup | |
//! | trunk 0.21.14 | crates.io, `--locked` | 0.22 needs Rust 1.96; without `--locked` a newer cssparser breaks lightningcss |
//! | wasm-bindgen-cli = Cargo.lock's wasm-bindgen | crates.io, not `--locked` | must match the library exactly; its lockfile wants a crate the registry lacks |
//! | wasm-opt 132 | npm `binaryen` (`xtask/tools`) | Debian's binaryen 108 silently breaks the wasm |
//! | chromium, chromedriver | Debian (`apt-get`, as root) | tests drive the system browser |
//! | playwright-core | npm (`tests/e2e`) | no browser download |

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run::{probe, run, step};
use crate::{Error, Result, root};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// What a command needs installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The release site: target, trunk, wasm-bindgen, wasm-opt.
    Build,
    /// Also the browser and the e2e packages.
    Everything,
}

/// Paths of the tools, once present.
#[derive(Debug, Clone)]
pub struct Tools {
    /// `PATH` with the npm tool folder and cargo's bin folder first.
    pub path: String,
}

impl Tools {
    /// A command whose `PATH` finds the pinned tools first.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path).current_dir(root());
        cmd
    }
}

pub fn ensure_all(need: Need) -> Result<Tools> {
    step("checking tools (installing only what is missing)");
    let tools = Tools {
        path: search_path(),
    };
    ensure_wasm_target()?;
    let bindgen = locked_version("wasm-bindgen")?;
    ensure_cargo_tool(&tools, "trunk", "trunk", TRUNK_VERSION, true)?;
    ensure_cargo_tool(&tools, "wasm-bindgen", "wasm-bindgen-cli", &bindgen, false)?;
    ensure_npm(&root().join("xtask/tools"))?;
    let wasm_opt = probe(tools.command("wasm-opt").arg("--version")).unwrap_or_default();
    if !wasm_opt.starts_with("wasm-opt version 132") {
        return Err(Error(format!(
            "wasm-opt on PATH is `{wasm_opt}`, expected version 132 from xtask/tools/node_modules"
        )));
    }
    println!("ok: {wasm_opt}");
    if need == Need::Everything {
        ensure_browser()?;
        ensure_npm(&root().join("tests/e2e"))?;
    }
    Ok(tools)
}

/// `xtask/tools/node_modules/.bin`, then cargo's bin folder, then `$PATH`.
fn search_path() -> String {
    let mut dirs = vec![root().join("xtask/tools/node_modules/.bin"), cargo_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

fn ensure_wasm_target() -> Result {
    let installed =
        probe(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        println!("ok: rust target {WASM_TARGET}");
        return Ok(());
    }
    println!("installing: rust target {WASM_TARGET}");
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// The version of `package` in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{package}\"")
            && let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    Err(Error(format!("{package} is not in Cargo.lock")))
}

fn ensure_cargo_tool(tools: &Tools, bin: &str, krate: &str, version: &str, locked: bool) -> Result {
    let found = probe(tools.command(bin).arg("--version")).unwrap_or_default();
    // `trunk 0.21.14`, `wasm-bindgen 0.2.130`
    if found.split_whitespace().nth(1) == Some(version) {
        println!("ok: {found}");
        return Ok(());
    }
    let was = if found.is_empty() {
        "not installed".to_string()
    } else {
        format!("found `{found}`")
    };
    println!("installing: {krate} {version} with cargo ({was}; this takes a few minutes once)");
    let mut cmd = Command::new("cargo");
    cmd.args(["install", krate, "--version", &format!("={version}")]);
    if locked {
        cmd.arg("--locked");
    }
    run(&mut cmd)
}

/// `npm ci` in `dir` unless its node_modules already match the lockfile.
fn ensure_npm(dir: &Path) -> Result {
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let name = dir
        .strip_prefix(root())
        .unwrap_or(dir)
        .display()
        .to_string();
    if let (Some(l), Some(i)) = (modified(&lock), modified(&installed))
        && i >= l
    {
        println!("ok: npm packages in {name}");
        return Ok(());
    }
    println!("installing: npm packages in {name} (npm ci)");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir))
}

fn ensure_browser() -> Result {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        let version = probe(Command::new(CHROMIUM).arg("--version")).unwrap_or_default();
        println!("ok: {version} and chromedriver");
        return Ok(());
    }
    let uid = probe(Command::new("id").arg("-u")).unwrap_or_default();
    if uid != "0" {
        return Err(Error(format!(
            "the browser tests need Debian's Chromium and ChromeDriver ({CHROMIUM}, {CHROMEDRIVER}).\n\
             Install them as root:  apt-get update && apt-get install -y chromium chromium-driver"
        )));
    }
    println!("installing: chromium and chromium-driver with apt-get (about 2 minutes)");
    run(Command::new("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}
