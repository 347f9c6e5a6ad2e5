//! drydock tests

/// Helpers for the image tests: tar blocks built by hand, archives made as
/// they are read (a 1,000,000-entry layer never exists in memory), and the
/// process's peak memory.
pub mod image {
    use std::io::{self, Read};

    /// A ustar header block for `path` (type `flag`, `size` data bytes).
    pub fn header(path: &str, flag: u8, size: u64) -> [u8; 512] {
        let mut b = [0u8; 512];
        let n = path.len().min(100);
        if let (Some(dst), Some(src)) = (b.get_mut(..n), path.as_bytes().get(..n)) {
            dst.copy_from_slice(src);
        }
        let mut put = |at: usize, text: &str| {
            for (i, byte) in text.bytes().enumerate() {
                if let Some(slot) = b.get_mut(at + i) {
                    *slot = byte;
                }
            }
        };
        put(100, "0000644");
        put(124, &format!("{size:011o}"));
        put(257, "ustar\0");
        put(263, "00");
        put(148, "        ");
        if let Some(slot) = b.get_mut(156) {
            *slot = flag;
        }
        let sum: u32 = b.iter().map(|&x| u32::from(x)).sum();
        let checksum = format!("{sum:06o}\0");
        for (i, byte) in checksum.bytes().enumerate() {
            if let Some(slot) = b.get_mut(148 + i) {
                *slot = byte;
            }
        }
        b
    }

    /// `bytes` padded to whole 512-byte blocks.
    pub fn padded(bytes: &[u8]) -> Vec<u8> {
        let mut v = bytes.to_vec();
        v.resize(v.len().div_ceil(512) * 512, 0);
        v
    }

    /// A reader over byte chunks made on demand.
    #[derive(Debug)]
    pub struct Generated<I> {
        chunks: I,
        current: Vec<u8>,
        at: usize,
    }

    impl<I: Iterator<Item = Vec<u8>>> Generated<I> {
        pub fn new(chunks: I) -> Self {
            Generated {
                chunks,
                current: Vec::new(),
                at: 0,
            }
        }
    }

    impl<I: Iterator<Item = Vec<u8>>> Read for Generated<I> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            while self.at >= self.current.len() {
                match self.chunks.next() {
                    Some(c) => {
                        self.current = c;
                        self.at = 0;
                    }
                    None => return Ok(0),
                }
            }
            let rest = self.current.get(self.at..).unwrap_or_default();
            let n = rest.len().min(buf.len());
            if let (Some(dst), Some(src)) = (buf.get_mut(..n), rest.get(..n)) {
                dst.copy_from_slice(src);
            }
            self.at += n;
            Ok(n)
        }
    }

    /// The outer docker-archive around one layer of `layer_size` bytes
    /// produced by `layer`: manifest, config, then the layer blob.
    pub fn docker_archive(
        layer_size: u64,
        layer: impl Iterator<Item = Vec<u8>>,
    ) -> impl Iterator<Item = Vec<u8>> {
        let manifest =
            br#"[{"Config":"config.json","RepoTags":["big:1"],"Layers":["l/layer.tar"]}]"#;
        let config = br#"{"config":{"User":"1000"},"history":[{"created_by":"COPY . /"}]}"#;
        let head = vec![
            header("manifest.json", b'0', manifest.len() as u64).to_vec(),
            padded(manifest),
            header("config.json", b'0', config.len() as u64).to_vec(),
            padded(config),
            header("l/layer.tar", b'0', layer_size).to_vec(),
        ];
        let pad = usize::try_from((512 - layer_size % 512) % 512).unwrap_or(0);
        head.into_iter()
            .chain(layer)
            .chain(std::iter::once(vec![0u8; pad + 1024]))
    }

    /// Analyses the archive `chunks` make, printing `what`, the time taken
    /// and the process's peak memory, which it returns with the analysis.
    pub fn analyze_generated(
        what: &str,
        chunks: impl Iterator<Item = Vec<u8>>,
    ) -> (drydock_core::image::ImageAnalysis, u64) {
        let before = peak_rss();
        let started = std::time::Instant::now();
        let a = drydock_core::image::analyze_image(
            Generated::new(chunks),
            None,
            &drydock_core::AnalysisOptions::DEFAULT,
        );
        let peak = peak_rss();
        println!(
            "{what}: {:.1} s, peak RSS {:.1} MB (before reading {:.1} MB)",
            started.elapsed().as_secs_f64(),
            peak as f64 / 1e6,
            before as f64 / 1e6
        );
        (a, peak)
    }

    /// The process's peak resident memory (`VmHWM`), in bytes; 0 where
    /// `/proc` is absent.
    pub fn peak_rss() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    }
}
