//! Image references: `[registry/]repository[:tag][@digest]`, split as
//! written, with Docker's normalization (`docker.io`, `library/`, `latest`)
//! available as accessors.

use serde::Serialize;

/// The registry an image without one comes from.
pub const DEFAULT_REGISTRY: &str = "docker.io";

/// An image reference split into its parts, as written: `node:20` has no
/// registry and the repository `node`; [`ImageRef::registry_or_default`]
/// and [`ImageRef::normalized_repository`] give `docker.io` and
/// `library/node`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    pub registry: Option<String>,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Splits a reference the way `distribution/reference` does, without
    /// judging it ([`ImageRef::validate`] does). `scratch` and stage names
    /// are references too; the caller decides what they mean.
    pub fn parse(reference: &str) -> ImageRef {
        let (rest, digest) = match reference.split_once('@') {
            Some((rest, digest)) => (rest, Some(digest.to_string())),
            None => (reference, None),
        };
        // A tag is after the last ':' that follows the last '/'.
        let name_start = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest.get(name_start..).and_then(|n| n.rfind(':')) {
            Some(i) => {
                let at = name_start + i;
                (
                    rest.get(..at).unwrap_or_default(),
                    Some(rest.get(at + 1..).unwrap_or_default().to_string()),
                )
            }
            None => (rest, None),
        };
        // The first component is a registry if it looks like a host
        // (`splitDockerDomain`: a dot, a port, `localhost`, or upper case).
        let (registry, repository) = match name.split_once('/') {
            Some((first, path))
                if first.contains(['.', ':'])
                    || first == "localhost"
                    || first.chars().any(|c| c.is_ascii_uppercase()) =>
            {
                (Some(first.to_string()), path.to_string())
            }
            _ => (None, name.to_string()),
        };
        ImageRef {
            registry,
            repository,
            tag,
            digest,
        }
    }

    /// The registry, `docker.io` when none is written (`index.docker.io`
    /// is `docker.io` too).
    pub fn registry_or_default(&self) -> &str {
        match self.registry.as_deref() {
            None | Some("index.docker.io") => DEFAULT_REGISTRY,
            Some(r) => r,
        }
    }

    /// Whether the image comes from Docker Hub.
    pub fn is_docker_hub(&self) -> bool {
        self.registry_or_default() == DEFAULT_REGISTRY
    }

    /// The repository with Docker Hub's `library/` prefix for official
    /// images (`node` → `library/node`).
    pub fn normalized_repository(&self) -> String {
        if self.is_docker_hub() && !self.repository.contains('/') {
            format!("library/{}", self.repository)
        } else {
            self.repository.clone()
        }
    }

    /// The tag Docker uses: the written one, or `latest` when there is
    /// neither tag nor digest.
    pub fn tag_or_default(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    /// The fully qualified reference (`docker.io/library/node:latest`).
    pub fn normalized(&self) -> String {
        let mut s = format!(
            "{}/{}",
            self.registry_or_default(),
            self.normalized_repository()
        );
        if let Some(t) = self.tag_or_default() {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }

    /// Why `distribution/reference` would reject this reference, if it
    /// would: an empty or upper-case repository, a malformed tag or digest.
    pub fn validate(&self) -> Result<(), String> {
        let repo = &self.repository;
        if repo.is_empty() {
            return Err("invalid reference format: empty repository".into());
        }
        if repo.chars().any(|c| c.is_ascii_uppercase()) {
            return Err("invalid reference format: repository name must be lowercase".into());
        }
        let component_ok = |c: &str| {
            !c.is_empty()
                && c.starts_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
                && c.ends_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
                && c.chars().all(|ch| {
                    ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '.' | '_' | '-')
                })
        };
        if !repo.split('/').all(component_ok) {
            return Err("invalid reference format".into());
        }
        if let Some(tag) = &self.tag {
            let ok = !tag.is_empty()
                && tag.len() <= 128
                && tag.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                && tag
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
            if !ok {
                return Err("invalid reference format: bad tag".into());
            }
        }
        if let Some(digest) = &self.digest {
            let ok = digest.split_once(':').is_some_and(|(alg, hex)| {
                !alg.is_empty() && hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
            });
            if !ok {
                return Err("invalid reference format: bad digest".into());
            }
        }
        if let Some(r) = &self.registry
            && (r.is_empty() || r.contains(char::is_whitespace))
        {
            return Err("invalid reference format: bad registry".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(r: &str) -> (Option<String>, String, Option<String>, Option<String>) {
        let i = ImageRef::parse(r);
        (i.registry, i.repository, i.tag, i.digest)
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn references_split_as_written() {
        assert_eq!(parts("alpine"), (None, "alpine".into(), None, None));
        assert_eq!(
            parts("golang:1.21-alpine"),
            (None, "golang".into(), s("1.21-alpine"), None)
        );
        assert_eq!(
            parts("gcr.io/distroless/static:nonroot"),
            (s("gcr.io"), "distroless/static".into(), s("nonroot"), None)
        );
        assert_eq!(
            parts("localhost:5000/app@sha256:abc"),
            (s("localhost:5000"), "app".into(), None, s("sha256:abc"))
        );
        assert_eq!(
            parts("library/node:20"),
            (None, "library/node".into(), s("20"), None)
        );
        assert_eq!(
            parts("Foo/bar"),
            (s("Foo"), "bar".into(), None, None),
            "upper case marks a domain"
        );
    }

    #[test]
    fn normalized_accessors() {
        let node = ImageRef::parse("node");
        assert_eq!(node.registry_or_default(), "docker.io");
        assert_eq!(node.normalized_repository(), "library/node");
        assert_eq!(node.normalized(), "docker.io/library/node:latest");
        let user = ImageRef::parse("bitnami/redis:7");
        assert_eq!(user.normalized(), "docker.io/bitnami/redis:7");
        let ghcr = ImageRef::parse("ghcr.io/o/r@sha256:00");
        assert_eq!(ghcr.tag_or_default(), None);
        assert_eq!(ghcr.normalized(), "ghcr.io/o/r@sha256:00");
        assert!(ImageRef::parse("index.docker.io/nginx").is_docker_hub());
    }

    #[test]
    fn validation() {
        assert!(ImageRef::parse("node:20").validate().is_ok());
        assert!(ImageRef::parse("Build").validate().is_err());
        assert!(ImageRef::parse("node:").validate().is_err());
        assert!(ImageRef::parse("").validate().is_err());
        assert!(ImageRef::parse("a@sha256:xyz").validate().is_err());
        let d = format!("a@sha256:{}", "0".repeat(64));
        assert!(ImageRef::parse(&d).validate().is_ok());
    }
}
