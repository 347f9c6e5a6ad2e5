use crate::diagnostic::{Finding, Severity};
use crate::rules::expose_ports::{out_of_range, split};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `EXPOSE` of a port above 65535.
#[derive(Debug)]
pub struct PortOutOfRange;

static META: RuleMeta = RuleMeta {
    id: "DD036",
    name: "port-out-of-range",
    severity: Severity::Medium,
    category: Category::Reliability,
    aliases: &["DL3011", "DS008"],
    summary: "`EXPOSE` of a port outside 0–65535",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags an `EXPOSE` item whose port number (or either end of a range) is \
        above 65535.",
    why_it_matters: "TCP and UDP ports are 16-bit numbers. A larger one is always a typo \
        (`80800` for `8080`): the build may accept it, but nothing can listen there, and \
        the port that was meant is not documented. Severity medium: the image's interface \
        is wrong.",
    bad_example: "FROM nginx:1.27-alpine\nEXPOSE 80800\n",
    good_example: "FROM nginx:1.27-alpine\nEXPOSE 8080\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#expose",
        "https://www.rfc-editor.org/rfc/rfc6335#section-6",
    ],
};

impl Rule for PortOutOfRange {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in cx.file.instructions.iter().filter(|i| i.is("EXPOSE")) {
            for (i, item) in inst.value.iter().enumerate() {
                let Some(n) = out_of_range(split(item).ports) else {
                    continue;
                };
                let span = inst.value_spans.get(i).copied().unwrap_or(inst.span);
                let message =
                    format!("Port {n} in `EXPOSE {item}` is out of range: ports go up to 65535.");
                out.push(cx.finding(&META, span, message));
            }
        }
    }
}
