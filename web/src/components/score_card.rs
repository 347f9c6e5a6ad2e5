use drydock_core::rules;
use drydock_core::share::{self, Shared};
use leptos::prelude::*;

/// A read-only score card from a score link (`#s1.…`): the score, its
/// grade and the findings by rule and line. The link carries no Dockerfile.
#[component]
pub fn ScoreCardPage(fragment: String) -> impl IntoView {
    match share::decode(&fragment) {
        Ok(Shared::Score(card)) => {
            let grade = card.grade.as_str();
            let findings = card
                .findings
                .iter()
                .map(|(id, line)| {
                    let meta = rules::lookup(id).map(|r| r.meta());
                    let (severity, name, summary) =
                        meta.map_or(("", "", ""), |m| (m.severity.as_str(), m.name, m.summary));
                    view! {
                        <li class="card-finding" data-rule=*id data-severity=severity>
                            <span class="severity">{severity}</span>
                            " " <a href=format!("#/rules/{id}")>{*id}</a>
                            " " <code>{name}</code>
                            " — line " {*line} ": " {summary}
                        </li>
                    }
                })
                .collect_view();
            let count = card.findings.len();
            view! {
                <article class="doc-page score-card" data-testid="score-card">
                    <h2>"Shared score"</h2>
                    <p class=format!("score-badge grade-{}", grade.to_ascii_lowercase())>
                        <span class="score-value" data-testid="card-score">{card.score}</span>
                        " " <span class="grade">{grade}</span>
                    </p>
                    <p>
                        {format!("{count} finding{} · content hash ", if count == 1 { "" } else { "s" })}
                        <code data-testid="card-hash">{card.hash.clone()}</code>
                    </p>
                    <p class="muted">"Read-only: this link carries the score and the findings' rules and lines, not the Dockerfile."</p>
                    <ul class="card-findings">{findings}</ul>
                    <p><a href="#/">"Open the playground"</a></p>
                </article>
            }
            .into_any()
        }
        Ok(Shared::Dockerfile(_)) => view! { <p>"This is an analysis link."</p> }.into_any(),
        Err(e) => view! {
            <article class="doc-page" role="alert" data-testid="link-error">
                <h2>"This link cannot be opened"</h2>
                <p>{e.0}</p>
                <p><a href="#/">"Open the playground"</a></p>
            </article>
        }
        .into_any(),
    }
}
