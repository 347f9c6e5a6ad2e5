use drydock_core::Analysis;
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
    let cap = move || {
        analysis.with(|a| {
            a.score_report.capped_by.map(|rule| {
                format!(
                    "Capped at {} by a critical finding ({rule}); without the cap: {}.",
                    a.score, a.score_report.uncapped
                )
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
            <ul class="categories" aria-label="Sub-scores by category">{categories}</ul>
        </div>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
