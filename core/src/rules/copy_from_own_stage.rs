use crate::diagnostic::{Finding, Severity};
use crate::model::{EdgeKind, EdgeSource};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `COPY --from` naming the stage it is in.
#[derive(Debug)]
pub struct CopyFromOwnStage;

static META: RuleMeta = RuleMeta {
    id: "DD033",
    name: "copy-from-own-stage",
    severity: Severity::High,
    category: Category::Reliability,
    aliases: &["DL3023", "DS006"],
    summary: "`COPY --from` names its own stage",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `COPY --from` (or `RUN --mount=from=`) that names the stage it \
        belongs to, by name or by index.",
    why_it_matters: "A stage cannot read its own result while it is being built: BuildKit \
        rejects the file with a circular dependency error. It usually means the wrong \
        stage name was typed. Severity high: the build fails.",
    bad_example: "FROM alpine:3.20 AS app\nCOPY --from=app /etc/hosts /tmp/hosts\n",
    good_example: "FROM alpine:3.20 AS base\nFROM alpine:3.20 AS app\nCOPY --from=base /etc/hosts /tmp/hosts\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#copy---from",
        "https://docs.docker.com/build/building/multi-stage/",
    ],
};

impl Rule for CopyFromOwnStage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for e in &cx.model.edges {
            if e.kind == EdgeKind::From || e.source != EdgeSource::Stage(e.stage) {
                continue;
            }
            let Some(inst) = cx.file.instructions.get(e.instruction) else {
                continue;
            };
            // `COPY --from=…` or `RUN --mount=…,from=…`.
            let span = inst
                .flag_span("from")
                .or_else(|| inst.flag_span("mount"))
                .unwrap_or(inst.span);
            let message = "`--from` names the stage this instruction is in: a stage cannot copy \
                 from itself (BuildKit fails with a circular dependency)."
                .to_string();
            out.push(cx.finding(&META, span, message));
        }
    }
}
