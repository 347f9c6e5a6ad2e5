use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{RpmTool, program, rpm_command, rpm_install, runs, ships};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::Command;

/// `yum`/`dnf`/`microdnf`/`zypper install` whose cache stays in the layer.
#[derive(Debug)]
pub struct RpmCacheKept;

static META: RuleMeta = RuleMeta {
    id: "DD023",
    name: "rpm-cache-kept",
    severity: Severity::Low,
    category: Category::Efficiency,
    aliases: &[
        "DL3032", "DL3040", "DL3036", "DS015", "DS019", "DS020", "DS027",
    ],
    summary: "`yum`/`dnf`/`zypper` cache not cleaned in the same `RUN`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` that installs packages with `yum`, `dnf`, \
        `microdnf` or `zypper` without cleaning the package cache after it in the same \
        `RUN` (`yum clean all`, \
        `dnf clean all`, `microdnf clean all`, `zypper clean`, or removing \
        `/var/cache/yum`, `/var/cache/dnf`, `/var/cache/zypp`), in a stage that ends up in \
        the image. A cache mount on that directory satisfies the rule.",
    why_it_matters: "The package managers keep downloaded packages and repository metadata, \
        often a hundred megabytes, in the layer that installed them. Cleaning in a later \
        `RUN` does not shrink the image: the earlier layer still ships. Severity low: \
        size, not safety.",
    bad_example: "FROM rockylinux:9\nRUN dnf install -y httpd-2.4.57\n",
    good_example: "FROM rockylinux:9\nRUN dnf install -y httpd-2.4.57 && dnf clean all\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#run",
        "https://docs.docker.com/build/cache/optimize/#use-cache-mounts",
    ],
};

static YUM: &[&str] = &["DL3032", "DS015"];
static DNF: &[&str] = &["DL3040", "DS019"];
static MICRODNF: &[&str] = &["DL3040", "DS027"];
static ZYPPER: &[&str] = &["DL3036", "DS020"];

/// The cache directory of each tool.
fn cache_dir(tool: RpmTool) -> &'static str {
    match tool {
        RpmTool::Yum => "/var/cache/yum",
        RpmTool::Dnf | RpmTool::Microdnf => "/var/cache/dnf",
        RpmTool::Zypper => "/var/cache/zypp",
    }
}

impl Rule for RpmCacheKept {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            if !ships(cx.model, run.info.stage) {
                continue;
            }
            // Every install; a clean must follow the last.
            let fills: Vec<(usize, &Command, RpmTool)> = run
                .commands()
                .iter()
                .enumerate()
                .filter_map(|(i, c)| rpm_install(c).map(|(t, _)| (i, c, t)))
                .collect();
            let (Some(&(_, cmd, tool)), Some(&(at, _, _))) = (fills.first(), fills.last()) else {
                continue;
            };
            let zypper = tool == RpmTool::Zypper;
            let cleaned = run.caches(cache_dir(tool))
                || run.commands().iter().skip(at).any(|c| {
                    let clean = rpm_command(c).is_some_and(|(t, sub, _)| {
                        (t == RpmTool::Zypper) == zypper
                            && (sub == "clean" || (zypper && sub == "cc"))
                    });
                    let removed = program(c) == Some("rm")
                        && c.args().any(|a| {
                            ["/var/cache/yum", "/var/cache/dnf", "/var/cache/zypp"]
                                .iter()
                                .any(|d| a.starts_with(d))
                        });
                    clean || removed
                });
            if cleaned {
                continue;
            }
            let (aliases, clean) = match tool {
                RpmTool::Yum => (YUM, "yum clean all"),
                RpmTool::Dnf => (DNF, "dnf clean all"),
                RpmTool::Microdnf => (MICRODNF, "microdnf clean all"),
                RpmTool::Zypper => (ZYPPER, "zypper clean --all"),
            };
            let message = format!(
                "`{}` leaves its package cache in this layer: add `&& {clean}` to the \
                 same `RUN`.",
                tool.name()
            );
            out.push(cx.finding_for(&META, aliases, run.span_of(cmd.span), message));
        }
    }
}

#[cfg(test)]
mod order_tests {
    use crate::analyze;

    #[test]
    fn a_clean_must_follow_the_last_install() {
        let lines = |run: &str| -> Vec<usize> {
            analyze(&format!("FROM fedora:40\nRUN {run}\n"))
                .findings
                .iter()
                .filter(|f| f.aliases.contains(&"DL3040"))
                .map(|f| f.line)
                .collect()
        };
        assert!(lines("dnf -y install gcc-1.0 && dnf clean all").is_empty());
        assert_eq!(
            lines("dnf -y install gcc-1 && dnf clean all && dnf -y install make-4"),
            [2]
        );
    }
}
