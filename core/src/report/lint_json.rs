//! The findings as JSON: `drydock lint --format json` and the web app's
//! JSON export print this one renderer.
//!
//! Later versions add fields, never remove or rename them:
//! `[{"file","score","grade","findings":[{"rule","severity","line",
//! "end_line","column","message","aliases","category","points","fix",
//! "docs_url"}],"errors":[{"line","message"}],"warnings":[…],
//! "suppressed":[{"rule","line","pragma","pragma_line","reason"}]}]`.

use super::json::Json;
use super::{FileReport, Options, docs_url};
use crate::diagnostic::{Finding, Fix, Span};

/// The findings of `files` as pretty-printed JSON, with a final newline.
pub fn json(files: &[FileReport<'_>], options: &Options<'_>) -> String {
    let reports = files.iter().map(|f| file(f, options)).collect();
    let mut out = Json::Arr(reports).pretty();
    out.push('\n');
    out
}

fn file(report: &FileReport<'_>, options: &Options<'_>) -> Json {
    let a = report.analysis;
    let findings = a.findings.iter().map(|f| finding(f, options)).collect();
    let diagnostics = |items: Vec<(usize, &str)>| {
        Json::Arr(
            items
                .into_iter()
                .map(|(line, message)| {
                    Json::obj([("line", Json::int(line)), ("message", Json::str(message))])
                })
                .collect(),
        )
    };
    let errors = a
        .errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    let warnings = a
        .warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    let suppressed = a
        .suppressed
        .iter()
        .map(|s| {
            Json::obj([
                ("rule", Json::str(s.finding.rule)),
                ("line", Json::int(s.finding.line)),
                ("pragma", Json::str(s.pragma.as_str())),
                ("pragma_line", Json::int(s.pragma_line)),
                ("reason", s.reason.as_deref().map_or(Json::Null, Json::str)),
            ])
        })
        .collect();
    Json::obj([
        ("file", Json::str(report.path)),
        ("score", Json::int(usize::from(a.score))),
        ("grade", Json::str(a.grade.as_str())),
        ("findings", Json::Arr(findings)),
        ("errors", diagnostics(errors)),
        ("warnings", diagnostics(warnings)),
        ("suppressed", Json::Arr(suppressed)),
    ])
}

fn finding(f: &Finding, options: &Options<'_>) -> Json {
    Json::obj([
        ("rule", Json::str(f.rule)),
        ("severity", Json::str(f.severity.as_str())),
        ("line", Json::int(f.line)),
        ("end_line", Json::int(f.end_line)),
        ("column", Json::int(f.column)),
        ("message", Json::str(f.message.as_str())),
        (
            "aliases",
            Json::Arr(f.aliases.iter().map(|a| Json::str(*a)).collect()),
        ),
        ("category", Json::str(f.category.as_str())),
        ("points", Json::Num(f.points.to_string())),
        ("fix", f.fix.as_ref().map_or(Json::Null, fix)),
        ("docs_url", Json::str(docs_url(options.docs_base, f.rule))),
    ])
}

fn fix(fix: &Fix) -> Json {
    let span = |s: Span| Json::obj([("start", Json::int(s.start)), ("end", Json::int(s.end))]);
    let edits = fix
        .edits
        .iter()
        .map(|e| {
            Json::obj([
                ("span", span(e.span)),
                ("content", Json::str(e.content.as_str())),
            ])
        })
        .collect();
    Json::obj([
        ("description", Json::str(fix.description.as_str())),
        ("edits", Json::Arr(edits)),
        ("applicability", Json::str(fix.applicability.as_str())),
    ])
}
