//! What a RUN adds to the image.

use std::collections::BTreeSet;

use super::base::Os;
use super::data::{ALPINE_PACKAGES, DEB_PACKAGES};
use super::{Bytes, Certainty, KB, KIB, MB, Sized, compress, human, human_range};
use crate::model::{BuildModel, MountType, RunInfo};
use crate::rules::packages;
use crate::rules::scope::program;
use crate::syntax::shell::{Command, ConstructKind};

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

/// A download drydock knows the size of.
struct Download {
    /// Found anywhere in the RUN's text (URLs are often in variables).
    needle: &'static str,
    what: &'static str,
    /// On disk once installed.
    bytes: u64,
    /// Where it is installed.
    path: &'static str,
    /// An `rm` argument containing one of these removes it again.
    removed_by: &'static [&'static str],
}

const fn dl(
    needle: &'static str,
    what: &'static str,
    bytes: u64,
    path: &'static str,
    removed_by: &'static [&'static str],
) -> Download {
    Download {
        needle,
        what,
        bytes,
        path,
        removed_by,
    }
}

const GO: &[&str] = &["/usr/local/go"];
const RUST: &[&str] = &["RUSTUP_HOME", "CARGO_HOME", "rust", ".cargo"];
const JAVA: &[&str] = &["/opt/java"];

/// Known downloads. Figures are rounded sizes of the unpacked upstream
/// releases (Go and Node.js archives, Temurin JDK/JRE archives, CPython /
/// Ruby / PHP / PostgreSQL installs without tests and docs): approximate.
/// They are deliberately not taken from the official images the
/// calibration test measures, so that test stays honest.
const DOWNLOADS: &[Download] = &[
    dl(
        "dl.google.com/go/",
        "the Go toolchain",
        230 * MB,
        "/usr/local/go",
        GO,
    ),
    dl(
        "go.dev/dl/",
        "the Go toolchain",
        230 * MB,
        "/usr/local/go",
        GO,
    ),
    dl(
        "golang.org/dl/",
        "the Go toolchain",
        230 * MB,
        "/usr/local/go",
        GO,
    ),
    dl("nodejs.org/dist", "Node.js", 170 * MB, "/usr/local", &[]),
    dl(
        "python.org/ftp/python",
        "CPython built from source",
        50 * MB,
        "/usr/local",
        &[],
    ),
    dl("yarnpkg.com", "Yarn", 5 * MB, "/opt/yarn", &[]),
    dl(
        "static.rust-lang.org",
        "the Rust toolchain",
        600 * MB,
        "/usr/local/cargo",
        RUST,
    ),
    dl(
        "sh.rustup.rs",
        "the Rust toolchain",
        600 * MB,
        "/usr/local/cargo",
        RUST,
    ),
    dl("-jre_", "a JRE", 150 * MB, "/opt/java", JAVA),
    dl("adoptium", "a JDK", 330 * MB, "/opt/java", JAVA),
    dl("openjdk", "a JDK", 330 * MB, "/opt/java", JAVA),
    dl(
        "maven.apache.org",
        "Maven",
        10 * MB,
        "/usr/share/maven",
        &[],
    ),
    dl(
        "nginx.org/download",
        "nginx built from source",
        6 * MB,
        "/usr/sbin",
        &[],
    ),
    dl(
        "download.redis.io",
        "Redis built from source",
        15 * MB,
        "/usr/local/bin",
        &[],
    ),
    dl(
        "php.net",
        "PHP built from source",
        60 * MB,
        "/usr/local/lib/php",
        &[],
    ),
    dl(
        "cache.ruby-lang.org",
        "Ruby built from source",
        60 * MB,
        "/usr/local/lib/ruby",
        &[],
    ),
    dl(
        "ftp.postgresql.org",
        "PostgreSQL built from source",
        60 * MB,
        "/usr/local/pgsql",
        &[],
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

/// How many variables a RUN's download check reads (bounded work).
const MAX_VARS: usize = 256;

/// How many Alpine package names a stage remembers (bounded work).
const MAX_NAMES: usize = 4096;

/// One package operand of an install in this RUN.
struct PkgRecord {
    name: String,
    apt: bool,
    /// `apk add --virtual NAME`.
    group: Option<String>,
    /// On disk, what was not installed before; `None`: not in the data.
    bytes: Option<u64>,
    /// Debian table rows it added.
    deb: Vec<u16>,
    /// An exact figure (not a heuristic).
    exact: bool,
}

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
    // In a `case "$arch" in`, only the amd64 branch runs (the default
    // platform); the others (often a build from source) do not.
    let cmds: Vec<&Command> = run
        .commands()
        .iter()
        .filter(|c| !in_other_arch_branch(run, c))
        .collect();
    let cmds = cmds.as_slice();
    let cache_mount = |dir: &str| {
        run.mounts.iter().any(|m| {
            m.kind == MountType::Cache && m.target.as_deref().is_some_and(|t| t.contains(dir))
        })
    };
    let env = |name: &str| model.var(run.env, name).is_some();
    let facts = Facts::read(cmds);
    let mut parts: Vec<Part> = Vec::new();

    // Package installs, in order; purges at the end of the RUN.
    let mut records: Vec<PkgRecord> = Vec::new();
    let mut recommends_used = false;
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
        let group = virtual_group(cmd);
        for word in &install.packages {
            let name = if word.has_expansion {
                word.value.clone()
            } else {
                packages::package_name(&word.value)
            };
            if group.as_ref() == Some(&name) {
                continue;
            }
            let mut rec = PkgRecord {
                name: name.clone(),
                apt: is_apt,
                group: group.clone(),
                bytes: None,
                deb: Vec::new(),
                exact: false,
            };
            if word.has_expansion {
                records.push(rec);
                continue;
            }
            if is_apt {
                if let Some(i) = deb_lookup(&name) {
                    let (new_bytes, r) = deb_add(i, !no_rec, installed, &mut rec.deb);
                    recommends_used |= r;
                    rec.bytes = Some(new_bytes);
                }
            } else if is_apk {
                let key = format!("apk:{name}");
                if installed.names.contains(&key) {
                    rec.bytes = Some(0);
                } else {
                    if installed.names.len() < MAX_NAMES {
                        installed.names.insert(key);
                    }
                    if let Some(p) = ALPINE_PACKAGES
                        .binary_search_by(|p| p.name.cmp(name.as_str()))
                        .ok()
                        .and_then(|i| ALPINE_PACKAGES.get(i))
                    {
                        rec.bytes = Some(u64::from(p.kib) * KIB);
                        rec.exact = !p.approximate;
                    }
                }
            }
            records.push(rec);
        }
    }
    // `apt-mark auto` + autoremove purges every apt package this RUN
    // installed; `apk del NAME` a virtual group or a package.
    let purge_apt = facts.apt_mark_auto && facts.autoremove;
    let is_purged = |r: &PkgRecord| {
        (r.apt && purge_apt)
            || facts
                .purged
                .iter()
                .any(|p| Some(p) == r.group.as_ref() || *p == r.name)
    };
    let (purged, kept): (Vec<&PkgRecord>, Vec<&PkgRecord>) =
        records.iter().partition(|r| is_purged(r));
    for r in &purged {
        for i in &r.deb {
            installed.deb.remove(i);
        }
        installed.names.remove(&format!("apk:{}", r.name));
    }
    if !purged.is_empty() {
        let names: Vec<String> = purged.iter().map(|r| r.name.clone()).collect();
        parts.push(Part::new(
            Bytes::range(0, 500 * KB, 5 * MB),
            Certainty::Approximate,
            format!(
                "Packages installed and purged in this same RUN ({}) leave almost nothing: the build-then-purge pattern works.",
                list(&names, &[])
            ),
        ));
    }
    if !kept.is_empty() {
        let known: Vec<String> = kept
            .iter()
            .filter(|r| r.bytes.is_some())
            .map(|r| r.name.clone())
            .collect();
        let unknown: Vec<String> = kept
            .iter()
            .filter(|r| r.bytes.is_none())
            .map(|r| r.name.clone())
            .collect();
        // Debian 12 sizes stand for other releases within about −30/+40%;
        // Alpine's measured sizes are close, its heuristic ones rough.
        let total = kept.iter().fold(Bytes::ZERO, |acc, r| {
            acc.plus(match r.bytes {
                Some(b) if r.apt => Bytes::around(b, 70, 140),
                Some(b) if r.exact => Bytes::around(b, 90, 115),
                Some(b) => Bytes::around(b, 30, 200),
                None => Bytes::range(50 * KB, 3 * MB, 100 * MB),
            })
        });
        let alpine = kept.iter().any(|r| !r.apt) || os == Os::Alpine;
        let mut reason = format!(
            "Packages {}: {} on disk ({}).",
            list(&known, &unknown),
            human_range(total),
            if alpine {
                "Alpine installed sizes; some approximate"
            } else {
                "Debian 12 installed sizes with dependencies, an approximation for other releases"
            }
        );
        if !unknown.is_empty() {
            reason.push_str(&format!(
                " {} not in drydock's data: about 3 MB each, unknown.",
                list(&unknown, &[])
            ));
        }
        if recommends_used {
            reason.push_str(" Recommended packages are included: add --no-install-recommends.");
        }
        let certainty = if !unknown.is_empty() {
            Certainty::Unknown
        } else {
            Certainty::Approximate
        };
        parts.push(Part::new(total, certainty, reason));
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

    // Downloads: known artefacts (named anywhere in the RUN: URLs are
    // often in variables), each once; else unknown.
    let mut known_download = false;
    let mut kept_download = false;
    if facts.downloads {
        // The URL may sit in an ENV or ARG set earlier (a bounded look).
        let vars: Vec<&str> = model
            .visible(run.env)
            .into_iter()
            .rev()
            .take(MAX_VARS)
            .map(|v| v.value.as_str())
            .collect();
        let mentions =
            |needle: &str| run.text.contains(needle) || vars.iter().any(|v| v.contains(needle));
        let mut seen: Vec<&str> = Vec::new();
        for d in DOWNLOADS {
            // One artefact per install location (a JRE URL also names
            // adoptium).
            if seen.contains(&d.path) || !mentions(d.needle) {
                continue;
            }
            seen.push(d.path);
            known_download = true;
            if facts
                .removed
                .iter()
                .any(|r| d.removed_by.iter().any(|m| r.contains(m)))
            {
                parts.push(Part::new(
                    Bytes::ZERO,
                    Certainty::Approximate,
                    format!(
                        "Downloads {} and removes it in this same RUN: nothing stays.",
                        d.what
                    ),
                ));
                continue;
            }
            kept_download = true;
            let b = Bytes::around(d.bytes, 60, 150);
            products.push(Product {
                path: Some(d.path.to_string()),
                bytes: b,
                what: d.what,
                certainty: Certainty::Approximate,
            });
            parts.push(Part::new(
                b,
                Certainty::Approximate,
                format!(
                    "Downloads {}: about {} on disk (unpacked upstream release, approximate).",
                    d.what,
                    human(d.bytes)
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
    if facts.compiles && !kept_download {
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
    /// Every `rm` argument.
    removed: Vec<String>,
    /// curl, wget or git clone ran.
    downloads: bool,
    compiles: bool,
    go_build: bool,
    go_stripped: bool,
    go_output: Option<String>,
    go_mod_download: bool,
    cargo_build: bool,
}

impl Facts {
    fn read(cmds: &[&Command]) -> Facts {
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
                    f.removed.extend(
                        words
                            .iter()
                            .filter(|w| !w.starts_with('-'))
                            .map(|w| (*w).to_string()),
                    );
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
                    "" if prog == "yarn" => {
                        f.npm_install = true;
                    }
                    _ => {}
                },
                "gem" | "bundle" | "bundler" | "composer" => {
                    if matches!(first, "install" | "update") {
                        f.gems_or_composer = true;
                    }
                }
                "curl" | "wget" => {
                    f.downloads = true;
                    f.urls.extend(
                        words
                            .iter()
                            .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
                            .map(|w| (*w).to_string()),
                    );
                }
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

/// Whether `cmd` is in a branch of a `case` over an architecture variable
/// whose pattern does not name amd64.
fn in_other_arch_branch(run: &RunInfo, cmd: &Command) -> bool {
    let Some(script) = run.script.as_ref() else {
        return false;
    };
    let mut at = cmd.parent;
    let mut steps = 0;
    while let Some(i) = at {
        let Some(c) = script.constructs.get(i) else {
            return false;
        };
        steps += 1;
        if c.kind == ConstructKind::Case {
            let Some(subject) = c.words.first() else {
                return false;
            };
            if !subject.value.to_ascii_lowercase().contains("arch") {
                return false;
            }
            let head = run.text.get(subject.span.end..cmd.span.start).unwrap_or("");
            let start = head
                .rfind(";;")
                .map(|p| p + 2)
                .or_else(|| head.find("in").map(|p| p + 2))
                .unwrap_or(0);
            let pattern = head
                .get(start..)
                .and_then(|t| t.split(')').next())
                .unwrap_or("")
                .to_ascii_lowercase();
            return !["amd64", "x86_64", "x64", "x86-64"]
                .iter()
                .any(|a| pattern.contains(a));
        }
        // Parents are opened earlier; the bound keeps a malformed chain
        // from looping.
        if steps > crate::syntax::shell::MAX_DEPTH {
            return false;
        }
        at = c.parent.filter(|&p| p < i);
    }
    false
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
