use crate::diagnostic::{Applicability, Finding, Severity};
use crate::rules::command_line::{
    RpmTool, apt_get_install, has_option, install_word, program, rpm_install, runs,
};
use crate::rules::fix::{fix, insert_after};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A package install that would stop to ask for confirmation.
#[derive(Debug)]
pub struct InstallWithoutYes;

static META: RuleMeta = RuleMeta {
    id: "DD024",
    name: "install-without-yes",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["DL3014", "DS021", "DL3030", "DL3038", "DL3034"],
    summary: "Package install without the non-interactive switch",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags `apt-get install`, `yum install`, `dnf install`, `microdnf install` \
        and `zypper install` without their assume-yes switch: `-y`/`--yes`/\
        `--assume-yes` (also `-qq`, which implies it for apt-get), or zypper's global \
        `-n`/`--non-interactive`.",
    why_it_matters: "A build has no terminal: a tool that stops to ask \"Do you want to \
        continue? [Y/n]\" reads end-of-file and aborts, so the build fails — or, with some \
        configurations, it hangs. Saying yes explicitly makes the step behave the same \
        everywhere. Severity low: a broken build, not a broken image.",
    bad_example: "FROM debian:12-slim\nRUN apt-get install curl=7.88.1-10+deb12u8\n",
    good_example: "FROM debian:12-slim\nRUN apt-get install -y curl=7.88.1-10+deb12u8\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#apt-get",
        "https://manpages.debian.org/bookworm/apt/apt-get.8.en.html",
    ],
};

static APT: &[&str] = &["DL3014", "DS021"];
static YUM: &[&str] = &["DL3030"];
static DNF: &[&str] = &["DL3038"];
static ZYPPER: &[&str] = &["DL3034"];

impl Rule for InstallWithoutYes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            for cmd in run.commands() {
                let (tool, aliases, yes) = if apt_get_install(cmd).is_some() {
                    let qq = cmd.args().any(|a| a == "-qq" || a == "-qqy" || a == "-yqq");
                    let yes = qq
                        || has_option(cmd, &["yes", "assume-yes", "force-yes"], &['y'])
                        || cmd.args().any(|a| a.contains("APT::Get::Assume-Yes=true"));
                    ("apt-get", APT, yes)
                } else if let Some((tool, _)) = rpm_install(cmd) {
                    let yes = match tool {
                        RpmTool::Zypper => {
                            has_option(cmd, &["non-interactive", "no-confirm", "yes"], &['n', 'y'])
                        }
                        RpmTool::Microdnf => true,
                        _ => has_option(cmd, &["assumeyes", "yes", "assume-yes"], &['y']),
                    };
                    let aliases = match tool {
                        RpmTool::Yum => YUM,
                        RpmTool::Dnf | RpmTool::Microdnf => DNF,
                        RpmTool::Zypper => ZYPPER,
                    };
                    (tool.name(), aliases, yes)
                } else {
                    continue;
                };
                if yes || program(cmd).is_none() {
                    continue;
                }
                let message = format!(
                    "`{tool} install` without `-y` stops to ask for confirmation and the build \
                     has no terminal to answer: add `-y`."
                );
                let mut finding = cx.finding_for(&META, aliases, run.span_of(cmd.span), message);
                // `-y` is `--assume-yes` for apt-get, yum and dnf and
                // `--no-confirm` (the `--non-interactive` global option)
                // for `zypper install`.
                if let Some(edit) = install_word(cmd).and_then(|w| insert_after(cx, &run, w, " -y"))
                {
                    finding = finding.with_fix(fix("Add `-y`", Applicability::Safe, vec![edit]));
                }
                out.push(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Applicability;
    use crate::rules::fix::check::fixes;

    #[test]
    fn fix_adds_yes_after_the_install_subcommand() {
        let text = "FROM a:1\nRUN apt-get -q install curl && yum install x \\\n && dnf -c f install y && zypper in z\n";
        let edits: Vec<_> = fixes("DD024", text)
            .into_iter()
            .map(|(edits, a, _)| {
                assert_eq!(a, Applicability::Safe);
                edits
            })
            .collect();
        let insert = |at: &str| vec![(String::new(), at.to_string())];
        assert_eq!(
            edits,
            [insert(" -y"), insert(" -y"), insert(" -y"), insert(" -y")]
        );
        let (_, _, fixed) = &fixes("DD024", "FROM a:1\nRUN dnf -c f install y\n")[0];
        assert_eq!(fixed, "FROM a:1\nRUN dnf -c f install -y y\n");
        let (_, _, fixed) = &fixes("DD024", "FROM a:1\nRUN zypper in z\n")[0];
        assert_eq!(fixed, "FROM a:1\nRUN zypper in -y z\n");
    }
}
