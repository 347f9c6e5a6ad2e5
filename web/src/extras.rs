//! The parts of the app the first score does not need — the Size, Rewrite
//! and Share panels and the docs pages (`#/docs`, `#/docs/scoring`, `#/rules`,
//! `#/rules/<id>`, `#/examples`) — are a wasm of their own
//! (`src/bin/drydock-extras.rs`), so the first visit downloads less and the
//! first score comes sooner.
//!
//! The app keeps an element for each ([`SIZE_ROOT`], [`REWRITE_ROOT`],
//! [`DOCS_ROOT`], placeholders saying "Loading…") and adds [`LOADER`] once
//! the first score is shown (when the browser is idle), or at once when the
//! page opens on a docs route. The two wasm instances share no memory; they
//! talk through events on `window`:
//! - the app publishes the analysed text and the settings ([`publish`]: a
//!   JSON [`Doc`] in `window[STATE]` and a [`DOC_EVENT`]); the extras read
//!   it ([`subscribe`]) and analyse it themselves;
//! - the Rewrite panel's "Apply to editor" and "Undo apply" send
//!   [`APPLY_EVENT`] (the new text) and [`UNDO_EVENT`]; the app keeps the text
//!   the undo restores.
//!
//! Docs pages follow the hash themselves ([`DocsRoot`]); links into the
//! playground are analysis links, which the app opens.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use crate::components::docs_page::{DocsPage, ExamplesPage};
use crate::components::rewrite::RewritePanel;
use crate::components::rule_page::{RulePage, RulesIndex};
use crate::components::scoring_page::ScoringPage;
use crate::components::share::SharePanel;
use crate::components::size::SizePanel;
use crate::route::Route;
use crate::settings::Settings;

/// The script that loads the extras' glue and wasm (`public/extras.js`).
pub const LOADER: &str = "./extras.js";
/// Where the Size panel mounts.
pub const SIZE_ROOT: &str = "size-root";
/// Where the Rewrite panel mounts.
pub const REWRITE_ROOT: &str = "rewrite-root";
/// Where the Share panel (links, badge, report downloads) mounts.
pub const SHARE_ROOT: &str = "share-root";
/// Where the docs pages mount.
pub const DOCS_ROOT: &str = "docs-root";
/// The `window` property holding the last published [`Doc`] (JSON).
pub const STATE: &str = "__drydockDoc";
/// App → extras: the analysed text or the settings changed.
pub const DOC_EVENT: &str = "drydock:doc";
/// Extras → app: put this text (the event's `detail`) in the editor and
/// analyse it.
pub const APPLY_EVENT: &str = "drydock:apply";
/// Extras → app: put back the text the last apply replaced.
pub const UNDO_EVENT: &str = "drydock:undo";

/// What the app shares with the extras.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doc {
    /// The text the playground's analysis is of.
    pub analysed: String,
    pub settings: Settings,
    /// Whether the editor holds text not analysed yet.
    pub pending: bool,
}

/// Whether `route` is one the extras show.
pub fn is_docs(route: &Route) -> bool {
    matches!(
        route,
        Route::Rules | Route::Rule(_) | Route::Scoring | Route::Docs | Route::Examples
    )
}

/// App side: makes `doc` the extras' current one.
pub fn publish(doc: &Doc) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(json) = serde_json::to_string(doc) else {
        return;
    };
    let json = JsValue::from_str(&json);
    let _ = js_sys::Reflect::set(&window, &JsValue::from_str(STATE), &json);
    send(DOC_EVENT, &json);
}

/// Dispatches a `CustomEvent` named `name` with `detail` on `window`.
pub fn send(name: &str, detail: &JsValue) {
    let init = web_sys::CustomEventInit::new();
    init.set_detail(detail);
    if let (Some(window), Ok(event)) = (
        web_sys::window(),
        web_sys::CustomEvent::new_with_event_init_dict(name, &init),
    ) {
        let _ = window.dispatch_event(&event);
    }
}

/// The `detail` of a `CustomEvent`, as text.
pub fn detail(event: &web_sys::Event) -> Option<String> {
    event
        .dyn_ref::<web_sys::CustomEvent>()
        .and_then(|e| e.detail().as_string())
}

fn read(json: Option<String>) -> Option<Doc> {
    json.and_then(|j| serde_json::from_str(&j).ok())
}

/// Extras side: the app's current [`Doc`], kept up to date.
pub fn subscribe() -> RwSignal<Doc> {
    let current = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str(STATE)).ok())
        .and_then(|v| v.as_string());
    let doc = RwSignal::new(read(current).unwrap_or_default());
    let handle = window_event_listener_untyped(DOC_EVENT, move |e| {
        if let Some(next) = read(detail(&e)) {
            doc.set(next);
        }
    });
    // The extras live as long as the page.
    std::mem::forget(handle);
    doc
}

/// Extras side: mounts the panels and the docs pages into the app's
/// elements (each replaces its placeholder).
pub fn mount() {
    let doc = subscribe();
    // Memos: a settings change does not redo the size estimate, nor a text
    // change the options.
    let analysed = Memo::new(move |_| doc.with(|d| d.analysed.clone()));
    let settings = Memo::new(move |_| doc.with(|d| d.settings.clone()));
    let pending = Memo::new(move |_| doc.with(|d| d.pending));
    // The analysis the app shows: same text, options and settings.
    let (options, analysis) = crate::analysis_of(analysed.into(), settings.into());
    let on_apply = Callback::new(|text: String| send(APPLY_EVENT, &JsValue::from_str(&text)));
    let on_undo = Callback::new(|()| send(UNDO_EVENT, &JsValue::NULL));
    mount_at(SIZE_ROOT, move || view! { <SizePanel text=analysed /> });
    mount_at(REWRITE_ROOT, move || {
        view! { <RewritePanel analysed=analysed options=options on_apply=on_apply on_undo=on_undo /> }
    });
    mount_at(SHARE_ROOT, move || {
        view! { <SharePanel analysed=analysed analysis=analysis pending=pending /> }
    });
    mount_at(DOCS_ROOT, DocsRoot);
}

/// The app's element a panel of the extras mounts into: a panel titled
/// `title` saying `loading` until then.
pub fn slot(id: &'static str, title: &'static str, loading: &'static str) -> impl IntoView {
    view! {
        <div id=id class="extras-slot">
            <section class="panel" data-testid=format!("{id}-loading")>
                <h2>{title}</h2>
                <p class="muted">{loading}</p>
            </section>
        </div>
    }
}

fn mount_at<V: IntoView + 'static>(id: &str, view: impl FnOnce() -> V + 'static) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    root.set_inner_html("");
    leptos::mount::mount_to(root, view).forget();
}

/// The docs page the hash names (nothing on other routes).
#[component]
pub fn DocsRoot() -> impl IntoView {
    let route = RwSignal::new(Route::current());
    let handle =
        window_event_listener(leptos::ev::hashchange, move |_| route.set(Route::current()));
    on_cleanup(move || handle.remove());
    move || match route.get() {
        Route::Rules => view! { <RulesIndex /> }.into_any(),
        Route::Rule(id) => view! { <RulePage id=id /> }.into_any(),
        Route::Scoring => view! { <ScoringPage /> }.into_any(),
        Route::Docs => view! { <DocsPage /> }.into_any(),
        Route::Examples => view! { <ExamplesPage /> }.into_any(),
        _ => ().into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_doc_crosses_as_json_and_garbage_is_ignored() {
        let doc = Doc {
            analysed: "FROM a\nLABEL x=\"<script>é\"\n".into(),
            settings: Settings {
                ignored: vec!["DD001".into()],
                overrides: vec![("DD002".into(), "low".into())],
                trusted_registries: vec!["docker.io".into()],
            },
            pending: true,
        };
        let json = serde_json::to_string(&doc).ok();
        assert_eq!(read(json), Some(doc));
        assert_eq!(read(Some("{\"analysed\": 3}".into())), None);
        assert_eq!(read(None), None);
    }

    #[test]
    fn docs_routes_are_the_extras() {
        for hash in [
            "#/rules",
            "#/rules/DD001",
            "#/docs",
            "#/docs/scoring",
            "#/examples",
        ] {
            assert!(is_docs(&Route::parse(hash)), "{hash}");
        }
        for hash in ["#/", "#/image", "#/embed/v1.r.QQ", "#v1.r.QQ", "#/nowhere"] {
            assert!(!is_docs(&Route::parse(hash)), "{hash}");
        }
    }
}
