use leptos::prelude::*;

/// The page header: name, promise.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="skip-link" href="#editor">"Skip to editor"</a>
            <h1 class="brand"><a href="#/">"drydock"</a></h1>
            <p class="tagline">
                "Dockerfile security analysis. Runs in your browser: nothing you paste leaves this page."
            </p>
            <nav class="site-nav" aria-label="Site">
                <a href="#/">"Playground"</a>
                <a href="#/rules">"Rules"</a>
                <a href="#/docs/scoring">"Scoring"</a>
            </nav>
        </header>
    }
}
