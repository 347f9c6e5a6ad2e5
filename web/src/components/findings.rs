use drydock_core::diagnostic::Fix;
use drydock_core::syntax::SyntaxDiagnostic;
use drydock_core::{Analysis, Finding, Severity};
use leptos::prelude::*;

use super::prose::prose;

/// Parse errors and warnings, then findings grouped by severity (worst
/// first, counts in the headings), each group in text order. Each names its
/// line; activating it selects the text it is about.
#[component]
pub fn Findings(
    #[prop(into)] analysis: Signal<Analysis>,
    on_select: Callback<Finding>,
    /// Ignore a rule from now on (the settings panel lists it).
    on_ignore: Callback<&'static str>,
    /// Apply a finding's fix to the text.
    on_fix: Callback<Fix>,
    /// The text is newer than the analysis: fixes would land in the wrong place.
    #[prop(into)]
    pending: Signal<bool>,
) -> impl IntoView {
    let errors = move || analysis.with(|a| problems(&a.errors, "parse-error", "error"));
    let warnings = move || analysis.with(|a| problems(&a.warnings, "parse-warning", "warning"));
    let groups = move || {
        analysis.with(|a| {
            Severity::ALL
                .into_iter()
                .filter_map(|sev| {
                    let items: Vec<&Finding> =
                        a.findings.iter().filter(|f| f.severity == sev).collect();
                    if items.is_empty() {
                        return None;
                    }
                    let heading = format!("{} ({})", capitalized(sev.as_str()), items.len());
                    let rows = items
                        .into_iter()
                        .map(|f| finding_row(f, on_select, on_ignore, on_fix, pending))
                        .collect_view();
                    Some(view! {
                        <li class="severity-group" data-severity=sev.as_str()>
                            <h3 class=format!("sev sev-{}", sev.as_str())>{heading}</h3>
                            <ul class="finding-list">{rows}</ul>
                        </li>
                    })
                })
                .collect_view()
        })
    };
    let silenced = move || {
        analysis.with(|a| {
            a.suppressed
                .iter()
                .map(|s| {
                    let why = s.reason.clone().unwrap_or_else(|| "no reason given".to_string());
                    view! {
                        <li class="silenced" data-rule=s.finding.rule>
                            <span class="where">{format!("line {}", s.finding.line)}</span>
                            " "
                            <span class="rule">{s.finding.rule}</span>
                            " "
                            <span class="message">{prose(&s.finding.message)}</span>
                            <span class="muted">
                                {if s.pragma == drydock_core::report::CONFIG_PRAGMA {
                                    "ignored in Settings".to_string()
                                } else {
                                    format!("silenced by `{}` (line {}): {why}", s.pragma, s.pragma_line)
                                }}
                            </span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let silenced_count = move || analysis.with(|a| a.suppressed.len());
    let empty = move || {
        analysis.with(|a| a.findings.is_empty() && a.errors.is_empty() && a.warnings.is_empty())
    };
    view! {
        <section class="findings" aria-label="Findings">
            <h2>"Findings"</h2>
            <Show when=empty>
                <p class="no-findings">"No findings."</p>
            </Show>
            <ul class="finding-list" data-testid="findings">
                {errors}
                {warnings}
            </ul>
            <ul class="severity-groups">{groups}</ul>
            <Show when=move || silenced_count() != 0>
                <details class="silenced-list">
                    <summary>{move || format!("Silenced ({})", silenced_count())}</summary>
                    <ul>{silenced}</ul>
                </details>
            </Show>
        </section>
    }
}

/// Parse errors or warnings as list items.
fn problems(
    list: &[SyntaxDiagnostic],
    class: &'static str,
    label: &'static str,
) -> impl IntoView + use<> {
    list.iter()
        .map(|d| {
            view! {
                <li class=class>
                    <span class=format!("sev sev-{label}")>{label}</span>
                    <span class="where">{format!("line {}", d.line)}</span>
                    <span class="message">{d.message.clone()}</span>
                </li>
            }
        })
        .collect_view()
}

fn finding_row(
    f: &Finding,
    on_select: Callback<Finding>,
    on_ignore: Callback<&'static str>,
    on_fix: Callback<Fix>,
    pending: Signal<bool>,
) -> impl IntoView + use<> {
    let sev = f.severity.as_str();
    let peers = f.aliases.join(", ");
    let finding = f.clone();
    let rule = f.rule;
    view! {
        <li class="finding" data-rule=f.rule data-line=f.line data-severity=sev>
            <button type="button" class="finding-button"
                on:click=move |_| on_select.run(finding.clone())>
                <span class=format!("sev sev-{sev}")>{sev}</span>
                <span class="where">{format!("line {}:{}", f.line, f.column)}</span>
                <span class="rule">{f.rule}</span>
                <span class="points" title="Points this finding costs: the score rises by this much when it is fixed">
                    {format!("−{}", f.points)}
                </span>
                <span class="message">{prose(&f.message)}</span>
                <span class="peers" title="Peer rules this covers">{peers}</span>
            </button>
            <span class="finding-actions">
                <a class="docs-link" href=format!("#/rules/{}", f.rule)
                    aria-label=format!("Docs for {}", f.rule)>"docs"</a>
                {f.fix.clone().map(|fix| {
                    let title = format!("{} ({})", fix.description, applicability(&fix));
                    view! {
                        <button type="button" class="fix-button" title=title
                            aria-label=format!("Fix {rule}: {}", fix.description)
                            disabled=move || pending.get()
                            on:click=move |_| on_fix.run(fix.clone())>"fix"</button>
                    }
                })}
                <button type="button" class="ignore-button" on:click=move |_| on_ignore.run(rule)
                    aria-label=format!("Ignore rule {rule}")
                    title="Ignore this rule from now on (undo in Settings)">"ignore"</button>
            </span>
        </li>
    }
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn applicability(fix: &Fix) -> &'static str {
    match fix.applicability {
        drydock_core::diagnostic::Applicability::Safe => "safe",
        drydock_core::diagnostic::Applicability::Unsafe => "changes behaviour: review it",
        drydock_core::diagnostic::Applicability::DisplayOnly => "a suggestion",
    }
}
