use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A stage name with upper-case letters.
#[derive(Debug)]
pub struct StageNameCasing;

static META: RuleMeta = RuleMeta {
    id: "DD054",
    name: "stage-name-casing",
    severity: Severity::Info,
    category: Category::Style,
    aliases: &["StageNameCasing"],
    summary: "Stage name not in lower case",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `FROM … AS Name` whose stage name has upper-case letters.",
    why_it_matters: "BuildKit lower-cases stage names for `--from` and `--target`, but \
        `FROM Name` is looked up as written and then taken for an image name: \
        `FROM Builder` after `AS Builder` pulls `docker.io/library/Builder` (and fails). \
        Lower-case names avoid the trap. Severity info.",
    bad_example: "FROM golang:1.23 AS Builder\n",
    good_example: "FROM golang:1.23 AS builder\n",
    references: &["https://docs.docker.com/reference/build-checks/stage-name-casing/"],
};

impl Rule for StageNameCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in cx.file.instructions.iter().filter(|i| i.is("FROM")) {
            if !inst
                .value
                .get(1)
                .is_some_and(|w| w.eq_ignore_ascii_case("as"))
            {
                continue;
            }
            let Some(name) = inst.value.get(2) else {
                continue;
            };
            if name.contains('$') || *name == name.to_ascii_lowercase() {
                continue;
            }
            let span = inst.value_spans.get(2).copied().unwrap_or(inst.span);
            let message = format!(
                "Stage name `{name}` should be lower case (`{}`): `FROM {name}` would look for an \
                 image.",
                name.to_ascii_lowercase()
            );
            out.push(cx.finding(&META, span, message));
        }
    }
}
