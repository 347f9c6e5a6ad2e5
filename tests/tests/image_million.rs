//! A layer of 1,000,000 entries (1,000 directories of 1,000 empty files),
//! generated as it is read: the summary keeps 16 bytes an entry and each
//! path once, so memory stays bounded. Its own test binary, so the
//! process's peak memory is this test's.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use drydock_tests::image::{analyze_generated, docker_archive, header};

const DIRS: u64 = 1_000;
const FILES: u64 = 1_000;

#[test]
fn a_million_entry_layer_is_read_in_bounded_memory() {
    let entries = DIRS * (FILES + 1);
    let layer_size = (entries + 2) * 512;
    let layer = (0..DIRS)
        .map(|d| {
            let mut chunk = Vec::with_capacity(512 * (FILES as usize + 1));
            chunk.extend(header(&format!("srv/d{d:04}/"), b'5', 0));
            for f in 0..FILES {
                chunk.extend(header(&format!("srv/d{d:04}/file-{f:04}.txt"), b'0', 0));
            }
            chunk
        })
        .chain(std::iter::once(vec![0u8; 1024]));
    let (a, peak) = analyze_generated(
        &format!("1,000,000-entry layer: {entries} entries, {layer_size} B"),
        docker_archive(layer_size, layer),
    );
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert_eq!(a.layers[0].files, DIRS * FILES);
    assert!(peak < 128 << 20, "peak RSS {peak}");
}
