//! The packages a RUN command installs with a system package manager
//! (`apt-get`/`apt`/`aptitude install`, `apk add`, `yum`/`dnf`/`microdnf`/
//! `tdnf install`, `zypper install`).

use crate::rules::scope::program;
use crate::syntax::shell::{Command, Word};

/// A package manager's install command.
#[derive(Debug)]
pub struct Install<'a> {
    /// `apt-get`, `apk`, `dnf`, …
    pub manager: String,
    /// The package operands as written (versions included: `curl=7.88*`).
    pub packages: Vec<&'a Word>,
}

/// Options of the managers that take a separate value.
const VALUED: &[&str] = &[
    "-o",
    "-t",
    "--target-release",
    "-c",
    "--config-file",
    "-X",
    "--repository",
    "--virtual",
    "--root",
    "-p",
    "--arch",
    "--installroot",
    "--releasever",
    "--enablerepo",
    "--disablerepo",
    "--setopt",
    "-r",
    "--repo",
];

/// The install this command performs, if it is one.
pub fn install(cmd: &Command) -> Option<Install<'_>> {
    let (manager, args) = program(cmd)?;
    let verbs: &[&str] = match manager.as_str() {
        "apt-get" | "apt" | "aptitude" => &["install"],
        "apk" => &["add"],
        "yum" | "dnf" | "microdnf" | "tdnf" => &["install"],
        "zypper" => &["install", "in"],
        _ => return None,
    };
    let mut packages = Vec::new();
    let mut seen_verb = false;
    let mut skip = false;
    for w in args {
        let v = w.value.as_str();
        if skip {
            skip = false;
            continue;
        }
        if v.starts_with('-') {
            skip = VALUED.contains(&v);
            continue;
        }
        if !seen_verb {
            if verbs.contains(&v) {
                seen_verb = true;
                continue;
            }
            // Another subcommand (`apt-get update`): not an install.
            return None;
        }
        packages.push(w);
    }
    seen_verb.then_some(Install { manager, packages })
}

/// The package name of an operand: without a version (`name=1.2`,
/// `name>=1`, `name~1`) or architecture (`name:amd64`), lower-cased.
pub fn package_name(operand: &str) -> String {
    let end = operand
        .find(['=', '<', '>', '~', ':'])
        .unwrap_or(operand.len());
    operand.get(..end).unwrap_or(operand).to_ascii_lowercase()
}
