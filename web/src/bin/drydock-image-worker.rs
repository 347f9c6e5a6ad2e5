//! The image-analysis Web Worker: a second wasm entry that Trunk builds as
//! a `data-type="worker"` (see `drydock_web::image::worker`).

fn main() {
    console_error_panic_hook::set_once();
    drydock_web::image::worker::start();
}
