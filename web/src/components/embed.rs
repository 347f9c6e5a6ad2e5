use drydock_core::share::{self, Shared};
use drydock_core::{AnalysisOptions, analyze_with};
use leptos::prelude::*;

/// `#/embed/<analysis link>`: the result for a snippet, compact, for an
/// iframe in someone's docs page. Read-only; the snippet comes in the
/// fragment and never reaches a server.
#[component]
pub fn EmbedView(link: String) -> impl IntoView {
    let text = match share::decode(&link) {
        Ok(Shared::Dockerfile(t)) => t,
        Ok(Shared::Score(_)) | Err(_) => {
            return view! {
                <div class="embed" role="alert" data-testid="embed-error">
                    "This embed link cannot be read."
                </div>
            }
            .into_any();
        }
    };
    let options = AnalysisOptions {
        today: crate::browser_today(),
        ..AnalysisOptions::default()
    };
    let a = analyze_with(&text, &options);
    let grade = a.grade.as_str();
    let findings = a
        .findings
        .iter()
        .map(|f| {
            let severity = f.severity.as_str();
            view! {
                <li class="finding" data-rule=f.rule data-severity=severity>
                    <span class=format!("sev sev-{severity}")>{severity}</span>
                    " " <span class="rule">{f.rule}</span>
                    " line " {f.line} ": " {f.message.clone()}
                </li>
            }
        })
        .collect_view();
    let open = format!("{}#{link}", super::share::page_url());
    view! {
        <div class="embed" data-testid="embed">
            <p class=format!("score-badge grade-{}", grade.to_ascii_lowercase())>
                <span class="score-value" data-testid="embed-score">{a.score}</span> " " {grade}
            </p>
            <ul class="embed-findings">{findings}</ul>
            <p class="muted"><a href=open target="_blank" rel="noopener">"Open in drydock"</a></p>
        </div>
    }
    .into_any()
}
