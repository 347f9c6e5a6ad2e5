use drydock_core::share;
use leptos::prelude::*;

use crate::examples::EXAMPLES;

/// `#/docs`: what drydock is, how to use it, what happens to your data,
/// and how to embed a result in a page of your own.
#[component]
pub fn DocsPage() -> impl IntoView {
    let embed = format!(
        "<iframe src=\"{}#/embed/{}\" title=\"drydock result\" width=\"480\" height=\"320\"></iframe>",
        super::share::page_url(),
        share::encode_dockerfile("FROM node:22\nCMD npm start\n")
    );
    view! {
        <article class="doc-page" data-testid="docs-page">
            <p class="crumbs"><a href="#/">"Playground"</a></p>
            <h2>"drydock"</h2>
            <p>
                "drydock reads a Dockerfile and tells you what is wrong with it, how much that matters "
                "(a 0–100 score with a band), how big the image will be, and how to rewrite it into a "
                "smaller multi-stage build on a distroless image. Its rules cover hadolint's, "
                "ShellCheck's most frequent, BuildKit's checks, Trivy's and Checkov's Dockerfile checks "
                "and more (" <a href="#/rules">"the rules"</a> ", " <a href="#/docs/scoring">"the score"</a> ")."
            </p>
            <h3>"How to use it"</h3>
            <ul>
                <li>"Paste or type a Dockerfile in the editor; the analysis follows as you type (Ctrl/Cmd+Enter analyses at once, " <kbd>"?"</kbd> " lists the shortcuts)."</li>
                <li>"Click a finding to select its text; its rule id opens the rule's page; \"ignore\" silences a rule (Settings keeps it in this browser)."</li>
                <li>"The Size panel estimates the image before you build; the Rewrite panel proposes a safer, smaller Dockerfile you can apply to the editor."</li>
                <li>"Share and export: copy a link that carries the Dockerfile, or only the score; download the badge or the report (JSON, SARIF, Markdown, HTML)."</li>
                <li>"In CI, the same core is the " <code>"drydock"</code> " command: " <code>"drydock lint --format sarif Dockerfile"</code> "."</li>
            </ul>
            <h3>"Privacy"</h3>
            <p>
                "Everything runs in this page, in WebAssembly: nothing you paste is sent anywhere. The page "
                "loads only its own files (a Content-Security-Policy forbids anything else), keeps settings in "
                "this browser's localStorage, and after the first visit works offline. Share links keep the "
                "Dockerfile in the part after " <code>"#"</code> ", which browsers never send to a server; "
                "detected secrets are redacted from links and reports unless you say otherwise."
            </p>
            <h3>"Examples"</h3>
            <p><a href="#/examples">"The examples gallery"</a> " opens real-world Dockerfiles in the playground with one click."</p>
            <h3 id="embed">"Embedding a result"</h3>
            <p>
                "A page of yours can show a live drydock result for a snippet: put the snippet's analysis "
                "link after " <code>"#/embed/"</code> " and load it in an iframe. The frame shows the score, "
                "the band and the findings; the snippet travels in the fragment, so your server never sees it."
            </p>
            <pre class="example" tabindex="0" data-testid="embed-snippet">{embed}</pre>
        </article>
    }
}

/// `#/examples`: each example opens in the playground through an analysis
/// link (so the link can be shared, and works offline).
#[component]
pub fn ExamplesPage() -> impl IntoView {
    let cards = EXAMPLES
        .iter()
        .map(|e| {
            let href = format!("#{}", share::encode_dockerfile(e.text));
            let band = e.band.as_str();
            view! {
                <li class="example-card" data-example=e.id>
                    <h3><a href=href>{e.title}</a></h3>
                    <p class="muted">{e.stack} " · expected " <span class=format!("band grade-{}", band.to_ascii_lowercase())>{band}</span></p>
                    <p>{e.note}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <article class="doc-page" data-testid="examples-page">
            <p class="crumbs"><a href="#/">"Playground"</a></p>
            <h2>"Examples"</h2>
            <p>"One click opens an example in the playground. The first three are DockSec's own examples."</p>
            <ul class="example-list">{cards}</ul>
        </article>
    }
}
