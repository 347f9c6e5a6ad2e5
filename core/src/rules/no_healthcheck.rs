use crate::diagnostic::{Finding, Severity};
use crate::rules::scope;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// The final image declares no `HEALTHCHECK`.
#[derive(Debug)]
pub struct NoHealthcheck;

static META: RuleMeta = RuleMeta {
    id: "DD111",
    name: "no-healthcheck",
    severity: Severity::Low,
    category: Category::Reliability,
    aliases: &["CKV_DOCKER_2", "DS026", "CIS-DI-0006"],
    summary: "The final image has no `HEALTHCHECK`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a final stage that has no `HEALTHCHECK` itself nor in a stage it is \
        built `FROM`. `HEALTHCHECK NONE` is a deliberate choice and counts as one. Distroless \
        and `scratch` images are judged too: the check can run the application binary \
        itself (`CMD [\"/app\", \"healthcheck\"]`). A health check the base image declares \
        cannot be seen from the Dockerfile.",
    why_it_matters: "Without a health check Docker and Swarm only know whether the process \
        is running, not whether it answers: a deadlocked or wedged server stays \"up\", is \
        not restarted and keeps receiving traffic, and `depends_on: condition: \
        service_healthy` cannot wait for it. (Kubernetes ignores `HEALTHCHECK` and uses its \
        own probes — declare those there.)",
    bad_example: "FROM nginx:1.27-alpine\nCOPY site/ /usr/share/nginx/html/\n",
    good_example: "FROM nginx:1.27-alpine\nCOPY site/ /usr/share/nginx/html/\nHEALTHCHECK --interval=30s --timeout=3s CMD wget -qO- http://localhost/ || exit 1\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#healthcheck",
        "https://docs.docker.com/reference/compose-file/services/#healthcheck",
    ],
};

impl Rule for NoHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(last) = cx.model.final_stage() else {
            return;
        };
        let chain = scope::final_chain(cx.model);
        let has =
            scope::instructions(cx, |s| chain.contains(&s)).any(|(_, inst)| inst.is("HEALTHCHECK"));
        if has {
            return;
        }
        let Some(from) = cx.file.instructions.get(last.from) else {
            return;
        };
        let message = "The final image declares no `HEALTHCHECK`, so a hung process counts as \
             healthy. Add `HEALTHCHECK CMD <command that fails when the app does>`."
            .to_string();
        out.push(cx.finding(&META, from.keyword_span, message));
    }
}

#[cfg(test)]
mod tests {

    fn lines(text: &str) -> Vec<usize> {
        crate::rules::check::lines("DD111", text)
    }

    #[test]
    fn judges_the_final_chain() {
        assert_eq!(
            lines("FROM a:1 AS b\nHEALTHCHECK CMD true\nFROM c:1\n"),
            [3]
        );
        assert_eq!(
            lines("FROM a:1 AS b\nHEALTHCHECK CMD true\nFROM b\n"),
            [] as [usize; 0]
        );
        assert_eq!(lines("FROM scratch\nHEALTHCHECK NONE\n"), [] as [usize; 0]);
        assert_eq!(lines("FROM scratch\n"), [1]);
        assert_eq!(lines("# nothing\n"), [] as [usize; 0]);
    }
}
