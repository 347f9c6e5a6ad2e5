//! The analysis worker's side (runs in a `DedicatedWorkerGlobalScope`).
//!
//! A `File` message (or `[File, verify]`, `verify` false to skip the
//! SHA-256 digest checks) is read with `FileReaderSync` over `Blob.slice`
//! (a synchronous [`Read`], so the core's pull-based reader runs as it does
//! natively); progress goes out at most every 100 ms; the `Archive` is kept
//! so another tag of it needs no second read. Cancelling is the page's
//! business: it terminates the worker.
//!
//! Verified reads are split in two passes at once, as the CLI's threads do:
//! at start the worker starts a helper — this same script, named
//! [`DIGESTS_WORKER`] — and says it is ready once the helper is (or has
//! failed: then every read is one pass). A file goes to the helper, which
//! hashes the blobs left to it (`read_blob_digests`), while this worker
//! makes the analysis pass (`read_without_blob_digests`); when the
//! helper's digests arrive they are merged (`merge_digests`) into what one
//! verified pass gives — or, should that fail, the file is read again in
//! one pass. When the page is cross-origin isolated the helper gets a
//! ring (`super::ring`) instead of the file: this worker puts in what it
//! reads and what it inflates, the helper hashes the blobs and every diff
//! id (`read_without_digests`, `DiffIds::Digests`), so this worker hashes
//! nothing and the helper reads no file. A nested worker ends with its
//! parent, so the page's Cancel (terminate) stops both — Chromium
//! force-terminates a worker busy in a synchronous read after 2 s, then its
//! helper: both are gone within about 4 s when the helper reads the file,
//! 2 s when it only waits on the ring.

use std::cell::{Cell, RefCell};
use std::io::{self, Read};
use std::rc::Rc;

use drydock_core::AnalysisOptions;
use drydock_core::image::{
    Archive, BlobDigests, DiffIds, PendingArchive, Progress, ReadOptions, analyze_archive,
    layer_changes, merge_digests, read, read_blob_digests, read_blob_digests_with, read_with,
    read_without_blob_digests, read_without_digests,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::ring::{self, JsShared};
use super::{CHANGES_PER_LAYER, DIGESTS_WORKER, FromWorker, ToWorker, WORKER_URL};

/// The ring's writing end, shared by the file reader (the archive's bytes)
/// and the analysis pass (layers' uncompressed bytes).
type RingWriter = Rc<RefCell<ring::Writer<JsShared>>>;

/// Bytes asked of `FileReaderSync` at a time: each call costs a round trip
/// to the browser process, so larger is faster (100 MB read in 117 ms at
/// 16 MiB, 171 ms at 4 MiB, both workers reading) at 16 MiB of memory.
const CHUNK: f64 = 16.0 * 1024.0 * 1024.0;
/// The first slice: each next one doubles up to [`CHUNK`], so the digests
/// helper fed through the ring starts on the first bytes at once (a whole
/// first chunk kept it waiting ≈30–50 ms, a tenth of a 100 MB read).
const FIRST_CHUNK: f64 = 1024.0 * 1024.0;
/// Least time between two progress messages.
const PROGRESS_MS: f64 = 100.0;

thread_local! {
    static ARCHIVE: RefCell<Option<Archive>> = const { RefCell::new(None) };
    static HELPER: RefCell<Option<Helper>> = const { RefCell::new(None) };
    /// The analysis pass of a split read, waiting for the helper's digests.
    static SPLIT: RefCell<Option<Split>> = const { RefCell::new(None) };
    /// Memory besides this worker's wasm memory, at its peak: the helper's
    /// wasm memory (as it last said) and the largest ring made.
    static HELPER_MEMORY: Cell<u64> = const { Cell::new(0) };
    static RING_MEMORY: Cell<u64> = const { Cell::new(0) };
}

/// The digests helper worker and its handlers.
#[derive(Debug)]
struct Helper {
    worker: web_sys::Worker,
    state: HelperState,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HelperState {
    Starting,
    Ready,
    Failed,
}

#[derive(Debug)]
struct Split {
    pending: PendingArchive,
    blob: web_sys::Blob,
    started: f64,
    /// `FromWorker::Done`'s `digests` when the merge succeeds.
    via: &'static str,
}

/// A `Blob` as a [`Read`]: slices of up to `CHUNK` bytes read synchronously.
#[derive(Debug)]
pub struct BlobReader {
    blob: web_sys::Blob,
    reader: web_sys::FileReaderSync,
    pos: f64,
    buf: Vec<u8>,
    at: usize,
    /// The next slice's size.
    chunk: f64,
    /// Where each slice read also goes (the digests helper's ring).
    ring: Option<RingWriter>,
}

impl BlobReader {
    pub fn new(blob: web_sys::Blob) -> io::Result<BlobReader> {
        let reader = web_sys::FileReaderSync::new().map_err(js_error)?;
        Ok(BlobReader {
            blob,
            reader,
            pos: 0.0,
            // Room for the largest slice at once: growing it slice by slice
            // would leave the smaller buffers as holes in wasm memory.
            buf: Vec::with_capacity(CHUNK as usize),
            at: 0,
            chunk: FIRST_CHUNK,
            ring: None,
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
            let end = (self.pos + self.chunk).min(size);
            self.chunk = (self.chunk * 2.0).min(CHUNK);
            let slice = self
                .blob
                .slice_with_f64_and_f64(self.pos, end)
                .map_err(js_error)?;
            let bytes = self.reader.read_as_array_buffer(&slice).map_err(js_error)?;
            let array = js_sys::Uint8Array::new(&bytes);
            self.buf.resize(array.length() as usize, 0);
            array.copy_to(&mut self.buf);
            if let Some(ring) = &self.ring {
                ring.borrow_mut().raw(&self.buf);
            }
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

/// Installs the message handler; says it is ready once its digests helper
/// is (the helper itself: at once).
pub fn start() {
    if scope().name() == DIGESTS_WORKER {
        listen(hash_blobs);
        post(&FromWorker::Ready);
        return;
    }
    listen(handle);
    if !start_helper() {
        post(&FromWorker::Ready);
    }
}

fn listen(handler: fn(JsValue)) {
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            handler(e.data());
        });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

/// Starts the digests helper; `false` when the browser would not.
fn start_helper() -> bool {
    let options = web_sys::WorkerOptions::new();
    options.set_name(DIGESTS_WORKER);
    let Ok(worker) = web_sys::Worker::new_with_options(WORKER_URL, &options) else {
        return false;
    };
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| {
            from_helper(e.data());
        });
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(|e: web_sys::ErrorEvent| {
        e.prevent_default();
        helper_failed();
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    HELPER.with(|h| {
        *h.borrow_mut() = Some(Helper {
            worker,
            state: HelperState::Starting,
            _on_message: on_message,
            _on_error: on_error,
        });
    });
    true
}

/// Sets the helper's state; the one it had.
fn set_helper_state(state: HelperState) -> Option<HelperState> {
    HELPER.with(|h| {
        h.borrow_mut()
            .as_mut()
            .map(|h| std::mem::replace(&mut h.state, state))
    })
}

fn from_helper(data: JsValue) {
    let message = data
        .as_string()
        .and_then(|t| serde_json::from_str::<FromWorker>(&t).ok());
    match message {
        Some(FromWorker::Ready) => {
            if set_helper_state(HelperState::Ready) == Some(HelperState::Starting) {
                post(&FromWorker::Ready);
            }
        }
        Some(FromWorker::Digests {
            digests,
            memory_bytes,
        }) => {
            HELPER_MEMORY.with(|m| m.set(m.get().max(memory_bytes)));
            finish_split(serde_json::from_str::<BlobDigests>(&digests).ok());
        }
        _ => finish_split(None),
    }
}

/// The helper cannot work: reads are one pass from now on.
fn helper_failed() {
    if set_helper_state(HelperState::Failed) == Some(HelperState::Starting) {
        post(&FromWorker::Ready);
    }
    finish_split(None);
}

/// Whether the helper is there to take a file or a ring.
fn helper_ready() -> bool {
    HELPER.with(|h| {
        h.borrow()
            .as_ref()
            .is_some_and(|h| h.state == HelperState::Ready)
    })
}

/// Posts `message` (the file, or the ring) to the helper, if it is ready;
/// whether it was posted.
fn post_to_helper(message: &JsValue) -> bool {
    helper_ready()
        && HELPER.with(|h| {
            h.borrow()
                .as_ref()
                .is_some_and(|h| h.worker.post_message(message).is_ok())
        })
}

/// The helper's side: a `Blob` hashed (`read_blob_digests`), or the ring
/// read to its end (blobs and diff ids hashed), the digests posted back.
fn hash_blobs(data: JsValue) {
    let digests = if let Some(buffer) = data.dyn_ref::<js_sys::SharedArrayBuffer>() {
        JsShared::over(buffer.clone())
            .map(hash_ring)
            .ok_or_else(|| {
                io::Error::other("the digests worker was sent a ring too small to be one")
            })
    } else {
        data.dyn_into::<web_sys::Blob>()
            .map_err(|_| io::Error::other("the digests worker was sent something it does not know"))
            .and_then(BlobReader::new)
            .map(|reader| read_blob_digests(reader, &mut |_| true))
    };
    post(
        &match digests.and_then(|d| serde_json::to_string(&d).map_err(io::Error::other)) {
            Ok(digests) => FromWorker::Digests {
                digests,
                memory_bytes: memory_bytes(),
            },
            Err(e) => FromWorker::Failed {
                message: e.to_string(),
            },
        },
    );
}

/// The ring read to the end of what the analysis worker puts in: the
/// blobs left to the helper hashed, and every layer's diff id.
fn hash_ring(shared: JsShared) -> BlobDigests {
    let mut reader = ring::Reader::new(shared);
    let mut digests = read_blob_digests_with(&mut reader, DiffIds::Digests, &mut |_| true);
    reader.drain();
    reader.close();
    digests.diff_ids = std::mem::take(&mut reader.hashes).finish();
    digests
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
            Some(archive) => finish(archive, Some(&tag), 0.0, ""),
            None => post(&FromWorker::Failed {
                message: "no archive has been read".to_string(),
            }),
        }),
        None => post(&FromWorker::Failed {
            message: "the worker was sent something it does not know".to_string(),
        }),
    }
}

/// Reads `blob`; `verify`: hash every blob and check digests — split with
/// the helper when it is ready (through the ring when the page is
/// cross-origin isolated), else in one pass.
fn read_blob(blob: web_sys::Blob, verify: bool) {
    ARCHIVE.with(|a| *a.borrow_mut() = None);
    let started = js_sys::Date::now();
    post(&FromWorker::Progress {
        read: 0,
        total: blob.size() as u64,
    });
    // No ring (32 MiB) is made for a helper that cannot take it.
    let shared = (verify && helper_ready()).then(JsShared::create).flatten();
    if let Some(shared) = shared
        && post_to_helper(&shared.buffer.clone().into())
    {
        read_through_ring(blob, shared, started);
        return;
    }
    if verify && post_to_helper(&blob) {
        if let Some(pending) = pass(&blob, None, |r, observe| {
            read_without_blob_digests(r, observe)
        }) {
            wait_for_digests(pending, blob, started, "helper");
        }
        return;
    }
    let options = ReadOptions {
        verify_digests: verify,
    };
    if let Some(archive) = pass(&blob, None, |r, observe| read_with(r, options, observe)) {
        done(
            archive,
            &blob,
            started,
            if verify { ONE_PASS } else { "unchecked" },
        );
    }
}

/// The analysis pass of a split read whose helper hashes from the ring
/// this worker fills: the file's bytes as read, layers' bytes as inflated
/// (so the helper reads no file, and this worker hashes nothing).
fn read_through_ring(blob: web_sys::Blob, shared: JsShared, started: f64) {
    let ring_bytes = u64::from(shared.buffer.byte_length());
    RING_MEMORY.with(|m| m.set(m.get().max(ring_bytes)));
    let writer: RingWriter = Rc::new(RefCell::new(ring::Writer::new(shared)));
    let pending = pass(&blob, Some(writer.clone()), |r, observe| {
        read_without_digests(r, DiffIds::Digests, observe, &mut |layer, bytes| {
            writer.borrow_mut().layer(layer, bytes);
        })
    });
    // Should the writer have given up on the helper, the helper's digests
    // (it still reads to the end) will not merge, and the file is read
    // again in one pass: this read waits for them all the same, so the
    // helper's answer is never taken for the next file's.
    writer.borrow_mut().finish();
    if let Some(pending) = pending {
        wait_for_digests(pending, blob, started, "ring");
    }
}

/// Keeps a split read's analysis pass until the helper's digests come.
fn wait_for_digests(pending: PendingArchive, blob: web_sys::Blob, started: f64, via: &'static str) {
    SPLIT.with(|s| {
        *s.borrow_mut() = Some(Split {
            pending,
            blob,
            started,
            via,
        });
    });
}

/// The split read's end: its analysis pass merged with the helper's
/// `digests`, or (none, or not enough) the file read again in one pass.
fn finish_split(digests: Option<BlobDigests>) {
    let Some(split) = SPLIT.with(|s| s.borrow_mut().take()) else {
        return;
    };
    let merged = digests.and_then(|d| merge_digests(split.pending, &d));
    let via = if merged.is_some() {
        split.via
    } else {
        ONE_PASS
    };
    let archive = merged.or_else(|| pass(&split.blob, None, |r, observe| read(r, observe)));
    if let Some(archive) = archive {
        done(archive, &split.blob, split.started, via);
    }
}

/// Runs `read_pass` over `blob` with progress to the page (and what it
/// reads into `ring`); `None` (and the page told) when the browser cannot
/// read it.
fn pass<T>(
    blob: &web_sys::Blob,
    ring: Option<RingWriter>,
    read_pass: impl FnOnce(BlobReader, &mut dyn FnMut(Progress) -> bool) -> T,
) -> Option<T> {
    let total = blob.size() as u64;
    let reader = match BlobReader::new(blob.clone()) {
        Ok(r) => BlobReader { ring, ..r },
        Err(e) => {
            post(&FromWorker::Failed {
                message: e.to_string(),
            });
            return None;
        }
    };
    let mut last = js_sys::Date::now();
    Some(read_pass(reader, &mut |p| {
        let now = js_sys::Date::now();
        if now - last >= PROGRESS_MS {
            last = now;
            post(&FromWorker::Progress {
                read: p.bytes_read,
                total,
            });
        }
        true
    }))
}

/// `FromWorker::Done`'s `digests` for a verified read in one pass.
const ONE_PASS: &str = "one pass";

/// A read archive analysed and kept; `read_ms` counts from `started`;
/// `via`: how its digests were checked.
fn done(archive: Archive, blob: &web_sys::Blob, started: f64, via: &str) {
    let read_ms = (js_sys::Date::now() - started).max(0.001);
    post(&FromWorker::Progress {
        read: archive.progress.bytes_read,
        total: blob.size() as u64,
    });
    finish(&archive, None, read_ms, via);
    ARCHIVE.with(|a| *a.borrow_mut() = Some(archive));
}

fn finish(archive: &Archive, tag: Option<&str>, read_ms: f64, via: &str) {
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
            memory_bytes: memory_bytes()
                + HELPER_MEMORY.with(Cell::get)
                + RING_MEMORY.with(Cell::get),
            reports: reports(&analysis),
            digests: via.to_string(),
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
