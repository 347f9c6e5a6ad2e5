use crate::diagnostic::{Applicability, Finding, Severity};
use crate::rules::command_line::{apt_get_install, install_word, runs};
use crate::rules::fix::{fix, insert_after};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `apt-get install` that also installs recommended packages.
#[derive(Debug)]
pub struct AptGetRecommends;

static META: RuleMeta = RuleMeta {
    id: "DD007",
    name: "apt-get-recommends",
    severity: Severity::Low,
    category: Category::Efficiency,
    aliases: &["DL3015", "DS029"],
    summary: "`apt-get install` without `--no-install-recommends`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags an `apt-get install` without `--no-install-recommends` (or the \
        equivalent `-o APT::Install-Recommends=false`).",
    why_it_matters: "By default apt also installs every package the requested ones merely \
        *recommend*: documentation, optional tools, often dozens of megabytes and more code \
        that can carry vulnerabilities. Containers rarely need them. Severity low: it costs \
        size and attack surface, not correctness.",
    bad_example: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n",
    good_example: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#apt-get",
        "https://manpages.debian.org/bookworm/apt/apt.conf.5.en.html",
    ],
};

impl Rule for AptGetRecommends {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let bad: Vec<_> = run
                .commands()
                .iter()
                .filter(|c| {
                    apt_get_install(c).is_some()
                        && !c.argv.iter().any(|w| {
                            w.value == "--no-install-recommends"
                                || w.value.contains("Install-Recommends=false")
                                || w.value.contains("Install-Recommends=0")
                        })
                })
                .collect();
            let Some(cmd) = bad.first() else {
                continue;
            };
            let message = "`apt-get install` without `--no-install-recommends` also installs \
                 recommended packages the image does not need."
                .to_string();
            let mut finding = cx.finding(&META, run.span_of(cmd.span), message);
            // Unsafe: fewer packages get installed, and one the image needs
            // may have come in only as a recommendation.
            // The finding stands for the whole RUN: the fix mends every
            // such command in it.
            let edits: Option<Vec<_>> = bad
                .iter()
                .map(|c| {
                    install_word(c)
                        .and_then(|w| insert_after(cx, &run, w, " --no-install-recommends"))
                })
                .collect();
            if let Some(edits) = edits {
                finding = finding.with_fix(fix(
                    "Add `--no-install-recommends`",
                    Applicability::Unsafe,
                    edits,
                ));
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Applicability;
    use crate::rules::fix::check::{fixed, fixes};

    #[test]
    fn fix_adds_no_install_recommends_after_install() {
        assert_eq!(
            fixed("DD007", "FROM a:1\nRUN apt-get update && apt-get -q install -y curl\n"),
            Some((
                "FROM a:1\nRUN apt-get update && apt-get -q install --no-install-recommends -y curl\n"
                    .to_string(),
                Applicability::Unsafe
            ))
        );
        assert_eq!(
            fixed("DD007", "FROM a:1\nRUN apt-get update \\\n && apt-get install -y \\\n  curl\n")
                .map(|f| f.0),
            Some(
                "FROM a:1\nRUN apt-get update \\\n && apt-get install --no-install-recommends -y \\\n  curl\n"
                    .to_string()
            )
        );
    }

    #[test]
    fn no_fix_when_install_is_split_by_a_continuation() {
        assert!(fixes("DD007", "FROM a:1\nRUN apt-get inst\\\nall -y curl\n").is_empty());
    }
}
