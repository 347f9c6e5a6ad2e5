use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{has_option, program, runs};
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
    docs: RuleDocs {
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
    },
};

impl Rule for WgetProgress {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let Some(cmd) = run.commands().iter().find(|c| {
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
            }) else {
                continue;
            };
            let message = "`wget` without `--progress=dot:giga`, `-nv` or `-q` fills the build \
                 log with progress dots."
                .to_string();
            out.push(cx.finding(&META, run.span_of(cmd.span), message));
        }
    }
}
