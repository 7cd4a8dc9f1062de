// Starts the app: Trunk.toml's pattern_script puts this script on the page, with the hashed
// names of wasm-bindgen's JS module and of the wasm file in its data attributes.
const { js, wasm } = document.querySelector("script[data-wasm]").dataset;
const { default: init } = await import(new URL(js, document.baseURI));
await init({ module_or_path: new URL(wasm, document.baseURI) });
