use crate::diagnostic::{Finding, Severity};
use crate::model::BuildModel;
use crate::rules::command_line::{program, runs, subcommand};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

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
    docs: RuleDocs {
        what_it_does: "Flags a `RUN` that runs `apt-get update` (or `apt update`) without removing \
            `/var/lib/apt/lists` (`rm -rf /var/lib/apt/lists/*`, or `apt-get dist-clean` of apt ≥ 2.7) \
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
    },
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
            let removed = run.commands().iter().any(|c| {
                (program(c) == Some("rm") && c.args().any(|a| a.starts_with("/var/lib/apt/lists")))
                    || (program(c) == Some("apt-get")
                        && subcommand(c, &["-o", "-c"]).is_some_and(|(s, _)| s == "dist-clean"))
            });
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
    use crate::analyze;

    fn lines(text: &str) -> Vec<usize> {
        analyze(text)
            .findings
            .iter()
            .filter(|f| f.rule == "DD011")
            .map(|f| f.line)
            .collect()
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
}
