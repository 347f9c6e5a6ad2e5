use drydock_core::Analysis;
use drydock_core::report::{self, FileReport};
use drydock_core::share::{self, LONG_LINK};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::files::{self, download};

/// The file name exports and the badge are saved under.
const BASENAME: &str = "drydock";

/// Share links, the score badge and report downloads. Nothing is sent
/// anywhere: links carry their data in the fragment, files are made here.
#[component]
pub fn SharePanel(
    /// The text the analysis is of.
    #[prop(into)]
    analysed: Signal<String>,
    #[prop(into)] analysis: Signal<Analysis>,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    let redact = RwSignal::new(true);
    let link = RwSignal::new(None::<(String, &'static str)>);
    let status = RwSignal::new(String::new());
    // The text as it would leave the page: secrets redacted unless the user
    // unticks the box.
    let secrets =
        Memo::new(move |_| analysed.with(|t| analysis.with(|a| share::redact_secrets(t, a))));
    let outgoing = move || {
        if redact.get_untracked() {
            secrets.with_untracked(|(t, _)| t.clone())
        } else {
            analysed.get_untracked()
        }
    };
    let show = move |fragment: String, what: &'static str| {
        let url = format!("{}#{fragment}", page_url());
        copy(&url, status, format!("{what} copied to the clipboard."));
        link.set(Some((url, what)));
    };
    let share_text = move |_| show(share::encode_dockerfile(&outgoing()), "Analysis link");
    let share_score = move |_| {
        let fragment =
            analysed.with_untracked(|t| analysis.with_untracked(|a| share::encode_score(t, a)));
        show(fragment, "Score link");
    };
    let badge = move |_| {
        let svg = analysis.with_untracked(|a| report::badge_svg(a.score, a.grade));
        download(&format!("{BASENAME}-badge.svg"), "image/svg+xml", &svg);
        status.set(format!("Saved {BASENAME}-badge.svg."));
    };
    let badge_markdown = move |_| {
        let md = analysis.with_untracked(|a| {
            report::badge_markdown(a.score, a.grade, &format!("{BASENAME}-badge.svg"))
        });
        copy(&md, status, format!("Copied: {md}"));
    };
    let export = move |format: &'static str| {
        let text = outgoing();
        let original = analysed.get_untracked();
        let options = report::Options {
            tool_version: env!("CARGO_PKG_VERSION"),
            docs_base: &page_url(),
        };
        let body = analysis.with_untracked(|a| {
            // Regions and fingerprints come from the analysed text; the page
            // shows the text as it may leave (redacted).
            let shown = FileReport {
                path: "Dockerfile",
                text: &text,
                analysis: a,
            };
            let exact = FileReport {
                path: "Dockerfile",
                text: &original,
                analysis: a,
            };
            match format {
                "json" => report::json(&[exact], &options),
                "sarif" => report::sarif(&[exact], &options),
                "md" => report::markdown(&[exact], &options),
                _ => report::html(&[shown], &options),
            }
        });
        let (name, mime) = match format {
            "json" => (format!("{BASENAME}.json"), "application/json"),
            "sarif" => (format!("{BASENAME}.sarif"), "application/sarif+json"),
            "md" => (format!("{BASENAME}.md"), "text/markdown"),
            _ => (format!("{BASENAME}-report.html"), "text/html"),
        };
        download(&name, mime, &body);
        status.set(format!("Saved {name}."));
    };
    let secret_count = move || secrets.with(|(_, n)| *n);
    let length_note = move || {
        link.with(|l| {
            l.as_ref().map(|(url, what)| {
                let n = url.chars().count();
                let long = n > LONG_LINK;
                view! {
                    <p class="link-length" class:warn=long data-testid="link-length">
                        {format!("{what}: {n} characters.")}
                        {long.then(|| format!(" Over {LONG_LINK}: some chat apps and browsers cut links this long — share the file instead."))}
                    </p>
                }
            })
        })
    };
    view! {
        <section class="share panel" aria-label="Share and export">
            <h2>"Share and export"</h2>
            <p class="muted pad">"Links keep everything in the part after #, which browsers never send to a server."</p>
            <div class="pad share-actions">
                <Show when=move || { secret_count() > 0 }>
                    <label class="redact">
                        <input type="checkbox" id="share-redact"
                            prop:checked=move || redact.get()
                            on:change=move |ev| redact.set(event_target_checked(&ev)) />
                        {move || format!(" Redact the {} detected secret{} in links and reports", secret_count(), if secret_count() == 1 { "" } else { "s" })}
                    </label>
                    <p class="warn" role="note" hidden=move || redact.get()>
                        "The link and the HTML report will contain the secrets in clear text."
                    </p>
                </Show>
                <div class="button-row">
                    <button type="button" id="share-analysis" on:click=share_text disabled=move || pending.get()>"Copy analysis link"</button>
                    <button type="button" id="share-score" on:click=share_score disabled=move || pending.get()>"Copy score link"</button>
                </div>
                <label class="visually-hidden" for="share-link">"Share link"</label>
                <input id="share-link" type="text" readonly
                    hidden=move || link.with(Option::is_none)
                    prop:value=move || link.with(|l| l.as_ref().map(|(u, _)| u.clone()).unwrap_or_default())
                    on:focus=move |ev| {
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.select();
                        }
                    } />
                {length_note}
                <div class="button-row">
                    <button type="button" id="badge-download" on:click=badge>"Download score badge"</button>
                    <button type="button" id="badge-markdown" on:click=badge_markdown>"Copy badge Markdown"</button>
                </div>
                <div class="button-row" role="group" aria-label="Download the report">
                    <span>"Report: "</span>
                    <button type="button" data-export="json" on:click=move |_| export("json")>"JSON"</button>
                    <button type="button" data-export="sarif" on:click=move |_| export("sarif")>"SARIF"</button>
                    <button type="button" data-export="md" on:click=move |_| export("md")>"Markdown"</button>
                    <button type="button" data-export="html" on:click=move |_| export("html")>"HTML"</button>
                </div>
                <p class="muted" role="status" aria-live="polite" data-testid="share-status">{move || status.get()}</p>
            </div>
        </section>
    }
}

/// The page's address without its fragment (works for `file://` too).
pub fn page_url() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// Copies `text` and says so in `status`; when the browser refuses, says
/// to copy by hand (links are shown in a field for that).
fn copy(text: &str, status: RwSignal<String>, done: String) {
    files::copy(text, move |ok| {
        status.set(if ok {
            done
        } else {
            "The browser did not allow copying: select the text and copy it by hand.".into()
        });
    });
}
