//! Tests of the image reader and analysis: the vendored fixtures with dive's
//! figures, archives built here (every format, whiteouts, accounts,
//! packages, secrets), and damaged input.

use std::io::Write;

use sha2::{Digest, Sha256};

use super::*;

/// One entry of a tar built by [`tar`].
pub struct Entry {
    pub path: String,
    pub flag: u8,
    pub mode: u32,
    pub data: Vec<u8>,
    pub link: String,
}

impl Entry {
    pub fn file(path: &str, data: &[u8]) -> Entry {
        Entry::raw(path, b'0', data)
    }
    pub fn raw(path: &str, flag: u8, data: &[u8]) -> Entry {
        Entry {
            path: path.into(),
            flag,
            mode: 0o644,
            data: data.to_vec(),
            link: String::new(),
        }
    }
    pub fn dir(path: &str) -> Entry {
        Entry {
            mode: 0o755,
            ..Entry::raw(path, b'5', b"")
        }
    }
    pub fn mode(self, mode: u32) -> Entry {
        Entry { mode, ..self }
    }
}

pub fn fix_checksum(block: &mut [u8]) {
    block[148..156].copy_from_slice(b"        ");
    let sum: u32 = block.iter().map(|&x| u32::from(x)).sum();
    block[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
}

/// A ustar archive of `entries`, with its end marker.
pub fn tar(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        let mut b = vec![0u8; 512];
        let n = e.path.len().min(100);
        b[..n].copy_from_slice(&e.path.as_bytes()[..n]);
        b[100..107].copy_from_slice(format!("{:07o}", e.mode).as_bytes());
        b[124..135].copy_from_slice(format!("{:011o}", e.data.len()).as_bytes());
        b[156] = e.flag;
        let l = e.link.len().min(100);
        b[157..157 + l].copy_from_slice(&e.link.as_bytes()[..l]);
        b[257..263].copy_from_slice(b"ustar\0");
        b[263..265].copy_from_slice(b"00");
        fix_checksum(&mut b);
        out.extend(b);
        out.extend(&e.data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.extend([0u8; 1024]);
    out
}

pub fn sha(bytes: &[u8]) -> String {
    stream::hex_digest(&Sha256::digest(bytes))
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A legacy docker-archive of uncompressed `layers` with `config`'s
/// `config` object and history; diff ids are filled in.
pub fn docker_archive(layers: &[Vec<u8>], config: &str, history: &[&str], tag: &str) -> Vec<u8> {
    let diff_ids: Vec<String> = layers.iter().map(|l| format!("\"{}\"", sha(l))).collect();
    let history: Vec<String> = history
        .iter()
        .map(|h| format!("{{\"created_by\":{}}}", serde_json::to_string(h).unwrap()))
        .collect();
    let config = format!(
        "{{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{config},\"history\":[{}],\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{}]}}}}",
        history.join(","),
        diff_ids.join(",")
    );
    let config_name = format!("{}.json", &sha(config.as_bytes())[7..]);
    let names: Vec<String> = (0..layers.len())
        .map(|i| format!("l{i}/layer.tar"))
        .collect();
    let manifest = format!(
        "[{{\"Config\":\"{config_name}\",\"RepoTags\":[\"{tag}\"],\"Layers\":{}}}]",
        serde_json::to_string(&names).unwrap()
    );
    let mut entries: Vec<Entry> = layers
        .iter()
        .zip(&names)
        .map(|(l, n)| Entry::file(n, l))
        .collect();
    entries.push(Entry::file(&config_name, config.as_bytes()));
    entries.push(Entry::file("manifest.json", manifest.as_bytes()));
    tar(&entries)
}

/// Analyses `bytes`, after checking that the split read (two passes,
/// merged) gives exactly the archive of the single verified pass.
fn analyze(bytes: &[u8]) -> ImageAnalysis {
    let single = read_every_way(bytes)
        .unwrap_or_else(|split| panic!("the {split:?} split read differs from the single pass"));
    analyze_archive(&single, None, &AnalysisOptions::DEFAULT)
}

fn rules(a: &ImageAnalysis) -> Vec<(&'static str, Option<&str>)> {
    a.findings
        .iter()
        .map(|f| (f.finding.rule, f.path.as_deref()))
        .collect()
}

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/images")
        .join(name);
    std::fs::read(path).unwrap()
}

/// (file, efficiency, size, user size, wasted, user wasted fraction, layer
/// sizes) from `../shared/images/dive-metrics.jsonl`.
type Dive = (
    &'static str,
    f64,
    u64,
    u64,
    u64,
    Option<f64>,
    &'static [u64],
);
const DIVE: &[Dive] = &[
    ("hello-world-v25.tar", 1.0, 9136, 0, 0, None, &[9136]),
    ("overwritten_file.tar", 0.5, 8, 4, 4, Some(1.0), &[4, 4, 0]),
    (
        "test-kaniko-image.tar",
        0.9793688490216431,
        1326410,
        94677,
        46245,
        Some(0.4884502043790995),
        &[
            1231733, 9249, 0, 9249, 9249, 9249, 9249, 9249, 9249, 0, 2187, 9249, 9249, 9249,
        ],
    ),
    ("test-oci-zstd-image.tar", 1.0, 11189, 0, 0, None, &[11189]),
    ("test-oci-gzip-image.tar", 1.0, 11189, 0, 0, None, &[11189]),
    (
        "test-oci-uncompressed-image.tar",
        1.0,
        11189,
        0,
        0,
        None,
        &[11189],
    ),
    ("test_bundle.tar", 1.0, 8, 0, 0, None, &[8]),
    ("test_link.tar", 1.0, 8, 0, 0, None, &[8]),
    ("whiteout_image.tar", 0.5, 8, 0, 4, None, &[8, 0, 0]),
];

#[test]
fn vendored_fixtures_give_dives_figures() {
    for &(file, eff, size, user, wasted, percent, layers) in DIVE {
        let a = analyze(&fixture(file));
        assert!(a.errors.is_empty(), "{file}: {:?}", a.errors);
        let f = &a.figures;
        assert_eq!(
            (
                f.efficiency,
                f.size_bytes,
                f.user_size_bytes,
                f.wasted_bytes,
                f.user_wasted_percent
            ),
            (eff, size, user, wasted, percent),
            "{file}"
        );
        let sizes: Vec<u64> = a.layers.iter().map(|l| l.size_bytes).collect();
        assert_eq!(sizes, layers, "{file}");
        assert!(a.layers.iter().all(|l| l.created_by.is_some()), "{file}");
    }
}

#[test]
fn formats_and_compressions_are_recognised() {
    let cases = [
        (
            "hello-world-v25.tar",
            Format::DockerArchiveOci,
            Compression::None,
        ),
        (
            "test-kaniko-image.tar",
            Format::DockerArchive,
            Compression::Gzip,
        ),
        (
            "test-oci-zstd-image.tar",
            Format::OciArchive,
            Compression::Zstd,
        ),
        (
            "test-oci-gzip-image.tar",
            Format::OciArchive,
            Compression::Gzip,
        ),
    ];
    for (file, format, layer) in cases {
        let a = analyze(&fixture(file));
        assert_eq!(a.format, Some(format), "{file}");
        assert_eq!(a.layers[0].compression, Some(layer), "{file}");
    }
    // The whole archive gzip'ed.
    let a = analyze(&gzip(&fixture("test-kaniko-image.tar")));
    assert_eq!(a.archive_compression, Some(Compression::Gzip));
    assert_eq!(a.figures.wasted_bytes, 46245);
    assert!(a.errors.is_empty(), "{:?}", a.errors);
}

#[test]
fn several_images_are_picked_by_tag() {
    let bytes = fixture("test_bundle.tar");
    let archive = read(bytes.as_slice(), &mut |_| true);
    let first = analyze_archive(&archive, None, &AnalysisOptions::DEFAULT);
    assert_eq!(first.images.len(), 2);
    assert_eq!(first.selected, Some(0));
    let second = analyze_archive(&archive, Some("test_image_1"), &AnalysisOptions::DEFAULT);
    assert_eq!(second.selected, Some(1));
    assert!(second.errors.is_empty(), "{:?}", second.errors);
    assert_ne!(first.layers[0].digest, second.layers[0].digest);
    let none = analyze_archive(&archive, Some("nope"), &AnalysisOptions::DEFAULT);
    assert_eq!(none.selected, None);
    assert_eq!(
        none.errors,
        ["no image is tagged `nope`; the archive has: test_image_2, test_image_1"]
    );
}

#[test]
fn a_layer_reached_through_a_link_is_found() {
    let a = analyze(&fixture("test_link.tar"));
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert!(!a.layers[0].missing);
    // Every image of the archive resolves.
    let archive = read(fixture("test_link.tar").as_slice(), &mut |_| true);
    for tag in analyze_archive(&archive, None, &AnalysisOptions::DEFAULT)
        .images
        .iter()
        .flat_map(|i| i.tags.clone())
    {
        let a = analyze_archive(&archive, Some(&tag), &AnalysisOptions::DEFAULT);
        assert!(a.errors.is_empty(), "{tag}: {:?}", a.errors);
        assert!(a.layers.iter().all(|l| !l.missing), "{tag}");
    }
}

fn base_layer() -> Vec<u8> {
    tar(&[
        Entry::dir("etc/"),
        Entry::file("etc/os-release", b"ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
        Entry::file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\napp:x:1000:1000::/app:/bin/sh\nweb:x:1000:1000::/:/bin/false\n"),
        Entry::file("etc/group", b"root:x:0:\napp:x:1000:\n"),
        Entry::file("etc/shadow", b"root:*:19000::::::\napp::19000::::::\n"),
        Entry::file(
            "var/lib/dpkg/status",
            b"Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nSource: glibc (2.36-9)\nVersion: 2.36-9+deb12u4\n\nPackage: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b2\n",
        ),
        Entry::file("bin/bash", b"ELF").mode(0o755),
        Entry::file("usr/bin/passwd", b"ELF").mode(0o4755),
        Entry::file("usr/bin/apt-get", b"ELF").mode(0o755),
        Entry::dir("tmp/").mode(0o1777),
        Entry::dir("opt/cache/"),
        Entry::file("opt/cache/a", &[7u8; 3000]),
        Entry::file("opt/cache/b", &[7u8; 1000]),
    ])
}

fn app_layer() -> Vec<u8> {
    let key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDH3S1bHnZyuJbzrCqJ6xZlmJQ0cyq8wqSRXGRcjEt2ZwAAAJgqTa4WKk2u\n-----END OPENSSH PRIVATE KEY-----\n";
    tar(&[
        Entry::dir("app/"),
        Entry::file("app/deploy.key", key.as_bytes()),
        Entry::file("app/.env", b"DB_PASSWORD=hunter2hunter2\n"),
        Entry::file("app/open.txt", b"x").mode(0o666),
        Entry::dir("app/.git/"),
        Entry::file("app/.git/HEAD", b"ref: refs/heads/main\n"),
        Entry::file("opt/.wh.cache", b""),
        Entry::file("bin/bash", b"ELF2").mode(0o755),
    ])
}

const CONFIG: &str = r#"{"User":"","Env":["PATH=/usr/bin","GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789"],"ExposedPorts":{"22/tcp":{},"8080/tcp":{}},"Volumes":{"/etc":{}},"Labels":{"maintainer":"me"}}"#;

#[test]
fn a_built_image_is_analysed_like_dive_dockle_and_syft() {
    let archive = docker_archive(
        &[base_layer(), app_layer()],
        CONFIG,
        &[
            "/bin/sh -c #(nop) ADD file:abc in / ",
            "/bin/sh -c curl -fsSL https://example.com/install.sh | sh",
        ],
        "example/app:latest",
    );
    let a = analyze(&archive);
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert_eq!(a.format, Some(Format::DockerArchive));
    let os = a.os.as_ref().unwrap();
    assert_eq!(
        (os.id.as_str(), os.version_id.as_deref()),
        ("debian", Some("12"))
    );
    let pkgs: Vec<_> = a
        .packages
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.version.as_str(),
                p.arch.as_deref(),
                p.source.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        pkgs,
        [
            ("bash", "5.2.15-2+b2", Some("amd64"), None),
            ("libc6", "2.36-9+deb12u4", Some("amd64"), Some("glibc")),
        ]
    );
    // The deleted /opt/cache (4,000 B) and the overwritten /bin/bash (3 B).
    assert_eq!(a.figures.reclaimable_bytes, 4003);
    assert_eq!(a.figures.top_wasted[0].path, "/opt/cache");
    // dive does not count the deleted directory: only /bin/bash is wasted.
    assert_eq!(a.figures.wasted_bytes, 7);
    let found = rules(&a);
    for expected in [
        ("DI001", None),
        ("DI002", None),
        ("DI003", None),
        ("DI004", None),
        ("DI005", Some("/app/deploy.key")),
        ("DI005", Some("/app/.env")),
        ("DI006", Some("/usr/bin/passwd")),
        ("DI007", Some("/app/open.txt")),
        ("DI008", None),
        ("DI009", Some("/etc/passwd")),
        ("DI010", Some("/etc/passwd")),
        ("DI011", Some("/etc/shadow")),
        ("DI012", None),
        ("DI013", None),
        ("DI014", Some("/app/.git")),
        ("DD008", None),
        ("DD102", None),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    // /tmp is world-writable but sticky: fine.
    assert!(!found.contains(&("DI007", Some("/tmp"))));
    // No secret is ever shown.
    let json = serde_json::to_string(&a).unwrap();
    for secret in [
        "hunter2hunter2",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "b3BlbnNzaC1rZXktdjEAAAAABG5",
    ] {
        assert!(!json.contains(secret), "{secret} leaked");
    }
    assert!(a.score <= score::CRITICAL_CAP);
    // History findings point into the reconstructed Dockerfile.
    let curl = a
        .findings
        .iter()
        .find(|f| f.finding.rule == "DD102")
        .unwrap();
    assert_eq!(curl.layer, Some(1));
    let line = a.dockerfile.lines().nth(curl.finding.line - 1).unwrap();
    assert!(line.starts_with("RUN curl"), "{line}");
}

#[test]
fn damage_is_reported_and_the_rest_analysed() {
    let good = docker_archive(&[base_layer(), app_layer()], CONFIG, &["a", "b"], "t:1");
    // A layer whose content does not match the config's diff id.
    let mut tampered = good.clone();
    let at = tampered.windows(7).position(|w| w == b"PRETTY_").unwrap();
    tampered[at] = b'Q';
    let a = analyze(&tampered);
    assert!(
        a.errors.iter().any(|e| e.contains("digest mismatch")),
        "{:?}",
        a.errors
    );
    assert_eq!(a.layers.len(), 2);
    // Not verifying: the same analysis, no digest checked.
    let archive = read_with(
        &tampered[..],
        ReadOptions {
            verify_digests: false,
        },
        &mut |_| true,
    );
    let a = analyze_archive(&archive, None, &AnalysisOptions::DEFAULT);
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert!(a.layers.iter().all(|l| l.digest.starts_with("sha256:")));
    // Bad JSON in the config.
    let broken = docker_archive(&[base_layer()], "{\"User\":", &[], "t:1");
    let a = analyze(&broken);
    assert!(
        a.errors.iter().any(|e| e.contains("bad JSON")),
        "{:?}",
        a.errors
    );
    assert_eq!(
        a.figures.size_bytes,
        analyze(&docker_archive(&[base_layer()], "{}", &[], "t"))
            .figures
            .size_bytes
    );
    // A missing layer.
    let manifest = br#"[{"Config":"c.json","RepoTags":["t:1"],"Layers":["gone/layer.tar"]}]"#;
    let a = analyze(&tar(&[
        Entry::file("c.json", b"{\"config\":{}}"),
        Entry::file("manifest.json", manifest),
    ]));
    assert!(a.layers[0].missing);
    assert!(
        a.errors.iter().any(|e| e.contains("missing")),
        "{:?}",
        a.errors
    );
    // Not an archive at all.
    let a = analyze(b"hello world");
    assert!(!a.errors.is_empty());
    assert_eq!(a.selected, None);
    // A corrupt gzip layer.
    let mut gz = gzip(&base_layer());
    let mid = gz.len() / 2;
    gz[mid] ^= 0xff;
    gz[mid + 1] ^= 0xff;
    let a = analyze(&tar(&[
        Entry::file("l.tar.gz", &gz),
        Entry::file("c.json", b"{\"config\":{\"User\":\"1000\"}}"),
        Entry::file(
            "manifest.json",
            br#"[{"Config":"c.json","Layers":["l.tar.gz"]}]"#,
        ),
    ]));
    assert!(
        a.errors.iter().any(|e| e.starts_with("l.tar.gz:")),
        "{:?}",
        a.errors
    );
}

#[test]
fn diff_ids_hashed_beside_the_blobs_are_merged_and_checked() {
    let (base, app) = (base_layer(), app_layer());
    let config = format!(
        r#"{{"config":{{}},"rootfs":{{"type":"layers","diff_ids":["{}","{}"]}}}}"#,
        sha(&base),
        sha(&app)
    );
    let manifest =
        br#"[{"Config":"c.json","RepoTags":["t:1"],"Layers":["l0/layer.tar","l1/layer.tar"]}]"#;
    let good = tar(&[
        Entry::file("l0/layer.tar", &gzip(&base)),
        Entry::file("l1/layer.tar", &app),
        Entry::file("c.json", config.as_bytes()),
        Entry::file("manifest.json", manifest),
    ]);
    let single = read(&good[..], &mut |_| true);
    let a = analyze_archive(&single, None, &AnalysisOptions::DEFAULT);
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    let mut sent: Vec<(usize, Vec<u8>)> = Vec::new();
    let pending = read_without_digests(
        &good[..],
        DiffIds::Digests,
        &mut |_| true,
        &mut |layer, bytes| match sent.last_mut() {
            Some((l, b)) if *l == layer => b.extend_from_slice(bytes),
            _ => sent.push((layer, bytes.to_vec())),
        },
    );
    // Only the compressed layer's bytes go out, whole and uncompressed.
    assert_eq!(sent, vec![(0, base.clone())]);
    let digests = read_blob_digests_with(&good[..], DiffIds::Digests, &mut |_| true);
    // Without the diff id the analysis pass left out, no merge.
    assert_eq!(merge_digests(pending.clone(), &digests), None);
    let mut with = digests.clone();
    with.diff_ids = vec![(0, sha(&base))];
    assert_eq!(
        merge_digests(pending.clone(), &with).as_ref(),
        Some(&single)
    );
    // A diff id that does not match the config's is reported as one.
    with.diff_ids = vec![(0, sha(b"something else"))];
    let merged = merge_digests(pending, &with).unwrap();
    let a = analyze_archive(&merged, None, &AnalysisOptions::DEFAULT);
    assert!(
        a.errors.iter().any(|e| e.contains("digest mismatch")),
        "{:?}",
        a.errors
    );
}

#[test]
fn cancelling_stops_the_read() {
    let big = docker_archive(
        &[tar(&[Entry::file("big", &vec![1u8; 3 << 20])])],
        "{}",
        &[],
        "t",
    );
    let mut calls = 0;
    let archive = read(big.as_slice(), &mut |p| {
        calls += 1;
        assert!(p.bytes_read >= stream::PROGRESS_EVERY);
        false
    });
    assert_eq!(calls, 1);
    assert!(archive.cancelled);
    let a = analyze_archive(&archive, None, &AnalysisOptions::DEFAULT);
    assert!(a.cancelled);
    assert!(a.errors.iter().any(|e| e.contains("cancelled")));
}

#[test]
fn a_layer_whose_first_file_looks_like_json_is_a_layer() {
    let layer = tar(&[Entry::file("{weird}.txt", b"x")]);
    let a = analyze(&docker_archive(&[layer], "{\"User\":\"1\"}", &[], "t"));
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert_eq!(a.layers[0].files, 1);
}

#[test]
fn opaque_directories_hide_what_was_below() {
    let lower = tar(&[
        Entry::dir("d/"),
        Entry::file("d/a", &[1; 100]),
        Entry::file("d/b", &[1; 50]),
    ]);
    let upper = tar(&[
        Entry::dir("d/"),
        Entry::file("d/.wh..wh..opq", b""),
        Entry::file("d/c", &[1; 10]),
    ]);
    let a = analyze(&docker_archive(
        &[lower, upper],
        "{\"User\":\"1\"}",
        &[],
        "t",
    ));
    assert_eq!(a.figures.reclaimable_bytes, 150);
    // dive ignores the opaque marker: nothing is wasted in its eyes.
    assert_eq!(a.figures.wasted_bytes, 0);
}

#[test]
fn nested_oci_indexes_and_zstd_layers_are_followed() {
    let layer = tar(&[Entry::file("hello", b"hi")]);
    let blob = ruzstd::encoding::compress_to_vec(
        layer.as_slice(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    let config = format!(
        "{{\"config\":{{\"User\":\"65532\"}},\"rootfs\":{{\"diff_ids\":[\"{}\"]}},\"history\":[{{\"created_by\":\"COPY hello /\"}}]}}",
        sha(&layer)
    );
    let manifest = format!(
        "{{\"config\":{{\"digest\":\"{}\"}},\"layers\":[{{\"digest\":\"{}\"}}]}}",
        sha(config.as_bytes()),
        sha(&blob)
    );
    let inner = format!(
        "{{\"manifests\":[{{\"digest\":\"{}\",\"platform\":{{\"os\":\"linux\",\"architecture\":\"arm64\"}}}}]}}",
        sha(manifest.as_bytes())
    );
    let index = format!(
        "{{\"manifests\":[{{\"digest\":\"{}\",\"annotations\":{{\"org.opencontainers.image.ref.name\":\"v1\"}}}}]}}",
        sha(inner.as_bytes())
    );
    let blob_entry =
        |bytes: &[u8]| Entry::file(&format!("blobs/sha256/{}", &sha(bytes)[7..]), bytes);
    let archive = tar(&[
        blob_entry(&blob),
        blob_entry(config.as_bytes()),
        blob_entry(manifest.as_bytes()),
        blob_entry(inner.as_bytes()),
        Entry::file("index.json", index.as_bytes()),
    ]);
    let a = analyze_image(archive.as_slice(), Some("v1"), &AnalysisOptions::DEFAULT);
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert_eq!(a.format, Some(Format::OciArchive));
    assert_eq!(a.images[0].platform.as_deref(), Some("linux/arm64"));
    assert_eq!(a.layers[0].compression, Some(Compression::Zstd));
    assert_eq!(a.layers[0].diff_id, sha(&layer));
    assert_eq!(a.layers[0].created_by.as_deref(), Some("COPY hello /"));
    assert!(!rules(&a).contains(&("DI001", None)));
}

/// Truncation at many offsets and flipped bytes: never a panic; a cut in
/// the first half is always reported.
#[test]
fn damaged_fixtures_never_panic() {
    for file in [
        "hello-world-v25.tar",
        "test-oci-zstd-image.tar",
        "test-oci-gzip-image.tar",
        "whiteout_image.tar",
    ] {
        let bytes = fixture(file);
        let gz = gzip(&bytes);
        for source in [&bytes, &gz] {
            let n = source.len();
            for cut in (0..16).map(|k| n * k / 16).chain([1, 511, 513, n - 1]) {
                let a = analyze(&source[..cut]);
                if cut <= n / 2 {
                    assert!(!a.errors.is_empty(), "{file} cut at {cut} of {n}");
                }
            }
            for at in (0..n).step_by(97) {
                let mut flipped = source.to_vec();
                flipped[at] ^= 0x5a;
                let _ = analyze(&flipped);
            }
        }
    }
}

/// `COVERAGE.md` rows: id → the checks and rules it names.
fn coverage() -> Vec<(String, Vec<String>)> {
    let text = include_str!("COVERAGE.md");
    text.lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| id "))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(cells.len(), 3, "{l}");
            assert!(!cells[2].is_empty(), "no note for {}", cells[0]);
            let by = cells[1]
                .split(',')
                .map(str::trim)
                .filter(|c| *c != "—")
                .map(str::to_string)
                .collect();
            (cells[0].to_string(), by)
        })
        .collect()
}

#[test]
fn dockle_rows_are_covered_or_explained() {
    let rows = coverage();
    for (id, by) in &rows {
        for check in by {
            let aliases = CHECKS
                .iter()
                .map(|c| (c.id, c.aliases))
                .chain(
                    crate::rules::REGISTRY
                        .iter()
                        .map(|r| (r.meta().id, r.meta().aliases)),
                )
                .find(|(c, _)| c == check)
                .map(|(_, a)| a)
                .unwrap_or_else(|| panic!("{id}: no check or rule {check}"));
            assert!(
                aliases.contains(&id.as_str()),
                "{check} does not alias {id}"
            );
        }
    }
    // Every alias of a DI check is in the table as covered by it.
    for check in CHECKS {
        for alias in check.aliases {
            assert!(
                rows.iter()
                    .any(|(id, by)| id == alias && by.iter().any(|b| b == check.id)),
                "{} aliases {alias}, not in COVERAGE.md",
                check.id
            );
        }
    }
    let catalogue =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/rules/catalogue.tsv");
    let Ok(text) = std::fs::read_to_string(&catalogue) else {
        println!(
            "note: {} is absent; dockle rows not compared",
            catalogue.display()
        );
        return;
    };
    let dockle: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("dockle\t"))
        .filter_map(|l| l.split('\t').nth(1))
        .collect();
    assert_eq!(dockle.len(), rows.len());
    for id in dockle {
        assert!(
            rows.iter().any(|(r, _)| r == id),
            "{id} missing from COVERAGE.md"
        );
    }
}

#[test]
fn layer_changes_say_added_modified_removed() {
    let lower = tar(&[
        Entry::dir("d/"),
        Entry::file("d/a", &[1; 100]),
        Entry::file("d/b", &[1; 50]),
    ]);
    let upper = tar(&[
        Entry::dir("d/"),
        Entry::file("d/a", &[2; 7]),
        Entry::file("d/.wh.b", b""),
        Entry::file("d/c", &[1; 10]),
    ]);
    let bytes = docker_archive(&[lower, upper], "{\"User\":\"1\"}", &[], "t");
    let archive = read(bytes.as_slice(), &mut |_| true);
    let a = analyze_archive(&archive, None, &AnalysisOptions::DEFAULT);
    let image = &a.images[a.selected.unwrap()];
    let layers = layer_changes(&archive, image, 100);
    assert_eq!(layers.len(), 2);
    let rows = |l: &LayerChanges| {
        l.changes
            .iter()
            .map(|c| (c.path.clone(), c.kind, c.size))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        rows(&layers[0]),
        [
            ("/d".to_string(), ChangeKind::Added, 0),
            ("/d/a".to_string(), ChangeKind::Added, 100),
            ("/d/b".to_string(), ChangeKind::Added, 50),
        ]
    );
    assert_eq!(
        rows(&layers[1]),
        [
            ("/d/a".to_string(), ChangeKind::Modified, 7),
            ("/d/b".to_string(), ChangeKind::Removed, 0),
            ("/d/c".to_string(), ChangeKind::Added, 10),
        ]
    );
    assert_eq!(
        (layers[1].added, layers[1].modified, layers[1].removed),
        (1, 1, 1)
    );
    // Bounded: the counts stay whole.
    let capped = layer_changes(&archive, image, 1);
    assert_eq!(capped[1].changes.len(), 1);
    assert!(capped[1].truncated);
    assert_eq!(capped[1].added + capped[1].modified + capped[1].removed, 3);
}

#[test]
fn a_path_stored_twice_keeps_its_last_digest_in_split_reads() {
    // Found by fuzzing (run 25): the split reads give blobs to the two
    // passes in turn, and the merge put the digest side's digests in after
    // all of the analysis pass's own — so an earlier entry of a path the
    // archive holds twice overwrote the later one's digest. Two entries: the
    // first is the digest side's in the CLI's split; three: the first two
    // are in the browser's, the third the analysis pass's.
    for copies in [2, 3] {
        let contents: Vec<Vec<u8>> = (0..copies).map(|i| vec![b'a' + i as u8; 4096]).collect();
        let entries: Vec<Entry> = contents.iter().map(|c| Entry::file("blobs/x", c)).collect();
        let bytes = tar(&entries);
        let archive = read_every_way(&bytes)
            .unwrap_or_else(|split| panic!("{copies} copies: the {split:?} split differs"));
        assert_eq!(
            archive.digests.get("blobs/x"),
            contents.last().map(|c| sha(c)).as_ref(),
            "{copies} copies"
        );
    }
}

#[test]
fn a_layer_path_stored_twice_keeps_its_last_digest_in_split_reads() {
    // Found by fuzzing (run 28): the second copy of a layer's path is not a
    // layer, so the path still names the first copy's layer, and each copy
    // puts its digest on that layer — the later one's must stay, whichever
    // pass hashed which (the first copy is the digest side's in every split,
    // the second the analysis pass's).
    let layer = tar(&[Entry::file("etc/motd", &[b'm'; 6000])]);
    let second = vec![b'a'; 2048];
    let bytes = tar(&[
        Entry::file("l0/layer.tar", &layer),
        Entry::file("l0/layer.tar", &second),
    ]);
    let archive = read_every_way(&bytes)
        .unwrap_or_else(|split| panic!("the {split:?} split differs from the single pass"));
    assert_eq!(archive.layers.len(), 1);
    assert_eq!(archive.layers[0].digest, sha(&second));
}
