use crate::diagnostic::{Applicability, Edit, Finding, Severity, Span};
use crate::rules::fix::{apply, expanded, fix, insert, parse_one, replace};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::Instruction;

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
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
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
            let mut finding = cx.finding(&META, inst.keyword_span, message);
            if let Some(edits) = key_value_edits(cx, inst) {
                finding = finding.with_fix(fix(
                    &format!("Write `{keyword} {key}=…`"),
                    Applicability::Safe,
                    edits,
                ));
            }
            out.push(finding);
        }
    }
}

/// The edits turning `KEY name value` into `KEY name=value` (the value in
/// double quotes when it has whitespace), when the rewritten instruction
/// parses to the same name and its value expands to the same text.
fn key_value_edits(cx: &Context<'_>, inst: &Instruction) -> Option<Vec<Edit>> {
    let escape = cx.file.escape_token;
    let key = inst.value_spans.first()?;
    let value = inst.value_spans.get(1)?;
    let old_value = inst.value.get(1)?;
    let gap = cx.text.get(key.end..value.start)?;
    if gap.is_empty() || !gap.chars().all(|c| c == ' ' || c == '\t') || value.end <= value.start {
        return None;
    }
    let mut edits = vec![replace(Span::new(key.end, value.start), "=")];
    if old_value.chars().any(char::is_whitespace) {
        edits.push(insert(value.start, "\""));
        edits.push(insert(value.end, "\""));
    }
    // Check: the rewritten instruction alone, parsed and expanded.
    let local: Vec<Edit> = edits
        .iter()
        .map(|e| {
            Some(Edit {
                span: Span::new(
                    e.span.start.checked_sub(inst.span.start)?,
                    e.span.end.checked_sub(inst.span.start)?,
                ),
                content: e.content.clone(),
            })
        })
        .collect::<Option<_>>()?;
    let new_text = apply(cx.text.get(inst.span.start..inst.span.end)?, &local)?;
    let new = parse_one(&new_text, escape)?;
    let same = new.value.len() == 3
        && new.value.first() == inst.value.first()
        && new.value.get(2).map(String::as_str) == Some("=")
        && new.value.get(1).and_then(|v| expanded(v, escape)).is_some()
        && new.value.get(1).and_then(|v| expanded(v, escape)) == expanded(old_value, escape);
    same.then_some(edits)
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Applicability;
    use crate::rules::fix::check::{fixed, fixes};

    fn fix(text: &str) -> Option<String> {
        fixed("DD052", text).map(|(t, a)| {
            assert_eq!(a, Applicability::Safe);
            t
        })
    }

    #[test]
    fn fix_writes_key_equals_value() {
        assert_eq!(
            fix("FROM a:1\nENV APP_HOME /opt/app\n").as_deref(),
            Some("FROM a:1\nENV APP_HOME=/opt/app\n")
        );
        assert_eq!(
            fix("FROM a:1\nLABEL version   \"1.0\"\n").as_deref(),
            Some("FROM a:1\nLABEL version=\"1.0\"\n")
        );
        assert_eq!(
            fix("FROM a:1\nENV PATH $HOME/bin:$PATH\n").as_deref(),
            Some("FROM a:1\nENV PATH=$HOME/bin:$PATH\n")
        );
    }

    #[test]
    fn fix_quotes_values_with_spaces() {
        assert_eq!(
            fix("FROM a:1\nENV A 1 B  2\n").as_deref(),
            Some("FROM a:1\nENV A=\"1 B  2\"\n")
        );
        assert_eq!(
            fix("FROM a:1\nENV OPTS -Xmx1g \\\n  -Xms1g\n").as_deref(),
            Some("FROM a:1\nENV OPTS=\"-Xmx1g \\\n  -Xms1g\"\n")
        );
    }

    #[test]
    fn no_fix_where_quoting_would_change_the_value() {
        // Unquoted `\ ` is a space; in double quotes it stays `\ `.
        assert!(fixes("DD052", "FROM a:1\nENV A x\\ y z\n").is_empty());
        // Single quotes are removed unquoted, kept in double quotes.
        assert!(fixes("DD052", "FROM a:1\nENV A 'x y' z\n").is_empty());
    }
}
