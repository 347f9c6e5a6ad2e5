use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{program, runs};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `cd` in a RUN where `WORKDIR` would do.
#[derive(Debug)]
pub struct CdInsteadOfWorkdir;

static META: RuleMeta = RuleMeta {
    id: "DD010",
    name: "cd-instead-of-workdir",
    severity: Severity::Info,
    category: Category::Maintainability,
    aliases: &["DL3003", "DS013"],
    summary: "`cd` in `RUN`: use `WORKDIR`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` that changes directory with `cd`. One finding per `RUN`.",
    why_it_matters: "A `cd` lasts only until the end of its `RUN`, so the next instruction \
        silently runs somewhere else, and long `cd a && … && cd ../b` chains are hard to \
        follow. `WORKDIR` states the directory once, for every later instruction, and creates \
        it if needed. Severity info: a readability matter; a `cd` inside a subshell to build \
        something in a temporary directory is often fine.",
    bad_example: "FROM golang:1.23\nCOPY . /src\nRUN cd /src && go build -o /app .\n",
    good_example: "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#workdir",
        "https://docs.docker.com/reference/dockerfile/#workdir",
    ],
};

impl Rule for CdInsteadOfWorkdir {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let Some(cd) = run.commands().iter().find(|c| program(c) == Some("cd")) else {
                continue;
            };
            let message = "`cd` lasts only until the end of this `RUN`: set the directory with \
                 `WORKDIR` instead."
                .to_string();
            out.push(cx.finding(&META, run.span_of(cd.span), message));
        }
    }
}
