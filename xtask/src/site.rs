//! The release site: `trunk build --release --offline` into `dist/`, then
//! the post-build steps of `offline.rs` (CSP hashes, service worker).

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use crate::run::{run, step};
use crate::tools::Tools;
use crate::{Error, Result, root};

/// Builds the site, hashes its inline scripts into the CSP, writes the
/// service worker, and prints the sizes raw and gzipped. Returns `dist/`.
pub fn build(tools: &Tools) -> Result<PathBuf> {
    step("building the release site (trunk build --release --offline)");
    // Trunk passes --offline to cargo: every crate must already be fetched.
    run(Command::new("cargo").arg("fetch").current_dir(root()))?;
    run(tools
        .command("trunk")
        .args(["build", "--release", "--offline"]))?;
    let dist = root().join("dist");
    step("post-build: CSP hashes for inline scripts, service worker (dist/sw.js)");
    let policy = crate::offline::post_build(&dist)?;
    println!("  Content-Security-Policy: {policy}");
    report_sizes(&dist)?;
    Ok(dist)
}

fn report_sizes(dist: &std::path::Path) -> Result {
    let mut total = (0usize, 0usize);
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if !matches!(ext, "wasm" | "js" | "css" | "html" | "svg" | "webmanifest") {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let gz = gzip_len(&bytes)?;
        total = (total.0 + bytes.len(), total.1 + gz);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        println!("  {name:<48} {:>9} B raw {:>9} B gzip", bytes.len(), gz);
    }
    if total.0 == 0 {
        return Err(Error(format!(
            "{} holds no site after the build",
            dist.display()
        )));
    }
    println!(
        "  {:<48} {:>9} B raw {:>9} B gzip",
        "total", total.0, total.1
    );
    Ok(())
}

pub fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}
