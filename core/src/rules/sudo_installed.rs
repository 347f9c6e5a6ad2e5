use crate::diagnostic::{Finding, Severity};
use crate::rules::packages::{install, package_name};
use crate::rules::scope;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `sudo` (or `doas`) installed in the final image.
#[derive(Debug)]
pub struct SudoInstalled;

static META: RuleMeta = RuleMeta {
    id: "DD112",
    name: "sudo-installed",
    severity: Severity::Medium,
    category: Category::Security,
    aliases: &[],
    summary: "`sudo` or `doas` is installed in the final image",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags `sudo` and `doas` packages installed with a system package manager \
        (`apt-get`, `apk`, `dnf`/`yum`, `zypper`) in the final stage or a stage it is built \
        `FROM`. Running `sudo` in a `RUN` is a different rule (DD018); this one is about what \
        the shipped image contains. Build stages are not judged.",
    why_it_matters: "A container needs no `sudo`: the Dockerfile picks the user with `USER`, \
        and an operator who needs root uses `docker exec -u 0`. With `sudo` in the image, any \
        process that can run it — often through a `NOPASSWD` rule added for convenience — \
        becomes root, which undoes the point of running as an unprivileged user; `sudo` \
        itself has had privilege-escalation CVEs.",
    bad_example: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/*\nUSER 1000\n",
    good_example: "FROM debian:12-slim AS build\nRUN apt-get update && apt-get install -y --no-install-recommends sudo\nFROM debian:12-slim\nUSER 1000\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#user",
        "https://docs.docker.com/reference/cli/docker/container/exec/",
    ],
};

impl Rule for SudoInstalled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let chain = scope::final_chain(cx.model);
        for run in scope::runs(cx, |s| chain.contains(&s)) {
            for found in run.commands().iter().filter_map(install) {
                for word in found.packages {
                    let name = package_name(&word.value);
                    if name != "sudo" && name != "doas" {
                        continue;
                    }
                    let message = format!(
                        "`{}` installs `{name}` in the final image: any process that can run it \
                         becomes root. Leave it out; choose the user with `USER`, and use \
                         `docker exec -u 0` when an operator needs root.",
                        found.manager
                    );
                    out.push(cx.finding(&META, run.file_span(word.span), message));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::check;

    #[test]
    fn judges_the_final_image_only() {
        assert_eq!(
            check::spans(
                "DD112",
                "FROM alpine:3.22\nRUN apk add --no-cache curl sudo doas\nUSER 1\n"
            ),
            ["sudo", "doas"]
        );
        // Inherited through FROM <stage>.
        assert_eq!(
            check::spans(
                "DD112",
                "FROM alpine:3.22 AS base\nRUN apk add sudo\nFROM base\nUSER 1\n"
            ),
            ["sudo"]
        );
        assert!(check::spans("DD112", "FROM alpine:3.22\nRUN apk add sudo-ldap-docs\n").is_empty());
        assert!(check::spans("DD112", "FROM alpine:3.22\nRUN sudo apk add curl\n").is_empty());
    }
}
