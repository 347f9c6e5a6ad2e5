//! SARIF 2.1.0, the format GitHub code scanning and other CI tools read.
//!
//! One run; `tool.driver.rules` describes every rule that has a result, in
//! registry order, with its docs as help text and Markdown; each result
//! points at its rule by `ruleId` and `ruleIndex`. Parse errors and warnings
//! are results of the pseudo-rules `parse-error` and `parse-warning` (a file
//! that does not parse will not build: code scanning should show it).
//! Findings silenced by a pragma are results with an `inSource` suppression
//! (justification: the pragma's reason); those ignored by configuration have
//! an `external` one.
//!
//! Columns count Unicode code points (`columnKind: unicodeCodePoints`), as
//! drydock's columns do. `partialFingerprints["drydockFingerprint/v1"]`
//! hashes the rule, the finding's whitespace-normalized line and how many
//! identical (rule, line) pairs precede it in the file, so alerts survive
//! lines moving and re-indenting.

use std::collections::HashMap;

use super::json::Json;
use super::{
    CONFIG_PRAGMA, FileReport, FindingView, Options, Region, display_path, docs_url, fnv1a,
    normalized_line, region,
};
use crate::diagnostic::{Applicability, Finding, Fix, LineIndex, Severity, Span};
use crate::rules::{self, RuleMeta};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const PARSE_ERROR: &str = "parse-error";
const PARSE_WARNING: &str = "parse-warning";
const FINGERPRINT: &str = "drydockFingerprint/v1";

/// SARIF's level for a severity: `error` for critical and high, `warning`
/// for medium, `note` for low and info.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` (a CVSS-like score it bands into critical,
/// high, medium and low).
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// The SARIF 2.1.0 log of `files`, pretty-printed, ending in a newline.
pub fn sarif(files: &[FileReport<'_>], options: &Options<'_>) -> String {
    let rules = RuleTable::of(files);
    let mut results = Vec::new();
    for file in files {
        results.extend(file_results(file, &rules));
    }
    let driver = Json::obj([
        ("name", Json::str("drydock")),
        ("version", Json::str(options.tool_version)),
        ("informationUri", Json::str(options.docs_base)),
        (
            "rules",
            Json::Arr(
                rules
                    .ids
                    .iter()
                    .map(|id| descriptor(id, options.docs_base))
                    .collect(),
            ),
        ),
    ]);
    let run = Json::obj([
        ("tool", Json::obj([("driver", driver)])),
        ("columnKind", Json::str("unicodeCodePoints")),
        ("results", Json::Arr(results)),
    ]);
    let log = Json::obj([
        ("$schema", Json::str(SCHEMA)),
        ("version", Json::str("2.1.0")),
        ("runs", Json::Arr(vec![run])),
    ]);
    let mut out = log.pretty();
    out.push('\n');
    out
}

/// The rules that have results, in the order `tool.driver.rules` lists them.
struct RuleTable {
    ids: Vec<&'static str>,
}

impl RuleTable {
    fn of(files: &[FileReport<'_>]) -> RuleTable {
        let mut used: Vec<&'static str> = Vec::new();
        let mut note = |id: &'static str| {
            if !used.contains(&id) {
                used.push(id);
            }
        };
        for file in files {
            let a = file.analysis;
            a.findings.iter().for_each(|f| note(f.rule));
            a.suppressed.iter().for_each(|s| note(s.finding.rule));
            if !a.errors.is_empty() {
                note(PARSE_ERROR);
            }
            if !a.warnings.is_empty() {
                note(PARSE_WARNING);
            }
        }
        // Registry order first, then the pseudo-rules, then anything else.
        let mut ids: Vec<&'static str> = rules::REGISTRY
            .iter()
            .map(|r| r.meta().id)
            .filter(|id| used.contains(id))
            .collect();
        for id in [PARSE_ERROR, PARSE_WARNING].into_iter().chain(used.clone()) {
            if used.contains(&id) && !ids.contains(&id) {
                ids.push(id);
            }
        }
        RuleTable { ids }
    }

    fn index(&self, id: &str) -> usize {
        self.ids.iter().position(|i| *i == id).unwrap_or(0)
    }
}

fn message(s: impl Into<String>) -> Json {
    Json::obj([("text", Json::str(s))])
}

/// `tool.driver.rules[i]`: a rule's metadata and docs.
fn descriptor(id: &str, docs_base: &str) -> Json {
    let Some(meta) = rules::lookup(id).map(|r| r.meta()) else {
        let (short, full) = match id {
            PARSE_ERROR => (
                "The Dockerfile does not parse",
                "BuildKit's parser rejects this line, so `docker build` fails before any \
                 instruction runs. drydock reports the error and analyses the rest of the file.",
            ),
            PARSE_WARNING => (
                "The Dockerfile parses with a warning",
                "BuildKit's parser accepts this line but warns about it, usually because a \
                 future release will reject it.",
            ),
            _ => (
                "Unknown rule",
                "A rule this version of drydock does not describe.",
            ),
        };
        let level = if id == PARSE_WARNING {
            "warning"
        } else {
            "error"
        };
        return Json::obj([
            ("id", Json::str(id)),
            ("name", Json::str(id)),
            ("shortDescription", message(short)),
            ("fullDescription", message(full)),
            (
                "defaultConfiguration",
                Json::obj([("level", Json::str(level))]),
            ),
            (
                "properties",
                Json::obj([("tags", Json::Arr(vec![Json::str("reliability")]))]),
            ),
        ]);
    };
    let mut tags = vec![Json::str(meta.category.as_str())];
    tags.extend(meta.aliases.iter().map(|a| Json::str(*a)));
    Json::obj([
        ("id", Json::str(meta.id)),
        ("name", Json::str(meta.name)),
        ("shortDescription", message(meta.summary)),
        (
            "fullDescription",
            message(rules::docs_of(meta).what_it_does),
        ),
        (
            "help",
            Json::obj([
                ("text", Json::str(help_text(meta))),
                ("markdown", Json::str(help_markdown(meta))),
            ]),
        ),
        ("helpUri", Json::str(docs_url(docs_base, meta.id))),
        (
            "defaultConfiguration",
            Json::obj([("level", Json::str(level(meta.severity)))]),
        ),
        (
            "properties",
            Json::obj([
                ("tags", Json::Arr(tags)),
                ("precision", Json::str("high")),
                (
                    "security-severity",
                    Json::str(security_severity(meta.severity)),
                ),
                ("drydock/severity", Json::str(meta.severity.as_str())),
            ]),
        ),
    ])
}

fn help_text(meta: &RuleMeta) -> String {
    let d = rules::docs_of(meta);
    let mut out = format!(
        "{}\n\nWhy it matters: {}\n\nBad example:\n{}\nGood example:\n{}",
        d.what_it_does, d.why_it_matters, d.bad_example, d.good_example
    );
    if !d.references.is_empty() {
        out.push_str("\nReferences:\n");
        for r in d.references {
            out.push_str(&format!("- {r}\n"));
        }
    }
    out
}

fn help_markdown(meta: &RuleMeta) -> String {
    let d = rules::docs_of(meta);
    let mut out = format!(
        "{}\n\n### Why it matters\n\n{}\n\n### Bad example\n\n{}\n### Good example\n\n{}",
        d.what_it_does,
        d.why_it_matters,
        super::markdown::code_block(d.bad_example, "dockerfile"),
        super::markdown::code_block(d.good_example, "dockerfile"),
    );
    if !d.references.is_empty() {
        out.push_str("\n### References\n\n");
        for r in d.references {
            out.push_str(&format!("- <{r}>\n"));
        }
    }
    out
}

/// A path as a URI reference: relative paths stay relative (with `/`
/// separators), absolute ones become `file://` URIs, `-` is `stdin`, and
/// characters a URI cannot hold are percent-encoded.
pub(super) fn artifact_uri(path: &str) -> String {
    let path = display_path(path).replace('\\', "/");
    let path = path.trim_start_matches("./");
    let encoded = percent_encode(path);
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else if path.as_bytes().get(1) == Some(&b':') {
        // A Windows drive path, `C:/x`.
        format!("file:///{encoded}")
    } else {
        encoded
    }
}

fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region_json(r: Region) -> Json {
    Json::obj([
        ("startLine", Json::int(r.start_line)),
        ("startColumn", Json::int(r.start_column)),
        ("endLine", Json::int(r.end_line)),
        ("endColumn", Json::int(r.end_column)),
    ])
}

fn location(uri: &str, r: Region) -> Json {
    Json::obj([(
        "physicalLocation",
        Json::obj([
            ("artifactLocation", Json::obj([("uri", Json::str(uri))])),
            ("region", region_json(r)),
        ]),
    )])
}

/// Counts identical (rule, line content) pairs so fingerprints stay distinct.
struct Fingerprints<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    seen: HashMap<(String, String), usize>,
}

impl Fingerprints<'_> {
    fn next(&mut self, rule: &str, line: usize) -> Json {
        let content = normalized_line(self.text, self.lines, line);
        let n = self
            .seen
            .entry((rule.to_string(), content.clone()))
            .or_insert(0);
        let key = format!("{rule}\n{content}\n{n}");
        *n += 1;
        Json::obj([(
            FINGERPRINT,
            Json::str(format!("{:016x}", fnv1a(key.as_bytes()))),
        )])
    }
}

fn file_results(file: &FileReport<'_>, rules: &RuleTable) -> Vec<Json> {
    let uri = artifact_uri(file.path);
    let lines = LineIndex::new(file.text);
    let mut prints = Fingerprints {
        text: file.text,
        lines: &lines,
        seen: HashMap::new(),
    };
    let a = file.analysis;
    let mut out = Vec::new();
    for (id, level, diagnostics) in [
        (PARSE_ERROR, "error", &a.errors),
        (PARSE_WARNING, "warning", &a.warnings),
    ] {
        for d in diagnostics {
            let r = diagnostic_region(file.text, &lines, d.span, d.line);
            out.push(Json::obj([
                ("ruleId", Json::str(id)),
                ("ruleIndex", Json::int(rules.index(id))),
                ("level", Json::str(level)),
                ("message", message(d.message.clone())),
                ("locations", Json::Arr(vec![location(&uri, r)])),
                ("partialFingerprints", prints.next(id, r.start_line)),
            ]));
        }
    }
    for f in &a.findings {
        out.push(result(f, &uri, &lines, file.text, rules, &mut prints));
    }
    for s in &a.suppressed {
        let mut r = result(&s.finding, &uri, &lines, file.text, rules, &mut prints);
        let mut suppression = if s.pragma == CONFIG_PRAGMA {
            Json::obj([
                ("kind", Json::str("external")),
                ("status", Json::str("accepted")),
            ])
        } else {
            Json::obj([
                ("kind", Json::str("inSource")),
                ("status", Json::str("accepted")),
            ])
        };
        match &s.reason {
            Some(reason) => suppression.push("justification", Json::str(reason.clone())),
            None if s.pragma == CONFIG_PRAGMA => {
                suppression.push("justification", Json::str("ignored by configuration"));
            }
            None => {}
        }
        if s.pragma != CONFIG_PRAGMA
            && let Some(start) = lines.line_start(s.pragma_line)
        {
            let end = file
                .text
                .get(start..)
                .and_then(|t| t.find('\n'))
                .map_or(file.text.len(), |n| start + n);
            let pr = region(file.text, &lines, Span::new(start, end));
            suppression.push("location", location(&uri, pr));
        }
        if s.pragma != CONFIG_PRAGMA {
            suppression.push(
                "properties",
                Json::obj([("pragma", Json::str(s.pragma.clone()))]),
            );
        }
        r.push("suppressions", Json::Arr(vec![suppression]));
        out.push(r);
    }
    out
}

/// A parse diagnostic's region: its span, or its whole line when the span
/// is empty.
fn diagnostic_region(text: &str, lines: &LineIndex, span: Span, line: usize) -> Region {
    if span.end > span.start {
        return region(text, lines, span);
    }
    let start = lines.line_start(line.max(1)).unwrap_or(span.start);
    let end = text
        .get(start..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |n| start + n);
    region(text, lines, Span::new(start, end))
}

fn result(
    f: &Finding,
    uri: &str,
    lines: &LineIndex,
    text: &str,
    rules: &RuleTable,
    prints: &mut Fingerprints<'_>,
) -> Json {
    let r = region(text, lines, f.span);
    let properties = Json::obj([
        ("severity", Json::str(f.severity.as_str())),
        ("category", Json::str(f.category().as_str())),
        ("points", Json::Num(f.points().to_string())),
        (
            "aliases",
            Json::Arr(f.aliases.iter().map(|a| Json::str(*a)).collect()),
        ),
    ]);
    let mut result = Json::obj([
        ("ruleId", Json::str(f.rule)),
        ("ruleIndex", Json::int(rules.index(f.rule))),
        ("level", Json::str(level(f.severity))),
        ("message", message(f.message.clone())),
        ("locations", Json::Arr(vec![location(uri, r)])),
        ("partialFingerprints", prints.next(f.rule, r.start_line)),
        ("properties", properties),
    ]);
    if let Some(fix) = f.fix() {
        result.push("fixes", Json::Arr(vec![fix_json(fix, uri)]));
    }
    result
}

/// A fix as SARIF: one artifact change whose replacements address bytes
/// exactly (`byteOffset`/`byteLength`), with drydock's applicability as a
/// property (`safe`, `unsafe`, `display-only`).
fn fix_json(fix: &Fix, uri: &str) -> Json {
    let replacements = fix
        .edits
        .iter()
        .map(|e| {
            Json::obj([
                (
                    "deletedRegion",
                    Json::obj([
                        ("byteOffset", Json::int(e.span.start)),
                        (
                            "byteLength",
                            Json::int(e.span.end.saturating_sub(e.span.start)),
                        ),
                    ]),
                ),
                ("insertedContent", message(e.content.clone())),
            ])
        })
        .collect();
    let applicability = match fix.applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
        Applicability::DisplayOnly => "display-only",
    };
    Json::obj([
        ("description", message(fix.description.clone())),
        (
            "artifactChanges",
            Json::Arr(vec![Json::obj([
                ("artifactLocation", Json::obj([("uri", Json::str(uri))])),
                ("replacements", Json::Arr(replacements)),
            ])]),
        ),
        (
            "properties",
            Json::obj([("applicability", Json::str(applicability))]),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_stay_relative_and_are_encoded() {
        assert_eq!(artifact_uri("Dockerfile"), "Dockerfile");
        assert_eq!(artifact_uri("./app/Dockerfile"), "app/Dockerfile");
        assert_eq!(artifact_uri("-"), "stdin");
        assert_eq!(
            artifact_uri("/work/a b/Dockerfile"),
            "file:///work/a%20b/Dockerfile"
        );
        assert_eq!(artifact_uri("dir\\Dockerfile"), "dir/Dockerfile");
        assert_eq!(artifact_uri("C:\\x\\Dockerfile"), "file:///C:/x/Dockerfile");
        assert_eq!(artifact_uri("é#?.df"), "%C3%A9%23%3F.df");
    }

    #[test]
    fn levels() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(level(Severity::Info), "note");
    }
}
