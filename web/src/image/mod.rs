//! Image archives in the browser: the messages between the page and the
//! analysis worker, the page's view of an `ImageAnalysis` (read back from
//! the JSON the worker sends), and the file tree built from a layer's
//! changes. Pure: the page ([`crate::components::image`]) and the worker
//! ([`worker`]) do the IO.
//!
//! The page itself is a wasm of its own too (`src/bin/drydock-image-page.rs`,
//! a `data-type="worker"` link so Trunk builds it `no-modules`, unhashed
//! and not injected): the app adds [`PAGE_LOADER`] on the first visit to
//! `#/image`, which loads it; it mounts into [`PAGE_ROOT`]. So the
//! playground's first visit downloads none of it.
//!
//! The worker is a further wasm entry (`src/bin/drydock-image-worker.rs`,
//! built by Trunk as a `data-type="worker"`): it reads the `File` with
//! `FileReaderSync` over `Blob.slice`, so the core's one-pass reader runs
//! unchanged and the page never blocks. The page cancels by terminating it.
//! To verify digests without the SHA-256 on its critical path, the worker
//! starts a second instance of itself (the same script, named
//! [`DIGESTS_WORKER`]) that hashes blobs over its own `FileReaderSync` —
//! or, when the page is cross-origin isolated, from a shared-memory ring
//! the first fills (`ring`: the file's bytes and the layers' inflated
//! bytes, so it also hashes the diff ids); terminating the first ends the
//! second (a nested worker dies with its parent).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod ring;
pub mod worker;

/// The worker's script (Trunk's loader shim for the worker bin), relative
/// to the page.
pub const WORKER_URL: &str = "./drydock-image-worker_loader.js";
/// The name the analysis worker gives the worker it starts to hash blobs
/// (`DedicatedWorkerGlobalScope.name`: the same script, another role).
pub const DIGESTS_WORKER: &str = "drydock-digests";
/// The script that loads the page's wasm (`public/image-page.js`).
pub const PAGE_LOADER: &str = "./image-page.js";
/// The element the page mounts into.
pub const PAGE_ROOT: &str = "image-root";
/// Changes listed per layer at most (the counts stay whole).
pub const CHANGES_PER_LAYER: usize = 20_000;
/// Tree nodes rendered before a "Show more" button.
pub const TREE_PAGE: usize = 400;

/// What the worker says (as JSON text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum FromWorker {
    /// Loaded and listening.
    Ready,
    /// Bytes read so far of `total`.
    Progress { read: u64, total: u64 },
    /// `analysis`: the `ImageAnalysis` as JSON (also what "Download JSON"
    /// saves); `tree`: the per-layer changes as JSON; `read_ms`: how long
    /// the read took (0 when only another tag was analysed).
    /// `memory_bytes`: the workers' memory afterwards — this worker's and
    /// its digests helper's wasm memories (they never shrink, so the peak)
    /// and the shared ring, if one was made.
    Done {
        analysis: String,
        tree: String,
        read_ms: f64,
        #[serde(default)]
        memory_bytes: u64,
        /// The same analysis as SARIF, Markdown and HTML (the CLI's
        /// `drydock image --format …`), for the download buttons.
        #[serde(default)]
        reports: Reports,
        /// How digests were checked: `unchecked`, `one pass`, `helper` (a
        /// second worker reading the file) or `ring` (a second worker fed
        /// through shared memory).
        #[serde(default)]
        digests: String,
    },
    /// The worker could not do what it was asked.
    Failed { message: String },
    /// The digests helper's answer to the analysis worker (never sent to
    /// the page): `drydock_core::image::BlobDigests` as JSON.
    Digests {
        digests: String,
        /// The helper's wasm memory.
        #[serde(default)]
        memory_bytes: u64,
    },
}

/// An image analysis rendered by the report renderers the CLI uses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reports {
    pub sarif: String,
    pub markdown: String,
    pub html: String,
}

/// What the page asks besides reading a file (a file is posted as
/// `[File, verify]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToWorker {
    /// Analyse the image with this tag of the archive already read.
    pub tag: String,
}

/// The page's view of `drydock_core::image::ImageAnalysis` (unknown fields
/// ignored).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Analysis {
    pub format: Option<String>,
    pub archive_compression: Option<String>,
    pub images: Vec<ImageRow>,
    pub selected: Option<usize>,
    pub os: Option<OsRow>,
    pub architecture: Option<String>,
    pub layers: Vec<LayerRow>,
    pub efficiency: f64,
    pub size_bytes: u64,
    pub user_size_bytes: u64,
    pub wasted_bytes: u64,
    pub user_wasted_percent: Option<f64>,
    pub reclaimable_bytes: u64,
    pub top_wasted: Vec<WastedRow>,
    pub packages: Vec<PackageRow>,
    pub findings: Vec<FindingRow>,
    pub score: u8,
    pub grade: String,
    pub errors: Vec<String>,
    pub bytes_read: u64,
    pub cancelled: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ImageRow {
    pub tags: Vec<String>,
    pub platform: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct OsRow {
    pub id: String,
    pub version_id: Option<String>,
    pub pretty_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct LayerRow {
    pub digest: String,
    pub size_bytes: u64,
    pub compressed_bytes: u64,
    pub files: u64,
    pub created_by: Option<String>,
    pub compression: Option<String>,
    pub missing: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct WastedRow {
    pub path: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct PackageRow {
    pub name: String,
    pub version: String,
    pub arch: Option<String>,
    pub kind: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct FindingRow {
    pub rule: String,
    pub severity: String,
    pub message: String,
    pub source: String,
    pub layer: Option<usize>,
    pub path: Option<String>,
}

/// One layer's changes (`drydock_core::image::LayerChanges`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Changes {
    pub changes: Vec<Change>,
    pub added: u64,
    pub modified: u64,
    pub removed: u64,
    pub truncated: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Change {
    pub path: String,
    pub kind: String,
    pub size: u64,
    pub dir: bool,
}

impl Analysis {
    /// The `os` line: pretty name, else id and version.
    pub fn os_label(&self) -> String {
        match &self.os {
            Some(OsRow {
                pretty_name: Some(p),
                ..
            }) => p.clone(),
            Some(o) => format!("{} {}", o.id, o.version_id.clone().unwrap_or_default())
                .trim()
                .to_string(),
            None => "unknown".to_string(),
        }
    }

    /// One label per image of the archive, for the tag picker.
    pub fn image_labels(&self) -> Vec<String> {
        self.images
            .iter()
            .enumerate()
            .map(|(i, im)| match im.tags.first() {
                Some(t) => t.clone(),
                None => format!("image {} (untagged)", i + 1),
            })
            .collect()
    }
}

/// A directory or file of a layer's tree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node {
    pub name: String,
    /// `added`, `modified`, `removed`; `None` for a directory only implied
    /// by the paths below it.
    pub kind: Option<String>,
    /// Its own size plus everything below.
    pub size: u64,
    pub dir: bool,
    pub children: BTreeMap<String, Node>,
}

impl Node {
    /// Nodes in the tree, this one included.
    pub fn count(&self) -> usize {
        1 + self.children.values().map(Node::count).sum::<usize>()
    }
}

/// The tree of one layer's changes (the root is `/`).
pub fn tree(changes: &[Change]) -> Node {
    let mut root = Node {
        name: "/".to_string(),
        dir: true,
        ..Node::default()
    };
    for c in changes {
        let mut at = &mut root;
        at.size = at.size.saturating_add(c.size);
        let parts: Vec<&str> = c.path.split('/').filter(|p| !p.is_empty()).collect();
        for (i, part) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            at = at
                .children
                .entry((*part).to_string())
                .or_insert_with(|| Node {
                    name: (*part).to_string(),
                    dir: !last,
                    ..Node::default()
                });
            at.size = at.size.saturating_add(c.size);
            if last {
                at.kind = Some(c.kind.clone());
                at.dir |= c.dir;
            }
        }
    }
    root
}

/// `1234567` → `1.2 MB` (decimal units, like the CLI).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1000.0;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS.get(unit).copied().unwrap_or("TB"))
}

/// The progress line: `12.3 MB of 50.0 MB · 210 MB/s`.
pub fn progress_text(read: u64, total: u64, elapsed_ms: f64) -> String {
    let mut s = format!("{} of {}", bytes(read), bytes(total));
    if elapsed_ms > 0.0 {
        s.push_str(&format!(" · {}", speed(read, elapsed_ms)));
    }
    s
}

/// Megabytes (10⁶ bytes) per second.
pub fn speed(read: u64, elapsed_ms: f64) -> String {
    if elapsed_ms <= 0.0 {
        return "– MB/s".to_string();
    }
    format!("{:.0} MB/s", read as f64 / 1e6 / (elapsed_ms / 1000.0))
}

/// `sha256:abcdef…` → `abcdef123456`.
pub fn short_digest(d: &str) -> String {
    let hex = d.split_once(':').map_or(d, |(_, h)| h);
    hex.chars().take(12).collect()
}

/// Packages whose name, version or kind contains `filter` (any case).
pub fn filter_packages<'a>(packages: &'a [PackageRow], filter: &str) -> Vec<&'a PackageRow> {
    let f = filter.trim().to_lowercase();
    packages
        .iter()
        .filter(|p| {
            f.is_empty()
                || p.name.to_lowercase().contains(&f)
                || p.version.to_lowercase().contains(&f)
                || p.kind.to_lowercase().contains(&f)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn messages_round_trip() {
        for m in [
            FromWorker::Ready,
            FromWorker::Progress { read: 5, total: 9 },
            FromWorker::Done {
                analysis: "{}".into(),
                tree: "[]".into(),
                read_ms: 1.5,
                memory_bytes: 7 << 20,
                reports: Reports {
                    sarif: "{}".into(),
                    markdown: "## drydock report".into(),
                    html: "<!doctype html>".into(),
                },
                digests: "ring".into(),
            },
            FromWorker::Digests {
                digests: "{\"entries\":[]}".into(),
                memory_bytes: 3 << 20,
            },
        ] {
            let text = serde_json::to_string(&m).unwrap();
            assert_eq!(serde_json::from_str::<FromWorker>(&text).unwrap(), m);
        }
    }

    #[test]
    fn trees_sum_sizes_and_imply_directories() {
        let c = |path: &str, kind: &str, size| Change {
            path: path.into(),
            kind: kind.into(),
            size,
            dir: false,
        };
        let t = tree(&[
            c("/a/b", "added", 5),
            c("/a/c", "modified", 7),
            c("/x", "removed", 0),
        ]);
        assert_eq!(t.size, 12);
        let a = t.children.get("a").unwrap();
        assert!(a.dir && a.kind.is_none());
        assert_eq!(a.size, 12);
        assert_eq!(
            a.children.get("c").unwrap().kind.as_deref(),
            Some("modified")
        );
        assert_eq!(t.count(), 5);
    }

    #[test]
    fn figures_read_well() {
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(6_061_858), "6.1 MB");
        assert_eq!(
            progress_text(50_000_000, 100_000_000, 500.0),
            "50.0 MB of 100.0 MB · 100 MB/s"
        );
        assert_eq!(short_digest("sha256:0123456789abcdef"), "0123456789ab");
    }
}
