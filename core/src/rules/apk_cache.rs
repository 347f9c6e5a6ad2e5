use crate::diagnostic::{Applicability, Finding, Severity};
use crate::rules::command_line::{apk_add, has_option, install_word, runs};
use crate::rules::fix::{fix, insert_after};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `apk add` that keeps its index cache.
#[derive(Debug)]
pub struct ApkCache;

static META: RuleMeta = RuleMeta {
    id: "DD016",
    name: "apk-cache-kept",
    severity: Severity::Low,
    category: Category::Efficiency,
    aliases: &["DL3019", "DS025", "DKL-DI-0004"],
    summary: "`apk add` without `--no-cache`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags an `apk add` without `--no-cache`, unless the `RUN` mounts a cache \
        on `/var/cache/apk`.",
    why_it_matters: "Without `--no-cache`, `apk` keeps the package index (and with \
        `--update`, downloaded packages) under `/var/cache/apk` in the layer. `--no-cache` \
        fetches the index to a temporary place and leaves nothing behind, replacing the \
        `apk update` + `rm -rf /var/cache/apk/*` dance. Severity low: size only.",
    bad_example: "FROM alpine:3.20\nRUN apk add --update curl~8.9\n",
    good_example: "FROM alpine:3.20\nRUN apk add --no-cache curl~8.9\n",
    references: &[
        "https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Local_Cache",
        "https://docs.docker.com/build/cache/optimize/#use-cache-mounts",
    ],
};

impl Rule for ApkCache {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            if run.caches("/var/cache/apk") {
                continue;
            }
            let bad: Vec<_> = run
                .commands()
                .iter()
                .filter(|c| apk_add(c).is_some() && !has_option(c, &["no-cache"], &[]))
                .collect();
            let Some(cmd) = bad.first() else {
                continue;
            };
            let message = "`apk add` without `--no-cache` leaves the package index in the \
                 layer: add `--no-cache` (and drop `apk update`)."
                .to_string();
            let mut finding = cx.finding(&META, run.span_of(cmd.span), message);
            // The finding stands for the whole RUN: the fix mends every
            // such command in it.
            let edits: Option<Vec<_>> = bad
                .iter()
                .map(|c| install_word(c).and_then(|w| insert_after(cx, &run, w, " --no-cache")))
                .collect();
            if let Some(edits) = edits {
                finding = finding.with_fix(fix("Add `--no-cache`", Applicability::Safe, edits));
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Applicability;
    use crate::rules::fix::check::fixed;

    #[test]
    fn fix_adds_no_cache_after_add() {
        assert_eq!(
            fixed(
                "DD016",
                "FROM alpine:3\nRUN apk --update add --virtual .b curl\n"
            ),
            Some((
                "FROM alpine:3\nRUN apk --update add --no-cache --virtual .b curl\n".to_string(),
                Applicability::Safe
            ))
        );
        assert_eq!(
            fixed("DD016", "FROM alpine:3\nRUN <<EOF\napk add curl\nEOF\n").map(|f| f.0),
            Some("FROM alpine:3\nRUN <<EOF\napk add --no-cache curl\nEOF\n".to_string())
        );
    }
}
