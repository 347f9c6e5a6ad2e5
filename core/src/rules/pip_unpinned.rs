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
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` whose `pip install` names a package with no version \
        specifier (`==`, `>=`, `~=`, `<`, `!=`, `@ url`), or a VCS URL with no ref \
        (`git+https://host/repo` without `@tag` or `@commit`). Requirement files (`-r`), \
        constraints, editable installs, local paths, archives and wheels are not judged \
        here. One finding per `RUN`.",
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
};

/// The ref of a VCS requirement (`git+https://host/repo@v1.2#egg=x` gives
/// `Some(true)`; without `@ref` after the host, `Some(false)`), or `None`
/// when `req` is not a VCS URL.
fn vcs_has_ref(req: &str) -> Option<bool> {
    let start = ["git+", "hg+", "svn+", "bzr+"]
        .iter()
        .filter_map(|p| req.find(p))
        .min()?;
    let url = req.get(start..)?;
    let url = url.split('#').next().unwrap_or(url);
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    // The user in `ssh://git@host/…` is before the path; the ref after it.
    let path = rest.split_once('/').map_or("", |(_, p)| p);
    Some(path.contains('@'))
}

/// Whether a requirement names a version, or is not a PyPI name at all.
/// A VCS URL is pinned only by a ref (`@tag` or `@commit`): without one pip
/// installs whatever the default branch holds.
fn pinned(req: &str) -> bool {
    if let Some(has_ref) = vcs_has_ref(req) {
        return has_ref;
    }
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

#[cfg(test)]
mod tests {
    use crate::analyze;
    use crate::rules::check;

    fn flagged(install: &str) -> bool {
        check::fires(
            "DD014",
            &format!("FROM python:3.12\nRUN pip install {install}\n"),
        )
    }

    #[test]
    fn a_vcs_url_is_pinned_only_by_a_ref() {
        assert!(flagged("git+https://github.com/a/b"));
        assert!(flagged("git+https://github.com/a/b.git#egg=b"));
        assert!(flagged("git+ssh://git@github.com/a/b.git"));
        assert!(flagged("'b @ git+https://github.com/a/b'"));
        assert!(!flagged("git+https://github.com/a/b@v1.0"));
        assert!(!flagged("'git+https://github.com/a/b@4f1c2e9#egg=b'"));
        assert!(!flagged("git+ssh://git@github.com/a/b.git@v2"));
        assert!(!flagged("'b @ git+https://github.com/a/b@v1.0'"));
        assert!(!flagged("https://github.com/a/b/archive/v1.0.zip"));
        assert!(!flagged("-e git+https://github.com/a/b#egg=b"));
    }

    #[test]
    fn pip_with_a_dashed_version_is_pip() {
        let found = |run: &str| {
            analyze(&format!(
                "FROM python:3.12
RUN {run}
"
            ))
            .findings
            .iter()
            .any(|f| f.rule == "DD014")
        };
        assert!(found("pip-3.6 install awscli"));
        assert!(!found("pip-3.6 install awscli==1.0"));
        assert!(!found("pip- install awscli"));
    }
}
