use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{program, runs};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A stage that uses both `wget` and `curl`.
#[derive(Debug)]
pub struct WgetAndCurl;

static META: RuleMeta = RuleMeta {
    id: "DD019",
    name: "wget-and-curl",
    severity: Severity::Info,
    category: Category::Efficiency,
    aliases: &["DL4001", "DS014"],
    summary: "Both `wget` and `curl` in one stage",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags, in a stage that uses both `wget` and `curl`, each `RUN` that uses \
        one of them once both have appeared.",
    why_it_matters: "The two tools do the same job. Needing both usually means installing one \
        of them just for a single download: extra size and one more network-facing binary \
        in the image. Settle on one. Severity info.",
    bad_example: "FROM debian:12-slim\nRUN wget -q https://example.com/a.tar.gz\nCOPY x /x\nRUN curl -fsSO https://example.com/b.tar.gz\n",
    good_example: "FROM debian:12-slim\nRUN curl -fsSO https://example.com/a.tar.gz\nCOPY x /x\nRUN curl -fsSO https://example.com/b.tar.gz\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#dont-install-unnecessary-packages",
        "https://curl.se/docs/manpage.html",
    ],
};

impl Rule for WgetAndCurl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let (mut stage, mut wget, mut curl) = (usize::MAX, false, false);
        for run in runs(cx) {
            if run.info.stage != stage {
                (stage, wget, curl) = (run.info.stage, false, false);
            }
            let uses = |name: &str| run.commands().iter().find(|c| program(c) == Some(name));
            let (w, c) = (uses("wget"), uses("curl"));
            wget |= w.is_some();
            curl |= c.is_some();
            let Some(cmd) = w.or(c) else { continue };
            if wget && curl {
                let message = "This stage uses both `wget` and `curl`: settle on one.".to_string();
                out.push(cx.finding(&META, run.span_of(cmd.span), message));
            }
        }
    }
}
