// A first visit in parallel (issue 23). The full lab opened as a page starts its worker and, on
// MNIST, downloads the data as soon as its own wasm runs; left to the app, the downloads form a
// chain: the page's wasm, then the worker's files, then MNIST, each starting when the one before
// has ended (1,524 KB took 2.4 s to a first chart point at 10 Mbit/s where the bytes alone need
// 1.25 s). This file fetches what that first run will ask for, all at once, as soon as the
// page's wasm has started. The worker's requests then find the files in the HTTP cache (static
// hosts send a max-age; GitHub Pages 600 s), or join the download under way.
//
// Only a top-level page: an embed inside a frame (a blog post) waits for its reader before it
// starts a worker or downloads MNIST (src/ui/start.rs), and a page inside a frame costs nothing
// more than before. MNIST only when the URL's experiment is on MNIST (the default): the data set
// (`data=`) or a preset on other data (`preset=`; keys.rs reads `preset` before `data`).
// A hint, never a fault: a failed fetch here is ignored (the worker's own request reports it),
// and the file names are checked against the app's by native tests (src/warm_js.rs).
/** The worker's loader, its wasm-bindgen module and wasm: `src/worker/bridge.rs` LOADER_URL and
 *  Trunk's names for `data-bin="worker"` (index.html). */
const WORKER_FILES = ["worker_loader.js", "worker.js", "worker_bg.wasm"];
/** `src/trainer/data/mnist.rs` ASSET_FILE. */
const MNIST_FILE = "mnist-10k.bin.z";
/** The presets whose experiment is not on MNIST (`src/preset.rs`). */
const PRESETS_WITHOUT_MNIST = ["pytorch"];

function wantsMnist(params) {
  const key = (name) => params.get(name)?.trim().toLowerCase();
  const data = key("data");
  if (data !== undefined) return data === "mnist";
  return !PRESETS_WITHOUT_MNIST.includes(key("preset"));
}

/** Fetches `file` (next to the page) to the end, so its whole body lands in the HTTP cache, and
 *  drops it. */
function warm(file) {
  fetch(new URL(file, document.baseURI))
    .then((r) => r.arrayBuffer())
    .catch(() => {});
}

if (window.parent === window) {
  // Once the page's wasm has started (js/boot.js' event: the app is mounted and has just asked
  // for its worker), not before: fetched beside the page's wasm, the worker's files and MNIST
  // would share the connection with it and make the page, its worker and the decode all wait
  // for the last byte (tried: first chart point 2.57 s, Train enabled 7.6 s at 1.6 Mbit/s).
  // Not later either: waiting for every part to mount (`data-built`) left the worker's own
  // chain first (2.99 s). From here they download side by side instead of in the worker's chain
  // (loader, module, wasm, then MNIST once the worker is ready and has been told the
  // experiment).
  addEventListener("TrunkApplicationStarted", () => {
    WORKER_FILES.forEach(warm);
    if (wantsMnist(new URLSearchParams(location.search))) warm(MNIST_FILE);
  }, { once: true });
}
