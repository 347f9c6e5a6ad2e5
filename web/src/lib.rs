//! drydock's playground: a Leptos client-side app over `drydock-core`.
//!
//! `main.rs` only mounts [`App`]; every panel is a component under
//! [`components`]. Analysis runs in the page, in wasm: nothing leaves the
//! browser.

use std::time::Duration;

use drydock_core::eol::Date;
use drydock_core::{AnalysisOptions, Finding, analyze_with};
use leptos::leptos_dom::helpers::{TimeoutHandle, set_timeout_with_handle};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub mod components;
pub mod examples;
pub mod extras;
pub mod files;
pub mod image;
pub mod route;
pub mod settings;
pub mod theme;

use components::editor::{Editor, select_span};
use components::embed::EmbedView;
use components::findings::Findings;
use components::header::Header;
use components::score::ScoreBadge;
use components::score_card::ScoreCardPage;
use components::settings::SettingsPanel;
use components::stages::Stages;
use route::Route;
use settings::Settings;

/// The playground opens with DockSec's multi-stage Go example
/// (see `web/examples/README.md` for its source).
pub const SEED_DOCKERFILE: &str = include_str!("../examples/multi-stage-golang.Dockerfile");

/// How long typing must pause before the text is analysed again.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// The whole app: header, then the page the hash route names. The
/// playground stays mounted (hidden) while docs pages show, so nothing typed
/// is lost by reading a rule's docs. An analysis link (`#v1.…`) opens its
/// Dockerfile in the playground; a link that cannot be read says why and
/// leaves the editor empty.
#[component]
pub fn App() -> impl IntoView {
    let route = RwSignal::new(Route::current());
    let notice = RwSignal::new(None::<String>);
    let initial = match route.get_untracked() {
        Route::SharedDockerfile(link) => open_link(&link, notice),
        _ => SEED_DOCKERFILE.to_string(),
    };
    let doc = Doc::new(initial);
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        let next = Route::current();
        if let Route::SharedDockerfile(link) = &next {
            doc.load(open_link(link, notice));
        }
        route.set(next);
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    on_cleanup(move || handle.remove());
    let on_playground =
        move || matches!(route.get(), Route::Playground | Route::SharedDockerfile(_));
    let page = move || {
        match route.get() {
        Route::Playground | Route::SharedDockerfile(_) => ().into_any(),
        // The extras' wasm shows them (see `docs_root`).
        Route::Rules | Route::Rule(_) | Route::Scoring | Route::Docs | Route::Examples => {
            ().into_any()
        }
        // Shown alone, without the page around it (see below).
        Route::Embed(_) => ().into_any(),
        // Its own wasm, loaded on the first visit (see `image_root`).
        Route::Image => ().into_any(),
        Route::ScoreCard(link) => view! { <ScoreCardPage fragment=link /> }.into_any(),
        Route::NotFound(path) => view! {
            <article class="doc-page">
                <h2>"Not found"</h2>
                <p>"Nothing lives at " <code>{format!("#/{path}")}</code> ". " <a href="#/">"Back to the playground"</a> "."</p>
            </article>
        }
        .into_any(),
    }
    };
    let embed = move || match route.get() {
        Route::Embed(link) => Some(view! { <EmbedView link=link /> }),
        _ => None,
    };
    let embedded = move || matches!(route.get(), Route::Embed(_));
    view! {
        {embed}
        <div hidden=embedded>
        <Header />
        <main id="main">
            <div hidden=move || !on_playground()>
                {move || notice.get().map(|n| view! {
                    <p class="notice" role="alert" data-testid="notice">
                        {n} " "
                        <button type="button" on:click=move |_| notice.set(None)>"Dismiss"</button>
                    </p>
                })}
                <Playground initial=String::new() doc=doc />
            </div>
            {page}
            {docs_root(route)}
            {image_root(route)}
        </main>
        </div>
    }
}

/// The place of the docs pages, which the extras' wasm fills (see
/// [`extras`]). It loads when the page opens on a docs route, else once the
/// first score is shown and the browser is idle (the first score needs none
/// of it) — but not for an embedded result.
fn docs_root(route: RwSignal<Route>) -> impl IntoView {
    // Once; not for an embedded result (an iframe shows none of it) until
    // the frame goes elsewhere.
    let requested = StoredValue::new(false);
    Effect::new(move |_| {
        let now = route.get();
        if requested.get_value() || matches!(now, Route::Embed(_)) {
            return;
        }
        requested.set_value(true);
        if extras::is_docs(&now) {
            load_script(extras::LOADER);
        } else {
            when_idle(|| load_script(extras::LOADER));
        }
    });
    view! {
        <div id=extras::DOCS_ROOT hidden=move || !extras::is_docs(&route.get())>
            <p class="muted doc-page" data-testid="docs-loading">"Loading the docs…"</p>
        </div>
    }
}

/// Runs `f` when the browser is idle (at the latest after a second), or
/// after a short timeout where there is no `requestIdleCallback`.
fn when_idle(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let f = wasm_bindgen::closure::Closure::once_into_js(f);
    let options = web_sys::IdleRequestOptions::new();
    options.set_timeout(1000);
    if window
        .request_idle_callback_with_options(f.unchecked_ref(), &options)
        .is_err()
    {
        let _ =
            window.set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), 200);
    }
}

/// The place of the image page (`#/image`), kept mounted so results stay
/// while other pages show. The page is a wasm of its own
/// (`src/bin/drydock-image-page.rs`, see [`image`]): the first visit adds
/// `image-page.js`, which loads it and mounts it here; the playground's
/// bundle carries none of it.
fn image_root(route: RwSignal<Route>) -> impl IntoView {
    let loaded = StoredValue::new(false);
    Effect::new(move |_| {
        if route.get() == Route::Image && !loaded.get_value() {
            loaded.set_value(true);
            load_script(image::PAGE_LOADER);
        }
    });
    view! {
        <div id=image::PAGE_ROOT hidden=move || route.get() != Route::Image>
            <p class="muted" data-testid="image-loading">"Loading the image analyser…"</p>
        </div>
    }
}

/// Adds `<script src=url>` to the document (same origin: the CSP allows it).
fn load_script(url: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let (Ok(script), Some(head)) = (document.create_element("script"), document.head()) {
        let _ = script.set_attribute("src", url);
        let _ = head.append_child(&script);
    }
}

/// The Dockerfile an analysis link carries, or an empty editor and a
/// notice saying why the link could not be read.
fn open_link(link: &str, notice: RwSignal<Option<String>>) -> String {
    match drydock_core::share::decode(link) {
        Ok(drydock_core::share::Shared::Dockerfile(text)) => {
            notice.set(Some(format!(
                "Opened a shared Dockerfile ({} lines). It came in the link itself: nothing was downloaded.",
                text.lines().count()
            )));
            text
        }
        Ok(drydock_core::share::Shared::Score(_)) => String::new(),
        Err(e) => {
            notice.set(Some(format!(
                "This link cannot be opened: {} The editor is empty.",
                e.0
            )));
            String::new()
        }
    }
}

/// The editor's text and the text last analysed: what a share link loads.
#[derive(Debug, Clone, Copy)]
pub struct Doc {
    pub text: RwSignal<String>,
    pub analysed: RwSignal<String>,
}

impl Doc {
    pub fn new(text: String) -> Doc {
        Doc {
            text: RwSignal::new(text.clone()),
            analysed: RwSignal::new(text),
        }
    }

    /// Replaces the editor's text and analyses it at once.
    pub fn load(&self, text: String) {
        self.text.set(text.clone());
        self.analysed.set(text);
    }
}

/// Editor, score and findings. The analysis is derived from the last text
/// that was analysed; typing schedules the next analysis.
///
/// `doc` gives the text signals from outside (the app loads share links
/// into them); without it the playground starts from `initial`.
#[component]
pub fn Playground(initial: String, #[prop(optional)] doc: Option<Doc>) -> impl IntoView {
    let Doc { text, analysed } = doc.unwrap_or_else(|| Doc::new(initial));
    // End-of-life verdicts are judged on the browser's date (the core reads
    // no clock).
    // The user's ignored rules, severity overrides and trusted registries,
    // from localStorage; the effect only persists them.
    let settings = RwSignal::new(settings::load());
    Effect::new(move |_| settings.with(settings::save));
    let (_, analysis) = analysis_of(analysed.into(), settings.into());
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
    let on_ignore = Callback::new(move |rule: &'static str| settings.update(|s| s.ignore(rule)));
    // Puts `t` in the editor and analyses it at once.
    let load = move |t: String| {
        cancel_timer();
        text.set(t.clone());
        analysed.set(t);
    };
    // A fix's spans belong to the analysed text (the buttons are disabled
    // while the editor holds newer text).
    let on_fix = Callback::new(move |fix: drydock_core::diagnostic::Fix| {
        if let Some(fixed) = analysed.with_untracked(|t| fix.apply(t)) {
            load(fixed);
        }
    });
    // The extras' wasm (Size, Rewrite and Share panels) sees the analysed
    // text, the settings and whether the editor is ahead; its Rewrite panel
    // puts text in the editor.
    Effect::new(move |_| {
        let doc = extras::Doc {
            analysed: analysed.get(),
            settings: settings.get(),
            pending: pending.get(),
        };
        extras::publish(&doc);
    });
    let undo = StoredValue::new(None::<String>);
    let apply = window_event_listener_untyped(extras::APPLY_EVENT, move |e| {
        if let Some(t) = extras::detail(&e) {
            undo.set_value(Some(text.get_untracked()));
            load(t);
        }
    });
    let undo_apply = window_event_listener_untyped(extras::UNDO_EVENT, move |_| {
        if let Some(old) = undo.get_value() {
            undo.set_value(None);
            load(old);
        }
    });
    on_cleanup(move || {
        apply.remove();
        undo_apply.remove();
    });
    let on_select = Callback::new(move |finding: Finding| {
        if let Some(el) = textarea.get_untracked() {
            text.with_untracked(|t| select_span(&el, t, finding.span, finding.line));
        }
    });

    view! {
        <section class="playground">
            <div class="editor-pane">
                <Editor text=text analysis=analysis pending=pending node_ref=textarea on_edit=on_edit on_analyse=on_analyse />
            </div>
            <aside class="report-pane" aria-label="Analysis">
                <ScoreBadge analysis=analysis pending=pending />
                <Findings analysis=analysis on_select=on_select on_ignore=on_ignore on_fix=on_fix pending=pending />
                <Stages analysis=analysis />
                {extras::slot(extras::SIZE_ROOT, "Size", "Loading the size estimate…")}
                {extras::slot(extras::REWRITE_ROOT, "Rewrite", "Loading the rewriter…")}
                <SettingsPanel settings=settings />
                {extras::slot(extras::SHARE_ROOT, "Share and export", "Loading links and reports…")}
            </aside>
        </section>
    }
}

/// The options and the analysis the playground shows for the `analysed`
/// text under `settings` (ignored rules and severity overrides applied);
/// the extras' wasm derives the same from what the app publishes.
/// End-of-life verdicts are judged on the browser's date (the core reads no
/// clock).
pub fn analysis_of(
    analysed: Signal<String>,
    settings: Signal<Settings>,
) -> (Memo<AnalysisOptions>, Memo<drydock_core::Analysis>) {
    let today = browser_today();
    let config = Memo::new(move |_| settings.with(Settings::config));
    let options = Memo::new(move |_| AnalysisOptions {
        today,
        trusted_registries: config.with(|c| c.trusted_registries.clone()),
    });
    let analysis = Memo::new(move |_| {
        let a = options.with(|o| analysed.with(|t| analyze_with(t, o)));
        config.with(|c| c.apply(a))
    });
    (options, analysis)
}

/// Today's date from the browser's clock, in local time; `None` if the
/// clock gives something that is not a date.
pub fn browser_today() -> Option<Date> {
    let now = js_sys::Date::new_0();
    let (year, month, day) = (now.get_full_year(), now.get_month() + 1, now.get_date());
    Date::parse(&format!("{year:04}-{month:02}-{day:02}"))
}
