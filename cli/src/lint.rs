//! `drydock lint`.

use std::io::Write;
use std::process::ExitCode;

use std::path::PathBuf;

use drydock_core::eol::Date;
use drydock_core::report;
use drydock_core::{Analysis, AnalysisOptions, Severity, analyze_with};

use crate::config::{self, FileConfig};
use crate::{Format, UsageError};

const LINT_USAGE: &str = "usage: drydock lint [--format text|json|sarif|markdown|html] [--fail-on SEVERITY] \
[--no-fail] [--config FILE | --no-config] [--docs-base URL] [--today YYYY-MM-DD] FILE...";

#[derive(Debug)]
struct Options {
    format: Format,
    /// From `--fail-on`; `Some(None)` never fails on findings. Beats the
    /// config file.
    fail_on: Option<Option<Severity>>,
    no_fail: bool,
    config: ConfigChoice,
    docs_base: String,
    /// `--today`; the system clock's date otherwise.
    today: Option<Date>,
    files: Vec<String>,
}

#[derive(Debug)]
enum ConfigChoice {
    /// Look for a config file in the current directory.
    Discover,
    File(PathBuf),
    None,
}

fn parse_options(args: &[String]) -> Result<Options, UsageError> {
    let mut options = Options {
        format: Format::Text,
        fail_on: None,
        no_fail: false,
        config: ConfigChoice::Discover,
        docs_base: report::DOCS_BASE.to_string(),
        today: None,
        files: Vec::new(),
    };
    let mut args = crate::Args::new(args);
    while let Some(name) = args.next_name() {
        let mut value = |flag: &str| args.value(flag);
        match name {
            "--format" => options.format = Format::parse(&value("--format")?)?,
            "--fail-on" => {
                options.fail_on = Some(crate::parse_fail_on(&value("--fail-on")?)?);
            }
            "--today" => {
                let v = value("--today")?;
                options.today = Some(Date::parse(&v).ok_or_else(|| {
                    UsageError(format!("`--today {v}` is not a date (YYYY-MM-DD)"))
                })?);
            }
            "--no-fail" => options.no_fail = true,
            "--config" | "-c" => options.config = ConfigChoice::File(value("--config")?.into()),
            "--no-config" => options.config = ConfigChoice::None,
            "--docs-base" => {
                let base = value("--docs-base")?;
                if !is_absolute_url(&base) {
                    return Err(UsageError(format!(
                        "--docs-base needs an absolute URL such as https://example.org/drydock/, not `{base}`"
                    )));
                }
                options.docs_base = base;
            }
            "-h" | "--help" => return Err(UsageError(LINT_USAGE.into())),
            "-" => options.files.push(name.to_string()),
            flag if flag.starts_with('-') => {
                return Err(UsageError(format!("unknown option `{flag}` for lint")));
            }
            file => options.files.push(file.to_string()),
        }
    }
    if options.files.is_empty() {
        return Err(UsageError(
            "lint needs at least one FILE (or `-` for standard input)".into(),
        ));
    }
    Ok(options)
}

/// `scheme://rest`, the scheme a letter followed by letters, digits, `+-.`.
fn is_absolute_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !s.chars().any(char::is_whitespace)
}

/// The config file in effect, if any; warnings go to standard error.
fn read_config(choice: &ConfigChoice) -> Result<Option<FileConfig>, UsageError> {
    let path = match choice {
        ConfigChoice::None => return Ok(None),
        ConfigChoice::File(path) => path.clone(),
        ConfigChoice::Discover => {
            let Some(path) = std::env::current_dir()
                .ok()
                .and_then(|d| config::discover(&d))
            else {
                return Ok(None);
            };
            // Name it as found, relative to where drydock runs.
            path.file_name().map_or(path.clone(), PathBuf::from)
        }
    };
    let file = config::load(&path).map_err(UsageError)?;
    let mut err = std::io::stderr().lock();
    for w in &file.warnings {
        let _ = writeln!(err, "drydock: warning: {w}");
    }
    Ok(Some(file))
}

pub fn run(args: &[String]) -> Result<ExitCode, UsageError> {
    let options = parse_options(args)?;
    let file_config = read_config(&options.config)?;
    let config = file_config.as_ref().map(|c| &c.config);
    // The command line beats the config file; `fail-on` beats hadolint's
    // `failure-threshold` (the file reader keeps the former).
    let fail_on = options
        .fail_on
        .or(file_config.as_ref().and_then(|c| c.fail_on))
        .unwrap_or(Some(Severity::High));
    let no_fail = options.no_fail || file_config.as_ref().is_some_and(|c| c.no_fail);
    // Read every input first: an unreadable file is a usage error (exit 2)
    // and nothing half-printed.
    let mut inputs = Vec::with_capacity(options.files.len());
    for file in &options.files {
        inputs.push((file.as_str(), crate::read_input(file)?));
    }
    let analysis_options = AnalysisOptions {
        today: options.today.or_else(system_today),
        trusted_registries: config
            .map(|c| c.trusted_registries.clone())
            .unwrap_or_default(),
    };
    let analyses: Vec<(&str, Analysis)> = inputs
        .iter()
        .map(|(f, text)| {
            let a = analyze_with(text, &analysis_options);
            (*f, if let Some(c) = config { c.apply(a) } else { a })
        })
        .collect();
    let failed = !no_fail
        && analyses.iter().any(|(_, a)| {
            !a.errors.is_empty()
                || fail_on.is_some_and(|t| a.findings.iter().any(|f| f.severity >= t))
        });
    let files: Vec<report::FileReport<'_>> = inputs
        .iter()
        .zip(&analyses)
        .map(|((path, text), (_, analysis))| report::FileReport {
            path,
            text,
            analysis,
        })
        .collect();
    let report_options = report::Options {
        tool_version: env!("CARGO_PKG_VERSION"),
        docs_base: &options.docs_base,
    };
    let output = match options.format {
        Format::Text => render_text(&analyses),
        Format::Json => report::json(&files, &report_options),
        Format::Sarif => report::sarif(&files, &report_options),
        Format::Markdown => report::markdown(&files, &report_options),
        Format::Html => report::html(&files, &report_options),
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
pub(crate) fn system_today() -> Option<Date> {
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
