use drydock_core::score::{CRITICAL_CAP, SCALE, cost};
use drydock_core::{Severity, analyze};
use leptos::prelude::*;

use super::prose::prose;

/// Worked examples: each is analysed live by the same core as the
/// playground, so the page cannot drift from the model.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "No findings",
        "FROM alpine:3.22@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1\nUSER 65532\nHEALTHCHECK CMD [\"/app\", \"health\"]\n",
    ),
    (
        "One high finding: runs as root",
        "FROM alpine:3.22@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1\nHEALTHCHECK NONE\n",
    ),
    (
        "A few findings of different severities",
        "FROM node\nMAINTAINER me\n",
    ),
    (
        "Repeats weigh less: three unpinned apk installs",
        "FROM alpine:3.22@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1\nRUN apk add --no-cache curl\nRUN apk add --no-cache git\nRUN apk add --no-cache jq\nUSER 65532\nHEALTHCHECK NONE\n",
    ),
    (
        "A hard-coded secret caps the score",
        "FROM alpine:3.22@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1\nENV DB_PASSWORD=hunter2hunter2\nUSER 65532\nHEALTHCHECK NONE\n",
    ),
];

/// `#/docs/scoring`: the score model, with worked examples.
#[component]
pub fn ScoringPage() -> impl IntoView {
    let costs = Severity::ALL
        .into_iter()
        .map(|s| view! { <tr><td><span class=format!("sev sev-{}", s.as_str())>{s.as_str()}</span></td><td>{cost(s).to_string()}</td></tr> })
        .collect_view();
    let examples = EXAMPLES
        .iter()
        .enumerate()
        .map(|(i, (title, text))| {
            let a = analyze(text);
            let rows = a
                .findings
                .iter()
                .map(|f| {
                    view! {
                        <tr>
                            <td><a href=format!("#/rules/{}", f.rule)><span class="rule">{f.rule}</span></a></td>
                            <td><span class=format!("sev sev-{}", f.severity.as_str())>{f.severity.as_str()}</span></td>
                            <td>{cost(f.severity).to_string()}</td>
                            <td>{format!("{}", f.points)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let r = &a.score_report;
            let cap = r.capped_by.map(|rule| format!(" → capped at {CRITICAL_CAP} by {rule}"));
            let summary = format!(
                "{} points: 100 × e^(−{}/{}) = {}{} → {} {}",
                r.points,
                r.points,
                SCALE,
                r.uncapped,
                cap.unwrap_or_default(),
                a.score,
                a.grade.as_str()
            );
            view! {
                <section class="worked-example" data-example=i>
                    <h4>{*title}</h4>
                    <pre class="example">{*text}</pre>
                    {(!a.findings.is_empty()).then(|| view! {
                        <table class="rules-table">
                            <thead><tr><th>"rule"</th><th>"severity"</th><th>"cost of a first finding"</th><th>"fixing it gives back"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    })}
                    <p class="example-score" data-testid="example-score">{summary}</p>
                </section>
            }
        })
        .collect_view();
    view! {
        <article class="doc-page scoring-page">
            <p class="crumbs"><a href="#/">"Playground"</a></p>
            <h2>"How drydock scores"</h2>
            <p>{prose("A deterministic 0–100 score, explained finding by finding. Fixing a finding never lowers it.")}</p>
            <ol>
                <li>"Every finding has a cost in points by its severity:"
                    <table class="rules-table costs"><tbody>{costs}</tbody></table>
                </li>
                <li>{prose("Repeats weigh less: the k-th finding of the same rule costs 1/k of the first, so ten unpinned packages are one habit, not ten problems.")}</li>
                <li>{prose("The points P add up and the score is `100 × e^(−P/100)`, rounded: the first points matter most, the score never goes below 0, and every point lost still shows.")}</li>
                <li>{format!("A critical finding (a hard-coded secret among them) caps the score at {CRITICAL_CAP}, in the POOR band, however clean the rest is.")}</li>
                <li>"Bands: ≥ 90 EXCELLENT, ≥ 70 GOOD, ≥ 50 FAIR, else POOR."</li>
            </ol>
            <p>{prose("Each finding shows what fixing it alone gives back. Findings silenced by a pragma (`# drydock ignore=… -- reason`) or ignored in Settings cost nothing. Each category (security, supply chain, efficiency, reliability, maintainability, style) gets its own sub-score from its own points.")}</p>
            <h3>"Worked examples"</h3>
            <p class="muted">"Computed live by the same code as the playground."</p>
            {examples}
        </article>
    }
}
