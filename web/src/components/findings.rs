use drydock_core::{Analysis, Finding};
use leptos::prelude::*;

use super::prose::prose;

/// Parse errors, then findings in text order. Each names its line; activating
/// it selects the text it is about.
#[component]
pub fn Findings(
    #[prop(into)] analysis: Signal<Analysis>,
    on_select: Callback<Finding>,
) -> impl IntoView {
    let errors = move || {
        analysis.with(|a| {
            a.errors
                .iter()
                .map(|e| {
                    view! {
                        <li class="parse-error">
                            <span class="sev sev-error">"error"</span>
                            <span class="where">{format!("line {}", e.line)}</span>
                            <span class="message">{e.message.clone()}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let warnings = move || {
        analysis.with(|a| {
            a.warnings
                .iter()
                .map(|w| {
                    view! {
                        <li class="parse-warning">
                            <span class="sev sev-warning">"warning"</span>
                            <span class="where">{format!("line {}", w.line)}</span>
                            <span class="message">{w.message.clone()}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let items = move || {
        analysis.with(|a| {
            a.findings
                .iter()
                .map(|f| {
                    let sev = f.severity.as_str();
                    let peers = f.aliases.join(", ");
                    let label = format!("Line {}: {} {}", f.line, f.rule, f.message);
                    let finding = f.clone();
                    view! {
                        <li class="finding" data-rule=f.rule data-line=f.line data-severity=sev>
                            <button type="button" class="finding-button" aria-label=label
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
                            <a class="docs-link" href=format!("#/rules/{}", f.rule)
                                aria-label=format!("Docs for {}", f.rule)>"docs"</a>
                        </li>
                    }
                })
                .collect_view()
        })
    };
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
                {items}
            </ul>
        </section>
    }
}
