//! `drydock rewrite`: a safer, smaller Dockerfile, as text, a diff or JSON.

use std::io::Write;
use std::process::ExitCode;

use drydock_core::AnalysisOptions;
use drydock_core::eol::Date;
use drydock_core::rewrite::{Outcome, rewrite_with};

use crate::{UsageError, read_input};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Dockerfile,
    Diff,
    Json,
}

pub fn run(args: &[String]) -> Result<ExitCode, UsageError> {
    let mut format = Format::Dockerfile;
    let mut today = None;
    let mut file = None;
    let mut args = crate::Args::new(args);
    while let Some(flag) = args.next_name() {
        let mut value = |name: &str| args.value(name);
        match flag {
            "--format" => {
                format = match value("--format")?.as_str() {
                    "dockerfile" => Format::Dockerfile,
                    "diff" => Format::Diff,
                    "json" => Format::Json,
                    other => {
                        return Err(UsageError(format!(
                            "unknown format `{other}` (dockerfile, diff, json)"
                        )));
                    }
                }
            }
            "--today" => {
                let v = value("--today")?;
                today = Some(Date::parse(&v).ok_or_else(|| {
                    UsageError(format!("`--today {v}` is not a date (YYYY-MM-DD)"))
                })?);
            }
            f if f.starts_with('-') && f != "-" => {
                return Err(UsageError(format!("unknown option `{f}` for rewrite")));
            }
            path if file.is_none() => file = Some(path.to_string()),
            _ => return Err(UsageError("rewrite takes one FILE".into())),
        }
    }
    let file =
        file.ok_or_else(|| UsageError("rewrite needs a FILE (or `-` for standard input)".into()))?;
    let text = read_input(&file)?;
    let options = AnalysisOptions {
        today: today.or_else(crate::lint::system_today),
        ..AnalysisOptions::default()
    };
    let r = rewrite_with(&text, &options);
    let output = match format {
        Format::Json => {
            let mut json = serde_json::to_string_pretty(&r)
                .map_err(|e| UsageError(format!("cannot render JSON: {e}")))?;
            json.push('\n');
            json
        }
        Format::Dockerfile => r.dockerfile.clone(),
        Format::Diff => r.diff.clone(),
    };
    if format != Format::Json {
        // The why goes to standard error, so standard output stays a file.
        let mut err = std::io::stderr().lock();
        let stack = r.stack.map_or("unknown", |s| s.as_str());
        let _ = writeln!(err, "{file}: {} ({stack} stack)", r.outcome.as_str());
        if let Some(reason) = &r.reason {
            let _ = writeln!(err, "  {reason}");
        }
        for c in &r.changes {
            let _ = writeln!(err, "  - {}: {}", c.summary, c.reason);
        }
        if r.outcome == Outcome::Rewritten {
            let _ = writeln!(err, "  score {} → {}", r.score_before, r.score_after);
        }
    }
    std::io::stdout()
        .lock()
        .write_all(output.as_bytes())
        .map_err(|e| UsageError(format!("cannot write output: {e}")))?;
    Ok(ExitCode::SUCCESS)
}
