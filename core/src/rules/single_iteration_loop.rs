use crate::diagnostic::{Finding, Severity, Span};
use crate::rules::command_line::runs;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::ConstructKind;

/// `for x in word`: a loop over one literal word.
#[derive(Debug)]
pub struct SingleIterationLoop;

static META: RuleMeta = RuleMeta {
    id: "DD209",
    name: "single-iteration-loop",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["SC2043"],
    summary: "`for` loop over a single literal word runs once",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `for NAME in WORD` loop whose list is one literal word, without \
        expansions or glob characters (`for f in \"a b c\"`, `for v in 1.2`).",
    why_it_matters: "Such a loop runs exactly once, which is rarely what was meant: often \
        a list was quoted into one word (`\"a b c\"`), or a variable or glob was meant and \
        the `$` or `*` is missing. The package or version that was supposed to be \
        iterated over is then silently skipped. Severity low (ShellCheck SC2043, a \
        warning).",
    bad_example: "FROM debian:12\nRUN for pkg in \"curl git\"; do apt-get install -y --no-install-recommends \"$pkg\"; done\n",
    good_example: "FROM debian:12\nRUN for pkg in curl git; do apt-get install -y --no-install-recommends \"$pkg\"; done\n",
    references: &[
        "https://www.shellcheck.net/wiki/SC2043",
        "https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_09_04_03",
    ],
};

impl Rule for SingleIterationLoop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let Some(script) = run.script() else {
                continue;
            };
            for c in script
                .constructs
                .iter()
                .filter(|c| c.kind == ConstructKind::For && c.has_in)
            {
                let [_, word] = c.words.as_slice() else {
                    continue;
                };
                if word.has_expansion || word.raw.contains(['*', '?', '[', '{']) {
                    continue;
                }
                let message = format!(
                    "This loop runs once, over `{}`: if a list was meant, leave it unquoted; if \
                     a variable or glob was meant, add the `$` or `*`.",
                    word.value
                );
                let span = Span::new(c.span.start, word.span.end);
                out.push(cx.finding(&META, run.locate(span), message));
            }
        }
    }
}
