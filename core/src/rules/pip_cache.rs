use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{pip_install, runs};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `pip install` that keeps its download cache.
#[derive(Debug)]
pub struct PipCache;

static META: RuleMeta = RuleMeta {
    id: "DD013",
    name: "pip-cache-kept",
    severity: Severity::Low,
    category: Category::Efficiency,
    aliases: &["DL3042"],
    summary: "`pip install` without `--no-cache-dir`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `pip install` (also `python -m pip install`) without \
        `--no-cache-dir`, unless `PIP_NO_CACHE_DIR` is set for the `RUN` (by `ENV` or `ARG`) \
        or the `RUN` mounts a cache on pip's cache directory.",
    why_it_matters: "pip keeps every downloaded wheel and source archive in \
        `~/.cache/pip`. In an image that cache is never used again but ships in the layer, \
        often doubling the size of the installed packages. Severity low: size only.",
    bad_example: "FROM python:3.12-slim\nRUN pip install flask==3.0.3\n",
    good_example: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n",
    references: &[
        "https://pip.pypa.io/en/stable/topics/caching/",
        "https://docs.docker.com/build/cache/optimize/#use-cache-mounts",
    ],
};

impl Rule for PipCache {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            if cx.model.var(run.info.env, "PIP_NO_CACHE_DIR").is_some()
                || run.info.mounts.iter().any(|m| {
                    m.kind == crate::model::MountType::Cache
                        && m.target.as_deref().is_some_and(|t| t.contains("pip"))
                })
            {
                continue;
            }
            let Some(cmd) = run.commands().iter().find(|c| {
                pip_install(c).is_some()
                    && !c
                        .args()
                        .any(|a| a == "--no-cache-dir" || a.starts_with("--no-cache-dir="))
            }) else {
                continue;
            };
            let message = "`pip install` without `--no-cache-dir` keeps pip's download cache in \
                 the layer."
                .to_string();
            out.push(cx.finding(&META, run.span_of(cmd.span), message));
        }
    }
}

#[cfg(test)]
mod tests {

    fn lines(text: &str) -> Vec<usize> {
        crate::rules::check::lines("DD013", text)
    }

    #[test]
    fn options_env_and_mounts() {
        let none: [usize; 0] = [];
        assert_eq!(
            lines("FROM a:1\nRUN pip --no-cache-dir install -r r.txt\n"),
            none
        );
        assert_eq!(
            lines("FROM a:1\nENV PIP_NO_CACHE_DIR=1\nRUN pip install x==1\n"),
            none
        );
        assert_eq!(lines("FROM a:1\nRUN python3 -m pip install x==1\n"), [2]);
        assert_eq!(
            lines("FROM a:1\nRUN --mount=type=cache,target=/root/.cache/pip pip install x==1\n"),
            none
        );
    }
}
