//! A base image's size: the listed tag, else its family, else unknown.

use super::data::{BASE_IMAGES, DISTROLESS};
use super::{Alternative, Bytes, Certainty, KIB, MB, SizeOptions, compress, human, uncompress};
use crate::model::{BaseKind, BuildModel, ImageRef, Stage};

/// One official image tag (linux/amd64) from docker-library/repo-info.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaseImage {
    pub repository: &'static str,
    pub tag: &'static str,
    /// What a pull downloads.
    pub compressed: u64,
    /// On disk, where repo-info gives it.
    pub uncompressed: Option<u64>,
    /// repo-info's OS hint (`alpine`, `debian-trixie`, `ubuntu-24.04`, …).
    pub os: &'static str,
}

/// A `gcr.io/distroless/<name>` image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Distroless {
    pub name: &'static str,
    /// On disk, in KiB.
    pub kib: u64,
    pub approximate: bool,
    pub note: &'static str,
}

/// The operating system family an image runs, as far as the size model
/// cares (which package sizes apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Os {
    #[default]
    Unknown,
    Debian,
    Ubuntu,
    Alpine,
    /// Distroless or scratch: no package manager.
    Minimal,
    Other,
}

impl Os {
    fn from_hint(hint: &str) -> Os {
        if hint.starts_with("alpine") {
            Os::Alpine
        } else if hint.starts_with("debian") {
            Os::Debian
        } else if hint.starts_with("ubuntu") {
            Os::Ubuntu
        } else {
            Os::Other
        }
    }
}

/// A base image's size and where the figure comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseSize {
    pub compressed: Bytes,
    pub uncompressed: Bytes,
    pub certainty: Certainty,
    pub reason: String,
    pub os: Os,
}

/// The size of `stage`'s base (scratch, an image; a stage base is the
/// caller's business).
pub fn base_size(stage: &Stage, options: &SizeOptions) -> BaseSize {
    match stage.base_kind {
        BaseKind::Scratch => BaseSize {
            compressed: Bytes::ZERO,
            uncompressed: Bytes::ZERO,
            certainty: Certainty::Known,
            reason: "scratch is empty.".into(),
            os: Os::Minimal,
        },
        BaseKind::Image => image_size(&stage.base_image, options),
        _ => unknown_base(&stage.base_resolved, ""),
    }
}

/// The size of image `image`.
pub fn image_size(image: &ImageRef, options: &SizeOptions) -> BaseSize {
    let tag = image.tag.as_deref().unwrap_or("latest");
    if let Some(name) = distroless_name(image) {
        return distroless_size(name, tag);
    }
    let Some(repo) = official_repository(image) else {
        return unknown_base(&image.repository, tag);
    };
    let excluded = |row: &BaseImage| {
        options.exclude_tag.as_deref().is_some_and(|x| {
            x.split_once(':')
                .is_some_and(|(r, t)| r == row.repository && t == row.tag)
        })
    };
    let rows = || {
        BASE_IMAGES
            .iter()
            .filter(move |r| r.repository == repo && !excluded(r))
    };
    if (image.digest.is_none() || image.tag.is_some())
        && let Some(row) = rows().find(|r| r.tag == tag)
    {
        let compressed = Bytes::exact(row.compressed);
        let (uncompressed, how) = match row.uncompressed {
            Some(u) => (Bytes::exact(u), "measured"),
            None => (uncompress(compressed), "≈ compressed × the median ratio"),
        };
        return BaseSize {
            compressed,
            uncompressed,
            certainty: Certainty::Known,
            reason: format!(
                "{repo}:{tag} pulls {} (docker-library/repo-info, amd64); on disk {} ({how}).",
                human(row.compressed),
                human(uncompressed.expected)
            ),
            os: Os::from_hint(row.os),
        };
    }
    let key = variant(tag);
    let (members, what) = family(repo, &key, &rows);
    if members.is_empty() {
        return unknown_base(repo, tag);
    }
    let mut sizes: Vec<u64> = members.iter().map(|r| r.compressed).collect();
    sizes.sort_unstable();
    let median = sizes.get(sizes.len() / 2).copied().unwrap_or(0);
    let low = sizes.first().copied().unwrap_or(0);
    let high = sizes.last().copied().unwrap_or(0);
    // A family of one says little about its siblings: widen the range.
    let compressed = if sizes.len() < 3 {
        Bytes::range(low / 2, median, high.saturating_mul(2))
    } else {
        Bytes::range(low, median, high)
    };
    let os = members.first().map_or(Os::Unknown, |r| Os::from_hint(r.os));
    BaseSize {
        uncompressed: uncompress(compressed),
        compressed,
        certainty: Certainty::Approximate,
        reason: format!(
            "{repo}:{tag} is not in the table: the median of {} listed tags of the family {what} ({} to {} compressed).",
            sizes.len(),
            human(low),
            human(high)
        ),
        os,
    }
}

/// The listed tags closest to `repo` with variant `key`, and how they
/// were chosen: the same repository and variant; else the same repository
/// with the variant's OS word (`alpine`, `slim`); else, for an Alpine tag,
/// every Alpine image; else the repository's tags of any variant.
fn family<I: Iterator<Item = &'static BaseImage>>(
    repo: &str,
    key: &[&str],
    rows: &dyn Fn() -> I,
) -> (Vec<&'static BaseImage>, String) {
    let same: Vec<_> = rows().filter(|r| variant(r.tag) == key).collect();
    if !same.is_empty() {
        return (same, format!("{repo}:*{}", key_label(key)));
    }
    for word in ["alpine", "slim", "windowsservercore", "nanoserver"] {
        if key.contains(&word) {
            let close: Vec<_> = rows().filter(|r| variant(r.tag).contains(&word)).collect();
            if !close.is_empty() {
                return (close, format!("{repo}:*-{word}*"));
            }
        }
    }
    if key.contains(&"alpine") {
        let alpine: Vec<_> = BASE_IMAGES
            .iter()
            .filter(|r| r.os.starts_with("alpine") && r.repository != repo)
            .collect();
        return (alpine, "Alpine-based images".to_string());
    }
    (rows().collect(), format!("{repo}:* (any variant)"))
}

/// A base nothing is known about.
fn unknown_base(repository: &str, tag: &str) -> BaseSize {
    let alpine = tag.contains("alpine");
    let compressed = if alpine {
        Bytes::range(3 * MB, 30 * MB, 300 * MB)
    } else {
        Bytes::range(2 * MB, 100 * MB, 2000 * MB)
    };
    let name = if tag.is_empty() {
        repository.to_string()
    } else {
        format!("{repository}:{tag}")
    };
    BaseSize {
        uncompressed: uncompress(compressed),
        compressed,
        certainty: Certainty::Unknown,
        reason: format!(
            "{name} is not an image drydock has sizes for: unknown, shown with a wide range{}.",
            if alpine {
                " for an Alpine-based image"
            } else {
                ""
            }
        ),
        os: if alpine { Os::Alpine } else { Os::Unknown },
    }
}

/// `golang` for Docker Hub's official `golang` / `library/golang`; the
/// official image an image is a rebuild of (nginx's own
/// `nginxinc/nginx-unprivileged` is nginx with another user and port).
fn official_repository(image: &ImageRef) -> Option<&str> {
    if !image.is_docker_hub() {
        return None;
    }
    let repo = image.repository.as_str();
    let repo = repo.strip_prefix("library/").unwrap_or(repo);
    if repo == "nginxinc/nginx-unprivileged" {
        return Some("nginx");
    }
    (!repo.contains('/')).then_some(repo)
}

/// `static` for `gcr.io/distroless/static` (and Chainguard's `static`).
fn distroless_name(image: &ImageRef) -> Option<&str> {
    let registry = image.registry.as_deref()?;
    let repo = image.repository.as_str();
    match registry {
        "gcr.io" => repo.strip_prefix("distroless/"),
        "cgr.dev" => repo.strip_prefix("chainguard/").filter(|n| *n == "static"),
        _ => None,
    }
}

fn distroless_size(name: &str, tag: &str) -> BaseSize {
    let Some((d, stand_in)) = distroless_row(name) else {
        return unknown_base(&format!("gcr.io/distroless/{name}"), tag);
    };
    // `:debug` tags add busybox (about 1 MiB on disk).
    let debug = tag.contains("debug");
    let kib = d.kib + if debug { 1024 } else { 0 };
    let bytes = kib.saturating_mul(KIB);
    let uncompressed = if d.approximate {
        Bytes::around(bytes, 80, 130)
    } else {
        Bytes::around(bytes, 90, 115)
    };
    BaseSize {
        compressed: compress(uncompressed),
        uncompressed,
        certainty: Certainty::Approximate,
        reason: format!(
            "gcr.io/distroless/{name}: {}{}{}; compressed ≈ on disk ÷ the median ratio.",
            stand_in
                .map(|n| format!("sized as {n}, the nearest variant drydock has figures for: "))
                .unwrap_or_default(),
            d.note,
            if debug {
                ", plus busybox for :debug"
            } else {
                ""
            }
        ),
        os: Os::Minimal,
    }
}

/// The table row for distroless image `name`, and the row's name when it
/// stands in for another: an exact name first, then the same image for
/// another Debian release (`base-debian13` → `base`), then the newest
/// listed version of the same runtime (`nodejs24` → `nodejs22`).
fn distroless_row(name: &str) -> Option<(&'static Distroless, Option<&'static str>)> {
    if let Some(d) = DISTROLESS.iter().find(|d| d.name == name) {
        return Some((d, None));
    }
    let plain = match name.rsplit_once("-debian") {
        Some((head, release)) if release.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => name,
    };
    if let Some(d) = DISTROLESS.iter().find(|d| d.name == plain) {
        return Some((d, Some(d.name)));
    }
    let runtime = plain.trim_end_matches(|c: char| c.is_ascii_digit());
    (!runtime.is_empty() && runtime != plain)
        .then(|| {
            DISTROLESS.iter().rfind(|d| {
                d.name
                    .strip_prefix(runtime)
                    .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit()))
            })
        })
        .flatten()
        .map(|d| (d, Some(d.name)))
}

/// The words of a tag that decide its size class (`alpine`, `slim`,
/// `jre`, …), sorted; the version and codename do not.
fn variant(tag: &str) -> Vec<&'static str> {
    const WORDS: [&str; 12] = [
        "alpine",
        "slim",
        "windowsservercore",
        "nanoserver",
        "jre",
        "jdk",
        "headless",
        "fpm",
        "apache",
        "perl",
        "otel",
        "backports",
    ];
    let mut out: Vec<&'static str> = WORDS
        .iter()
        .copied()
        .filter(|w| tag.split(['-', '.', '_']).any(|part| part.starts_with(w)))
        .collect();
    out.sort_unstable();
    out
}

fn key_label(key: &[&str]) -> String {
    if key.is_empty() {
        String::new()
    } else {
        format!("-{}", key.join("-"))
    }
}

/// Smaller bases for each stage whose base is an image.
pub fn alternatives(model: &BuildModel, options: &SizeOptions) -> Vec<Alternative> {
    let mut out = Vec::new();
    for stage in model
        .stages
        .iter()
        .filter(|s| s.base_kind == BaseKind::Image)
    {
        let current = image_size(&stage.base_image, options);
        if current.certainty == Certainty::Unknown || current.os == Os::Minimal {
            continue;
        }
        let ships = Some(stage.index) == model.target;
        let repo = official_repository(&stage.base_image).unwrap_or_default();
        let tag = stage.base_image.tag.as_deref().unwrap_or("latest");
        let version = tag.split('-').next().unwrap_or(tag);
        let mut candidates: Vec<(String, BaseSize, String)> = Vec::new();
        let key = variant(tag);
        if !key.contains(&"alpine") && !repo.is_empty() {
            for suffix in ["slim", "alpine"] {
                let to = ImageRef::parse(&format!("{repo}:{version}-{suffix}"));
                let size = image_size(&to, options);
                if size.certainty != Certainty::Unknown {
                    let note = if suffix == "slim" {
                        "the same runtime on a slim Debian: fewer tools and libraries"
                    } else {
                        "musl instead of glibc: check native dependencies"
                    };
                    candidates.push((format!("{repo}:{version}-{suffix}"), size, note.into()));
                }
            }
        }
        let runtime = match repo {
            "golang" | "rust" => Some(("static", "for a statically linked binary")),
            "python" => Some((
                "python3-debian12",
                "for a Python app without native build steps",
            )),
            "node" => Some((
                "nodejs22",
                "for a Node.js app with its node_modules copied in",
            )),
            "openjdk" | "eclipse-temurin" | "amazoncorretto" => {
                Some(("java21", "for a JAR: the JRE without a shell"))
            }
            "debian" | "ubuntu" | "buildpack-deps" | "gcc" => {
                Some(("cc-debian12", "for a dynamically linked C/C++/Rust binary"))
            }
            _ => None,
        };
        if let Some((name, note)) = runtime {
            let to = ImageRef::parse(&format!("gcr.io/distroless/{name}"));
            candidates.push((
                format!("gcr.io/distroless/{name}"),
                image_size(&to, options),
                note.to_string(),
            ));
        }
        for (to, size, note) in candidates {
            // Worth saying only when it saves a fifth or more.
            if size.uncompressed.expected.saturating_mul(5)
                > current.uncompressed.expected.saturating_mul(4)
            {
                continue;
            }
            let note = if ships {
                note
            } else {
                format!("{note} (a build stage: it does not ship unless the target is built on it)")
            };
            out.push(Alternative {
                stage: stage.index,
                from: stage.base.clone(),
                from_bytes: current.uncompressed,
                to,
                to_bytes: size.uncompressed,
                note,
            });
        }
    }
    out.sort_by_key(|a| {
        std::cmp::Reverse(a.from_bytes.expected.saturating_sub(a.to_bytes.expected))
    });
    out
}
