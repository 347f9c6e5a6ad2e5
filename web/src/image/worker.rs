//! The analysis worker's side (runs in a `DedicatedWorkerGlobalScope`).
//!
//! A `File` message (or `[File, verify]`, `verify` false to skip the
//! SHA-256 digest checks) is read in one pass with `FileReaderSync` over
//! `Blob.slice` (a synchronous [`Read`], so the core's pull-based reader
//! runs as it does natively); progress goes out at most every 100 ms; the
//! `Archive` is kept so another tag of it needs no second read. Cancelling
//! is the page's business: it terminates the worker.

use std::cell::RefCell;
use std::io::{self, Read};

use drydock_core::AnalysisOptions;
use drydock_core::image::{Archive, ReadOptions, analyze_archive, layer_changes, read_with};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::{CHANGES_PER_LAYER, FromWorker, ToWorker};

/// Bytes asked of `FileReaderSync` at a time.
const CHUNK: f64 = 4.0 * 1024.0 * 1024.0;
/// Least time between two progress messages.
const PROGRESS_MS: f64 = 100.0;

thread_local! {
    static ARCHIVE: RefCell<Option<Archive>> = const { RefCell::new(None) };
}

/// A `Blob` as a [`Read`]: slices of `CHUNK` bytes read synchronously.
#[derive(Debug)]
pub struct BlobReader {
    blob: web_sys::Blob,
    reader: web_sys::FileReaderSync,
    pos: f64,
    buf: Vec<u8>,
    at: usize,
}

impl BlobReader {
    pub fn new(blob: web_sys::Blob) -> io::Result<BlobReader> {
        let reader = web_sys::FileReaderSync::new().map_err(js_error)?;
        Ok(BlobReader {
            blob,
            reader,
            pos: 0.0,
            buf: Vec::new(),
            at: 0,
        })
    }
}

fn js_error(e: JsValue) -> io::Error {
    io::Error::other(
        e.as_string()
            .or_else(|| {
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
            })
            .unwrap_or_else(|| "the browser could not read the file".to_string()),
    )
}

impl Read for BlobReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.at >= self.buf.len() {
            let size = self.blob.size();
            if self.pos >= size {
                return Ok(0);
            }
            let end = (self.pos + CHUNK).min(size);
            let slice = self
                .blob
                .slice_with_f64_and_f64(self.pos, end)
                .map_err(js_error)?;
            let bytes = self.reader.read_as_array_buffer(&slice).map_err(js_error)?;
            let array = js_sys::Uint8Array::new(&bytes);
            self.buf.resize(array.length() as usize, 0);
            array.copy_to(&mut self.buf);
            self.at = 0;
            self.pos = end;
            if self.buf.is_empty() {
                return Ok(0);
            }
        }
        let rest = self.buf.get(self.at..).unwrap_or_default();
        let n = rest.len().min(out.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), rest.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.at += n;
        Ok(n)
    }
}

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(message: &FromWorker) {
    if let Ok(text) = serde_json::to_string(message) {
        let _ = scope().post_message(&JsValue::from_str(&text));
    }
}

/// Installs the message handler and says it is ready.
pub fn start() {
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| {
            handle(e.data());
        });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&FromWorker::Ready);
}

fn handle(data: JsValue) {
    if let Some(blob) = data.dyn_ref::<web_sys::Blob>() {
        read_blob(blob.clone(), true);
        return;
    }
    if let Some(pair) = data.dyn_ref::<js_sys::Array>()
        && let Ok(blob) = pair.get(0).dyn_into::<web_sys::Blob>()
    {
        read_blob(blob, pair.get(1).as_bool().unwrap_or(true));
        return;
    }
    let request = data
        .as_string()
        .and_then(|t| serde_json::from_str::<ToWorker>(&t).ok());
    match request {
        Some(ToWorker { tag }) => ARCHIVE.with(|a| match a.borrow().as_ref() {
            Some(archive) => finish(archive, Some(&tag), 0.0),
            None => post(&FromWorker::Failed {
                message: "no archive has been read".to_string(),
            }),
        }),
        None => post(&FromWorker::Failed {
            message: "the worker was sent something it does not know".to_string(),
        }),
    }
}

/// Reads `blob` in one pass; `verify`: hash every blob and check digests.
fn read_blob(blob: web_sys::Blob, verify: bool) {
    ARCHIVE.with(|a| *a.borrow_mut() = None);
    let total = blob.size() as u64;
    let started = js_sys::Date::now();
    let mut last = started;
    post(&FromWorker::Progress { read: 0, total });
    let reader = match BlobReader::new(blob) {
        Ok(r) => r,
        Err(e) => {
            post(&FromWorker::Failed {
                message: e.to_string(),
            });
            return;
        }
    };
    let options = ReadOptions {
        verify_digests: verify,
    };
    let archive = read_with(reader, options, &mut |p| {
        let now = js_sys::Date::now();
        if now - last >= PROGRESS_MS {
            last = now;
            post(&FromWorker::Progress {
                read: p.bytes_read,
                total,
            });
        }
        true
    });
    let read_ms = (js_sys::Date::now() - started).max(0.001);
    post(&FromWorker::Progress {
        read: archive.progress.bytes_read,
        total,
    });
    finish(&archive, None, read_ms);
    ARCHIVE.with(|a| *a.borrow_mut() = Some(archive));
}

fn finish(archive: &Archive, tag: Option<&str>, read_ms: f64) {
    let options = AnalysisOptions {
        today: crate::browser_today(),
        trusted_registries: Vec::new(),
    };
    let analysis = analyze_archive(archive, tag, &options);
    let tree = analysis
        .selected
        .and_then(|i| analysis.images.get(i))
        .map(|image| layer_changes(archive, image, CHANGES_PER_LAYER))
        .unwrap_or_default();
    match (
        serde_json::to_string_pretty(&analysis),
        serde_json::to_string(&tree),
    ) {
        (Ok(json), Ok(tree)) => post(&FromWorker::Done {
            analysis: json,
            tree,
            read_ms,
            memory_bytes: memory_bytes(),
            reports: reports(&analysis),
        }),
        _ => post(&FromWorker::Failed {
            message: "the analysis could not be encoded".to_string(),
        }),
    }
}

/// `analysis` as SARIF, Markdown and HTML: lint's renderers over the
/// history rebuilt as a Dockerfile (`image::report_analysis`).
fn reports(analysis: &drydock_core::image::ImageAnalysis) -> super::Reports {
    use drydock_core::report::{self, FileReport};
    let view = drydock_core::image::report_analysis(analysis);
    // The HTML report shows the rebuilt history: secrets in it are redacted.
    let (shown, _) = drydock_core::share::redact_secrets(&analysis.dockerfile, &view);
    let files = [FileReport {
        path: "image",
        text: &analysis.dockerfile,
        analysis: &view,
    }];
    let shown_files = [FileReport {
        path: "image",
        text: &shown,
        analysis: &view,
    }];
    let options = report::Options {
        tool_version: env!("CARGO_PKG_VERSION"),
        docs_base: report::DOCS_BASE,
    };
    super::Reports {
        sarif: report::sarif(&files, &options),
        markdown: report::markdown(&files, &options),
        html: report::html(&shown_files, &options),
    }
}

/// This worker's wasm memory now (it only grows: the peak so far).
fn memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length()
        .into()
}
