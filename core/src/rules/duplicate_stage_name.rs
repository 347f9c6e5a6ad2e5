use crate::diagnostic::{Finding, Severity};
use crate::model::DiagnosticKind;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// Two stages with the same name.
#[derive(Debug)]
pub struct DuplicateStageName;

static META: RuleMeta = RuleMeta {
    id: "DD034",
    name: "duplicate-stage-name",
    severity: Severity::Medium,
    category: Category::Reliability,
    aliases: &["DL3024", "DuplicateStageName", "DS012", "CKV_DOCKER_11"],
    summary: "Two stages share a name",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `FROM … AS name` whose name (compared case-insensitively, as \
        BuildKit does) an earlier stage already uses.",
    why_it_matters: "`--from=name`, `FROM name` and `--target name` can only mean one \
        stage. Current BuildKit rejects the file; older builders silently used one of them, \
        so what was copied depended on the builder version. Severity medium: a failed or \
        wrong build.",
    bad_example: "FROM node:22 AS build\nRUN npm ci\nFROM node:22 AS build\nRUN npm run build\n",
    good_example: "FROM node:22 AS deps\nRUN npm ci\nFROM deps AS build\nRUN npm run build\n",
    references: &[
        "https://docs.docker.com/reference/build-checks/duplicate-stage-name/",
        "https://docs.docker.com/build/building/multi-stage/",
    ],
};

impl Rule for DuplicateStageName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for d in &cx.model.diagnostics {
            if d.kind == DiagnosticKind::DuplicateStageName {
                out.push(cx.finding(&META, d.span, format!("{}.", capitalized(&d.message))));
            }
        }
    }
}

/// `s` with its first letter upper-cased.
pub fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
