use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{RpmTool, list, rpm_command, rpm_install, runs, substituted};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `yum`/`dnf`/`microdnf`/`zypper install` without versions.
#[derive(Debug)]
pub struct RpmUnpinned;

static META: RuleMeta = RuleMeta {
    id: "DD022",
    name: "rpm-package-unpinned",
    severity: Severity::Low,
    category: Category::SupplyChain,
    aliases: &["DL3033", "DL3041", "DL3037"],
    summary: "`yum`/`dnf`/`zypper install` without package versions",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` whose `yum install`, `dnf install`, `microdnf install` or \
        `zypper install` names a package without a version. A package counts as pinned \
        when it carries a version: `name-1.2.3` for yum and dnf, `name=1.2.3` (or `<`, `>`, \
        `name-1.2.3`) for zypper. Local or remote `.rpm` files, paths and `@group`s are \
        not judged.",
    why_it_matters: "Without a version the build installs whatever the repository serves \
        that day: two builds of the same Dockerfile differ, and a broken or compromised \
        update lands silently. Pinned versions make builds repeatable and updates a \
        reviewed change. Severity low: reproducibility, with a supply-chain edge.",
    bad_example: "FROM rockylinux:9\nRUN dnf install -y httpd && dnf clean all\n",
    good_example: "FROM rockylinux:9\nRUN dnf install -y httpd-2.4.57 && dnf clean all\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#run",
        "https://dnf.readthedocs.io/en/latest/command_ref.html#install-command",
    ],
};

static YUM: &[&str] = &["DL3033"];
static DNF: &[&str] = &["DL3041"];
static ZYPPER: &[&str] = &["DL3037"];

/// Whether `name-<digit>` appears: a version after a dash.
fn dash_version(p: &str) -> bool {
    p.char_indices().any(|(i, c)| {
        c == '-'
            && i > 0
            && p.get(i.saturating_add(1)..)
                .is_some_and(|r| r.starts_with(|d: char| d.is_ascii_digit() || d == '$'))
    })
}

/// Whether a package operand is pinned or not a repository package.
fn pinned(tool: RpmTool, p: &str) -> bool {
    let not_a_package = p.contains('/') || p.ends_with(".rpm") || p.starts_with('@');
    let versioned = match tool {
        RpmTool::Zypper => p.contains(['=', '<', '>']) || dash_version(p),
        _ => dash_version(p),
    };
    not_a_package || versioned
}

impl Rule for RpmUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            for cmd in run.commands() {
                let Some((tool, packages)) = rpm_install(cmd) else {
                    continue;
                };
                // `groupinstall` names groups, which have no versions.
                if rpm_command(cmd).is_some_and(|(_, sub, _)| sub == "groupinstall") {
                    continue;
                }
                let unpinned: Vec<_> = packages
                    .into_iter()
                    .filter(|w| !pinned(tool, &w.value) || substituted(w))
                    .collect();
                let Some(first) = unpinned.first() else {
                    continue;
                };
                let names: Vec<&str> = unpinned.iter().map(|w| w.value.as_str()).collect();
                let (aliases, form) = match tool {
                    RpmTool::Yum => (YUM, "name-version"),
                    RpmTool::Dnf | RpmTool::Microdnf => (DNF, "name-version"),
                    RpmTool::Zypper => (ZYPPER, "name=version"),
                };
                let message = format!(
                    "`{} install` without versions for {}: the build installs whatever the \
                     repository has that day. Pin them (`{form}`).",
                    tool.name(),
                    list(&names, 5)
                );
                out.push(cx.finding_for(&META, aliases, run.span_of(first.span), message));
            }
        }
    }
}

#[cfg(test)]
mod group_tests {
    use crate::analyze;

    #[test]
    fn groups_have_no_versions() {
        let flagged = |run: &str| {
            analyze(&format!("FROM fedora:40\nRUN {run}\n"))
                .findings
                .iter()
                .any(|f| f.aliases.contains(&"DL3041"))
        };
        assert!(!flagged(
            "dnf -y groupinstall \"C Development Tools and Libraries\""
        ));
        assert!(flagged("dnf -y install gcc"));
    }
}
