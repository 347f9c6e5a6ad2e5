//! Reports: pure renderers from analyses to text — the findings as JSON,
//! SARIF 2.1.0 for code scanning, Markdown for pull-request comments and a
//! self-contained HTML page. The CLI prints them; the web app offers them
//! for download. No IO here.
//!
//! Renderers take the text with each analysis, because SARIF regions need
//! end columns and fingerprints need line content, and both are derived from
//! spans, never stored.
//!
//! Rule docs links are `<docs base>#/rules/<id>`: the web app's hash route
//! for a rule page, under a base URL that is [`DOCS_BASE`] unless the caller
//! (`drydock lint --docs-base URL`) gives another.

use crate::analysis::Analysis;
use crate::diagnostic::{LineIndex, Severity, Span};

mod badge;
mod html;
pub(crate) mod json;
mod lint_json;
mod markdown;
mod sarif;
mod view;

pub use badge::{badge_markdown, badge_svg};
pub use html::{escape as escape_html, html};
pub use lint_json::json;
pub use markdown::markdown;
pub use sarif::sarif;
pub use view::FindingView;

/// Where the web app (and so each rule's docs page) is served. Rule pages
/// are the hash route `#/rules/<id>` under it; see [`docs_url`].
pub const DOCS_BASE: &str = "https://drydock.invalid/";

/// The pragma text of a finding silenced by configuration rather than by a
/// comment in the file (see [`crate::config`]).
pub const CONFIG_PRAGMA: &str = "config";

/// The docs page of rule `id` under `base` (the web app's URL).
pub fn docs_url(base: &str, id: &str) -> String {
    format!("{base}#/rules/{id}")
}

/// One analysed file as the renderers take it.
#[derive(Debug, Clone, Copy)]
pub struct FileReport<'a> {
    /// The path as the user gave it; `-` is standard input.
    pub path: &'a str,
    /// The text that was analysed (spans point into it).
    pub text: &'a str,
    pub analysis: &'a Analysis,
}

/// Settings every renderer shares.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The drydock version, e.g. `env!("CARGO_PKG_VERSION")`.
    pub tool_version: &'a str,
    /// The base of rule docs links (an absolute URL); [`DOCS_BASE`] by default.
    pub docs_base: &'a str,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            tool_version: "0.0.0",
            docs_base: DOCS_BASE,
        }
    }
}

/// A 1-based region: lines, and columns in Unicode scalar values; the end
/// column is the one just past the region (SARIF's convention).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// The region of `span` in `text`. A trailing line break is not part of it,
/// so an instruction's region ends on its own last line.
pub fn region(text: &str, lines: &LineIndex, span: Span) -> Region {
    let start = span.start.min(text.len());
    let mut end = span.end.clamp(start, text.len());
    while end > start
        && text
            .get(..end)
            .is_some_and(|t| t.ends_with('\n') || t.ends_with('\r'))
    {
        end -= 1;
    }
    let s = lines.position(text, start);
    let e = lines.position(text, end);
    Region {
        start_line: s.line,
        start_column: s.column,
        end_line: e.line,
        end_column: e.column,
    }
}

/// The name SARIF and Markdown use for a path: `-` is `stdin`.
pub fn display_path(path: &str) -> &str {
    if path == "-" { "stdin" } else { path }
}

/// Counts of standing findings by severity, most severe first (the order of
/// [`Severity::ALL`]).
pub fn counts(analysis: &Analysis) -> [usize; 5] {
    Severity::ALL.map(|s| analysis.findings.iter().filter(|f| f.severity == s).count())
}

/// Stable 64-bit FNV-1a, for fingerprints that must not change between
/// releases or platforms (std's hasher promises neither).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Line `line` (1-based) of `text` with runs of blanks collapsed to one
/// space and the ends trimmed, so re-indenting does not change it.
fn normalized_line(text: &str, lines: &LineIndex, line: usize) -> String {
    let start = lines.line_start(line).unwrap_or(text.len());
    let rest = text.get(start..).unwrap_or_default();
    let content = rest.split('\n').next().unwrap_or_default();
    content.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_one_based_and_leave_out_the_line_break() {
        let text = "FROM a\nRUN x \\\n  y\nUSER é\n";
        let lines = LineIndex::new(text);
        // `RUN x \ y` with its newline: ends on its own last line.
        let r = region(text, &lines, Span::new(7, 19));
        assert_eq!(
            r,
            Region {
                start_line: 2,
                start_column: 1,
                end_line: 3,
                end_column: 4
            }
        );
        // Columns count characters, not bytes.
        let r = region(text, &lines, Span::new(19, 26));
        assert_eq!((r.start_line, r.end_column), (4, 7));
        // Empty and out-of-range spans stay inside the text.
        let r = region(text, &lines, Span::new(999, 5));
        assert_eq!((r.start_line, r.start_column, r.end_line), (5, 1, 5));
    }

    #[test]
    fn docs_urls_and_paths() {
        assert_eq!(
            docs_url(DOCS_BASE, "DD001"),
            "https://drydock.invalid/#/rules/DD001"
        );
        assert_eq!(display_path("-"), "stdin");
        assert_eq!(display_path("a/Dockerfile"), "a/Dockerfile");
    }

    #[test]
    fn fingerprint_lines_ignore_blanks() {
        let text = "FROM a\n  RUN   x\ty  \n";
        let lines = LineIndex::new(text);
        assert_eq!(normalized_line(text, &lines, 2), "RUN x y");
        assert_eq!(normalized_line(text, &lines, 9), "");
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
