use drydock_core::{Analysis, Severity, Span};
use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlTextAreaElement;

/// Height of one editor line in CSS pixels; `style.css` sets the same.
const LINE_PX: i32 = 20;

/// The Dockerfile editor: a textarea with a line-number gutter that marks
/// lines with findings. Typing calls `on_edit`; Ctrl/Cmd+Enter `on_analyse`.
#[component]
pub fn Editor(
    text: RwSignal<String>,
    #[prop(into)] analysis: Signal<Analysis>,
    node_ref: NodeRef<leptos::html::Textarea>,
    on_edit: Callback<String>,
    on_analyse: Callback<()>,
) -> impl IntoView {
    let gutter = NodeRef::<leptos::html::Div>::new();
    let line_count = Memo::new(move |_| text.with(|t| t.split('\n').count()));
    // The worst severity on each line, and lines with parse errors.
    let marks = Memo::new(move |_| {
        analysis.with(|a| {
            let mut marks: Vec<(usize, &'static str)> = Vec::new();
            for f in &a.findings {
                marks.push((f.line, f.severity.as_str()));
            }
            for e in &a.errors {
                marks.push((e.line, "error"));
            }
            marks.sort_by_key(|&(line, class)| (line, rank(class)));
            marks.dedup_by_key(|m| m.0);
            marks
        })
    });
    let gutter_lines = move || {
        let marks = marks.get();
        (1..=line_count.get())
            .map(|n| {
                let mark = marks
                    .binary_search_by_key(&n, |m| m.0)
                    .ok()
                    .and_then(|i| marks.get(i));
                match mark {
                    Some(&(_, class)) => {
                        view! { <span class=format!("ln mark-{class}") title=class>{n}</span> }
                            .into_any()
                    }
                    None => view! { <span class="ln">{n}</span> }.into_any(),
                }
            })
            .collect_view()
    };
    let on_scroll = move |_| {
        if let (Some(area), Some(g)) = (node_ref.get_untracked(), gutter.get_untracked()) {
            g.set_scroll_top(area.scroll_top());
        }
    };
    let on_keydown = move |ev: ev::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            on_analyse.run(());
        }
    };

    view! {
        <div class="editor">
            <div class="gutter" node_ref=gutter aria-hidden="true">{gutter_lines}</div>
            <textarea
                id="editor"
                node_ref=node_ref
                aria-label="Dockerfile"
                aria-describedby="editor-help"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                wrap="off"
                prop:value=move || text.get()
                on:input=move |ev| on_edit.run(event_target_value(&ev))
                on:keydown=on_keydown
                on:scroll=on_scroll
            ></textarea>
        </div>
        <p id="editor-help" class="hint">
            "Analysis updates as you type; Ctrl+Enter (⌘+Enter) analyses at once. Tab moves focus out of the editor."
        </p>
    }
}

/// Sort key putting the worst mark of a line first.
fn rank(class: &str) -> u8 {
    match class {
        "error" => 0,
        other => match Severity::parse(other) {
            Some(s) => 10 - s as u8,
            None => 10,
        },
    }
}

/// Selects `span` of `text` in the textarea, focuses it and scrolls `line`
/// into view.
pub fn select_span(area: &HtmlTextAreaElement, text: &str, span: Span, line: usize) {
    // Selection offsets count UTF-16 code units, spans count bytes.
    let utf16 = |byte: usize| {
        let byte = byte.min(text.len());
        let prefix = text.get(..byte).unwrap_or(text);
        u32::try_from(prefix.encode_utf16().count()).unwrap_or(u32::MAX)
    };
    let _ = area.focus();
    let _ = area.set_selection_range(utf16(span.start), utf16(span.end));
    let line = i32::try_from(line).unwrap_or(i32::MAX);
    let top = line.saturating_sub(1).saturating_mul(LINE_PX) - area.client_height() / 3;
    area.set_scroll_top(top.max(0));
}
