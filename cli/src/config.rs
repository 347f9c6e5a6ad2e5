//! Configuration files: drydock's own `.drydock.yaml` and hadolint's
//! `.hadolint.yaml`, read with the same keys (see the README's command-line
//! section). This module only maps YAML into `drydock_core::config::Config`
//! and the CLI's failure settings; applying it is the core's job.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use drydock_core::Severity;
use drydock_core::config::{Config, severity_of_hadolint_level};
use serde::Deserialize;

/// Files looked for in the current directory when `--config` is not given,
/// first found wins. Only the current directory: a lint in CI must not
/// depend on the home directory of whoever runs it.
pub const SEARCH: [&str; 4] = [
    ".drydock.yaml",
    ".drydock.yml",
    ".hadolint.yaml",
    ".hadolint.yml",
];

/// Keys read from the file.
const KEYS: [&str; 7] = [
    "ignored",
    "override",
    "severity",
    "trustedRegistries",
    "failure-threshold",
    "fail-on",
    "no-fail",
];
/// hadolint keys drydock accepts without acting on them: output settings
/// belong on the command line.
const QUIET: [&str; 4] = ["no-color", "verbose", "format", "formats"];
/// hadolint keys whose features drydock does not have yet: a warning.
const UNSUPPORTED: [&str; 3] = ["label-schema", "strict-labels", "disable-ignore-pragma"];

/// A configuration file, read.
#[derive(Debug, Default)]
pub struct FileConfig {
    pub config: Config,
    /// `Some(None)`: never fail on findings.
    pub fail_on: Option<Option<Severity>>,
    pub no_fail: bool,
    /// Problems that do not stop the run (unknown keys, unknown rule names).
    pub warnings: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Raw {
    ignored: Vec<String>,
    #[serde(rename = "override")]
    overrides: BTreeMap<String, Option<Vec<String>>>,
    severity: BTreeMap<String, String>,
    #[serde(rename = "trustedRegistries")]
    trusted_registries: OneOrMany,
    #[serde(rename = "failure-threshold")]
    failure_threshold: Option<String>,
    #[serde(rename = "fail-on")]
    fail_on: Option<String>,
    #[serde(rename = "no-fail")]
    no_fail: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl Default for OneOrMany {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

/// The config file in `dir`, if any (see [`SEARCH`]).
pub fn discover(dir: &Path) -> Option<PathBuf> {
    SEARCH
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
}

/// Reads and checks `path`. The error names the file and, for YAML
/// problems, the line.
pub fn load(path: &Path) -> Result<FileConfig, String> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    parse(&name, &text)
}

/// Parses a config file's text; `name` is used in messages.
pub fn parse(name: &str, text: &str) -> Result<FileConfig, String> {
    let mut out = FileConfig::default();
    if is_blank_yaml(text) {
        return Ok(out);
    }
    let bad = |e: serde_saphyr::Error| format!("{name}: {}", one_line(&e.to_string()));
    let keys: BTreeMap<String, serde::de::IgnoredAny> =
        serde_saphyr::from_str(text).map_err(bad)?;
    for key in keys.keys() {
        if UNSUPPORTED.contains(&key.as_str()) {
            out.warnings.push(format!(
                "{name}: `{key}` is not supported by drydock yet; ignored"
            ));
        } else if !KEYS.contains(&key.as_str()) && !QUIET.contains(&key.as_str()) {
            out.warnings
                .push(format!("{name}: unknown key `{key}`; ignored"));
        }
    }
    let raw: Raw = serde_saphyr::from_str(text).map_err(bad)?;

    out.config.ignored = raw.ignored;
    let mut overrides = Vec::new();
    for (level, rules) in raw.overrides {
        let severity = severity_of_hadolint_level(&level).ok_or_else(|| {
            format!("{name}: override: unknown level `{level}` (error, warning, info, style)")
        })?;
        for rule in rules.unwrap_or_default() {
            overrides.push((rule, severity));
        }
    }
    for (rule, severity) in raw.severity {
        let s = Severity::parse(&severity).ok_or_else(|| {
            format!(
                "{name}: severity: `{rule}: {severity}` is not a severity \
                 (critical, high, medium, low, info)"
            )
        })?;
        overrides.push((rule, s));
    }
    // A rule named twice keeps its most severe level, whatever the order.
    overrides.sort_by_key(|(_, s)| *s);
    out.config.overrides = overrides;
    out.config.trusted_registries = match raw.trusted_registries {
        OneOrMany::One(r) => vec![r],
        OneOrMany::Many(rs) => rs,
    };
    if let Some(t) = raw.failure_threshold {
        out.fail_on = Some(Some(failure_threshold(&t).ok_or_else(|| {
            format!(
                "{name}: failure-threshold: unknown level `{t}` \
                 (error, warning, info, style, ignore, none)"
            )
        })?));
    }
    if let Some(f) = raw.fail_on {
        out.fail_on = Some(match f.trim() {
            "none" | "never" => None,
            s => Some(Severity::parse(s).ok_or_else(|| {
                format!(
                    "{name}: fail-on: unknown severity `{s}` \
                     (critical, high, medium, low, info, none)"
                )
            })?),
        });
    }
    out.no_fail = raw.no_fail.unwrap_or(false);
    for item in out.config.unknown_rules() {
        out.warnings
            .push(format!("{name}: `{item}` names no drydock rule"));
    }
    Ok(out)
}

/// hadolint's `failure-threshold` as a drydock severity. As in hadolint,
/// `ignore` and `none` are the lowest level, so any finding fails.
fn failure_threshold(level: &str) -> Option<Severity> {
    match level.trim().to_ascii_lowercase().as_str() {
        "ignore" | "none" => Some(Severity::Info),
        l => severity_of_hadolint_level(l),
    }
}

/// Empty, or comments and blank lines only (hadolint accepts such a file).
fn is_blank_yaml(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with('#') || l == "---" || l == "...")
}

/// The first line of serde-saphyr's annotated message: `line L column C:
/// problem` (the snippet under it repeats the file).
fn one_line(message: &str) -> String {
    let first = message.lines().map(str::trim).find(|l| !l.is_empty());
    let first = first.unwrap_or("invalid YAML");
    first.strip_prefix("error: ").unwrap_or(first).to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn hadolint_keys_map_to_the_config() {
        let c = parse(
            ".hadolint.yaml",
            "ignored: [DL3008, DD003]\noverride:\n  error: [DL3007]\n  style:\n    - runs-as-root\n  info:\ntrustedRegistries: docker.io\nfailure-threshold: warning\nno-fail: true\nlabel-schema:\n  author: text\nformat: json\n",
        )
        .unwrap();
        assert_eq!(c.config.ignored, ["DL3008", "DD003"]);
        assert_eq!(
            c.config.overrides,
            [
                ("runs-as-root".to_string(), Severity::Info),
                ("DL3007".to_string(), Severity::High)
            ]
        );
        assert_eq!(c.config.trusted_registries, ["docker.io"]);
        assert_eq!(c.fail_on, Some(Some(Severity::Medium)));
        assert!(c.no_fail);
        assert_eq!(
            c.warnings,
            [".hadolint.yaml: `label-schema` is not supported by drydock yet; ignored"]
        );
    }

    #[test]
    fn drydock_keys() {
        let c = parse(
            ".drydock.yaml",
            "severity:\n  DD001: critical\nfail-on: none\ntrustedRegistries: [a.io, '*.gcr.io']\nignored: [DD999]\ncolour: red\n",
        )
        .unwrap();
        assert_eq!(
            c.config.overrides,
            [("DD001".to_string(), Severity::Critical)]
        );
        assert_eq!(c.fail_on, Some(None));
        assert_eq!(c.config.trusted_registries, ["a.io", "*.gcr.io"]);
        assert_eq!(
            c.warnings,
            [
                ".drydock.yaml: unknown key `colour`; ignored",
                ".drydock.yaml: `DD999` names no drydock rule"
            ]
        );
    }

    #[test]
    fn blank_files_are_empty_configs() {
        for text in ["", "\n", "# nothing\n---\n"] {
            let c = parse("x", text).unwrap();
            assert!(c.config.is_empty() && c.fail_on.is_none() && !c.no_fail);
        }
    }

    #[test]
    fn failure_threshold_none_is_the_lowest_level_as_in_hadolint() {
        let c = parse("x", "failure-threshold: none\n").unwrap();
        assert_eq!(c.fail_on, Some(Some(Severity::Info)));
    }

    #[test]
    fn bad_files_name_the_file_and_the_problem() {
        let e = parse("cfg.yaml", "ignored: [DL3008\n").unwrap_err();
        assert_eq!(e, "cfg.yaml: line 1 column 10: unclosed bracket '['");
        let e = parse("cfg.yaml", "ignored: 3\n").unwrap_err();
        assert!(e.starts_with("cfg.yaml: "), "{e}");
        let e = parse("cfg.yaml", "override:\n  fatal: [DL3008]\n").unwrap_err();
        assert_eq!(
            e,
            "cfg.yaml: override: unknown level `fatal` (error, warning, info, style)"
        );
        let e = parse("cfg.yaml", "severity: {DD001: urgent}\n").unwrap_err();
        assert!(e.contains("`DD001: urgent` is not a severity"), "{e}");
        let e = parse("cfg.yaml", "failure-threshold: fatal\n").unwrap_err();
        assert!(
            e.contains("failure-threshold: unknown level `fatal`"),
            "{e}"
        );
        let e = parse("cfg.yaml", "- a\n- b\n").unwrap_err();
        assert!(e.starts_with("cfg.yaml: "), "{e}");
    }
}
