//! drydock's SARIF against the official SARIF 2.1.0 schema (vendored in
//! `tests/data/sarif/`), plus what the schema cannot say: every result's
//! rule is described and indexed right, regions are 1-based, fingerprints
//! are stable and distinct, silenced findings carry suppressions.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::HashSet;
use std::path::Path;

use drydock_core::config::Config;
use drydock_core::report::{self, FileReport, Options};
use drydock_core::{Analysis, analyze};
use serde_json::Value;

const FILES: [&str; 5] = [
    "seed/multi-stage-golang.Dockerfile",
    "seed/secure-python-app.Dockerfile",
    "seed/vulnerable-node-app.Dockerfile",
    "report/silenced.Dockerfile",
    "report/parse-error.Dockerfile",
];

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&read("sarif/sarif-schema-2.1.0.json")).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn options() -> Options<'static> {
    Options {
        tool_version: "0.1.0",
        docs_base: report::DOCS_BASE,
    }
}

fn sarif_of(inputs: &[(&str, String, Analysis)]) -> Value {
    let files: Vec<FileReport<'_>> = inputs
        .iter()
        .map(|(path, text, analysis)| FileReport {
            path,
            text,
            analysis,
        })
        .collect();
    let out = report::sarif(&files, &options());
    assert!(out.ends_with("}\n"));
    serde_json::from_str(&out).expect("SARIF is JSON")
}

fn inputs(names: &[&'static str]) -> Vec<(&'static str, String, Analysis)> {
    names
        .iter()
        .map(|name| {
            let text = read(name);
            let analysis = analyze(&text);
            (*name, text, analysis)
        })
        .collect()
}

fn assert_valid(validator: &jsonschema::Validator, log: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: SARIF invalid:\n{}",
        errors.join("\n")
    );
}

/// Checks the cross-references the schema cannot express.
fn assert_structure(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "drydock");
    assert_eq!(driver["version"], "0.1.0");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "duplicate rule ids: {ids:?}"
    );
    let results = run["results"].as_array().unwrap();
    let mut used = HashSet::new();
    let mut prints = HashSet::new();
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids.get(index), Some(&id), "ruleIndex of {r}");
        used.insert(id);
        let level = r["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
        let location = &r["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        let region = &location["region"];
        let (sl, sc, el, ec) = (
            region["startLine"].as_u64().unwrap(),
            region["startColumn"].as_u64().unwrap(),
            region["endLine"].as_u64().unwrap(),
            region["endColumn"].as_u64().unwrap(),
        );
        assert!(sl >= 1 && sc >= 1, "{region}");
        assert!(el > sl || (el == sl && ec >= sc), "{region}");
        let print = r["partialFingerprints"]["drydockFingerprint/v1"]
            .as_str()
            .unwrap();
        assert_eq!(print.len(), 16);
        assert!(
            prints.insert((uri.to_string(), print.to_string())),
            "fingerprint repeated in {uri}: {r}"
        );
    }
    // Every described rule has a result, and every rule id is described.
    assert_eq!(used, ids.iter().copied().collect::<HashSet<_>>());
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        if id.starts_with("DD") {
            assert_eq!(
                rule["helpUri"],
                format!("https://drydock.invalid/#/rules/{id}")
            );
            assert!(
                rule["help"]["markdown"]
                    .as_str()
                    .unwrap()
                    .contains("### Bad example")
            );
            assert!(!rule["properties"]["tags"].as_array().unwrap().is_empty());
            assert!(rule["shortDescription"]["text"].is_string());
        }
    }
}

#[test]
fn every_test_file_alone_and_all_together_validate() {
    let validator = validator();
    for name in FILES {
        let log = sarif_of(&inputs(&[name]));
        assert_valid(&validator, &log, name);
        assert_structure(&log);
    }
    let log = sarif_of(&inputs(&FILES));
    assert_valid(&validator, &log, "all files");
    assert_structure(&log);
    // Results follow the files in order; URIs stay relative.
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    let mut distinct = uris.clone();
    distinct.dedup();
    let in_order: Vec<&str> = FILES.into_iter().filter(|f| distinct.contains(f)).collect();
    assert_eq!(distinct, in_order);
    assert!(distinct.contains(&"seed/vulnerable-node-app.Dockerfile"));
}

#[test]
fn no_files_and_clean_files_validate() {
    let validator = validator();
    let log = sarif_of(&[]);
    assert_valid(&validator, &log, "no files");
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    let text = "FROM alpine:3.20\nUSER 65532\n".to_string();
    let a = analyze(&text);
    let log = sarif_of(&[("-", text, a)]);
    assert_valid(&validator, &log, "clean stdin");
    assert_structure(&log);
}

#[test]
fn the_validator_rejects_what_it_should() {
    let validator = validator();
    let mut log = sarif_of(&inputs(&["seed/vulnerable-node-app.Dockerfile"]));
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&log));
    let mut log = sarif_of(&inputs(&["seed/vulnerable-node-app.Dockerfile"]));
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&log));
}

#[test]
fn regions_match_finding_positions() {
    for (name, text, a) in inputs(&FILES) {
        let log = sarif_of(&[(name, text, a.clone())]);
        let results = log["runs"][0]["results"].as_array().unwrap();
        let findings: Vec<_> = results
            .iter()
            .filter(|r| r["ruleId"].as_str().unwrap().starts_with("DD"))
            .filter(|r| r.get("suppressions").is_none())
            .collect();
        assert_eq!(findings.len(), a.findings.len(), "{name}");
        for (r, f) in findings.iter().zip(&a.findings) {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            assert_eq!(r["ruleId"], f.rule);
            assert_eq!(region["startLine"], f.line, "{name}: {r}");
            assert_eq!(region["startColumn"], f.column, "{name}: {r}");
            assert_eq!(r["message"]["text"], f.message.as_str());
            assert_eq!(r["properties"]["severity"], f.severity.as_str());
        }
    }
}

#[test]
fn levels_follow_severities() {
    let log = sarif_of(&inputs(&["seed/vulnerable-node-app.Dockerfile"]));
    for r in log["runs"][0]["results"].as_array().unwrap() {
        let want = match r["properties"]["severity"].as_str().unwrap() {
            "critical" | "high" => "error",
            "medium" => "warning",
            _ => "note",
        };
        assert_eq!(r["level"], want, "{r}");
    }
}

#[test]
fn silenced_findings_carry_suppressions() {
    let log = sarif_of(&inputs(&["report/silenced.Dockerfile"]));
    let results = log["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<(&str, &Value)> = results
        .iter()
        .filter_map(|r| Some((r["ruleId"].as_str()?, r.get("suppressions")?)))
        .collect();
    assert_eq!(suppressed.len(), 2, "{results:?}");
    let (rule, s) = suppressed[0];
    assert_eq!(rule, "DD003");
    assert_eq!(s[0]["kind"], "inSource");
    assert_eq!(s[0]["justification"], "kept for the legacy label scraper");
    assert_eq!(
        s[0]["location"]["physicalLocation"]["region"]["startLine"],
        1
    );
    let (rule, s) = suppressed[1];
    assert_eq!(rule, "DD001");
    assert_eq!(s[0]["kind"], "inSource");
    assert!(s[0].get("justification").is_none());
    assert_eq!(s[0]["properties"]["pragma"], "hadolint ignore=DL3007");
}

#[test]
fn config_ignored_findings_are_external_suppressions() {
    let text = read("seed/vulnerable-node-app.Dockerfile");
    let config = Config {
        ignored: vec!["runs-as-root".into()],
        ..Config::default()
    };
    let a = config.apply(analyze(&text));
    let log = sarif_of(&[("Dockerfile", text, a)]);
    assert_valid(&validator(), &log, "config");
    assert_structure(&log);
    let external: Vec<_> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["suppressions"][0]["kind"] == "external")
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(external, ["DD002"]);
}

#[test]
fn parse_errors_and_warnings_are_results() {
    let log = sarif_of(&inputs(&["report/parse-error.Dockerfile"]));
    let results = log["runs"][0]["results"].as_array().unwrap();
    let parse: Vec<_> = results
        .iter()
        .filter(|r| r["ruleId"].as_str().unwrap().starts_with("parse-"))
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(
        parse,
        [("parse-error", "error", 2), ("parse-warning", "warning", 3)]
    );
}

#[test]
fn fingerprints_survive_moving_and_reindenting() {
    let print = |text: &str| {
        let a = analyze(text);
        let log = sarif_of(&[("Dockerfile", text.to_string(), a)]);
        log["runs"][0]["results"][0]["partialFingerprints"]["drydockFingerprint/v1"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let a = print("FROM node:latest\nUSER node\n");
    let b = print("# a comment\n\n   FROM   node:latest\nUSER node\n");
    assert_eq!(a, b);
    assert_ne!(a, print("FROM node\nUSER node\n"));
}

#[test]
fn fixes_are_byte_exact_replacements() {
    use drydock_core::Span;
    use drydock_core::diagnostic::{Applicability, Edit, Fix};
    let text = "FROM node:latest\nUSER node\n".to_string();
    let mut a = analyze(&text);
    let finding = a.findings.iter_mut().find(|f| f.rule == "DD001").unwrap();
    // No rule has a fix yet: give this one a hand-made one.
    finding.fix = Some(Fix {
        description: "Pin a version tag".into(),
        edits: vec![Edit {
            span: Span::new(10, 16),
            content: "22-bookworm-slim".into(),
        }],
        applicability: Applicability::Unsafe,
    });
    let log = sarif_of(&[("Dockerfile", text, a)]);
    assert_valid(&validator(), &log, "fix");
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "DD001")
        .unwrap();
    let fix = &result["fixes"][0];
    assert_eq!(fix["description"]["text"], "Pin a version tag");
    assert_eq!(fix["properties"]["applicability"], "unsafe");
    let change = &fix["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "Dockerfile");
    let r = &change["replacements"][0];
    assert_eq!(r["deletedRegion"]["byteOffset"], 10);
    assert_eq!(r["deletedRegion"]["byteLength"], 6);
    assert_eq!(r["insertedContent"]["text"], "22-bookworm-slim");
}
