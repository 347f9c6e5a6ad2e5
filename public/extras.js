// Loads the extras' wasm (the drydock-extras bin, built by Trunk with
// wasm-bindgen's `web` target: an ES module, so its glue declares no global
// beside the image page's): the Size and Rewrite panels and the docs pages.
// The app adds this script once it has shown its first score, or at once on
// a docs route. Same origin only, as the CSP requires.
import('./drydock-extras.js').then((glue) => glue.default({ module_or_path: './drydock-extras_bg.wasm' }));
