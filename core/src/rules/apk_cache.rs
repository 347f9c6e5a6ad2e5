use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{apk_add, has_option, runs};
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
    docs: RuleDocs {
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
    },
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
            let Some(cmd) = run
                .commands()
                .iter()
                .find(|c| apk_add(c).is_some() && !has_option(c, &["no-cache"], &[]))
            else {
                continue;
            };
            let message = "`apk add` without `--no-cache` leaves the package index in the \
                 layer: add `--no-cache` (and drop `apk update`)."
                .to_string();
            out.push(cx.finding(&META, run.span_of(cmd.span), message));
        }
    }
}
