use crate::diagnostic::{Finding, Severity};
use crate::model::RunForm;
use crate::rules::command_line::{program, runs};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::Command;

/// Two single-command RUNs in a row that could be one.
#[derive(Debug)]
pub struct ConsecutiveRun;

static META: RuleMeta = RuleMeta {
    id: "DD004",
    name: "consecutive-run",
    severity: Severity::Info,
    category: Category::Efficiency,
    aliases: &["DL3059"],
    summary: "Consecutive single-command `RUN`s could be one",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` that directly follows another `RUN` of the same stage with the \
        same flags (`--mount`, `--network`, `--security`) when both run a single command \
        (counting commands with a literal name: bare assignments and programs named by a \
        variable do not count, nor do `[[ … ]]` tests, as in hadolint). Comments between them do not matter; any other instruction does. RUNs that already \
        chain several commands are left alone: splitting those is usually a deliberate cache \
        boundary. RUNs in a shell drydock cannot read (PowerShell, `cmd`) are not \
        judged.",
    why_it_matters: "Every `RUN` makes a layer and a cache entry. A row of one-command `RUN`s \
        makes the image bigger than needed (a file deleted in a later layer still ships in the \
        earlier one) and the build slower. Joining them with `&&` keeps related steps in one \
        layer. Severity info: it costs size and time, not safety.",
    bad_example: "FROM debian:12-slim\nRUN useradd app\nRUN mkdir /data\n",
    good_example: "FROM debian:12-slim\nRUN useradd app && mkdir /data\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#run",
        "https://docs.docker.com/build/cache/optimize/",
    ],
};

/// Whether a command counts towards "a single command": it has a literal
/// name, and it is not a `[[ … ]]` test (a shell keyword, not a program).
fn counts(cmd: &Command) -> bool {
    program(cmd).is_some_and(|name| name != "[[")
}

impl Rule for ConsecutiveRun {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let all: Vec<_> = runs(cx).collect();
        for pair in all.windows(2) {
            let [prev, run] = pair else { continue };
            let adjacent = prev.info.stage == run.info.stage
                && run.info.instruction == prev.info.instruction.saturating_add(1);
            // Exec form runs one program; a script drydock cannot read
            // (PowerShell, cmd) is not judged.
            let simple = |r: &crate::rules::command_line::Run<'_>| {
                r.info.form == RunForm::Exec
                    || (r.info.is_analysable()
                        && r.commands().iter().filter(|c| counts(c)).count() <= 1)
            };
            if adjacent && prev.inst.flags == run.inst.flags && simple(prev) && simple(run) {
                let message = format!(
                    "This `RUN` follows another single-command `RUN` (line {}): join them with \
                     `&&` to make one layer.",
                    prev.inst.start_line
                );
                out.push(cx.finding(&META, run.inst.keyword_span, message));
            }
        }
    }
}

#[cfg(test)]
mod tests {

    fn lines(text: &str) -> Vec<usize> {
        crate::rules::check::lines("DD004", text)
    }

    #[test]
    fn chains_comments_flags_and_stages() {
        assert_eq!(lines("FROM a:1\nRUN a\n# c\nRUN b\nRUN c\n"), [4, 5]);
        assert_eq!(lines("FROM a:1\nRUN a && b\nRUN c\n"), [] as [usize; 0]);
        assert_eq!(
            lines("FROM a:1\nRUN a\nRUN --network=none b\n"),
            [] as [usize; 0]
        );
        assert_eq!(
            lines("FROM a:1\nRUN a\nFROM b:1\nRUN b\n"),
            [] as [usize; 0]
        );
        assert_eq!(
            lines("FROM a:1\nRUN a\nCOPY x /y\nRUN b\n"),
            [] as [usize; 0]
        );
        assert_eq!(lines("FROM a:1\nRUN [\"a\"]\nRUN b\n"), [3]);
    }

    #[test]
    fn counts_commands_with_a_literal_name() {
        // `$DIR/tool` and a bare assignment are not counted; `b` and `c` are.
        assert_eq!(
            lines("FROM a:1\nRUN yes | $SDK/bin/tool\nRUN R=$? && a\n"),
            [3]
        );
        assert_eq!(lines("FROM a:1\nRUN a\nRUN b && c\n"), [] as [usize; 0]);
        assert_eq!(
            lines("FROM a:1\nRUN if [[ -f x ]]; then a; fi\nRUN b\n"),
            [3]
        );
    }
}
