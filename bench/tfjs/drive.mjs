// Opens bench/tfjs/index.html in headless Chromium (system /usr/bin/chromium, never a
// downloaded browser) via playwright-core, waits for the benchmark, prints the tables.
// Usage: node drive.mjs <base-url> [reps] [fullReps]   (run by scripts/bench-tfjs)
import { createRequire } from 'node:module';
const require = createRequire(process.env.BENCH_NODE_MODULES + '/');
const { chromium } = require('playwright-core');

const [base, reps = '5', fullReps = '3'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let code = 0;
try {
  const page = await browser.newPage();
  page.on('console', (m) => process.stderr.write(`[page] ${m.text()}\n`));
  // Which .wasm files the workers really fetch (TF.js picks its SIMD / threaded build itself).
  const wasmFiles = new Set();
  page.context().on('request', (r) => { if (r.url().endsWith('.wasm')) wasmFiles.add(r.url().split('/').pop()); });
  page.on('pageerror', (e) => process.stderr.write(`[page error] ${e}\n`));
  await page.goto(`${base}/bench/tfjs/index.html?reps=${reps}&fullReps=${fullReps}`);
  await page.waitForFunction(() => window.benchDone === true, null, { timeout: 30 * 60 * 1000, polling: 500 });
  const err = await page.evaluate(() => window.benchError);
  if (err) throw new Error(err);
  const res = await page.evaluate(() => window.benchResult);
  res.wasmFiles = [...wasmFiles];
  report(res, browser.version());
} catch (e) {
  console.error('bench-tfjs failed:', e.message || e);
  code = 1;
} finally {
  await browser.close();
}
process.exit(code);

function median(a) {
  const s = [...a].sort((x, y) => x - y), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function fmt(x) {
  return Math.round(x).toLocaleString('en-US');
}

function report(res, version) {
  const tf = res.info.tfjs;
  const reps = Math.max(...res.throughput.map((r) => r.rep)) + 1;
  console.log(`\nHeadless Chromium ${version}, ${res.hardwareConcurrency} logical CPUs, one Web Worker per runner, alternating, ${reps} reps`);
  console.log(`Batch Lab: wasm32 +simd128 (bench/batch-lab-wasm). TF.js ${tf.version} backend ${tf.backend}, SIMD ${tf.simd}, threads ${tf.threads}`);
  console.log(`wasm files fetched: ${res.wasmFiles.join(', ') || '(not seen)'}`);
  console.log('MNIST-10k: 8000 train / 2000 val; 784-128 ReLU-10 softmax, Adam 0.001, sparse CE');
  console.log('TF.js own loop = optimizer.minimize on gathered batches, no model.fit (its per-batch overhead)\n');
  console.log('Training throughput, samples/s: median (min–max over reps)\n');
  console.log('| batch | Batch Lab (wasm) | TF.js (wasm), model.fit | Batch Lab / TF.js fit | TF.js (wasm), own loop | Batch Lab / TF.js loop |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const b of [...new Set(res.throughput.map((r) => r.batch))]) {
    const rates = (n) => res.throughput.filter((r) => r.batch === b && r.runner === n).map((r) => r.rate);
    const bl = rates('batch-lab'), t = rates('tfjs'), tl = rates('tfjs-loop');
    const cell = (a) => `${fmt(median(a))} (${fmt(Math.min(...a))}–${fmt(Math.max(...a))})`;
    const ratio = (a) => `${(median(bl) / median(a)).toFixed(1)}×`;
    console.log(`| ${b} | ${cell(bl)} | ${cell(t)} | ${ratio(t)} | ${cell(tl)} | ${ratio(tl)} |`);
  }
  if (res.full.length) {
    const fr = Math.max(...res.full.map((r) => r.rep)) + 1;
    console.log(`\nDefault run (B = 32, 10 epochs, validation each epoch), ${fr} reps: median (min–max)\n`);
    console.log('| runner | wall time, s | final val accuracy, % |');
    console.log('| --- | ---: | ---: |');
    for (const [n, label] of [['batch-lab', 'Batch Lab (wasm)'], ['tfjs', 'TF.js (wasm)']]) {
      const rs = res.full.filter((r) => r.runner === n);
      const s = rs.map((r) => r.secs), a = rs.map((r) => 100 * r.valAcc);
      console.log(`| ${label} | ${median(s).toFixed(2)} (${Math.min(...s).toFixed(2)}–${Math.max(...s).toFixed(2)}) | ${median(a).toFixed(2)} (${Math.min(...a).toFixed(2)}–${Math.max(...a).toFixed(2)}) |`);
    }
  }
}
