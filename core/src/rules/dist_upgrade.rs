use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{RpmTool, program, rpm_command, runs, subcommand};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `apt-get dist-upgrade` or `zypper dist-upgrade` in a build.
#[derive(Debug)]
pub struct DistUpgrade;

static META: RuleMeta = RuleMeta {
    id: "DD040",
    name: "dist-upgrade",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["DL3035", "DS024", "DKL-DI-0003"],
    summary: "`dist-upgrade` in a build step",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags `apt-get dist-upgrade` (also `full-upgrade`) and `zypper \
        dist-upgrade` (`dup`) in a `RUN`.",
    why_it_matters: "A distribution upgrade may move the image to new major package \
        versions, add and remove packages, and change the base in ways the base image's \
        maintainers did not test; the result differs from one build to the next. To get \
        security fixes, use a newer base image tag (or a plain `upgrade`). Severity low.",
    bad_example: "FROM debian:12-slim\nRUN apt-get update && apt-get dist-upgrade -y\n",
    good_example: "FROM debian:12-slim\nRUN apt-get update && apt-get upgrade -y\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#apt-get",
        "https://en.opensuse.org/SDB:Zypper_usage",
    ],
};

static APT: &[&str] = &["DS024", "DKL-DI-0003"];
static ZYPPER: &[&str] = &["DL3035"];

impl Rule for DistUpgrade {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            for cmd in run.commands() {
                let hit = if matches!(program(cmd), Some("apt-get" | "apt")) {
                    subcommand(cmd, &["-o", "-c", "-t"])
                        .filter(|(s, _)| matches!(*s, "dist-upgrade" | "full-upgrade"))
                        .map(|(s, _)| (APT, s))
                } else {
                    rpm_command(cmd)
                        .filter(|(t, s, _)| {
                            *t == RpmTool::Zypper && matches!(*s, "dist-upgrade" | "dup")
                        })
                        .map(|(_, s, _)| (ZYPPER, s))
                };
                let Some((aliases, sub)) = hit else {
                    continue;
                };
                let message = format!(
                    "`{sub}` in a build upgrades the distribution under the base image: use a \
                     newer base image tag instead."
                );
                out.push(cx.finding_for(&META, aliases, run.span_of(cmd.span), message));
            }
        }
    }
}
