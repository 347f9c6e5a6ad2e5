use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{apt_get_install, list, runs, unpinned_packages};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `apt-get install` of packages without a version.
#[derive(Debug)]
pub struct AptGetUnpinned;

static META: RuleMeta = RuleMeta {
    id: "DD005",
    name: "apt-get-unpinned",
    severity: Severity::Low,
    category: Category::SupplyChain,
    aliases: &["DL3008"],
    summary: "`apt-get install` without package versions",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` whose `apt-get install` names a package without a version \
        (`pkg=1.2-3`). A release pin (`pkg/bookworm-backports`) and a local `.deb` file count \
        as pinned. One finding per `RUN`, listing the packages.",
    why_it_matters: "Without versions, the same Dockerfile installs different software each \
        time the mirror changes, so a rebuild can break or change behaviour with no change in \
        the repository. Pinning makes the build reproducible and updates deliberate. Severity \
        low: Debian mirrors drop old versions, so pins need upkeep, and many teams pin the \
        base image instead; the trade-off is yours.",
    bad_example: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n",
    good_example: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#apt-get",
        "https://manpages.debian.org/bookworm/apt/apt-get.8.en.html",
    ],
};

/// Whether an `apt-get install` operand names a version or a file.
fn pinned(package: &str) -> bool {
    package.contains('=') || package.contains('/') || package.ends_with(".deb")
}

impl Rule for AptGetUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let unpinned = unpinned_packages(run.commands(), apt_get_install, pinned);
            let Some(first) = unpinned.first() else {
                continue;
            };
            let names: Vec<&str> = unpinned.iter().map(|w| w.value.as_str()).collect();
            let message = format!(
                "`apt-get install` without versions for {}: the build installs whatever the \
                 mirror has that day. Pin them (`pkg=version`).",
                list(&names, 5)
            );
            out.push(cx.finding(&META, run.span_of(first.span), message));
        }
    }
}

#[cfg(test)]
mod tests {

    fn lines(text: &str) -> Vec<usize> {
        crate::rules::check::lines("DD005", text)
    }

    #[test]
    fn pins_releases_files_and_options() {
        let none: [usize; 0] = [];
        assert_eq!(
            lines("FROM a:1\nRUN apt-get install -y -t buster -o X::Y=1 a=1 b/stable ./c.deb\n"),
            none
        );
        assert_eq!(lines("FROM a:1\nRUN apt-get -y install a=1 $PKG\n"), [2]);
        assert_eq!(
            lines("FROM a:1\nRUN apt-get update\nRUN apt-get install \\\n  a\n"),
            [3]
        );
    }
}
