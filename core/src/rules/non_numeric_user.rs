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
    docs: RuleDocs {
        what_it_does: "Flags a `USER` whose user part (before an optional `:group`) is a name \
            rather than a number, e.g. `USER app` instead of `USER 10001`. Values built from \
            variables are judged as written.",
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
    },
};

impl Rule for NonNumericUser {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in cx.file.instructions.iter().filter(|i| i.is("USER")) {
            let Some(value) = inst.value.first() else {
                continue;
            };
            let user = value.split(':').next().unwrap_or(value).trim();
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
