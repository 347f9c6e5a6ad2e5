use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{apt_get_install, runs};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `apt-get install` that also installs recommended packages.
#[derive(Debug)]
pub struct AptGetRecommends;

static META: RuleMeta = RuleMeta {
    id: "DD007",
    name: "apt-get-recommends",
    severity: Severity::Low,
    category: Category::Efficiency,
    aliases: &["DL3015", "DS029"],
    summary: "`apt-get install` without `--no-install-recommends`",
    docs: RuleDocs {
        what_it_does: "Flags an `apt-get install` without `--no-install-recommends` (or the \
            equivalent `-o APT::Install-Recommends=false`).",
        why_it_matters: "By default apt also installs every package the requested ones merely \
            *recommend*: documentation, optional tools, often dozens of megabytes and more code \
            that can carry vulnerabilities. Containers rarely need them. Severity low: it costs \
            size and attack surface, not correctness.",
        bad_example: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n",
        good_example: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n",
        references: &[
            "https://docs.docker.com/build/building/best-practices/#apt-get",
            "https://manpages.debian.org/bookworm/apt/apt.conf.5.en.html",
        ],
    },
};

impl Rule for AptGetRecommends {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let Some(cmd) = run.commands().iter().find(|c| {
                apt_get_install(c).is_some()
                    && !c.argv.iter().any(|w| {
                        w.value == "--no-install-recommends"
                            || w.value.contains("Install-Recommends=false")
                            || w.value.contains("Install-Recommends=0")
                    })
            }) else {
                continue;
            };
            let message = "`apt-get install` without `--no-install-recommends` also installs \
                 recommended packages the image does not need."
                .to_string();
            out.push(cx.finding(&META, run.span_of(cmd.span), message));
        }
    }
}
