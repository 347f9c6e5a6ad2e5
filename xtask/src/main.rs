//! drydock's automation: `cargo xtask <command>`.
//!
//! - `serve [--port N]`: install what is missing, build the release site, serve it on 127.0.0.1.
//! - `test`: everything CI runs: fmt, clippy, native tests, wasm tests, release build, e2e.
//! - `setup`: install what is missing, nothing else.
//! - `build`: the release site into `dist/`.
//! - `e2e`: build the site and run the browser tests only.
//! - `bench-lint`: lint the corpus in one process; compare with hadolint.
//! - `bench-image`: read image archives in headless Chromium; MB/s per read.
//!
//! Nothing here downloads a binary: tools come from crates.io, npm and Debian's
//! packages (see `tools.rs`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;
mod offline;
mod run;
mod serve;
mod site;
mod tasks;
mod tools;

const USAGE: &str = "\
cargo xtask <command>

  serve [--port N]   install missing tools, build the release site, serve it on
                     http://127.0.0.1:8080 (or N, or $DRYDOCK_PORT)
  test               fmt, clippy, native tests, wasm tests, release build, browser e2e
  setup              install missing tools only
  build              build the release site into dist/
  e2e                build the site and run the browser tests only
  bench-lint [--corpus DIR] [--hadolint-sample N|all]
                     lint the corpus in one process, compare with hadolint
  bench-image [--rounds N] [--json FILE] [ARCHIVE...]
                     read archives on the Image page in headless Chromium, N
                     rounds each (8), digests verified and unchecked; MB/s
                     (without archives: the e2e speed test's three)
";

/// An error that ends the command with a message.
#[derive(Debug)]
pub struct Error(pub String);

impl<E: std::fmt::Display> From<E> for Error {
    fn from(e: E) -> Self {
        Error(e.to_string())
    }
}

pub type Result<T = ()> = std::result::Result<T, Error>;

/// The workspace root (the folder above `xtask/`).
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => tasks::serve(args.get(1..).unwrap_or_default()),
        Some("test") => tasks::test(),
        Some("setup") => tools::ensure_all(tools::Need::Everything).map(|_| ()),
        Some("build") => {
            tools::ensure_all(tools::Need::Build).and_then(|t| site::build(&t).map(|_| ()))
        }
        Some("e2e") => tasks::e2e(),
        Some("bench-lint") => bench::bench_lint(args.get(1..).unwrap_or_default()),
        Some("bench-image") => bench::bench_image(args.get(1..).unwrap_or_default()),
        None | Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(Error(format!("unknown command `{other}`\n\n{USAGE}"))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error(message)) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}
