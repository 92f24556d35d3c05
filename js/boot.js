// Starts the page's wasm module (src/main.rs). Trunk would inline this as a <script type="module">,
// which a Content-Security-Policy without 'unsafe-inline' refuses; Trunk.toml's
// `pattern_script` instead writes the hashed file names into <meta name="batch-lab-boot">,
// and this file (a 'self' script) reads them. URLs resolve against the document's base, so
// the same build works under any path (Trunk.toml `public_url = "./"`).
// If the page's code cannot load (a 404, a refused or broken wasm), index.html's static
// message says so with a reload link, instead of a blank page with the error only in the console.
const boot = document.querySelector('meta[name="batch-lab-boot"]');
const url = (name) => new URL(boot.getAttribute(name), document.baseURI).href;
try {
  const bindings = await import(url("data-js"));
  const wasm = await bindings.default({ module_or_path: url("data-wasm") });
  window.wasmBindings = bindings;
  dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
} catch (e) {
  document.getElementById("load-failed")?.removeAttribute("hidden");
  throw e;
}
