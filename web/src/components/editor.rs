use drydock_core::{Analysis, Finding, Severity, Span};
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
    /// The text changed since `analysis` was made: its spans may not fit.
    #[prop(into)]
    pending: Signal<bool>,
    node_ref: NodeRef<leptos::html::Textarea>,
    on_edit: Callback<String>,
    on_analyse: Callback<()>,
) -> impl IntoView {
    let gutter = NodeRef::<leptos::html::Div>::new();
    let line_count = Memo::new(move |_| text.with(|t| t.split('\n').count()));
    // Per marked line: the worst kind of mark and every message on it.
    let marks = Memo::new(move |_| analysis.with(line_marks));
    let gutter_lines = move || {
        let marks = marks.get();
        (1..=line_count.get())
            .map(|n| match marks.binary_search_by_key(&n, |m| m.line) {
                Ok(i) => {
                    let mark = marks.get(i).cloned().unwrap_or_default();
                    view! { <span class=format!("ln mark-{}", mark.class) title=mark.messages>{n}</span> }
                        .into_any()
                }
                Err(_) => view! { <span class="ln">{n}</span> }.into_any(),
            })
            .collect_view()
    };
    // Underlines under the exact spans of findings: a layer behind the
    // transparent textarea, holding the same text in transparent ink.
    let layer = NodeRef::<leptos::html::Pre>::new();
    let underlines = move || {
        let stale = pending.get();
        text.with(|t| {
            let segments = if stale {
                vec![(t.to_string(), None)]
            } else {
                analysis.with(|a| underline_segments(t, &a.findings))
            };
            segments
                .into_iter()
                .map(|(piece, severity)| match severity {
                    Some(sev) => {
                        view! { <mark class=format!("ul ul-{}", sev.as_str())>{piece}</mark> }
                            .into_any()
                    }
                    None => piece.into_any(),
                })
                .collect_view()
        })
    };
    let on_scroll = move |_| {
        if let Some(area) = node_ref.get_untracked() {
            if let Some(g) = gutter.get_untracked() {
                g.set_scroll_top(area.scroll_top());
            }
            if let Some(l) = layer.get_untracked() {
                l.set_scroll_top(area.scroll_top());
                l.set_scroll_left(area.scroll_left());
            }
        }
    };
    // Tab indents; Esc then Tab leaves the editor (so the keyboard is never
    // trapped). Shift+Tab always leaves.
    let escaped = StoredValue::new(false);
    let on_keydown = move |ev: ev::KeyboardEvent| {
        let key = ev.key();
        let was_escaped = escaped.get_value();
        escaped.set_value(key == "Escape");
        if key == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            on_analyse.run(());
        } else if key == "Tab"
            && !was_escaped
            && !(ev.shift_key() || ev.ctrl_key() || ev.meta_key() || ev.alt_key())
            && let Some(area) = node_ref.get_untracked()
        {
            ev.prevent_default();
            insert_tab(&area);
            on_edit.run(area.value());
        }
    };

    view! {
        <div class="editor">
            <div class="gutter" node_ref=gutter aria-hidden="true">{gutter_lines}</div>
            <div class="code">
            <pre class="underlines" node_ref=layer aria-hidden="true">{underlines}"\n "</pre>
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
        </div>
        <p id="editor-help" class="hint">
            "Analysis updates as you type; Ctrl+Enter (⌘+Enter) analyses at once. Tab indents: press Esc, then Tab, to leave the editor. Press ? elsewhere for all shortcuts."
        </p>
    }
}

/// `text` cut at the edges of the findings' spans: each piece with the worst
/// severity of the findings covering it (`None`: not covered). Spans are
/// clamped to the text and to character boundaries.
pub fn underline_segments(text: &str, findings: &[Finding]) -> Vec<(String, Option<Severity>)> {
    let clamp = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let spans: Vec<(usize, usize, Severity)> = findings
        .iter()
        .map(|f| (clamp(f.span.start), clamp(f.span.end), f.severity))
        .filter(|(start, end, _)| start < end)
        .collect();
    let mut cuts: Vec<usize> = spans.iter().flat_map(|&(s, e, _)| [s, e]).collect();
    cuts.extend([0, text.len()]);
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .filter_map(|w| match w {
            [a, b] => {
                let worst = spans
                    .iter()
                    .filter(|&&(s, e, _)| s <= *a && *b <= e)
                    .map(|&(_, _, sev)| sev)
                    .max();
                Some((text.get(*a..*b)?.to_string(), worst))
            }
            _ => None,
        })
        .collect()
}

/// A gutter mark: a line with parse errors, warnings or findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMark {
    pub line: usize,
    /// `error`, `warning` or a severity name: the worst on the line.
    pub class: &'static str,
    /// Every message on the line, one per line of text (the tooltip).
    pub messages: String,
}

/// Gutter marks in line order.
pub fn line_marks(a: &Analysis) -> Vec<LineMark> {
    let mut items: Vec<(usize, u8, &'static str, &str)> = Vec::new();
    items.extend(
        a.errors
            .iter()
            .map(|e| (e.line, 0, "error", e.message.as_str())),
    );
    items.extend(
        a.warnings
            .iter()
            .map(|w| (w.line, 1, "warning", w.message.as_str())),
    );
    items.extend(a.findings.iter().map(|f| {
        (
            f.line,
            10 - f.severity as u8,
            f.severity.as_str(),
            f.message.as_str(),
        )
    }));
    items.sort_by_key(|&(line, rank, ..)| (line, rank));
    let mut marks: Vec<LineMark> = Vec::new();
    for (line, _, class, message) in items {
        match marks.last_mut() {
            Some(last) if last.line == line => {
                last.messages.push('\n');
                last.messages.push_str(message);
            }
            _ => marks.push(LineMark {
                line,
                class,
                messages: message.to_string(),
            }),
        }
    }
    marks
}

/// Replaces the selection with a tab and puts the caret after it.
fn insert_tab(area: &HtmlTextAreaElement) {
    let start = area.selection_start().ok().flatten().unwrap_or(0);
    if area.set_range_text("\t").is_ok() {
        let _ = area.set_selection_range(start + 1, start + 1);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underlines_cut_the_text_at_span_edges() {
        let text = "FROM node\nMAINTAINER me\n";
        let a = drydock_core::analyze(text);
        let pieces = underline_segments(text, &a.findings);
        // The pieces put back together are the text.
        assert_eq!(
            pieces.iter().map(|p| p.0.as_str()).collect::<String>(),
            text
        );
        let marked: Vec<(&str, Severity)> = pieces
            .iter()
            .filter_map(|(t, s)| Some((t.as_str(), (*s)?)))
            .collect();
        // The FROM line carries root (high) and the whole-line HEALTHCHECK
        // finding; `node` is also the untagged image: high stays worst.
        assert_eq!(marked.first(), Some(&("FROM", Severity::High)));
        assert!(marked.contains(&("node", Severity::High)), "{marked:?}");
        assert!(
            marked.contains(&("MAINTAINER", Severity::Info)),
            "{marked:?}"
        );
        // Spans off the end or inside a character are clamped, never a panic.
        let odd = [Finding {
            span: Span::new(1, 99),
            ..a.findings[0].clone()
        }];
        assert_eq!(underline_segments("é", &odd).concat_text(), "é");
    }

    trait ConcatText {
        fn concat_text(&self) -> String;
    }

    impl ConcatText for Vec<(String, Option<Severity>)> {
        fn concat_text(&self) -> String {
            self.iter().map(|p| p.0.as_str()).collect()
        }
    }

    #[test]
    fn marks_keep_the_worst_class_and_every_message() {
        let a = drydock_core::analyze("FROM node\nRUN <<EOF\nnever ends\n");
        let marks = line_marks(&a);
        let summary: Vec<_> = marks.iter().map(|m| (m.line, m.class)).collect();
        assert_eq!(summary, [(1, "high"), (2, "error")]);
        // Root, the missing tag and the missing HEALTHCHECK, worst first.
        assert_eq!(marks[0].messages.lines().count(), 3, "{:?}", marks[0]);
        assert!(marks[1].messages.contains("unterminated heredoc"));
        let warned = line_marks(&drydock_core::analyze(
            "FROM a:1\nUSER x\nRUN echo \\\n\n  b\n",
        ));
        // The parser's warning marks its line (the instruction's own
        // findings mark line 3, where it starts).
        let w = warned
            .iter()
            .find(|m| m.class == "warning")
            .expect("a warning mark");
        assert_eq!(w.line, 5);
        assert!(
            w.messages.starts_with("line 5: Empty continuation line"),
            "{w:?}"
        );
    }
}
