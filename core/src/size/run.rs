//! What a RUN adds to the image.

use std::collections::BTreeSet;

use super::base::Os;
use super::data::{ALPINE_PACKAGES, DEB_PACKAGES};
use super::{Bytes, Certainty, KB, KIB, MB, Sized, compress, human, human_range};
use crate::model::{BuildModel, MountType, RunInfo};
use crate::rules::packages;
use crate::rules::scope::program;
use crate::syntax::shell::Command;

/// A Debian package: installed size and dependency closure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DebPackage {
    pub name: &'static str,
    /// Installed-Size, KiB.
    pub kib: u32,
    /// One of the most installed packages (its closure is in the table);
    /// otherwise a row for a large shared dependency.
    pub listed: bool,
    /// Indexes of its dependencies (without Recommends) in the table.
    pub deps: &'static [u16],
    pub small_deps_kib: u32,
    /// The same with Recommends followed.
    pub recommends: &'static [u16],
    pub small_recommends_kib: u32,
}

/// An Alpine package's installed size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlpinePackage {
    pub name: &'static str,
    pub kib: u32,
    pub approximate: bool,
}

/// Packages a stage has installed so far (so a dependency two RUNs share
/// counts once).
#[derive(Debug, Clone, Default)]
pub struct Installed {
    deb: BTreeSet<u16>,
    names: BTreeSet<String>,
}

/// What a stage built that a later `COPY --from` may take (the latest
/// [`Products::MAX`]).
#[derive(Debug, Clone, Default)]
pub struct Products {
    pub items: Vec<Product>,
}

impl Products {
    /// How many products are kept: bounded work however long the chain of
    /// `FROM <stage>` is.
    pub const MAX: usize = 16;

    fn push(&mut self, p: Product) {
        if self.items.len() >= Self::MAX {
            self.items.remove(0);
        }
        self.items.push(p);
    }
}

/// A file or directory a stage made, with its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// Where it is (`None`: a binary whose path the command did not say).
    pub path: Option<String>,
    pub bytes: Bytes,
    pub what: &'static str,
    pub certainty: Certainty,
}

/// Known downloads: a URL containing `needle` installs about `bytes` on
/// disk at `path`. Figures from the layers of the official images that
/// install them (../shared/data/build_steps.tsv: compressed layer sizes ×
/// the median ratio), rounded: approximate.
const DOWNLOADS: &[(&str, &str, u64, &str)] = &[
    (
        "dl.google.com/go/",
        "the Go toolchain",
        230 * MB,
        "/usr/local/go",
    ),
    ("go.dev/dl/", "the Go toolchain", 230 * MB, "/usr/local/go"),
    (
        "golang.org/dl/",
        "the Go toolchain",
        230 * MB,
        "/usr/local/go",
    ),
    ("nodejs.org/dist", "Node.js", 150 * MB, "/usr/local"),
    (
        "python.org/ftp/python",
        "CPython built from source",
        40 * MB,
        "/usr/local",
    ),
    ("yarnpkg.com", "Yarn", 5 * MB, "/opt/yarn"),
    (
        "static.rust-lang.org",
        "the Rust toolchain",
        600 * MB,
        "/usr/local/cargo",
    ),
    (
        "sh.rustup.rs",
        "the Rust toolchain",
        600 * MB,
        "/usr/local/cargo",
    ),
    ("adoptium", "a JDK", 320 * MB, "/opt/java"),
    ("openjdk", "a JDK", 320 * MB, "/opt/java"),
    ("maven.apache.org", "Maven", 10 * MB, "/usr/share/maven"),
    (
        "nginx.org/download",
        "nginx built from source",
        6 * MB,
        "/usr",
    ),
    (
        "download.redis.io",
        "Redis built from source",
        15 * MB,
        "/usr/local/bin",
    ),
    ("php.net", "PHP built from source", 60 * MB, "/usr/local"),
    (
        "cache.ruby-lang.org",
        "Ruby built from source",
        60 * MB,
        "/usr/local",
    ),
    (
        "ftp.postgresql.org",
        "PostgreSQL built from source",
        60 * MB,
        "/usr/local",
    ),
];

/// The apt lists an `apt-get update` leaves (Debian images keep them
/// compressed): about 20 MB for one release, more with security/updates.
const APT_LISTS: Bytes = Bytes {
    low: 10 * MB,
    expected: 20 * MB,
    high: 50 * MB,
};

/// The APKINDEX files `apk add` without `--no-cache` leaves.
const APK_INDEX: Bytes = Bytes {
    low: MB,
    expected: 2_500 * KB,
    high: 4 * MB,
};

/// A part of a RUN's size with its reason.
struct Part {
    bytes: Bytes,
    compressed: Bytes,
    certainty: Certainty,
    reason: String,
}

impl Part {
    fn new(bytes: Bytes, certainty: Certainty, reason: String) -> Part {
        Part {
            compressed: compress(bytes),
            bytes,
            certainty,
            reason,
        }
    }
}

/// The size of one RUN. Updates what the stage has installed and built.
pub fn size(
    run: &RunInfo,
    model: &BuildModel,
    os: Os,
    installed: &mut Installed,
    products: &mut Products,
) -> Sized {
    if !run.is_analysable() {
        let bytes = Bytes::range(0, 10 * MB, 500 * MB);
        return Sized::generic(
            bytes,
            Certainty::Unknown,
            format!(
                "Not a script drydock reads ({}): unknown.",
                run.not_analysable.as_deref().unwrap_or("exec form")
            ),
        );
    }
    let cmds = run.commands();
    let cache_mount = |dir: &str| {
        run.mounts.iter().any(|m| {
            m.kind == MountType::Cache && m.target.as_deref().is_some_and(|t| t.contains(dir))
        })
    };
    let env = |name: &str| model.var(run.env, name).is_some();
    let facts = Facts::read(cmds);
    let mut parts: Vec<Part> = Vec::new();
    let mut purge_all = facts.apt_mark_auto && facts.autoremove;

    // Package installs, in order; purges at the end of the RUN.
    let mut added_deb: Vec<u16> = Vec::new();
    let mut added_names: Vec<String> = Vec::new();
    let mut pkg_bytes = Bytes::ZERO;
    let mut pkg_certainty = Certainty::Approximate;
    let mut pkg_words: Vec<String> = Vec::new();
    let mut unknown_pkgs: Vec<String> = Vec::new();
    let mut recommends_used = false;
    let mut virtual_groups: Vec<(String, Vec<String>)> = Vec::new();
    for cmd in cmds {
        let Some(install) = packages::install(cmd) else {
            continue;
        };
        let is_apk = install.manager == "apk";
        let is_apt = matches!(install.manager.as_str(), "apt-get" | "apt" | "aptitude");
        let no_rec = cmd.args().any(|a| {
            a == "--no-install-recommends"
                || a.contains("Install-Recommends=false")
                || a.contains("Install-Recommends=0")
        });
        let virtual_name = virtual_group(cmd);
        let mut group: Vec<String> = Vec::new();
        for word in &install.packages {
            if word.has_expansion {
                unknown_pkgs.push(word.value.clone());
                continue;
            }
            let name = packages::package_name(&word.value);
            if virtual_name.as_ref() == Some(&name) {
                continue;
            }
            group.push(name.clone());
            if is_apt {
                match deb_lookup(&name) {
                    Some(i) => {
                        let (new_bytes, rec) = deb_add(i, !no_rec, installed, &mut added_deb);
                        recommends_used |= rec;
                        pkg_bytes = pkg_bytes.plus(Bytes::exact(new_bytes));
                        pkg_words.push(name);
                    }
                    None => unknown_pkgs.push(name),
                }
            } else if is_apk {
                if installed.names.insert(format!("apk:{name}")) {
                    added_names.push(format!("apk:{name}"));
                    match ALPINE_PACKAGES
                        .binary_search_by(|p| p.name.cmp(name.as_str()))
                        .ok()
                        .and_then(|i| ALPINE_PACKAGES.get(i))
                    {
                        Some(p) => {
                            pkg_bytes = pkg_bytes.plus(Bytes::exact(u64::from(p.kib) * KIB));
                            if !p.approximate {
                                pkg_certainty = pkg_certainty.min(Certainty::Approximate);
                            }
                            pkg_words.push(name);
                        }
                        None => unknown_pkgs.push(name),
                    }
                }
            } else {
                unknown_pkgs.push(name);
            }
        }
        if let Some(v) = virtual_name {
            virtual_groups.push((v, group));
        }
    }
    // apk del of a virtual group, or apt purge of what this RUN installed.
    let purged_names = facts.purged.clone();
    if !virtual_groups.is_empty()
        && virtual_groups
            .iter()
            .all(|(v, _)| purged_names.iter().any(|p| p == v))
        && virtual_groups.len() == count_installs(cmds)
    {
        purge_all = true;
    }
    let purged_some = !purged_names.is_empty() && !purge_all;
    if !pkg_words.is_empty() || !unknown_pkgs.is_empty() {
        let mut unknown = Bytes::ZERO;
        if !unknown_pkgs.is_empty() {
            let n = unknown_pkgs.len() as u64;
            unknown = Bytes::range(n * 50 * KB, n * 3 * MB, n * 100 * MB);
        }
        let total = pkg_bytes.plus(unknown);
        if purge_all {
            // Build dependencies installed and purged in the same RUN
            // leave (almost) nothing behind.
            for i in &added_deb {
                installed.deb.remove(i);
            }
            for n in &added_names {
                installed.names.remove(n);
            }
            parts.push(Part::new(
                Bytes::range(0, 500 * KB, 5 * MB),
                Certainty::Approximate,
                format!(
                    "Packages installed and purged in this same RUN ({}) leave almost nothing: the build-then-purge pattern works.",
                    list(&pkg_words, &unknown_pkgs)
                ),
            ));
        } else {
            let mut reason = format!(
                "Packages {}: {} on disk ({}).",
                list(&pkg_words, &unknown_pkgs),
                human_range(total),
                if os == Os::Alpine || added_names.iter().any(|n| n.starts_with("apk:")) {
                    "Alpine installed sizes; some approximate"
                } else {
                    "Debian 12 installed sizes with dependencies, an approximation for other releases"
                }
            );
            if !unknown_pkgs.is_empty() {
                reason.push_str(&format!(
                    " {} not in drydock's data: about 3 MB each, unknown.",
                    unknown_pkgs.join(", ")
                ));
            }
            if recommends_used {
                reason.push_str(" Recommended packages are included: add --no-install-recommends.");
            }
            if purged_some {
                reason.push_str(" A purge of only some packages is not subtracted.");
            }
            let certainty = if unknown_pkgs.is_empty() {
                pkg_certainty
            } else {
                Certainty::Unknown
            };
            parts.push(Part::new(total, certainty, reason));
        }
    }

    // apt lists and apk indexes.
    if facts.apt_update && !facts.lists_removed && !cache_mount("/var/lib/apt") {
        parts.push(Part {
            bytes: APT_LISTS,
            compressed: APT_LISTS,
            certainty: Certainty::Approximate,
            reason: "apt-get update leaves the package lists (/var/lib/apt/lists): remove them in this same RUN; a later RUN's rm saves nothing.".into(),
        });
    } else if facts.lists_removed && !facts.apt_update {
        parts.push(Part::new(
            Bytes::ZERO,
            Certainty::Known,
            "Removing the apt lists here saves nothing: they are in an earlier layer. Remove them in the RUN that ran apt-get update.".into(),
        ));
    }
    if facts.apk_cached && !facts.apk_cache_removed && !cache_mount("/var/cache/apk") {
        parts.push(Part::new(
            APK_INDEX,
            Certainty::Approximate,
            "apk without --no-cache keeps its index in /var/cache/apk.".into(),
        ));
    }

    // Language package managers.
    if facts.pip_packages > 0 || facts.pip_requirements {
        let bytes = if facts.pip_requirements {
            Bytes::range(MB, 60 * MB, 1000 * MB)
        } else {
            let n = facts.pip_packages;
            Bytes::range(n * 100 * KB, n * 10 * MB, n * 150 * MB)
        };
        parts.push(Part::new(
            bytes,
            Certainty::Unknown,
            format!(
                "pip install of {}: Python package sizes are not in drydock's data; unknown.",
                if facts.pip_requirements {
                    "a requirements file".to_string()
                } else {
                    format!("{} package(s)", facts.pip_packages)
                }
            ),
        ));
        let no_cache = facts.pip_no_cache
            || env("PIP_NO_CACHE_DIR")
            || cache_mount(".cache/pip")
            || cache_mount("/root/.cache");
        if !no_cache {
            parts.push(Part::new(
                bytes.times(40, 100),
                Certainty::Unknown,
                "pip keeps downloaded wheels in ~/.cache/pip: add --no-cache-dir (about 40% of the install again).".into(),
            ));
        }
    }
    if facts.npm_install {
        let bytes = Bytes::range(5 * MB, 120 * MB, 800 * MB);
        parts.push(Part::new(
            bytes,
            Certainty::Unknown,
            "node_modules from the package manifest: unknown.".into(),
        ));
        if !facts.npm_cache_cleaned && !cache_mount(".npm") && !cache_mount("yarn") {
            parts.push(Part::new(
                bytes.times(50, 100),
                Certainty::Unknown,
                "The npm/yarn cache stays in the layer: clean it in this RUN or use a cache mount."
                    .into(),
            ));
        }
    }
    if facts.npm_global > 0 {
        let n = facts.npm_global;
        parts.push(Part::new(
            Bytes::range(n * 100 * KB, n * 8 * MB, n * 100 * MB),
            Certainty::Unknown,
            format!("{n} global npm package(s): unknown."),
        ));
    }
    if facts.gems_or_composer {
        parts.push(Part::new(
            Bytes::range(MB, 50 * MB, 500 * MB),
            Certainty::Unknown,
            "Ruby gems / Composer packages: unknown.".into(),
        ));
    }

    // Downloads: known artefacts, else unknown.
    let mut known_download = false;
    for url in &facts.urls {
        if let Some((_, what, bytes, path)) = DOWNLOADS.iter().find(|(n, ..)| url.contains(n)) {
            known_download = true;
            let b = Bytes::around(*bytes, 60, 150);
            products.push(Product {
                path: Some((*path).to_string()),
                bytes: b,
                what,
                certainty: Certainty::Approximate,
            });
            parts.push(Part::new(
                b,
                Certainty::Approximate,
                format!(
                    "Downloads {what} ({}): about {} on disk (from the official images' layers).",
                    short_url(url),
                    human(*bytes)
                ),
            ));
        }
    }
    if !known_download && !facts.urls.is_empty() {
        let n = facts.urls.len() as u64;
        parts.push(Part::new(
            Bytes::range(10 * KB, n * 10 * MB, n * 300 * MB),
            Certainty::Unknown,
            format!(
                "Downloads {}: what they unpack is unknown.",
                facts
                    .urls
                    .iter()
                    .take(2)
                    .map(|u| short_url(u))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    if facts.compiles && !known_download {
        parts.push(Part::new(
            Bytes::range(MB, 30 * MB, 300 * MB),
            Certainty::Unknown,
            "Builds from source (configure/make/cmake): what it installs is unknown.".into(),
        ));
    }

    // Go and Rust builds.
    if facts.go_build {
        let stripped = facts.go_stripped;
        let binary = if stripped {
            Bytes::range(3 * MB, 9 * MB, 30 * MB)
        } else {
            Bytes::range(4 * MB, 13 * MB, 40 * MB)
        };
        products.push(Product {
            path: facts.go_output.clone(),
            bytes: binary,
            what: if stripped {
                "a Go binary built with -s -w"
            } else {
                "a Go binary"
            },
            certainty: Certainty::Approximate,
        });
        let cached = cache_mount("go-build") || cache_mount("/root/.cache");
        let cache = if cached {
            Bytes::ZERO
        } else {
            Bytes::range(10 * MB, 150 * MB, 1000 * MB)
        };
        parts.push(Part::new(
            binary.plus(cache),
            Certainty::Approximate,
            format!(
                "go build: a binary of about {}{}.",
                human(binary.expected),
                if cached {
                    String::new()
                } else {
                    format!(
                        " plus the build cache (~/.cache/go-build, about {}) unless a cache mount holds it",
                        human(cache.expected)
                    )
                }
            ),
        ));
    }
    if facts.go_mod_download && !cache_mount("/go/pkg") {
        parts.push(Part::new(
            Bytes::range(MB, 100 * MB, 1000 * MB),
            Certainty::Unknown,
            "go mod download: the module cache depends on go.sum; unknown.".into(),
        ));
    }
    if facts.cargo_build {
        let binary = Bytes::range(MB, 8 * MB, 50 * MB);
        products.push(Product {
            path: None,
            bytes: binary,
            what: "a Rust binary",
            certainty: Certainty::Approximate,
        });
        parts.push(Part::new(
            Bytes::range(50 * MB, 500 * MB, 5000 * MB),
            Certainty::Unknown,
            "cargo build: target/ and the registry cache; unknown.".into(),
        ));
    }

    if parts.is_empty() {
        return Sized::generic(
            Bytes::range(0, 10 * KB, MB),
            Certainty::Approximate,
            "Small changes to files (users, links, permissions, configuration).".into(),
        );
    }
    let mut out = Sized {
        bytes: Bytes::ZERO,
        compressed: Bytes::ZERO,
        certainty: Certainty::Known,
        reason: String::new(),
    };
    for p in parts {
        out.bytes = out.bytes.plus(p.bytes);
        out.compressed = out.compressed.plus(p.compressed);
        out.certainty = out.certainty.max(p.certainty);
        if !out.reason.is_empty() {
            out.reason.push(' ');
        }
        out.reason.push_str(&p.reason);
    }
    out
}

/// What the commands of one RUN do, as far as size goes.
#[derive(Debug, Default)]
struct Facts {
    apt_update: bool,
    lists_removed: bool,
    apt_mark_auto: bool,
    autoremove: bool,
    /// Names given to `apt-get purge/remove` or `apk del`.
    purged: Vec<String>,
    apk_cached: bool,
    apk_cache_removed: bool,
    pip_packages: u64,
    pip_requirements: bool,
    pip_no_cache: bool,
    npm_install: bool,
    npm_global: u64,
    npm_cache_cleaned: bool,
    gems_or_composer: bool,
    urls: Vec<String>,
    compiles: bool,
    go_build: bool,
    go_stripped: bool,
    go_output: Option<String>,
    go_mod_download: bool,
    cargo_build: bool,
}

impl Facts {
    fn read(cmds: &[Command]) -> Facts {
        let mut f = Facts::default();
        for cmd in cmds {
            let Some((prog, args)) = program(cmd) else {
                continue;
            };
            let words: Vec<&str> = args.iter().map(|w| w.value.as_str()).collect();
            let first = words.first().copied().unwrap_or("");
            let has = |x: &str| words.contains(&x);
            match prog.as_str() {
                "apt-get" | "apt" | "aptitude" => match first {
                    "update" => f.apt_update = true,
                    "dist-clean" => f.lists_removed = true,
                    "autoremove" => f.autoremove = true,
                    "purge" | "remove" => {
                        if has("--auto-remove") || has("--autoremove") {
                            f.autoremove = true;
                        }
                        f.purged.extend(operands(&words));
                    }
                    _ => {
                        if words
                            .iter()
                            .any(|w| *w == "purge" || *w == "remove" || *w == "autoremove")
                        {
                            f.autoremove |= has("--auto-remove") || has("autoremove");
                            f.purged.extend(operands(&words));
                        }
                    }
                },
                "apt-mark" if first == "auto" => f.apt_mark_auto = true,
                "apk" => {
                    if has("add") || has("update") {
                        f.apk_cached |= !has("--no-cache");
                    }
                    if has("del") {
                        f.purged.extend(operands(&words));
                    }
                }
                "rm" => {
                    for w in &words {
                        if w.contains("/var/lib/apt/lists") {
                            f.lists_removed = true;
                        }
                        if w.contains("/var/cache/apk") {
                            f.apk_cache_removed = true;
                        }
                        if w.contains(".cache/pip") {
                            f.pip_no_cache = true;
                        }
                        if w.contains(".npm") || w.contains("yarn") {
                            f.npm_cache_cleaned = true;
                        }
                    }
                }
                "pip" | "pip3" => pip(&words, &mut f),
                "python" | "python3" if words.get(..2) == Some(&["-m", "pip"][..]) => {
                    pip(words.get(2..).unwrap_or_default(), &mut f);
                }
                "npm" | "yarn" | "pnpm" => match first {
                    "install" | "i" | "ci" | "add"
                        if has("-g") || has("--global") || has("global") =>
                    {
                        f.npm_global += operands(&words).len() as u64;
                    }
                    "global" => f.npm_global += operands(&words).len() as u64,
                    "install" | "i" | "ci" => f.npm_install = true,
                    "cache" => f.npm_cache_cleaned = true,
                    _ if prog == "yarn" && (first.is_empty() || first.starts_with('-')) => {
                        f.npm_install = true;
                    }
                    _ => {}
                },
                "gem" | "bundle" | "bundler" | "composer" => {
                    if matches!(first, "install" | "update") {
                        f.gems_or_composer = true;
                    }
                }
                "curl" | "wget" => f.urls.extend(
                    words
                        .iter()
                        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
                        .map(|w| (*w).to_string()),
                ),
                "git" if first == "clone" => f.urls.extend(
                    words
                        .iter()
                        .filter(|w| w.contains("://") || w.starts_with("git@"))
                        .map(|w| (*w).to_string()),
                ),
                "make" | "cmake" | "ninja" | "./configure" | "configure" => f.compiles = true,
                "go" => match first {
                    "build" | "install" => {
                        f.go_build = true;
                        f.go_stripped |= words.iter().any(|w| w.contains("-s") && w.contains("-w"));
                        if let Some(pos) = words.iter().position(|w| *w == "-o") {
                            f.go_output = words.get(pos + 1).map(|s| (*s).to_string());
                        }
                    }
                    "mod" if has("download") => f.go_mod_download = true,
                    _ => {}
                },
                "cargo" if matches!(first, "build" | "install") => f.cargo_build = true,
                _ => {}
            }
        }
        f
    }
}

fn pip(words: &[&str], f: &mut Facts) {
    if !words.contains(&"install") {
        return;
    }
    let mut after_r = false;
    for w in words.iter().skip_while(|w| **w != "install").skip(1) {
        if after_r {
            f.pip_requirements = true;
            after_r = false;
        } else if *w == "-r" || *w == "--requirement" {
            after_r = true;
        } else if *w == "--no-cache-dir" {
            f.pip_no_cache = true;
        } else if *w == "." || w.starts_with("-e") || w.ends_with(".whl") {
            f.pip_requirements = true;
        } else if !w.starts_with('-') {
            f.pip_packages += 1;
        }
    }
}

/// Words after the subcommand that are not options.
fn operands(words: &[&str]) -> Vec<String> {
    words
        .iter()
        .skip(1)
        .filter(|w| !w.starts_with('-'))
        .map(|w| (*w).to_string())
        .collect()
}

/// `apk add --virtual NAME` (or `-t NAME`).
fn virtual_group(cmd: &Command) -> Option<String> {
    let args: Vec<&str> = cmd.args().collect();
    let pos = args.iter().position(|a| *a == "--virtual" || *a == "-t")?;
    args.get(pos + 1).map(|s| (*s).to_string())
}

fn count_installs(cmds: &[Command]) -> usize {
    cmds.iter()
        .filter(|c| packages::install(c).is_some())
        .count()
}

fn deb_lookup(name: &str) -> Option<u16> {
    let i = DEB_PACKAGES.binary_search_by(|p| p.name.cmp(name)).ok()?;
    u16::try_from(i).ok()
}

/// Adds package `i` and its closure; returns the bytes not yet installed
/// and whether recommends were followed (and made a difference).
fn deb_add(
    i: u16,
    recommends: bool,
    installed: &mut Installed,
    added: &mut Vec<u16>,
) -> (u64, bool) {
    let Some(p) = DEB_PACKAGES.get(usize::from(i)) else {
        return (0, false);
    };
    let (deps, small) = if recommends {
        (p.recommends, p.small_recommends_kib)
    } else {
        (p.deps, p.small_deps_kib)
    };
    let rec_differs = recommends && p.recommends.len() > p.deps.len();
    let mut kib = 0u64;
    if installed.deb.insert(i) {
        added.push(i);
        kib += u64::from(p.kib) + u64::from(small);
    }
    for &d in deps {
        if installed.deb.insert(d) {
            added.push(d);
            kib += DEB_PACKAGES
                .get(usize::from(d))
                .map_or(0, |q| u64::from(q.kib));
        }
    }
    (kib.saturating_mul(KIB), rec_differs)
}

fn list(known: &[String], unknown: &[String]) -> String {
    let all: Vec<&str> = known.iter().chain(unknown).map(String::as_str).collect();
    if all.len() <= 6 {
        all.join(", ")
    } else {
        format!(
            "{} and {} more",
            all.iter().take(5).copied().collect::<Vec<_>>().join(", "),
            all.len() - 5
        )
    }
}

fn short_url(url: &str) -> String {
    let s = url
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    if s.chars().count() > 50 {
        let mut t: String = s.chars().take(49).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}
