use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{apk_add, list, runs, unpinned_packages};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `apk add` of packages without a version.
#[derive(Debug)]
pub struct ApkUnpinned;

static META: RuleMeta = RuleMeta {
    id: "DD009",
    name: "apk-unpinned",
    severity: Severity::Low,
    category: Category::SupplyChain,
    aliases: &["DL3018"],
    summary: "`apk add` without package versions",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` whose `apk add` names a package without a version \
        constraint (`pkg=1.2.3-r0`, `pkg~1.2`, `pkg>1.2`). Local `.apk` files and the name \
        given to `--virtual`/`-t` are not packages to pin. One finding per `RUN`.",
    why_it_matters: "Without versions each rebuild installs whatever the Alpine mirror holds, \
        so images drift without any change in the repository. Severity low: Alpine drops old \
        package versions from its mirrors, so exact pins need upkeep; `~` pins to a minor \
        version are a middle way.",
    bad_example: "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
    good_example: "FROM alpine:3.20\nRUN apk add --no-cache curl~8.9\n",
    references: &[
        "https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Holding_a_specific_package_back",
        "https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
    ],
};

fn pinned(package: &str) -> bool {
    package.contains(['=', '~', '>', '<', '/']) || package.ends_with(".apk")
}

impl Rule for ApkUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let unpinned = unpinned_packages(run.commands(), apk_add, pinned);
            let Some(first) = unpinned.first() else {
                continue;
            };
            let names: Vec<&str> = unpinned.iter().map(|w| w.value.as_str()).collect();
            let message = format!(
                "`apk add` without versions for {}: pin them (`pkg=version` or `pkg~minor`).",
                list(&names, 5)
            );
            out.push(cx.finding(&META, run.span_of(first.span), message));
        }
    }
}
