//! `drydock lint`.

use std::io::Write;
use std::process::ExitCode;

use drydock_core::eol::Date;
use drydock_core::{Analysis, AnalysisOptions, Severity, analyze_with};
use serde::Serialize;

use crate::UsageError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(Debug)]
struct Options {
    format: Format,
    /// `None` never fails on findings.
    fail_on: Option<Severity>,
    /// `--today`; the system clock's date otherwise.
    today: Option<Date>,
    files: Vec<String>,
}

fn parse_options(args: &[String]) -> Result<Options, UsageError> {
    let mut options = Options {
        format: Format::Text,
        fail_on: Some(Severity::High),
        today: None,
        files: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |flag: &str| {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| UsageError(format!("{flag} needs a value")))
        };
        match name {
            "--format" => {
                options.format = match value("--format")?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    other => {
                        return Err(UsageError(format!("unknown format `{other}` (text, json)")));
                    }
                }
            }
            "--fail-on" => {
                let v = value("--fail-on")?;
                options.fail_on = match v.as_str() {
                    "none" | "never" => None,
                    s => Some(Severity::parse(s).ok_or_else(|| {
                        UsageError(format!(
                            "unknown severity `{s}` (critical, high, medium, low, info, none)"
                        ))
                    })?),
                };
            }
            "--today" => {
                let v = value("--today")?;
                options.today = Some(Date::parse(&v).ok_or_else(|| {
                    UsageError(format!("`--today {v}` is not a date (YYYY-MM-DD)"))
                })?);
            }
            "-h" | "--help" => {
                return Err(UsageError(
                    "usage: drydock lint [--format text|json] [--fail-on SEVERITY] [--today YYYY-MM-DD] FILE..."
                        .into(),
                ));
            }
            "-" => options.files.push(arg.clone()),
            flag if flag.starts_with('-') => {
                return Err(UsageError(format!("unknown option `{flag}` for lint")));
            }
            _ => options.files.push(arg.clone()),
        }
    }
    if options.files.is_empty() {
        return Err(UsageError(
            "lint needs at least one FILE (or `-` for standard input)".into(),
        ));
    }
    Ok(options)
}

/// One file's report in `--format json`. Later versions add fields, never
/// remove or rename them.
#[derive(Serialize)]
struct FileReport<'a> {
    file: &'a str,
    score: u8,
    grade: &'static str,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
    warnings: Vec<JsonError<'a>>,
    suppressed: Vec<JsonSuppressed<'a>>,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    rule: &'static str,
    line: usize,
    pragma: &'a str,
    pragma_line: usize,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    severity: Severity,
    line: usize,
    end_line: usize,
    column: usize,
    message: &'a str,
    aliases: &'static [&'static str],
}

#[derive(Serialize)]
struct JsonError<'a> {
    line: usize,
    message: &'a str,
}

pub fn run(args: &[String]) -> Result<ExitCode, UsageError> {
    let options = parse_options(args)?;
    // Read every input first: an unreadable file is a usage error (exit 2)
    // and nothing half-printed.
    let mut inputs = Vec::with_capacity(options.files.len());
    for file in &options.files {
        inputs.push((file.as_str(), crate::read_input(file)?));
    }
    let analysis_options = AnalysisOptions {
        today: options.today.or_else(system_today),
    };
    let analyses: Vec<(&str, Analysis)> = inputs
        .iter()
        .map(|(f, text)| (*f, analyze_with(text, &analysis_options)))
        .collect();
    let failed = analyses.iter().any(|(_, a)| {
        !a.errors.is_empty()
            || options
                .fail_on
                .is_some_and(|t| a.findings.iter().any(|f| f.severity >= t))
    });
    let output = match options.format {
        Format::Text => render_text(&analyses),
        Format::Json => render_json(&analyses)?,
    };
    std::io::stdout()
        .lock()
        .write_all(output.as_bytes())
        .map_err(|e| UsageError(format!("cannot write output: {e}")))?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Today's date (UTC) from the system clock; `None` if the clock is
/// before 1970 or past year 65535.
fn system_today() -> Option<Date> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    civil_from_days(i64::try_from(secs / 86_400).ok()?)
}

/// The calendar date `days` days after 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, the inverse of [`Date::days_since_epoch`]).
fn civil_from_days(days: i64) -> Option<Date> {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(Date::new(
        u16::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    ))
}

/// Compiler-style lines: `file:line:col: severity[RULE]: message`.
fn render_text(analyses: &[(&str, Analysis)]) -> String {
    let mut out = String::new();
    for (file, a) in analyses {
        for e in &a.errors {
            out.push_str(&format!(
                "{file}:{}:1: error[parse]: {}\n",
                e.line, e.message
            ));
        }
        for w in &a.warnings {
            out.push_str(&format!(
                "{file}:{}:1: warning[parse]: {}\n",
                w.line, w.message
            ));
        }
        for f in &a.findings {
            out.push_str(&format!(
                "{file}:{}:{}: {}[{}]: {}\n",
                f.line, f.column, f.severity, f.rule, f.message
            ));
        }
        let n = a.findings.len();
        let silenced = match a.suppressed.len() {
            0 => String::new(),
            k => format!(", {k} silenced by pragmas"),
        };
        out.push_str(&format!(
            "{file}: score {}/100 ({}), {n} finding{}{silenced}\n",
            a.score,
            a.grade.as_str(),
            if n == 1 { "" } else { "s" }
        ));
    }
    out
}

fn render_json(analyses: &[(&str, Analysis)]) -> Result<String, UsageError> {
    let reports: Vec<FileReport<'_>> = analyses
        .iter()
        .map(|(file, a)| FileReport {
            file,
            score: a.score,
            grade: a.grade.as_str(),
            findings: a
                .findings
                .iter()
                .map(|f| JsonFinding {
                    rule: f.rule,
                    severity: f.severity,
                    line: f.line,
                    end_line: f.end_line,
                    column: f.column,
                    message: &f.message,
                    aliases: f.aliases,
                })
                .collect(),
            errors: a
                .errors
                .iter()
                .map(|e| JsonError {
                    line: e.line,
                    message: &e.message,
                })
                .collect(),
            suppressed: a
                .suppressed
                .iter()
                .map(|s| JsonSuppressed {
                    rule: s.finding.rule,
                    line: s.finding.line,
                    pragma: &s.pragma,
                    pragma_line: s.pragma_line,
                    reason: s.reason.as_deref(),
                })
                .collect(),
            warnings: a
                .warnings
                .iter()
                .map(|w| JsonError {
                    line: w.line,
                    message: &w.message,
                })
                .collect(),
        })
        .collect();
    let mut json = serde_json::to_string_pretty(&reports)
        .map_err(|e| UsageError(format!("cannot render JSON: {e}")))?;
    json.push('\n');
    Ok(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for d in [
            "1970-01-01",
            "1999-12-31",
            "2000-02-29",
            "2024-02-29",
            "2026-08-22",
            "2100-03-01",
        ] {
            let date = Date::parse(d).unwrap();
            assert_eq!(civil_from_days(date.days_since_epoch()), Some(date), "{d}");
        }
        for days in (-1000..100_000).step_by(37) {
            let date = civil_from_days(days).unwrap();
            assert_eq!(date.days_since_epoch(), days);
        }
        assert_eq!(civil_from_days(-800_000), None);
        assert!(system_today().is_some());
    }
}
