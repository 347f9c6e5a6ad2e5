use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `USER` given by name rather than by numeric id.
#[derive(Debug)]
pub struct NonNumericUser;

static META: RuleMeta = RuleMeta {
    id: "DD021",
    name: "non-numeric-user",
    severity: Severity::Info,
    category: Category::Security,
    aliases: &["DL3066"],
    summary: "`USER` names a user instead of a numeric id",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `USER` whose user part (before an optional `:group`) is a name \
        rather than a number, e.g. `USER app` instead of `USER 10001`. Values built from \
        variables are judged as they resolve (`ARG`/`ENV` defaults), or as written when they \
        do not (a variable the base image sets).",
    why_it_matters: "A name is looked up in the image's `/etc/passwd` when the container \
        starts; the runtime and the orchestrator cannot tell from the image config which \
        uid that is. Kubernetes' `runAsNonRoot` refuses to start an image whose user is a \
        name, because it cannot prove the uid is not 0, and host-side tools (volume \
        ownership, audit) see only numbers. A numeric `USER 10001:10001` says exactly who \
        runs. Severity info: it is a portability and policy matter.",
    bad_example: "FROM debian:12-slim\nRUN useradd -u 10001 app\nUSER app\n",
    good_example: "FROM debian:12-slim\nRUN useradd -u 10001 app\nUSER 10001:10001\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#user",
        "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
    ],
};

impl Rule for NonNumericUser {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (index, inst) in cx.file.instructions.iter().enumerate() {
            if !inst.is("USER") {
                continue;
            }
            let Some(value) = inst.value.first() else {
                continue;
            };
            // A value built from variables is judged as it resolves (ARG and
            // ENV defaults, `--build-arg`s); one that does not fully resolve
            // (a variable from the base image) is judged as written.
            let resolved = cx
                .model
                .stages
                .iter()
                .flat_map(|s| &s.users)
                .find(|r| r.instruction == index);
            let judged = match resolved {
                Some(r) if value.contains('$') && r.unset.is_empty() && r.error.is_none() => {
                    r.value.as_str()
                }
                _ => value.as_str(),
            };
            let user = judged.split(':').next().unwrap_or(judged).trim();
            if user.is_empty() || user.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            let message = format!(
                "`USER {value}` names a user: use its numeric id (`USER <uid>:<gid>`) so the \
                 runtime and policies such as `runAsNonRoot` can check it."
            );
            let span = inst.value_spans.first().copied().unwrap_or(inst.span);
            out.push(cx.finding(&META, span, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analyze;

    fn flagged(text: &str) -> bool {
        analyze(text).findings.iter().any(|f| f.rule == "DD021")
    }

    #[test]
    fn variables_are_judged_as_they_resolve() {
        assert!(flagged("FROM a:1\nARG user=app\nUSER $user\n"));
        assert!(flagged("FROM a:1\nENV U=app\nUSER ${U}:100\n"));
        assert!(!flagged("FROM a:1\nARG uid=10001\nUSER ${uid}\n"));
        assert!(flagged("FROM a:1\nUSER $NB_UID\n"));
        assert!(flagged("FROM a:1\nUSER app\n"));
    }
}
