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
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` whose `npm install` (`i`, `add`) names a package without \
        `@version`. A bare `npm install`/`npm ci` (from the lock file), local paths, \
        and tarballs are not judged; a git dependency (`git+https://…`, `github:owner/repo`, \
        `https://github.com/owner/repo`, the shorthand `owner/repo`) counts as pinned only \
        with a commit (`#<sha>`). One finding per `RUN`.",
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
};

/// Whether an npm install operand names a version or is not a registry name.
/// A git dependency (`git+https://…`, `github:o/r`, `https://github.com/o/r`,
/// the shorthand `o/r`, also behind an alias `name@o/r`) is pinned only by a
/// commit.
fn pinned(spec: &str) -> bool {
    if is_git(spec) {
        return commit_ref(spec);
    }
    let lower = spec.to_ascii_lowercase();
    let name_part = spec.strip_prefix('@').unwrap_or(spec);
    if let Some((_, version)) = name_part.split_once('@') {
        return !(is_git(version) || is_shorthand(version)) || commit_ref(version);
    }
    spec.starts_with(['.', '/', '~'])
        || spec.contains(':')
        || [".tgz", ".tar.gz", ".tar"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        || (is_shorthand(spec) && commit_ref(spec))
}

/// Whether `spec` is a git URL or a hosted-git spec npm clones.
fn is_git(spec: &str) -> bool {
    let lower = spec.to_ascii_lowercase();
    let hosted = ["https://", "http://"].iter().any(|scheme| {
        lower.strip_prefix(scheme).is_some_and(|rest| {
            ["github.com/", "gitlab.com/", "bitbucket.org/"]
                .iter()
                .any(|host| rest.starts_with(host))
        })
    }) && ![".tgz", ".tar.gz", ".tar"]
        .iter()
        .any(|ext| lower.ends_with(ext));
    hosted
        || [
            "git+",
            "git://",
            "github:",
            "gitlab:",
            "bitbucket:",
            "gist:",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// Whether `spec` is a GitHub shorthand `owner/repo[#ref]`.
fn is_shorthand(spec: &str) -> bool {
    spec.contains('/') && !spec.starts_with(['@', '.', '/', '~']) && !spec.contains(':')
}

/// Whether a GitHub shorthand `owner/repo#ref` names a commit (a branch or
/// no ref at all moves).
fn commit_ref(spec: &str) -> bool {
    spec.split_once('#').is_some_and(|(_, r)| {
        (7..=40).contains(&r.len()) && r.chars().all(|c| c.is_ascii_hexdigit())
    })
}

/// npm options that take a value in the next word (`--loglevel warn`).
const NPM_VALUE_OPTIONS: &[&str] = &[
    "--prefix",
    "--registry",
    "--cache",
    "-C",
    "--loglevel",
    "--userconfig",
    "--globalconfig",
    "--tag",
    "--only",
    "--omit",
    "--include",
    "--workspace",
    "-w",
    "--save-prefix",
    "--install-strategy",
    "--target_arch",
    "--target_platform",
    "--python",
    "--proxy",
    "--https-proxy",
];

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
                .filter_map(|c| subcommand(c, NPM_VALUE_OPTIONS))
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

#[cfg(test)]
mod tests {
    use crate::rules::check;

    fn flagged(run: &str) -> bool {
        check::fires("DD017", &format!("FROM node:22\nRUN {run}\n"))
    }

    #[test]
    fn option_values_are_not_packages() {
        assert!(!flagged("npm install --loglevel warn"));
        assert!(!flagged("npm install --only production"));
        assert!(flagged("npm install --loglevel warn left-pad"));
    }

    #[test]
    fn git_dependencies_are_pinned_by_a_commit() {
        for unpinned in [
            "git+https://github.com/a/b.git",
            "git+ssh://git@github.com/a/b.git",
            "github:a/b",
            "https://github.com/a/b",
            "a/b",
            "a/b#main",
            "x@a/b",
        ] {
            assert!(flagged(&format!("npm install {unpinned}")), "{unpinned}");
        }
        for pinned in [
            "git+https://github.com/a/b.git#4f1c2e9",
            "a/b#4f1c2e9d",
            "x@a/b#4f1c2e9",
            "x@^1.2.3",
            "@scope/x@1.2.3",
            "https://example.com/x.tgz",
            "https://github.com/a/b/archive/v1.tar.gz",
            ".",
        ] {
            assert!(!flagged(&format!("npm install {pinned}")), "{pinned}");
        }
    }
}
