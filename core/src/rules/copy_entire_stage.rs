use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `COPY --from=x / …`: a whole filesystem.
#[derive(Debug)]
pub struct CopyEntireStage;

static META: RuleMeta = RuleMeta {
    id: "DD046",
    name: "copy-entire-stage",
    severity: Severity::Info,
    category: Category::Efficiency,
    aliases: &["DL3067"],
    summary: "`COPY --from` of a whole filesystem",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `COPY --from=…` whose source is the root directory `/`.",
    why_it_matters: "Copying a stage's or image's entire filesystem brings its package \
        database, `/etc/passwd`, shells and caches along, overwriting the target's, and \
        defeats the point of a multi-stage build: nobody can see what the final image \
        needs. Copy the directories you need. (Helper images made to be copied whole, \
        such as cross-compilation toolkits, are the exception.) Severity info.",
    bad_example: "FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=build / /\n",
    good_example: "FROM golang:1.23 AS build\nRUN go build -o /out/app .\nFROM alpine:3.20\nCOPY --from=build /out/app /usr/local/bin/app\n",
    references: &[
        "https://docs.docker.com/build/building/multi-stage/",
        "https://docs.docker.com/reference/dockerfile/#copy---from",
    ],
};

impl Rule for CopyEntireStage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in cx.file.instructions.iter().filter(|i| i.is("COPY")) {
            let Some(from) = inst.flag("from") else {
                continue;
            };
            let sources = inst.value.split_last().map_or(&[][..], |(_, s)| s);
            let Some(i) = sources
                .iter()
                .position(|s| matches!(s.trim_matches(['"', '\'']), "/" | "/." | "/*"))
            else {
                continue;
            };
            let span = inst.value_spans.get(i).copied().unwrap_or(inst.span);
            let message = format!(
                "`COPY --from={from} /` copies a whole filesystem: copy only the paths the \
                 image needs."
            );
            out.push(cx.finding(&META, span, message));
        }
    }
}
