use leptos::prelude::*;

use crate::components::shortcuts::ShortcutHelp;
use crate::theme::{self, Theme};

/// The page header: name, promise, navigation, shortcuts and the theme.
#[component]
pub fn Header() -> impl IntoView {
    let stored = theme::load();
    if let Some(t) = stored {
        theme::set_root(t);
    }
    let current = RwSignal::new(Theme::effective(stored, theme::system_dark()));
    let toggle = move |_| {
        let next = current.get_untracked().toggled();
        theme::apply(next);
        current.set(next);
    };
    view! {
        <header class="site-header">
            <a class="skip-link" href="#editor">"Skip to editor"</a>
            <h1 class="brand"><a href="#/">"drydock"</a></h1>
            <p class="tagline">
                "Dockerfile security analysis. Runs in your browser: nothing you paste leaves this page."
            </p>
            <nav class="site-nav" aria-label="Site">
                <a href="#/">"Playground"</a>
                <a href="#/image">"Image"</a>
                <a href="#/rules">"Rules"</a>
                <a href="#/docs/scoring">"Scoring"</a>
                <a href="#/examples">"Examples"</a>
                <a href="#/docs">"Docs"</a>
            </nav>
            <div class="header-tools">
                <ShortcutHelp />
                <button
                    type="button"
                    class="header-button theme-toggle"
                    aria-pressed=move || (current.get() == Theme::Dark).to_string()
                    on:click=toggle
                >
                    "Dark theme"
                </button>
            </div>
        </header>
    }
}
