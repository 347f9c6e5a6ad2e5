//! A streaming, pull-based tar reader: ustar, GNU long names and links
//! (`L`/`K`), PAX extended headers (`x`; `g` is skipped), base-256 sizes.
//!
//! Hand-written rather than the `tar` crate because that crate reads a GNU
//! long name or a PAX header of *any* declared size into memory; here every
//! metadata record is capped ([`MAX_META`]), so a hostile archive cannot make
//! the reader allocate more than that. Entry data is never buffered: the
//! caller reads it through [`TarReader::data`] or it is skipped.
//!
//! **Invariant:** no panic on any input; every error is an `io::Error`.

use std::io::{self, Read};

use super::stream;

/// The largest GNU long name or PAX record set kept in memory.
pub const MAX_META: u64 = 1 << 20;

const BLOCK: usize = 512;

/// What an entry is, from its type flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Regular,
    HardLink,
    Symlink,
    Directory,
    /// Character or block devices, FIFOs, and unknown types.
    Other,
}

/// One entry's header, long names and PAX overrides applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub path: Vec<u8>,
    pub link: Vec<u8>,
    pub kind: Kind,
    pub mode: u32,
    pub uid: u64,
    pub size: u64,
}

/// Reads entries one after the other from `R`.
#[derive(Debug)]
pub struct TarReader<R> {
    inner: R,
    /// Data bytes of the current entry not yet read.
    remaining: u64,
    /// Padding after the current entry's data.
    padding: u64,
    done: bool,
    /// What skipped bytes are read into (see [`stream::discard_into`]).
    scratch: Vec<u8>,
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_string())
}

/// Reads exactly `buf.len()` bytes, or reports how many came before the end.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        let Some(rest) = buf.get_mut(filled..) else {
            break;
        };
        match r.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Discards `n` bytes through `scratch`; an early end is an error.
fn skip<R: Read>(r: &mut R, n: u64, scratch: &mut Vec<u8>) -> io::Result<()> {
    let copied = stream::discard_into(&mut r.take(n), scratch)?;
    if copied < n {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the archive ends inside an entry",
        ));
    }
    Ok(())
}

fn field(block: &[u8; BLOCK], start: usize, len: usize) -> &[u8] {
    block.get(start..start + len).unwrap_or_default()
}

/// A NUL-terminated string field.
fn text(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    bytes.get(..end).unwrap_or_default()
}

/// An octal number field, or a base-256 one (high bit of the first byte set).
fn number(bytes: &[u8]) -> Option<u64> {
    if let Some((&first, rest)) = bytes.split_first()
        && first & 0x80 != 0
    {
        let mut value: u64 = u64::from(first & 0x7f);
        for &b in rest {
            value = value.checked_mul(256)?.checked_add(u64::from(b))?;
        }
        return Some(value);
    }
    let mut value: u64 = 0;
    for &b in text(bytes).iter().skip_while(|b| **b == b' ') {
        if !matches!(b, b'0'..=b'7') {
            break;
        }
        value = value.checked_mul(8)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(value)
}

fn checksum_ok(block: &[u8; BLOCK]) -> bool {
    let Some(stored) = number(field(block, 148, 8)) else {
        return false;
    };
    let sum: u64 = block
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u64::from(b)
            }
        })
        .sum();
    stored == sum
}

/// Whether `block` (the first 512 bytes of a stream) looks like a tar
/// header: a valid checksum, or all zeros (an empty archive).
pub fn looks_like_tar(prefix: &[u8]) -> bool {
    let Ok(block) = <&[u8; BLOCK]>::try_from(prefix) else {
        return false;
    };
    block.iter().all(|&b| b == 0) || checksum_ok(block)
}

fn padding_of(size: u64) -> u64 {
    (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64
}

/// Parses PAX records (`"<len> key=value\n"`…) into `header`.
fn apply_pax(records: &[u8], header: &mut Header) {
    let mut rest = records;
    while !rest.is_empty() {
        let Some(space) = rest.iter().position(|&b| b == b' ') else {
            return;
        };
        let len = std::str::from_utf8(rest.get(..space).unwrap_or_default())
            .ok()
            .and_then(|s| s.parse::<usize>().ok());
        let Some(len) = len.filter(|&l| l > space && l <= rest.len()) else {
            return;
        };
        let record = rest.get(space + 1..len).unwrap_or_default();
        let record = record.strip_suffix(b"\n").unwrap_or(record);
        if let Some(eq) = record.iter().position(|&b| b == b'=') {
            let (key, value) = (
                record.get(..eq).unwrap_or_default(),
                record.get(eq + 1..).unwrap_or_default(),
            );
            match key {
                b"path" => header.path = value.to_vec(),
                b"linkpath" => header.link = value.to_vec(),
                b"size" => {
                    if let Some(n) = std::str::from_utf8(value).ok().and_then(|s| s.parse().ok()) {
                        header.size = n;
                    }
                }
                b"uid" => {
                    if let Some(n) = std::str::from_utf8(value).ok().and_then(|s| s.parse().ok()) {
                        header.uid = n;
                    }
                }
                _ => {}
            }
        }
        rest = rest.get(len..).unwrap_or_default();
    }
}

impl<R: Read> TarReader<R> {
    pub fn new(inner: R) -> Self {
        TarReader {
            inner,
            remaining: 0,
            padding: 0,
            done: false,
            scratch: Vec::new(),
        }
    }

    /// Reads the next header, skipping what is left of the previous entry.
    /// `Ok(None)` at the end-of-archive marker (or a clean end of stream).
    pub fn next_header(&mut self) -> io::Result<Option<Header>> {
        if self.done {
            return Ok(None);
        }
        skip(
            &mut self.inner,
            self.remaining.saturating_add(self.padding),
            &mut self.scratch,
        )?;
        self.remaining = 0;
        self.padding = 0;
        let mut long_path: Option<Vec<u8>> = None;
        let mut long_link: Option<Vec<u8>> = None;
        let mut pax: Option<Vec<u8>> = None;
        loop {
            let mut block = [0u8; BLOCK];
            let got = read_full(&mut self.inner, &mut block)?;
            if got == 0 && long_path.is_none() && long_link.is_none() && pax.is_none() {
                // No end marker: tolerated, like GNU tar does.
                self.done = true;
                return Ok(None);
            }
            if got < BLOCK {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the archive ends inside a header",
                ));
            }
            if block.iter().all(|&b| b == 0) {
                self.done = true;
                return Ok(None);
            }
            if !checksum_ok(&block) {
                return Err(invalid("a tar header has a bad checksum"));
            }
            let size = number(field(&block, 124, 12))
                .ok_or_else(|| invalid("a tar header has a bad size"))?;
            let flag = block.get(156).copied().unwrap_or(0);
            match flag {
                b'L' | b'K' | b'x' | b'g' => {
                    if size > MAX_META {
                        return Err(invalid("a tar long name or PAX header is too large"));
                    }
                    let mut data = Vec::new();
                    (&mut self.inner).take(size).read_to_end(&mut data)?;
                    if (data.len() as u64) < size {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "the archive ends inside a header",
                        ));
                    }
                    skip(&mut self.inner, padding_of(size), &mut self.scratch)?;
                    match flag {
                        b'L' => long_path = Some(text(&data).to_vec()),
                        b'K' => long_link = Some(text(&data).to_vec()),
                        b'x' => pax = Some(data),
                        _ => {}
                    }
                    continue;
                }
                _ => {}
            }
            let ustar = field(&block, 257, 5) == b"ustar";
            let mut path = text(field(&block, 0, 100)).to_vec();
            let prefix = text(field(&block, 345, 155));
            // GNU headers use the prefix area for times; only ustar has a prefix.
            if ustar && field(&block, 257, 8) != b"ustar  \0" && !prefix.is_empty() {
                let mut full = prefix.to_vec();
                full.push(b'/');
                full.extend_from_slice(&path);
                path = full;
            }
            let kind = match flag {
                b'0' | 0 | b'7' => Kind::Regular,
                b'1' => Kind::HardLink,
                b'2' => Kind::Symlink,
                b'5' => Kind::Directory,
                _ => Kind::Other,
            };
            let mut header = Header {
                path: long_path.take().unwrap_or(path),
                link: long_link
                    .take()
                    .unwrap_or_else(|| text(field(&block, 157, 100)).to_vec()),
                kind,
                mode: number(field(&block, 100, 8)).unwrap_or(0) as u32 & 0o7777,
                uid: number(field(&block, 108, 8)).unwrap_or(0),
                size,
            };
            if let Some(records) = pax.take() {
                apply_pax(&records, &mut header);
            }
            // An old-style directory: a regular entry whose name ends in `/`.
            if header.kind == Kind::Regular && header.path.ends_with(b"/") {
                header.kind = Kind::Directory;
            }
            // Links and directories carry no data whatever the size says
            // (hard links in some writers repeat the target's size).
            let data = match header.kind {
                Kind::HardLink | Kind::Symlink | Kind::Directory => 0,
                _ => header.size,
            };
            self.remaining = data;
            self.padding = padding_of(data);
            return Ok(Some(header));
        }
    }

    /// A reader over the current entry's data (what has not been read yet).
    pub fn data(&mut self) -> EntryData<'_, R> {
        EntryData { tar: self }
    }
}

/// The data of the current entry; reading past it gives end of file.
#[derive(Debug)]
pub struct EntryData<'a, R> {
    tar: &'a mut TarReader<R>,
}

impl<R: Read> Read for EntryData<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = buf
            .len()
            .min(usize::try_from(self.tar.remaining).unwrap_or(usize::MAX));
        let Some(buf) = buf.get_mut(..want) else {
            return Ok(0);
        };
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.tar.inner.read(buf)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the archive ends inside an entry",
            ));
        }
        self.tar.remaining -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::tests::{Entry, tar};

    fn paths(bytes: &[u8]) -> (Vec<(String, u64)>, Option<String>) {
        let mut tar = TarReader::new(bytes);
        let mut out = Vec::new();
        loop {
            match tar.next_header() {
                Ok(Some(h)) => out.push((String::from_utf8_lossy(&h.path).into_owned(), h.size)),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e.to_string())),
            }
        }
    }

    #[test]
    fn reads_ustar_gnu_long_names_and_pax() {
        let long = "d/".repeat(80) + "file";
        let t = tar(&[
            Entry::file("a.txt", b"hello"),
            Entry::raw("././@LongLink", b'L', format!("{long}\0").as_bytes()),
            Entry::file("truncated", b"xy"),
            Entry::raw("pax", b'x', b"19 path=pax/name.t\n12 size=9\n"),
            Entry::file("short", b"123456789"),
        ]);
        let (got, err) = paths(&t);
        assert_eq!(err, None);
        assert_eq!(
            got,
            [("a.txt".into(), 5), (long, 2), ("pax/name.t".into(), 9),]
        );
    }

    #[test]
    fn errors_instead_of_panics() {
        let t = tar(&[Entry::file("a.txt", b"hello")]);
        for cut in [1, 100, 511, 513, 1023] {
            let (_, err) = paths(&t[..cut]);
            assert!(err.is_some(), "cut at {cut}");
        }
        let mut bad = t.clone();
        bad[0] ^= 1;
        assert_eq!(
            paths(&bad).1.as_deref(),
            Some("a tar header has a bad checksum")
        );
        assert!(looks_like_tar(&t[..512]));
        assert!(!looks_like_tar(&bad[..512]));
        let mut huge = tar(&[Entry::raw("././@LongLink", b'L', b"x")]);
        // Claim a size over the cap in the header itself.
        let big = format!("{:011o}", MAX_META + 1);
        huge[124..135].copy_from_slice(big.as_bytes());
        crate::image::tests::fix_checksum(&mut huge[..512]);
        assert!(paths(&huge).1.is_some());
    }
}
