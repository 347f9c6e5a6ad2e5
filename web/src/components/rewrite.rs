//! The Rewrite panel: the safer, smaller Dockerfile drydock proposes, as a
//! unified or side-by-side diff, the list of changes with their reasons,
//! and Copy, Download and "Apply to editor" (with an undo). Text nodes only.

use drydock_core::AnalysisOptions;
use drydock_core::rewrite::{DiffLine, LineKind, Outcome, Rewrite, rewrite_with};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::prose::prose;

/// The panel. It rewrites the analysed text while open; "Apply to editor"
/// replaces the editor's text and keeps the old one for "Undo apply".
#[component]
pub fn RewritePanel(
    text: RwSignal<String>,
    analysed: RwSignal<String>,
    options: AnalysisOptions,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let side_by_side = RwSignal::new(false);
    let undo = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);
    let rewrite = Memo::new(move |_| {
        open.get()
            .then(|| analysed.with(|t| rewrite_with(t, &options)))
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
            copied.set(copy_to_clipboard(&t));
        }
    };
    let on_download = move |_| {
        if let Some(t) = new_text() {
            download("Dockerfile", &t);
        }
    };
    let on_apply = move |_| {
        if let Some(t) = new_text() {
            undo.set(Some(text.get_untracked()));
            text.set(t.clone());
            analysed.set(t);
        }
    };
    let on_undo = move |_| {
        if let Some(old) = undo.get_untracked() {
            text.set(old.clone());
            analysed.set(old);
            undo.set(None);
        }
    };
    view! {
        <section class="panel rewrite" data-testid="rewrite">
            <h2>"Rewrite"</h2>
            <div class="rewrite-actions">
                <button type="button" data-testid="rewrite-toggle" on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "Hide rewrite" } else { "Propose a rewrite" }}
                </button>
                <button type="button" data-testid="rewrite-undo" hidden=move || undo.with(Option::is_none) on:click=on_undo>
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
                        <button type="button" class="fix-button" data-testid="rewrite-apply" on:click=on_apply>"Apply to editor"</button>
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

/// `navigator.clipboard.writeText(text)`; whether the call was made.
fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("clipboard"))
        .ok()
        .filter(|c| !c.is_undefined());
    let Some(clipboard) = clipboard else {
        return false;
    };
    js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .is_some_and(|f| f.call1(&clipboard, &JsValue::from_str(text)).is_ok())
}

/// Offers `text` as a file download through a Blob URL.
fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    // Not text/plain: browsers would add `.txt` to the name.
    options.set_type("application/octet-stream");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = link {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
