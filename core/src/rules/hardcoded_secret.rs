use crate::diagnostic::{Finding, Severity, Span};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::secrets::{Confidence, SecretMatch, classify_assignment, scan_text};
use crate::syntax::Instruction;

/// A credential written into the Dockerfile.
#[derive(Debug)]
pub struct HardcodedSecret;

static META: RuleMeta = RuleMeta {
    id: "DD100",
    name: "hardcoded-secret",
    severity: Severity::Critical,
    category: Category::Security,
    aliases: &["DS031", "SecretsUsedInArgOrEnv", "CIS-DI-0010"],
    summary: "A password, token or key is written in the Dockerfile",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Finds credentials written into the Dockerfile: `ENV`, `ARG` and `LABEL` \
        values under credential names (`DB_PASSWORD=…`, `API_KEY=…`), known token formats \
        under any name (AWS, GitHub, GitLab, Slack, Stripe, Google, npm, PyPI keys, JWTs, \
        private-key blocks), passwords in URLs (`ADD https://user:pass@host/…`) and on \
        command lines (`mysql -p…`, `--password=…`) in `RUN`, heredoc bodies and every other \
        instruction. References (`${DB_PASSWORD}`), placeholders (`changeme`, `<your-key>`) \
        and file paths are not secrets. Each finding shows the secret redacted — a few \
        leading characters and its length — never the value. Every stage is judged: the \
        Dockerfile itself is where the secret leaks.",
    why_it_matters: "A value in `ENV` or `LABEL` is part of the image's configuration, and a \
        value used by `ARG`, `RUN` or `ADD` stays in its history: anyone who can pull the \
        image reads it with `docker inspect` or `docker history`, and anyone who can read \
        the repository reads it in the Dockerfile. Deleting it in a later layer does not \
        remove it. A leaked credential must be treated as compromised and rotated.",
    bad_example: "FROM node:22-slim\nENV DATABASE_PASSWORD=mysecretpassword123\nUSER node\n",
    good_example: "FROM node:22-slim\n# The password comes from the orchestrator at run time.\nENV DATABASE_PASSWORD_FILE=/run/secrets/db_password\nUSER node\n",
    references: &[
        "https://docs.docker.com/build/building/secrets/",
        "https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/",
        "https://cwe.mitre.org/data/definitions/798.html",
    ],
};

impl Rule for HardcodedSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in &cx.file.instructions {
            check_instruction(cx, inst, inst, out);
        }
    }
}

fn check_instruction(
    cx: &Context<'_>,
    outer: &Instruction,
    inst: &Instruction,
    out: &mut Vec<Finding>,
) {
    let keyword = inst.cmd.to_ascii_uppercase();
    match keyword.as_str() {
        "ENV" | "LABEL" => {
            for (i, triple) in inst.value.chunks(3).enumerate() {
                if let [key, value, ..] = triple
                    && let Some(m) = classify_assignment(key, value)
                {
                    let span = inst.value_spans.get(i * 3 + 1).copied();
                    let span = inner_span(span, value, m.span).unwrap_or(outer.span);
                    report(cx, out, span, &format!("`{keyword} {key}`"), &m);
                }
            }
        }
        "ARG" => {
            for (i, item) in inst.value.iter().enumerate() {
                if let Some((key, value)) = item.split_once('=')
                    && let Some(m) = classify_assignment(key, value)
                {
                    let item_span = inst.value_spans.get(i).copied();
                    // The default starts after `NAME=`.
                    let value_span = item_span
                        .filter(|s| s.end.saturating_sub(s.start) == item.len())
                        .map(|s| Span::new(s.start + key.len() + 1, s.end));
                    let span = inner_span(value_span, value, m.span).unwrap_or(outer.span);
                    report(cx, out, span, &format!("the default of `ARG {key}`"), &m);
                }
            }
        }
        "ONBUILD" => {
            if let Some(sub) = &inst.sub_command {
                check_instruction(cx, outer, sub, out);
            }
        }
        _ => {
            // Each argument as BuildKit keeps it (continuation lines joined,
            // so a command and its options are seen together), then each
            // heredoc body.
            let what = format!("`{keyword}`");
            for (i, item) in inst.value.iter().enumerate() {
                for m in scan_text(item) {
                    let span = item_span(inst, i, item, m.span).unwrap_or(outer.span);
                    report(cx, out, span, &what, &m);
                }
            }
            for h in &inst.heredocs {
                let verbatim =
                    h.content_span.end.saturating_sub(h.content_span.start) == h.content.len();
                for m in scan_text(&h.content) {
                    let span = if verbatim {
                        Span::new(
                            h.content_span.start + m.span.start,
                            h.content_span.start + m.span.end,
                        )
                    } else {
                        h.content_span
                    };
                    report(
                        cx,
                        out,
                        span,
                        &format!("`{keyword}` heredoc `{}`", h.name),
                        &m,
                    );
                }
            }
        }
    }
}

/// The file span of bytes `range` of `inst.value[i]` (`item`): exact when
/// the item is verbatim text (across continuation lines) or a JSON string
/// without escapes; else the item's span.
fn item_span(inst: &Instruction, i: usize, item: &str, range: Span) -> Option<Span> {
    if let Some(span) = inst.value_source_span(i, range.start..range.end) {
        return Some(span);
    }
    let s = *inst.value_spans.get(i)?;
    let len = s.end.saturating_sub(s.start);
    let start = if len == item.len() {
        s.start
    } else if len == item.len() + 2 {
        s.start + 1
    } else {
        return Some(s);
    };
    Some(Span::new(start + range.start, start + range.end))
}

/// The file span of `secret` (a span of `value`) when `value_span` is
/// exactly `value` in the file; else the value's span, if known.
fn inner_span(value_span: Option<Span>, value: &str, secret: Span) -> Option<Span> {
    let s = value_span?;
    if s.end.saturating_sub(s.start) == value.len() {
        Some(Span::new(s.start + secret.start, s.start + secret.end))
    } else {
        Some(s)
    }
}

fn report(cx: &Context<'_>, out: &mut Vec<Finding>, span: Span, what: &str, m: &SecretMatch) {
    let message = format!(
        "Secret in {what} ({}): {}. Anyone with the image or the Dockerfile can read it; \
         rotate it, and pass it at build time with `RUN --mount=type=secret` or at run time \
         from a secret store.",
        m.kind.description(),
        m.redacted
    );
    let mut f = cx.finding(&META, span, message);
    if m.confidence == Confidence::Low {
        // Test keys (`sk_test_…`) move no money: still a leak, less urgent.
        f.severity = Severity::Medium;
    }
    out.push(f);
}

#[cfg(test)]
mod tests {
    use crate::analyze;
    use crate::rules::check;

    fn found(text: &str) -> Vec<(usize, String)> {
        check::lines_and_spans("DD100", text)
    }

    #[test]
    fn env_arg_label_values_with_exact_spans() {
        assert_eq!(
            found("FROM a:1\nENV A=1 DB_PASSWORD=\"hunter22\" B=2\n"),
            [(2, "hunter22".to_string())]
        );
        assert_eq!(
            found("ARG GH=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\nFROM a:1\n"),
            [(1, "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789".to_string())]
        );
        assert_eq!(
            found("FROM a:1\nLABEL api_key=Zx8vQ2mN7pL4kR9tY3wB6hJ1\n"),
            [(2, "Zx8vQ2mN7pL4kR9tY3wB6hJ1".to_string())]
        );
        assert_eq!(
            found("FROM a:1\nENV DB_PASSWORD hunter22\n"),
            [(2, "hunter22".to_string())]
        );
    }

    #[test]
    fn run_heredoc_and_add_urls() {
        assert_eq!(
            found(
                "FROM a:1\nRUN apt-get update && \\\n    mysql -uroot -pS3cretPw1 -e 'select 1'\n"
            ),
            [(3, "S3cretPw1".to_string())]
        );
        assert_eq!(
            found(
                "FROM a:1\nRUN <<EOF\necho start\nexport GITHUB_TOKEN=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\nEOF\n"
            ),
            [(4, "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789".to_string())]
        );
        assert_eq!(
            found("FROM a:1\nADD https://deploy:Xk29sPq1z@files.example.com/app.tgz /app/\n"),
            [(2, "Xk29sPq1z".to_string())]
        );
        assert_eq!(
            found("FROM a:1\nONBUILD ENV API_TOKEN=abcd1234efgh\n"),
            [(2, "abcd1234efgh".to_string())]
        );
    }

    #[test]
    fn messages_never_hold_the_secret() {
        let a = analyze("FROM a:1\nENV JWT_SECRET=supersecret\n");
        let f = a.findings.iter().find(|f| f.rule == "DD100").unwrap();
        assert!(!f.message.contains("supersecret"), "{}", f.message);
        assert!(f.message.contains("su…(11 chars)"), "{}", f.message);
    }

    #[test]
    fn references_placeholders_and_paths_are_not_secrets() {
        for text in [
            "FROM a:1\nENV DB_PASSWORD=${DB_PASSWORD}\n",
            "FROM a:1\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc\n",
            "FROM a:1\nENV PASSWORD_FILE=/run/secrets/pw\n",
            "FROM a:1\nENV API_KEY=<your-api-key>\n",
            "FROM a:1\nENV GPG_KEY=B42F6819007F00F88E364FD4036A9C25BF357DD4\n",
            "FROM a:1\nRUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci\n",
            "FROM a:1\nRUN curl -u \"$USER:$PASS\" https://example.com\n",
        ] {
            assert_eq!(found(text), [], "{text}");
        }
    }

    #[test]
    fn stripe_test_keys_are_medium() {
        let a = analyze("FROM a:1\nENV STRIPE=sk_test_aBcDeFgHiJkLmNoPqRsTuVwX\n");
        let f = a.findings.iter().find(|f| f.rule == "DD100").unwrap();
        assert_eq!(f.severity, crate::Severity::Medium);
    }
}
