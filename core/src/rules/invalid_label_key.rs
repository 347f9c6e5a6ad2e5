use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A `LABEL` key that breaks Docker's key format.
#[derive(Debug)]
pub struct InvalidLabelKey;

static META: RuleMeta = RuleMeta {
    id: "DD028",
    name: "invalid-label-key",
    severity: Severity::Info,
    category: Category::Style,
    aliases: &["DL3048"],
    summary: "`LABEL` key not in Docker's recommended format",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `LABEL` key that is empty, does not start and end with a letter or \
        digit, contains characters other than letters, digits, `.`, `-` and `_`, has upper-case letters, repeats a \
        separator (`..`, `--`), or uses a namespace Docker reserves (`com.docker.`, \
        `io.docker.`, `org.dockerproject.`). Keys with variables are not judged.",
    why_it_matters: "Label keys are meant to be reverse-DNS names such as \
        `org.opencontainers.image.source`. Tools that filter or index labels (registries, \
        `docker image ls --filter label=…`, orchestrators) assume that shape; keys with \
        spaces, slashes or a reserved namespace are silently mishandled or collide with \
        Docker's own. Severity info: metadata hygiene.",
    bad_example: "FROM alpine:3.20\nLABEL Maintainer=\"team\"\n",
    good_example: "FROM alpine:3.20\nLABEL org.opencontainers.image.vendor=\"team\"\n",
    references: &[
        "https://docs.docker.com/engine/manage-resources/labels/#key-format-recommendations",
        "https://github.com/opencontainers/image-spec/blob/main/annotations.md",
    ],
};

/// Why `key` is not a good label key, if it is not.
fn problem(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if key.is_empty() {
        Some("it is empty")
    } else if ["com.docker.", "io.docker.", "org.dockerproject."]
        .iter()
        .any(|ns| lower.starts_with(ns))
    {
        Some("its namespace is reserved by Docker")
    } else if key.chars().any(|c| c.is_ascii_uppercase()) {
        Some("it has upper-case letters (keys are lower case by convention)")
    } else if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        Some("it has characters other than letters, digits, `.`, `-` and `_`")
    } else if !alnum(key.chars().next()) || !alnum(key.chars().last()) {
        Some("it must start and end with a letter or digit")
    } else if key.contains("..") || key.contains("--") {
        Some("it repeats a separator")
    } else {
        None
    }
}

impl Rule for InvalidLabelKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in cx.file.instructions.iter().filter(|i| i.is("LABEL")) {
            for (i, raw) in inst.value.iter().enumerate().step_by(3) {
                let key = raw.trim_matches('"');
                if key.contains('$') {
                    continue;
                }
                let Some(why) = problem(key) else {
                    continue;
                };
                let span = inst.value_spans.get(i).copied().unwrap_or(inst.span);
                let message = format!("Label key `{key}` is not a valid key: {why}.");
                out.push(cx.finding(&META, span, message));
            }
        }
    }
}
