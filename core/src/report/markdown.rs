//! Markdown for a pull-request comment (GitHub-flavoured: tables and
//! `<details>`). A summary table with one row per file, then per file a
//! table of findings whose rule ids link to their docs pages, parse errors,
//! and the silenced findings folded away.

use super::{CONFIG_PRAGMA, FileReport, FindingView, Options, counts, display_path, docs_url};
use crate::diagnostic::{Applicability, Finding, Severity};
use crate::rules;

/// The Markdown report of `files`, ending in a newline.
pub fn markdown(files: &[FileReport<'_>], options: &Options<'_>) -> String {
    let mut out = String::from("## drydock report\n\n");
    let total: usize = files.iter().map(|f| f.analysis.findings.len()).sum();
    out.push_str(&format!(
        "{} file{}, {} finding{} (drydock {}).\n\n",
        files.len(),
        plural(files.len()),
        total,
        plural(total),
        options.tool_version
    ));
    out.push_str("| file | score | grade |");
    for s in Severity::ALL {
        out.push_str(&format!(" {s} |"));
    }
    out.push_str(" silenced | parse errors |\n|---|---:|---|");
    out.push_str(&"---:|".repeat(Severity::ALL.len() + 2));
    out.push('\n');
    for file in files {
        let a = file.analysis;
        out.push_str(&format!(
            "| {} | {} | {} |",
            code(display_path(file.path)),
            a.score,
            a.grade.as_str()
        ));
        for n in counts(a) {
            out.push_str(&format!(" {n} |"));
        }
        out.push_str(&format!(" {} | {} |\n", a.suppressed.len(), a.errors.len()));
    }
    for file in files {
        file_section(&mut out, file, options);
    }
    out
}

fn file_section(out: &mut String, file: &FileReport<'_>, options: &Options<'_>) {
    let a = file.analysis;
    out.push_str(&format!(
        "\n### {} — {}/100 ({})\n\n",
        code(display_path(file.path)),
        a.score,
        a.grade.as_str()
    ));
    if !a.errors.is_empty() || !a.warnings.is_empty() {
        out.push_str("**Parse problems** (`docker build` fails on errors):\n\n");
        out.push_str("| level | line | message |\n|---|---:|---|\n");
        for (level, list) in [("error", &a.errors), ("warning", &a.warnings)] {
            for d in list {
                out.push_str(&format!(
                    "| {level} | {} | {} |\n",
                    d.line,
                    cell(&d.message)
                ));
            }
        }
        out.push('\n');
    }
    if a.findings.is_empty() {
        out.push_str("No findings.\n");
    } else {
        out.push_str("| severity | line | rule | message | points |\n|---|---:|---|---|---:|\n");
        for f in &a.findings {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                f.severity,
                f.line,
                rule_link(f, options),
                message_cell(f),
                f.points()
            ));
        }
    }
    if !a.suppressed.is_empty() {
        let n = a.suppressed.len();
        out.push_str(&format!(
            "\n<details>\n<summary>{n} silenced finding{}</summary>\n\n",
            plural(n)
        ));
        out.push_str(
            "| severity | line | rule | message | silenced by | reason |\n|---|---:|---|---|---|---|\n",
        );
        for s in &a.suppressed {
            let by = if s.pragma == CONFIG_PRAGMA {
                "configuration".to_string()
            } else {
                format!(
                    "{} (line {})",
                    code(&format!("# {}", s.pragma)),
                    s.pragma_line
                )
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {by} | {} |\n",
                s.finding.severity,
                s.finding.line,
                rule_link(&s.finding, options),
                cell(&s.finding.message),
                s.reason.as_deref().map_or_else(|| "—".to_string(), cell),
            ));
        }
        out.push_str("\n</details>\n");
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The message, and the suggested fix when there is one.
fn message_cell(f: &Finding) -> String {
    let mut out = cell(&f.message);
    if let Some(fix) = f.fix() {
        let kind = match fix.applicability {
            Applicability::Safe => "fix",
            Applicability::Unsafe => "fix (review it)",
            Applicability::DisplayOnly => "suggestion",
        };
        out.push_str(&format!("<br>*{kind}:* {}", cell(&fix.description)));
    }
    out
}

/// `[DD001](docs) base-image-unpinned`.
fn rule_link(f: &Finding, options: &Options<'_>) -> String {
    match rules::lookup(f.rule) {
        Some(r) => format!(
            "[{}]({}) {}",
            f.rule,
            docs_url(options.docs_base, f.rule),
            r.meta().name
        ),
        None => escape(f.rule),
    }
}

/// A code span holding `s`, in a table cell.
fn code(s: &str) -> String {
    let ticks = "`".repeat(longest_run(s, '`') + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{}{pad}{ticks}", s.replace('|', "\\|"))
}

/// Text for a table cell: one line, Markdown and HTML escaped outside code
/// spans (messages quote instructions in backticks, e.g. `USER <uid>`),
/// pipes escaped everywhere (GitHub's tables need it inside code spans too).
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    for c in s.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            '|' => out.push_str("\\|"),
            c if in_code => out.push(c),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    // An unclosed backtick would swallow the rest of the row.
    if in_code { escape(s) } else { out }
}

/// Escapes every Markdown-significant character (no code spans).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '*' | '_' | '[' | ']' | '`' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn longest_run(s: &str, c: char) -> usize {
    let mut best = 0;
    let mut run = 0;
    for x in s.chars() {
        run = if x == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// A fenced code block, its fence longer than any backtick run inside.
pub(super) fn code_block(code: &str, lang: &str) -> String {
    let fence = "`".repeat(longest_run(code, '`').max(2) + 1);
    let nl = if code.ends_with('\n') { "" } else { "\n" };
    format!("{fence}{lang}\n{code}{nl}{fence}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_outside_code_spans_only() {
        assert_eq!(
            cell("Add `USER <uid>` a|b <x> *y*\nz"),
            "Add `USER <uid>` a\\|b &lt;x&gt; \\*y\\* z"
        );
        assert_eq!(cell("`a|b`"), "`a\\|b`");
        assert_eq!(cell("odd ` tick <"), "odd \\` tick &lt;");
    }

    #[test]
    fn code_spans_and_blocks_outgrow_backticks() {
        assert_eq!(code("Dockerfile"), "`Dockerfile`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(
            code_block("RUN x\n", "dockerfile"),
            "```dockerfile\nRUN x\n```\n"
        );
        assert_eq!(code_block("````", ""), "`````\n````\n`````\n");
    }
}
