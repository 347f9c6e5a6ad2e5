use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A `WORKDIR` with a relative path.
#[derive(Debug)]
pub struct RelativeWorkdir;

static META: RuleMeta = RuleMeta {
    id: "DD029",
    name: "relative-workdir",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["DL3000", "DS009", "CKV_DOCKER_10", "WorkdirRelativePath"],
    summary: "`WORKDIR` with a relative path",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `WORKDIR` whose path is relative (does not start with `/`, a \
        variable, or a Windows drive). When no absolute `WORKDIR` was set before it in the \
        stage (or the stage it is built `FROM`), the finding also answers for BuildKit's \
        `WorkdirRelativePath` check.",
    why_it_matters: "A relative `WORKDIR` is resolved against the previous working \
        directory, which, before any absolute `WORKDIR`, is the base image's: the \
        directory moves when the base image changes, and readers have to know the base \
        image to know where they are. An absolute path says it once. Severity low.",
    bad_example: "FROM node:22-slim\nWORKDIR app\n",
    good_example: "FROM node:22-slim\nWORKDIR /app\nWORKDIR /app/src\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#workdir",
        "https://docs.docker.com/reference/build-checks/workdir-relative-path/",
    ],
};

static RELATIVE: &[&str] = &["DL3000", "DS009", "CKV_DOCKER_10"];
static RELATIVE_FIRST: &[&str] = &["DL3000", "DS009", "CKV_DOCKER_10", "WorkdirRelativePath"];

impl Rule for RelativeWorkdir {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for stage in &cx.model.stages {
            let mut absolute = cx.model.parent(stage).is_some_and(|p| p.workdir.is_some());
            for &i in &stage.instructions {
                let Some(inst) = cx.file.instructions.get(i) else {
                    continue;
                };
                if !inst.is("WORKDIR") {
                    continue;
                }
                let Some(path) = inst.value.first() else {
                    continue;
                };
                if !crate::rules::copy_relative_without_workdir::relative(path) {
                    absolute = true;
                    continue;
                }
                let aliases = if absolute { RELATIVE } else { RELATIVE_FIRST };
                let span = inst.value_spans.first().copied().unwrap_or(inst.span);
                let message = format!(
                    "`WORKDIR {path}` is relative to the previous working directory{}: use an \
                     absolute path.",
                    if absolute {
                        ""
                    } else {
                        ", here the base image's"
                    }
                );
                out.push(cx.finding_for(&META, aliases, span, message));
            }
        }
    }
}
