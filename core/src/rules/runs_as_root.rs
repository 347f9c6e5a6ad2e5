use crate::diagnostic::{Finding, Severity};
use crate::model::{BaseKind, Stage};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// The final stage runs as root.
#[derive(Debug)]
pub struct RunsAsRoot;

static META: RuleMeta = RuleMeta {
    id: "DD002",
    name: "runs-as-root",
    severity: Severity::High,
    category: Category::Security,
    aliases: &[
        "DL3002",
        "DS002",
        "CKV_DOCKER_3",
        "CKV_DOCKER_8",
        "CIS-DI-0001",
    ],
    summary: "The image runs as root",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a final stage that never switches to a non-root `USER`, or whose last \
        `USER` is `root` or uid 0. Build stages may use root; only the image that ships is judged.",
    why_it_matters: "A process running as root inside a container is root on the container's \
        filesystem and one kernel or runtime bug away from root on the host. Running as an \
        unprivileged user limits what an attacker who takes over the process can do.",
    bad_example: "FROM python:3.12-slim\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n",
    good_example: "FROM python:3.12-slim\nRUN useradd --system app\nCOPY app.py /app/\nUSER app\nCMD [\"python\", \"/app/app.py\"]\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#user",
        "https://docs.docker.com/build/building/best-practices/#user",
    ],
};

/// Peer ids for a last `USER` that is root (hadolint judges only this case).
const EXPLICIT_ROOT: &[&str] = &["DL3002", "DS002", "CKV_DOCKER_8"];
/// Peer ids for a final stage that never sets `USER`.
const NO_USER: &[&str] = &["DS002", "CKV_DOCKER_3", "CIS-DI-0001"];

impl Rule for RunsAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(last) = cx.model.final_stage() else {
            return;
        };
        let instructions = &cx.file.instructions;
        // The USER in effect, inherited through `FROM <stage>` chains.
        match &last.user {
            Some(user) => {
                let name = user.value.split(':').next().unwrap_or_default();
                if name == "root" || name == "0" {
                    let Some(inst) = instructions.get(user.instruction) else {
                        return;
                    };
                    let message = format!(
                        "The image runs as `{name}`: the last `USER` of the final stage is root. \
                         Switch to an unprivileged user (e.g. `USER 65532` or a user you create)."
                    );
                    out.push(cx.finding_for(&META, EXPLICIT_ROOT, inst.span, message));
                }
            }
            None if starts_non_root(cx, last) => {}
            None => {
                let Some(from) = instructions.get(last.from) else {
                    return;
                };
                let message = "The final stage never sets `USER`, so the container runs as root. \
                     Add `USER <name or uid>` after installing packages."
                    .to_string();
                out.push(cx.finding_for(&META, NO_USER, from.span, message));
            }
        }
    }
}

/// Base images whose default user is not root.
fn starts_non_root(cx: &Context<'_>, stage: &Stage) -> bool {
    let root = cx.model.root_stage(stage);
    let image = &root.base_image;
    let tag = image.tag.as_deref().unwrap_or_default();
    root.base_kind == BaseKind::Image
        && image.repository.starts_with("distroless/")
        && (tag == "nonroot" || tag.ends_with("-nonroot"))
}

#[cfg(test)]
mod tests {
    use crate::analyze;

    fn flagged(text: &str) -> Vec<usize> {
        analyze(text)
            .findings
            .iter()
            .filter(|f| f.rule == "DD002")
            .map(|f| f.line)
            .collect()
    }

    #[test]
    fn judges_only_the_final_stage() {
        assert_eq!(
            flagged("FROM golang:1.22 AS b\nRUN make\nFROM alpine:3.20\nUSER 1000\n"),
            [] as [usize; 0]
        );
        assert_eq!(
            flagged("FROM golang:1.22 AS b\nUSER app\nFROM alpine:3.20\n"),
            [3]
        );
    }

    #[test]
    fn root_user_is_flagged_at_the_user_line() {
        assert_eq!(flagged("FROM alpine:3.20\nUSER app\nUSER root:root\n"), [3]);
        assert_eq!(flagged("FROM alpine:3.20\nUSER 0\n"), [2]);
    }

    #[test]
    fn user_is_inherited_from_a_parent_stage_and_distroless_nonroot() {
        assert_eq!(
            flagged("FROM alpine:3.20 AS base\nUSER app\nFROM base\n"),
            [] as [usize; 0]
        );
        assert_eq!(
            flagged("FROM gcr.io/distroless/static:nonroot\n"),
            [] as [usize; 0]
        );
        assert_eq!(flagged("FROM gcr.io/distroless/static\n"), [1]);
    }

    #[test]
    fn user_is_resolved_through_variables() {
        assert_eq!(flagged("FROM alpine:3.20\nARG U=root\nUSER $U\n"), [3]);
        assert_eq!(
            flagged("FROM alpine:3.20\nENV APP_USER=app\nUSER ${APP_USER}\n"),
            [] as [usize; 0]
        );
        assert_eq!(
            flagged("FROM alpine:3.20 AS base\nUSER root\nFROM base\n"),
            [2]
        );
    }
}
