// A first visit in parallel (issue 23). The full lab opened as a page starts its worker and, on
// MNIST, downloads the data as soon as its own wasm runs; left to the app, the downloads form a
// chain: the page's wasm, then the worker's files, then MNIST, each starting when the one before
// has ended (1,524 KB took 2.4 s to a first chart point at 10 Mbit/s where the bytes alone need
// 1.25 s). This file runs while the page's wasm is still downloading and fetches what that first
// run will ask for: the worker's files at once (107 KB), MNIST as soon as the page's wasm has
// arrived (not when its worker asks). The worker's requests then find the files in the HTTP
// cache (static hosts send a max-age; GitHub Pages 600 s), or join the download under way.
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
 *  drops it. Low priority: on a connection that honours it (HTTP/2) the page's wasm comes first. */
function warm(file) {
  fetch(new URL(file, document.baseURI), { priority: "low" })
    .then((r) => r.arrayBuffer())
    .catch(() => {});
}

/** Calls `then` once the page's own wasm (js/boot.js reads its name from the same <meta>) has
 *  arrived: a resource-timing entry is written when a response has ended, failed or not. */
function afterPageWasm(then) {
  const boot = document.querySelector('meta[name="batch-lab-boot"]');
  const wasm = boot && new URL(boot.getAttribute("data-wasm"), document.baseURI).href;
  if (!wasm || !("PerformanceObserver" in window)) return then();
  const seen = new PerformanceObserver((list) => {
    if (!list.getEntries().some((e) => e.name === wasm)) return;
    seen.disconnect();
    then();
  });
  seen.observe({ type: "resource", buffered: true });
}

if (window.parent === window) {
  WORKER_FILES.forEach(warm);
  // MNIST after the page's wasm rather than beside it: a fair-shared connection would make
  // the two end together, and then the page's start, the worker's and the decode all wait for
  // the last byte. In this order the page and its worker start while MNIST downloads, and
  // the data's last byte is the last thing the first run waits for.
  if (wantsMnist(new URLSearchParams(location.search))) afterPageWasm(() => warm(MNIST_FILE));
}
