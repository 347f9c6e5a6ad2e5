use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The keyboard shortcuts, as the help dialog lists them.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl+Enter / ⌘+Enter", "Analyse at once (in the editor)"),
    ("Tab", "Insert a tab (in the editor)"),
    (
        "Esc, then Tab",
        "Leave the editor (Shift+Tab always leaves)",
    ),
    ("?", "Show this help (outside the editor)"),
    ("Esc", "Close this help"),
];

/// A "Shortcuts" button and the dialog it opens; `?` opens it too, except
/// while typing in a text field.
#[component]
pub fn ShortcutHelp() -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let open = move || {
        if let Some(d) = dialog.get_untracked()
            && !d.open()
        {
            let _ = d.show_modal();
        }
    };
    let handle = window_event_listener(ev::keydown, move |ev| {
        if ev.key() == "?" && !ev.ctrl_key() && !ev.meta_key() && !ev.alt_key() && !typing(&ev) {
            ev.prevent_default();
            open();
        }
    });
    on_cleanup(move || handle.remove());
    let close = move |_| {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };
    view! {
        <button type="button" class="header-button" aria-haspopup="dialog" on:click=move |_| open()>
            "Shortcuts"
        </button>
        <dialog class="shortcut-help" node_ref=dialog aria-labelledby="shortcut-title">
            <h2 id="shortcut-title">"Keyboard shortcuts"</h2>
            <dl>
                {SHORTCUTS
                    .iter()
                    .map(|(keys, what)| view! { <dt><kbd>{*keys}</kbd></dt><dd>{*what}</dd> })
                    .collect_view()}
            </dl>
            <button type="button" class="header-button" on:click=close>"Close"</button>
        </dialog>
    }
}

/// Whether the key went to something that takes text.
fn typing(ev: &ev::KeyboardEvent) -> bool {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.is_content_editable()
}
