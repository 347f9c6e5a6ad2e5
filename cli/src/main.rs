//! `drydock`: the command line over `drydock-core`. Thin: it reads files,
//! calls the core and prints. Exit codes: 0 clean, 1 findings at or above
//! `--fail-on` (or parse errors), 2 usage or IO error.

use std::io::{Read, Write};
use std::process::ExitCode;

mod config;
mod image;
mod lint;
mod parse;
mod rewrite;
mod rules;
mod size;

const USAGE: &str = "\
drydock — Dockerfile security analysis

USAGE:
    drydock lint [--format text|json|sarif|markdown|html] [--fail-on SEVERITY]
                 [--no-fail] [--config FILE | --no-config] [--docs-base URL]
                 [--today YYYY-MM-DD] FILE...
    drydock rules [--format text|json]
    drydock parse [--dump | --format json] FILE
    drydock size [--format text|json] [--context-size BYTES] [--stage NAME] FILE
    drydock rewrite [--format dockerfile|diff|json] [--today YYYY-MM-DD] FILE
    drydock image [--format text|json|sarif|markdown|html] [--image TAG] [--fail-on SEVERITY]
                  [--no-fail] [--no-verify] TARBALL
    drydock --help | --version

COMMANDS:
    lint    Check Dockerfiles and print findings with a 0–100 score.
            FILE may be `-` for standard input.
    rules   List the rules: id, name, severity, category, summary, peer ids.
    parse   Print the syntax tree: `--dump` as BuildKit's AST.Dump() text,
            `--format json` (default) with spans, errors and warnings.
            Exits 1 when the file has parse errors.
    size    Estimate the image's size before building it: compressed (pull)
            and on disk, low/expected/high, with a reason per instruction.
            `--context-size` gives the build context's size (`50MB`) for
            `COPY .`; `--stage` estimates another stage than the target.
    rewrite Print a safer, smaller Dockerfile: multi-stage, distroless
            runtime, non-root, exec-form commands. `--format diff` prints
            a unified diff, `json` everything (changes and their reasons,
            scores before and after). The outcome and the changes go to
            standard error. A file that is already minimal, or that cannot
            be rewritten safely, is printed unchanged with the reason.
    image   Analyse a `docker save` or OCI archive (plain or gzip'ed): layers,
            dive's efficiency and wasted bytes, reclaimable bytes, OS
            packages, config and file findings, a 0–100 score. `--image`
            picks an image by tag when the archive holds several. Exits 1
            on findings at or above --fail-on (default high) or when the
            archive is damaged (what could be read is still reported).
            `--no-verify` skips SHA-256 digest checks (about 4× as fast;
            verified reads hash on a second thread).

OPTIONS (lint):
    --format FORMAT        text (default; file:line:col: severity[rule]: message),
                           json, sarif (SARIF 2.1.0, for code scanning) or
                           markdown (for a pull-request comment).
    --fail-on SEVERITY     Exit 1 when a finding is at or above SEVERITY:
                           critical, high, medium, low, info, or `none`
                           (default: high, or the config file's). Parse
                           errors always fail.
    --today YYYY-MM-DD     The date end-of-life verdicts are judged on
                           (default: the system clock's, UTC).
    --no-fail              Exit 0 whatever was found (2 still means an error).
    -c, --config FILE      Read a config file (drydock's keys and
                           .hadolint.yaml's). Without it, the first of
                           .drydock.yaml, .drydock.yml, .hadolint.yaml,
                           .hadolint.yml in the current directory is read.
    --no-config            Read no config file.
    --docs-base URL        Base URL of the rule docs pages (<URL>#/rules/<id>)
                           in json, sarif and markdown output.

EXIT CODES:
    0  no finding at or above --fail-on
    1  findings at or above --fail-on, or parse errors
    2  usage or input/output error
";

/// A failure to report on standard error with exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => print(USAGE),
        Some("-V" | "--version") => print(&format!("drydock {}\n", env!("CARGO_PKG_VERSION"))),
        Some("lint") => lint::run(args.get(1..).unwrap_or_default()),
        Some("parse") => parse::run(args.get(1..).unwrap_or_default()),
        Some("rewrite") => rewrite::run(args.get(1..).unwrap_or_default()),
        Some("image") => image::run(args.get(1..).unwrap_or_default()),
        Some("rules") => rules::run(args.get(1..).unwrap_or_default()),
        Some("size") => size::run(args.get(1..).unwrap_or_default()),
        Some(other) => Err(UsageError(format!(
            "unknown command `{other}`; run `drydock --help` for the commands"
        ))),
    };
    match result {
        Ok(code) => code,
        Err(UsageError(message)) => {
            let _ = writeln!(std::io::stderr(), "drydock: {message}");
            ExitCode::from(2)
        }
    }
}

/// A command's arguments one at a time: `--name=value` is split into its
/// name and the inline value, which [`Args::value`] takes before the next
/// argument (`--name value`).
#[derive(Debug)]
pub struct Args<'a> {
    it: std::slice::Iter<'a, String>,
    inline: Option<String>,
}

impl<'a> Args<'a> {
    pub fn new(args: &'a [String]) -> Self {
        Args {
            it: args.iter(),
            inline: None,
        }
    }

    /// The next argument's name (the whole argument unless it is `--name=value`).
    pub fn next_name(&mut self) -> Option<&'a str> {
        let arg = self.it.next()?;
        match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                self.inline = Some(value.to_string());
                Some(name)
            }
            _ => {
                self.inline = None;
                Some(arg.as_str())
            }
        }
    }

    /// The value of the option just named.
    pub fn value(&mut self, flag: &str) -> Result<String, UsageError> {
        self.inline
            .take()
            .or_else(|| self.it.next().cloned())
            .ok_or_else(|| UsageError(format!("{flag} needs a value")))
    }
}

/// The output formats of `lint` and `image`: text, or one of the core's
/// report renderers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Markdown,
    Html,
}

impl Format {
    /// `--format`'s value.
    pub fn parse(value: &str) -> Result<Format, UsageError> {
        Ok(match value {
            "text" => Format::Text,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "markdown" | "md" => Format::Markdown,
            "html" => Format::Html,
            other => {
                return Err(UsageError(format!(
                    "unknown format `{other}` (text, json, sarif, markdown, html)"
                )));
            }
        })
    }
}

/// `--fail-on`'s value: a severity, or `none` (never fail on findings).
pub fn parse_fail_on(value: &str) -> Result<Option<drydock_core::Severity>, UsageError> {
    match value {
        "none" | "never" => Ok(None),
        s => drydock_core::Severity::parse(s).map(Some).ok_or_else(|| {
            UsageError(format!(
                "unknown severity `{s}` (critical, high, medium, low, info, none)"
            ))
        }),
    }
}

fn print(text: &str) -> Result<ExitCode, UsageError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .map_err(|e| UsageError(format!("cannot write output: {e}")))?;
    Ok(ExitCode::SUCCESS)
}

/// Reads a file (or standard input for `-`). Invalid UTF-8 is analysed with
/// replacement characters, not refused.
pub fn read_input(file: &str) -> Result<String, UsageError> {
    let mut bytes = Vec::new();
    let result = if file == "-" {
        std::io::stdin().lock().read_to_end(&mut bytes)
    } else {
        std::fs::File::open(file).and_then(|mut f| f.read_to_end(&mut bytes))
    };
    let name = if file == "-" { "standard input" } else { file };
    result.map_err(|e| UsageError(format!("cannot read {name}: {e}")))?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}
