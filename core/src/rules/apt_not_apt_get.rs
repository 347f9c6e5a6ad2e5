use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{program, runs};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `apt` in a script.
#[derive(Debug)]
pub struct AptNotAptGet;

static META: RuleMeta = RuleMeta {
    id: "DD020",
    name: "apt-in-script",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["DL3027", "CKV_DOCKER_9"],
    summary: "`apt` is for people; scripts use `apt-get`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` that calls `apt`.",
    why_it_matters: "`apt` is the interactive front end: its output and behaviour may change \
        between releases and it warns that it has no stable command-line interface. \
        `apt-get` and `apt-cache` are the stable tools meant for scripts. Severity low: builds \
        usually work today, but may not tomorrow.",
    bad_example: "FROM debian:12-slim\nRUN apt update && apt install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n",
    good_example: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n",
    references: &[
        "https://manpages.debian.org/bookworm/apt/apt.8.en.html",
        "https://docs.docker.com/build/building/best-practices/#apt-get",
    ],
};

impl Rule for AptNotAptGet {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let Some(cmd) = run.commands().iter().find(|c| program(c) == Some("apt")) else {
                continue;
            };
            let message = "`apt` has no stable command-line interface: use `apt-get` (or \
                 `apt-cache`) in scripts."
                .to_string();
            out.push(cx.finding(&META, run.span_of(cmd.span), message));
        }
    }
}
