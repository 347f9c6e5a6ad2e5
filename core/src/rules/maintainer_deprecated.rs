use crate::diagnostic::{Applicability, Edit, Finding, Severity};
use crate::rules::fix::{double_quoted, expanded, fix, parse_one, replace};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::Instruction;

/// `MAINTAINER` is deprecated.
#[derive(Debug)]
pub struct MaintainerDeprecated;

static META: RuleMeta = RuleMeta {
    id: "DD003",
    name: "maintainer-deprecated",
    severity: Severity::Info,
    category: Category::Maintainability,
    aliases: &["DL4000", "MaintainerDeprecated", "DS022", "CKV_DOCKER_6"],
    summary: "`MAINTAINER` is deprecated; use a label",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags every `MAINTAINER` instruction.",
    why_it_matters: "`MAINTAINER` has been deprecated since Docker 1.13. The author belongs in \
        the standard OCI label `org.opencontainers.image.authors`, which registries and \
        scanners read.",
    bad_example: "FROM alpine:3.20\nMAINTAINER Jane <jane@example.com>\n",
    good_example: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"jane@example.com\"\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#maintainer-deprecated",
        "https://docs.docker.com/reference/build-checks/maintainer-deprecated/",
    ],
};

impl Rule for MaintainerDeprecated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in cx.file.instructions.iter().filter(|i| i.is("MAINTAINER")) {
            let message = "`MAINTAINER` is deprecated: use `LABEL org.opencontainers.image.authors=\"…\"` instead."
                .to_string();
            let mut finding = cx.finding(&META, inst.keyword_span, message);
            if let Some(edit) = label_edit(inst, cx.file.escape_token) {
                finding = finding.with_fix(fix(
                    "Replace with `LABEL org.opencontainers.image.authors`",
                    Applicability::Safe,
                    vec![edit],
                ));
            }
            out.push(finding);
        }
    }
}

/// The label replacing the whole instruction, when its value reads back as
/// the maintainer text exactly.
fn label_edit(inst: &Instruction, escape: char) -> Option<Edit> {
    let author = inst.value.first().filter(|v| !v.trim().is_empty())?;
    // In the casing of the keyword replaced (`maintainer` → `label`).
    let keyword = if inst.cmd == inst.cmd.to_ascii_lowercase() {
        "label"
    } else {
        "LABEL"
    };
    let line = format!(
        "{keyword} org.opencontainers.image.authors={}",
        double_quoted(author, escape)
    );
    let label = parse_one(&line, escape)?;
    let same = label.value.len() == 3
        && label.value.first().map(String::as_str) == Some("org.opencontainers.image.authors")
        && label
            .value
            .get(1)
            .and_then(|v| expanded(v, escape))
            .as_ref()
            == Some(author);
    same.then(|| replace(inst.span, &line))
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Applicability;
    use crate::rules::fix::check::fixed;

    #[test]
    fn fix_writes_the_authors_label() {
        assert_eq!(
            fixed("DD003", "FROM a:1\nMAINTAINER Jane <jane@example.com>\nRUN x\n"),
            Some((
                "FROM a:1\nLABEL org.opencontainers.image.authors=\"Jane <jane@example.com>\"\nRUN x\n"
                    .to_string(),
                Applicability::Safe
            ))
        );
    }

    #[test]
    fn fix_escapes_quotes_dollars_and_backslashes() {
        let (text, _) = fixed("DD003", "FROM a:1\nMAINTAINER \"J\" $HOME a\\b\n").unwrap();
        assert_eq!(
            text,
            "FROM a:1\nLABEL org.opencontainers.image.authors=\"\\\"J\\\" \\$HOME a\\\\b\"\n"
        );
        let (text, _) = fixed("DD003", "# escape=`\nFROM a:1\nMAINTAINER a\\b `x\n").unwrap();
        assert_eq!(
            text,
            "# escape=`\nFROM a:1\nLABEL org.opencontainers.image.authors=\"a\\b ``x\"\n"
        );
    }

    #[test]
    fn fix_keeps_a_lower_case_keyword() {
        assert_eq!(
            fixed("DD003", "from a:1\nmaintainer j@example.com\n").map(|f| f.0),
            Some(
                "from a:1\nlabel org.opencontainers.image.authors=\"j@example.com\"\n".to_string()
            )
        );
    }

    #[test]
    fn fix_spans_continuation_lines() {
        let (text, _) = fixed("DD003", "FROM a:1\nMAINTAINER Jane \\\n  Doe\n").unwrap();
        assert_eq!(
            text,
            "FROM a:1\nLABEL org.opencontainers.image.authors=\"Jane   Doe\"\n"
        );
    }
}
