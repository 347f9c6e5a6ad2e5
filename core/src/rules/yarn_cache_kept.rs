use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{program, runs, ships, subcommand};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `yarn install` whose cache stays in the layer.
#[derive(Debug)]
pub struct YarnCacheKept;

static META: RuleMeta = RuleMeta {
    id: "DD031",
    name: "yarn-cache-kept",
    severity: Severity::Info,
    category: Category::Efficiency,
    aliases: &["DL3060"],
    summary: "`yarn install` without `yarn cache clean`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` with `yarn install` but no `yarn cache clean` in the same \
        `RUN`, in a stage that ends up in the image. A cache mount on the yarn cache \
        directory satisfies the rule.",
    why_it_matters: "Yarn (v1) keeps a copy of every downloaded package in its global \
        cache, doubling the size of `node_modules` in the layer. Cleaning in the same step \
        keeps it out; cleaning later does not. Severity info: size only.",
    bad_example: "FROM node:22-slim\nWORKDIR /app\nRUN yarn install --frozen-lockfile\n",
    good_example: "FROM node:22-slim\nWORKDIR /app\nRUN yarn install --frozen-lockfile && yarn cache clean\n",
    references: &[
        "https://classic.yarnpkg.com/en/docs/cli/cache",
        "https://docs.docker.com/build/cache/optimize/#use-cache-mounts",
    ],
};

impl Rule for YarnCacheKept {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            if !ships(cx.model, run.info.stage)
                || run.caches("/usr/local/share/.cache/yarn")
                || run.caches("/root/.cache/yarn")
                || run.caches("/home/node/.cache/yarn")
            {
                continue;
            }
            let yarn = |c: &&crate::syntax::shell::Command| program(c) == Some("yarn");
            let Some(install) = run.commands().iter().filter(yarn).find(|c| {
                subcommand(c, &["--cwd", "--cache-folder", "--modules-folder"])
                    .is_some_and(|(s, _)| s == "install")
            }) else {
                continue;
            };
            let cleaned = run.commands().iter().filter(yarn).any(|c| {
                c.span.start > install.span.start
                    && subcommand(c, &["--cwd"]).is_some_and(|(s, rest)| {
                        s == "cache" && rest.first().is_some_and(|w| w.value == "clean")
                    })
            });
            if !cleaned {
                let message = "`yarn install` leaves its package cache in this layer: add \
                     `&& yarn cache clean` to the same `RUN`."
                    .to_string();
                out.push(cx.finding(&META, run.span_of(install.span), message));
            }
        }
    }
}

#[cfg(test)]
mod order_tests {
    use crate::analyze;

    #[test]
    fn the_clean_must_follow_the_install() {
        let flagged = |run: &str| {
            analyze(&format!("FROM node:22\nRUN {run}\n"))
                .findings
                .iter()
                .any(|f| f.aliases.contains(&"DL3060"))
        };
        assert!(flagged("yarn cache clean && yarn install"));
        assert!(!flagged("yarn install && yarn cache clean"));
    }
}
