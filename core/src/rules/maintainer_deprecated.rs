use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

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
    docs: RuleDocs {
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
    },
};

impl Rule for MaintainerDeprecated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in cx.file.instructions.iter().filter(|i| i.is("MAINTAINER")) {
            let message = "`MAINTAINER` is deprecated: use `LABEL org.opencontainers.image.authors=\"…\"` instead."
                .to_string();
            out.push(cx.finding(&META, inst.keyword_span, message));
        }
    }
}
