use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `COPY`/`ADD` to a relative destination before any `WORKDIR`.
#[derive(Debug)]
pub struct CopyRelativeWithoutWorkdir;

static META: RuleMeta = RuleMeta {
    id: "DD025",
    name: "copy-relative-without-workdir",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["DL3045"],
    summary: "`COPY` to a relative path before any `WORKDIR`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `COPY` whose destination is a relative path (`.`, `app/`) in a \
        stage where no `WORKDIR` has been set yet — neither in the stage nor in the stage \
        it is built `FROM`. Destinations that start with a variable are not judged.",
    why_it_matters: "A relative destination is resolved against the working directory, \
        which then comes from the base image: `/` for most, something else for some, and \
        it can change when the base image is updated. The files land somewhere nobody \
        wrote down. Setting `WORKDIR` (or copying to an absolute path) makes the layout \
        explicit. Severity low: surprising layouts, not a vulnerability.",
    bad_example: "FROM python:3.12-slim\nCOPY app.py .\n",
    good_example: "FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py .\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#copy",
        "https://docs.docker.com/reference/dockerfile/#workdir",
    ],
};

/// Whether a destination is relative (and not a variable or Windows path).
pub fn relative(dest: &str) -> bool {
    let d = dest.trim_matches(['"', '\'']);
    let windows = d.as_bytes().get(1) == Some(&b':') || d.starts_with('\\');
    !d.is_empty() && !d.starts_with('/') && !d.starts_with('$') && !windows
}

impl Rule for CopyRelativeWithoutWorkdir {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for stage in &cx.model.stages {
            let mut workdir = cx.model.parent(stage).is_some_and(|p| p.workdir.is_some());
            for &i in &stage.instructions {
                let Some(inst) = cx.file.instructions.get(i) else {
                    continue;
                };
                if inst.is("WORKDIR") {
                    workdir = true;
                }
                if workdir || !inst.is("COPY") {
                    continue;
                }
                let Some(dest) = inst.value.last().filter(|_| inst.value.len() >= 2) else {
                    continue;
                };
                if !relative(dest) {
                    continue;
                }
                let span = inst.value_spans.last().copied().unwrap_or(inst.span);
                let message = format!(
                    "`COPY` to the relative path `{dest}` before any `WORKDIR`: the files land \
                     in the base image's working directory. Set `WORKDIR` first or use an \
                     absolute path."
                );
                out.push(cx.finding(&META, span, message));
            }
        }
    }
}
