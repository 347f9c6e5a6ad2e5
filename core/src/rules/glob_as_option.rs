use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{args, program, runs};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `rm *.txt`: a file named `-rf` becomes an option.
#[derive(Debug)]
pub struct GlobAsOption;

static META: RuleMeta = RuleMeta {
    id: "DD206",
    name: "glob-as-option",
    severity: Severity::Info,
    category: Category::Reliability,
    aliases: &["SC2035"],
    summary: "Glob starting with `*` as an argument: use `./*` or `--`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags an unquoted argument that starts with a glob (`*.txt`, `*`) in a \
        `RUN` command, unless it comes after `--` or the program is `echo` or `printf`.",
    why_it_matters: "The shell replaces the glob with the matching names, and a name that \
        starts with a dash (`-rf`, `--force`) is then read as an option. Build contexts \
        and downloaded archives can contain such names. Prefix the glob with `./` \
        (`./*.txt`), or end the options with `--`. Severity info (ShellCheck SC2035).",
    bad_example: "FROM debian:12\nWORKDIR /tmp/build\nRUN rm -f *.deb\n",
    good_example: "FROM debian:12\nWORKDIR /tmp/build\nRUN rm -f ./*.deb\n",
    references: &[
        "https://www.shellcheck.net/wiki/SC2035",
        "https://pubs.opengroup.org/onlinepubs/9799919799/basedefs/V1_chap12.html#tag_12_02",
    ],
};

impl Rule for GlobAsOption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            for cmd in run.shell_commands() {
                if matches!(program(cmd), Some("echo" | "printf") | None) {
                    continue;
                }
                let Some(word) = args(cmd)
                    .iter()
                    .take_while(|w| w.value != "--")
                    .find(|w| w.raw.starts_with('*') || w.raw.starts_with('?'))
                else {
                    continue;
                };
                let message = format!(
                    "`{}` may expand to a name starting with `-`, read as an option: write \
                     `./{}` or put `--` before it.",
                    word.raw, word.raw
                );
                out.push(cx.finding(&META, run.locate(word.span), message));
            }
        }
    }
}
