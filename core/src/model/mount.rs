//! `RUN --mount=…` option lists (BuildKit's `instructions.parseMount`):
//! comma-separated `key=value` fields, CSV quoting, keys case-insensitive.

use serde::Serialize;

/// The kind of a `--mount`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MountType {
    /// The default.
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
    /// An unknown `type=` value (BuildKit rejects it).
    Other(String),
}

/// One `--mount` of a RUN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mount {
    pub kind: MountType,
    /// `from=` (a stage name, index or image), variables expanded.
    pub from: Option<String>,
    /// `source=` / `src=`.
    pub source: Option<String>,
    /// `target=` / `dst=` / `destination=`.
    pub target: Option<String>,
    /// `id=` (cache, secret, ssh).
    pub id: Option<String>,
    /// `env=` (secret as an environment variable).
    pub env: Option<String>,
    /// Every field as `(lower-cased key, value)`; a bare word like
    /// `readonly` has value `None`.
    pub options: Vec<(String, Option<String>)>,
}

impl Mount {
    /// Parses the value of a `--mount` flag; `expand` is applied to every
    /// value (BuildKit expands them with the stage's variables).
    pub fn parse(value: &str, expand: &dyn Fn(&str) -> String) -> Mount {
        let mut m = Mount {
            kind: MountType::Bind,
            from: None,
            source: None,
            target: None,
            id: None,
            env: None,
            options: Vec::new(),
        };
        for field in csv_fields(value) {
            let (key, val) = match field.split_once('=') {
                Some((k, v)) => (k.trim().to_ascii_lowercase(), Some(expand(v))),
                None => (field.trim().to_ascii_lowercase(), None),
            };
            let text = val.clone();
            match key.as_str() {
                "type" => {
                    m.kind = match val
                        .as_deref()
                        .unwrap_or_default()
                        .to_ascii_lowercase()
                        .as_str()
                    {
                        "bind" => MountType::Bind,
                        "cache" => MountType::Cache,
                        "tmpfs" => MountType::Tmpfs,
                        "secret" => MountType::Secret,
                        "ssh" => MountType::Ssh,
                        other => MountType::Other(other.to_string()),
                    }
                }
                "from" => m.from = text,
                "source" | "src" => m.source = text,
                "target" | "dst" | "destination" => m.target = text,
                "id" => m.id = text,
                "env" => m.env = text,
                _ => {}
            }
            m.options.push((key, val));
        }
        m
    }

    /// The value of option `key` (lower-case), if given.
    pub fn option(&self, key: &str) -> Option<Option<&str>> {
        self.options
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_deref())
    }

    /// The stage or image this mount reads from, as BuildKit decides:
    /// `from=` unless the mount is a tmpfs; cache mounts without `from`
    /// start from scratch and read nothing.
    pub fn source_stage_or_image(&self) -> Option<&str> {
        match self.kind {
            MountType::Tmpfs => None,
            _ => self.from.as_deref().filter(|f| !f.is_empty()),
        }
    }
}

/// Splits one CSV record (Go's `encoding/csv` with `,` and lazy quotes off):
/// fields may be quoted with `"`, a doubled `""` inside is a quote.
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut in_quotes = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == ',' {
            out.push(std::mem::take(&mut cur));
            at_start = true;
            continue;
        } else if c == '"' && at_start {
            in_quotes = true;
        } else {
            cur.push(c);
        }
        at_start = false;
    }
    out.push(cur);
    out.retain(|f| !f.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: &str) -> Mount {
        Mount::parse(v, &|s| s.to_string())
    }

    #[test]
    fn fields_and_types() {
        let m = parse("type=cache,target=/root/.cache,sharing=locked");
        assert_eq!(m.kind, MountType::Cache);
        assert_eq!(m.target.as_deref(), Some("/root/.cache"));
        assert_eq!(m.option("sharing"), Some(Some("locked")));
        assert_eq!(m.source_stage_or_image(), None);

        let m = parse("from=build,SOURCE=/out,dst=/in,readonly");
        assert_eq!(m.kind, MountType::Bind);
        assert_eq!(m.from.as_deref(), Some("build"));
        assert_eq!(m.source.as_deref(), Some("/out"));
        assert_eq!(m.target.as_deref(), Some("/in"));
        assert_eq!(m.option("readonly"), Some(None));
        assert_eq!(m.source_stage_or_image(), Some("build"));

        let m = parse("type=tmpfs,from=x,target=/t");
        assert_eq!(m.source_stage_or_image(), None);
        let m = parse("type=secret,id=npm,env=NPM_TOKEN");
        assert_eq!(m.kind, MountType::Secret);
        assert_eq!(m.env.as_deref(), Some("NPM_TOKEN"));
    }

    #[test]
    fn csv_quoting() {
        assert_eq!(
            csv_fields("\"target=/a,b\",x=\"\"y"),
            ["target=/a,b", "x=\"\"y"]
        );
        assert_eq!(csv_fields("a,,b"), ["a", "b"]);
    }
}
