use crate::diagnostic::{Finding, Severity};
use crate::model::BaseKind;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A base image from a registry outside the configured trusted ones.
#[derive(Debug)]
pub struct UntrustedRegistry;

static META: RuleMeta = RuleMeta {
    id: "DD060",
    name: "untrusted-registry",
    severity: Severity::High,
    category: Category::SupplyChain,
    aliases: &["DL3026"],
    summary: "Base image from a registry the configuration does not trust",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Only with a registry policy configured (`trustedRegistries` in \
        `.drydock.yaml` or `.hadolint.yaml`, or the web settings): flags each `FROM` of an \
        external image, in the stages the target needs, whose registry is not in the list. \
        Entries are host names (`docker.io`, `ghcr.io`), `*.` wildcards (`*.gcr.io` \
        matches `eu.gcr.io`) or `*` (everything). Images without a registry are Docker \
        Hub's (`docker.io`); `scratch` and stages are not images. The examples assume \
        `trustedRegistries: [docker.io]`.",
    why_it_matters: "Organisations allow base images only from registries they mirror, \
        scan or sign. A `FROM` pointing elsewhere bypasses that review: the image, and \
        whoever controls that registry, end up in production. Severity high: it breaks a \
        policy the team set on purpose.",
    bad_example: "FROM quay.io/prometheus/busybox:glibc\nUSER nobody\n",
    good_example: "FROM busybox:1.37-glibc\nUSER nobody\n",
    references: &[
        "https://docs.docker.com/docker-hub/image-library/mirror/",
        "https://docs.docker.com/reference/dockerfile/#from",
    ],
};

/// The trusted registries the docs examples are judged with.
pub const EXAMPLE_TRUSTED: &[&str] = &["docker.io"];

impl Rule for UntrustedRegistry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let trusted = &cx.options.trusted_registries;
        if trusted.is_empty() {
            return;
        }
        for stage in cx.model.stages.iter().filter(|s| s.reachable) {
            if stage.base_kind != BaseKind::Image {
                continue;
            }
            let registry = stage.base_image.registry_or_default();
            if trusted.iter().any(|t| allows(t, registry)) {
                continue;
            }
            let message = format!(
                "`{}` comes from `{registry}`, which is not a trusted registry ({}). Use an \
                 image from a trusted registry, or add `{registry}` to `trustedRegistries`.",
                stage.base_resolved,
                trusted
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            out.push(cx.finding(&META, stage.base_span, message));
        }
    }
}

/// Whether the trusted-registry entry `pattern` allows `registry`:
/// `*`, an exact host (case-insensitive), or `*.suffix` for any subdomain.
fn allows(pattern: &str, registry: &str) -> bool {
    let pattern = pattern.trim();
    if pattern == "*" || pattern.eq_ignore_ascii_case(registry) {
        return true;
    }
    // `index.docker.io` is Docker Hub too.
    if pattern.eq_ignore_ascii_case("index.docker.io") && registry == "docker.io" {
        return true;
    }
    pattern.strip_prefix("*.").is_some_and(|suffix| {
        registry.len() > suffix.len()
            && registry
                .get(
                    registry
                        .len()
                        .saturating_sub(suffix.len())
                        .saturating_sub(1)..,
                )
                .is_some_and(|tail| {
                    tail.strip_prefix('.')
                        .is_some_and(|t| t.eq_ignore_ascii_case(suffix))
                })
    })
}

#[cfg(test)]
mod tests {
    use super::allows;
    use crate::{AnalysisOptions, analyze, analyze_with};

    fn lines(text: &str, trusted: &[&str]) -> Vec<usize> {
        let options = AnalysisOptions::default()
            .with_trusted_registries(trusted.iter().map(|t| t.to_string()).collect());
        analyze_with(text, &options)
            .findings
            .iter()
            .filter(|f| f.rule == "DD060")
            .map(|f| f.line)
            .collect()
    }

    #[test]
    fn patterns() {
        assert!(allows("*", "quay.io"));
        assert!(allows("Docker.io", "docker.io"));
        assert!(allows("index.docker.io", "docker.io"));
        assert!(allows("*.gcr.io", "eu.gcr.io"));
        assert!(!allows("*.gcr.io", "gcr.io"));
        assert!(!allows("*.gcr.io", "evilgcr.io"));
        assert!(!allows("gcr.io", "eu.gcr.io"));
        assert!(!allows("", "docker.io"));
    }

    #[test]
    fn off_without_a_policy() {
        let text = "FROM quay.io/a/b:1\n";
        assert!(analyze(text).findings.iter().all(|f| f.rule != "DD060"));
        assert!(lines(text, &[]).is_empty());
    }

    #[test]
    fn judges_the_images_the_target_needs() {
        let text = "ARG REG=ghcr.io\nFROM $REG/a/b:1 AS build\nFROM node:22 AS unused\nFROM scratch\nCOPY --from=build /x /x\n";
        assert_eq!(lines(text, &["docker.io"]), [2]);
        assert!(lines(text, &["ghcr.io"]).is_empty());
        assert_eq!(lines("FROM node:22\n", &["*.gcr.io"]), [1]);
    }
}
