//! `cargo +nightly fuzz run image`: see ../README.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| drydock_fuzz::image(data));
