//! The image checks (`DInnn`): the config, the accounts and the final
//! filesystem, each finding a [`Finding`] like the Dockerfile rules' so the
//! same score and the same views take them. Findings about the image carry
//! no text span (`line` 0); [`ImageFinding`] adds the layer and the path.

use serde::Serialize;

use super::config::ImageConfig;
use super::fs::Stacked;
use super::packages::Account;
use super::paths::{NodeId, PathTable};
use super::reader::{LayerSummary, flag};
use crate::diagnostic::{Category, Finding, Points, Severity, Span};
use crate::rules::{RuleDocs, RuleMeta};
use crate::secrets::{classify_assignment, scan_text};

/// An image check's identity: a [`RuleMeta`] like a Dockerfile rule's, so
/// the same views list and document it. Its docs have no examples (they are
/// Dockerfiles, and an image check judges an image) — the `DI` checks are
/// not in [`crate::rules::REGISTRY`], whose test runs the examples.
pub type ImageCheck = RuleMeta;

macro_rules! check {
    ($name:ident, $docs:ident, $id:literal, $slug:literal, $sev:ident, $cat:ident, [$($alias:literal),*], $summary:literal, $why:literal) => {
        pub static $name: ImageCheck = RuleMeta {
            id: $id,
            name: $slug,
            severity: Severity::$sev,
            category: Category::$cat,
            aliases: &[$($alias),*],
            summary: $summary,
        };
        static $docs: RuleDocs = RuleDocs {
            what_it_does: $summary,
            why_it_matters: $why,
            bad_example: "",
            good_example: "",
            references: &[],
        };
    };
}

check!(
    ROOT_USER,
    ROOT_USER_DOCS,
    "DI001",
    "image-runs-as-root",
    High,
    Security,
    ["CIS-DI-0001"],
    "The image's default user is root (User empty, 0 or root)",
    "A process that breaks out of a root container is root on the host, and root inside can change every file of the image."
);
check!(
    NO_HEALTHCHECK,
    NO_HEALTHCHECK_DOCS,
    "DI002",
    "image-without-healthcheck",
    Low,
    Reliability,
    ["CIS-DI-0006"],
    "The image config sets no HEALTHCHECK",
    "Without a health check an orchestrator only sees whether the process runs, not whether it answers."
);
check!(
    CONFIG_SECRET,
    CONFIG_SECRET_DOCS,
    "DI003",
    "secret-in-image-config",
    Critical,
    Security,
    ["CIS-DI-0010"],
    "A credential in the image's Env, Labels or history, readable by anyone who pulls it",
    "The config and history travel with the image: `docker inspect` and `docker history` show them to anyone who can pull it."
);
check!(
    SENSITIVE_PORT,
    SENSITIVE_PORT_DOCS,
    "DI004",
    "image-exposes-remote-access-port",
    Medium,
    Security,
    [],
    "The image exposes a remote-access or debug port (SSH, telnet, RDP, Docker API…)",
    "A remote-access or debug port gives a way in that the application does not need."
);
check!(
    SECRET_FILE,
    SECRET_FILE_DOCS,
    "DI005",
    "secret-file-in-layer",
    Critical,
    Security,
    ["CIS-DI-0010"],
    "A private key, .env or credentials file is stored in a layer (deleting it later does not remove it)",
    "Every layer ships with the image: a file deleted in a later layer is still in the earlier one, readable with `docker save`."
);
check!(
    SETUID_FILE,
    SETUID_FILE_DOCS,
    "DI006",
    "setuid-setgid-file",
    Low,
    Security,
    ["CIS-DI-0008"],
    "A setuid or setgid executable: a way to gain its owner's rights",
    "A setuid or setgid program runs with its owner's rights; a flaw in it is a privilege escalation."
);
check!(
    WORLD_WRITABLE,
    WORLD_WRITABLE_DOCS,
    "DI007",
    "world-writable-path",
    Medium,
    Security,
    [],
    "A file or directory (without the sticky bit) that any user may write",
    "Any process of the container, whatever its user, may change a world-writable file."
);
check!(
    SHELL_PRESENT,
    SHELL_PRESENT_DOCS,
    "DI008",
    "shell-or-package-manager-present",
    Info,
    Security,
    [],
    "A shell or package manager is in the final image: it is not distroless",
    "A shell and a package manager are what an intruder needs next; distroless images leave them out."
);
check!(
    EXTRA_ROOT,
    EXTRA_ROOT_DOCS,
    "DI009",
    "extra-uid-0-user",
    High,
    Security,
    [],
    "An account other than root has uid 0",
    "A second account with uid 0 is a root login under another name."
);
check!(
    DUPLICATE_ID,
    DUPLICATE_ID_DOCS,
    "DI010",
    "duplicate-uid-or-gid",
    Medium,
    Security,
    ["DKL-LI-0002"],
    "Two accounts or groups share an id",
    "Accounts sharing an id share their files and rights; audits cannot tell them apart."
);
check!(
    EMPTY_PASSWORD,
    EMPTY_PASSWORD_DOCS,
    "DI011",
    "empty-password",
    High,
    Security,
    ["DKL-LI-0001"],
    "An account has an empty password field: anyone may log in as it",
    "An account with an empty password can be logged into without one."
);
check!(
    SENSITIVE_VOLUME,
    SENSITIVE_VOLUME_DOCS,
    "DI012",
    "sensitive-volume",
    High,
    Security,
    ["DKL-DI-0002"],
    "A VOLUME on a system directory (/, /etc, /proc, /var/run/docker.sock…)",
    "A volume over a system directory lets the host or another container change what the image relies on."
);
check!(
    LATEST_TAG,
    LATEST_TAG_DOCS,
    "DI013",
    "image-tagged-latest",
    Low,
    Maintainability,
    ["DKL-DI-0006"],
    "The image is tagged `latest`, which says nothing about its version",
    "`latest` moves: a deployment cannot say which build it runs, nor roll back to it."
);
check!(
    UNNECESSARY_FILE,
    UNNECESSARY_FILE_DOCS,
    "DI014",
    "unnecessary-file",
    Info,
    Efficiency,
    ["DKL-LI-0003"],
    "Files that have no place in an image (.git, .DS_Store, editor folders)",
    "Version-control and editor files make the image larger and can leak history and secrets."
);

/// Each image check's docs (see [`crate::rules::docs`]).
static CHECK_DOCS: &[(&ImageCheck, &RuleDocs)] = &[
    (&ROOT_USER, &ROOT_USER_DOCS),
    (&NO_HEALTHCHECK, &NO_HEALTHCHECK_DOCS),
    (&CONFIG_SECRET, &CONFIG_SECRET_DOCS),
    (&SENSITIVE_PORT, &SENSITIVE_PORT_DOCS),
    (&SECRET_FILE, &SECRET_FILE_DOCS),
    (&SETUID_FILE, &SETUID_FILE_DOCS),
    (&WORLD_WRITABLE, &WORLD_WRITABLE_DOCS),
    (&SHELL_PRESENT, &SHELL_PRESENT_DOCS),
    (&EXTRA_ROOT, &EXTRA_ROOT_DOCS),
    (&DUPLICATE_ID, &DUPLICATE_ID_DOCS),
    (&EMPTY_PASSWORD, &EMPTY_PASSWORD_DOCS),
    (&SENSITIVE_VOLUME, &SENSITIVE_VOLUME_DOCS),
    (&LATEST_TAG, &LATEST_TAG_DOCS),
    (&UNNECESSARY_FILE, &UNNECESSARY_FILE_DOCS),
];

/// The docs of the image check with this id.
pub fn check_docs(id: &str) -> Option<&'static RuleDocs> {
    CHECK_DOCS.iter().find(|(m, _)| m.id == id).map(|(_, d)| *d)
}

/// Every image check, in id order.
pub static CHECKS: &[&ImageCheck] = &[
    &ROOT_USER,
    &NO_HEALTHCHECK,
    &CONFIG_SECRET,
    &SENSITIVE_PORT,
    &SECRET_FILE,
    &SETUID_FILE,
    &WORLD_WRITABLE,
    &SHELL_PRESENT,
    &EXTRA_ROOT,
    &DUPLICATE_ID,
    &EMPTY_PASSWORD,
    &SENSITIVE_VOLUME,
    &LATEST_TAG,
    &UNNECESSARY_FILE,
];

/// Where a finding of the image points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The image config.
    Config,
    /// The reconstructed Dockerfile ([`super::ImageAnalysis::dockerfile`]):
    /// the finding's span and line are in that text.
    History,
    /// A file in a layer.
    Filesystem,
}

/// A finding about an image: a [`Finding`] and where in the image it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageFinding {
    #[serde(flatten)]
    pub finding: Finding,
    pub source: Source,
    /// The image layer (0-based), for files and history lines.
    pub layer: Option<usize>,
    pub path: Option<String>,
}

pub fn finding(check: &ImageCheck, message: String) -> Finding {
    Finding {
        rule: check.id,
        severity: check.severity,
        span: Span::new(0, 0),
        line: 0,
        end_line: 0,
        column: 0,
        message,
        aliases: check.aliases,
        category: check.category,
        points: Points::ZERO,
        fix: None,
    }
}

fn config_finding(check: &ImageCheck, message: String) -> ImageFinding {
    ImageFinding {
        finding: finding(check, message),
        source: Source::Config,
        layer: None,
        path: None,
    }
}

fn file_finding(check: &ImageCheck, layer: usize, path: String, message: String) -> ImageFinding {
    ImageFinding {
        finding: finding(check, message),
        source: Source::Filesystem,
        layer: Some(layer),
        path: Some(path),
    }
}

/// Whether the user (`name`, `uid`, `name:group`) is root, looking names up
/// in `/etc/passwd`.
fn is_root(user: &str, passwd: &[Account]) -> bool {
    let name = user.split(':').next().unwrap_or_default().trim();
    if name.is_empty() || name == "root" {
        return true;
    }
    match name.parse::<u64>() {
        Ok(uid) => uid == 0,
        Err(_) => passwd.iter().any(|a| a.name == name && a.id == Some(0)),
    }
}

/// Checks of the image config and its history lines.
pub fn config_checks(
    config: &ImageConfig,
    tags: &[String],
    passwd: &[Account],
    out: &mut Vec<ImageFinding>,
) {
    if is_root(&config.user, passwd) {
        let message = if config.user.is_empty() {
            "The image sets no User, so its containers run as root".to_string()
        } else {
            format!("The image's User `{}` is root", config.user)
        };
        out.push(config_finding(&ROOT_USER, message));
    }
    let disabled = config
        .healthcheck
        .as_ref()
        .is_some_and(|t| t.first().is_some_and(|w| w == "NONE"));
    if config.healthcheck.as_ref().is_none_or(Vec::is_empty) || disabled {
        out.push(config_finding(
            &NO_HEALTHCHECK,
            "The image config sets no HEALTHCHECK: orchestrators cannot tell a hung container"
                .to_string(),
        ));
    }
    let mut reported: Vec<String> = Vec::new();
    let env = config
        .env
        .iter()
        .map(|item| ("Env", item.split_once('=').unwrap_or((item.as_str(), ""))));
    let labels = config
        .labels
        .iter()
        .map(|(k, v)| ("Label", (k.as_str(), v.as_str())));
    for (what, (key, value)) in env.chain(labels) {
        if let Some(m) = classify_assignment(key, value) {
            reported.push(m.redacted.clone());
            out.push(config_finding(
                &CONFIG_SECRET,
                format!(
                    "{what} `{key}` holds a {}: {}",
                    m.kind.description(),
                    m.redacted
                ),
            ));
        }
    }
    let mut layer = 0usize;
    for h in &config.history {
        for m in scan_text(&h.created_by) {
            if reported.contains(&m.redacted) {
                continue;
            }
            reported.push(m.redacted.clone());
            out.push(ImageFinding {
                finding: finding(
                    &CONFIG_SECRET,
                    format!(
                        "The history (`docker history`) shows a {}: {}",
                        m.kind.description(),
                        m.redacted
                    ),
                ),
                source: Source::History,
                layer: (!h.empty_layer).then_some(layer),
                path: None,
            });
        }
        if !h.empty_layer {
            layer += 1;
        }
    }
    for port in &config.exposed_ports {
        let number = port.split('/').next().and_then(|p| p.parse::<u16>().ok());
        if let Some(what) = number.and_then(crate::rules::sensitive_port_service) {
            out.push(config_finding(
                &SENSITIVE_PORT,
                format!("The image exposes {port}: {what}"),
            ));
        }
    }
    for volume in &config.volumes {
        let v = volume.trim_end_matches('/');
        let sensitive = matches!(
            v,
            "" | "/etc"
                | "/proc"
                | "/sys"
                | "/dev"
                | "/boot"
                | "/root"
                | "/var/run"
                | "/run"
                | "/var/run/docker.sock"
                | "/run/docker.sock"
                | "/usr"
                | "/lib"
                | "/bin"
        );
        if sensitive {
            out.push(config_finding(
                &SENSITIVE_VOLUME,
                format!("VOLUME `{volume}` is a system path"),
            ));
        }
    }
    for tag in tags {
        let last = tag.rsplit('/').next().unwrap_or(tag);
        if last.ends_with(":latest") {
            out.push(config_finding(
                &LATEST_TAG,
                format!("The image is tagged `{tag}`"),
            ));
        }
    }
}

/// Checks of `/etc/passwd`, `/etc/group` and `/etc/shadow`.
pub fn account_checks(
    passwd: &[Account],
    group: &[Account],
    shadow: &[Account],
    out: &mut Vec<ImageFinding>,
) {
    let at = |p: &str| Some(p.to_string());
    for a in passwd
        .iter()
        .filter(|a| a.id == Some(0) && a.name != "root")
    {
        out.push(ImageFinding {
            path: at("/etc/passwd"),
            ..config_finding(
                &EXTRA_ROOT,
                format!("`{}` has uid 0: a second root", a.name),
            )
        });
    }
    for (file, list, what) in [("/etc/passwd", passwd, "uid"), ("/etc/group", group, "gid")] {
        let mut seen: Vec<(u64, &str)> = Vec::new();
        for a in list {
            let Some(id) = a.id else { continue };
            if let Some((_, first)) = seen.iter().find(|(i, _)| *i == id) {
                out.push(ImageFinding {
                    path: at(file),
                    ..config_finding(
                        &DUPLICATE_ID,
                        format!("`{}` and `{first}` share {what} {id}", a.name),
                    )
                });
            } else {
                seen.push((id, &a.name));
            }
        }
    }
    // A passwd entry with `x` defers to shadow; an empty field is no password.
    for (file, list) in [("/etc/shadow", shadow), ("/etc/passwd", passwd)] {
        for a in list.iter().filter(|a| a.password_empty) {
            out.push(ImageFinding {
                path: at(file),
                ..config_finding(
                    &EMPTY_PASSWORD,
                    format!("`{}` has an empty password", a.name),
                )
            });
        }
    }
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"];
const PACKAGE_MANAGERS: &[&str] = &[
    "apt", "apt-get", "dpkg", "apk", "yum", "dnf", "microdnf", "rpm", "zypper", "pip", "pip3",
    "npm",
];
const BIN_DIRS: &[&str] = &["/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin"];

/// A secret by the file's name: `Some(what)` for private keys, `.env` and
/// credentials files.
fn secret_name(paths: &PathTable, id: NodeId) -> Option<&'static str> {
    let name = paths.name(id);
    let parent = paths.parent(id).map(|p| paths.name(p)).unwrap_or_default();
    match (parent, name) {
        (_, b"id_rsa" | b"id_dsa" | b"id_ecdsa" | b"id_ed25519") => Some("an SSH private key"),
        (b".aws", b"credentials") => Some("AWS credentials"),
        (b".docker", b"config.json") => Some("registry credentials (docker config)"),
        (_, b".git-credentials" | b".netrc" | b".pgpass") => Some("a credentials file"),
        (_, b".npmrc" | b".pypirc") => Some("a package registry credentials file"),
        (_, b".env") => Some("a .env file"),
        (_, n)
            if n.starts_with(b".env.")
                && !matches!(
                    n,
                    b".env.example" | b".env.sample" | b".env.template" | b".env.dist"
                ) =>
        {
            Some("a .env file")
        }
        _ => None,
    }
}

/// Checks of the files: secrets in every layer (a deleted file is still in
/// the image), permissions and tools in the final filesystem.
pub fn file_checks(
    paths: &PathTable,
    layers: &[&LayerSummary],
    stacked: &Stacked,
    out: &mut Vec<ImageFinding>,
) {
    for (li, layer) in layers.iter().enumerate() {
        let still = |id: NodeId| stacked.visible(id).is_some_and(|v| v.layer == li);
        let mut found: Vec<(NodeId, String)> = layer
            .secrets
            .iter()
            .map(|s| {
                (
                    s.node,
                    format!("holds a {} {}", s.kind.description(), s.redacted),
                )
            })
            .collect();
        for r in &layer.records {
            if r.flags & flag::REGULAR != 0
                && !found.iter().any(|f| f.0 == r.node)
                && let Some(what) = secret_name(paths, r.node)
            {
                found.push((r.node, format!("is {what}")));
            }
        }
        for (node, what) in found {
            let gone = if still(node) {
                ""
            } else {
                " (removed later, but still in this layer)"
            };
            let path = paths.path(node);
            out.push(file_finding(
                &SECRET_FILE,
                li,
                path.clone(),
                format!("{path} {what}{gone}"),
            ));
        }
    }
    for (id, v) in stacked.all_visible() {
        let symlink = v.flags & (flag::SYMLINK | flag::HARDLINK) != 0;
        if v.flags & flag::REGULAR != 0 && v.flags & (flag::SETUID | flag::SETGID) != 0 {
            let bits = match (v.flags & flag::SETUID != 0, v.flags & flag::SETGID != 0) {
                (true, true) => "setuid and setgid",
                (true, false) => "setuid",
                _ => "setgid",
            };
            out.push(file_finding(
                &SETUID_FILE,
                v.layer,
                paths.path(id),
                format!("{} is {bits}", paths.path(id)),
            ));
        }
        let sticky_dir = v.flags & flag::DIR != 0 && v.flags & flag::STICKY != 0;
        if v.flags & flag::WORLD_WRITABLE != 0 && !symlink && !sticky_dir {
            let what = if v.flags & flag::DIR != 0 {
                "directory"
            } else {
                "file"
            };
            out.push(file_finding(
                &WORLD_WRITABLE,
                v.layer,
                paths.path(id),
                format!("{} is a world-writable {what}", paths.path(id)),
            ));
        }
        let name = paths.name(id);
        if matches!(
            name,
            b".git" | b".DS_Store" | b".vscode" | b".idea" | b"Thumbs.db"
        ) {
            out.push(file_finding(
                &UNNECESSARY_FILE,
                v.layer,
                paths.path(id),
                format!("{} has no place in an image", paths.path(id)),
            ));
        }
    }
    let present = |names: &[&str]| -> Vec<String> {
        let mut found = Vec::new();
        for dir in BIN_DIRS {
            for name in names {
                let path = format!("{dir}/{name}");
                if paths
                    .find(&path)
                    .is_some_and(|id| stacked.visible(id).is_some())
                {
                    found.push(path);
                }
            }
        }
        found
    };
    let shells = present(SHELLS);
    let managers = present(PACKAGE_MANAGERS);
    if !shells.is_empty() || !managers.is_empty() {
        let mut what = Vec::new();
        if !shells.is_empty() {
            what.push(format!("shells ({})", shells.join(", ")));
        }
        if !managers.is_empty() {
            what.push(format!("package managers ({})", managers.join(", ")));
        }
        out.push(ImageFinding {
            source: Source::Filesystem,
            ..config_finding(
                &SHELL_PRESENT,
                format!(
                    "The image is not distroless: it has {}; an attacker who gets in can use them",
                    what.join(" and ")
                ),
            )
        });
    }
}
