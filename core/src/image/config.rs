//! The image configuration (`config` of the OCI/Docker image config JSON),
//! read leniently: a missing or mistyped field is absent, never an error.
//! And the history turned back into an approximate Dockerfile.

use serde_json::Value;

/// What the checks need of an image config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageConfig {
    pub user: String,
    pub env: Vec<String>,
    pub labels: Vec<(String, String)>,
    pub exposed_ports: Vec<String>,
    pub volumes: Vec<String>,
    /// The HEALTHCHECK test, when one is set (`["NONE"]` disables it).
    pub healthcheck: Option<Vec<String>>,
    pub history: Vec<History>,
    pub diff_ids: Vec<String>,
    pub os: Option<String>,
    pub architecture: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub created_by: String,
    pub empty_layer: bool,
}

fn str_of(v: Option<&Value>) -> String {
    v.and_then(Value::as_str).unwrap_or_default().to_string()
}

fn keys(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The strings of a JSON array (others skipped); empty if not an array.
pub fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

impl ImageConfig {
    pub fn from_json(v: &Value) -> ImageConfig {
        // Old Docker configs also carry `container_config` (the build
        // container's); the image's own is `config`.
        let c = v.get("config");
        ImageConfig {
            user: str_of(c.and_then(|c| c.get("User"))),
            env: strings(c.and_then(|c| c.get("Env"))),
            labels: c
                .and_then(|c| c.get("Labels"))
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            exposed_ports: keys(c.and_then(|c| c.get("ExposedPorts"))),
            volumes: keys(c.and_then(|c| c.get("Volumes"))),
            healthcheck: c
                .and_then(|c| c.get("Healthcheck"))
                .filter(|h| !h.is_null())
                .map(|h| strings(h.get("Test"))),
            history: v
                .get("history")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|h| History {
                            created_by: str_of(h.get("created_by")),
                            empty_layer: h
                                .get("empty_layer")
                                .and_then(Value::as_bool)
                                .unwrap_or(false),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            diff_ids: strings(v.pointer("/rootfs/diff_ids")),
            os: v.get("os").and_then(Value::as_str).map(str::to_string),
            architecture: v
                .get("architecture")
                .and_then(Value::as_str)
                .map(str::to_string),
        }
    }

    /// The `created_by` of each layer: history entries marked `empty_layer`
    /// are skipped when pairing.
    pub fn layer_history(&self) -> Vec<&str> {
        self.history
            .iter()
            .filter(|h| !h.empty_layer)
            .map(|h| h.created_by.as_str())
            .collect()
    }
}

const KEYWORDS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// One history line as a Dockerfile instruction, or `None` when empty.
///
/// Classic builder: `/bin/sh -c #(nop)  CMD ["sh"]` (metadata) and
/// `/bin/sh -c apt-get …` (a RUN), with `|2 A=1 B=2 /bin/sh -c …` when build
/// args were in use. BuildKit: `RUN /bin/sh -c apk add … # buildkit`,
/// `COPY . . # buildkit`, `EXPOSE map[8080/tcp:{}]`. Anything else (umoci,
/// kaniko) is taken as written when it starts with a keyword, else as a RUN.
pub fn instruction(created_by: &str) -> Option<String> {
    let mut text = created_by.trim();
    text = text.strip_suffix("# buildkit").unwrap_or(text).trim_end();
    if let Some(rest) = text.strip_prefix('|') {
        // `|N K=V … cmd`: drop the build-arg prefix.
        let mut words = rest.splitn(2, ' ');
        let count: usize = words.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        let mut rest = words.next().unwrap_or_default();
        for _ in 0..count {
            rest = rest.split_once(' ').map_or("", |(_, r)| r);
        }
        text = rest.trim();
    }
    let run_prefixes = ["/bin/sh -c ", "/bin/bash -c ", "sh -c "];
    for prefix in run_prefixes {
        if let Some(rest) = text.strip_prefix(prefix) {
            let rest = rest.trim();
            if let Some(meta) = rest.strip_prefix("#(nop)") {
                return keyword_line(meta.trim());
            }
            return Some(format!("RUN {}", continued(rest)));
        }
    }
    if let Some(rest) = text.strip_prefix("RUN ") {
        for prefix in run_prefixes {
            if let Some(cmd) = rest.trim().strip_prefix(prefix) {
                return Some(format!("RUN {}", continued(cmd.trim())));
            }
        }
    }
    if text.is_empty() {
        return None;
    }
    keyword_line(text).or_else(|| Some(format!("RUN {}", continued(text))))
}

/// A line that starts with an instruction keyword, normalised; `None` if
/// it does not.
fn keyword_line(text: &str) -> Option<String> {
    let word = text.split_whitespace().next()?;
    let upper = word.to_ascii_uppercase();
    if !KEYWORDS.contains(&upper.as_str()) {
        return None;
    }
    let rest = text.get(word.len()..).unwrap_or_default().trim();
    if upper == "EXPOSE"
        && let Some(inner) = rest.strip_prefix("map[").and_then(|r| r.strip_suffix(']'))
    {
        let ports: Vec<&str> = inner
            .split_whitespace()
            .map(|p| p.trim_end_matches(":{}"))
            .collect();
        return Some(format!("EXPOSE {}", ports.join(" ")));
    }
    // `ADD file:0123… in /`, `COPY dir:… in /app`: the source is a hash.
    let rest = match (upper.as_str(), rest.split_once(" in ")) {
        ("ADD" | "COPY", Some((src, dst))) if !src.contains("://") => {
            format!("{} {}", src.trim(), dst.trim())
        }
        _ => rest.to_string(),
    };
    Some(format!("{upper} {}", continued(&rest)))
}

/// Multi-line text joined with line continuations.
fn continued(text: &str) -> String {
    text.replace('\n', " \\\n    ")
}

/// The history as an approximate Dockerfile: `FROM scratch` (the base is
/// not recorded), then one instruction per history entry; and for each line
/// of it, the image layer (0-based) its instruction made, if any.
pub fn dockerfile(config: &ImageConfig) -> (String, Vec<Option<usize>>) {
    let mut out =
        String::from("# Reconstructed from the image history; approximate.\nFROM scratch\n");
    let mut lines = vec![None, None];
    let mut layer = 0usize;
    for h in &config.history {
        let made = (!h.empty_layer).then_some(layer);
        if let Some(line) = instruction(&h.created_by) {
            lines.extend(std::iter::repeat_n(made, line.lines().count().max(1)));
            out.push_str(&line);
            out.push('\n');
        }
        if made.is_some() {
            layer += 1;
        }
    }
    (out, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_lines_become_instructions() {
        let cases = [
            ("/bin/sh -c #(nop)  CMD [\"sh\"]", "CMD [\"sh\"]"),
            (
                "/bin/sh -c #(nop) ADD file:abc123 in / ",
                "ADD file:abc123 /",
            ),
            ("/bin/sh -c apt-get update", "RUN apt-get update"),
            ("|1 V=2 /bin/sh -c make", "RUN make"),
            ("RUN /bin/sh -c apk add curl # buildkit", "RUN apk add curl"),
            (
                "EXPOSE map[8080/tcp:{} 22/tcp:{}]",
                "EXPOSE 8080/tcp 22/tcp",
            ),
            ("COPY . . # buildkit", "COPY . ."),
            ("ENV A=b", "ENV A=b"),
            ("curl x | sh", "RUN curl x | sh"),
        ];
        for (given, want) in cases {
            assert_eq!(instruction(given).as_deref(), Some(want), "{given}");
        }
        assert_eq!(instruction("  "), None);
    }
}
