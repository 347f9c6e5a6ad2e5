//! Readers the archive pass stacks: a byte counter with progress and cancel
//! at the outside, a SHA-256 on each blob, and decompression chosen by magic
//! bytes (never by name).

use std::io::{self, Read};

use sha2::{Digest, Sha256};

/// How far the reader has come; handed to the progress callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Progress {
    /// Bytes read from the caller's reader (compare with the file's size).
    pub bytes_read: u64,
    /// Entries of the outer archive seen so far.
    pub entries: u64,
}

/// How often the callback is called: every this many bytes read.
pub const PROGRESS_EVERY: u64 = 1 << 20;

/// The caller's reader, counted; calls `observe` every [`PROGRESS_EVERY`]
/// bytes, and fails every read once it returns `false` (cancelled).
pub struct Counted<'a, R> {
    inner: R,
    pub progress: Progress,
    next_report: u64,
    observe: &'a mut dyn FnMut(Progress) -> bool,
    pub cancelled: bool,
}

impl<R> std::fmt::Debug for Counted<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Counted")
            .field("progress", &self.progress)
            .finish()
    }
}

impl<'a, R: Read> Counted<'a, R> {
    pub fn new(inner: R, observe: &'a mut dyn FnMut(Progress) -> bool) -> Self {
        Counted {
            inner,
            progress: Progress::default(),
            next_report: PROGRESS_EVERY,
            observe,
            cancelled: false,
        }
    }

    /// Reports progress now; `false` when the caller cancelled.
    pub fn report(&mut self) -> bool {
        if !self.cancelled && !(self.observe)(self.progress) {
            self.cancelled = true;
        }
        !self.cancelled
    }
}

pub const CANCELLED: &str = "cancelled";

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.cancelled {
            return Err(io::Error::other(CANCELLED));
        }
        let n = self.inner.read(buf)?;
        self.progress.bytes_read = self.progress.bytes_read.saturating_add(n as u64);
        if self.progress.bytes_read >= self.next_report {
            self.next_report = self.progress.bytes_read.saturating_add(PROGRESS_EVERY);
            if !self.report() {
                return Err(io::Error::other(CANCELLED));
            }
        }
        Ok(n)
    }
}

/// Hashes and counts what passes through.
#[derive(Debug)]
pub struct Hashed<R> {
    inner: R,
    hasher: Option<Sha256>,
    pub bytes: u64,
}

impl<R: Read> Hashed<R> {
    pub fn new(inner: R) -> Self {
        Hashed {
            inner,
            hasher: Some(Sha256::new()),
            bytes: 0,
        }
    }

    /// Counts only: [`Hashed::digest`] gives `None`.
    pub fn counting(inner: R) -> Self {
        Hashed {
            inner,
            hasher: None,
            bytes: 0,
        }
    }

    /// Hashes no more: [`Hashed::digest`] gives `None`.
    pub fn stop_hashing(&mut self) {
        self.hasher = None;
    }

    /// `sha256:<hex>` of everything read so far.
    pub fn digest(self) -> Option<String> {
        self.hasher.map(|h| hex_digest(h.finalize().as_slice()))
    }
}

pub fn hex_digest(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(7 + bytes.len() * 2);
    out.push_str("sha256:");
    for b in bytes {
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    out
}

impl<R: Read> Read for Hashed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let (Some(hasher), Some(read)) = (self.hasher.as_mut(), buf.get(..n)) {
            hasher.update(read);
        }
        self.bytes = self.bytes.saturating_add(n as u64);
        Ok(n)
    }
}

/// Bytes a discarding read asks for at a time: more than `io::copy`'s
/// 8 KiB, as inflating into a larger buffer costs less per byte (in wasm a
/// gzip layer reads 6–13 % faster).
const DISCARD_CHUNK: usize = 64 << 10;

/// Reads `r` to its end and drops what it gives; the bytes read.
pub fn discard<R: Read>(r: &mut R) -> io::Result<u64> {
    discard_into(r, &mut Vec::new())
}

/// [`discard`] through `scratch` (made [`DISCARD_CHUNK`] long when it is
/// not yet), so a reader skipping many entries allocates once; the first
/// 8 KiB go through a buffer of its own (as `io::copy`'s), so a short skip
/// allocates nothing.
pub fn discard_into<R: Read>(r: &mut R, scratch: &mut Vec<u8>) -> io::Result<u64> {
    let mut small = [0u8; 8 << 10];
    let mut total = 0u64;
    loop {
        let buf: &mut [u8] = if total < small.len() as u64 {
            &mut small
        } else {
            if scratch.len() < DISCARD_CHUNK {
                scratch.resize(DISCARD_CHUNK, 0);
            }
            scratch
        };
        match r.read(buf) {
            Ok(0) => return Ok(total),
            Ok(n) => total += n as u64,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// A layer's (or the whole archive's) compression, from its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn detect(prefix: &[u8]) -> Compression {
        if prefix.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if prefix.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
}

/// Reads up to `n` bytes (fewer only at the end of the stream).
pub fn read_prefix<R: Read>(r: &mut R, n: usize) -> io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(n);
    r.take(n as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// `r` decompressed as `compression` says.
pub fn decompress<'a, R: Read + 'a>(
    r: R,
    compression: Compression,
) -> io::Result<Box<dyn Read + 'a>> {
    Ok(match compression {
        Compression::None => Box::new(r),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(r)),
        Compression::Zstd => Box::new(
            ruzstd::decoding::StreamingDecoder::new(r)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("zstd: {e}")))?,
        ),
    })
}
