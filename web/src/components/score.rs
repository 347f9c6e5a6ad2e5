use drydock_core::{Analysis, Severity};
use leptos::prelude::*;

/// The score and its band. Announced politely to screen readers.
#[component]
pub fn ScoreBadge(
    #[prop(into)] analysis: Signal<Analysis>,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    let score = move || analysis.with(|a| a.score);
    let grade = move || analysis.with(|a| a.grade.as_str());
    let class = move || {
        let stale = if pending.get() { " stale" } else { "" };
        format!("score-badge grade-{}{stale}", grade().to_ascii_lowercase())
    };
    let summary = move || {
        analysis.with(|a| {
            let n = a.findings.len();
            let errors = a.errors.len();
            let mut s = format!(
                "{n} finding{} · {} instruction{} · {} stage{}",
                plural(n),
                a.instruction_count,
                plural(a.instruction_count),
                a.stage_count,
                plural(a.stage_count)
            );
            if errors > 0 {
                s.push_str(&format!(" · {errors} parse error{}", plural(errors)));
            }
            s
        })
    };
    // Sub-scores of the categories that lost points, worst first.
    let categories = move || {
        analysis.with(|a| {
            let mut lost: Vec<_> = a
                .score_report
                .categories
                .iter()
                .filter(|c| c.findings > 0)
                .cloned()
                .collect();
            lost.sort_by_key(|c| c.score);
            lost.into_iter()
                .map(|c| {
                    view! {
                        <li data-category=c.category.as_str()>
                            <span class="category">{c.category.as_str()}</span>
                            <span class="category-score">{c.score}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    // Where the points went: the three findings whose fix gives back most.
    let top_losses = move || {
        analysis.with(|a| {
            let mut worst: Vec<_> = a
                .findings
                .iter()
                .filter(|f| f.points.as_f64() > 0.0)
                .collect();
            worst.sort_by(|x, y| {
                y.points
                    .cmp(&x.points)
                    .then(x.span.start.cmp(&y.span.start))
            });
            let parts: Vec<String> = worst
                .iter()
                .take(3)
                .map(|f| format!("{} −{}", f.rule, f.points))
                .collect();
            if parts.is_empty() {
                String::new()
            } else {
                format!("Biggest losses: {}", parts.join(", "))
            }
        })
    };
    let cap = move || {
        analysis.with(|a| {
            let r = &a.score_report;
            let critical: Vec<_> = a.findings.iter().filter(|f| f.severity == Severity::Critical).collect();
            let mut rules: Vec<&str> = critical.iter().map(|f| f.rule).collect();
            rules.dedup();
            let rules = rules.join(", ");
            r.capped_by.map(|_| match critical.len() {
                1 => format!(
                    "Capped at {} by a critical finding ({rules}): fix it to lift the cap; without it the score would be {}.",
                    a.score, r.uncapped
                ),
                n => format!(
                    "Capped at {} by {n} critical findings ({rules}): fix them all to lift the cap; without it the score would be {}.",
                    a.score, r.uncapped
                ),
            })
        })
    };
    view! {
        <div class=class role="status" aria-live="polite" aria-atomic="true">
            <div class="score" data-testid="score">
                <span class="score-value">{score}</span>
                <span class="score-max">"/100"</span>
            </div>
            <div class="grade" data-testid="grade">{grade}</div>
            <div class="summary">{summary}</div>
            <p class="cap">{cap}</p>
            <p class="top-losses" data-testid="top-losses">{top_losses}</p>
            <p class="how"><a href="#/docs/scoring">"How is this scored?"</a></p>
            <ul class="categories" aria-label="Sub-scores by category">{categories}</ul>
        </div>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
