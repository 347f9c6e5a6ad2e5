use super::*;

fn est(text: &str) -> SizeEstimate {
    estimate_text(text, &SizeOptions::default())
}

const SEED: &str = include_str!("../../../web/examples/multi-stage-golang.Dockerfile");

#[test]
fn the_seed_golang_example_is_10_to_20_mb() {
    let e = est(SEED);
    let mb = e.uncompressed_bytes.expected as f64 / 1e6;
    assert!((10.0..=20.0).contains(&mb), "{mb} MB: {e:#?}");
    assert_eq!(e.stage_index, Some(1));
    // Base + three COPY --from lines.
    let kinds: Vec<_> = e.breakdown.iter().map(|i| (i.line, i.kind)).collect();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert!(
        !e.needs_context,
        "the final stage copies nothing from the context"
    );
    assert!(
        e.alternatives
            .iter()
            .any(|a| a.to.contains("distroless/static")),
        "{:?}",
        e.alternatives
    );
}

#[test]
fn a_listed_tag_is_known_and_exact() {
    let e = est("FROM python:3.12-slim\n");
    assert_eq!(e.compressed_bytes, Bytes::exact(43_188_023));
    assert_eq!(e.uncompressed_bytes, Bytes::exact(119_200_000));
    assert_eq!(e.certainty, Certainty::Known);
}

#[test]
fn an_unlisted_tag_uses_its_family_and_excluding_a_tag_works() {
    let e = est("FROM golang:1.19-alpine\n");
    assert_eq!(e.certainty, Certainty::Approximate);
    assert!(
        e.breakdown[0].reason.contains("family"),
        "{}",
        e.breakdown[0].reason
    );
    let opts = SizeOptions {
        exclude_tag: Some("python:3.12-slim".into()),
        ..SizeOptions::default()
    };
    let excluded = estimate_text("FROM python:3.12-slim\n", &opts);
    assert_eq!(excluded.certainty, Certainty::Approximate);
    assert_ne!(excluded.compressed_bytes, Bytes::exact(43_188_023));
}

#[test]
fn an_unknown_image_is_unknown_with_a_range() {
    let e = est("FROM example.com/team/app:1\n");
    assert_eq!(e.certainty, Certainty::Unknown);
    assert!(e.compressed_bytes.low < e.compressed_bytes.expected);
    assert!(e.compressed_bytes.expected < e.compressed_bytes.high);
}

#[test]
fn recommends_and_lists_cost_and_same_run_cleanup_saves() {
    let run = |script: &str| {
        let e = est(&format!("FROM debian:bookworm-slim\nRUN {script}\n"));
        e.breakdown[1].clone()
    };
    let plain = run("apt-get update && apt-get install -y curl");
    let lean = run(
        "apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
    );
    assert!(
        plain.bytes.expected > lean.bytes.expected + 15 * MB,
        "{plain:?} {lean:?}"
    );
    assert!(plain.reason.contains("--no-install-recommends"));
    assert!(plain.reason.contains("/var/lib/apt/lists"));
    // A later rm saves nothing: the lists stay in the earlier layer.
    let later = est(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\n",
    );
    let same = est(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n",
    );
    assert!(later.uncompressed_bytes.expected >= same.uncompressed_bytes.expected + 10 * MB);
    assert!(later.breakdown[2].reason.contains("saves nothing"));
}

#[test]
fn build_then_purge_leaves_little_and_shared_deps_count_once() {
    let purge = est(
        "FROM debian:bookworm-slim\nRUN savedAptMark=\"$(apt-mark showmanual)\"; apt-get update; apt-get install -y --no-install-recommends gcc make; make; apt-mark auto '.*' > /dev/null; apt-get purge -y --auto-remove; rm -rf /var/lib/apt/lists/*\n",
    );
    assert!(
        purge.breakdown[1].reason.contains("build-then-purge"),
        "{}",
        purge.breakdown[1].reason
    );
    let apk = est(
        "FROM alpine:3.22\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && make && apk del .build-deps\n",
    );
    assert!(
        apk.breakdown[1].reason.contains("build-then-purge"),
        "{}",
        apk.breakdown[1].reason
    );
    let once = est(
        "FROM debian:bookworm-slim\nRUN apt-get install -y --no-install-recommends curl wget\n",
    );
    let twice = est(
        "FROM debian:bookworm-slim\nRUN apt-get install -y --no-install-recommends curl\nRUN apt-get install -y --no-install-recommends curl\n",
    );
    assert!(
        twice.breakdown[2].bytes.expected == 0,
        "{:?}",
        twice.breakdown[2]
    );
    assert!(once.breakdown[1].bytes.expected > 0);
}

#[test]
fn pip_and_npm_caches_are_reported() {
    let e = est("FROM python:3.12-slim\nRUN pip install flask\n");
    assert!(e.breakdown[1].reason.contains("--no-cache-dir"));
    assert_eq!(e.breakdown[1].certainty, Certainty::Unknown);
    let n = est("FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n");
    assert!(!n.breakdown[1].reason.contains("--no-cache-dir"));
    let npm = est("FROM node:22-slim\nRUN npm ci\n");
    assert!(npm.breakdown[1].reason.contains("cache"));
}

#[test]
fn only_the_final_stage_ships_and_stage_can_be_chosen() {
    let text = "FROM golang:1.25-trixie AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\n";
    let e = est(text);
    assert_eq!(e.final_stage.as_deref(), Some("stage 1"));
    assert!(e.uncompressed_bytes.expected < 50 * MB, "{e:#?}");
    assert!(
        e.breakdown[1].reason.contains("Go binary"),
        "{}",
        e.breakdown[1].reason
    );
    let build = estimate_text(
        text,
        &SizeOptions {
            stage: Some(0),
            ..SizeOptions::default()
        },
    );
    assert_eq!(build.final_stage.as_deref(), Some("build"));
    assert!(build.uncompressed_bytes.expected > 800 * MB);
    assert_eq!(e.stages.len(), 2);
    assert!(e.stages[1].ships && !e.stages[0].ships);
}

#[test]
fn copy_dot_needs_the_context_size() {
    let text = "FROM alpine:3.22\nCOPY . /app\n";
    let e = est(text);
    assert!(e.needs_context);
    assert_eq!(e.breakdown[1].certainty, Certainty::Unknown);
    assert!(e.breakdown[1].reason.contains("build context"));
    let given = estimate_text(
        text,
        &SizeOptions {
            context_bytes: Some(5 * MB),
            ..SizeOptions::default()
        },
    );
    assert!(!given.needs_context);
    assert_eq!(given.breakdown[1].bytes, Bytes::exact(5 * MB));
}

#[test]
fn totals_are_the_sums_and_ranges_are_ordered() {
    let e = est(SEED);
    let sum = e
        .breakdown
        .iter()
        .fold(Bytes::ZERO, |acc, i| acc.plus(i.bytes));
    assert_eq!(sum, e.uncompressed_bytes);
    for i in &e.breakdown {
        for b in [i.bytes, i.compressed_bytes] {
            assert!(b.low <= b.expected && b.expected <= b.high, "{i:?}");
        }
    }
}

#[test]
fn human_sizes() {
    assert_eq!(human(0), "0 B");
    assert_eq!(human(2_097_152), "2.1 MB");
    assert_eq!(human(805_000_000), "805 MB");
    assert_eq!(human(u64::MAX), "18446744 TB");
    assert_eq!(human(999_960), "1.0 MB");
    assert_eq!(human(99_950_000), "100 MB");
    assert_eq!(human(12_345), "12.3 kB");
}

#[test]
fn sizes_parse_without_floating_point() {
    assert_eq!(parse_size("250", MB), Some(250 * MB));
    assert_eq!(parse_size("1.5", MB), Some(1_500_000));
    assert_eq!(parse_size(".5", MB), Some(500_000));
    assert_eq!(parse_size("50MB", 1), Some(50 * MB));
    assert_eq!(parse_size("2 GiB", 1), Some(2 * 1024 * 1024 * 1024));
    assert_eq!(parse_size("120000", 1), Some(120_000));
    for bad in [
        "",
        ".",
        "x",
        "1.2.3",
        "-1",
        "5 parsecs",
        "99999999999999999999",
    ] {
        assert_eq!(parse_size(bad, MB), None, "{bad}");
    }
}

#[test]
fn never_panics_on_adversarial_input() {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let pieces = [
        "FROM ",
        "scratch",
        "golang:1.21",
        " AS b\n",
        "RUN ",
        "apt-get install -y curl",
        " && ",
        "apk add --virtual x y",
        "apk del x",
        "COPY --from=",
        "b",
        "0",
        "9",
        " . /\n",
        "ADD ",
        "http://x/y.tar.gz",
        " /x\n",
        "\\\n",
        "\"",
        "$(",
        "${A:-",
        "\u{0}",
        "é",
        "\n",
        "go build -o /a",
        "pip install -r r.txt",
        "COPY <<EOF /f\nhi\nEOF\n",
        "FROM gcr.io/distroless/",
        "ARG B\nFROM $B\n",
    ];
    for _ in 0..2000 {
        let n = (next() % 20) as usize;
        let text: String = (0..n)
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect();
        let e = est(&text);
        assert!(e.uncompressed_bytes.low <= e.uncompressed_bytes.high);
    }
    // Random bytes.
    for _ in 0..300 {
        let bytes: Vec<u8> = (0..(next() % 400)).map(|_| next() as u8).collect();
        let _ = est(&String::from_utf8_lossy(&bytes));
    }
    // Many stages copying from each other stay linear-ish.
    let mut big = String::from("FROM golang:1.21 AS s0\nRUN go build -o /a\n");
    for i in 1..500 {
        big.push_str(&format!(
            "FROM s{} AS s{i}\nCOPY --from=s{} /a /a\nRUN apt-get install -y curl git\n",
            i - 1,
            i - 1
        ));
    }
    let e = est(&big);
    assert!(e.uncompressed_bytes.expected > 0);
    // A hundred thousand packages: the reason stays short.
    let many: Vec<String> = (0..100_000).map(|i| format!("p{i}")).collect();
    let e = est(&format!(
        "FROM alpine:3.22\nRUN apk add {}\n",
        many.join(" ")
    ));
    assert!(
        e.breakdown[1].reason.len() < 1000,
        "{}",
        e.breakdown[1].reason.len()
    );
}

#[test]
fn only_the_amd64_branch_of_an_arch_case_counts() {
    let e = est(
        "FROM debian:bookworm-slim\nRUN dpkgArch=\"$(dpkg --print-architecture)\"; case \"$dpkgArch\" in amd64) apt-get install -y --no-install-recommends curl ;; *) apt-get install -y --no-install-recommends gcc make ;; esac\n",
    );
    let reason = &e.breakdown[1].reason;
    assert!(
        reason.contains("curl") && !reason.contains("gcc"),
        "{reason}"
    );
}

#[test]
fn known_downloads_count_unless_removed_in_the_same_run() {
    let go = est(
        "FROM debian:bookworm-slim\nRUN curl -fsSL https://dl.google.com/go/go1.22.linux-amd64.tar.gz | tar -C /usr/local -xz\n",
    );
    assert!(go.breakdown[1].reason.contains("Go toolchain"));
    assert!(go.breakdown[1].bytes.expected >= 200 * MB);
    // The URL in an ENV is found too; removing the install saves it.
    let rust = est(
        "FROM debian:bookworm-slim\nENV RUSTUP_URL=https://static.rust-lang.org/rustup/dist\nRUN curl -o rustup \"$RUSTUP_URL\" && ./rustup -y && cargo build && rm -rf /tmp/rust\n",
    );
    assert!(
        rust.breakdown[1].reason.contains("removes it"),
        "{}",
        rust.breakdown[1].reason
    );
}

#[test]
fn an_unlisted_alpine_variant_falls_back_to_alpine_images() {
    let opts = SizeOptions {
        exclude_tag: Some("nginx:alpine".into()),
        ..SizeOptions::default()
    };
    let e = estimate_text("FROM nginx:1.27-alpine-slim\n", &opts);
    assert!(
        e.breakdown[0].reason.contains("Alpine-based images"),
        "{}",
        e.breakdown[0].reason
    );
    assert!(e.compressed_bytes.expected < 80 * MB);
}

#[test]
fn distroless_variants_fall_back_to_their_nearest_listed_row() {
    let on_disk = |text: &str| {
        let e = est(text);
        (e.uncompressed_bytes.expected, e.breakdown[0].reason.clone())
    };
    let (base12, _) = on_disk("FROM gcr.io/distroless/base-debian12:nonroot\n");
    let (base13, why) = on_disk("FROM gcr.io/distroless/base-debian13:nonroot\n");
    assert_eq!(base13, base12);
    assert!(why.contains("sized as base"), "{why}");
    let (node24, why) = on_disk("FROM gcr.io/distroless/nodejs24-debian13:nonroot\n");
    let (node22, _) = on_disk("FROM gcr.io/distroless/nodejs22:nonroot\n");
    assert_eq!(node24, node22);
    assert!(why.contains("sized as nodejs22"), "{why}");
    // Still unknown: a name with no family in the table.
    assert!(
        on_disk("FROM gcr.io/distroless/php8:nonroot\n")
            .1
            .contains("not an image")
    );
    // nginx's unprivileged build is sized as nginx.
    let (unprivileged, _) = on_disk("FROM nginxinc/nginx-unprivileged:1.27\n");
    let (nginx, _) = on_disk("FROM nginx:1.27\n");
    assert_eq!(unprivileged, nginx);
}
