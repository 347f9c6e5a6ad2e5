use crate::diagnostic::{Applicability, Finding, Severity};
use crate::model::BuildModel;
use crate::rules::command_line::{has_option, program, runs};
use crate::rules::fix::{fix, insert_after};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `wget` printing its progress bar into the build log.
#[derive(Debug)]
pub struct WgetProgress;

static META: RuleMeta = RuleMeta {
    id: "DD012",
    name: "wget-progress",
    severity: Severity::Info,
    category: Category::Style,
    aliases: &["DL3047"],
    summary: "`wget` without a quiet or progress option bloats build logs",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `wget` with none of `--progress=…`, `-q`/`--quiet`, \
        `-nv`/`--no-verbose`, `-o`/`--output-file` or `-a`/`--append-output`.",
    why_it_matters: "Without a terminal, `wget` prints a line of dots per few kilobytes: a \
        large download writes thousands of lines into the build log, hiding the output that \
        matters. `--progress=dot:giga` or `-nv` keep the log readable. Severity info: \
        cosmetic.",
    bad_example: "FROM debian:12-slim\nRUN wget https://example.com/tool.tar.gz\n",
    good_example: "FROM debian:12-slim\nRUN wget --progress=dot:giga https://example.com/tool.tar.gz\n",
    references: &[
        "https://www.gnu.org/software/wget/manual/wget.html#Logging-and-Input-File-Options",
        "https://www.gnu.org/software/wget/manual/wget.html#Download-Options",
    ],
};

impl Rule for WgetProgress {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let bad: Vec<_> = run
                .commands()
                .iter()
                .filter(|c| {
                    program(c) == Some("wget")
                        && !c.args().any(|a| a == "-nv")
                        && !has_option(
                            c,
                            &[
                                "progress",
                                "quiet",
                                "no-verbose",
                                "output-file",
                                "append-output",
                            ],
                            &['q', 'o', 'a'],
                        )
                })
                .collect();
            let Some(cmd) = bad.first() else {
                continue;
            };
            let message = "`wget` without `--progress=dot:giga`, `-nv` or `-q` fills the build \
                 log with progress dots."
                .to_string();
            let mut finding = cx.finding(&META, run.span_of(cmd.span), message);
            // The finding stands for the whole RUN: the fix mends every
            // such command in it.
            let edits: Option<Vec<_>> = bad
                .iter()
                .map(|c| {
                    c.argv
                        .first()
                        .and_then(|w| insert_after(cx, &run, w, " --progress=dot:giga"))
                })
                .collect();
            if let Some(edits) = edits {
                // BusyBox's wget (Alpine's default) has no `--progress`.
                let applicability = if busybox_likely(cx.model, run.info.stage) {
                    Applicability::Unsafe
                } else {
                    Applicability::Safe
                };
                finding = finding.with_fix(fix("Add `--progress=dot:giga`", applicability, edits));
            }
            out.push(finding);
        }
    }
}

/// Whether stage `index` may run BusyBox's `wget`: its base chain names
/// Alpine or BusyBox (an unknown base counts as not).
fn busybox_likely(model: &BuildModel, index: usize) -> bool {
    let mut stage = model.stages.get(index);
    while let Some(s) = stage {
        let base = s.base_resolved.to_ascii_lowercase();
        if base.contains("alpine") || base.contains("busybox") {
            return true;
        }
        stage = model.parent(s);
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Applicability;
    use crate::rules::fix::check::fixed;

    #[test]
    fn fix_adds_progress_after_wget() {
        assert_eq!(
            fixed(
                "DD012",
                "FROM debian:12\nRUN wget https://x/y.tgz -O /y.tgz\n"
            ),
            Some((
                "FROM debian:12\nRUN wget --progress=dot:giga https://x/y.tgz -O /y.tgz\n"
                    .to_string(),
                Applicability::Safe
            ))
        );
    }

    #[test]
    fn fix_is_unsafe_where_wget_may_be_busybox() {
        assert_eq!(
            fixed("DD012", "FROM alpine:3.20 AS a\nFROM a\nRUN /usr/bin/wget https://x/y\n"),
            Some((
                "FROM alpine:3.20 AS a\nFROM a\nRUN /usr/bin/wget --progress=dot:giga https://x/y\n"
                    .to_string(),
                Applicability::Unsafe
            ))
        );
    }
}
