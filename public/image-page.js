// Loads the image page's wasm (Trunk's no-modules build of the
// drydock-image-page bin) the first time #/image is visited; the app adds
// this script. Same origin only, as the CSP requires.
const glue = document.createElement('script');
glue.src = './drydock-image-page.js';
glue.addEventListener('load', () => {
  // eslint-disable-next-line no-undef -- the global the glue script declares
  wasm_bindgen({ module_or_path: './drydock-image-page_bg.wasm' });
});
document.head.append(glue);
