use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `ONBUILD ONBUILD`, `ONBUILD FROM`, `ONBUILD MAINTAINER`.
#[derive(Debug)]
pub struct OnbuildForbidden;

static META: RuleMeta = RuleMeta {
    id: "DD041",
    name: "onbuild-forbidden",
    severity: Severity::High,
    category: Category::Reliability,
    aliases: &["DL3043"],
    summary: "`ONBUILD` with `ONBUILD`, `FROM` or `MAINTAINER`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags an `ONBUILD` whose trigger is `ONBUILD`, `FROM` or `MAINTAINER`.",
    why_it_matters: "These three cannot be triggers: Docker refuses them (\"Chaining ONBUILD \
        via `ONBUILD ONBUILD` isn't allowed\", \"FROM isn't allowed as an ONBUILD \
        trigger\"), so any downstream build from this image fails. Severity high.",
    bad_example: "FROM node:22-slim\nONBUILD FROM node:22\n",
    good_example: "FROM node:22-slim\nONBUILD COPY . /app\n",
    references: &["https://docs.docker.com/reference/dockerfile/#onbuild"],
};

impl Rule for OnbuildForbidden {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in cx.file.instructions.iter().filter(|i| i.is("ONBUILD")) {
            let Some(sub) = &inst.sub_command else {
                continue;
            };
            if !(sub.is("ONBUILD") || sub.is("FROM") || sub.is("MAINTAINER")) {
                continue;
            }
            let keyword = sub.cmd.to_ascii_uppercase();
            let message = format!(
                "`{keyword}` cannot be an `ONBUILD` trigger: builds from this image will fail."
            );
            out.push(cx.finding(&META, sub.keyword_span, message));
        }
    }
}
