// Loads the extras' wasm (the drydock-extras bin, built by Trunk with
// wasm-bindgen's `web` target: an ES module, so its glue declares no global
// beside the image page's): the Size, Rewrite and Share panels and the docs
// pages. The app adds this script once it has shown its first score, or at
// once on a docs route. Same origin only, as the CSP requires. If it cannot
// load (offline before the service worker had cached it), the placeholders
// say so instead of "Loading…" for ever.
import('./drydock-extras.js')
  .then((glue) => glue.default({ module_or_path: './drydock-extras_bg.wasm' }))
  .catch(() => {
    for (const p of document.querySelectorAll('.extras-slot p.muted, #docs-root > p.muted')) {
      p.textContent = 'This part of drydock could not be loaded (offline before it was first cached?). Reload to try again.';
      p.setAttribute('role', 'alert');
    }
  });
