use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{DECLARATIONS, args, assignment_value_offset, program, runs};
use crate::rules::word_parts::parts;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `export NAME=$(cmd)`: the declaration's status hides the command's.
#[derive(Debug)]
pub struct MaskedReturnValue;

static META: RuleMeta = RuleMeta {
    id: "DD201",
    name: "masked-return-value",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["SC2155"],
    summary: "`export`/`local`/`declare` with a command substitution hides its failure",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags an argument of `export`, `local`, `declare`, `readonly` or \
        `typeset` that assigns a value containing a command substitution \
        (`export V=\"$(cmd)\"`).",
    why_it_matters: "The exit status of the line is the status of `export`, which \
        succeeds, not that of `cmd`. If `cmd` fails, `&&` chains and `set -e` carry on \
        with an empty or partial value and the build goes wrong later, far from the cause. \
        Assign first (`V=\"$(cmd)\"`, whose status is the command's), then `export V`. \
        Severity low (ShellCheck SC2155, a warning).",
    bad_example: "FROM debian:12\nRUN export VERSION=\"$(cat /etc/debian_version)\" && echo \"$VERSION\"\n",
    good_example: "FROM debian:12\nRUN VERSION=\"$(cat /etc/debian_version)\" && export VERSION && echo \"$VERSION\"\n",
    references: &[
        "https://www.shellcheck.net/wiki/SC2155",
        "https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_22",
    ],
};

impl Rule for MaskedReturnValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            for cmd in run.shell_commands() {
                let Some(prog) = program(cmd).filter(|p| DECLARATIONS.contains(p)) else {
                    continue;
                };
                for w in args(cmd) {
                    let Some(at) = assignment_value_offset(w) else {
                        continue;
                    };
                    let value = w.raw.get(at..).unwrap_or_default();
                    if !parts(value).iter().any(|p| p.is_substitution()) {
                        continue;
                    }
                    let message = format!(
                        "`{prog}` succeeds even when the command substitution in `{}` fails, \
                         so its failure is lost: assign the variable first, then `{prog}` it.",
                        w.raw
                    );
                    out.push(cx.finding(&META, run.locate(w.span), message));
                }
            }
        }
    }
}
