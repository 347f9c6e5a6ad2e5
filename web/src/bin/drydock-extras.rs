//! The Size and Rewrite panels and the docs pages: a wasm of their own,
//! loaded by `public/extras.js` once the first score shows (see
//! `drydock_web::extras`).

fn main() {
    console_error_panic_hook::set_once();
    drydock_web::extras::mount();
}
