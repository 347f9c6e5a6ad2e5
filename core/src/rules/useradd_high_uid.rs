use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{args, has_option, program, runs};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `useradd -u <large uid>` without `-l`.
#[derive(Debug)]
pub struct UseraddHighUid;

static META: RuleMeta = RuleMeta {
    id: "DD043",
    name: "useradd-high-uid",
    severity: Severity::Low,
    category: Category::Efficiency,
    aliases: &["DL3046"],
    summary: "`useradd` with a large uid and without `-l`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `useradd` with a literal uid of 65536 or more and without \
        `-l`/`--no-log-init`.",
    why_it_matters: "`useradd` records the new user in `/var/log/lastlog` and \
        `/var/log/faillog`, files indexed by uid. On disk they are sparse, but image layers \
        store them in full: a uid of 1,000,000 adds hundreds of megabytes of zeros to the \
        image. `-l` skips the log files. Severity low: size.",
    bad_example: "FROM debian:12-slim\nRUN useradd -u 1000000 app\n",
    good_example: "FROM debian:12-slim\nRUN useradd -l -u 1000000 app\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#user",
        "https://github.com/moby/moby/issues/5419",
    ],
};

impl Rule for UseraddHighUid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            for cmd in run.commands() {
                if program(cmd) != Some("useradd") || has_option(cmd, &["no-log-init"], &['l']) {
                    continue;
                }
                let words = args(cmd);
                let uid = words.iter().enumerate().find_map(|(i, w)| {
                    let v = w.value.as_str();
                    if let Some(rest) = v.strip_prefix("--uid=") {
                        return Some(rest.to_string());
                    }
                    if v == "-u" || v == "--uid" {
                        return words.get(i.saturating_add(1)).map(|n| n.value.clone());
                    }
                    v.strip_prefix("-u")
                        .filter(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_digit()))
                        .map(str::to_string)
                });
                let Some(uid) = uid.and_then(|u| u.parse::<u64>().ok()) else {
                    continue;
                };
                if uid < 65536 {
                    continue;
                }
                let message = format!(
                    "`useradd -u {uid}` without `-l` writes lastlog/faillog entries sized by \
                     the uid into the layer: add `-l` (`--no-log-init`)."
                );
                out.push(cx.finding(&META, run.span_of(cmd.span), message));
            }
        }
    }
}
