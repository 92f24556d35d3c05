// Starts the page's wasm module (src/main.rs). Trunk would inline this as a <script type="module">,
// which a Content-Security-Policy without 'unsafe-inline' refuses; Trunk.toml's
// `pattern_script` instead writes the hashed file names into <meta name="batch-lab-boot">,
// and this file (a 'self' script) reads them. URLs resolve against the document's base, so
// the same build works under any path (Trunk.toml `public_url = "./"`).
const boot = document.querySelector('meta[name="batch-lab-boot"]');
const url = (name) => new URL(boot.getAttribute(name), document.baseURI).href;
const bindings = await import(url("data-js"));
const wasm = await bindings.default({ module_or_path: url("data-wasm") });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
