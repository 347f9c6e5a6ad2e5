//! Image reference → release cycles.

use serde::Serialize;

use super::{CYCLES, Cycle, lookup};

/// The release cycles an image reference runs: the image's own product
/// (`python:3.7-slim-buster` → Python 3.7) and the operating system its tag
/// variant names (→ Debian 10 "buster"). For an OS image (`debian:buster`)
/// the OS is the product and `os` is `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Resolved {
    pub product: Option<&'static Cycle>,
    pub os: Option<&'static Cycle>,
}

impl Resolved {
    /// The cycles found, the product's first.
    pub fn cycles(&self) -> impl Iterator<Item = &'static Cycle> {
        self.product.into_iter().chain(self.os)
    }

    /// Nothing was resolved.
    pub fn is_empty(&self) -> bool {
        self.product.is_none() && self.os.is_none()
    }
}

/// How the image's repository maps to an endoflife.date product.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// The tag's leading version (`3.12.1-slim` → `3.12`) names the cycle.
    Version(&'static str),
    /// An OS image: a version or a codename (`buster`, `focal`).
    Os(&'static str),
    /// The repository itself names the cycle (`ubi8/ubi` → RHEL 8).
    Fixed(&'static str, &'static str),
    /// `buildpack-deps`: the tag is a Debian or Ubuntu codename.
    Codename,
}

/// Repository (after [`normalize`]) → product. Docker official images by
/// their library name, plus the vendor repositories of a few products.
fn source(repository: &str) -> Option<Source> {
    use Source::{Fixed, Os, Version};
    let s = match repository {
        "alpine" => Os("alpine-linux"),
        "debian" => Os("debian"),
        "ubuntu" => Os("ubuntu"),
        "centos" | "quay.io/centos/centos" => Os("centos"),
        "fedora" => Os("fedora"),
        "amazonlinux" => Os("amazon-linux"),
        "rockylinux" | "rockylinux/rockylinux" => Os("rocky-linux"),
        "almalinux" => Os("almalinux"),
        "oraclelinux" => Os("oracle-linux"),
        "opensuse/leap" => Os("opensuse"),
        "node" => Version("nodejs"),
        "python" => Version("python"),
        "golang" => Version("go"),
        "eclipse-temurin" => Version("eclipse-temurin"),
        // The deprecated `openjdk` image: judged by its Java release's
        // support window, taken from Temurin's.
        "openjdk" | "adoptopenjdk" | "java" => Version("eclipse-temurin"),
        "buildpack-deps" => Source::Codename,
        "amazoncorretto" => Version("amazon-corretto"),
        "php" => Version("php"),
        "ruby" => Version("ruby"),
        "rust" => Version("rust"),
        "perl" => Version("perl"),
        "elixir" => Version("elixir"),
        "erlang" => Version("erlang"),
        "julia" => Version("julia"),
        "denoland/deno" => Version("deno"),
        "oven/bun" => Version("bun"),
        "nginx" => Version("nginx"),
        "httpd" => Version("apache-http-server"),
        "postgres" => Version("postgresql"),
        "redis" => Version("redis"),
        "valkey/valkey" => Version("valkey"),
        "mysql" => Version("mysql"),
        "mariadb" => Version("mariadb"),
        "mongo" => Version("mongodb"),
        "tomcat" => Version("tomcat"),
        "haproxy" => Version("haproxy"),
        "memcached" => Version("memcached"),
        "rabbitmq" => Version("rabbitmq"),
        "elasticsearch" | "docker.elastic.co/elasticsearch/elasticsearch" => {
            Version("elasticsearch")
        }
        "kibana" | "docker.elastic.co/kibana/kibana" => Version("kibana"),
        "logstash" | "docker.elastic.co/logstash/logstash" => Version("logstash"),
        "solr" => Version("solr"),
        "zookeeper" => Version("zookeeper"),
        "traefik" => Version("traefik"),
        "caddy" => Version("caddy"),
        "wordpress" => Version("wordpress"),
        "drupal" => Version("drupal"),
        "nextcloud" => Version("nextcloud"),
        "gradle" => Version("gradle"),
        "influxdb" => Version("influxdb"),
        "consul" | "hashicorp/consul" => Version("consul"),
        "grafana/grafana" | "grafana/grafana-oss" => Version("grafana"),
        "prom/prometheus" => Version("prometheus"),
        "quay.io/keycloak/keycloak" => Version("keycloak"),
        "jenkins/jenkins" => Version("jenkins"),
        "redhat/ubi8" => Fixed("rhel", "8"),
        "redhat/ubi9" => Fixed("rhel", "9"),
        "redhat/ubi10" => Fixed("rhel", "10"),
        r => return prefixed_source(r),
    };
    Some(s)
}

/// Repositories recognised by a prefix: .NET images on MCR, UBI images on
/// Red Hat's registry, Azul and BellSoft Java images.
fn prefixed_source(repository: &str) -> Option<Source> {
    if repository.starts_with("mcr.microsoft.com/dotnet/") {
        return Some(Source::Version("dotnet"));
    }
    if let Some(rest) = repository
        .strip_prefix("registry.access.redhat.com/")
        .or_else(|| repository.strip_prefix("registry.redhat.io/"))
    {
        let first = rest.split('/').next().unwrap_or_default();
        return match first.split('-').next().unwrap_or_default() {
            "ubi8" => Some(Source::Fixed("rhel", "8")),
            "ubi9" => Some(Source::Fixed("rhel", "9")),
            "ubi10" => Some(Source::Fixed("rhel", "10")),
            _ => None,
        };
    }
    if repository.starts_with("azul/zulu-openjdk") {
        return Some(Source::Version("azul-zulu"));
    }
    if repository.starts_with("bellsoft/liberica-") {
        return Some(Source::Version("bellsoft-liberica"));
    }
    None
}

/// Lower-cases and drops Docker Hub's registry and `library/` prefixes and
/// any `@digest`.
fn normalize(repository: &str) -> String {
    let mut r = repository.trim().to_ascii_lowercase();
    if let Some(at) = r.find('@') {
        r.truncate(at);
    }
    for prefix in [
        "docker.io/",
        "index.docker.io/",
        "registry-1.docker.io/",
        "registry.hub.docker.com/",
        "public.ecr.aws/docker/",
        "library/",
    ] {
        if let Some(rest) = r.strip_prefix(prefix) {
            r = rest.to_string();
        }
    }
    r
}

/// Maps an image reference to its release cycles; see [`Resolved`].
///
/// `repository` as written in `FROM` (`node`, `library/python`,
/// `docker.io/library/debian`, `mcr.microsoft.com/dotnet/aspnet`), `tag`
/// without the `:` (`16-alpine`, `3.7-slim-buster`, `focal`, `8u312-jre`).
/// Moving tags (`latest`, `lts`, `stable`, `3` for Python) name no cycle; a
/// digest-only reference (`sha256:…`) names none; unknown repositories and
/// garbage give an empty [`Resolved`]. Never panics.
pub fn resolve(repository: &str, tag: &str) -> Resolved {
    let tag = tag
        .split('@')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if tag.is_empty() || tag.starts_with("sha256:") {
        return Resolved::default();
    }
    let Some(source) = source(&normalize(repository)) else {
        return Resolved::default();
    };
    let segments: Vec<&str> = tag.split('-').filter(|s| !s.is_empty()).collect();
    let first = segments.first().copied().unwrap_or_default();
    match source {
        Source::Fixed(product, cycle) => Resolved {
            product: lookup(product, cycle),
            os: None,
        },
        Source::Os(product) => Resolved {
            product: os_cycle(product, first).or_else(|| {
                // `centos:centos7`, `centos:stream9`.
                os_segment(first).filter(|c| c.product.starts_with(product))
            }),
            os: None,
        },
        Source::Codename => Resolved {
            product: os_segment(first),
            os: None,
        },
        Source::Version(product) => Resolved {
            product: version_cycle(product, first).or_else(|| {
                (product == "nodejs")
                    .then(|| node_codename(first))
                    .flatten()
            }),
            os: segments.iter().skip(1).find_map(|s| os_segment(s)),
        },
    }
}

/// The cycle of `product` named by the leading version of `word`: its
/// first two numeric components if the data has such a cycle (`3.12.1` →
/// `3.12`), else the first (`16.20.1` → `16`, `8u312` → `8`).
fn version_cycle(product: &str, word: &str) -> Option<&'static Cycle> {
    let numeric: &str = {
        let end = word
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(word.len());
        word.get(..end).unwrap_or_default()
    };
    let mut parts = numeric.split('.').filter(|p| !p.is_empty());
    let major = parts.next()?;
    if let Some(minor) = parts.next()
        && let Some(c) = lookup(product, &format!("{major}.{minor}"))
    {
        return Some(c);
    }
    lookup(product, major)
}

/// Node.js LTS codenames (`node:gallium` is Node 16); endoflife.date's
/// table has no codenames for Node.
fn node_codename(word: &str) -> Option<&'static Cycle> {
    let major = match word {
        "argon" => "4",
        "boron" => "6",
        "carbon" => "8",
        "dubnium" => "10",
        "erbium" => "12",
        "fermium" => "14",
        "gallium" => "16",
        "hydrogen" => "18",
        "iron" => "20",
        "jod" => "22",
        "krypton" => "24",
        _ => return None,
    };
    lookup("nodejs", major)
}

/// An OS image's tag word: a version (`3.12`, `20.04`, `10`) or a codename
/// (`buster`, `focal`).
fn os_cycle(product: &str, word: &str) -> Option<&'static Cycle> {
    version_cycle(product, word).or_else(|| codename_cycle(product, word))
}

/// A Debian or Ubuntu cycle by codename (`buster`; `focal` for "Focal
/// Fossa").
fn codename_cycle(product: &str, word: &str) -> Option<&'static Cycle> {
    if word.len() < 3 {
        return None;
    }
    CYCLES.iter().find(|c| {
        c.product == product
            && c.codename
                .and_then(|n| n.split(' ').next())
                .is_some_and(|n| n.eq_ignore_ascii_case(word))
    })
}

/// The OS cycle a tag segment names: `alpine3.16`, `buster`, `bookworm`,
/// `jammy`, `ubi9`, `centos7`, `stream9`.
fn os_segment(segment: &str) -> Option<&'static Cycle> {
    if let Some(v) = segment.strip_prefix("alpine") {
        return version_cycle("alpine-linux", v);
    }
    if let Some(v) = segment.strip_prefix("ubi") {
        return version_cycle("rhel", v);
    }
    if let Some(v) = segment.strip_prefix("centos") {
        return version_cycle("centos", v);
    }
    if let Some(v) = segment.strip_prefix("stream") {
        return version_cycle("centos-stream", v);
    }
    if let Some(v) = segment.strip_prefix("amazonlinux") {
        return version_cycle("amazon-linux", v);
    }
    if segment.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return codename_cycle("debian", segment).or_else(|| codename_cycle("ubuntu", segment));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::{Date, EolStatus, status};
    use super::*;

    fn cycles(repo: &str, tag: &str) -> Vec<String> {
        resolve(repo, tag)
            .cycles()
            .map(|c| format!("{} {}", c.product, c.cycle))
            .collect()
    }

    #[test]
    fn resolves_products_and_variants() {
        assert_eq!(cycles("node", "16"), ["nodejs 16"]);
        assert_eq!(cycles("node", "16-alpine"), ["nodejs 16"]);
        assert_eq!(
            cycles("node", "20-alpine3.16"),
            ["nodejs 20", "alpine-linux 3.16"]
        );
        assert_eq!(
            cycles("node", "20.11.1-bookworm-slim"),
            ["nodejs 20", "debian 12"]
        );
        assert_eq!(
            cycles("library/python", "3.7-slim-buster"),
            ["python 3.7", "debian 10"]
        );
        assert_eq!(
            cycles("python", "3.12-slim-buster"),
            ["python 3.12", "debian 10"]
        );
        assert_eq!(
            cycles("docker.io/library/python", "3.12.1"),
            ["python 3.12"]
        );
        assert_eq!(cycles("golang", "1.19"), ["go 1.19"]);
        assert_eq!(
            cycles("golang", "1.19-alpine3.16"),
            ["go 1.19", "alpine-linux 3.16"]
        );
        assert_eq!(cycles("debian", "buster"), ["debian 10"]);
        assert_eq!(
            cycles("docker.io/library/debian", "bullseye-slim"),
            ["debian 11"]
        );
        assert_eq!(cycles("debian", "10.13"), ["debian 10"]);
        assert_eq!(cycles("alpine", "3.12"), ["alpine-linux 3.12"]);
        assert_eq!(cycles("alpine", "3.12.1"), ["alpine-linux 3.12"]);
        assert_eq!(cycles("ubuntu", "20.04"), ["ubuntu 20.04"]);
        assert_eq!(cycles("ubuntu", "focal"), ["ubuntu 20.04"]);
        assert_eq!(cycles("ubuntu", "jammy-20240101"), ["ubuntu 22.04"]);
        assert_eq!(cycles("openjdk", "8u312-jre"), ["eclipse-temurin 8"]);
        assert_eq!(
            cycles("eclipse-temurin", "17-jdk-jammy"),
            ["eclipse-temurin 17", "ubuntu 22.04"]
        );
        assert_eq!(
            cycles("eclipse-temurin", "21-ubi9-minimal"),
            ["eclipse-temurin 21", "rhel 9"]
        );
        assert_eq!(
            cycles("php", "8.1-fpm-alpine3.16"),
            ["php 8.1", "alpine-linux 3.16"]
        );
        assert_eq!(cycles("php", "7.4-apache-buster"), ["php 7.4", "debian 10"]);
        assert_eq!(
            cycles("ruby", "2.7-slim-bullseye"),
            ["ruby 2.7", "debian 11"]
        );
        assert_eq!(cycles("nginx", "1.21-alpine"), ["nginx 1.21"]);
        assert_eq!(cycles("postgres", "13-alpine"), ["postgresql 13"]);
        assert_eq!(cycles("postgres", "9.6"), ["postgresql 9.6"]);
        assert_eq!(cycles("redis", "6.2-alpine"), ["redis 6.2"]);
        assert_eq!(cycles("mysql", "5.7"), ["mysql 5.7"]);
        assert_eq!(
            cycles("mcr.microsoft.com/dotnet/aspnet", "6.0"),
            ["dotnet 6"]
        );
        assert_eq!(
            cycles("mcr.microsoft.com/dotnet/sdk", "8.0-alpine3.19"),
            ["dotnet 8", "alpine-linux 3.19"]
        );
        assert_eq!(
            cycles("tomcat", "9.0.80-jdk17-temurin-jammy"),
            ["tomcat 9.0", "ubuntu 22.04"]
        );
        assert_eq!(cycles("centos", "7"), ["centos 7"]);
        assert_eq!(cycles("centos", "centos7"), ["centos 7"]);
        assert_eq!(
            cycles("quay.io/centos/centos", "stream9"),
            ["centos-stream 9"]
        );
        assert_eq!(cycles("amazonlinux", "2"), ["amazon-linux 2"]);
        assert_eq!(
            cycles("amazonlinux", "2023.3.20240219.0"),
            ["amazon-linux 2023"]
        );
        assert_eq!(
            cycles("registry.access.redhat.com/ubi8/ubi-minimal", "8.9"),
            ["rhel 8"]
        );
        assert_eq!(cycles("rockylinux", "9.3-minimal"), ["rocky-linux 9"]);
        assert_eq!(cycles("node", "lts-alpine3.18"), ["alpine-linux 3.18"]);
        assert_eq!(
            cycles("node", "gallium-alpine3.16"),
            ["nodejs 16", "alpine-linux 3.16"]
        );
        assert_eq!(cycles("java", "8-jre"), ["eclipse-temurin 8"]);
        assert_eq!(cycles("buildpack-deps", "stretch"), ["debian 9"]);
        assert_eq!(cycles("buildpack-deps", "focal-scm"), ["ubuntu 20.04"]);
    }

    #[test]
    fn moving_unknown_and_garbage_give_nothing() {
        for (repo, tag) in [
            ("node", "latest"),
            ("node", "lts"),
            ("node", "current-alpine"),
            ("python", "3"),
            ("python", "3-alpine"),
            ("debian", "stable-slim"),
            ("debian", "sid"),
            ("nginx", "mainline"),
            ("alpine", "edge"),
            ("mysql", "8"),
            ("myorg/myapp", "1.2.3"),
            ("", ""),
            ("node", ""),
            ("node", "sha256:0123456789abcdef"),
            ("node@sha256:0123", ""),
            ("node", "@sha256:0123"),
            ("node", "-----"),
            ("node", "...."),
            ("node", "99999999999999999999999"),
            ("node", "é-ü-\u{0}"),
            ("\u{feff}", "\u{10ffff}"),
        ] {
            assert!(resolve(repo, tag).is_empty(), "{repo}:{tag}");
        }
    }

    #[test]
    fn issue_examples_on_2026_11_27() {
        let today = Date::new(2026, 11, 27);
        for (repo, tag) in [
            ("debian", "buster"),
            ("alpine", "3.12"),
            ("node", "16"),
            ("python", "3.7"),
            ("golang", "1.19"),
        ] {
            let c = resolve(repo, tag).product.unwrap();
            assert!(
                matches!(
                    status(c, today, 90),
                    EolStatus::EndOfLife { since: Some(_) }
                ),
                "{repo}:{tag}"
            );
        }
        for (repo, tag) in [("node", "22"), ("python", "3.13"), ("alpine", "3.22")] {
            let c = resolve(repo, tag).product.unwrap();
            assert_eq!(status(c, today, 90), EolStatus::Supported, "{repo}:{tag}");
        }
        // python 3.12 on buster: the runtime is fine, the OS is not.
        let r = resolve("python", "3.12-slim-buster");
        assert_eq!(status(r.product.unwrap(), today, 90), EolStatus::Supported);
        assert!(matches!(
            status(r.os.unwrap(), today, 90),
            EolStatus::EndOfLife { .. }
        ));
        // Right before an end of life: alpine 3.21 ends on 2026-11-01.
        let c = resolve("alpine", "3.21").product.unwrap();
        assert_eq!(
            status(c, Date::new(2026, 10, 25), 90),
            EolStatus::EndingSoon {
                days: 7,
                on: Date::new(2026, 11, 1)
            }
        );
    }

    #[test]
    fn random_input_never_panics() {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = b"0123456789.-abcdefghijklmnopqrstuvwxyz/@:_\xc3\xa9";
        for _ in 0..5000 {
            let make = |n: u64| {
                let len = (n % 24) as usize;
                let bytes: Vec<u8> = (0..len)
                    .map(|i| alphabet[((n >> (i % 32)) as usize + i * 7) % alphabet.len()])
                    .collect();
                String::from_utf8_lossy(&bytes).into_owned()
            };
            let repo =
                ["node", "python", "debian", "alpine", "golang", "ubuntu"][(next() % 6) as usize];
            let tag = make(next());
            let _ = resolve(repo, &tag);
            let _ = resolve(&make(next()), &tag);
        }
    }
}
