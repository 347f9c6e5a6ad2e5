use drydock_core::rules::{self, RuleMeta};
use leptos::prelude::*;

use super::prose::prose;

/// One rule's docs: rendered from the same `RuleDocs` whose examples the
/// core's tests run.
#[component]
pub fn RulePage(id: String) -> impl IntoView {
    match rules::lookup(&id) {
        Some(rule) => rule_view(rule.meta()).into_any(),
        None => view! {
            <article class="doc-page">
                <h2>"No such rule"</h2>
                <p>"drydock has no rule " <code>{id}</code> ". " <a href="#/rules">"See every rule"</a> "."</p>
            </article>
        }
        .into_any(),
    }
}

fn rule_view(m: &'static RuleMeta) -> impl IntoView {
    let severity = m.severity.as_str();
    view! {
        <article class="doc-page rule-page" data-rule=m.id>
            <p class="crumbs"><a href="#/">"Playground"</a> " / " <a href="#/rules">"Rules"</a></p>
            <h2><span class="rule">{m.id}</span> " " {m.name}</h2>
            <p class="rule-meta">
                <span class=format!("sev sev-{severity}")>{severity}</span>
                " · " {m.category.as_str()}
                {(!m.aliases.is_empty()).then(|| view! { " · covers " <span class="peers">{m.aliases.join(", ")}</span> })}
            </p>
            <p class="summary-line">{prose(m.summary)}</p>
            <h3>"What it does"</h3>
            <p>{prose(m.docs.what_it_does)}</p>
            <h3>"Why it matters"</h3>
            <p>{prose(m.docs.why_it_matters)}</p>
            <h3>"Bad example"</h3>
            <pre class="example bad" data-testid="bad-example">{m.docs.bad_example}</pre>
            <h3>"Good example"</h3>
            <pre class="example good" data-testid="good-example">{m.docs.good_example}</pre>
            <h3>"References"</h3>
            <ul class="references">
                {m.docs.references.iter().map(|r| view! { <li><a href=*r rel="noreferrer noopener">{*r}</a></li> }).collect_view()}
            </ul>
        </article>
    }
}

/// Every rule, in id order, each linking to its page.
#[component]
pub fn RulesIndex() -> impl IntoView {
    let rows = rules::REGISTRY
        .iter()
        .map(|r| {
            let m = r.meta();
            let severity = m.severity.as_str();
            view! {
                <tr data-rule=m.id>
                    <td><a href=format!("#/rules/{}", m.id)><span class="rule">{m.id}</span></a></td>
                    <td>{m.name}</td>
                    <td><span class=format!("sev sev-{severity}")>{severity}</span></td>
                    <td>{m.category.as_str()}</td>
                    <td>{prose(m.summary)}</td>
                    <td class="peers">{m.aliases.join(", ")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <article class="doc-page">
            <p class="crumbs"><a href="#/">"Playground"</a></p>
            <h2>"Rules " <span class="muted">{rules::REGISTRY.len()}</span></h2>
            <table class="rules-table">
                <thead><tr><th>"id"</th><th>"name"</th><th>"severity"</th><th>"category"</th><th>"what"</th><th>"covers"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </article>
    }
}
