//! What a COPY or ADD adds to the image.

use super::base::image_size;
use super::run::Product;
use super::{Bytes, Certainty, KB, MB, SizeOptions, Sized, StageResult, compress, human};
use crate::model::{BuildModel, EdgeKind, EdgeSource, ImageRef};
use crate::syntax::Instruction;

/// The size of COPY/ADD instruction `index` (`inst`). `stages` holds the
/// results of the stages before this one.
pub(super) fn size(
    index: usize,
    inst: &Instruction,
    model: &BuildModel,
    stages: &[StageResult],
    options: &SizeOptions,
    needs_context: &mut bool,
) -> Sized {
    if !inst.heredocs.is_empty() {
        return Sized::generic(
            Bytes::exact(inst.heredocs.iter().map(|h| h.content.len() as u64).sum()),
            Certainty::Known,
            "Files written from heredocs in the Dockerfile.".into(),
        );
    }
    let sources: Vec<&str> = {
        let n = inst.value.len().saturating_sub(1);
        inst.value.iter().take(n).map(String::as_str).collect()
    };
    if inst.flag("from").is_some() {
        let edge = model
            .edges
            .iter()
            .find(|e| e.instruction == index && e.kind == EdgeKind::CopyFrom);
        return match edge.map(|e| &e.source) {
            Some(EdgeSource::Stage(s)) => from_stage(*s, &sources, model, stages),
            Some(EdgeSource::Image(image)) => from_image(image, &sources, options),
            _ => unknown("COPY --from a source drydock cannot resolve: unknown.".into()),
        };
    }
    let mut total = Bytes::ZERO;
    let mut certainty = Certainty::Approximate;
    let mut reasons: Vec<String> = Vec::new();
    for src in &sources {
        let (bytes, c, reason) = if is_url(src) {
            (
                Bytes::range(KB, 10 * MB, 500 * MB),
                Certainty::Unknown,
                format!("{src} is downloaded at build time: unknown."),
            )
        } else if is_whole_context(src) {
            *needs_context |= options.context_bytes.is_none();
            match options.context_bytes {
                Some(n) => (
                    Bytes::exact(n),
                    Certainty::Approximate,
                    format!(
                        "`{src}` copies the build context: {} as you entered it (minus what .dockerignore excludes).",
                        human(n)
                    ),
                ),
                None => (
                    Bytes::range(10 * KB, 10 * MB, 1000 * MB),
                    Certainty::Unknown,
                    format!(
                        "`{src}` copies the whole build context, whose size drydock cannot see: unknown (enter the context size)."
                    ),
                ),
            }
        } else if looks_like_file(src) {
            let archive = is_archive(src);
            if archive {
                let extracted = inst.is("ADD") && is_tarball(src);
                (
                    if extracted {
                        Bytes::range(MB, 60 * MB, 1500 * MB)
                    } else {
                        Bytes::range(100 * KB, 30 * MB, 500 * MB)
                    },
                    Certainty::Unknown,
                    format!(
                        "{src} is an archive from the build context{}: unknown.",
                        if extracted { " that ADD unpacks" } else { "" }
                    ),
                )
            } else {
                (
                    Bytes::range(100, 10 * KB, MB),
                    Certainty::Approximate,
                    format!("{src}: a file from the build context (a few kB)."),
                )
            }
        } else {
            *needs_context |= options.context_bytes.is_none();
            let high = options.context_bytes.unwrap_or(500 * MB);
            (
                Bytes::range(KB, (high / 4).min(20 * MB), high),
                Certainty::Unknown,
                format!(
                    "{src} is a directory or pattern of the build context: unknown{}.",
                    if options.context_bytes.is_some() {
                        ", at most the context"
                    } else {
                        ""
                    }
                ),
            )
        };
        total = total.plus(bytes);
        certainty = certainty.max(c);
        reasons.push(reason);
    }
    Sized::generic(total, certainty, reasons.join(" "))
}

fn unknown(reason: String) -> Sized {
    Sized::generic(
        Bytes::range(KB, 10 * MB, 500 * MB),
        Certainty::Unknown,
        reason,
    )
}

/// `COPY --from=<stage>`: the stage's products, known small files, or a
/// share of what the stage added.
fn from_stage(stage: usize, sources: &[&str], model: &BuildModel, stages: &[StageResult]) -> Sized {
    let name = model
        .stages
        .get(stage)
        .and_then(|s| s.name.clone())
        .unwrap_or_else(|| format!("stage {stage}"));
    let Some(result) = stages.get(stage) else {
        return unknown(format!("COPY --from={name}: unknown."));
    };
    let mut total = Bytes::ZERO;
    let mut compressed = Bytes::ZERO;
    let mut certainty = Certainty::Approximate;
    let mut reasons = Vec::new();
    for src in sources {
        let (bytes, comp, c, reason) = if let Some(known) = known_file(src) {
            known
        } else if let Some(p) = product(&result.products.items, src) {
            (
                p.bytes,
                // Executables compress about 2:1.
                p.bytes.times(1, 2),
                p.certainty,
                format!(
                    "{src} from {name}: {} of about {}.",
                    p.what,
                    human(p.bytes.expected)
                ),
            )
        } else {
            let added = result.added;
            let b = Bytes::range(KB, added.expected / 4, added.high.max(MB));
            (
                b,
                compress(b),
                Certainty::Unknown,
                format!(
                    "{src} from {name}: part of what that stage added (about {}); unknown.",
                    human(added.expected)
                ),
            )
        };
        total = total.plus(bytes);
        compressed = compressed.plus(comp);
        certainty = certainty.max(c);
        reasons.push(reason);
    }
    Sized {
        bytes: total,
        compressed,
        certainty,
        reason: reasons.join(" "),
    }
}

/// `COPY --from=<image>`: known files, else unknown up to the image.
fn from_image(image: &str, sources: &[&str], options: &SizeOptions) -> Sized {
    if let Some((bytes, comp, c, reason)) = sources
        .iter()
        .map(|s| known_file(s))
        .collect::<Option<Vec<_>>>()
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.into_iter().fold(
                (Bytes::ZERO, Bytes::ZERO, Certainty::Known, String::new()),
                |(b, cb, c, r), (b2, cb2, c2, r2)| {
                    (
                        b.plus(b2),
                        cb.plus(cb2),
                        c.max(c2),
                        format!("{r}{}{r2}", if r.is_empty() { "" } else { " " }),
                    )
                },
            )
        })
    {
        return Sized {
            bytes,
            compressed: comp,
            certainty: c,
            reason,
        };
    }
    let whole = image_size(&ImageRef::parse(image), options).uncompressed;
    Sized::generic(
        Bytes::range(KB, whole.expected / 10, whole.high),
        Certainty::Unknown,
        format!(
            "Files from {image} ({} in all): which part is unknown.",
            human(whole.expected)
        ),
    )
}

/// Files whose size does not depend on the build: time zones and CA
/// certificates. Figures: Debian 12's tzdata and ca-certificates installed
/// sizes (the zoneinfo tree; the bundle), approximate.
fn known_file(src: &str) -> Option<(Bytes, Bytes, Certainty, String)> {
    if src.contains("zoneinfo") {
        let b = Bytes::range(400 * KB, 1_600 * KB, 4 * MB);
        // Binary zone files of a few kB each: compress about 4:1.
        return Some((
            b,
            b.times(1, 4),
            Certainty::Approximate,
            format!("{src}: time-zone data (about 1.6 MB)."),
        ));
    }
    if src.contains("ca-certificates.crt")
        || src.ends_with("/etc/ssl/certs")
        || src.ends_with("/etc/ssl/certs/")
    {
        let b = Bytes::range(150 * KB, 220 * KB, 300 * KB);
        return Some((
            b,
            b.times(1, 2),
            Certainty::Approximate,
            format!("{src}: the CA certificate bundle (about 220 kB)."),
        ));
    }
    if src.starts_with("/etc/passwd") || src.starts_with("/etc/group") {
        return Some((
            Bytes::exact(KB),
            Bytes::exact(KB),
            Certainty::Approximate,
            format!("{src}: a small system file."),
        ));
    }
    None
}

/// A product of the source stage at (or under, or above) `src`; a binary
/// whose output path is unknown matches any file-looking source.
fn product<'a>(items: &'a [Product], src: &str) -> Option<&'a Product> {
    let src = src.trim_end_matches('/');
    items
        .iter()
        .rev()
        .find(|p| {
            p.path.as_deref().is_some_and(|path| {
                let path = path.trim_end_matches('/');
                same_or_under(path, src)
                    || same_or_under(src, path)
                    || path.ends_with(&format!("/{}", src.trim_start_matches("./")))
            })
        })
        .or_else(|| {
            items
                .iter()
                .rev()
                .find(|p| p.path.is_none() && !src.is_empty())
        })
        .or_else(|| {
            // A relative output (`-o server`) ends up under the WORKDIR.
            let base = src.rsplit('/').next().unwrap_or(src);
            items.iter().rev().find(|p| {
                p.path.as_deref().is_some_and(|path| {
                    path.rsplit('/').next().unwrap_or(path) == base && !base.is_empty()
                })
            })
        })
}

fn same_or_under(path: &str, dir: &str) -> bool {
    path == dir
        || (path.starts_with(dir) && path.get(dir.len()..).is_some_and(|r| r.starts_with('/')))
}

fn is_url(src: &str) -> bool {
    src.starts_with("http://") || src.starts_with("https://") || src.starts_with("git@")
}

fn is_whole_context(src: &str) -> bool {
    matches!(src, "." | "./" | "*" | "./*" | "/")
}

/// Has an extension or a well-known file name, and no glob.
fn looks_like_file(src: &str) -> bool {
    if src.ends_with('/') || src.contains('*') || src.contains('?') {
        return false;
    }
    let base = src.rsplit('/').next().unwrap_or(src);
    let known = [
        "Makefile",
        "Gemfile",
        "Dockerfile",
        "LICENSE",
        "Procfile",
        "go.mod",
        "go.sum",
    ];
    known.contains(&base) || base.get(1..).is_some_and(|rest| rest.contains('.'))
}

fn is_archive(src: &str) -> bool {
    [
        ".jar", ".war", ".ear", ".zip", ".tar", ".tgz", ".gz", ".xz", ".bz2", ".whl", ".deb",
        ".rpm",
    ]
    .iter()
    .any(|e| src.ends_with(e))
}

fn is_tarball(src: &str) -> bool {
    [".tar", ".tgz", ".tar.gz", ".tar.xz", ".tar.bz2"]
        .iter()
        .any(|e| src.ends_with(e))
}
