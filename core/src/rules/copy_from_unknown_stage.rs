use crate::diagnostic::{Finding, Severity};
use crate::model::DiagnosticKind;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `--from` naming no earlier stage.
#[derive(Debug)]
pub struct CopyFromUnknownStage;

static META: RuleMeta = RuleMeta {
    id: "DD032",
    name: "copy-from-unknown-stage",
    severity: Severity::Medium,
    category: Category::Reliability,
    aliases: &["DL3022"],
    summary: "`COPY --from` names no earlier stage",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `COPY --from=name` (or `RUN --mount=from=name`) where `name` is \
        a plain word that no earlier stage is called, a stage defined later in the file, or \
        a stage index that does not exist. References that look like image names (with \
        `/`, `:`, `@` or `.`) are deliberate and not flagged.",
    why_it_matters: "When `--from` names no stage, BuildKit does not stop: it pulls an \
        image of that name from Docker Hub. A typo in a stage name (`--from=buidler`) thus \
        fails late with a confusing pull error — or, worse, succeeds by copying from a \
        stranger's image that happens to have that name. A later stage cannot be used at \
        all. Severity medium: a broken build or an unexpected supplier.",
    bad_example: "FROM golang:1.23 AS builder\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=buider /out/app /app\n",
    good_example: "FROM golang:1.23 AS builder\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=builder /out/app /app\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#copy---from",
        "https://docs.docker.com/build/building/multi-stage/",
    ],
};

impl Rule for CopyFromUnknownStage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for d in &cx.model.diagnostics {
            let relevant = match d.kind {
                DiagnosticKind::UnknownStage | DiagnosticKind::InvalidStageIndex => true,
                // A stage using itself is copy-from-own-stage.
                DiagnosticKind::StageNotYetDefined => !d.message.contains("cannot use itself"),
                _ => false,
            };
            if relevant {
                out.push(cx.finding(&META, d.span, format!("`--from`: {}.", d.message)));
            }
        }
    }
}
