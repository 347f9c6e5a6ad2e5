use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{program, runs};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `sudo` in a RUN.
#[derive(Debug)]
pub struct SudoInRun;

static META: RuleMeta = RuleMeta {
    id: "DD018",
    name: "sudo-in-run",
    severity: Severity::Medium,
    category: Category::Security,
    aliases: &["DL3004", "DS010", "CKV2_DOCKER_1", "DKL-DI-0001"],
    summary: "`sudo` in `RUN`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` that calls `sudo`.",
    why_it_matters: "Build steps already run as the current `USER`; switching with `USER root` \
        … `USER app` around the steps that need root is explicit and needs nothing installed. \
        `sudo` in an image usually means it is installed and configured in the final image, \
        giving any process running as the app user a path to root; its TTY and environment \
        handling also make builds behave unexpectedly. Severity medium: a privilege \
        escalation path when it ships.",
    bad_example: "FROM debian:12-slim\nUSER app\nRUN sudo mkdir /data\n",
    good_example: "FROM debian:12-slim\nRUN mkdir /data && chown app /data\nUSER app\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#user",
        "https://docs.docker.com/reference/dockerfile/#user",
    ],
};

impl Rule for SudoInRun {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let Some(cmd) = run.commands().iter().find(|c| program(c) == Some("sudo")) else {
                continue;
            };
            let message =
                "`sudo` in a build step: switch with `USER root` … `USER <app>` instead, \
                 and do not ship sudo in the image."
                    .to_string();
            out.push(cx.finding(&META, run.span_of(cmd.span), message));
        }
    }
}
