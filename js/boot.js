// Starts the page's wasm module (src/main.rs). Trunk would inline this as a <script type="module">,
// which a Content-Security-Policy without 'unsafe-inline' refuses; Trunk.toml's
// `pattern_script` instead writes the hashed file names into <meta name="batch-lab-boot">,
// and this file (a 'self' script) reads them. URLs resolve against the document's base, so
// the same build works under any path (Trunk.toml `public_url = "./"`).
// If the page's code cannot load (a 404, a refused or broken wasm), index.html's static
// message says so with a reload link, instead of a blank page with the error only in the console.
//
// A page inside a frame (an embed in a post) starts its wasm only once the frame comes near the
// reader's screen: a post with four embeds otherwise builds four labs on its own main thread
// while it loads (same-origin frames share it; the example post's Lighthouse blocking time
// was 908 ms, docs/benchmarks.md). `loading="lazy"` alone loads every frame within Chromium's lazy distance
// (1,250 px and more), which on a phone is all four. Until then the frame is its placeholder.
const boot = document.querySelector('meta[name="batch-lab-boot"]');
const url = (name) => new URL(boot.getAttribute(name), document.baseURI).href;
// Resolves at once for a page of its own; in a frame, when the frame is within `margin` of the
// top-level viewport (an IntersectionObserver with no root measures against it, through every
// frame's clip). While it waits the document fills the frame (through the CSSOM, which a strict
// policy allows), so any part of the frame coming into view counts. Browsers without
// IntersectionObserver start at once.
const nearTheScreen = (margin) =>
  new Promise((resolve) => {
    if (window.parent === window || !("IntersectionObserver" in window)) {
      resolve();
      return;
    }
    const root = document.documentElement;
    root.style.minHeight = "100vh";
    const seen = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          seen.disconnect();
          root.style.minHeight = "";
          resolve();
        }
      },
      { rootMargin: `${margin}px 0px` },
    );
    seen.observe(root);
  });
// Resolves once the static header (src/shell.rs) has been painted and the browser has timed
// that paint (its `first-contentful-paint` entry: a frame's paint is timed when it reaches the
// screen, which can be a frame after rAF sees it). The page's wasm waits for it, so that paint
// shares the line with nothing: Lighthouse's simulation counts every download that ended before
// the largest paint, and from a near host the wasm would (4.66 s instead of 1.0 s,
// docs/benchmarks.md). The header's suggestion is the largest paint and comes in the same frame
// as its title (the e2e phone.rs checks the wasm starts after it). The price is the bandwidth
// of the moments before that paint. At once where there is nothing to wait for: no header on
// show (a link with settings, an embed: the wasm draws the page's first content), a hidden
// page (it paints nothing until shown), or no paint timing; and after `ms` at the latest.
const painted = (ms) =>
  new Promise((resolve) => {
    const header = document.querySelector("header[data-static-header]:not([hidden])");
    if (!header || document.visibilityState !== "visible") {
      resolve();
      return;
    }
    setTimeout(resolve, ms);
    try {
      new PerformanceObserver((list, seen) => {
        if (list.getEntriesByName("first-contentful-paint").length > 0) {
          seen.disconnect();
          resolve();
        }
      }).observe({ type: "paint", buffered: true });
    } catch {
      resolve(); // no paint timing
    }
  });
try {
  await nearTheScreen(200);
  await painted(1000);
  // The module's script and its wasm side by side (Trunk's preload links, which would start
  // them before the first paint, are turned off in Trunk.toml). The wasm's Cache-Control is
  // the host's caching rule for the page's prefetch of the worker's files (src/worker/shell.rs
  // `host_forbids_storing`), set as the response arrives, before the app starts.
  const wasmResponse = fetch(url("data-wasm")).then((r) => {
    boot.setAttribute("data-cache-control", r.headers.get("cache-control") ?? "");
    return r;
  });
  wasmResponse.catch(() => {}); // a failure reaches init below, not also `unhandledrejection`
  const bindings = await import(url("data-js"));
  const wasm = await bindings.default({ module_or_path: wasmResponse });
  window.wasmBindings = bindings;
  dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
} catch (e) {
  document.getElementById("load-failed")?.removeAttribute("hidden");
  throw e;
}
