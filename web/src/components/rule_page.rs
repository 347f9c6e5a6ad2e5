use drydock_core::diagnostic::Category;
use drydock_core::rules::{self, RuleMeta};
use drydock_core::{Severity, share};
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
    let d = rules::docs_of(m);
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
            <p>{prose(d.what_it_does)}</p>
            <h3>"Why it matters"</h3>
            <p>{prose(d.why_it_matters)}</p>
            <h3>"Bad example"</h3>
            <pre class="example bad" data-testid="bad-example">{d.bad_example}</pre>
            <p><a class="open-example" data-testid="open-bad" href=format!("#{}", share::encode_dockerfile(d.bad_example))>"Open this example in the playground"</a></p>
            <h3>"Good example"</h3>
            <pre class="example good" data-testid="good-example">{d.good_example}</pre>
            <p><a class="open-example" data-testid="open-good" href=format!("#{}", share::encode_dockerfile(d.good_example))>"Open this example in the playground"</a></p>
            <h3>"References"</h3>
            <ul class="references">
                {d.references.iter().map(|r| view! { <li><a href=*r rel="noreferrer noopener">{*r}</a></li> }).collect_view()}
            </ul>
        </article>
    }
}

/// Every rule, in id order, each linking to its page; a search box (id,
/// name, summary or peer id) and filters by severity and category.
#[component]
pub fn RulesIndex() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let severity = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let matches = move |m: &RuleMeta| {
        let q = query.with(|q| q.trim().to_ascii_lowercase());
        let text_ok = q.is_empty()
            || m.id.to_ascii_lowercase().contains(&q)
            || m.name.contains(&q)
            || m.summary.to_ascii_lowercase().contains(&q)
            || m.aliases
                .iter()
                .any(|a| a.to_ascii_lowercase().contains(&q));
        let sev_ok = severity.with(|s| s.is_empty() || s == m.severity.as_str());
        let cat_ok = category.with(|c| c.is_empty() || c == m.category.as_str());
        text_ok && sev_ok && cat_ok
    };
    let rows = move || {
        rules::REGISTRY
            .iter()
            .map(|r| r.meta())
            .filter(|m| matches(m))
            .map(|m| {
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
            .collect_view()
    };
    let shown = move || rules::REGISTRY.iter().filter(|r| matches(r.meta())).count();
    view! {
        <article class="doc-page">
            <p class="crumbs"><a href="#/">"Playground"</a></p>
            <h2>"Rules " <span class="muted" data-testid="rule-count">{move || format!("{} of {}", shown(), rules::REGISTRY.len())}</span></h2>
            <div class="rule-filters" role="search">
                <label for="rule-search">"Search"</label>
                <input id="rule-search" type="search" placeholder="id, name, words or a peer id (DL3008)" autocomplete="off"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev)) />
                <label for="rule-severity">"Severity"</label>
                <select id="rule-severity" on:change=move |ev| severity.set(event_target_value(&ev))>
                    <option value="">"any"</option>
                    {Severity::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.as_str()}</option> }).collect_view()}
                </select>
                <label for="rule-category">"Category"</label>
                <select id="rule-category" on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">"any"</option>
                    {Category::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{c.as_str()}</option> }).collect_view()}
                </select>
            </div>
            <table class="rules-table">
                <thead><tr><th>"id"</th><th>"name"</th><th>"severity"</th><th>"category"</th><th>"what"</th><th>"covers"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </article>
    }
}
