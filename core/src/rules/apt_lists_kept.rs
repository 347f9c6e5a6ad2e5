use crate::diagnostic::{Finding, Severity};
use crate::model::BuildModel;
use crate::rules::command_line::{program, runs, subcommand};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::Command;

/// `apt-get update` whose package lists stay in the image.
#[derive(Debug)]
pub struct AptListsKept;

static META: RuleMeta = RuleMeta {
    id: "DD011",
    name: "apt-lists-kept",
    severity: Severity::Low,
    category: Category::Efficiency,
    aliases: &["DL3009", "DKL-DI-0005"],
    summary: "apt package lists are not removed",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` that runs `apt-get update` (or `apt update`) without removing \
        `/var/lib/apt/lists` (`rm -rf /var/lib/apt/lists/*`, `find /var/lib/apt/lists -delete`, or \
        `apt-get dist-clean` of apt ≥ 2.7) \
        in the same `RUN`, in a stage that ends up in the image: the \
        final stage and the stages it is built `FROM`. A cache mount on `/var/lib/apt/lists` \
        keeps the lists out of the layer and satisfies the rule. Builder stages whose files \
        are only copied from are not judged.",
    why_it_matters: "`apt-get update` downloads the package indexes, tens of megabytes that \
        are useless at run time. Deleting them in a later `RUN` does not help: the layer that \
        added them still ships. Severity low: size, not safety.",
    bad_example: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\n",
    good_example: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n && rm -rf /var/lib/apt/lists/*\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#apt-get",
        "https://docs.docker.com/build/cache/optimize/#use-cache-mounts",
    ],
};

/// Whether stage `index` is the final stage or one it is built `FROM`.
fn ships(model: &BuildModel, index: usize) -> bool {
    let mut stage = model.final_stage();
    while let Some(s) = stage {
        if s.index == index {
            return true;
        }
        stage = model.parent(s);
    }
    false
}

/// Whether `path` is `/var/lib/apt/lists` (or in it), or the `/var/lib/apt`
/// directory that holds it.
fn is_lists_path(path: &str) -> bool {
    path.starts_with("/var/lib/apt/lists")
        || matches!(path, "/var/lib/apt" | "/var/lib/apt/" | "/var/lib/apt/*")
}

/// Whether the command deletes the package lists: `rm` of them (or of
/// `/var/lib/apt`), `find /var/lib/apt/lists … -delete` (or `-exec rm`), or
/// `apt-get dist-clean`.
pub(crate) fn removes_lists(c: &Command) -> bool {
    match program(c) {
        Some("rm") => c.args().skip(1).any(is_lists_path),
        Some("find") => {
            let has = |word: &str| c.args().skip(1).any(|a| a == word);
            let deletes = has("-delete") || ((has("-exec") || has("-execdir")) && has("rm"));
            deletes
                && c.args()
                    .skip(1)
                    .any(|a| a.starts_with("/var/lib/apt/lists"))
        }
        Some("apt-get") => subcommand(c, &["-o", "-c"]).is_some_and(|(s, _)| s == "dist-clean"),
        _ => false,
    }
}

impl Rule for AptListsKept {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            if !ships(cx.model, run.info.stage) || run.caches("/var/lib/apt/lists") {
                continue;
            }
            let Some(update) = run.commands().iter().find(|c| {
                matches!(program(c), Some("apt-get" | "apt"))
                    && subcommand(c, &["-o", "-c", "-t"]).is_some_and(|(s, _)| s == "update")
            }) else {
                continue;
            };
            let removed = run.commands().iter().any(removes_lists);
            if !removed {
                let message = "`apt-get update` leaves its package lists in this layer: add \
                     `&& rm -rf /var/lib/apt/lists/*` to the same `RUN`."
                    .to_string();
                out.push(cx.finding(&META, run.span_of(update.span), message));
            }
        }
    }
}

#[cfg(test)]
mod tests {

    fn lines(text: &str) -> Vec<usize> {
        crate::rules::check::lines("DD011", text)
    }

    #[test]
    fn judges_shipped_stages_only() {
        let none: [usize; 0] = [];
        assert_eq!(
            lines("FROM a:1 AS b\nRUN apt-get update\nFROM c:1\nCOPY --from=b x y\n"),
            none
        );
        assert_eq!(
            lines("FROM a:1 AS b\nRUN apt-get update\nFROM b\nRUN x\n"),
            [2]
        );
        assert_eq!(
            lines("FROM a:1\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n"),
            [2]
        );
        assert_eq!(
            lines("FROM a:1\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n"),
            none
        );
    }

    #[test]
    fn accepts_find_delete_and_the_apt_directory() {
        let none: [usize; 0] = [];
        for cleanup in [
            "find /var/lib/apt/lists -type f -delete",
            "find /var/lib/apt/lists/ -mindepth 1 -exec rm -rf {} +",
            "rm -rf /var/lib/apt",
            "rm -rf /var/lib/apt/*",
        ] {
            assert_eq!(
                lines(&format!("FROM a:1\nRUN apt-get update && {cleanup}\n")),
                none,
                "{cleanup}"
            );
        }
        // Listing the lists is not deleting them; neither is a typo'd path,
        // nor a brace list /bin/sh (dash) does not expand.
        for kept in [
            "find /var/lib/apt/lists -type f",
            "rm -rf /var/lib/lists/*",
            "rm -rf /var/lib/{apt,dpkg}",
        ] {
            assert_eq!(
                lines(&format!("FROM a:1\nRUN apt-get update && {kept}\n")),
                [2],
                "{kept}"
            );
        }
    }
}
