use crate::diagnostic::{Finding, Severity, Span};
use crate::rules::scope;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A remote-access, debug or data-store port in `EXPOSE`.
#[derive(Debug)]
pub struct SensitivePort;

static META: RuleMeta = RuleMeta {
    id: "DD106",
    name: "sensitive-port-exposed",
    severity: Severity::Medium,
    category: Category::Security,
    aliases: &["DS004", "CKV_DOCKER_1"],
    summary: "The image exposes a remote-access, debugger or data-store port",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Checks every port of every `EXPOSE` in the final stage (and the stages it \
        is built `FROM`) — all ports on the line, `/tcp` and `/udp`, ranges, and `$VARS` the \
        stage defines — and reports each sensitive one with its own span. Remote access and \
        debuggers (22 SSH, 23 telnet, 21 FTP, 3389 RDP, 5900 VNC, 2375/2376 Docker daemon, \
        9229 Node.js inspector, 5005 Java debug wire, 10250 kubelet) are medium. Data stores \
        (6379 Redis, 27017 MongoDB, 3306 MySQL, 5432 PostgreSQL, 9200 Elasticsearch, 11211 \
        memcached, 1433 SQL Server, 5984 CouchDB, 2379 etcd) are low, and not reported when \
        the image is that server: built on its image (`FROM postgres` exposing 5432) or \
        naming it in a `RUN`, `CMD` or `ENTRYPOINT` (`apt-get install mongodb-org`). A \
        range is one finding naming the sensitive ports in it.",
    why_it_matters: "`EXPOSE` documents what the container serves, and `docker run -P`, \
        compose files and platforms publish exactly those ports. A shell, remote desktop, \
        Docker API or debugger port gives whoever reaches it control of the container (the \
        Node inspector and JDWP run arbitrary code without a password); a database port next \
        to an application usually means a store that should live in its own container, \
        reachable only on an internal network.",
    bad_example: "FROM node:22-slim\nUSER node\nEXPOSE 3000 9229\n",
    good_example: "FROM node:22-slim\nUSER node\nEXPOSE 3000/tcp 8080\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#expose",
        "https://nodejs.org/en/learn/getting-started/security-best-practices#debug-protocol-cwe-5-cwe-668",
        "https://docs.docker.com/engine/security/protect-access/",
    ],
};

/// Port, what listens there, and for a data store the words that show the
/// image *is* that server (in its base image's name or its RUN, CMD or
/// ENTRYPOINT lines).
struct Port {
    port: u16,
    what: &'static str,
    data_store: &'static [&'static str],
}

const fn access(port: u16, what: &'static str) -> Port {
    Port {
        port,
        what,
        data_store: &[],
    }
}

const fn store(port: u16, what: &'static str, images: &'static [&'static str]) -> Port {
    Port {
        port,
        what,
        data_store: images,
    }
}

const PORTS: &[Port] = &[
    access(21, "FTP, clear-text logins"),
    access(22, "SSH"),
    access(23, "telnet, clear-text logins"),
    access(2375, "the Docker daemon API without TLS, root on the host"),
    access(2376, "the Docker daemon API, root on the host"),
    access(3389, "RDP remote desktop"),
    access(
        5005,
        "the Java debug wire protocol, which runs arbitrary code",
    ),
    access(5900, "VNC remote desktop"),
    access(9229, "the Node.js inspector, which runs arbitrary code"),
    access(10250, "the kubelet API"),
    store(1433, "SQL Server", &["mssql", "sql-server", "sqlservr"]),
    store(2379, "etcd", &["etcd"]),
    store(3306, "MySQL/MariaDB", &["mysql", "mariadb", "percona"]),
    store(5432, "PostgreSQL", &["postgres", "postgis", "timescale"]),
    store(5984, "CouchDB", &["couchdb"]),
    store(6379, "Redis", &["redis", "valkey", "keydb"]),
    store(9200, "Elasticsearch", &["elasticsearch", "opensearch"]),
    store(11211, "memcached", &["memcached"]),
    store(27017, "MongoDB", &["mongo"]),
];

/// What listens on `port` when it is a remote-access or debug port (not a
/// data store's, which a database image exposes by design); the image
/// analysis judges an image's exposed ports with it.
pub(crate) fn remote_access(port: u16) -> Option<&'static str> {
    PORTS
        .iter()
        .find(|p| p.port == port && p.data_store.is_empty())
        .map(|p| p.what)
}

/// Peer rules only cover SSH.
const SSH_PEERS: &[&str] = &["DS004", "CKV_DOCKER_1"];

impl Rule for SensitivePort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let chain = scope::final_chain(cx.model);
        let Some(root) = cx.model.final_stage().map(|s| cx.model.root_stage(s)) else {
            return;
        };
        let base = root.base_image.repository.to_ascii_lowercase();
        // What the final image runs and installs, to recognise a data
        // store's own image.
        let runs: String = scope::instructions(cx, |s| chain.contains(&s))
            .filter(|(_, i)| i.is("RUN") || i.is("CMD") || i.is("ENTRYPOINT"))
            .map(|(_, i)| i.original.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join("\n");
        for (i, inst) in scope::instructions(cx, |s| chain.contains(&s)) {
            if !inst.is("EXPOSE") {
                continue;
            }
            let stage = scope::stage_of(cx.model, i);
            for (k, word) in inst.value.iter().enumerate() {
                let value = match (word.contains('$'), stage) {
                    (true, Some(stage)) => expand(cx, stage.vars, word),
                    _ => word.clone(),
                };
                let Some((low, high)) = port_range(&value) else {
                    continue;
                };
                let hits: Vec<&Port> = PORTS
                    .iter()
                    .filter(|p| (low..=high).contains(&p.port))
                    .filter(|p| {
                        !p.data_store
                            .iter()
                            .any(|w| base.contains(w) || runs.contains(w))
                    })
                    .collect();
                let [first, ..] = hits.as_slice() else {
                    continue;
                };
                let span = inst.value_spans.get(k).copied().unwrap_or(inst.span);
                out.push(finding(cx, span, word, &hits, first));
            }
        }
    }
}

fn finding(cx: &Context<'_>, span: Span, word: &str, hits: &[&Port], first: &Port) -> Finding {
    let remote = hits.iter().any(|p| p.data_store.is_empty());
    let message = if let [only] = hits {
        if only.data_store.is_empty() {
            format!(
                "`EXPOSE {word}` publishes port {}: {}. Do not expose it from the image; use \
                 `docker exec`/`kubectl exec` or a debug-only configuration.",
                only.port, only.what
            )
        } else {
            format!(
                "`EXPOSE {word}` publishes port {}, {}, from an image that does not look like \
                 that server. Run the data store in its own container and keep its port on an \
                 internal network.",
                only.port, only.what
            )
        }
    } else {
        let list: Vec<String> = hits
            .iter()
            .map(|p| {
                format!(
                    "{} ({})",
                    p.port,
                    p.what.split(',').next().unwrap_or(p.what)
                )
            })
            .collect();
        format!(
            "`EXPOSE {word}` includes sensitive ports: {}. Expose only the ports the \
             application serves.",
            list.join(", ")
        )
    };
    let mut f = cx.finding(&META, span, message);
    if !remote {
        f.severity = Severity::Low;
    }
    f.aliases = if hits.iter().any(|p| p.port == 22) || first.port == 22 {
        SSH_PEERS
    } else {
        &[]
    };
    f
}

/// `$PORT`/`${PORT}` from the stage's variables (a whole-word reference).
fn expand(cx: &Context<'_>, scope: crate::model::Scope, word: &str) -> String {
    let (name, rest) = match word.strip_prefix("${") {
        Some(r) => match r.split_once('}') {
            Some((n, rest)) => (n, rest),
            None => return word.to_string(),
        },
        None => {
            let r = word.strip_prefix('$').unwrap_or(word);
            let end = r
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(r.len());
            (
                r.get(..end).unwrap_or_default(),
                r.get(end..).unwrap_or_default(),
            )
        }
    };
    match cx.model.var(scope, name) {
        Some(v) => format!("{v}{rest}"),
        None => word.to_string(),
    }
}

/// `22`, `22/tcp`, `8000-8010/udp` → the inclusive range.
fn port_range(word: &str) -> Option<(u16, u16)> {
    let ports = word.split('/').next().unwrap_or_default();
    match ports.split_once('-') {
        Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
        None => {
            let p = ports.trim().parse().ok()?;
            Some((p, p))
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analyze;

    fn found(text: &str) -> Vec<(String, crate::Severity)> {
        analyze(text)
            .findings
            .iter()
            .filter(|f| f.rule == "DD106")
            .map(|f| (text[f.span.start..f.span.end].to_string(), f.severity))
            .collect()
    }

    fn spans(text: &str) -> Vec<String> {
        found(text).into_iter().map(|(s, _)| s).collect()
    }

    #[test]
    fn every_port_on_every_line() {
        assert_eq!(
            spans("FROM a:1\nEXPOSE 3000 8080 9229 22\nEXPOSE 22/tcp 5900/udp\n"),
            ["9229", "22", "22/tcp", "5900/udp"]
        );
        assert_eq!(spans("FROM a:1\nEXPOSE 20-25\n"), ["20-25"]);
        assert_eq!(
            spans("FROM a:1\nENV DBG=9229\nEXPOSE $DBG ${DBG}/tcp\n"),
            ["$DBG", "${DBG}/tcp"]
        );
        let a = analyze("FROM a:1\nEXPOSE 22 6379\n");
        let f: Vec<_> = a.findings.iter().filter(|f| f.rule == "DD106").collect();
        assert_eq!(f[0].aliases, ["DS004", "CKV_DOCKER_1"]);
        assert_eq!(f[1].aliases, [] as [&str; 0]);
        assert_eq!(f[1].severity, crate::Severity::Low);
        assert_eq!(f[0].severity, crate::Severity::Medium);
    }

    #[test]
    fn data_store_images_build_stages_and_plain_ports() {
        for text in [
            "FROM postgres:16\nEXPOSE 5432\n",
            "FROM redis:7-alpine AS base\nFROM base\nEXPOSE 6379\n",
            "FROM a:1 AS build\nEXPOSE 22\nFROM b:1\n",
            "FROM a:1\nEXPOSE 80 443 8080/tcp 3000-3010 ${UNSET}\n",
            "FROM ubuntu:22.04\nRUN apt-get install -y mongodb-org\nEXPOSE 27017\n",
        ] {
            assert_eq!(spans(text), [] as [String; 0], "{text}");
        }
    }
}
