use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{list, pip_install, pip_requirements, runs, substituted};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `pip install` of packages without a version.
#[derive(Debug)]
pub struct PipUnpinned;

static META: RuleMeta = RuleMeta {
    id: "DD014",
    name: "pip-unpinned",
    severity: Severity::Medium,
    category: Category::SupplyChain,
    aliases: &["DL3013"],
    summary: "`pip install` without package versions",
    docs: RuleDocs {
        what_it_does: "Flags a `RUN` whose `pip install` names a package with no version \
            specifier (`==`, `>=`, `~=`, `<`, `!=`, `@ url`). Requirement files (`-r`), \
            constraints, editable installs, local paths, archives, wheels and VCS URLs are not \
            judged here. One finding per `RUN`.",
        why_it_matters: "PyPI packages are published by thousands of independent maintainers; an \
            unpinned install takes whatever was uploaded last, including a compromised or \
            breaking release. A version (better: a lock file with hashes) makes the build \
            reproducible and reviewable. Severity medium: unlike distribution packages, PyPI has \
            no curated release process.",
        bad_example: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n",
        good_example: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n",
        references: &[
            "https://pip.pypa.io/en/stable/topics/repeatable-installs/",
            "https://pip.pypa.io/en/stable/topics/secure-installs/",
        ],
    },
};

/// Whether a requirement names a version, or is not a PyPI name at all.
fn pinned(req: &str) -> bool {
    let lower = req.to_ascii_lowercase();
    req.contains(['=', '<', '>', '@', '/', '~', '!'])
        || req.starts_with('.')
        || [".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

impl Rule for PipUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let unpinned: Vec<_> = run
                .commands()
                .iter()
                .filter_map(pip_install)
                .flat_map(pip_requirements)
                .filter(|w| !pinned(&w.value) || substituted(w))
                .collect();
            let Some(first) = unpinned.first() else {
                continue;
            };
            let names: Vec<&str> = unpinned.iter().map(|w| w.value.as_str()).collect();
            let message = format!(
                "`pip install` without versions for {}: pin them (`pkg==version`), or install \
                 from a locked requirements file.",
                list(&names, 5)
            );
            out.push(cx.finding(&META, run.span_of(first.span), message));
        }
    }
}
