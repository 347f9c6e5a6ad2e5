use crate::diagnostic::{Finding, Severity};
use crate::rules::apt_lists_kept::removes_lists;
use crate::rules::command_line::runs;
use crate::rules::packages::{ManagerCommand, is_manager, manager_args, manager_command};
use crate::rules::scope::program;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::{Command, program_name};

/// A package index refresh with no install after it in the same RUN.
#[derive(Debug)]
pub struct UpdateAlone;

static META: RuleMeta = RuleMeta {
    id: "DD057",
    name: "package-index-update-alone",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["DS017", "CKV_DOCKER_5"],
    summary: "`apt-get update` without an install after it in the same `RUN`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a package index refresh — `apt-get update`, `apt update`, \
        `aptitude update`, `apk update`, `yum`/`dnf makecache`, `zypper refresh` — that no \
        install or upgrade of the same family follows in the same `RUN`. A script run \
        after it (`./install.sh`, `bash setup.sh`) counts as an install: it may well be \
        one. `yum update`/`dnf update` upgrade packages and are not index refreshes.",
    why_it_matters: "The build cache keys a `RUN` on its text only. A `RUN apt-get update` \
        layer is reused for months, so the `RUN apt-get install …` after it installs from \
        an old index: versions that have since been replaced (security fixes missed), or \
        files the mirror no longer has, and the build breaks for whoever builds it next. \
        Refresh and install in the same `RUN` (`apt-get update && apt-get install -y …`) so \
        a change to the package list refreshes the index too. Trivy rates this high; \
        drydock low: the result is stale or failing builds rather than a hole in itself.",
    bad_example: "FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\n",
    good_example: "FROM debian:12-slim\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n && rm -rf /var/lib/apt/lists/*\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#apt-get",
        "https://avd.aquasec.com/misconfig/dockerfile/general/avd-ds-0017/",
    ],
};

impl Rule for UpdateAlone {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let commands = run.commands();
            // The last command that uses (or deletes) each family's index,
            // found in one pass so a long script costs linear time.
            let mut last_use = [None; 3];
            for (k, c) in commands.iter().enumerate() {
                for f in Family::ALL {
                    if (installs(c, f) || removes_index(c, f) || runs_script(c))
                        && let Some(slot) = last_use.get_mut(f as usize)
                    {
                        *slot = Some(k);
                    }
                }
            }
            for (k, cmd) in commands.iter().enumerate() {
                let Some(refresh) = manager_command(cmd).filter(is_refresh) else {
                    continue;
                };
                let family = family(&refresh.manager);
                let used_later = last_use
                    .get(family as usize)
                    .copied()
                    .flatten()
                    .is_some_and(|last| last > k);
                if used_later {
                    continue;
                }
                let message = format!(
                    "`{} {}` with no install after it in this `RUN`: the build cache keeps \
                     this layer, so later installs use an old package index. Refresh and \
                     install in the same `RUN`.",
                    refresh.manager, refresh.sub
                );
                out.push(cx.finding(&META, run.locate(cmd.span), message));
            }
        }
    }
}

/// A package manager family: the managers that share one index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Apt,
    Apk,
    Rpm,
}

impl Family {
    const ALL: [Family; 3] = [Family::Apt, Family::Apk, Family::Rpm];
}

fn family(manager: &str) -> Family {
    match manager {
        "apt-get" | "apt" | "aptitude" => Family::Apt,
        "apk" => Family::Apk,
        _ => Family::Rpm,
    }
}

/// Whether the command only refreshes the package index.
fn is_refresh(c: &ManagerCommand<'_>) -> bool {
    match family(&c.manager) {
        Family::Apt | Family::Apk => c.sub == "update",
        Family::Rpm if c.manager == "zypper" => matches!(c.sub, "refresh" | "ref"),
        Family::Rpm => c.sub == "makecache",
    }
}

/// Whether `cmd` installs or upgrades packages with a manager of `family`,
/// also behind a wrapper (`xargs apt-get install`, `eatmydata apt-get …`,
/// `xx-apt-get …`).
fn installs(cmd: &Command, family_: Family) -> bool {
    cmd.argv.iter().enumerate().any(|(i, w)| {
        if w.has_expansion {
            return false;
        }
        let name = program_name(&w.value);
        let name = name.strip_prefix("xx-").unwrap_or(&name).to_string();
        if !is_manager(&name) || family(&name) != family_ {
            return false;
        }
        let rest = cmd.argv.get(i.saturating_add(1)..).unwrap_or_default();
        manager_args(name, rest).is_some_and(|c| is_install(&c))
    })
}

/// Whether the subcommand installs or upgrades packages.
fn is_install(c: &ManagerCommand<'_>) -> bool {
    !is_refresh(c)
        && matches!(
            c.sub,
            "install"
                | "in"
                | "add"
                | "upgrade"
                | "up"
                | "update"
                | "dist-upgrade"
                | "full-upgrade"
                | "dup"
                | "reinstall"
                | "build-dep"
                | "source"
                | "download"
                | "satisfy"
                | "groupinstall"
                | "localinstall"
                | "distro-sync"
                | "builddep"
                | "fix"
                | "patch"
        )
}

/// Whether `cmd` deletes the index the refresh wrote, so no stale copy
/// stays in the layer (`apt-get update && … && rm -rf /var/lib/apt/lists/*`).
fn removes_index(cmd: &Command, family_: Family) -> bool {
    family_ == Family::Apt && removes_lists(cmd)
}

/// Whether `cmd` runs a script the text does not show (`./install.sh`,
/// `bash setup.sh`), which may install packages.
fn runs_script(cmd: &Command) -> bool {
    let Some(first) = cmd.argv.first() else {
        return false;
    };
    let v = first.value.as_str();
    if v.contains('/') && !v.starts_with("/usr/") && !v.starts_with("/bin/") || v.ends_with(".sh") {
        return true;
    }
    program(cmd).is_some_and(|(name, args)| {
        matches!(
            name.as_str(),
            "sh" | "bash" | "dash" | "ash" | "source" | "."
        ) && args.first().is_some_and(|w| !w.value.starts_with('-'))
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::check;

    fn found(text: &str) -> Vec<(usize, String)> {
        check::lines_and_spans("DD057", text)
    }

    #[test]
    fn refresh_without_install() {
        assert_eq!(
            found("FROM a:1\nRUN apt-get update -q\nRUN apt-get install -y curl\n"),
            [(2, "apt-get update -q".into())]
        );
        assert_eq!(
            found("FROM a:1\nRUN apk update && echo ok\nRUN apk add curl\n"),
            [(2, "apk update".into())]
        );
        assert_eq!(found("FROM a:1\nRUN dnf makecache\n").len(), 1);
        assert_eq!(
            found("FROM a:1\nRUN zypper --non-interactive ref\n").len(),
            1
        );
        // An install before the refresh does not use it.
        assert_eq!(
            found("FROM a:1\nRUN apt-get install -y curl; sudo apt-get update\n").len(),
            1
        );
        // An install of another family does not either.
        assert_eq!(
            found("FROM a:1\nRUN apt-get update && apk add curl\n").len(),
            1
        );
    }

    #[test]
    fn refresh_followed_by_install_or_script() {
        for text in [
            "FROM a:1\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -y install curl\n",
            "FROM a:1\nRUN apt update && apt full-upgrade -y\n",
            "FROM a:1\nRUN apt-get update && xargs -a pkgs.txt apt-get install -y\n",
            "FROM a:1\nRUN apk update && apk upgrade\n",
            "FROM a:1\nRUN yum makecache && yum install -y curl\n",
            "FROM a:1\nRUN apt-get update && ./install-deps.sh\n",
            "FROM a:1\nRUN apt-get update && bash /tmp/setup.sh\n",
            "FROM a:1\nRUN yum update -y\n",
            "FROM a:1\nRUN apk --update add curl\n",
            "FROM a:1\nRUN apt-get update && eatmydata -- apt-get -qy install curl\n",
            "FROM a:1\nRUN apt-get update && xx-apt-get install -y gcc\n",
            // The lists do not stay: the refresh only tests the sources.
            "FROM a:1\nRUN apt-get update; apt-get dist-clean\n",
        ] {
            assert_eq!(found(text), [] as [(usize, String); 0], "{text}");
        }
    }
}
