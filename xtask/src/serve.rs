//! A small static file server for `dist/`: GET and HEAD, the right content
//! types (`.wasm` must be `application/wasm`), nothing outside the folder.
//! Every response carries the Content-Security-Policy of `index.html`'s meta.
//! No `frame-ancestors` limit: the `#/embed/…` route exists to be framed by
//! other sites' docs pages, and the app holds no session or credentials a
//! framing page could abuse.
//! Every response also makes the page cross-origin isolated
//! ([`ISOLATION`]): the image worker and its digests helper then share a
//! `SharedArrayBuffer` ring (see `web/src/image/ring.rs`). The service
//! worker adds the same headers to what it serves, for hosts that send
//! none.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

use crate::Result;

/// Cross-origin isolation: the site loads nothing from other origins, so
/// `require-corp` costs nothing; it is framed (`#/embed/…`), never opened
/// as a popup, so `same-origin` breaks nothing either.
const ISOLATION: [(&str, &str); 2] = [
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Embedder-Policy", "require-corp"),
];

/// The policy sent when `index.html` has none of its own.
const FALLBACK_POLICY: &str = "default-src 'none'";

/// Serves `dir` on `listener` until the process ends, a thread per connection.
pub fn serve(listener: TcpListener, dir: PathBuf) {
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap_or_default();
    let policy: std::sync::Arc<str> = crate::offline::policy_of(&html)
        .unwrap_or(FALLBACK_POLICY)
        .into();
    for stream in listener.incoming().flatten() {
        let dir = dir.clone();
        let policy = policy.clone();
        std::thread::spawn(move || {
            let _ = handle(stream, &dir, &policy);
        });
    }
}

fn handle(stream: TcpStream, dir: &Path, policy: &str) -> Result {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    // Drain the headers; bodies are not accepted.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut parts = request.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or("/");
    let mut stream = Response {
        stream,
        policy: policy.to_string(),
    };
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"method not allowed\n",
            true,
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    match resolve(dir, path).and_then(|file| Some((std::fs::read(&file).ok()?, file))) {
        Some((body, file)) => respond(
            &mut stream,
            "200 OK",
            content_type(&file),
            &body,
            method == "GET",
        ),
        None => respond(
            &mut stream,
            "404 Not Found",
            "text/plain",
            b"not found\n",
            method == "GET",
        ),
    }
}

/// The file under `dir` that `url_path` names, refusing `..` and the like.
fn resolve(dir: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut file = dir.join(relative);
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(file: &Path) -> &'static str {
    match file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A connection and the policy its responses carry.
struct Response {
    stream: TcpStream,
    policy: String,
}

fn respond(
    response: &mut Response,
    status: &str,
    kind: &str,
    body: &[u8],
    with_body: bool,
) -> Result {
    let isolation: String = ISOLATION
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n\
         Content-Security-Policy: {}\r\nReferrer-Policy: no-referrer\r\n{isolation}\
         Connection: close\r\n\r\n",
        body.len(),
        response.policy
    );
    let stream = &mut response.stream;
    stream.write_all(head.as_bytes())?;
    if with_body {
        stream.write_all(body)?;
    }
    Ok(stream.flush()?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::io::Read;

    fn get(addr: std::net::SocketAddr, path: &str) -> String {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn serves_files_with_types_and_refuses_escapes() {
        let dir = std::env::temp_dir().join(format!("xtask-serve-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("index.html"), "<p>hi</p>").unwrap();
        std::fs::write(dir.join("sub/app.wasm"), "\0asm").unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let root = dir.clone();
        std::thread::spawn(move || serve(listener, root));

        let index = get(addr, "/");
        assert!(index.starts_with("HTTP/1.1 200 OK"), "{index}");
        assert!(index.contains("text/html") && index.ends_with("<p>hi</p>"));
        assert!(
            index.contains("Content-Security-Policy: default-src 'none'\r\n"),
            "{index}"
        );
        for header in [
            "Cross-Origin-Opener-Policy: same-origin\r\n",
            "Cross-Origin-Embedder-Policy: require-corp\r\n",
        ] {
            assert!(index.contains(header), "{index}");
        }
        let wasm = get(addr, "/sub/app%2Ewasm?v=1");
        assert!(wasm.contains("Content-Type: application/wasm"), "{wasm}");
        for bad in [
            "/../Cargo.toml",
            "/sub/../../x",
            "/%2e%2e/x",
            "/missing",
            "/%zz",
        ] {
            assert!(get(addr, bad).starts_with("HTTP/1.1 404"), "{bad}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
