use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{program, runs};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A pipe in a RUN whose shell does not fail on a failing pipe stage.
#[derive(Debug)]
pub struct PipeWithoutPipefail;

static META: RuleMeta = RuleMeta {
    id: "DD006",
    name: "pipe-without-pipefail",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["DL4006"],
    summary: "A pipe in `RUN` hides failures without `pipefail`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` with a pipe (`a | b`) run by a POSIX shell that is not told \
        `-o pipefail`: neither by the `SHELL` in effect (inherited from a parent stage too) \
        nor by a `set -o pipefail` earlier in the same script. PowerShell and `cmd` RUNs are \
        not judged.",
    why_it_matters: "A pipeline's exit status is that of its last command. In \
        `curl -fsSL https://example.com/install.sh | sh` a failed download still lets the \
        step succeed, and the image is built without what it was meant to contain. With \
        `pipefail` any failing stage fails the build. Severity low: a reliability problem \
        that can turn into a security one when the missing step was a verification.",
    bad_example: "FROM debian:12-slim\nRUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg\n",
    good_example: "FROM debian:12-slim\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#using-pipes",
        "https://docs.docker.com/reference/dockerfile/#shell",
    ],
};

impl Rule for PipeWithoutPipefail {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            if run.info.shell.iter().any(|a| a.contains("pipefail")) {
                continue;
            }
            let Some(piped) = run.commands().iter().find(|c| c.pipeline.is_piped()) else {
                continue;
            };
            let set_before = run.commands().iter().any(|c| {
                program(c) == Some("set")
                    && c.span.start < piped.span.start
                    && c.args().any(|a| a == "pipefail")
            });
            if set_before {
                continue;
            }
            let message = "This `RUN` pipes commands but its shell is not run with \
                 `-o pipefail`, so a failure before the last `|` goes unnoticed. Set \
                 `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` (or `/bin/ash` on Alpine)."
                .to_string();
            out.push(cx.finding(&META, run.span_of(piped.span), message));
        }
    }
}

#[cfg(test)]
mod tests {

    fn lines(text: &str) -> Vec<usize> {
        crate::rules::check::lines("DD006", text)
    }

    #[test]
    fn shells_and_set() {
        let none: [usize; 0] = [];
        assert_eq!(lines("FROM a:1\nRUN a || b\nRUN echo \"a|b\"\n"), none);
        assert_eq!(lines("FROM a:1\nRUN x $(a | b)\n"), [2]);
        assert_eq!(
            lines("FROM a:1\nSHELL [\"/bin/ash\",\"-eo\",\"pipefail\",\"-c\"]\nRUN a | b\n"),
            none
        );
        assert_eq!(
            lines("FROM a:1\nSHELL [\"pwsh\",\"-c\"]\nRUN a | b\n"),
            none
        );
        assert_eq!(lines("FROM a:1\nRUN set -eo pipefail; a | b\n"), none);
        assert_eq!(lines("FROM a:1\nRUN [\"sh\",\"-c\",\"a | b\"]\n"), [2]);
        assert_eq!(lines("FROM a:1\nRUN <<EOF\na | b\nEOF\n"), [3]);
    }
}
