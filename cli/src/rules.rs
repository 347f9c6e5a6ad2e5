//! `drydock rules`: the rule catalogue, the same data the docs pages render.

use std::process::ExitCode;

use drydock_core::Severity;
use drydock_core::rules::{Category, REGISTRY};
use serde::Serialize;

use crate::UsageError;

/// One rule in `--format json`. Later versions add fields, never remove them.
#[derive(Serialize)]
struct JsonRule {
    id: &'static str,
    name: &'static str,
    severity: Severity,
    category: Category,
    aliases: &'static [&'static str],
    summary: &'static str,
}

pub fn run(args: &[String]) -> Result<ExitCode, UsageError> {
    let mut json = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = match arg.split_once('=') {
            Some(("--format", v)) => Some(v.to_string()),
            _ if arg == "--format" => Some(
                it.next()
                    .cloned()
                    .ok_or_else(|| UsageError("--format needs a value".into()))?,
            ),
            _ => None,
        };
        match (arg.as_str(), value.as_deref()) {
            (_, Some("json")) => json = true,
            (_, Some("text")) => json = false,
            (_, Some(other)) => {
                return Err(UsageError(format!("unknown format `{other}` (text, json)")));
            }
            ("-h" | "--help", None) => {
                return Err(UsageError(
                    "usage: drydock rules [--format text|json]".into(),
                ));
            }
            (other, None) => {
                return Err(UsageError(format!(
                    "unexpected argument `{other}` for rules"
                )));
            }
        }
    }
    let output = if json { render_json()? } else { render_text() };
    crate::print(&output)
}

fn render_json() -> Result<String, UsageError> {
    let rules: Vec<JsonRule> = REGISTRY
        .iter()
        .map(|r| {
            let m = r.meta();
            JsonRule {
                id: m.id,
                name: m.name,
                severity: m.severity,
                category: m.category,
                aliases: m.aliases,
                summary: m.summary,
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&rules)
        .map_err(|e| UsageError(format!("cannot render JSON: {e}")))?;
    out.push('\n');
    Ok(out)
}

/// An aligned table: id, name, severity, category, summary, peer ids.
fn render_text() -> String {
    let header = ["ID", "NAME", "SEVERITY", "CATEGORY", "SUMMARY", "COVERS"];
    let rows: Vec<[String; 6]> = REGISTRY
        .iter()
        .map(|r| {
            let m = r.meta();
            [
                m.id.to_string(),
                m.name.to_string(),
                m.severity.to_string(),
                m.category.as_str().to_string(),
                m.summary.to_string(),
                m.aliases.join(", "),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header = header.map(str::to_string);
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = w.saturating_sub(cell.chars().count());
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
