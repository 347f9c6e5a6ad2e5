//! Files and the clipboard, made in the page: downloads are Blob URLs, so
//! nothing is fetched or sent anywhere.

use wasm_bindgen::JsCast;

/// Saves `body` as a file named `name` (type `mime`).
pub fn download(name: &str, mime: &str, body: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(body));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // Revoked once the download has surely started.
    leptos::leptos_dom::helpers::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
}

/// Puts `text` on the clipboard, then calls `done` with whether the
/// browser allowed it (no permission or no secure context: `false`).
pub fn copy(text: &str, done: impl FnOnce(bool) + 'static) {
    let Some(w) = web_sys::window() else {
        done(false);
        return;
    };
    let promise = w.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
    });
}
