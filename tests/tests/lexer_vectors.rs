//! Conformance of word expansion with BuildKit's shell lexer: every case of
//! `lex.json`, every line of `envVarTest` and `wordsTest`
//! (data vendored in `tests/data/buildkit/`, moby/buildkit @ 73ed6825).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use drydock_core::syntax::expand::{
    Lexer, Pattern, Platform, env_from_entries, reverse_pattern, reverse_string,
};
use serde_json::Value;

fn data(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/buildkit")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn lexer_for(case: &Value) -> Lexer {
    let mut lex = Lexer::default();
    if let Some(o) = case.get("options") {
        if let Some(e) = o["escape_token"].as_str() {
            lex.escape = e.chars().next().unwrap();
        }
        lex.raw_quotes = o["raw_quotes"].as_bool().unwrap_or(false);
        lex.raw_escapes = o["raw_escapes"].as_bool().unwrap_or(false);
        lex.skip_unset_env = o["skip_unset_env"].as_bool().unwrap_or(false);
    }
    if case["platform"].as_str() == Some("windows") {
        lex.platform = Platform::Windows;
    }
    lex
}

fn env_of(case: &Value) -> Vec<(String, String)> {
    case["env"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn set_of(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// Checks one case; `Err` describes a failure.
fn check_case(case: &Value) -> Result<(), String> {
    let input = case["input"].as_str().unwrap_or_default();
    let exp = &case["expected"];
    let wants_error = exp.get("error").and_then(Value::as_bool) == Some(true);
    match case["kind"].as_str().unwrap() {
        kind @ ("process_word" | "process_word_with_matches" | "process_words") => {
            let lex = lexer_for(case);
            let env = env_of(case);
            let got = lex.process_word(input, &env);
            match got {
                Err(e) if wants_error => {
                    if let Some(sub) = exp.get("error_contains").and_then(Value::as_str)
                        && !e.to_string().contains(sub)
                    {
                        return Err(format!("error {e} lacks {sub:?}"));
                    }
                    Ok(())
                }
                Err(e) => Err(format!("unexpected error: {e}")),
                Ok(r) if wants_error => Err(format!("expected an error, got {:?}", r.value)),
                Ok(r) => {
                    if kind == "process_words" {
                        let want: Vec<String> = exp["words"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|w| w.as_str().unwrap().to_owned())
                            .collect();
                        if r.words != want {
                            return Err(format!("words {:?} != {want:?}", r.words));
                        }
                        return Ok(());
                    }
                    let want = exp["result"].as_str().unwrap();
                    if r.value != want {
                        return Err(format!("result {:?} != {want:?}", r.value));
                    }
                    if let Some(m) = exp.get("matched")
                        && r.matched != set_of(m)
                    {
                        return Err(format!("matched {:?} != {m}", r.matched));
                    }
                    if let Some(m) = exp.get("unmatched")
                        && r.unmatched != set_of(m)
                    {
                        return Err(format!("unmatched {:?} != {m}", r.unmatched));
                    }
                    Ok(())
                }
            }
        }
        "env_get" => {
            let entries: Vec<String> = case["env_slice"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect();
            let env = env_from_entries(&entries);
            let key = case["key"].as_str().unwrap();
            let got = drydock_core::syntax::expand::Env::lookup(&env, key, Platform::Unix)
                .unwrap_or_default();
            if got == exp.as_str().unwrap() {
                Ok(())
            } else {
                Err(format!("got {got:?}"))
            }
        }
        "convert_shell_pattern_to_regex" => {
            let p = Pattern::compile(
                input,
                case["greedy"].as_bool().unwrap(),
                case["anchored"].as_bool().unwrap(),
            );
            match (p, wants_error) {
                (Err(_), true) => Ok(()),
                (Ok(p), false) if Some(p.to_go_regex().as_str()) == exp["regex"].as_str() => Ok(()),
                (p, _) => Err(format!("got {p:?}")),
            }
        }
        "reverse_pattern" => {
            let got = reverse_pattern(input);
            (got == exp.as_str().unwrap())
                .then_some(())
                .ok_or(format!("got {got:?}"))
        }
        "reverse_string" => {
            let got = reverse_string(input);
            (got == exp.as_str().unwrap())
                .then_some(())
                .ok_or(format!("got {got:?}"))
        }
        other => Err(format!("unknown kind {other}")),
    }
}

#[test]
fn lex_json_every_case() {
    let doc: Value = serde_json::from_str(&data("lex.json")).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    let mut by_kind = std::collections::BTreeMap::<String, usize>::new();
    for case in cases {
        *by_kind
            .entry(case["kind"].as_str().unwrap().to_owned())
            .or_default() += 1;
        if let Err(e) = check_case(case) {
            failures.push(format!(
                "{} ({:?}): {e}",
                case["name"].as_str().unwrap(),
                case["input"]
            ));
        }
    }
    println!(
        "lex.json: {}/{} cases pass ({by_kind:?})",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
    assert_eq!(cases.len(), 331);
}

#[test]
fn env_var_test_every_line() {
    let text = data("envVarTest");
    let env = env_from_entries(&["PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL="]);
    let mut failures = Vec::new();
    let (mut total, mut errors) = (0, 0);
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.trim().split('|').collect();
        assert_eq!(parts.len(), 3, "line {}", n + 1);
        let (platform, source, expected) = (parts[0].trim(), parts[1].trim(), parts[2].trim());
        let platforms: &[Platform] = match platform {
            "A" => &[Platform::Unix, Platform::Windows],
            "U" => &[Platform::Unix],
            "W" => &[Platform::Windows],
            other => panic!("bad platform tag {other} on line {}", n + 1),
        };
        for &p in platforms {
            total += 1;
            let got = Lexer::default().with_platform(p).process_word(source, &env);
            let ok = match &got {
                Err(_) => expected == "error",
                Ok(r) => expected != "error" && r.value == expected,
            };
            if expected == "error" {
                errors += 1;
            }
            if !ok {
                failures.push(format!("line {} {p:?} {source:?}: got {got:?}", n + 1));
            }
        }
    }
    println!(
        "envVarTest: {}/{total} checks pass ({errors} must-fail; A lines run as unix and windows)",
        total - failures.len()
    );
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
}

#[test]
fn words_test_every_line() {
    let text = data("wordsTest");
    let mut envs: Vec<String> = Vec::new();
    let mut failures = Vec::new();
    let mut total = 0;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("ENV ") {
            envs.push(rest.trim_start_matches(' ').to_owned());
            continue;
        }
        let parts: Vec<&str> = line.split('|').collect();
        assert_eq!(parts.len(), 2, "line {}", n + 1);
        let test = parts[0].trim();
        let expected: Vec<&str> = parts[1].trim_start_matches(' ').split(',').collect();
        let env = env_from_entries(&envs);
        total += 1;
        let got = match Lexer::default().process_words(test, &env) {
            Ok(w) => w,
            Err(_) => vec!["error".to_owned()],
        };
        if got != expected {
            failures.push(format!(
                "line {} {test:?}: got {got:?} want {expected:?}",
                n + 1
            ));
        }
    }
    println!("wordsTest: {}/{total} lines pass", total - failures.len());
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
    assert_eq!(total, 24);
}
