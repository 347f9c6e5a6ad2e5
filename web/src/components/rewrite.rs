//! The Rewrite panel: the safer, smaller Dockerfile drydock proposes, as a
//! unified or side-by-side diff, the list of changes with their reasons,
//! and Copy, Download and "Apply to editor" (with an undo). Text nodes only.

use drydock_core::AnalysisOptions;
use drydock_core::rewrite::{DiffLine, LineKind, Outcome, Rewrite, rewrite_with};
use leptos::prelude::*;

use super::prose::prose;

/// The panel. It rewrites the analysed text while open; "Apply to editor"
/// hands the rewrite to `on_apply` (the app replaces the editor's text and
/// keeps the old one), "Undo apply" calls `on_undo`.
#[component]
pub fn RewritePanel(
    #[prop(into)] analysed: Signal<String>,
    #[prop(into)] options: Signal<AnalysisOptions>,
    on_apply: Callback<String>,
    on_undo: Callback<()>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let side_by_side = RwSignal::new(false);
    let can_undo = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let rewrite = Memo::new(move |_| {
        open.get()
            .then(|| options.with(|o| analysed.with(|t| rewrite_with(t, o))))
    });
    let with_rewrite = move |f: fn(&Rewrite) -> String| rewrite.with(|r| r.as_ref().map(f));
    let outcome = move || {
        with_rewrite(|r| {
            let stack = r.stack.map_or("unknown stack", |s| s.as_str());
            match r.outcome {
                Outcome::Rewritten => format!("Rewritten ({stack})"),
                Outcome::Unchanged => format!("Unchanged ({stack})"),
                Outcome::Declined => format!("Declined ({stack})"),
            }
        })
    };
    let reason = move || with_rewrite(|r| r.reason.clone().unwrap_or_default());
    let score = move || {
        with_rewrite(|r| match r.size {
            Some(s) => format!(
                "score {} → {} · size {} → {} MB",
                r.score_before,
                r.score_after,
                s.before_bytes / 1_000_000,
                s.after_bytes / 1_000_000
            ),
            None => format!("score {} → {}", r.score_before, r.score_after),
        })
    };
    let rewritten =
        move || rewrite.with(|r| r.as_ref().is_some_and(|r| r.outcome == Outcome::Rewritten));
    let changes = move || {
        rewrite.with(|r| {
            r.iter()
                .flat_map(|r| r.changes.iter())
                .map(|c| {
                    view! {
                        <li class="rewrite-change">
                            <strong>{prose(&c.summary)}</strong>
                            " — "
                            <span>{prose(&c.reason)}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let unified = move || {
        rewrite.with(|r| {
            r.iter()
                .flat_map(|r| r.lines.iter())
                .map(|l| {
                    let (class, mark) = marks(l);
                    view! { <div class=class>{format!("{mark} {}", l.text)}</div> }
                })
                .collect_view()
        })
    };
    let side = move || {
        rewrite.with(|r| {
            r.iter()
                .flat_map(|r| rows(&r.lines))
                .map(|(old, new)| {
                    let cell = |l: Option<&DiffLine>| {
                        let (class, _) = l.map_or(("diff-none", ' '), marks);
                        let text = l.map(|l| l.text.clone()).unwrap_or_default();
                        view! { <td class=class>{text}</td> }
                    };
                    view! { <tr>{cell(old)}{cell(new)}</tr> }
                })
                .collect_view()
        })
    };
    let new_text = move || rewrite.with_untracked(|r| r.as_ref().map(|r| r.dockerfile.clone()));
    let on_copy = move |_| {
        if let Some(t) = new_text() {
            crate::files::copy(&t, move |ok| copied.set(ok));
        }
    };
    let on_download = move |_| {
        if let Some(t) = new_text() {
            // Not text/plain: browsers would add `.txt` to the name.
            crate::files::download("Dockerfile", "application/octet-stream", &t);
        }
    };
    let apply = move |_| {
        if let Some(t) = new_text() {
            can_undo.set(true);
            on_apply.run(t);
        }
    };
    let undo = move |_| {
        if can_undo.get_untracked() {
            can_undo.set(false);
            on_undo.run(());
        }
    };
    view! {
        <section class="panel rewrite" data-testid="rewrite">
            <h2>"Rewrite"</h2>
            <div class="rewrite-actions">
                <button type="button" data-testid="rewrite-toggle" on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "Hide rewrite" } else { "Propose a rewrite" }}
                </button>
                <button type="button" data-testid="rewrite-undo" hidden=move || !can_undo.get() on:click=undo>
                    "Undo apply"
                </button>
            </div>
            <div hidden=move || !open.get()>
                <p class="rewrite-outcome" data-testid="rewrite-outcome">{outcome}</p>
                <p class="muted" data-testid="rewrite-reason">{move || reason().map(|r| prose(&r))}</p>
                <div hidden=move || !rewritten()>
                    <p data-testid="rewrite-score">{score}</p>
                    <div class="rewrite-actions">
                        <button type="button" data-testid="rewrite-copy" on:click=on_copy>
                            {move || if copied.get() { "Copied" } else { "Copy" }}
                        </button>
                        <button type="button" data-testid="rewrite-download" on:click=on_download>"Download"</button>
                        <button type="button" class="fix-button" data-testid="rewrite-apply" on:click=apply>"Apply to editor"</button>
                        <button type="button" data-testid="rewrite-view" on:click=move |_| side_by_side.update(|s| *s = !*s)>
                            {move || if side_by_side.get() { "Unified diff" } else { "Side by side" }}
                        </button>
                    </div>
                    <h3>"Changes"</h3>
                    <ul class="rewrite-changes" data-testid="rewrite-changes">{changes}</ul>
                    <h3>"Diff"</h3>
                    <pre class="rewrite-diff" data-testid="rewrite-diff" hidden=move || side_by_side.get()>{unified}</pre>
                    <table class="rewrite-side" data-testid="rewrite-side" hidden=move || !side_by_side.get()>
                        <thead><tr><th>"Before"</th><th>"After"</th></tr></thead>
                        <tbody>{side}</tbody>
                    </table>
                </div>
            </div>
        </section>
    }
}

fn marks(l: &DiffLine) -> (&'static str, char) {
    match l.kind {
        LineKind::Same => ("diff-same", ' '),
        LineKind::Removed => ("diff-removed", '-'),
        LineKind::Added => ("diff-added", '+'),
    }
}

/// Pairs the diff's lines for two columns: a run of removed lines beside
/// the run of added lines that follows it.
fn rows(lines: &[DiffLine]) -> Vec<Row<'_>> {
    let mut out = Vec::new();
    let mut removed: Vec<&DiffLine> = Vec::new();
    let mut added: Vec<&DiffLine> = Vec::new();
    for l in lines {
        match l.kind {
            LineKind::Removed => {
                if !added.is_empty() {
                    flush(&mut out, &mut removed, &mut added);
                }
                removed.push(l);
            }
            LineKind::Added => added.push(l),
            LineKind::Same => {
                flush(&mut out, &mut removed, &mut added);
                out.push((Some(l), Some(l)));
            }
        }
    }
    flush(&mut out, &mut removed, &mut added);
    out
}

type Row<'a> = (Option<&'a DiffLine>, Option<&'a DiffLine>);

fn flush<'a>(
    out: &mut Vec<Row<'a>>,
    removed: &mut Vec<&'a DiffLine>,
    added: &mut Vec<&'a DiffLine>,
) {
    let n = removed.len().max(added.len());
    for i in 0..n {
        out.push((removed.get(i).copied(), added.get(i).copied()));
    }
    removed.clear();
    added.clear();
}
