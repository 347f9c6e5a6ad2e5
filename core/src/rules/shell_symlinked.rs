use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{operands_in, runs};
use crate::rules::scope::program;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::Command;

/// `/bin/sh` replaced by a link to another shell.
#[derive(Debug)]
pub struct ShellSymlinked;

static META: RuleMeta = RuleMeta {
    id: "DD056",
    name: "shell-symlinked",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["DL4005"],
    summary: "`ln … /bin/sh` replaces the default shell instead of `SHELL`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags an `ln` in a `RUN` that makes `/bin/sh` (or `/usr/bin/sh`, the same \
        file on merged-/usr images) a link to something else: `ln -sf /bin/bash /bin/sh`. \
        A link that only *reads* `/bin/sh` (`ln -s /bin/sh /usr/local/bin/sh`) is not \
        flagged; hadolint flags any `ln` that names `/bin/sh`.",
    why_it_matters: "`/bin/sh` is the shell every `RUN` in shell form uses, and also the one \
        the system's own scripts (package maintainer scripts, `system()`, cron) expect to \
        be POSIX. Swapping it for bash changes their behaviour for the whole image, \
        silently, and a later package upgrade (dash's) can put it back. The `SHELL` \
        instruction changes the shell of the Dockerfile's `RUN`s only, visibly, and \
        leaves the image's `/bin/sh` alone.",
    bad_example: "FROM debian:12-slim\nRUN ln -sf /bin/bash /bin/sh\nRUN echo {a,b}\n",
    good_example: "FROM debian:12-slim\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN ln -s /bin/sh /usr/local/bin/posix-sh && echo {a,b}\n",
    references: &[
        "https://github.com/hadolint/hadolint/wiki/DL4005",
        "https://docs.docker.com/reference/dockerfile/#shell",
    ],
};

/// Options of `ln` that take a value in the next word.
const LN_VALUE_OPTIONS: &[&str] = &["-S", "--suffix", "-t", "--target-directory"];

impl Rule for ShellSymlinked {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            for cmd in run.commands().iter().filter(|c| replaces_sh(c)) {
                let message = "`ln` replaces `/bin/sh`, the shell of the whole image: use \
                     `SHELL [\"/bin/bash\", \"-c\"]` to change the shell of the `RUN`s instead."
                    .to_string();
                out.push(cx.finding(&META, run.locate(cmd.span), message));
            }
        }
    }
}

/// Whether `cmd` is an `ln` whose link name (its last operand, of at least
/// two) is `/bin/sh`.
fn replaces_sh(cmd: &Command) -> bool {
    let Some((name, args)) = program(cmd) else {
        return false;
    };
    if name != "ln" {
        return false;
    }
    let ops = operands_in(args, LN_VALUE_OPTIONS);
    let [_, .., last] = ops.as_slice() else {
        return false;
    };
    !last.has_expansion && matches!(last.value.as_str(), "/bin/sh" | "/usr/bin/sh")
}

#[cfg(test)]
mod tests {
    use crate::rules::check;

    fn found(text: &str) -> Vec<String> {
        check::spans("DD056", text)
    }

    #[test]
    fn links_onto_bin_sh() {
        assert_eq!(
            found("FROM a:1\nRUN rm /bin/sh && ln -s /bin/bash /bin/sh\n"),
            ["ln -s /bin/bash /bin/sh"]
        );
        assert_eq!(found("FROM a:1\nRUN ln -sfv bash /usr/bin/sh\n").len(), 1);
        assert_eq!(
            found("FROM a:1\nRUN ln -s -f -- /bin/dash /bin/sh\n").len(),
            1
        );
        assert_eq!(
            found("FROM a:1\nRUN sudo ln -sf /bin/bash /bin/sh\n").len(),
            1
        );
        assert_eq!(
            found("FROM a:1\nRUN ln -sf /bin/bash \\\n    /bin/sh\n"),
            ["ln -sf /bin/bash \\\n    /bin/sh"]
        );
    }

    #[test]
    fn other_links_are_fine() {
        for text in [
            "FROM a:1\nRUN ln -s /bin/sh /usr/local/bin/sh\n",
            "FROM a:1\nRUN ln -s /bin/bash /bin/bash5\n",
            "FROM a:1\nRUN ln -s -t /bin /opt/sh\n",
            "FROM a:1\nRUN ln /bin/sh\n",
            "FROM a:1\nRUN echo ln -s /bin/bash /bin/sh\n",
            "FROM a:1\nRUN ln -s /bin/bash $SH\n",
        ] {
            assert_eq!(found(text), [] as [String; 0], "{text}");
        }
    }
}
