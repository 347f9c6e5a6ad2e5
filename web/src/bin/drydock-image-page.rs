//! The image page (`#/image`): a wasm of its own, loaded by
//! `public/image-page.js` on the first visit and mounted into the element
//! the app keeps for it (see `drydock_web::image`).

use wasm_bindgen::JsCast;

fn main() {
    console_error_panic_hook::set_once();
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(drydock_web::image::PAGE_ROOT))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    root.set_inner_html("");
    leptos::mount::mount_to(root, drydock_web::components::image::ImagePage).forget();
}
