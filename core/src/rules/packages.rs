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

/// A package manager command: the manager, its subcommand and the words
/// after the subcommand.
#[derive(Debug)]
pub struct ManagerCommand<'a> {
    /// `apt-get`, `apk`, `dnf`, …
    pub manager: String,
    /// `install`, `update`, `add`, …
    pub sub: &'a str,
    /// The words after the subcommand.
    pub rest: &'a [Word],
}

/// The package manager command `cmd` runs (through `sudo`, `env`, …), if
/// it is one.
pub fn manager_command(cmd: &Command) -> Option<ManagerCommand<'_>> {
    let (manager, args) = program(cmd)?;
    manager_args(manager, args)
}

/// The package manager command of program `manager` with `args`, if it is
/// one.
pub fn manager_args(manager: String, args: &[Word]) -> Option<ManagerCommand<'_>> {
    if !is_manager(&manager) {
        return None;
    }
    let mut skip = false;
    for (i, w) in args.iter().enumerate() {
        let v = w.value.as_str();
        if skip {
            skip = false;
        } else if v.starts_with('-') {
            skip = VALUED.contains(&v);
        } else {
            let rest = args.get(i.saturating_add(1)..).unwrap_or_default();
            return Some(ManagerCommand {
                manager,
                sub: v,
                rest,
            });
        }
    }
    None
}

/// Whether `name` is a system package manager.
pub fn is_manager(name: &str) -> bool {
    matches!(
        name,
        "apt-get"
            | "apt"
            | "aptitude"
            | "apk"
            | "yum"
            | "dnf"
            | "dnf5"
            | "microdnf"
            | "tdnf"
            | "zypper"
    )
}

/// The install this command performs, if it is one.
pub fn install(cmd: &Command) -> Option<Install<'_>> {
    let ManagerCommand { manager, sub, rest } = manager_command(cmd)?;
    let verbs: &[&str] = match manager.as_str() {
        "apt-get" | "apt" | "aptitude" => &["install"],
        "apk" => &["add"],
        "zypper" => &["install", "in"],
        _ => &["install"],
    };
    if !verbs.contains(&sub) {
        // Another subcommand (`apt-get update`): not an install.
        return None;
    }
    let mut packages = Vec::new();
    let mut skip = false;
    for w in rest {
        let v = w.value.as_str();
        if skip {
            skip = false;
            continue;
        }
        if v.starts_with('-') {
            skip = VALUED.contains(&v);
            continue;
        }
        packages.push(w);
    }
    Some(Install { manager, packages })
}

/// The package name of an operand: without a version (`name=1.2`,
/// `name>=1`, `name~1`) or architecture (`name:amd64`), lower-cased.
pub fn package_name(operand: &str) -> String {
    let end = operand
        .find(['=', '<', '>', '~', ':'])
        .unwrap_or(operand.len());
    operand.get(..end).unwrap_or(operand).to_ascii_lowercase()
}
