use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{program, runs};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// Interactive or system-management commands in a build step.
#[derive(Debug)]
pub struct PointlessCommand;

static META: RuleMeta = RuleMeta {
    id: "DD030",
    name: "pointless-command",
    severity: Severity::Info,
    category: Category::Maintainability,
    aliases: &["DL3001"],
    summary: "Interactive or system command in `RUN`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` that runs one of `ssh`, `vim`, `nano`, `shutdown`, \
        `service`, `ps`, `free`, `top`, `kill`, `mount` or `ifconfig`.",
    why_it_matters: "A build step has no terminal, no init system and no running services: \
        editors wait for input, `service x start` starts a daemon that dies with the step, \
        `ps`/`top`/`free` describe the build container, not the future one, and `mount` or \
        `shutdown` are not allowed. Such a line does nothing useful and usually shows a \
        misunderstanding of what a layer is — configure files with `COPY` or `sed`, and \
        start services in `CMD`/`ENTRYPOINT`. Severity info.",
    bad_example: "FROM debian:12-slim\nRUN service nginx start\n",
    good_example: "FROM debian:12-slim\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#run",
        "https://docs.docker.com/engine/containers/multi-service_container/",
    ],
};

const COMMANDS: &[&str] = &[
    "ssh", "vim", "nano", "shutdown", "service", "ps", "free", "top", "kill", "mount", "ifconfig",
];

impl Rule for PointlessCommand {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            let Some((cmd, name)) = run.commands().iter().find_map(|c| {
                let p = program(c)?;
                COMMANDS.contains(&p).then_some((c, p))
            }) else {
                continue;
            };
            let message = format!(
                "`{name}` in a build step does nothing useful: the build has no terminal, no \
                 running services and is not the container that will run."
            );
            out.push(cx.finding(&META, run.span_of(cmd.span), message));
        }
    }
}
