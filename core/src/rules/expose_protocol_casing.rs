use crate::diagnostic::{Finding, Severity};
use crate::rules::expose_ports::split;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `EXPOSE 80/TCP`.
#[derive(Debug)]
pub struct ExposeProtocolCasing;

static META: RuleMeta = RuleMeta {
    id: "DD049",
    name: "expose-protocol-casing",
    severity: Severity::Info,
    category: Category::Style,
    aliases: &["ExposeProtoCasing"],
    summary: "`EXPOSE` protocol not in lower case",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags an `EXPOSE` item whose protocol is not written in lower case \
        (`80/TCP`).",
    why_it_matters: "The protocol is `tcp`, `udp` or `sctp`. Docker accepts other casings \
        today, but tools that read the image config compare strings and may treat \
        `80/TCP` and `80/tcp` as different ports. Severity info: consistency.",
    bad_example: "FROM nginx:1.27-alpine\nEXPOSE 80/TCP\n",
    good_example: "FROM nginx:1.27-alpine\nEXPOSE 80/tcp\n",
    references: &[
        "https://docs.docker.com/reference/build-checks/expose-proto-casing/",
        "https://docs.docker.com/reference/dockerfile/#expose",
    ],
};

impl Rule for ExposeProtocolCasing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in cx.file.instructions.iter().filter(|i| i.is("EXPOSE")) {
            for (i, item) in inst.value.iter().enumerate() {
                let Some(proto) = split(item).protocol else {
                    continue;
                };
                if proto.contains('$') || proto == proto.to_ascii_lowercase() {
                    continue;
                }
                let span = inst.value_spans.get(i).copied().unwrap_or(inst.span);
                let message = format!(
                    "Protocol `{proto}` in `EXPOSE {item}`: write it in lower case (`{}`).",
                    proto.to_ascii_lowercase()
                );
                out.push(cx.finding(&META, span, message));
            }
        }
    }
}
