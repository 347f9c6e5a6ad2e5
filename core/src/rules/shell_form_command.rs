use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `CMD` or `ENTRYPOINT` in shell form.
#[derive(Debug)]
pub struct ShellFormCommand;

static META: RuleMeta = RuleMeta {
    id: "DD015",
    name: "shell-form-command",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["DL3025", "JSONArgsRecommended"],
    summary: "`CMD`/`ENTRYPOINT` in shell form",
    docs: RuleDocs {
        what_it_does: "Flags a `CMD` or `ENTRYPOINT` written as plain text instead of a JSON \
            array. `ONBUILD CMD …` is not judged here: it runs in a downstream build.",
        why_it_matters: "In shell form Docker runs `/bin/sh -c \"…\"`: the shell becomes PID 1 \
            and does not forward `SIGTERM`, so `docker stop` waits its timeout and then kills the \
            process without a clean shutdown. A shell-form `ENTRYPOINT` also ignores `CMD` and \
            `docker run` arguments. The exec form `[\"prog\", \"arg\"]` runs the program \
            directly. Severity low: shutdowns are slow and unclean, data may be lost.",
        bad_example: "FROM node:22-slim\nCMD node server.js\n",
        good_example: "FROM node:22-slim\nCMD [\"node\", \"server.js\"]\n",
        references: &[
            "https://docs.docker.com/reference/dockerfile/#shell-and-exec-form",
            "https://docs.docker.com/reference/build-checks/json-args-recommended/",
        ],
    },
};

impl Rule for ShellFormCommand {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in &cx.file.instructions {
            let keyword = if inst.is("CMD") {
                "CMD"
            } else if inst.is("ENTRYPOINT") {
                "ENTRYPOINT"
            } else {
                continue;
            };
            if inst.json {
                continue;
            }
            let message = format!(
                "`{keyword}` in shell form runs under `/bin/sh -c`, which does not pass signals \
                 on: write it as a JSON array (`{keyword} [\"prog\", \"arg\"]`)."
            );
            out.push(cx.finding(&META, inst.keyword_span, message));
        }
    }
}
