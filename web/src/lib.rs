//! drydock's playground: a Leptos client-side app over `drydock-core`.
//!
//! `main.rs` only mounts [`App`]; every panel is a component under
//! [`components`]. Analysis runs in the page, in wasm: nothing leaves the
//! browser.

use std::time::Duration;

use drydock_core::{Finding, analyze};
use leptos::leptos_dom::helpers::{TimeoutHandle, set_timeout_with_handle};
use leptos::prelude::*;

pub mod components;

use components::editor::{Editor, select_span};
use components::findings::Findings;
use components::header::Header;
use components::score::ScoreBadge;
use components::stages::Stages;

/// The playground opens with DockSec's multi-stage Go example
/// (see `web/examples/README.md` for its source).
pub const SEED_DOCKERFILE: &str = include_str!("../examples/multi-stage-golang.Dockerfile");

/// How long typing must pause before the text is analysed again.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// The whole app: header and playground.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Header />
        <main id="main">
            <Playground initial=SEED_DOCKERFILE.to_string() />
        </main>
    }
}

/// Editor, score and findings. The analysis is derived from the last text
/// that was analysed; typing schedules the next analysis.
#[component]
pub fn Playground(initial: String) -> impl IntoView {
    let text = RwSignal::new(initial.clone());
    let analysed = RwSignal::new(initial);
    let analysis = Memo::new(move |_| analysed.with(|t| analyze(t)));
    let pending = Memo::new(move |_| text.with(|t| analysed.with(|a| t != a)));
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let textarea = NodeRef::<leptos::html::Textarea>::new();

    let cancel_timer = move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        timer.set_value(None);
    };
    let analyse_now = move || {
        cancel_timer();
        analysed.set(text.get_untracked());
    };
    let on_edit = Callback::new(move |value: String| {
        text.set(value);
        cancel_timer();
        // If timers are unavailable, analyse at once rather than never.
        match set_timeout_with_handle(analyse_now, DEBOUNCE) {
            Ok(handle) => timer.set_value(Some(handle)),
            Err(_) => analyse_now(),
        }
    });
    let on_analyse = Callback::new(move |()| analyse_now());
    let on_select = Callback::new(move |finding: Finding| {
        if let Some(el) = textarea.get_untracked() {
            text.with_untracked(|t| select_span(&el, t, finding.span, finding.line));
        }
    });

    view! {
        <section class="playground">
            <div class="editor-pane">
                <Editor text=text analysis=analysis node_ref=textarea on_edit=on_edit on_analyse=on_analyse />
            </div>
            <aside class="report-pane" aria-label="Analysis">
                <ScoreBadge analysis=analysis pending=pending />
                <Findings analysis=analysis on_select=on_select />
                <Stages analysis=analysis />
            </aside>
        </section>
    }
}
