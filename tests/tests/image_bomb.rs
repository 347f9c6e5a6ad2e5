//! A gzip bomb layer: 1 GB of zeros in a ~1 MB gzip stream. The reader
//! streams it (decompressing to skip the data and hash the diff id) and
//! stays within bounded memory. Its own test binary, so the process's peak
//! memory is this test's.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::Write;

use drydock_core::image::Compression;
use drydock_tests::image::{analyze_generated, docker_archive, header};

const GB: u64 = 1 << 30;

#[test]
fn a_gzip_bomb_layer_is_read_in_bounded_memory() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&header("zeros", b'0', GB)).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..(GB >> 20) + 2 {
        gz.write_all(&zeros).unwrap();
    }
    let blob = gz.finish().unwrap();
    let blob_len = blob.len() as u64;
    let (a, peak) = analyze_generated(
        &format!("gzip bomb: {blob_len} B compressed, {GB} B inflated"),
        docker_archive(blob_len, std::iter::once(blob)),
    );
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert_eq!(a.layers[0].compression, Some(Compression::Gzip));
    assert_eq!(a.layers[0].size_bytes, GB);
    assert_eq!(a.layers[0].files, 1);
    assert!(peak < 128 << 20, "peak RSS {peak}");
}
