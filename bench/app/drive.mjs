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
//   --enable-precise-memory-info), sampled as the run goes;
// - the default batch-size sweep (MNIST, N = 8,000, 10 epochs, B = 8 … 8000) from the click
//   on Sweep to the results view, with the worker count fixed by the URL (`workers=N`) and
//   with the app's own rule (no key), main-thread long tasks and redraws meanwhile; beside
//   it the same six runs one after another outside the app (bench/tfjs: Batch Lab's trainer
//   and TF.js model.fit, read from $BENCH_SWEEP_JSON when that file exists);
// - redraws with 8 kept runs of 110,000 updates each: during the 8th run (7 finished + 1
//   training), forced by the smoothing slider (cached buckets re-smoothed), and forced by
//   resizing (every run's series thinned again).
//
// Usage: node drive.mjs <base-url> [reps (default 3)]
//   env: BENCH_NODE_MODULES (where playwright-core is), CHROMIUM,
//        BENCH_APP_PARTS=runs,redraw,million,long,sweep,overlay,targetsweep (the default: all but
//        targetsweep, issue 22's default target sweep with 3 seeds and its parallel efficiency; long =
//        8 kept runs of 1,000,000 updates each: memory after each, then redraws and long tasks),
//        BENCH_SWEEP_WORKERS=1,2,hc (worker counts the sweep part tries, in that order,
//        each `reps` times, interleaved; `hc` = navigator.hardwareConcurrency, `auto` = no
//        `workers` key: the app's own rule; a `-nocharts` suffix, e.g. `2-nocharts`: the embed
//        view with the charts hidden; duplicates are dropped),
//        BENCH_SWEEP_REPS (sweeps per worker count, and a third of the runs timed in the
//        overlay part; default: reps), BENCH_SWEEP_JSON (the six fits in turn written by
//        bench/tfjs/drive.mjs).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fmt, median, withChromium } from '../browser.mjs';
import { hostDir } from '../static-host.mjs';

const [base, repsArg = '3'] = process.argv.slice(2);
const REPS = Number(repsArg);
const PARTS = (process.env.BENCH_APP_PARTS || 'runs,tax,loads,firstvisit,redraw,million,long,sweep,overlay').split(',');
const SWEEP_REPS = Number(process.env.BENCH_SWEEP_REPS || REPS);
const log = (s) => process.stderr.write(`[bench-app] ${s}\n`);
/// Networks of the first visit: DevTools' throttling (`Network.emulateNetworkConditions`;
/// latency is added to each request, throughput caps the page's and its worker's traffic).
/// Upload in the proportion of Chrome's "Slow 4G" preset (1.6 Mbit/s down, 750 kbit/s up).
const NETWORKS = [
  { label: '10 Mbit/s, 40 ms', down: 10e6, latency: 40 },
  { label: '1.6 Mbit/s, 150 ms', down: 1.6e6, latency: 150 },
];
/// The repository's static host for the firstvisit and tax parts ([`hostRepo`]).
let hosted;

let browser;

/// Opens the app at `query` (English, so the status text is predictable) and waits until
/// it is ready to train (MNIST downloaded and decoded when chosen). At full speed
/// (`speed=max`): these runs measure speed, and a page opens at one epoch per second.
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
  await page.goto(`${base}/?lang=en&speed=max&${query}`);
  await page.waitForSelector('[data-testid=status][data-state=ready]', { timeout: 60_000 });
  // Record every redraw from now on.
  await page.evaluate(() => {
    const root = document.querySelector('[data-testid=charts]');
    if (root) new MutationObserver(() => {
      const layer = root.querySelector('[data-testid=loss-chart]')?.dataset.layer;
      window.__draws.push({ ms: Number(root.dataset.drawMs), updates: Number(root.dataset.drawn), layer });
    }).observe(root, { attributes: true, attributeFilter: ['data-draw-ms'] });
  });
  return page;
}

/// Presses Train and waits for the finished state with the last update drawn. Returns the
/// wall time from the click event, the long tasks and redraws that happened in between, and
/// the status text.
async function train(page, timeout = 600_000) {
  await page.evaluate(() => {
    window.__long = [];
    window.__draws = [];
    // The clock starts at the click itself, not before Playwright's checks and scrolling.
    window.__t0 = performance.now();
    document.querySelector('[data-testid=train]').addEventListener('click', () => {
      window.__t0 = performance.now();
    }, { capture: true, once: true });
  });
  // The end is caught by a MutationObserver (its callback runs as a microtask after the
  // change), not by polling every animation frame: a rAF poll makes the page render a frame
  // 60 times a second, work a student's page does not do, which took the cores the training
  // needs and so inflated what the drawing tax part measures.
  await page.evaluate(() => {
    const done = () => {
      const status = document.querySelector('[data-testid=status]');
      const charts = document.querySelector('[data-testid=charts]');
      return status?.dataset.state === 'finished' && charts?.dataset.drawn === charts?.dataset.updates;
    };
    window.__t1 = undefined;
    const seen = new MutationObserver(() => {
      if (!done()) return;
      window.__t1 ??= performance.now();
      seen.disconnect();
    });
    seen.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state', 'data-drawn', 'data-updates'] });
  });
  await page.click('[data-testid=train]');
  await page.waitForFunction(() => window.__t1 !== undefined, null, { timeout, polling: 100 });
  return page.evaluate(() => {
    const t1 = window.__t1;
    window.__t1 = undefined;
    return {
      updates: Number(document.querySelector('[data-testid=charts]').dataset.drawn),
      ms: t1 - window.__t0,
      long: window.__long.filter((l) => l.at >= window.__t0).map((l) => l.ms),
      longAt: window.__long.filter((l) => l.at >= window.__t0).map((l) => Math.round(l.at - window.__t0)),
      draws: window.__draws.map((d) => d.ms),
      layers: window.__draws.map((d) => d.layer),
      status: document.querySelector('[data-testid=status]').innerText.trim(),
    };
  });
}

/// The renderer's CPU clocks (CDP Performance.getMetrics): `ThreadTime` = the page's main
/// thread, `ProcessTime` = the whole renderer process (its Web Workers included), `TaskDuration`
/// = main-thread tasks, wall time. CPU time is not stretched when other work shares the cores,
/// unlike wall time and long tasks.
async function cpuClock(page) {
  page.__cdp ??= await page.context().newCDPSession(page);
  if (!page.__cdpOn) { await page.__cdp.send('Performance.enable'); page.__cdpOn = true; }
  const { metrics } = await page.__cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  return { thread: m.ThreadTime, process: m.ProcessTime, tasks: m.TaskDuration };
}
const cpuSince = (a, b) => ({ thread: b.thread - a.thread, process: b.process - a.process, tasks: b.tasks - a.tasks });
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
/// CPU seconds the whole machine has been busy (Linux /proc/stat; NaN elsewhere): over a span,
/// minus the renderer's own CPU, how much else ran (the browser process, other programs).
const machineBusy = () => {
  if (!existsSync('/proc/stat')) return NaN;
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return (user + nice + system + irq + softirq + steal) / 100; // USER_HZ
};

/// Runs `body` with a Chromium trace (devtools.timeline) and returns its result and the CPU
/// time (thread time, ms) of each animation-frame callback on the page's main thread, longest
/// first: the charts' draw runs in one, so the first `redraws` of them are the redraws' CPU
/// time, which other work sharing the cores does not stretch (the wall time it does).
async function traced(page, body) {
  await browser.startTracing(page, { categories: ['devtools.timeline'] });
  const out = await body();
  const { traceEvents } = JSON.parse(await browser.stopTracing());
  const main = new Set(traceEvents.filter((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  const frames = traceEvents.filter((e) => e.name === 'FireAnimationFrame' && e.ph === 'X' && main.has(`${e.pid}:${e.tid}`))
    .map((e) => (e.tdur ?? e.dur) / 1000).sort((a, b) => b - a);
  return { out, frames };
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
  if (PARTS.includes('tax')) await drawingTax();
  if (PARTS.includes('loads')) await pageLoads();
  if (PARTS.includes('firstvisit')) await firstVisit();
  if (PARTS.includes('redraw')) await longHistory();
  if (PARTS.includes('million')) await million();
  if (PARTS.includes('long')) await longSession();
  if (PARTS.includes('sweep')) await sweeps();
  if (PARTS.includes('targetsweep')) await targetSweeps();
  if (PARTS.includes('overlay')) await overlay();
  if (PARTS.includes('seeds')) await seedGroups();
  if (PARTS.includes('claims')) await claimsCards();
});

/// Issue 22's speed goal: a group of k seeds of the default run (k = 2, 3, 4) against one
/// seed, in the same browser, alternated (1, 2, 3, 4, 1, 2, …) so a slower spell of the
/// machine hits every k alike. The goal: at most 1.15 × ⌈k / workers⌉ × one seed's time,
/// workers = the pool's rule (`sweep::worker_count`: min(k, cores, 4)).
async function seedGroups(reps = Number(process.env.BENCH_SEEDS_REPS || 2)) {
  const ks = [1, 2, 3, 4];
  const times = Object.fromEntries(ks.map((k) => [k, []]));
  const waited = Object.fromEntries(ks.map((k) => [k, []]));
  let cores = 2;
  for (let i = 0; i < reps; i++) {
    for (const k of ks) {
      const page = await open(`seeds=${k}`);
      cores = await page.evaluate(() => navigator.hardwareConcurrency || 2);
      // Every seed's worker ready (spawned, MNIST decoded), as for the one seed: the ratio is
      // of training, not of the extra workers starting up (timed apart: `waited`).
      const t0 = Date.now();
      const workers = Math.min(k, cores, 4);
      await page.waitForSelector(`[data-testid=status][data-seeds-ready="${workers}"]`, { timeout: 60_000 });
      waited[k].push((Date.now() - t0) / 1000);
      await page.waitForTimeout(300);
      const r = await train(page);
      log(`seeds=${k} rep ${i}: ${(r.ms / 1000).toFixed(2)} s, ${r.status}`);
      times[k].push(r.ms / 1000);
      await page.close();
    }
  }
  const one = median(times[1]);
  console.log(`\nSeed groups of the default run (MNIST 8k/2k, B = 32, 10 epochs), ${reps} alternated reps, ${cores} cores;`);
  console.log('Train pressed once every seed a worker can hold is ready (`data-seeds-ready`); the wait for the');
  console.log('extra workers after the page was ready is its own column:\n');
  console.log('| seeds k | workers ready after the page, s | wall time, s | ratio to one seed | goal 1.15 × ⌈k / workers⌉ | within |');
  console.log('| ---: | ---: | ---: | ---: | ---: | --- |');
  for (const k of ks) {
    const workers = Math.min(k, cores, 4);
    const goal = 1.15 * Math.ceil(k / workers);
    const ratio = median(times[k]) / one;
    console.log(`| ${k} | ${range(waited[k])} | ${range(times[k])} | ${ratio.toFixed(2)} | ${goal.toFixed(2)} | ${k === 1 ? '' : ratio <= goal ? 'yes' : 'no'} |`);
  }
  await bareFloor(reps);
}

/// The machine's own floor for two seeds: two bare trainer workers (no app, no drawing) each
/// training the default run at once, against one alone, alternated; timed from the page
/// around the runs.
async function bareFloor(reps) {
  if (!bareWasmBuilt()) {
    console.log('\n(Two bare workers: target/bench-wasm is missing; `BENCH_APP_PARTS=seeds,tax` builds it.)');
    return;
  }
  const bare = await barePage(await hostRepo(), 2);
  const timed = (n) => bare.evaluate(async (n) => {
    const t0 = performance.now();
    await Promise.all(window.__asks.slice(0, n).map((ask) => ask({ cmd: 'full', batch: 32, epochs: 10 })));
    return (performance.now() - t0) / 1000;
  }, n);
  const one = [], two = [];
  for (let i = 0; i < Math.max(3, reps); i++) {
    one.push(await timed(1));
    two.push(await timed(2));
    log(`bare workers rep ${i}: one ${one.at(-1).toFixed(2)} s, two at once ${two.at(-1).toFixed(2)} s, load ${loadavg()}`);
  }
  await bare.close();
  console.log(`\nThe machine's floor: the default run in bare workers (no app), one alone ${range(one)} s, two at once ` +
    `${range(two)} s, ratio **${(median(two) / median(one)).toFixed(2)}** (${one.length} alternated reps).`);
}

/// Issue 24's size goal: each claims card on its defaults in about 20 s here, all of them in
/// about 3 minutes. One page, "Run all" (the cards in turn, as a reader runs them); each
/// card's own clock (`data-seconds`, Run pressed → verdict) and its verdict.
async function claimsCards() {
  const page = await open('');
  const started = Date.now();
  await page.click('[data-testid=run-all-claims]');
  await page.waitForFunction(() => {
    const cards = [...document.querySelectorAll('[data-testid=claim]')];
    return cards.length && cards.every((c) => c.dataset.state === 'done');
  }, null, { timeout: 900_000, polling: 500 });
  const wall = (Date.now() - started) / 1000;
  const cards = await page.evaluate(() => [...document.querySelectorAll('[data-testid=claim]')]
    .map((c) => ({ key: c.dataset.claim, seconds: Number(c.dataset.seconds), verdict: c.dataset.verdict })));
  await page.close();
  console.log('\nThe claims cards on their defaults, "Run all" on one page (goal: ~20 s a card, ~3 min in all):\n');
  console.log('| card | seconds | verdict |');
  console.log('| --- | ---: | --- |');
  for (const c of cards) console.log(`| ${c.key} | ${c.seconds.toFixed(1)} | ${c.verdict || '(none)'} |`);
  console.log(`| **all, wall time** | **${wall.toFixed(0)}** | |`);
}

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

/// A long session (issue 11): 8 kept runs of 1,000,000 updates each on one page (the seed
/// changed between runs, so each is kept), the page's memory after each run, then the cost of
/// redrawing all eight and the long tasks meanwhile.
async function longSession() {
  const page = await open('data=spirals&n=5000&b=1&epochs=200&split=0.2');
  const sample = () => page.evaluate(() => ({
    wasm: window.__wasmMemory?.buffer.byteLength ?? NaN,
    heap: performance.memory?.usedJSHeapSize ?? NaN,
    runs: document.querySelectorAll('[data-testid=run-item]').length,
    updates: [...document.querySelectorAll('[data-testid=run-item]')].map((i) => Number(i.dataset.updates)),
  }));
  const rows = [{ run: 0, secs: 0, ...(await sample()) }];
  for (let i = 1; i <= 8; i++) {
    if (i > 1) {
      await page.fill('[data-testid=seed]', String(100 + i));
      await page.press('[data-testid=seed]', 'Tab');
      await page.waitForFunction(() => document.querySelector('[data-testid=status]').dataset.state === 'ready',
        null, { timeout: 60_000 });
    }
    await page.evaluate(() => { window.__long = []; });
    const t0 = Date.now();
    await page.click('[data-testid=train]');
    await page.waitForFunction(() => ['finished', 'diverged', 'error'].includes(
      document.querySelector('[data-testid=status]').dataset.state), null, { timeout: 30 * 60_000, polling: 500 });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 500))); // the collector settles
    const long = await page.evaluate(() => window.__long.map((l) => Math.round(l.ms)));
    rows.push({ run: i, secs: (Date.now() - t0) / 1000, long, ...(await sample()) });
    log(`long session: run ${i}: ${rows.at(-1).secs.toFixed(1)} s, wasm ${mb(rows.at(-1).wasm)} MB, heap ${mb(rows.at(-1).heap)} MB`);
  }
  await page.evaluate(() => { window.__long = []; });
  const redraws = await forcedRedraws(page, 20);
  const long = await page.evaluate(() => window.__long.map((l) => Math.round(l.ms)));
  await page.close();
  const last = rows.at(-1);
  console.log(`\nA long session: 8 kept runs of 1,000,000 updates each on one page (2-D spirals, 5,000 samples,`);
  console.log(`B = 1, 200 epochs, a new seed per run). Memory after each run; the history merges rows pairwise`);
  console.log(`past 131,072 per run, so it grows by a bounded amount per kept run, not per update.\n`);
  console.log('| runs kept | updates of the last run | training, s | page wasm memory, MB | JS heap used, MB | long tasks during the run |');
  console.log('| ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    console.log(`| ${r.runs} | ${fmt(r.updates.at(-1) ?? 0)} | ${r.secs.toFixed(1)} | ${mb(r.wasm)} | ${mb(r.heap)} | ${longest(r.long)} |`);
  }
  console.log(`\nThen, with all ${last.runs} runs on the charts: ${redraws.length} forced redraws (viewport 1280 ↔ 1180 px, every`);
  console.log(`run re-thinned), median ${median(redraws).toFixed(1)} ms, p95 ${quantile(redraws, 0.95).toFixed(1)} ms, max ` +
    `${Math.max(...redraws).toFixed(1)} ms; long tasks meanwhile: ${longest(long)}.`);
}

/// "none", or "12 (longest 180, 120, 95 ms)".
function longest(ms) {
  if (!ms?.length) return 'none';
  const top = [...ms].sort((a, b) => b - a).slice(0, 3);
  return `${ms.length} (longest ${top.join(', ')} ms)`;
}

/// One sweep on a fresh page (`workers`: a count for the URL, or null for the app's rule):
/// click on Sweep → results shown (`sweep-results` present, panel `data-state=done`, polled
/// every frame). Also the long tasks, redraws, the most workers alive at once, when each run
/// finished, and the panel's own figures.
async function sweepOnce(workers, noCharts, sweep = 'sweep-mode=epochs&sweep-seeds=1') {
  // The default sweep of issue 10 (one seed per B, every B the same 10 epochs) unless
  // `sweep` says otherwise ('': the page's defaults, issue 22's target sweep with 3 seeds).
  const query = [sweep, workers == null ? '' : `workers=${workers}`, noCharts ? 'embed=1&hide=charts' : ''];
  const page = await open(query.filter(Boolean).join('&'));
  await page.waitForTimeout(300); // as in `runs`: the load's long tasks settle first
  await page.evaluate(() => {
    window.__long = [];
    window.__draws = [];
    window.__runsDone = [];
    window.__liveMax = 0;
    const panel = document.querySelector('[data-testid=sweep-panel]');
    const progress = document.querySelector('[data-testid=sweep-progress]');
    new MutationObserver(() => {
      window.__liveMax = Math.max(window.__liveMax, Number(panel.dataset.workers) || 0);
    }).observe(panel, { attributes: true, attributeFilter: ['data-workers'] });
    new MutationObserver(() => {
      window.__runsDone.push(Math.round(performance.now() - window.__t0));
    }).observe(progress, { attributes: true, attributeFilter: ['data-value'] });
    // The end is caught by a MutationObserver, not a poll every animation frame (see `train`).
    window.__t1 = undefined;
    const seen = new MutationObserver(() => {
      if (panel.dataset.state !== 'done' || !document.querySelector('[data-testid=sweep-results]')) return;
      window.__t1 ??= performance.now();
      seen.disconnect();
    });
    seen.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    // The clock starts at the click itself (not before Playwright scrolls to the button).
    window.__t0 = undefined;
    document.querySelector('[data-testid=sweep]').addEventListener('click', () => {
      window.__t0 = performance.now();
    }, { capture: true, once: true });
  });
  const cpu0 = await cpuClock(page);
  const busy0 = machineBusy();
  // Clicked from script: the page stays scrolled to the top, the charts in full view as they
  // fill with the sweep's runs (a pointer click would first scroll the button into view).
  await page.$eval('[data-testid=sweep]', (b) => b.click());
  await page.waitForFunction(() => window.__t1 !== undefined, null, { timeout: 600_000, polling: 100 });
  const cpu = cpuSince(cpu0, await cpuClock(page));
  const busy = machineBusy() - busy0;
  await page.waitForTimeout(200); // long-task entries arrive asynchronously
  const r = await page.evaluate(() => ({
    ms: window.__t1 - window.__t0,
    long: window.__long.filter((l) => l.at >= window.__t0).map((l) => l.ms),
    longAt: window.__long.filter((l) => l.at >= window.__t0).map((l) => Math.round(l.at - window.__t0)),
    draws: window.__draws.map((d) => d.ms),
    liveMax: window.__liveMax,
    runsDone: [...new Set(window.__runsDone)],
    text: document.querySelector('[data-testid=sweep-progress]').innerText.trim(),
    hc: navigator.hardwareConcurrency,
    rows: [...document.querySelectorAll('[data-testid=sweep-row]')].map((row) => ({
      b: Number(row.dataset.batchSize), acc: Number(row.dataset.finalValAccuracy),
      reached: Number(row.dataset.reached), seeds: Number(row.dataset.seeds),
      updates: row.dataset.updatesToTarget,
    })),
    results: { ...document.querySelector('[data-testid=sweep-results]').dataset },
    bCrit: { ...document.querySelector('[data-testid=b-crit]').dataset },
  }));
  await page.close();
  // "runs done: 6 in 4.1 s (workers: 2)" (the page is opened in English): the app's own wall
  // time and worker count.
  const m = /([\d.]+) s \(workers: (\d+)\)/.exec(r.text);
  return { ...r, cpu, others: (busy - cpu.process) / (r.ms / 1000), appSecs: Number(m?.[1] ?? NaN), workers: Number(m?.[2] ?? NaN) };
}

/// Issue 22's default sweep: MNIST to 90 % validation accuracy, 3 seeds per B (18 runs), the
/// app's own worker count. Its wall time (click → results) beside the sum of its runs'
/// training seconds (each run's own clock in its worker, pauses excluded) divided by the
/// workers: the parallel efficiency, 1 when the workers never wait (the pool submits the
/// longest expected runs first).
async function targetSweeps() {
  const rs = [];
  for (let rep = 0; rep < SWEEP_REPS; rep++) {
    const r = await sweepOnce(null, false, '');
    const wall = Number(r.results.seconds);
    const train = Number(r.results.trainSeconds);
    const workers = Number(r.results.workers);
    r.efficiency = train / workers / wall;
    log(`target sweep rep ${rep}: ${wall.toFixed(2)} s wall, ${train.toFixed(2)} s of training over ${workers} workers, ` +
      `efficiency ${r.efficiency.toFixed(3)}, load ${loadavg()}, long tasks [${r.long.map(Math.round)}] at [${r.longAt}] ms, ` +
      `runs done at [${r.runsDone}] ms, ` +
      `rows ${r.rows.map((x) => `B=${x.b} ${x.reached}/${x.seeds} at ${Number(x.updates).toFixed(1)}`).join(', ')}, ` +
      `B_crit ${r.bCrit.value} [${r.bCrit.low}, ${r.bCrit.high}]`);
    rs.push(r);
  }
  console.log('\nIssue 22\'s default sweep: MNIST to 90 %, B = 8 … 8000, 3 seeds per B (18 runs), the app\'s own worker');
  console.log('count, largest expected first. Wall: click → results; training: the sum of the runs\' own training');
  console.log('seconds (in their workers); efficiency = training / workers / wall (goal ≥ 0.85).\n');
  console.log('| rep | workers | wall, s | training, s | efficiency | long tasks | B_crit [95 %] |');
  console.log('| ---: | ---: | ---: | ---: | ---: | --- | --- |');
  rs.forEach((r, i) => console.log(`| ${i} | ${r.results.workers} | ${Number(r.results.seconds).toFixed(2)} | ` +
    `${Number(r.results.trainSeconds).toFixed(2)} | ${r.efficiency.toFixed(3)} | ${longest(r.long.map(Math.round))} | ` +
    `${Math.round(Number(r.bCrit.value))} [${Math.round(Number(r.bCrit.low))}, ${Math.round(Number(r.bCrit.high))}] |`));
}

/// The six fits in turn outside the app (bench/tfjs/drive.mjs wrote them), if there.
function sweepInTurn() {
  const path = process.env.BENCH_SWEEP_JSON;
  if (!path || !existsSync(path)) return null;
  const j = JSON.parse(readFileSync(path, 'utf8'));
  const of = (n) => j.sweep.filter((r) => r.runner === n);
  return { date: j.date, version: j.tfjs, age: (Date.now() - statSync(path).mtimeMs) / 60_000, batchLab: of('batch-lab'), tfjs: of('tfjs') };
}

async function sweeps() {
  const probe = await open('');
  const hc = await probe.evaluate(() => navigator.hardwareConcurrency);
  await probe.close();
  // "2", "hc", "auto", each optionally "-nocharts" (the embed view with the charts hidden:
  // what the sweep costs without drawing its runs).
  const parse = (token) => {
    const [w, flag] = token.split('-');
    const workers = w === 'hc' ? hc : w === 'auto' ? null : Number(w);
    const noCharts = flag === 'nocharts';
    return { key: `${workers ?? 'auto'}${noCharts ? '-nocharts' : ''}`, workers, noCharts };
  };
  const configs = [...new Map((process.env.BENCH_SWEEP_WORKERS || '1,2,hc').split(',')
    .map(parse).map((c) => [c.key, c])).values()];
  const results = new Map(configs.map((c) => [c.key, []]));
  for (let rep = 0; rep < SWEEP_REPS; rep++) {
    // Rotate the order every rep, so no count always runs first (or on a warmer machine).
    const order = configs.map((_, i) => configs[(i + rep) % configs.length]);
    for (const c of order) {
      const r = await sweepOnce(c.workers, c.noCharts);
      log(`sweep ${c.key} rep ${rep}: ${(r.ms / 1000).toFixed(2)} s (panel: "${r.text}"), load ${loadavg()}, ` +
        `other work ${r.others.toFixed(2)} cores, ` +
        `CPU main thread ${r.cpu.thread.toFixed(2)} s (tasks ${r.cpu.tasks.toFixed(2)} s wall), renderer ${r.cpu.process.toFixed(2)} s, ` +
        `runs done at [${r.runsDone}] ms, at most ${r.liveMax} workers alive, long tasks [${r.long.map(Math.round)}] ` +
        `at [${r.longAt}] ms, ${r.draws.length} redraws (p95 ${quantile(r.draws, 0.95).toFixed(1)} ms), ` +
        `final val acc ${r.rows.map((x) => `B=${x.b} ${(100 * x.acc).toFixed(1)} %`).join(', ')}`);
      if (c.workers != null && r.workers !== c.workers) log(`WARNING: asked for workers=${c.workers}, the panel says ${r.workers} (is the URL key honoured?)`);
      results.get(c.key).push(r);
    }
  }
  const secs = (rs) => rs.map((r) => r.ms / 1000);
  const one = results.get('1');
  const outside = sweepInTurn();
  console.log(`\nThe default sweep (MNIST, N = 8,000, 10 epochs, B = 8, 32, 128, 512, 2000, 8000, validation each epoch;`);
  console.log(`navigator.hardwareConcurrency = ${hc}): click on Sweep → results shown, ${SWEEP_REPS} sweeps per row, interleaved.`);
  console.log('Workers: from `workers=N` in the URL ("rule": no key, the app\'s own worker_count); each worker is');
  console.log('spawned by the sweep (wasm instantiated, MNIST decoded) inside the timed span. Long tasks: main-thread');
  console.log('tasks > 50 ms from the click to the results; redraw = both charts with the sweep\'s runs; CPU: the');
  console.log('page\'s main thread and the whole renderer (workers included), from CDP Performance.getMetrics.');
  console.log('Median (min–max).\n');
  console.log('| workers | wall time, s | panel\'s own time, s | vs 1 worker | main-thread CPU, s | renderer CPU, s | sweeps with a long task | redraws per sweep | redraw p95, ms | redraw max, ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const c of configs) {
    const rs = results.get(c.key);
    const draws = rs.flatMap((r) => r.draws);
    const shown = [...new Set(rs.map((r) => r.workers))].join('/');
    let label = c.workers == null ? `rule (${shown})` : `${c.workers}${c.workers === hc ? ' (= hardwareConcurrency)' : ''}`;
    if (c.workers != null && shown !== String(c.workers)) label += ` [panel: ${shown}]`;
    if (c.noCharts) label += ', charts hidden (`embed=1&hide=charts`)';
    const speedup = one && c.key !== '1' ? `${(median(secs(one)) / median(secs(rs))).toFixed(2)}× faster` : c.key === '1' ? '—' : '';
    const dcell = (f) => (draws.length ? f() : '—');
    console.log(`| ${label} | ${range(secs(rs))} | ${range(rs.map((r) => r.appSecs), (x) => x.toFixed(1))} | ${speedup} | ` +
      `${range(rs.map((r) => r.cpu.thread))} | ${range(rs.map((r) => r.cpu.process), (x) => x.toFixed(1))} | ${longTasks(rs)} | ` +
      `${median(rs.map((r) => r.draws.length))} | ${dcell(() => quantile(draws, 0.95).toFixed(1))} | ${dcell(() => Math.max(...draws).toFixed(1))} |`);
  }
  if (outside) {
    const tot = (rs) => rs.map((r) => r.secs);
    const note = outside.age > 60 ? ` (from an earlier run, ${outside.date})` : '';
    console.log(`| six in turn, Batch Lab trainer in a bench worker (bench/tfjs, no app)${note} | ${range(tot(outside.batchLab))} | | | | | | | | |`);
    console.log(`| **six in turn, TF.js ${outside.version} model.fit** (bench/tfjs)${note} | **${range(tot(outside.tfjs))}** | | | | | | | | |`);
    const best = Math.min(...configs.filter((c) => !c.noCharts).map((c) => median(secs(results.get(c.key)))));
    console.log(`\nFastest app sweep vs TF.js fitting the six in turn: ${(median(tot(outside.tfjs)) / best).toFixed(1)}× faster. ` +
      'Each fit outside the app, s, median (min–max):\n');
    console.log('| batch | Batch Lab trainer (bench worker) | TF.js model.fit | TF.js final val accuracy, % |');
    console.log('| ---: | ---: | ---: | ---: |');
    for (const f of outside.tfjs[0].fits) {
      const fit = (rs) => rs.map((r) => r.fits.find((x) => x.batch === f.batch));
      console.log(`| ${f.batch} | ${range(fit(outside.batchLab).map((x) => x.secs))} | ${range(fit(outside.tfjs).map((x) => x.secs))} | ` +
        `${range(fit(outside.tfjs).map((x) => 100 * x.valAcc), (x) => x.toFixed(1))} |`);
    }
  } else {
    console.log('\n(TF.js fitting the six in turn: run the tfjs part first, e.g. `BENCH_PARTS=tfjs,app scripts/bench`.)');
  }
  const app = results.get(configs[0].key)[0].rows;
  if (app) console.log(`\nThe app's final validation accuracy per run (seeded, every sweep): ${app.map((x) => `B = ${x.b}: ${(100 * x.acc).toFixed(1)} %`).join(', ')}.`);
}

/// Redraws with 8 kept runs of 110,000 updates (2-D blobs, 1,100 samples, B = 1, 100 epochs):
/// 7 runs trained and kept, then more runs each drawn beside 7 finished ones (past 8 the
/// oldest is dropped, so every later run is again "7 finished + 1 training"); then redraws
/// forced by the smoothing slider and by resizing.
async function overlay() {
  const query = 'data=blobs&n=1100&b=1&epochs=100&speed=max';
  const page = await open(query);
  const first = [];
  for (let i = 0; i < 7; i++) first.push(await train(page));
  log(`overlay: 7 runs of ${fmt(first[0].updates)} updates in ${first.map((r) => (r.ms / 1000).toFixed(1)).join(', ')} s`);
  const during = [];
  for (let i = 0; i < SWEEP_REPS * 3; i++) {
    const c0 = await cpuClock(page);
    const r = await train(page);
    r.cpu = cpuSince(c0, await cpuClock(page));
    const runs = await page.evaluate(() => Number(document.querySelector('[data-testid=loss-chart]').dataset.runs));
    log(`overlay: run with ${runs} runs drawn: ${(r.ms / 1000).toFixed(2)} s, load ${loadavg()}, main-thread CPU ${r.cpu.thread.toFixed(2)} s, ${r.draws.length} redraws ` +
      `(p95 ${quantile(r.draws, 0.95).toFixed(1)} ms, max ${Math.max(...r.draws).toFixed(1)}), long tasks [${r.long.map(Math.round)}]`);
    during.push({ ...r, runs });
  }
  const drawn = await page.evaluate(() => ({
    runs: Number(document.querySelector('[data-testid=loss-chart]').dataset.runs),
    items: [...document.querySelectorAll('[data-testid=run-item]')].map((e) => Number(e.dataset.updates)),
  }));

  // Smoothing: each input event changes the weight; the next frame re-smooths the cached
  // buckets of every run and redraws.
  const forced = async (count, change) => {
    await page.evaluate(() => { window.__long = []; window.__t0 = performance.now(); });
    const c0 = await cpuClock(page);
    const ms = [];
    for (let i = 0; i < count; i++) {
      const before = await page.evaluate(() => window.__draws.length);
      await change(i);
      await page.waitForFunction((n) => window.__draws.length > n, before, { timeout: 10_000, polling: 'raf' });
      ms.push(await page.evaluate(() => window.__draws.at(-1).ms));
    }
    const cpu = cpuSince(c0, await cpuClock(page));
    await page.waitForTimeout(200);
    const long = await page.evaluate(() => window.__long.filter((l) => l.at >= window.__t0).map((l) => l.ms));
    return { ms, long, cpu };
  };
  const smoothing = await forced(60, (i) => page.evaluate((v) => {
    const el = document.querySelector('[data-testid=smoothing]');
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, [0.3, 0.6, 0.9][i % 3]));
  const resize = await forced(60, (i) => page.setViewportSize({ width: i % 2 ? 1280 : 1180, height: 1000 }));
  // The same again, fewer, traced (a separate pass: tracing costs a little time per frame):
  // the draws' CPU time.
  const cpuOf = ({ out, frames }, n) => frames.slice(0, n);
  const tDuring = [];
  for (let i = 0; i < 3; i++) {
    const t = await traced(page, () => train(page));
    tDuring.push(...cpuOf(t, t.out.draws.length));
  }
  const tSmooth = await traced(page, () => forced(20, (i) => page.evaluate((v) => {
    const el = document.querySelector('[data-testid=smoothing]');
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, [0.3, 0.6, 0.9][i % 3])));
  const tResize = await traced(page, () => forced(20, (i) => page.setViewportSize({ width: i % 2 ? 1280 : 1180, height: 1000 })));
  const drawCpu = [tDuring, cpuOf(tSmooth, 20), cpuOf(tResize, 20)];
  await page.close();

  const dur = during.flatMap((r) => r.draws);
  const row = (label, ms, long, cpu, traced) => console.log(`| ${label} | ${ms.length} | ${median(ms).toFixed(2)} | ` +
    `${quantile(ms, 0.95).toFixed(2)} | ${Math.max(...ms).toFixed(2)} | ${traced.length} | ${median(traced).toFixed(2)} | ` +
    `${quantile(traced, 0.95).toFixed(2)} | ${long} | ${(1000 * cpu / ms.length).toFixed(1)} |`);
  console.log(`\nRedraw of both charts with 8 kept runs of ${fmt(first[0].updates)} updates each (2-D blobs, 1,100 samples, B = 1,`);
  console.log(`100 epochs; ${drawn.runs} runs drawn, updates per run [${drawn.items.map(fmt).join(', ')}]); target p95 < 8 ms.`);
  const layers = {};
  for (const l of during.flatMap((r) => r.layers)) layers[l] = (layers[l] || 0) + 1;
  console.log(`"During a run": ${during.length} runs each trained beside 7 finished ones (${range(during.map((r) => r.ms / 1000))} s each;`);
  console.log(`what the loss chart's frames did with the back layer, \`data-layer\`: ${Object.entries(layers).map(([k, n]) => `${k} ${n}`).join(', ')});`);
  console.log('smoothing: 60 input events on the slider (cached buckets re-smoothed); resize: the viewport');
  console.log('1280 ↔ 1180 px wide, 60 times (every run\'s series thinned again from its 110,000 rows). Long tasks > 50 ms;');
  console.log('main-thread CPU per redraw: the page\'s main-thread CPU time over the span (CDP ThreadTime: drawing,');
  console.log('layout, paint, the worker\'s messages, the driver\'s probes) divided by the redraws. Draw CPU: a');
  console.log('second, traced pass (3 runs, 20 + 20 forced redraws): the CPU time of each redraw\'s animation-frame');
  console.log('callback, which a busy machine does not stretch (`data-draw-ms` is wall time).\n');
  console.log('| redraws | count | `data-draw-ms` median | p95 | max | traced | draw CPU median, ms | draw CPU p95, ms | long tasks | main-thread CPU per redraw, ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const sum = (a) => a.reduce((x, y) => x + y, 0);
  const listed = (l) => `${l.length}${l.length ? ` (${l.map(Math.round).join(', ')} ms)` : ''}`;
  row('during a run (7 finished + 1 training)', dur, longTasks(during).replace(/ of \d+/, ` of ${during.length} runs`), sum(during.map((r) => r.cpu.thread)), drawCpu[0]);
  row('smoothing slider (8 finished)', smoothing.ms, listed(smoothing.long), smoothing.cpu.thread, drawCpu[1]);
  row('resize (8 finished, all re-thinned)', resize.ms, listed(resize.long), resize.cpu.thread, drawCpu[2]);
  // The same frames split by what they did with the back layer: a run's start redraws it
  // (the run that ended joins it, the oldest run leaves), every other frame copies it. How
  // many frames a run has depends on the page's display pacing (plot::pacing), so the p95
  // over all frames moves with that mix; each kind's own figures do not.
  const byLayer = (keep) => during.flatMap((r) => r.draws.filter((_, i) => keep(r.layers[i])));
  const rebuilt = (l) => l === 'drawn' || l === 'whole';
  const perRun = median(during.map((r) => r.draws.length));
  console.log(`\nDuring a run, split by the loss chart's \`data-layer\` (${perRun} redraws per run, median):\n`);
  console.log('| frames | count | median, ms | p95, ms | max, ms |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [label, ms] of [['back layer kept or appended to', byLayer((l) => !rebuilt(l))], ['back layer drawn again (a run\'s start)', byLayer(rebuilt)]]) {
    if (ms.length) console.log(`| ${label} | ${ms.length} | ${median(ms).toFixed(2)} | ${quantile(ms, 0.95).toFixed(2)} | ${Math.max(...ms).toFixed(2)} |`);
  }
}

/// The repository served as a static host serves a site (bench/static-host.mjs): the app at
/// `/dist/`, bench/tfjs' worker at its own path. Started once.
function hostRepo() {
  hosted ??= hostDir(fileURLToPath(new URL('../..', import.meta.url)));
  return hosted;
}


/// A page in a fresh browser context (empty HTTP cache) on the throttled network `net`
/// ([`NETWORKS`]).
async function throttledPage(net, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: net.latency,
    downloadThroughput: net.down / 8, uploadThroughput: net.down / 8 * 750 / 1600,
  });
  return { context, page };
}

/// One first visit: a fresh browser context (empty HTTP cache, nothing stored), the network
/// throttled, the app opened with no query (what a reader's first click gives; `lang=en`
/// only fixes the language). A script in the page presses Train as soon as it is enabled,
/// and records (ms since navigation start): Train enabled (`data-testid=train` present with
/// `aria-disabled=false`), the run started (status `data-state=running`: the data was
/// downloaded and decoded, the worker ready), the first chart point (charts `data-drawn` ≥ 1:
/// a frame drew the run's first update) and the main thread's long tasks. Every request of
/// the page and of its worker: when it started and ended, and its bytes on the wire.
async function firstVisitOnce(host, net) {
  const { context, page } = await throttledPage(net, { viewport: { width: 1280, height: 1000 } });
  page.on('pageerror', (e) => log(`page error: ${e}`));
  const requests = [];
  context.on('requestfinished', async (r) => {
    const t = r.timing();
    const sizes = await r.sizes().catch(() => null);
    requests.push({
      file: new URL(r.url()).pathname.split('/').pop().replace(/-[0-9a-f]{16}/, '') || 'index.html',
      start: t.startTime, end: t.startTime + t.responseEnd,
      bytes: sizes ? sizes.responseBodySize + sizes.responseHeadersSize : NaN,
    });
  });
  await page.addInitScript(() => {
    const at = (key) => { window.__fv[key] ??= performance.now(); };
    window.__fv = { long: [], states: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__fv.long.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
    new MutationObserver(() => {
      const train = document.querySelector('[data-testid=train]');
      if (!window.__fv.enabled && train?.getAttribute('aria-disabled') === 'false') {
        at('enabled');
        train.click();
      }
      const state = document.querySelector('[data-testid=status]')?.dataset.state;
      if (state && state !== window.__fv.states.at(-1)?.[0]) window.__fv.states.push([state, Math.round(performance.now())]);
      if (state === 'running') at('running');
      if (Number(document.querySelector('[data-testid=charts]')?.dataset.drawn) >= 1) at('point');
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await page.goto(`${host}/dist/?lang=en`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__fv?.point, null, { timeout: 300_000, polling: 100 });
  await page.waitForTimeout(100); // the last requestfinished events
  const r = await page.evaluate(() => ({ ...window.__fv, origin: performance.timeOrigin }));
  await context.close();
  for (const q of requests) { q.start -= r.origin; q.end -= r.origin; }
  requests.sort((a, b) => a.start - b.start);
  return { ...r, requests, bytes: requests.reduce((s, q) => s + q.bytes, 0) };
}

/// What the throttled line itself delivers: a same-origin page that fetches `files` of
/// `dist/` at once and nothing else (a fresh context, each name with a query so nothing is
/// cached), the time to their last byte ÷ their bytes ÷ bandwidth. A first visit cannot beat
/// it; one big file alone does not fill DevTools' line, several side by side do.
async function lineFloor(host, net, files) {
  const { context, page } = await throttledPage(net);
  await page.goto(`${host}/dist/batch-lab-embed.js`);
  const r = await page.evaluate(async (files) => {
    const t0 = performance.now();
    const urls = files.map((f) => `${f}?floor=${Math.random()}`);
    await Promise.all(urls.map(async (u) => (await fetch(u)).arrayBuffer()));
    const ms = performance.now() - t0;
    const bytes = performance.getEntriesByType('resource')
      .filter((e) => urls.some((u) => e.name.endsWith(u)))
      .reduce((sum, e) => sum + e.transferSize, 0);
    return { ms, bytes };
  }, files);
  await context.close();
  return r.ms / ((r.bytes * 8 * 1000) / net.down);
}

/// When a first visit's last download ended, ms since navigation start.
function lastByte(r) {
  return Math.max(...r.requests.map((q) => q.end));
}

async function firstVisit() {
  const host = await hostRepo();
  const reps = Math.max(3, REPS);
  const results = new Map(NETWORKS.map((n) => [n.label, []]));
  for (let i = 0; i < reps; i++) {
    for (const net of NETWORKS) {
      const r = await firstVisitOnce(host, net);
      log(`first visit, ${net.label}, load ${i}: Train enabled ${fmt(r.enabled)} ms, running ${fmt(r.running)} ms, ` +
        `first chart point ${fmt(r.point)} ms, ${fmt(r.bytes / 1024)} KB, long tasks [${r.long.map(Math.round)}], ` +
        `states ${r.states.map(([k, t]) => `${k} ${t}`).join(', ')}; ` +
        r.requests.map((q) => `${q.file} ${fmt(q.start)}–${fmt(q.end)}`).join(', '));
      results.get(net.label).push(r);
    }
  }
  const s = (ms) => ms / 1000;
  console.log('\nA first visit (served as a static host serves it: gzip, `Cache-Control: max-age=600`; a fresh');
  console.log('browser context per load, so an empty cache; DevTools network throttling on the page and its worker;');
  console.log(`upload 47 % of download). Navigation start → …, s; Train pressed by a page script as soon as it is`);
  console.log(`enabled. ${reps} loads per network, interleaved; median (min–max). Targets at 10 Mbit/s: first chart point ≤ 2.5 s,`);
  console.log('and within 1.3× of the bytes alone (bytes ÷ bandwidth: what no ordering of the downloads can beat; issue 23).\n');
  console.log('"Last byte" is when the last download ended: DevTools\' throttling alone keeps it above bytes ÷ bandwidth');
  console.log('(a line it never fills), and what follows it (the data decoded, the first update, the first frame) is the page\'s.\n');
  console.log('| network | Train enabled | run started (data downloaded, decoded) | first chart point | transferred, KB | bytes ÷ bandwidth | last byte | last byte ÷ bytes ÷ bandwidth | first point ÷ bytes ÷ bandwidth | loads with a long task |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const net of NETWORKS) {
    const rs = results.get(net.label);
    const kb = median(rs.map((r) => r.bytes / 1024));
    const wire = (kb * 1024 * 8) / net.down;
    console.log(`| ${net.label} | ${range(rs.map((r) => s(r.enabled)))} | ${range(rs.map((r) => s(r.running)))} | ` +
      `**${range(rs.map((r) => s(r.point)))}** | ${fmt(kb)} | ${wire.toFixed(2)} | ` +
      `${range(rs.map((r) => s(lastByte(r))))} | ${(median(rs.map((r) => s(lastByte(r)))) / wire).toFixed(2)}× | ` +
      `**${(median(rs.map((r) => s(r.point))) / wire).toFixed(2)}×** | ${longTasks(rs)} |`);
  }
  const dist = readdirSync(fileURLToPath(new URL('../../dist', import.meta.url)));
  const pageWasm = dist.filter((f) => /^batch-lab-[0-9a-f]+_bg\.wasm$/.test(f));
  if (pageWasm.length !== 1) throw new Error(`dist/ holds ${pageWasm.length} page wasm files (${pageWasm}): build it afresh`);
  const firstRun = dist.filter((f) => /^batch-lab-[0-9a-f]+(_bg\.wasm|\.js)$|^worker(_bg\.wasm|\.js)$|\.bin\.z$/.test(f));
  console.log('\nThe line itself: a page that fetches the files and nothing else, last byte ÷ bytes ÷ bandwidth, 3 times each:\n');
  console.log('| network | the page\'s wasm alone | the first run\'s files at once |');
  console.log('| --- | ---: | ---: |');
  for (const net of NETWORKS) {
    const ratios = async (files) => { const r = []; for (let i = 0; i < 3; i++) r.push(await lineFloor(host, net, files)); return r; };
    const fmtRatios = (r) => `${median(r).toFixed(2)}× (${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)})`;
    console.log(`| ${net.label} | ${fmtRatios(await ratios(pageWasm))} | ${fmtRatios(await ratios(firstRun))} |`);
  }
  for (const net of NETWORKS) {
    const rs = results.get(net.label);
    const mid = [...rs].sort((a, b) => a.point - b.point)[rs.length >> 1];
    console.log(`\nThe median load at ${net.label}, its requests in order (ms since navigation start; KB on the wire):\n`);
    console.log('| file | start | end | KB |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const q of mid.requests) console.log(`| ${q.file} | ${fmt(q.start)} | ${fmt(q.end)} | ${(q.bytes / 1024).toFixed(1)} |`);
    console.log(`| (Train enabled ${fmt(mid.enabled)}, run started ${fmt(mid.running)}, first chart point ${fmt(mid.point)}) | | | |`);
  }
}

/// Page loads, unthrottled: `count` fresh pages on the default settings, each until ready to
/// train (MNIST downloaded and decoded) and every panel built, plus 300 ms for late entries,
/// with its main-thread
/// long tasks (PerformanceObserver "longtask", buffered: from navigation on). Each long task
/// is named by the step of the load it holds: `wasm` (the page's wasm instantiated:
/// `TrunkApplicationStarted`), `page` (the page built: the Train button appears), `panels`
/// (the deferred panels: the export panel appears), `draw` (the charts' first frame:
/// `data-draw-ms` set), `ready` (status `ready`), or `other`.
async function pageLoads(count = Number(process.env.BENCH_LOADS || 30)) {
  const loads = [];
  const steps = new Map();
  for (let i = 0; i < count; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (e) => log(`page error: ${e}`));
    await page.addInitScript(() => {
      const marks = (window.__marks = {});
      const at = (key) => { marks[key] ??= performance.now(); };
      window.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__long.push({ at: e.startTime, ms: e.duration });
      }).observe({ type: 'longtask', buffered: true });
      addEventListener('TrunkApplicationStarted', () => at('wasm'));
      // The observer's callback runs inside the page's own tasks: it reads only the mutation
      // records (the nodes added and the two attributes watched), never the whole page, whose
      // selectors after every mutation lengthened the tasks being measured. Each step's time
      // is that of the mutation that shows it.
      const has = (node, selector) => node.nodeType === 1 && (node.matches(selector) || node.querySelector(selector));
      const seen = new MutationObserver((records) => {
        const t = performance.now();
        const mark = (key) => { marks[key] ??= t; };
        for (const r of records) {
          if (r.type === 'attributes') {
            const id = r.target.dataset?.testid;
            if (id === 'charts' && r.attributeName === 'data-draw-ms') mark('draw');
            if (id === 'status' && r.target.dataset.state === 'ready') mark('ready');
            continue;
          }
          for (const node of r.addedNodes) {
            if (!marks.page && has(node, '[data-testid=train]')) mark('page');
            if (!marks.panels && has(node, '[data-testid=export]')) mark('panels');
            if (!marks.ready && has(node, '[data-testid=status][data-state=ready]')) mark('ready');
          }
        }
        if (marks.ready && marks.panels && marks.draw) seen.disconnect();
      });
      seen.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-draw-ms', 'data-state'] });
    });
    await page.goto(`${base}/?lang=en`);
    await page.waitForSelector('[data-testid=status][data-state=ready]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=export]', { timeout: 60_000 });
    await page.waitForTimeout(300);
    const { long, marks } = await page.evaluate(() => ({ long: window.__long, marks: window.__marks }));
    const named = long.map((l) => {
      const step = Object.entries(marks).find(([, t]) => t >= l.at && t <= l.at + l.ms + 1)?.[0] ?? 'other';
      steps.set(step, [...(steps.get(step) ?? []), Math.round(l.ms)]);
      return `${Math.round(l.ms)} ms at ${Math.round(l.at)} (${step})`;
    });
    log(`load ${i}: long tasks ${named.join(', ') || 'none'}; ` +
      `${Object.entries(marks).map(([k, t]) => `${k} ${Math.round(t)}`).join(', ')} ms; load ${loadavg()}`);
    loads.push({ long: long.map((l) => l.ms), marks });
    await page.close();
  }
  const mark = (k) => range(loads.map((l) => l.marks[k] ?? NaN), fmt);
  console.log(`\nPage loads (navigation until ready to train, MNIST downloaded and decoded, and every panel built, + 300 ms), ${count} fresh`);
  console.log('pages, unthrottled; long tasks ≥ 50 ms (PerformanceObserver "longtask", buffered). Target: at most 2 of 30.');
  console.log(`Steps, ms since navigation, median (min–max): wasm instantiated ${mark('wasm')}, page built ${mark('page')},`);
  console.log(`panels built ${mark('panels')}, charts' first frame ${mark('draw')}, ready ${mark('ready')}.\n`);
  console.log(`Loads with a long task: **${longTasks(loads)}**; by step: ` +
    `${[...steps].map(([k, ms]) => `${k} ${ms.length} (${ms.join(', ')} ms)`).join('; ') || 'none'}.`);
}

/// A page holding `count` bare trainer workers (bench/tfjs/worker-batchlab.js, built by
/// scripts/bench into target/bench-wasm), each initialised and warmed up (compiled code,
/// caches); `window.__asks[i](msg)` asks worker `i` and resolves with its result.
async function barePage(host, count) {
  const bare = await browser.newPage();
  await bare.goto(`${host}/bench/app/bare.html`);
  await bare.evaluate(async (count) => {
    window.__asks = [];
    for (let k = 0; k < count; k++) {
      const w = new Worker('/bench/tfjs/worker-batchlab.js', { type: 'module' });
      let id = 0;
      const ask = (msg) => new Promise((done, fail) => {
        const mine = ++id;
        const on = (e) => {
          if (e.data.id !== mine) return;
          w.removeEventListener('message', on);
          if (e.data.error) fail(new Error(e.data.error)); else done(e.data.result);
        };
        w.addEventListener('message', on);
        w.postMessage({ ...msg, id: mine });
      });
      await ask({ cmd: 'init' });
      await ask({ cmd: 'full', batch: 32, epochs: 1 });
      window.__asks.push(ask);
    }
  }, count);
  return bare;
}

function bareWasmBuilt() {
  return existsSync(fileURLToPath(new URL('../../target/bench-wasm/pkg/batch_lab_bench_wasm.js', import.meta.url)));
}

/// The drawing tax (issue 14): the post's default run in the app (Train → last point drawn,
/// as in `runs`) beside the same run in a bare worker (bench/tfjs/worker-batchlab.js: Batch
/// Lab's trainer built by scripts/bench into target/bench-wasm, timed inside the worker around
/// `run_to_end`, no messages, no page), alternated in the same browser.
async function drawingTax() {
  const host = await hostRepo();
  if (!bareWasmBuilt()) {
    console.log('\n(Drawing tax: target/bench-wasm is missing; scripts/bench builds it when the tax part runs.)');
    return;
  }
  const bare = await barePage(host, 1);
  const reps = Math.max(3, REPS);
  const app = [];
  const worker = [];
  const loads = []; // the machine's 1-minute load average after each pair: other work shares the cores
  for (let i = 0; i < reps; i++) {
    const w = await bare.evaluate(() => window.__asks[0]({ cmd: 'full', batch: 32, epochs: 10 }));
    worker.push(w);
    const [a] = await runs('tax: app default run', '', 1);
    app.push(a);
    loads.push(Number(loadavg()));
    log(`tax rep ${i}: bare worker ${w.secs.toFixed(2)} s, app ${(a.ms / 1000).toFixed(2)} s, load ${loadavg()}`);
  }
  await bare.close();
  const appSecs = app.map((r) => r.ms / 1000);
  const workerSecs = worker.map((r) => r.secs);
  const ratios = appSecs.map((x, i) => x / workerSecs[i]);
  console.log(`\nThe drawing tax: the post's default run (MNIST 8k/2k, B = 32, 10 epochs, Adam), ${reps} times each,`);
  console.log('alternated in one browser: in the app (Train → last point drawn) and in a bare worker (Batch Lab\'s');
  console.log('trainer alone, timed around the run in the worker). Median (min–max). Target: app ≤ 1.10 × bare worker.\n');
  console.log('| bare worker, s | the app, s | app / bare worker (each pair) | app runs with a long task | load average | app final status |');
  console.log('| ---: | ---: | ---: | ---: | ---: | --- |');
  const hit = app.filter((r) => r.long.length).length;
  console.log(`| ${range(workerSecs)} | ${range(appSecs)} | **${range(ratios)}** | ${hit} of ${app.length}, ${longest(app.flatMap((r) => r.long.map(Math.round)))} | ` +
    `${range(loads)} | ${app[0].status} |`);
}
