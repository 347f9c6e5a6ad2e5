//! A one-way ring of bytes from the analysis worker to its digests helper,
//! in a `SharedArrayBuffer` (so only when the page is cross-origin
//! isolated): the analysis worker puts in the archive's bytes as it reads
//! them and each compressed layer's bytes as it inflates them; the helper
//! takes them out, hashes the blobs the split leaves it and every diff id
//! (`drydock_core::image::DiffIds::Digests`). So the helper reads no file,
//! and the inflating worker hashes no inflated byte — SHA-256 is off its
//! critical path.
//!
//! Bounded memory: a full ring makes the writer wait (`Atomics.wait`), an
//! empty one the reader. Records are `[kind, layer, length]` (three
//! little-endian `u32`s) then `length` bytes; the writer ends with a flag.
//! The logic is over [`Shared`] so it is tested natively; [`JsShared`] is
//! the browser's.

use std::io::{self, Read};

use drydock_core::image::DiffIdHashes;

/// Control cells: bytes written and read so far (wrapping `u32`s), flags.
const WRITTEN: u32 = 0;
const TAKEN: u32 = 1;
const FLAGS: u32 = 2;
/// The writer is done: what is in the ring is all there is.
const DONE: u32 = 1;
/// The reader is gone: writing is pointless.
const CLOSED: u32 = 2;
/// Record kinds.
const RAW: u32 = 0;
const LAYER: u32 = 1;
const HEADER: usize = 12;
/// How long a side waits at a time; flags are looked at between waits.
const WAIT_MS: f64 = 50.0;
/// How long the writer waits for room before it gives up on the reader
/// (a helper that died cannot say so while this worker is blocked).
const GIVE_UP_MS: f64 = 60_000.0;

/// Shared memory: three control cells and `capacity()` bytes of data.
pub trait Shared {
    fn capacity(&self) -> u32;
    fn load(&self, cell: u32) -> u32;
    fn store(&self, cell: u32, value: u32);
    /// Sets `bits` in `cell` (atomically: both sides set flags).
    fn set(&self, cell: u32, bits: u32);
    /// Waits while `cell` holds `value`, for at most `ms`.
    fn wait(&self, cell: u32, value: u32, ms: f64);
    fn notify(&self, cell: u32);
    /// Copies `bytes` in at data offset `at` (`at + len ≤ capacity`).
    fn put(&self, at: u32, bytes: &[u8]);
    /// Copies out at data offset `at` (`at + len ≤ capacity`).
    fn get(&self, at: u32, out: &mut [u8]);
    fn now_ms(&self) -> f64;
}

/// The writing end (the analysis worker).
#[derive(Debug)]
pub struct Writer<S> {
    shared: S,
    /// Set once the reader is gone or gave no room for [`GIVE_UP_MS`]:
    /// nothing more is written (the split's digests will be incomplete, and
    /// the file is read again in one pass).
    failed: bool,
    /// Uncompressed bytes of `layer`, gathered into larger records.
    layer: u32,
    pending: Vec<u8>,
}

/// Layer bytes are sent in records of at least this many bytes (the
/// analysis pass inflates 64 KiB at a time).
const LAYER_RECORD: usize = 32 << 10;

impl<S: Shared> Writer<S> {
    pub fn new(shared: S) -> Writer<S> {
        Writer {
            shared,
            failed: false,
            layer: 0,
            pending: Vec::new(),
        }
    }

    /// Whether the reader can no longer get everything.
    #[cfg(test)]
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// Bytes of the archive, as read.
    pub fn raw(&mut self, bytes: &[u8]) {
        self.flush();
        self.record(RAW, 0, bytes);
    }

    /// Uncompressed bytes of layer `layer`: large pieces go as they are,
    /// small ones are gathered first (a record costs a header and a wake).
    pub fn layer(&mut self, layer: usize, bytes: &[u8]) {
        let layer = u32::try_from(layer).unwrap_or(u32::MAX);
        if layer != self.layer {
            self.flush();
            self.layer = layer;
        }
        if self.pending.is_empty() && bytes.len() >= LAYER_RECORD {
            self.record(LAYER, layer, bytes);
            return;
        }
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= LAYER_RECORD {
            self.flush();
        }
    }

    /// No more bytes: the reader sees the end once it has taken the rest.
    pub fn finish(&mut self) {
        self.flush();
        self.shared.set(FLAGS, DONE);
        self.shared.notify(WRITTEN);
    }

    fn flush(&mut self) {
        if !self.pending.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            self.record(LAYER, self.layer, &pending);
            self.pending = pending;
            self.pending.clear();
        }
    }

    fn record(&mut self, kind: u32, layer: u32, bytes: &[u8]) {
        let mut header = [0u8; HEADER];
        let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        for (slot, value) in header.chunks_exact_mut(4).zip([kind, layer, len]) {
            slot.copy_from_slice(&value.to_le_bytes());
        }
        self.write(&header);
        self.write(bytes.get(..len as usize).unwrap_or(bytes));
    }

    /// Copies `bytes` in as room frees, waiting for the reader.
    fn write(&mut self, mut bytes: &[u8]) {
        let capacity = self.shared.capacity();
        let mut waited_since = None;
        while !bytes.is_empty() && !self.failed {
            let written = self.shared.load(WRITTEN);
            let taken = self.shared.load(TAKEN);
            let free = capacity.saturating_sub(written.wrapping_sub(taken));
            if self.shared.load(FLAGS) & CLOSED != 0 {
                self.failed = true;
                break;
            }
            if free == 0 {
                let now = self.shared.now_ms();
                let since = *waited_since.get_or_insert(now);
                if now - since > GIVE_UP_MS {
                    self.failed = true;
                    break;
                }
                self.shared.wait(TAKEN, taken, WAIT_MS);
                continue;
            }
            waited_since = None;
            let n = (free as usize).min(bytes.len());
            let (now, rest) = bytes.split_at(n);
            put_wrapped(&self.shared, written % capacity, now);
            self.shared.store(WRITTEN, written.wrapping_add(n as u32));
            self.shared.notify(WRITTEN);
            bytes = rest;
        }
    }
}

fn put_wrapped<S: Shared>(shared: &S, at: u32, bytes: &[u8]) {
    let first = ((shared.capacity() - at) as usize).min(bytes.len());
    let (a, b) = bytes.split_at(first);
    shared.put(at, a);
    if !b.is_empty() {
        shared.put(0, b);
    }
}

/// The reading end (the digests helper): a [`Read`] of the archive's
/// bytes, hashing the layer records it passes into `hashes`.
#[derive(Debug)]
pub struct Reader<S> {
    shared: S,
    /// Bytes taken out but not yet read, at `at`.
    buf: Vec<u8>,
    at: usize,
    /// Bytes of the current raw record not yet read.
    raw_left: usize,
    pub hashes: DiffIdHashes,
}

/// Bytes taken out of the ring into the reader's buffer at a time, at most.
const TAKE: usize = 1 << 20;
/// Reads of raw bytes at least this long skip the reader's buffer.
const DIRECT: usize = 16 << 10;

impl<S: Shared> Reader<S> {
    pub fn new(shared: S) -> Reader<S> {
        Reader {
            shared,
            buf: Vec::new(),
            at: 0,
            raw_left: 0,
            hashes: DiffIdHashes::default(),
        }
    }

    /// Reads to the end of what the writer sends (the layer records after
    /// the archive's last bytes among them).
    pub fn drain(&mut self) {
        let mut sink = vec![0u8; 64 << 10];
        while matches!(self.read(&mut sink), Ok(n) if n > 0) {}
    }

    /// Tells the writer not to wait for this reader any more.
    pub fn close(&self) {
        self.shared.set(FLAGS, CLOSED);
        self.shared.notify(TAKEN);
    }

    /// Takes what the ring holds (up to [`TAKE`]) into `buf`, waiting for
    /// the writer; `false` at the end.
    fn fill(&mut self) -> bool {
        let mut buf = std::mem::take(&mut self.buf);
        buf.resize(TAKE, 0);
        let n = self.take(&mut buf);
        buf.truncate(n);
        self.buf = buf;
        self.at = 0;
        n > 0
    }

    /// Takes up to `out.len()` bytes out of the ring into `out`, waiting
    /// for the writer; 0 at the end.
    fn take(&mut self, out: &mut [u8]) -> usize {
        let capacity = self.shared.capacity();
        loop {
            let written = self.shared.load(WRITTEN);
            let taken = self.shared.load(TAKEN);
            let available = written.wrapping_sub(taken) as usize;
            if available > 0 {
                let n = available.min(out.len());
                let at = taken % capacity;
                let first = ((capacity - at) as usize).min(n);
                let (a, b) = out.get_mut(..n).unwrap_or_default().split_at_mut(first);
                self.shared.get(at, a);
                if !b.is_empty() {
                    self.shared.get(0, b);
                }
                self.shared.store(TAKEN, taken.wrapping_add(n as u32));
                self.shared.notify(TAKEN);
                return n;
            }
            if self.shared.load(FLAGS) & DONE != 0 && self.shared.load(WRITTEN) == written {
                return 0;
            }
            self.shared.wait(WRITTEN, written, WAIT_MS);
        }
    }

    /// Up to `out.len()` bytes of the stream (records and all).
    fn bytes(&mut self, out: &mut [u8]) -> usize {
        if self.at >= self.buf.len() && !self.fill() {
            return 0;
        }
        let rest = self.buf.get(self.at..).unwrap_or_default();
        let n = rest.len().min(out.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), rest.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.at += n;
        n
    }

    fn exact(&mut self, out: &mut [u8]) -> io::Result<()> {
        let mut done = 0;
        while done < out.len() {
            let n = self.bytes(out.get_mut(done..).unwrap_or_default());
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
        Ok(())
    }

    /// The next record's header; `None` at the end.
    fn header(&mut self) -> io::Result<Option<[u32; 3]>> {
        let mut header = [0u8; HEADER];
        match self.exact(&mut header) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let mut fields = [0u32; 3];
        for (field, bytes) in fields.iter_mut().zip(header.chunks_exact(4)) {
            let mut word = [0u8; 4];
            word.copy_from_slice(bytes);
            *field = u32::from_le_bytes(word);
        }
        Ok(Some(fields))
    }
}

impl<S: Shared> Read for Reader<S> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        while self.raw_left == 0 {
            let Some([kind, layer, len]) = self.header()? else {
                return Ok(0);
            };
            let mut left = len as usize;
            match kind {
                RAW => self.raw_left = left,
                LAYER => {
                    while left > 0 {
                        if self.at >= self.buf.len() && !self.fill() {
                            return Err(io::ErrorKind::UnexpectedEof.into());
                        }
                        let rest = self.buf.get(self.at..).unwrap_or_default();
                        let n = rest.len().min(left);
                        self.hashes
                            .update(layer as usize, rest.get(..n).unwrap_or_default());
                        self.at += n;
                        left -= n;
                    }
                }
                _ => return Err(io::Error::other("the ring holds a record it does not know")),
            }
        }
        let want = out.len().min(self.raw_left);
        let out = out.get_mut(..want).unwrap_or_default();
        // Large reads of a raw record come straight out of the ring.
        let n = if self.at >= self.buf.len() && want >= DIRECT {
            self.take(out)
        } else {
            self.bytes(out)
        };
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.raw_left -= n;
        Ok(n)
    }
}

/// [`Shared`] over a `SharedArrayBuffer`: cells in an `Int32Array` of its
/// first 16 bytes, data after them.
#[derive(Debug, Clone)]
pub struct JsShared {
    pub buffer: js_sys::SharedArrayBuffer,
    cells: js_sys::Int32Array,
    data: js_sys::Uint8Array,
}

/// Bytes of the ring's data (plus 16 for the cells): the writer gets at
/// most this far ahead of the reader. Twice the largest read slice, so the
/// helper still has bytes while the writer waits on one (at 16 MiB it ran
/// dry ≈30 ms per 100 MB).
pub const RING_BYTES: u32 = 32 << 20;

impl JsShared {
    /// A new ring, when the page is cross-origin isolated (else there is no
    /// `SharedArrayBuffer`).
    pub fn create() -> Option<JsShared> {
        let global = js_sys::global();
        let isolated = js_sys::Reflect::get(&global, &"crossOriginIsolated".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let has_sab = js_sys::Reflect::has(&global, &"SharedArrayBuffer".into()).unwrap_or(false);
        (isolated && has_sab)
            .then(|| JsShared::over(js_sys::SharedArrayBuffer::new(RING_BYTES + 16)))
            .flatten()
    }

    /// The ring in `buffer` (made by [`JsShared::create`] in another
    /// worker); `None` when it is too small to be one.
    pub fn over(buffer: js_sys::SharedArrayBuffer) -> Option<JsShared> {
        let length = buffer.byte_length().checked_sub(16).filter(|n| *n > 0)?;
        Some(JsShared {
            cells: js_sys::Int32Array::new_with_byte_offset_and_length(&buffer, 0, 4),
            data: js_sys::Uint8Array::new_with_byte_offset_and_length(&buffer, 16, length),
            buffer,
        })
    }
}

impl Shared for JsShared {
    fn capacity(&self) -> u32 {
        self.data.length()
    }

    fn load(&self, cell: u32) -> u32 {
        js_sys::Atomics::load(&self.cells, cell).map_or(0, |v| v as u32)
    }

    fn store(&self, cell: u32, value: u32) {
        let _ = js_sys::Atomics::store(&self.cells, cell, value as i32);
    }

    fn set(&self, cell: u32, bits: u32) {
        let _ = js_sys::Atomics::or(&self.cells, cell, bits as i32);
    }

    fn wait(&self, cell: u32, value: u32, ms: f64) {
        let _ = js_sys::Atomics::wait_with_timeout(&self.cells, cell, value as i32, ms);
    }

    fn notify(&self, cell: u32) {
        let _ = js_sys::Atomics::notify(&self.cells, cell);
    }

    fn put(&self, at: u32, bytes: &[u8]) {
        let end = at.saturating_add(bytes.len() as u32);
        self.data.subarray(at, end).copy_from(bytes);
    }

    fn get(&self, at: u32, out: &mut [u8]) {
        let end = at.saturating_add(out.len() as u32);
        self.data.subarray(at, end).copy_to(out);
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use drydock_core::image::DiffIdHashes;

    use super::*;

    /// One thread's stand-in: waiting returns at once (the tests take
    /// turns), time moves a second per wait.
    #[derive(Debug, Clone)]
    struct Mock(Rc<MockInner>);

    #[derive(Debug)]
    struct MockInner {
        cells: [Cell<u32>; 3],
        data: RefCell<Vec<u8>>,
        clock: Cell<f64>,
    }

    impl Mock {
        fn new(capacity: usize) -> Mock {
            Mock(Rc::new(MockInner {
                cells: Default::default(),
                data: RefCell::new(vec![0; capacity]),
                clock: Cell::new(0.0),
            }))
        }
    }

    impl Shared for Mock {
        fn capacity(&self) -> u32 {
            self.0.data.borrow().len() as u32
        }
        fn load(&self, cell: u32) -> u32 {
            self.0.cells[cell as usize].get()
        }
        fn store(&self, cell: u32, value: u32) {
            self.0.cells[cell as usize].set(value);
        }
        fn set(&self, cell: u32, bits: u32) {
            let c = &self.0.cells[cell as usize];
            c.set(c.get() | bits);
        }
        fn wait(&self, _: u32, _: u32, _: f64) {
            self.0.clock.set(self.0.clock.get() + 1000.0);
        }
        fn notify(&self, _: u32) {}
        fn put(&self, at: u32, bytes: &[u8]) {
            let at = at as usize;
            self.0.data.borrow_mut()[at..at + bytes.len()].copy_from_slice(bytes);
        }
        fn get(&self, at: u32, out: &mut [u8]) {
            let at = at as usize;
            out.copy_from_slice(&self.0.data.borrow()[at..at + out.len()]);
        }
        fn now_ms(&self) -> f64 {
            self.0.clock.get()
        }
    }

    fn bytes(n: usize, seed: u8) -> Vec<u8> {
        (0..n)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect()
    }

    #[test]
    fn raw_bytes_come_out_in_order_and_layer_bytes_are_hashed() {
        // Turns: the writer writes less than the ring holds, the reader
        // takes it all; the ring wraps many times (capacity 97 bytes).
        let shared = Mock::new(97);
        let mut writer = Writer::new(shared.clone());
        let mut reader = Reader::new(shared);
        let (raw, layer) = (bytes(5000, 1), bytes(3000, 2));
        let mut got = Vec::new();
        let mut expected = DiffIdHashes::default();
        for (i, (r, l)) in raw.chunks(40).zip(layer.chunks(21)).enumerate() {
            writer.raw(r);
            writer.layer(i % 2, l);
            expected.update(i % 2, l);
            writer.flush();
            // The reader takes the raw record's bytes, and passes the layer
            // record on the next read.
            let mut out = [0u8; 64];
            let n = reader.read(&mut out).unwrap();
            got.extend_from_slice(&out[..n]);
        }
        writer.finish();
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).unwrap();
        got.extend_from_slice(&rest);
        reader.drain();
        assert!(!writer.failed());
        assert_eq!(got, raw);
        assert_eq!(reader.hashes.finish(), expected.finish());
    }

    #[test]
    fn large_and_small_layer_pieces_hash_alike() {
        let shared = Mock::new(1 << 20);
        let mut writer = Writer::new(shared.clone());
        let mut reader = Reader::new(shared);
        let (big, small) = (bytes(LAYER_RECORD + 7, 6), bytes(100, 7));
        let mut expected = DiffIdHashes::default();
        for (layer, piece) in [(3, &big), (3, &small), (3, &big), (4, &small), (4, &big)] {
            writer.layer(layer, piece);
            expected.update(layer, piece);
        }
        writer.raw(b"end");
        writer.finish();
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"end");
        assert_eq!(reader.hashes.finish(), expected.finish());
    }

    #[test]
    fn long_records_read_in_large_pieces_come_out_whole() {
        // Past the reader's buffer, large reads come straight out of the
        // ring (wrapping once: the ring is filled, drained, filled again).
        let shared = Mock::new(3 * TAKE);
        let mut writer = Writer::new(shared.clone());
        let mut reader = Reader::new(shared);
        let (first, second) = (bytes(2 * TAKE + 5, 8), bytes(2 * TAKE, 9));
        let mut got = Vec::new();
        let mut out = vec![0u8; 64 << 10];
        for record in [&first, &second] {
            writer.raw(record);
            let mut n = 0;
            while n < record.len() {
                let k = reader.read(&mut out).unwrap();
                got.extend_from_slice(&out[..k]);
                n += k;
            }
        }
        writer.finish();
        assert_eq!(reader.read(&mut out).unwrap(), 0);
        assert_eq!(got, [first, second].concat());
    }

    #[test]
    fn a_reader_that_never_comes_is_given_up_on() {
        let shared = Mock::new(64);
        let mut writer = Writer::new(shared.clone());
        writer.raw(&bytes(1000, 3));
        assert!(writer.failed());
        // And one that closes is given up at once.
        let shared = Mock::new(64);
        let mut writer = Writer::new(shared.clone());
        Reader::new(shared).close();
        writer.raw(&bytes(10, 3));
        assert!(writer.failed());
    }

    #[test]
    fn an_end_inside_a_record_is_an_error_and_inside_a_header_the_end() {
        let shared = Mock::new(1024);
        let mut writer = Writer::new(shared.clone());
        let mut reader = Reader::new(shared);
        writer.raw(&bytes(10, 4));
        // Half a header, then the end.
        writer.write(&[0u8; 6]);
        writer.finish();
        let mut out = vec![0u8; 200];
        assert_eq!(reader.read(&mut out).unwrap(), 10);
        assert_eq!(reader.read(&mut out).unwrap(), 0);
        // A header for 100 bytes, 10 of them, the end.
        let shared = Mock::new(1024);
        let mut writer = Writer::new(shared.clone());
        let mut reader = Reader::new(shared);
        writer.write(&[0, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0]);
        writer.write(&bytes(10, 5));
        writer.finish();
        assert_eq!(reader.read(&mut out).unwrap(), 10);
        assert!(reader.read(&mut out).is_err());
    }
}
