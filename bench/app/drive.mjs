// The app itself, measured the way a reader meets it: the release build (dist/) in headless
// Chromium (system /usr/bin/chromium via playwright-core, never a downloaded browser), a
// button pressed, the page watched. Run by scripts/bench (part 4); prints markdown.
//
// What it measures, and how:
// - time from pressing Train to the last point drawn: the charts' root carries `data-drawn`
//   (updates shown by the last frame that drew) and `data-draw-ms` (how long that frame's
//   drawing took), set by src/ui/charts.rs after each draw;
// - main-thread long tasks (PerformanceObserver "longtask", > 50 ms) from the click to the end,
//   and from navigation until the page is ready to train (page load);
// - every redraw's duration during a run (a MutationObserver on `data-draw-ms`), and forced
//   redraws (the viewport resized back and forth) of a finished run of 100,000+ updates;
// - memory over a run of 1,000,000 updates: the page's wasm linear memory (the run history
//   lives there) and the JS heap (`performance.memory`, precise with
//   --enable-precise-memory-info), sampled as the run goes.
//
// Usage: node drive.mjs <base-url> [reps (default 3)]
//   env: BENCH_NODE_MODULES (where playwright-core is), CHROMIUM,
//        BENCH_APP_PARTS=runs,redraw,million (the default: all three).
import { fmt, median, withChromium } from '../browser.mjs';

const [base, repsArg = '3'] = process.argv.slice(2);
const REPS = Number(repsArg);
const PARTS = (process.env.BENCH_APP_PARTS || 'runs,redraw,million').split(',');
const log = (s) => process.stderr.write(`[bench-app] ${s}\n`);

let browser;

/// Opens the app at `query` (English, so the status text is predictable) and waits until
/// it is ready to train (MNIST downloaded and decoded when chosen).
async function open(query, viewport = { width: 1280, height: 1000 }) {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => log(`page error: ${e}`));
  await page.addInitScript(() => {
    window.__long = [];
    window.__draws = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__long.push({ at: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasmMemory = e.detail.wasm.memory; });
  });
  await page.goto(`${base}/?lang=en&${query}`);
  await page.waitForSelector('[data-testid=status][data-state=ready]', { timeout: 60_000 });
  // Record every redraw from now on.
  await page.evaluate(() => {
    const root = document.querySelector('[data-testid=charts]');
    new MutationObserver(() => {
      window.__draws.push({ ms: Number(root.dataset.drawMs), updates: Number(root.dataset.drawn) });
    }).observe(root, { attributes: true, attributeFilter: ['data-draw-ms'] });
  });
  return page;
}

/// Presses Train and waits for the finished state with the last update drawn. Returns the
/// wall time, the long tasks and redraws that happened in between, and the status text.
async function train(page, timeout = 600_000) {
  await page.evaluate(() => {
    window.__long = [];
    window.__draws = [];
    window.__t0 = performance.now();
  });
  await page.click('[data-testid=train]');
  await page.waitForFunction(() => {
    const status = document.querySelector('[data-testid=status]');
    const charts = document.querySelector('[data-testid=charts]');
    if (status?.dataset.state !== 'finished') return false;
    if (charts.dataset.drawn !== charts.dataset.updates) return false;
    window.__t1 ??= performance.now();
    return true;
  }, null, { timeout, polling: 'raf' });
  return page.evaluate(() => {
    const t1 = window.__t1;
    window.__t1 = undefined;
    return {
      updates: Number(document.querySelector('[data-testid=charts]').dataset.drawn),
      ms: t1 - window.__t0,
      long: window.__long.filter((l) => l.at >= window.__t0).map((l) => l.ms),
      longAt: window.__long.filter((l) => l.at >= window.__t0).map((l) => Math.round(l.at - window.__t0)),
      draws: window.__draws.map((d) => d.ms),
      status: document.querySelector('[data-testid=status]').innerText.trim(),
    };
  });
}

function quantile(values, q) {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}
const range = (a, f = (x) => x.toFixed(2)) => `${f(median(a))} (${f(Math.min(...a))}–${f(Math.max(...a))})`;
const rate = (status) => Number((/([\d,]+) samples\/s/.exec(status)?.[1] ?? 'NaN').replaceAll(',', ''));
const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);

/// `reps` fresh pages, one run each.
async function runs(label, query, reps) {
  const out = [];
  for (let i = 0; i < reps; i++) {
    const page = await open(query);
    // Long-task entries arrive asynchronously, and the batch view lays out its cells just
    // after "ready": let both settle so they count as the load, not as the run.
    await page.waitForTimeout(300);
    const loadLong = await page.evaluate(() => window.__long.map((l) => l.ms));
    const r = { ...(await train(page)), loadLong };
    log(`${label} rep ${i}: ${(r.ms / 1000).toFixed(2)} s, ${r.updates} updates, long tasks [${r.long.map(Math.round)}] at [${r.longAt}] ms, ` +
      `${r.draws.length} redraws (p95 ${quantile(r.draws, 0.95).toFixed(1)} ms), ${r.status}`);
    out.push(r);
    await page.close();
  }
  return out;
}

/// Redraws of a finished run, forced by resizing the viewport (each resize redraws both
/// charts at the new size on the next frame).
async function forcedRedraws(page, count) {
  const ms = [];
  for (let i = 0; i < count; i++) {
    const before = await page.evaluate(() => window.__draws.length);
    await page.setViewportSize({ width: i % 2 ? 1280 : 1180, height: 1000 });
    await page.waitForFunction((n) => window.__draws.length > n, before, { timeout: 10_000, polling: 'raf' });
    ms.push(await page.evaluate(() => window.__draws.at(-1).ms));
  }
  return ms;
}

/// A run of `query` sampled every `everyMs`: updates so far, wasm memory, JS heap.
async function memoryRun(query) {
  const page = await open(query);
  const samples = [];
  const sample = () => page.evaluate(() => ({
    updates: Number(document.querySelector('[data-testid=charts]').dataset.updates),
    wasm: window.__wasmMemory?.buffer.byteLength ?? NaN,
    heap: performance.memory?.usedJSHeapSize ?? NaN,
    state: document.querySelector('[data-testid=status]').dataset.state,
  }));
  samples.push(await sample());
  await page.click('[data-testid=train]');
  const t0 = Date.now();
  for (;;) {
    await page.waitForTimeout(250);
    const s = await sample();
    samples.push(s);
    if (samples.length % 40 === 0) log(`1M run: ${fmt(s.updates)} updates, wasm ${mb(s.wasm)} MB, JS heap ${mb(s.heap)} MB`);
    if (s.state !== 'running' || Date.now() - t0 > 30 * 60_000) break;
  }
  // Let the collector settle and read the end state once more.
  await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
  samples.push(await sample());
  const status = await page.evaluate(() => document.querySelector('[data-testid=status]').innerText.trim());
  await page.close();
  return { samples, status, secs: (Date.now() - t0) / 1000 };
}

await withChromium('bench (app)', ['--enable-precise-memory-info'], async (b) => {
  browser = b;
  console.log(`\n### The app (release build in dist/), headless Chromium ${browser.version()}\n`);
  if (PARTS.includes('runs')) await timedRuns();
  if (PARTS.includes('redraw')) await longHistory();
  if (PARTS.includes('million')) await million();
});

/// "0 of 24", or "2 of 24 (55, 61 ms)": how many runs (or loads) had a long task, and how
/// long those were.
function longTasks(rs) {
  const hit = rs.filter((r) => r.long.length);
  const ms = hit.flatMap((r) => r.long).map(Math.round);
  return `${hit.length} of ${rs.length}${ms.length ? ` (${ms.join(', ')} ms)` : ''}`;
}

async function timedRuns() {
  const defaults = await runs('default run', '', REPS);
  // B = 1 runs take ~13 s each here: 2 of them, or a quarter as many as the default runs.
  const b1 = await runs('B = 1 run', 'b=1', Math.min(REPS, Math.max(2, Math.round(REPS / 4))));

  console.log('Pressing Train → finished with the last update drawn; long tasks = main-thread tasks > 50 ms');
  console.log('(PerformanceObserver "longtask"); redraw = both charts, from `data-draw-ms`. Median (min–max) over runs.\n');
  console.log('| run | updates | wall time, s | training samples/s (status line) | runs with a long task | redraws per run | redraw p95, ms | redraw max, ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [label, rs] of [['post default (MNIST 8k/2k, B = 32, 10 epochs, Adam)', defaults], ['the same at B = 1 (80,000 updates)', b1]]) {
    const draws = rs.flatMap((r) => r.draws);
    console.log(`| ${label} | ${fmt(rs[0].updates)} | ${range(rs.map((r) => r.ms / 1000))} | ${range(rs.map((r) => rate(r.status)), fmt)} | ` +
      `${longTasks(rs)} | ` +
      `${median(rs.map((r) => r.draws.length))} | ${quantile(draws, 0.95).toFixed(1)} | ${Math.max(...draws).toFixed(1)} |`);
  }
  const loads = [...defaults, ...b1].map((r) => ({ long: r.loadLong }));
  console.log(`\nPage loads with a long task (navigation until ready to train, MNIST downloaded and decoded): ${longTasks(loads)}.`);

}

async function longHistory() {
  // A long history: 2-D spirals, B = 1, 2,000 samples × 55 epochs = 110,000 updates.
  const page = await open('data=spirals&n=2000&b=1&epochs=55&split=0.2');
  const long = await train(page);
  log(`100k run: ${(long.ms / 1000).toFixed(1)} s, ${long.updates} updates, long tasks [${long.long.map(Math.round)}]`);
  const redraws = await forcedRedraws(page, 60);
  await page.close();
  console.log(`\nRedraw of both charts with ${fmt(long.updates)} recorded updates (2-D spirals, B = 1, 55 epochs), ` +
    `${redraws.length} redraws forced by resizing the viewport; during that run: ${long.long.length} long tasks, ` +
    `redraw p95 ${quantile(long.draws, 0.95).toFixed(1)} ms over ${long.draws.length} redraws.\n`);
  console.log('| redraws | median, ms | p95, ms | max, ms |');
  console.log('| ---: | ---: | ---: | ---: |');
  console.log(`| ${redraws.length} | ${median(redraws).toFixed(2)} | ${quantile(redraws, 0.95).toFixed(2)} | ${Math.max(...redraws).toFixed(2)} |`);

}

async function million() {
  {
    // 1,000,000 updates: 2-D spirals, 5,000 samples, B = 1, 200 epochs.
    const m = await memoryRun('data=spirals&n=5000&b=1&epochs=200&split=0.2');
    console.log(`\nMemory over a run of 1,000,000 updates (2-D spirals, 5,000 samples, B = 1, 200 epochs; ` +
      `${m.secs.toFixed(0)} s): the page's wasm memory holds the run history (columns merged pairwise ` +
      `past 131,072 rows), the JS heap the rest. Status at the end: "${m.status}"\n`);
    console.log('| updates recorded | page wasm memory, MB | JS heap used, MB |');
    console.log('| ---: | ---: | ---: |');
    const marks = [0, 100_000, 250_000, 500_000, 750_000, 1_000_000];
    const rows = new Set(marks.map((mark) => m.samples.find((x) => x.updates >= mark)).filter(Boolean));
    for (const s of rows) console.log(`| ${fmt(s.updates)} | ${mb(s.wasm)} | ${mb(s.heap)} |`);
  }
}
