use crate::diagnostic::{Finding, Severity};
use crate::rules::expose_ports::split;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `EXPOSE` with an IP address or a host-port mapping.
#[derive(Debug)]
pub struct ExposeInvalidFormat;

static META: RuleMeta = RuleMeta {
    id: "DD048",
    name: "expose-invalid-format",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["ExposeInvalidFormat"],
    summary: "`EXPOSE` with an IP address or host port",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags an `EXPOSE` item with a `:` — an IP address or a `host:container` \
        mapping such as `127.0.0.1:80:80` or `8080:80`.",
    why_it_matters: "`EXPOSE` documents the ports the container listens on; publishing to \
        the host is decided at `docker run -p`. The extra parts are ignored today (only \
        the container port is kept), which misleads readers into thinking the image binds \
        to an address, and BuildKit announces that this will become an error. Severity low.",
    bad_example: "FROM nginx:1.27-alpine\nEXPOSE 8080:80\n",
    good_example: "FROM nginx:1.27-alpine\nEXPOSE 80\n",
    references: &[
        "https://docs.docker.com/reference/build-checks/expose-invalid-format/",
        "https://docs.docker.com/reference/dockerfile/#expose",
    ],
};

impl Rule for ExposeInvalidFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in cx.file.instructions.iter().filter(|i| i.is("EXPOSE")) {
            for (i, item) in inst.value.iter().enumerate() {
                if !split(item).ports.contains(':') {
                    continue;
                }
                let span = inst.value_spans.get(i).copied().unwrap_or(inst.span);
                let message = format!(
                    "`EXPOSE {item}` names an IP address or host port: `EXPOSE` takes the \
                     container port only; publish with `docker run -p`."
                );
                out.push(cx.finding(&META, span, message));
            }
        }
    }
}
