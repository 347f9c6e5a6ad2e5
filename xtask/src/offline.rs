//! After Trunk: what makes the built site strict and offline.
//!
//! 1. The Content-Security-Policy `<meta>` in `dist/index.html` gets a
//!    `'sha256-…'` source for each inline script Trunk wrote (its wasm
//!    loader), so `script-src` needs no `'unsafe-inline'`.
//! 2. `dist/sw.js`, the service worker, from the template `sw.js` beside this
//!    file: the precache list is every file in `dist/`, and the cache name
//!    carries a hash of all of them, so each build that changes a byte is a new
//!    version the page offers to load.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::{Error, Result};

const SW_TEMPLATE: &str = include_str!("sw.js");
/// The name the CSP meta is found by.
const CSP_META: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";

/// Rewrites `dist/index.html` and writes `dist/sw.js`. Returns the policy.
pub fn post_build(dist: &Path) -> Result<String> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index)?;
    let (html, policy) = hash_inline_scripts(&html)?;
    std::fs::write(&index, html)?;
    let sw = service_worker(dist)?;
    std::fs::write(dist.join("sw.js"), sw)?;
    Ok(policy)
}

/// Adds the hash of every inline `<script>` to the policy's `script-src`.
/// Fails when the page has no policy, or a policy without `script-src`.
pub fn hash_inline_scripts(html: &str) -> Result<(String, String)> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        let after = rest.get(open..).unwrap_or_default();
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = after.get(..tag_end).unwrap_or_default();
        let body_and_more = after.get(tag_end + 1..).unwrap_or_default();
        let Some(close) = body_and_more.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            let body = body_and_more.get(..close).unwrap_or_default();
            hashes.push(format!(
                "'sha256-{}'",
                base64(&Sha256::digest(body.as_bytes()))
            ));
        }
        rest = body_and_more.get(close..).unwrap_or_default();
    }
    let start = html
        .find(CSP_META)
        .map(|i| i + CSP_META.len())
        .ok_or_else(|| Error("dist/index.html has no Content-Security-Policy meta".into()))?;
    let len = html
        .get(start..)
        .and_then(|s| s.find('"'))
        .ok_or_else(|| Error("the Content-Security-Policy meta is not closed".into()))?;
    let policy = html.get(start..start + len).unwrap_or_default();
    let mut directives: Vec<String> = policy
        .split(';')
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty())
        .collect();
    let script = directives
        .iter_mut()
        .find(|d| d.starts_with("script-src "))
        .ok_or_else(|| Error("the Content-Security-Policy has no script-src".into()))?;
    for hash in hashes {
        if !script.contains(&hash) {
            script.push(' ');
            script.push_str(&hash);
        }
    }
    let policy = directives.join("; ");
    let html = format!(
        "{}{policy}{}",
        html.get(..start).unwrap_or_default(),
        html.get(start + len..).unwrap_or_default()
    );
    Ok((html, policy))
}

/// The policy in `index.html`'s meta, if it has one (the server sends it as a
/// header too).
pub fn policy_of(html: &str) -> Option<&str> {
    let start = html.find(CSP_META)? + CSP_META.len();
    let len = html.get(start..)?.find('"')?;
    html.get(start..start + len)
}

/// `sw.js` for the files now in `dist` (sub-folders included, `sw.js` itself
/// left out).
pub fn service_worker(dist: &Path) -> Result<String> {
    let mut files = Vec::new();
    collect(dist, dist, &mut files)?;
    files.retain(|(url, _)| url != "/sw.js");
    files.sort();
    let mut hasher = Sha256::new();
    for (url, bytes) in &files {
        hasher.update(url.as_bytes());
        hasher.update([0]);
        hasher.update(bytes);
        hasher.update([0]);
    }
    let version: String = hasher
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let list = files
        .iter()
        .map(|(url, _)| format!("  '{url}',"))
        .collect::<Vec<_>>()
        .join("\n");
    Ok(SW_TEMPLATE
        .replace("__VERSION__", &version)
        .replace("'__PRECACHE__'", &format!("[\n{list}\n]")))
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> Result {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
            continue;
        }
        let relative = path.strip_prefix(root).map_err(|e| Error(e.to_string()))?;
        let url = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if url.contains(['\'', '\\', '\n']) {
            return Err(Error(format!("cannot precache a file named {url:?}")));
        }
        out.push((format!("/{url}"), std::fs::read(&path)?));
    }
    Ok(())
}

/// Standard base64 with padding (what CSP hashes are written in).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sym = |i: u32| char::from(ALPHABET.get((i & 63) as usize).copied().unwrap_or(b'='));
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        out.push(if chunk.len() > 1 { sym(n >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { sym(n) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }

    #[test]
    fn inline_scripts_are_hashed_into_script_src() {
        let html = "<head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
                    script-src 'self' 'wasm-unsafe-eval'; style-src 'self'\" />\
                    <script src=\"/x.js\"></script><script type=\"module\">alert(1)</script></head>";
        let (out, policy) = hash_inline_scripts(html).unwrap();
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        let hash = "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='";
        assert_eq!(
            policy,
            format!(
                "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {hash}; style-src 'self'"
            )
        );
        assert_eq!(policy_of(&out), Some(policy.as_str()));
        // Idempotent: a second pass adds nothing.
        let (again, _) = hash_inline_scripts(&out).unwrap();
        assert_eq!(again, out);
        assert!(hash_inline_scripts("<script>x</script>").is_err());
    }

    #[test]
    fn the_service_worker_precaches_every_file_and_versions_by_content() {
        let dir = std::env::temp_dir().join(format!("xtask-sw-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("index.html"), "<p>hi</p>").unwrap();
        std::fs::write(dir.join("sub/a.wasm"), "\0asm").unwrap();
        std::fs::write(dir.join("sw.js"), "old").unwrap();
        let first = service_worker(&dir).unwrap();
        assert!(
            first.contains("'/index.html',\n  '/sub/a.wasm',"),
            "{first}"
        );
        assert!(!first.contains("'/sw.js'") && !first.contains("__"));
        std::fs::write(dir.join("sub/a.wasm"), "\0asm2").unwrap();
        let second = service_worker(&dir).unwrap();
        let cache = |s: &str| {
            s.lines()
                .find(|l| l.starts_with("const CACHE"))
                .unwrap()
                .to_string()
        };
        assert_ne!(cache(&first), cache(&second));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
