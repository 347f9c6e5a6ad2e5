//! `drydock image`: a `docker save` / OCI archive analysed by the core.
//! Thin: opens the file (twice, to verify digests on a second thread),
//! hands the core buffered readers, prints.

use std::fmt::Write as _;
use std::io::{BufReader, Read};
use std::process::ExitCode;
use std::sync::mpsc;

use drydock_core::Severity;
use drydock_core::image::{self, ImageAnalysis};
use drydock_core::report;
use serde::Serialize;

use crate::{Format, UsageError};

pub const USAGE: &str = "usage: drydock image [--format text|json|sarif|markdown|html] [--image TAG] [--fail-on SEVERITY] [--no-fail] [--no-verify] TARBALL";

struct Options {
    format: Format,
    tag: Option<String>,
    fail_on: Option<Severity>,
    verify: bool,
    file: String,
}

fn parse_args(args: &[String]) -> Result<Options, UsageError> {
    let mut options = Options {
        format: Format::Text,
        tag: None,
        fail_on: Some(Severity::High),
        verify: true,
        file: String::new(),
    };
    let mut files = Vec::new();
    let mut args = crate::Args::new(args);
    while let Some(name) = args.next_name() {
        let mut value = |flag: &str| args.value(flag);
        match name {
            "--format" => options.format = Format::parse(&value("--format")?)?,
            "--image" => options.tag = Some(value("--image")?),
            "--fail-on" => options.fail_on = crate::parse_fail_on(&value("--fail-on")?)?,
            "--no-fail" => options.fail_on = None,
            "--no-verify" => options.verify = false,
            "-h" | "--help" => return Err(UsageError(USAGE.into())),
            flag if flag.starts_with("--") => {
                return Err(UsageError(format!("unknown option `{flag}` for image")));
            }
            file => files.push(file.to_string()),
        }
    }
    match files.as_slice() {
        [one] => options.file = one.clone(),
        _ => return Err(UsageError(format!("image takes one TARBALL; {USAGE}"))),
    }
    Ok(options)
}

/// Reads the archive at `path`. Verified, in two passes at once over the
/// file opened twice: one thread reads and inflates the layers, handing
/// their uncompressed bytes to the other, which hashes them (the diff ids)
/// between its reads of the blobs as stored that the split gives it
/// (SHA-256, else most of the CPU); merged into what one verified pass
/// gives — or, should the passes disagree (the file changed under them),
/// read again in one pass, with a note on stderr.
fn read_archive(path: &str, verify: bool) -> std::io::Result<image::Archive> {
    let open = || std::fs::File::open(path).map(|f| BufReader::with_capacity(1 << 20, f));
    let file = open()?;
    if !verify {
        let options = image::ReadOptions {
            verify_digests: false,
        };
        return Ok(image::read_with(file, options, &mut |_| true));
    }
    let second = open()?;
    // The layers' bytes go over in pieces of about 1 MiB (fewer wake-ups),
    // at most 4 of them waiting to be hashed.
    let (send, received) = mpsc::sync_channel::<(usize, Vec<u8>)>(4);
    let (pending, digests) = std::thread::scope(|s| {
        let digests = s.spawn(move || {
            let mut reader = HashingBetween {
                file: second,
                received,
                hashes: image::DiffIdHashes::default(),
            };
            let mut digests = image::read_blob_digests_with(&mut reader, SPLIT, &mut |_| true);
            // The rest, until the analysis pass is done (and `send` dropped).
            while let Ok((layer, bytes)) = reader.received.recv() {
                reader.hashes.update(layer, &bytes);
            }
            digests.diff_ids = reader.hashes.finish();
            digests
        });
        // A piece goes when the next bytes are another layer's or would not
        // fit: each is allocated once, at its full size. Should the digest
        // thread be gone, its diff ids are missing and the merge fails: read
        // again below.
        let mut piece: (usize, Vec<u8>) = (0, Vec::with_capacity(PIECE));
        let pending =
            image::read_without_digests(file, SPLIT, &mut |_| true, &mut |layer, bytes| {
                if !piece.1.is_empty() && (piece.0 != layer || piece.1.len() + bytes.len() > PIECE)
                {
                    let full = std::mem::replace(&mut piece.1, Vec::with_capacity(PIECE));
                    let _ = send.send((piece.0, full));
                }
                piece.0 = layer;
                piece.1.extend_from_slice(bytes);
            });
        if !piece.1.is_empty() {
            let _ = send.send(piece);
        }
        drop(send);
        (pending, digests.join())
    });
    match digests.ok().and_then(|d| image::merge_digests(pending, &d)) {
        Some(archive) => Ok(archive),
        None => {
            eprintln!(
                "drydock: {path}: the two passes of the verified read disagree (did the file change while it was read?): reading it again in one pass"
            );
            Ok(image::read(open()?, &mut |_| true))
        }
    }
}

/// Both threads read the file: the split's costs for that.
const SPLIT: image::DiffIds = image::DiffIds::DigestsBothRead;

/// How many of a layer's uncompressed bytes go to the digest thread at once.
const PIECE: usize = 1 << 20;

/// The digest thread's file: before each read it hashes the layers' bytes
/// the analysis thread has sent so far, so that neither thread waits.
struct HashingBetween<R> {
    file: R,
    received: mpsc::Receiver<(usize, Vec<u8>)>,
    hashes: image::DiffIdHashes,
}

impl<R: Read> Read for HashingBetween<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while let Ok((layer, bytes)) = self.received.try_recv() {
            self.hashes.update(layer, &bytes);
        }
        self.file.read(buf)
    }
}

/// The JSON shape: the core's analysis as it serializes.
#[derive(Serialize)]
struct Json<'a> {
    file: &'a str,
    #[serde(flatten)]
    analysis: &'a ImageAnalysis,
}

pub fn run(args: &[String]) -> Result<ExitCode, UsageError> {
    let options = parse_args(args)?;
    let archive = read_archive(&options.file, options.verify)
        .map_err(|e| UsageError(format!("cannot read {}: {e}", options.file)))?;
    let analysis = image::analyze_archive(
        &archive,
        options.tag.as_deref(),
        &drydock_core::AnalysisOptions::DEFAULT,
    );
    if analysis.selected.is_none() {
        return Err(UsageError(format!(
            "{}: {}",
            options.file,
            analysis.errors.join("; ")
        )));
    }
    let output = match options.format {
        Format::Json => {
            let mut out = serde_json::to_string_pretty(&Json {
                file: &options.file,
                analysis: &analysis,
            })
            .map_err(|e| UsageError(format!("cannot render JSON: {e}")))?;
            out.push('\n');
            out
        }
        Format::Text => render_text(&options.file, &analysis),
        // The report renderers of `lint`, over the history rebuilt as a
        // Dockerfile (findings from the config and files point at line 1).
        Format::Sarif | Format::Markdown | Format::Html => {
            let report = image::report_analysis(&analysis);
            let files = [report::FileReport {
                path: &options.file,
                text: &analysis.dockerfile,
                analysis: &report,
            }];
            let report_options = report::Options {
                tool_version: env!("CARGO_PKG_VERSION"),
                docs_base: report::DOCS_BASE,
            };
            match options.format {
                Format::Sarif => report::sarif(&files, &report_options),
                Format::Markdown => report::markdown(&files, &report_options),
                _ => report::html(&files, &report_options),
            }
        }
    };
    if options.format != Format::Json {
        for e in &analysis.errors {
            eprintln!("drydock: {}: {e}", options.file);
        }
    }
    crate::print(&output)?;
    let failing = options
        .fail_on
        .is_some_and(|at| analysis.findings.iter().any(|f| f.finding.severity >= at));
    Ok(if failing || !analysis.errors.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn bytes(n: u64) -> String {
    match n {
        0..1_000 => format!("{n} B"),
        1_000..1_000_000 => format!("{:.1} kB", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        _ => format!("{:.2} GB", n as f64 / 1e9),
    }
}

fn short(digest: &str) -> &str {
    digest.get(..19).unwrap_or(digest)
}

fn render_text(file: &str, a: &ImageAnalysis) -> String {
    let mut out = String::new();
    let entry = a.selected.and_then(|i| a.images.get(i));
    let tags = entry.map(|e| e.tags.join(", ")).unwrap_or_default();
    let os = a.os.as_ref().map_or("unknown OS".to_string(), |o| {
        o.pretty_name.clone().unwrap_or_else(|| o.id.clone())
    });
    let _ = writeln!(
        out,
        "{file}: {}{}, {}, {os}",
        a.format.map_or("unknown format", |f| f.as_str()),
        if tags.is_empty() {
            String::new()
        } else {
            format!(" [{tags}]")
        },
        a.architecture.as_deref().unwrap_or("unknown architecture"),
    );
    let _ = writeln!(out, "layers:");
    for (i, l) in a.layers.iter().enumerate() {
        let made = l.created_by.as_deref().unwrap_or("").replace('\n', " ");
        let made: String = made.chars().take(70).collect();
        let _ = writeln!(
            out,
            "  {:>2}  {}  {:>9}  {:>9} stored  {:>6} files  {made}",
            i + 1,
            if l.missing {
                "(missing)          "
            } else {
                short(&l.digest)
            },
            bytes(l.size_bytes),
            bytes(l.compressed_bytes),
            l.files,
        );
    }
    let f = &a.figures;
    let _ = writeln!(
        out,
        "efficiency {:.2} %, wasted {} ({}), reclaimable {}",
        f.efficiency * 100.0,
        bytes(f.wasted_bytes),
        f.user_wasted_percent
            .map_or("no user layers".to_string(), |p| format!(
                "{:.1} % of user layers",
                p * 100.0
            )),
        bytes(f.reclaimable_bytes),
    );
    for w in f.top_wasted.iter().take(5) {
        let _ = writeln!(out, "  {:>9}  {}", bytes(w.bytes), w.path);
    }
    let _ = writeln!(out, "packages: {}", a.packages.len());
    for finding in &a.findings {
        let f = &finding.finding;
        let at = match (&finding.path, finding.layer) {
            (Some(p), Some(l)) => format!(" (layer {}, {p})", l + 1),
            (Some(p), None) => format!(" ({p})"),
            (None, Some(l)) => format!(" (layer {})", l + 1),
            (None, None) => String::new(),
        };
        let _ = writeln!(out, "{}[{}]: {}{at}", f.severity, f.rule, f.message);
    }
    let _ = writeln!(
        out,
        "{file}: score {}/100 ({}), {} findings",
        a.score,
        a.grade.as_str(),
        a.findings.len()
    );
    out
}
