use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `ENV A=1 B=$A`: B sees the old A.
#[derive(Debug)]
pub struct EnvSelfReference;

static META: RuleMeta = RuleMeta {
    id: "DD042",
    name: "env-self-reference",
    severity: Severity::Medium,
    category: Category::Reliability,
    aliases: &["DL3044"],
    summary: "`ENV` uses a variable it defines itself",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags an `ENV` with several assignments where a value refers to a \
        variable assigned earlier in the same `ENV` (`ENV A=1 B=$A`). A variable that \
        refers to its own previous value (`ENV PATH=/opt/bin:$PATH`) is fine.",
    why_it_matters: "All values of one `ENV` are expanded before any is assigned, so `$A` \
        is the value A had *before* this line — usually empty. The result looks right \
        and is silently wrong. Split the `ENV` in two. Severity medium: a wrong \
        environment at run time.",
    bad_example: "FROM alpine:3.20\nENV APP_HOME=/opt/app APP_BIN=${APP_HOME}/bin\n",
    good_example: "FROM alpine:3.20\nENV APP_HOME=/opt/app\nENV APP_BIN=${APP_HOME}/bin\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#env",
        "https://docs.docker.com/reference/dockerfile/#environment-replacement",
    ],
};

/// The names a value refers to: `$NAME` and `${NAME…}` (not `\$NAME`).
fn references(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = value.as_bytes();
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if b == b'\\' {
            i = i.saturating_add(2);
            continue;
        }
        if b == b'$' {
            let braced = bytes.get(i.saturating_add(1)) == Some(&b'{');
            let start = i.saturating_add(if braced { 2 } else { 1 });
            let mut end = start;
            while bytes
                .get(end)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
            {
                end = end.saturating_add(1);
            }
            if let Some(name) = value.get(start..end).filter(|n| !n.is_empty()) {
                out.push(name);
            }
            i = end.max(i.saturating_add(1));
            continue;
        }
        i = i.saturating_add(1);
    }
    out
}

impl Rule for EnvSelfReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in cx.file.instructions.iter().filter(|i| i.is("ENV")) {
            let pairs: Vec<(usize, &String, &String)> = inst
                .value
                .chunks(3)
                .enumerate()
                .filter_map(|(n, c)| Some((n.saturating_mul(3), c.first()?, c.get(1)?)))
                .collect();
            for (j, (index, key, value)) in pairs.iter().enumerate() {
                let earlier = pairs.get(..j).unwrap_or_default();
                let Some(name) = references(value)
                    .into_iter()
                    .find(|r| r != key && earlier.iter().any(|(_, k, _)| k.as_str() == *r))
                else {
                    continue;
                };
                let span = inst
                    .value_spans
                    .get(index.saturating_add(1))
                    .copied()
                    .unwrap_or(inst.span);
                let message = format!(
                    "`{key}` uses `${name}`, which this same `ENV` sets: it expands to the value \
                     from before this line. Set `{name}` in an earlier `ENV`."
                );
                out.push(cx.finding(&META, span, message));
            }
        }
    }
}
