use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `ENV key value` / `LABEL key value` without `=`.
#[derive(Debug)]
pub struct LegacyKeyValueFormat;

static META: RuleMeta = RuleMeta {
    id: "DD052",
    name: "legacy-key-value-format",
    severity: Severity::Info,
    category: Category::Style,
    aliases: &["LegacyKeyValueFormat"],
    summary: "`ENV key value` without `=`",
    docs: RuleDocs {
        what_it_does: "Flags an `ENV` or `LABEL` written in the legacy form `ENV key value`, \
            with a space instead of `=`.",
        why_it_matters: "In the legacy form everything after the key, spaces included, is the \
            value, so `ENV A 1 B 2` sets one variable `A` to `1 B 2` — a trap when a second \
            variable is added. `ENV key=value` is unambiguous and allows several pairs. Docker \
            documents the legacy form as deprecated. Severity info.",
        bad_example: "FROM alpine:3.20\nENV APP_HOME /opt/app\n",
        good_example: "FROM alpine:3.20\nENV APP_HOME=/opt/app\n",
        references: &[
            "https://docs.docker.com/reference/build-checks/legacy-key-value-format/",
            "https://docs.docker.com/reference/dockerfile/#env",
        ],
    },
};

impl Rule for LegacyKeyValueFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in &cx.file.instructions {
            let keyword = if inst.is("ENV") {
                "ENV"
            } else if inst.is("LABEL") {
                "LABEL"
            } else {
                continue;
            };
            let legacy = inst.value.len() == 3 && inst.value.get(2).is_some_and(|s| s.is_empty());
            let Some(key) = inst.value.first().filter(|_| legacy) else {
                continue;
            };
            let message = format!(
                "`{keyword} {key} …` uses the legacy space-separated form: write \
                 `{keyword} {key}=…`."
            );
            out.push(cx.finding(&META, inst.keyword_span, message));
        }
    }
}
