use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{list, program, runs, subcommand, substituted};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `npm install <pkg>` without a version.
#[derive(Debug)]
pub struct NpmUnpinned;

static META: RuleMeta = RuleMeta {
    id: "DD017",
    name: "npm-unpinned",
    severity: Severity::Medium,
    category: Category::SupplyChain,
    aliases: &["DL3016"],
    summary: "`npm install <pkg>` without a version",
    docs: RuleDocs {
        what_it_does: "Flags a `RUN` whose `npm install` (`i`, `add`) names a package without \
            `@version`. A bare `npm install`/`npm ci` (from the lock file), local paths, \
            tarballs and git URLs are not judged; a GitHub shorthand `owner/repo` counts as \
            pinned only with a commit (`#<sha>`). One finding per `RUN`.",
        why_it_matters: "npm resolves a bare name to the newest release at build time, and \
            compromised releases of popular packages have been published more than once. A \
            version (or `npm ci` with a committed lock file) makes the build reproducible and \
            reviewable. Severity medium: the npm registry has no curation.",
        bad_example: "FROM node:22-slim\nRUN npm install -g pm2\n",
        good_example: "FROM node:22-slim\nRUN npm install -g pm2@5.4.2\n",
        references: &[
            "https://docs.npmjs.com/cli/commands/npm-install",
            "https://docs.npmjs.com/cli/commands/npm-ci",
        ],
    },
};

/// Whether an npm install operand names a version or is not a registry name.
fn pinned(spec: &str) -> bool {
    let lower = spec.to_ascii_lowercase();
    let name_part = spec.strip_prefix('@').unwrap_or(spec);
    name_part.contains('@')
        || spec.starts_with(['.', '/', '~'])
        || spec.contains(':')
        || [".tgz", ".tar.gz", ".tar"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        || (spec.contains('/') && !spec.starts_with('@') && commit_ref(spec))
}

/// Whether a GitHub shorthand `owner/repo#ref` names a commit (a branch or
/// no ref at all moves).
fn commit_ref(spec: &str) -> bool {
    spec.split_once('#').is_some_and(|(_, r)| {
        (7..=40).contains(&r.len()) && r.chars().all(|c| c.is_ascii_hexdigit())
    })
}

impl Rule for NpmUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let unpinned: Vec<_> = run
                .commands()
                .iter()
                .filter(|c| program(c) == Some("npm"))
                .filter_map(|c| subcommand(c, &["--prefix", "--registry", "--cache", "-C"]))
                .filter(|(sub, _)| matches!(*sub, "install" | "i" | "add" | "isntall" | "in"))
                .flat_map(|(_, ops)| ops)
                .filter(|w| !pinned(&w.value) || substituted(w))
                .collect();
            let Some(first) = unpinned.first() else {
                continue;
            };
            let names: Vec<&str> = unpinned.iter().map(|w| w.value.as_str()).collect();
            let message = format!(
                "`npm install` without versions for {}: pin them (`pkg@version`) or install \
                 from a lock file with `npm ci`.",
                list(&names, 5)
            );
            out.push(cx.finding(&META, run.span_of(first.span), message));
        }
    }
}
