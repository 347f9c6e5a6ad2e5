//! The one pass over the archive: outer tar entries in whatever order they
//! come, each blob hashed; layers summarized into fixed-size records; small
//! JSON files and the few small files the analysis needs kept. Nothing is
//! assembled here — that waits for the end, when `manifest.json` or
//! `index.json` has been seen ([`super::layout`]).

use std::collections::HashMap;
use std::io::{self, Cursor, Read};

use super::paths::{NodeId, PathTable, clean};
use super::stream::{self, Compression, Counted, Hashed, Progress};
use super::tar::{Kind, TarReader, looks_like_tar};
use crate::secrets::{Confidence, SecretKind, scan_text};
use sha2::{Digest, Sha256};

/// Largest JSON file (manifest, index, config) kept.
pub const MAX_JSON: u64 = 8 << 20;
/// Largest total of JSON kept.
const MAX_JSON_TOTAL: u64 = 64 << 20;
/// Largest package database (dpkg status, apk installed) kept.
const MAX_DB: u64 = 32 << 20;
/// Largest other captured file (os-release, passwd, group, shadow).
const MAX_SMALL: u64 = 1 << 20;
/// Largest total captured in one layer.
const MAX_CAPTURED_PER_LAYER: u64 = 64 << 20;
/// Files up to this size are sniffed for secrets.
const MAX_SNIFF: u64 = 64 << 10;

/// Record flags.
pub mod flag {
    pub const DIR: u16 = 1;
    pub const WHITEOUT: u16 = 1 << 1;
    pub const OPAQUE: u16 = 1 << 2;
    pub const REGULAR: u16 = 1 << 3;
    pub const SYMLINK: u16 = 1 << 4;
    pub const HARDLINK: u16 = 1 << 5;
    pub const SETUID: u16 = 1 << 6;
    pub const SETGID: u16 = 1 << 7;
    pub const WORLD_WRITABLE: u16 = 1 << 8;
    pub const STICKY: u16 = 1 << 9;
}

/// One layer entry: 16 bytes, whatever its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// For a whiteout, the path it deletes; for an opaque marker, its directory.
    pub node: NodeId,
    pub flags: u16,
    /// The tar header's size (what dive sums).
    pub size: u64,
}

/// A secret found by sniffing a small file's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SniffedSecret {
    pub node: NodeId,
    pub kind: SecretKind,
    pub redacted: String,
}

/// What one pass keeps of a layer blob.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayerSummary {
    pub compression: Option<Compression>,
    /// Bytes of the blob as stored in the archive.
    pub compressed_bytes: u64,
    /// Σ tar header sizes (dive's layer size).
    pub size_bytes: u64,
    /// Entries that are not directories, whiteouts or opaque markers.
    pub files: u64,
    /// `sha256:` of the blob as stored.
    pub digest: String,
    /// `sha256:` of the uncompressed tar (the config's `diff_ids`).
    pub diff_id: String,
    pub records: Vec<Record>,
    /// Small files kept for the analysis: (path, content).
    pub captured: Vec<(NodeId, Vec<u8>)>,
    pub secrets: Vec<SniffedSecret>,
    pub error: Option<String>,
}

/// Everything one pass over an archive keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Archive {
    /// The whole archive's compression (`docker save | gzip`).
    pub compression: Option<Compression>,
    pub paths: PathTable,
    pub layers: Vec<LayerSummary>,
    /// Outer path → index in `layers`.
    pub layer_at: HashMap<String, usize>,
    /// Small JSON files by outer path.
    pub json: HashMap<String, Vec<u8>>,
    /// Outer path → `sha256:` of its bytes, for complete regular entries.
    pub digests: HashMap<String, String>,
    /// Outer links: path → target path (cleaned, from the archive's root).
    pub links: HashMap<String, String>,
    pub errors: Vec<String>,
    pub progress: Progress,
    pub cancelled: bool,
    /// Whether blobs were hashed and checked against their digests.
    pub verified: bool,
}

/// How to read an archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Hash every blob (SHA-256) and check it against the digest its name,
    /// the manifest or the config gives. On by default; off reads about
    /// twice as fast, for archives whose origin is trusted.
    pub verify_digests: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            verify_digests: true,
        }
    }
}

impl Archive {
    /// The regular entry `path` leads to, through up to 8 links.
    pub fn resolve(&self, path: &str) -> String {
        let mut at = join_clean("", path);
        for _ in 0..8 {
            match self.links.get(&at) {
                Some(next) => at = next.clone(),
                None => break,
            }
        }
        at
    }
}

/// `base/rel` cleaned, as an archive path without a leading `/`.
fn join_clean(base: &str, rel: &str) -> String {
    let joined = if rel.starts_with('/') || base.is_empty() {
        rel.to_string()
    } else {
        format!("{base}/{rel}")
    };
    let parts = clean(joined.as_bytes());
    let parts: Vec<String> = parts
        .iter()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    parts.join("/")
}

fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| path.get(..i).unwrap_or(""))
}

/// Reads an archive in one pass, digests verified. `observe` hears about
/// progress every megabyte and cancels by returning `false`.
pub fn read(reader: impl Read, observe: &mut dyn FnMut(Progress) -> bool) -> Archive {
    read_with(reader, ReadOptions::default(), observe)
}

/// [`read`] with options.
pub fn read_with(
    reader: impl Read,
    options: ReadOptions,
    observe: &mut dyn FnMut(Progress) -> bool,
) -> Archive {
    let hashing = if options.verify_digests {
        Hashing::All
    } else {
        Hashing::Off
    };
    read_pass(reader, hashing, None, observe).archive
}

/// Which SHA-256s a pass computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hashing {
    /// None: digests unchecked.
    Off,
    /// Every blob as stored, and the uncompressed stream of compressed layers.
    All,
    /// The blobs that [`Balance`] gives this pass, and the uncompressed
    /// stream of compressed layers unless the digest side hashes those
    /// ([`DiffIds`]); the other digests come from [`read_blob_digests`],
    /// merged by [`merge_digests`].
    Split(DiffIds),
}

/// In a split read, which side hashes compressed layers' uncompressed
/// bytes (their diff ids). Both sides must be told the same: it changes
/// who the split gives each blob to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiffIds {
    /// The analysis pass, which inflates them ([`read_without_blob_digests`];
    /// the CLI's two threads).
    #[default]
    Analysis,
    /// The digest side: the analysis pass hands each layer's uncompressed
    /// bytes out as it inflates them ([`read_without_digests`]) and the
    /// caller hashes them beside the blobs ([`DiffIdHashes`]) — the
    /// browser's two workers, joined by a shared ring buffer through which
    /// the analysis worker also hands on the file's bytes (it alone reads
    /// the file).
    Digests,
    /// As [`DiffIds::Digests`], but each side reads the file itself — the
    /// CLI's two threads, for which reading costs little.
    DigestsBothRead,
}

/// Compressed layers' uncompressed bytes as the analysis pass hands them
/// out, hashed by layer (the digest side of [`DiffIds::Digests`]).
#[derive(Debug, Default)]
pub struct DiffIdHashes {
    layers: std::collections::BTreeMap<usize, Sha256>,
}

impl DiffIdHashes {
    /// `bytes` of layer `layer` (the index [`read_without_digests`] named).
    pub fn update(&mut self, layer: usize, bytes: &[u8]) {
        self.layers.entry(layer).or_default().update(bytes);
    }

    /// Each layer's diff id, for [`BlobDigests::diff_ids`].
    pub fn finish(self) -> Vec<(usize, String)> {
        self.layers
            .into_iter()
            .map(|(layer, h)| (layer, stream::hex_digest(h.finalize().as_slice())))
            .collect()
    }
}

/// Where the analysis pass of [`DiffIds::Digests`] sends uncompressed
/// bytes, and which layers it sent whole.
struct Outside<'a> {
    send: &'a mut dyn FnMut(usize, &[u8]),
    whole: Vec<usize>,
}

/// A reader whose bytes also go to [`Outside`], as layer `layer`'s.
struct Teed<'a, 'b, R> {
    inner: R,
    layer: usize,
    outside: &'a mut Outside<'b>,
}

impl<R: Read> Read for Teed<'_, '_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(read) = buf.get(..n).filter(|r| !r.is_empty()) {
            (self.outside.send)(self.layer, read);
        }
        Ok(n)
    }
}

/// A regular entry a split's analysis pass read whole: its digest — its
/// own, or [`read_blob_digests`]'s when it left the entry to that pass —
/// goes where the single pass would have put it. Every such entry waits
/// for the merge, so digests go in in the archive's order (a path stored
/// twice keeps the later entry's digest, whichever pass hashed it).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pending {
    /// Which regular entry of the outer archive (0 = the first).
    ordinal: usize,
    path: String,
    /// The layer `path` named when the entry ended.
    layer: Option<usize>,
    /// `errors.len()` when the entry ended: where a digest mismatch goes.
    error_at: usize,
    /// The digest this pass computed; `None`: the other pass's.
    digest: Option<String>,
}

/// An archive read by [`read_without_blob_digests`]: complete but for
/// the blobs' digests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingArchive {
    archive: Archive,
    pending: Vec<Pending>,
    /// Layers whose uncompressed bytes went out whole ([`DiffIds::Digests`]):
    /// their diff ids come with the blobs' digests.
    diff_ids: Vec<usize>,
}

/// Every regular entry of the outer archive, in order, with its SHA-256
/// when [`read_blob_digests`] hashed it whole; and, with
/// [`DiffIds::Digests`], compressed layers' diff ids by layer index.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BlobDigests {
    pub entries: Vec<(String, Option<String>)>,
    #[serde(default)]
    pub diff_ids: Vec<(usize, String)>,
}

/// The first half of a verified read split in two passes that can run at
/// the same time (two threads, or two Web Workers): everything [`read`]
/// does except hashing about half the blobs as stored (by the work each
/// pass has), which [`read_blob_digests`] does over a second reader of the
/// same bytes. Compressed layers' diff ids are hashed here: only this pass
/// inflates them.
pub fn read_without_blob_digests(
    reader: impl Read,
    observe: &mut dyn FnMut(Progress) -> bool,
) -> PendingArchive {
    read_pass(reader, Hashing::Split(DiffIds::Analysis), None, observe)
}

/// [`read_without_blob_digests`] that hashes no layer's uncompressed bytes
/// either: it hands them to `send` (layer index, bytes, in order) as it
/// inflates them, for the digest side to hash ([`DiffIdHashes`]); their diff
/// ids come to [`merge_digests`] in [`BlobDigests::diff_ids`]. `diff_ids`:
/// what the digest side is told, [`DiffIds::Digests`] or
/// [`DiffIds::DigestsBothRead`].
pub fn read_without_digests(
    reader: impl Read,
    diff_ids: DiffIds,
    observe: &mut dyn FnMut(Progress) -> bool,
    send: &mut dyn FnMut(usize, &[u8]),
) -> PendingArchive {
    let mut outside = Outside {
        send,
        whole: Vec::new(),
    };
    let mut pass = read_pass(
        reader,
        Hashing::Split(diff_ids),
        Some(&mut outside),
        observe,
    );
    pass.diff_ids = outside.whole;
    pass
}

/// The second half of a split read: the outer archive's regular entries,
/// those the analysis pass leaves to it hashed as stored. Reads nothing
/// else (no layer is inflated); `observe` as for [`read`].
pub fn read_blob_digests(
    reader: impl Read,
    observe: &mut dyn FnMut(Progress) -> bool,
) -> BlobDigests {
    read_blob_digests_with(reader, DiffIds::Analysis, observe)
}

/// [`read_blob_digests`] beside an analysis pass told the same `diff_ids`.
pub fn read_blob_digests_with(
    reader: impl Read,
    diff_ids: DiffIds,
    observe: &mut dyn FnMut(Progress) -> bool,
) -> BlobDigests {
    let mut digests = BlobDigests::default();
    let mut counted = Counted::new(reader, observe);
    let Ok(prefix) = stream::read_prefix(&mut counted, 4) else {
        return digests;
    };
    let compression = Compression::detect(&prefix);
    let Ok(source) = stream::decompress(Cursor::new(prefix).chain(&mut counted), compression)
    else {
        return digests;
    };
    let mut tar = TarReader::new(source);
    let mut balance = Balance::new(diff_ids);
    while let Ok(Some(header)) = tar.next_header() {
        if header.kind != Kind::Regular {
            continue;
        }
        let path = join_clean("", &String::from_utf8_lossy(&header.path));
        let mut blob = Hashed::new(tar.data());
        let mine = match stream::read_prefix(&mut blob, 512) {
            Ok(prefix) => !balance.analysis_hashes(header.size, &prefix),
            Err(_) => false,
        };
        if !mine {
            blob.stop_hashing();
        }
        let whole = stream::discard(&mut blob).is_ok() && blob.bytes == header.size;
        digests
            .entries
            .push((path, blob.digest().filter(|_| whole)));
    }
    digests
}

/// Who hashes which blob in a split read: each goes to the pass with less
/// work so far, counted in bytes hashed. Both passes decide alike from what
/// both see (each blob's size and first bytes), so they need not talk.
#[derive(Debug)]
struct Balance {
    diff_ids: DiffIds,
    analysis: u64,
    digests: u64,
}

impl Balance {
    fn new(diff_ids: DiffIds) -> Balance {
        Balance {
            diff_ids,
            analysis: 0,
            digests: 0,
        }
    }

    /// Whether the analysis pass hashes the blob of `size` bytes that
    /// starts with `prefix` (else the digest pass does). Both passes read
    /// every byte; besides, the analysis pass scans every blob: a plain one
    /// costs it about an eighth of hashing it (natively a twentieth, in
    /// wasm a fifth), a compressed one (inflate, then the diff id's hash)
    /// about six times. With [`DiffIds::Digests`] (the browser's ring) the
    /// analysis pass alone reads the file — about half of hashing it in
    /// Chromium — and inflates a compressed blob (three to four times),
    /// while the digest side hashes what that gives (about twice the blob);
    /// [`DiffIds::DigestsBothRead`] shares plain blobs as
    /// [`DiffIds::Analysis`] does and compressed ones as `Digests` does.
    fn analysis_hashes(&mut self, size: u64, prefix: &[u8]) -> bool {
        let compressed = Compression::detect(prefix) != Compression::None;
        let (analysis, digests) = match (self.diff_ids, compressed) {
            (DiffIds::Analysis | DiffIds::DigestsBothRead, false) => (size / 8, 0),
            (DiffIds::Analysis, true) => (size.saturating_mul(6), 0),
            (DiffIds::Digests, false) => (size / 2, 0),
            (DiffIds::Digests | DiffIds::DigestsBothRead, true) => {
                (size.saturating_mul(4), size.saturating_mul(2))
            }
        };
        self.analysis = self.analysis.saturating_add(analysis);
        self.digests = self.digests.saturating_add(digests);
        let analysis = self.analysis < self.digests;
        let side = if analysis {
            &mut self.analysis
        } else {
            &mut self.digests
        };
        *side = side.saturating_add(size);
        analysis
    }
}

/// The archive [`read`] would have given: `pending` with the blobs'
/// digests of `digests` put in (layer digests, plain layers' diff ids,
/// mismatches with the digest a name gives, in the order of the errors
/// the single pass reports). `None` when `digests` lacks one the
/// analysis pass needs (the digest pass was cut short, or the two passes
/// read different bytes): read again with [`read`].
pub fn merge_digests(pending: PendingArchive, digests: &BlobDigests) -> Option<Archive> {
    let PendingArchive {
        mut archive,
        pending,
        diff_ids,
    } = pending;
    for layer in diff_ids {
        let digest = digests
            .diff_ids
            .iter()
            .find_map(|(i, d)| (*i == layer).then_some(d))?;
        archive.layers.get_mut(layer)?.diff_id.clone_from(digest);
    }
    let old = std::mem::take(&mut archive.errors);
    let mut old = old.into_iter().enumerate().peekable();
    let mut errors = Vec::with_capacity(old.len());
    for p in pending {
        let digest = match (p.digest, digests.entries.get(p.ordinal)) {
            (Some(own), _) => own,
            (None, Some((path, Some(digest)))) if *path == p.path => digest.clone(),
            _ => return None,
        };
        while let Some((_, e)) = old.next_if(|(i, _)| *i < p.error_at) {
            errors.push(e);
        }
        errors.extend(put_digest(&mut archive, p.path, p.layer, digest));
    }
    errors.extend(old.map(|(_, e)| e));
    archive.errors = errors;
    Some(archive)
}

/// [`read`] over `bytes`, held to every split read (each run as two halves
/// one after the other, as two threads or workers run them at once, and
/// merged): the single pass's [`Archive`], or the split that merged into
/// another or not at all. For the tests and the fuzz target.
pub fn read_every_way(bytes: &[u8]) -> Result<Archive, DiffIds> {
    let single = read(bytes, &mut |_| true);
    for diff_ids in [
        DiffIds::Analysis,
        DiffIds::Digests,
        DiffIds::DigestsBothRead,
    ] {
        if read_split(bytes, diff_ids).as_ref() != Some(&single) {
            return Err(diff_ids);
        }
    }
    Ok(single)
}

/// Both halves of a split read over `bytes`, one after the other, merged.
fn read_split(bytes: &[u8], diff_ids: DiffIds) -> Option<Archive> {
    let mut hashes = DiffIdHashes::default();
    let pending = match diff_ids {
        DiffIds::Analysis => read_without_blob_digests(bytes, &mut |_| true),
        DiffIds::Digests | DiffIds::DigestsBothRead => {
            read_without_digests(bytes, diff_ids, &mut |_| true, &mut |layer, b| {
                hashes.update(layer, b);
            })
        }
    };
    let mut digests = read_blob_digests_with(bytes, diff_ids, &mut |_| true);
    digests.diff_ids = hashes.finish();
    merge_digests(pending, &digests)
}

/// Records a complete blob's `digest`: on the layer it is, in `digests`;
/// the error when its name gives another.
fn put_digest(
    archive: &mut Archive,
    path: String,
    layer: Option<usize>,
    digest: String,
) -> Option<String> {
    if let Some(layer) = layer.and_then(|i| archive.layers.get_mut(i)) {
        if layer.compression == Some(Compression::None) {
            layer.diff_id.clone_from(&digest);
        }
        layer.digest.clone_from(&digest);
    }
    let error = digest_in_name(&path)
        .filter(|expected| *expected != digest)
        .map(|_| format!("{path}: digest mismatch: the content hashes to {digest}"));
    archive.digests.insert(path, digest);
    error
}

fn read_pass(
    reader: impl Read,
    hashing: Hashing,
    outside: Option<&mut Outside<'_>>,
    observe: &mut dyn FnMut(Progress) -> bool,
) -> PendingArchive {
    let mut pass = PendingArchive {
        archive: Archive {
            verified: hashing != Hashing::Off,
            ..Archive::default()
        },
        pending: Vec::new(),
        diff_ids: Vec::new(),
    };
    let archive = &mut pass.archive;
    let mut cancelled = false;
    let mut watch = |p: Progress| {
        let go = observe(p);
        cancelled |= !go;
        go
    };
    let mut counted = Counted::new(reader, &mut watch);
    match stream::read_prefix(&mut counted, 4) {
        Err(e) => archive.errors.push(format!("cannot read the archive: {e}")),
        Ok(prefix) => {
            let compression = Compression::detect(&prefix);
            archive.compression = Some(compression);
            match stream::decompress(Cursor::new(prefix).chain(&mut counted), compression) {
                Err(e) => archive.errors.push(format!("cannot read the archive: {e}")),
                Ok(source) => read_outer(source, hashing, outside, archive, &mut pass.pending),
            }
        }
    }
    counted.report();
    archive.progress = counted.progress;
    drop(counted);
    archive.cancelled = cancelled;
    if cancelled {
        archive.errors.push("reading was cancelled".to_string());
    }
    pass
}

fn read_outer(
    source: impl Read,
    hashing: Hashing,
    mut outside: Option<&mut Outside<'_>>,
    archive: &mut Archive,
    pending: &mut Vec<Pending>,
) {
    let mut tar = TarReader::new(source);
    let mut json_total = 0u64;
    let mut saw_entry = false;
    let mut ordinal = 0;
    let split = match hashing {
        Hashing::Split(diff_ids) => Some(diff_ids),
        Hashing::Off | Hashing::All => None,
    };
    let mut balance = Balance::new(split.unwrap_or_default());
    loop {
        let header = match tar.next_header() {
            Ok(Some(h)) => h,
            Ok(None) => break,
            Err(e) => {
                archive.errors.push(outer_error(&e, saw_entry));
                return;
            }
        };
        saw_entry = true;
        let path = join_clean("", &String::from_utf8_lossy(&header.path));
        match header.kind {
            Kind::Symlink => {
                let target = String::from_utf8_lossy(&header.link).into_owned();
                let target = join_clean(dir_of(&path), &target);
                archive.links.insert(path, target);
            }
            Kind::HardLink => {
                let target = join_clean("", &String::from_utf8_lossy(&header.link));
                archive.links.insert(path, target);
            }
            Kind::Regular => {
                // A split read hashes what [`Balance`] gives it: it stops
                // hashing the others after their first bytes.
                let mut blob = if hashing == Hashing::Off {
                    Hashed::counting(tar.data())
                } else {
                    Hashed::new(tar.data())
                };
                let balance = split.is_some().then_some(&mut balance);
                let read = read_blob(
                    &path,
                    header.size,
                    &mut blob,
                    archive,
                    &mut json_total,
                    balance,
                    outside.as_deref_mut(),
                );
                if let Err(e) = read {
                    archive.errors.push(format!("{path}: {}", describe(&e)));
                }
                // The rest of the blob, hashed; an error here is the outer
                // stream's and shows at the next header.
                let whole = stream::discard(&mut blob).is_ok() && blob.bytes == header.size;
                let layer = archive.layer_at.get(&path).copied();
                match blob.digest() {
                    digest if whole && split.is_some() => pending.push(Pending {
                        ordinal,
                        path,
                        layer,
                        error_at: archive.errors.len(),
                        digest,
                    }),
                    Some(digest) if whole => {
                        let error = put_digest(archive, path, layer, digest);
                        archive.errors.extend(error);
                    }
                    _ => {}
                }
                ordinal += 1;
            }
            _ => {}
        }
    }
}

fn outer_error(e: &io::Error, saw_entry: bool) -> String {
    if saw_entry {
        format!("the archive is cut short or damaged: {}", describe(e))
    } else {
        format!("not a tar archive: {}", describe(e))
    }
}

fn describe(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => format!("truncated ({e})"),
        _ => e.to_string(),
    }
}

/// `sha256:<hex>` from a blob's name (`blobs/sha256/<hex>`, kaniko's
/// `sha256:<hex>`), lowercase, when it names one.
pub fn digest_in_name(path: &str) -> Option<String> {
    let base = path.rsplit('/').next()?;
    let hex = path
        .strip_prefix("blobs/sha256/")
        .or_else(|| base.strip_prefix("sha256:"))
        // A legacy config is named by its digest: `<hex>.json`.
        .or_else(|| base.strip_suffix(".json"))?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| format!("sha256:{}", hex.to_ascii_lowercase()))
}

fn read_blob<R: Read>(
    path: &str,
    size: u64,
    blob: &mut Hashed<R>,
    archive: &mut Archive,
    json_total: &mut u64,
    balance: Option<&mut Balance>,
    outside: Option<&mut Outside<'_>>,
) -> io::Result<()> {
    let prefix = stream::read_prefix(blob, 512)?;
    if let Some(balance) = balance
        && !balance.analysis_hashes(size, &prefix)
    {
        blob.stop_hashing();
    }
    let first = prefix.iter().find(|b| !b.is_ascii_whitespace());
    // A layer whose first file is named `{…` is still a tar.
    let json = matches!(first, Some(b'{' | b'[')) && !looks_like_tar(&prefix);
    if json && size <= MAX_JSON && *json_total + size <= MAX_JSON_TOTAL {
        let mut bytes = prefix;
        blob.read_to_end(&mut bytes)?;
        *json_total += bytes.len() as u64;
        archive.json.insert(path.to_string(), bytes);
        return Ok(());
    }
    let compression = Compression::detect(&prefix);
    if compression == Compression::None && !looks_like_tar(&prefix) {
        return Ok(());
    }
    let mut layer = LayerSummary {
        compression: Some(compression),
        compressed_bytes: size,
        ..LayerSummary::default()
    };
    let result = read_layer(
        Cursor::new(prefix).chain(&mut *blob),
        compression,
        archive,
        &mut layer,
        outside,
    );
    if let Err(e) = result {
        layer.error = Some(describe(&e));
    }
    if layer.error.is_some() {
        archive.errors.push(format!(
            "{path}: layer unreadable after {} entries: {}",
            layer.records.len(),
            layer.error.as_deref().unwrap_or_default()
        ));
    }
    archive
        .layer_at
        .insert(path.to_string(), archive.layers.len());
    archive.layers.push(layer);
    Ok(())
}

/// What a layer's small file is kept for, if anything: its size cap.
fn capture_cap(parts: &[&[u8]]) -> Option<u64> {
    match parts {
        [b"etc", b"os-release" | b"passwd" | b"group" | b"shadow"]
        | [b"usr", b"lib", b"os-release"] => Some(MAX_SMALL),
        [b"var", b"lib", b"dpkg", b"status"] | [b"lib", b"apk", b"db", b"installed"] => {
            Some(MAX_DB)
        }
        [b"var", b"lib", b"dpkg", b"status.d", _] => Some(MAX_SMALL),
        _ => None,
    }
}

/// Whether a small file's content is worth sniffing for secrets: not in the
/// trees package managers own.
fn sniffable(parts: &[&[u8]]) -> bool {
    !matches!(
        parts.first().copied(),
        Some(b"usr" | b"lib" | b"lib64" | b"lib32" | b"proc" | b"sys" | b"bin" | b"sbin")
    ) && !matches!(
        parts,
        [b"var", b"lib" | b"cache", ..] | [b"etc", b"ssl", ..]
    )
}

fn read_layer(
    source: impl Read,
    compression: Compression,
    archive: &mut Archive,
    layer: &mut LayerSummary,
    outside: Option<&mut Outside<'_>>,
) -> io::Result<()> {
    let decompressed = stream::decompress(source, compression)?;
    // The index this layer will have in `archive.layers`.
    let index = archive.layers.len();
    // An uncompressed layer's diff id is its blob digest, hashed outside;
    // a compressed one's is hashed here, or by the digest side.
    let mut outside = outside.filter(|_| compression != Compression::None);
    let mut tar_stream = match (compression, outside.as_deref_mut()) {
        _ if !archive.verified => Hashed::counting(decompressed),
        (Compression::None, _) => Hashed::counting(decompressed),
        (_, Some(outside)) => Hashed::counting(Box::new(Teed {
            inner: decompressed,
            layer: index,
            outside,
        }) as Box<dyn Read>),
        (_, None) => Hashed::new(decompressed),
    };
    let mut tar = TarReader::new(&mut tar_stream);
    let mut captured_total = 0u64;
    while let Some(header) = tar.next_header()? {
        let parts = clean(&header.path);
        let Some((&name, dir)) = parts.split_last() else {
            continue;
        };
        let mut flags = 0u16;
        let mut node_parts: Vec<&[u8]> = dir.to_vec();
        if name == b".wh..wh..opq" {
            flags |= flag::OPAQUE;
        } else if let Some(target) = name.strip_prefix(b".wh.") {
            flags |= flag::WHITEOUT;
            node_parts.push(target);
        } else {
            node_parts.push(name);
            flags |= match header.kind {
                Kind::Directory => flag::DIR,
                Kind::Regular => flag::REGULAR,
                Kind::Symlink => flag::SYMLINK,
                Kind::HardLink => flag::HARDLINK,
                Kind::Other => 0,
            };
            if header.mode & 0o4000 != 0 {
                flags |= flag::SETUID;
            }
            if header.mode & 0o2000 != 0 {
                flags |= flag::SETGID;
            }
            if header.mode & 0o002 != 0 {
                flags |= flag::WORLD_WRITABLE;
            }
            if header.mode & 0o1000 != 0 {
                flags |= flag::STICKY;
            }
        }
        let mut node = super::paths::ROOT;
        for part in &node_parts {
            node = archive
                .paths
                .intern_child(node, part)
                .ok_or_else(|| io::Error::other("too many paths"))?;
        }
        layer.size_bytes = layer.size_bytes.saturating_add(header.size);
        if flags & (flag::DIR | flag::WHITEOUT | flag::OPAQUE) == 0 {
            layer.files += 1;
        }
        layer.records.push(Record {
            node,
            flags,
            size: header.size,
        });
        if header.kind != Kind::Regular || flags & (flag::WHITEOUT | flag::OPAQUE) != 0 {
            continue;
        }
        if let Some(cap) = capture_cap(&node_parts)
            && header.size <= cap
            && captured_total + header.size <= MAX_CAPTURED_PER_LAYER
        {
            let mut content = Vec::new();
            tar.data().read_to_end(&mut content)?;
            captured_total += content.len() as u64;
            layer.captured.push((node, content));
        } else if header.size <= MAX_SNIFF && header.size > 0 && sniffable(&node_parts) {
            let mut content = Vec::new();
            tar.data().read_to_end(&mut content)?;
            sniff(node, &content, layer);
        }
    }
    // The rest of the stream (padding after the end marker) completes the digests.
    stream::discard(&mut tar_stream)?;
    if let Some(diff_id) = tar_stream.digest() {
        layer.diff_id = diff_id;
    }
    if let Some(outside) = outside.filter(|_| archive.verified) {
        outside.whole.push(index);
    }
    Ok(())
}

/// Looks for secrets of high confidence (keys, tokens) in a text file.
fn sniff(node: NodeId, content: &[u8], layer: &mut LayerSummary) {
    let head = content.get(..content.len().min(1024)).unwrap_or_default();
    if head.contains(&0) {
        return;
    }
    let text = String::from_utf8_lossy(content);
    if let Some(m) = scan_text(&text)
        .into_iter()
        .find(|m| m.confidence == Confidence::High)
    {
        layer.secrets.push(SniffedSecret {
            node,
            kind: m.kind,
            redacted: m.redacted,
        });
    }
}
