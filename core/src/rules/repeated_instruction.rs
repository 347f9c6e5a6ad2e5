use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A second `CMD`, `ENTRYPOINT` or `HEALTHCHECK` in one stage.
#[derive(Debug)]
pub struct RepeatedInstruction;

static META: RuleMeta = RuleMeta {
    id: "DD035",
    name: "repeated-instruction",
    severity: Severity::Low,
    category: Category::Maintainability,
    aliases: &[
        "DL4003",
        "DL4004",
        "DL3012",
        "DS016",
        "DS007",
        "DS023",
        "MultipleInstructionsDisallowed",
    ],
    summary: "`CMD`, `ENTRYPOINT` or `HEALTHCHECK` repeated in a stage",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that follows another of the \
        same kind in the same stage. `ONBUILD` triggers and a `HEALTHCHECK`'s own `CMD` do \
        not count.",
    why_it_matters: "An image has one command, one entrypoint and one health check: only \
        the last of each takes effect, and the earlier ones are dead text that readers \
        believe in. Often a second `CMD` was meant as a `RUN`. Severity low: the image \
        does not do what half of the file says.",
    bad_example: "FROM python:3.12-slim\nCMD [\"python\", \"setup.py\"]\nCMD [\"python\", \"app.py\"]\n",
    good_example: "FROM python:3.12-slim\nRUN [\"python\", \"setup.py\"]\nCMD [\"python\", \"app.py\"]\n",
    references: &[
        "https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/",
        "https://docs.docker.com/reference/dockerfile/#cmd",
    ],
};

static CMD: &[&str] = &["DL4003", "DS016", "MultipleInstructionsDisallowed"];
static ENTRYPOINT: &[&str] = &["DL4004", "DS007", "MultipleInstructionsDisallowed"];
static HEALTHCHECK: &[&str] = &["DL3012", "DS023", "MultipleInstructionsDisallowed"];

impl Rule for RepeatedInstruction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for stage in &cx.model.stages {
            let mut first: [Option<usize>; 3] = [None; 3];
            for &i in &stage.instructions {
                let Some(inst) = cx.file.instructions.get(i) else {
                    continue;
                };
                let (slot, keyword, aliases) = if inst.is("CMD") {
                    (0, "CMD", CMD)
                } else if inst.is("ENTRYPOINT") {
                    (1, "ENTRYPOINT", ENTRYPOINT)
                } else if inst.is("HEALTHCHECK") {
                    (2, "HEALTHCHECK", HEALTHCHECK)
                } else {
                    continue;
                };
                let Some(seen) = first.get_mut(slot) else {
                    continue;
                };
                match seen {
                    None => *seen = Some(inst.start_line),
                    Some(line) => {
                        let message = format!(
                            "A second `{keyword}` in this stage: it replaces the one on line \
                             {line}, which has no effect. Keep one."
                        );
                        out.push(cx.finding_for(&META, aliases, inst.keyword_span, message));
                    }
                }
            }
        }
    }
}
