use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{args, list, program, runs};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `go install` or `go get` of a module without a version.
#[derive(Debug)]
pub struct GoInstallUnpinned;

static META: RuleMeta = RuleMeta {
    id: "DD026",
    name: "go-install-unpinned",
    severity: Severity::Low,
    category: Category::SupplyChain,
    aliases: &["DL3062"],
    summary: "`go install`/`go get` without `@version`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `go install` (or the older `go get`) whose package is a remote module path without a \
        version, or with `@latest`. Local packages (`.`, `./cmd/...`) build the source \
        you copied and are not judged.",
    why_it_matters: "`go install example.com/tool` outside a module, or `@latest`, fetches \
        whatever the newest tag is when the build runs: the same Dockerfile yields \
        different binaries over time, and a hijacked release is picked up silently. \
        `go install example.com/tool@v1.4.2` is reproducible and checked against the Go \
        checksum database. Severity low: reproducibility, with a supply-chain edge.",
    bad_example: "FROM golang:1.23\nRUN go install golang.org/x/tools/cmd/goimports@latest\n",
    good_example: "FROM golang:1.23\nRUN go install golang.org/x/tools/cmd/goimports@v0.24.0\n",
    references: &[
        "https://go.dev/ref/mod#go-install",
        "https://go.dev/doc/go-get-install-deprecation",
    ],
};

/// Flags of `go install` that take a value in the next word.
const VALUE_FLAGS: &[&str] = &[
    "-o",
    "-p",
    "-mod",
    "-modfile",
    "-tags",
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-pkgdir",
    "-toolexec",
    "-overlay",
    "-pgo",
    "-C",
];

impl Rule for GoInstallUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            for cmd in run.commands() {
                if program(cmd) != Some("go") {
                    continue;
                }
                let mut words = args(cmd).iter();
                let Some(sub @ ("install" | "get")) = words.next().map(|w| w.value.as_str()) else {
                    continue;
                };
                let mut unpinned = Vec::new();
                while let Some(w) = words.next() {
                    let v = w.value.as_str();
                    if v.starts_with('-') {
                        if !v.contains('=') && VALUE_FLAGS.contains(&v) {
                            words.next();
                        }
                        continue;
                    }
                    let local = v.starts_with('.') || v.starts_with('/') || !v.contains('.');
                    let version = v.rsplit_once('@').map(|(_, ver)| ver);
                    if !local && matches!(version, None | Some("latest")) {
                        unpinned.push(w);
                    }
                }
                let Some(first) = unpinned.first() else {
                    continue;
                };
                let names: Vec<&str> = unpinned.iter().map(|w| w.value.as_str()).collect();
                let message = format!(
                    "`go {sub}` without a fixed version for {}: pin a release \
                     (`module/cmd@v1.2.3`).",
                    list(&names, 3)
                );
                out.push(cx.finding(&META, run.span_of(first.span), message));
            }
        }
    }
}
