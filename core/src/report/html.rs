//! A self-contained HTML report: one page, its style inline, no scripts, no
//! requests (nothing in it loads anything), every text from the Dockerfile
//! or a finding escaped. Rule ids link to their docs pages.

use super::{FileReport, Options, counts, display_path, docs_url};
use crate::diagnostic::Severity;

/// The HTML report of `files`, a complete document ending in a newline.
pub fn html(files: &[FileReport<'_>], options: &Options<'_>) -> String {
    let mut out = String::from(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>drydock report</title>\n<style>\n",
    );
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<h1>drydock report</h1>\n");
    let total: usize = files.iter().map(|f| f.analysis.findings.len()).sum();
    out.push_str(&format!(
        "<p>{} file{}, {} finding{} (drydock {}).</p>\n",
        files.len(),
        plural(files.len()),
        total,
        plural(total),
        escape(options.tool_version)
    ));
    for file in files {
        section(&mut out, file, options);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn section(out: &mut String, file: &FileReport<'_>, options: &Options<'_>) {
    let a = file.analysis;
    out.push_str(&format!(
        "<section>\n<h2><code>{}</code> — <span class=\"score {}\">{}/100 {}</span></h2>\n",
        escape(display_path(file.path)),
        a.grade.as_str().to_ascii_lowercase(),
        a.score,
        a.grade.as_str()
    ));
    out.push_str("<p class=\"counts\">");
    let parts: Vec<String> = Severity::ALL
        .iter()
        .zip(counts(a))
        .map(|(s, n)| format!("<span class=\"sev {s}\">{n} {s}</span>"))
        .collect();
    out.push_str(&parts.join(" · "));
    out.push_str("</p>\n<table class=\"categories\">\n<tr><th>category</th><th>score</th><th>findings</th></tr>\n");
    for c in &a.score_report.categories {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            c.category.as_str(),
            c.score,
            c.findings
        ));
    }
    out.push_str("</table>\n");
    if !a.errors.is_empty() || !a.warnings.is_empty() {
        out.push_str("<h3>Parse problems</h3>\n<ul>\n");
        for (level, list) in [("error", &a.errors), ("warning", &a.warnings)] {
            for d in list {
                out.push_str(&format!(
                    "<li>{level}, line {}: {}</li>\n",
                    d.line,
                    escape(&d.message)
                ));
            }
        }
        out.push_str("</ul>\n");
    }
    if a.findings.is_empty() {
        out.push_str("<p>No findings.</p>\n");
    } else {
        out.push_str(
            "<table class=\"findings\">\n<tr><th>severity</th><th>line</th><th>rule</th>\
             <th>message</th><th>points</th></tr>\n",
        );
        for f in &a.findings {
            let peers = if f.aliases.is_empty() {
                String::new()
            } else {
                format!("<br><small>{}</small>", escape(&f.aliases.join(", ")))
            };
            out.push_str(&format!(
                "<tr class=\"sev {}\"><td>{}</td><td>{}:{}</td><td><a href=\"{}\">{}</a>{peers}</td>\
                 <td>{}</td><td>{}</td></tr>\n",
                f.severity,
                f.severity,
                f.line,
                f.column,
                escape(&docs_url(options.docs_base, f.rule)),
                f.rule,
                escape(&f.message),
                f.points
            ));
        }
        out.push_str("</table>\n");
    }
    if !a.suppressed.is_empty() {
        out.push_str(&format!(
            "<details>\n<summary>{} silenced</summary>\n<ul>\n",
            a.suppressed.len()
        ));
        for s in &a.suppressed {
            let reason = s
                .reason
                .as_deref()
                .map(|r| format!(" — {}", escape(r)))
                .unwrap_or_default();
            out.push_str(&format!(
                "<li>{} line {}: {} (<code>{}</code>){reason}</li>\n",
                s.finding.rule,
                s.finding.line,
                escape(&s.finding.message),
                escape(&s.pragma)
            ));
        }
        out.push_str("</ul>\n</details>\n");
    }
    out.push_str("<details>\n<summary>Dockerfile</summary>\n<pre>");
    out.push_str(&escape(file.text));
    out.push_str("</pre>\n</details>\n</section>\n");
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `text` with `& < > " '` escaped, safe in element content and in quoted
/// attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;background:#fff}
code,pre{font-family:ui-monospace,monospace}pre{background:#f4f5f7;padding:1rem;overflow:auto}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #d0d4da;padding:.25rem .5rem;text-align:left;vertical-align:top}
.score{font-weight:600}.excellent{color:#1a7f37}.good{color:#4d7d00}.fair{color:#9a6700}.poor{color:#cf222e}
tr.critical td:first-child,tr.high td:first-child{color:#cf222e;font-weight:600}tr.medium td:first-child{color:#9a6700}
@media (prefers-color-scheme: dark){body{color:#e6edf3;background:#0d1117}pre{background:#161b22}td,th{border-color:#30363d}a{color:#58a6ff}}
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze;
    use crate::report::FileReport;

    #[test]
    fn markup_in_the_dockerfile_is_inert() {
        let text = "FROM alpine:3.20\nLABEL x=\"<script>alert(1)</script>\"\n# <img src=x onerror=alert(1)>\nRUN echo '</pre><b>' && curl javascript:alert(1) | sh\n";
        let a = analyze(text);
        let page = html(
            &[FileReport {
                path: "<evil>.Dockerfile",
                text,
                analysis: &a,
            }],
            &Options::default(),
        );
        assert!(!page.contains("<script"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(!page.contains("</pre><b>"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("<code>&lt;evil&gt;.Dockerfile</code>"));
        // Each finding links to its rule's page.
        assert!(!a.findings.is_empty());
        for f in &a.findings {
            let link = format!("#/rules/{}\">{}</a>", f.rule, f.rule);
            assert!(page.contains(&link), "{link}");
        }
        assert!(page.starts_with("<!doctype html>") && page.ends_with("</html>\n"));
    }
}
