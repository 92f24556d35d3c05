// Opens bench/tfjs/index.html in headless Chromium (system /usr/bin/chromium, never a
// downloaded browser) via playwright-core, waits for the benchmark, prints the tables.
// Usage: node drive.mjs <base-url> [reps] [fullReps] [sweepReps (default fullReps)]   (run by scripts/bench)
//   reps = 0 skips the throughput and ceiling tables, fullReps = 0 the default run,
//   sweepReps = 0 the six fits in turn.
//   env: BENCH_BASE (set: also the build in target/bench-wasm-base, which scripts/bench makes
//   from that revision), BENCH_TFJS=0 (Batch Lab only), BENCH_BATCHES=1,8,32 (only those batch
//   sizes), BENCH_PARTS_PROFILE=N (each part of an update timed N times per batch size);
//   BENCH_SWEEP_JSON: also write the six fits in turn there (bench/app/drive.mjs prints
//   them beside the app's sweep).
import { writeFileSync } from 'node:fs';
import { fmt, median, withChromium } from '../browser.mjs';

const [base, reps = '5', fullReps = '3', sweepReps = fullReps] = process.argv.slice(2);
await withChromium('bench (tfjs)', [], async (browser) => {
  const page = await browser.newPage();
  page.on('console', (m) => process.stderr.write(`[page] ${m.text()}\n`));
  // Which .wasm files the workers really fetch (TF.js picks its SIMD / threaded build itself;
  // the two Batch Lab builds share a file name, so keep two directories).
  const wasmFiles = new Set();
  page.context().on('request', (r) => { if (r.url().endsWith('.wasm')) wasmFiles.add(r.url().split('/').slice(-3).join('/')); });
  page.on('pageerror', (e) => process.stderr.write(`[page error] ${e}\n`));
  const env = process.env;
  const extra = (env.BENCH_BASE ? '&base=1' : '') + (env.BENCH_TFJS === '0' ? '&tfjs=0' : '') +
    (env.BENCH_BATCHES ? `&batches=${env.BENCH_BATCHES}` : '') +
    (env.BENCH_PARTS_PROFILE ? `&parts=${env.BENCH_PARTS_PROFILE}` : '');
  await page.goto(`${base}/bench/tfjs/index.html?reps=${reps}&fullReps=${fullReps}&sweepReps=${sweepReps}${extra}`);
  await page.waitForFunction(() => window.benchDone === true, null, { timeout: 30 * 60 * 1000, polling: 500 });
  const err = await page.evaluate(() => window.benchError);
  if (err) throw new Error(err);
  const res = await page.evaluate(() => window.benchResult);
  res.wasmFiles = [...wasmFiles];
  report(res, browser.version());
  reportSweep(res);
  if (process.env.BENCH_SWEEP_JSON && res.sweep.length && res.info.tfjs) {
    writeFileSync(process.env.BENCH_SWEEP_JSON, JSON.stringify({
      date: new Date().toISOString(), browser: browser.version(), tfjs: res.info.tfjs.version,
      hardwareConcurrency: res.hardwareConcurrency, sweep: res.sweep }, null, 1));
  }
});

// The default sweep's six runs (B = 8, 32, 128, 512, 2000, 8000; all 8,000, 10 epochs,
// validation each epoch) one after another in one worker: Batch Lab's trainer and TF.js fit.
function reportSweep(res) {
  if (!res.sweep.length) return;
  const reps = Math.max(...res.sweep.map((r) => r.rep)) + 1;
  const cell = (a) => `${median(a).toFixed(2)} (${Math.min(...a).toFixed(2)}–${Math.max(...a).toFixed(2)})`;
  const runners = [['batch-lab', 'Batch Lab (wasm)'], ['tfjs', 'TF.js (wasm), model.fit']];
  console.log(`\nThe sweep's six runs one after another in one worker (a fresh model per batch size; the`);
  console.log(`post's run at each: 8,000 train, 10 epochs, validation on 2,000 after each epoch), ${reps} reps:`);
  console.log('wall time, s, median (min–max)\n');
  console.log(`| batch | ${runners.map((r) => r[1]).join(' | ')} | TF.js / Batch Lab |`);
  console.log('| ---: | ---: | ---: | ---: |');
  const of = (n) => res.sweep.filter((r) => r.runner === n);
  for (const b of of('tfjs')[0].fits.map((f) => f.batch)) {
    const secs = runners.map(([n]) => of(n).map((r) => r.fits.find((f) => f.batch === b).secs));
    console.log(`| ${b} | ${secs.map(cell).join(' | ')} | ${(median(secs[1]) / median(secs[0])).toFixed(1)}× |`);
  }
  const totals = runners.map(([n]) => of(n).map((r) => r.secs));
  console.log(`| **all six** | **${cell(totals[0])}** | **${cell(totals[1])}** | ${(median(totals[1]) / median(totals[0])).toFixed(1)}× |`);
}

function report(res, version) {
  const tf = res.info.tfjs || { version: '(not run)', backend: '-', simd: '-', threads: '-' };
  const reps = Math.max(-1, ...res.throughput.map((r) => r.rep)) + 1;
  console.log(`\nHeadless Chromium ${version}, ${res.hardwareConcurrency} logical CPUs, one Web Worker per runner, alternating, ${reps} reps`);
  console.log(`Batch Lab: wasm32 +simd128 (bench/batch-lab-wasm; relaxed SIMD build for the relaxed ceiling only). TF.js ${tf.version} backend ${tf.backend}, SIMD ${tf.simd}, threads ${tf.threads}`);
  console.log(`wasm files fetched: ${res.wasmFiles.join(', ') || '(not seen)'}`);
  console.log('MNIST-10k: 8000 train / 2000 val; 784-128 ReLU-10 softmax, Adam 0.001, sparse CE');
  console.log('TF.js own loop = optimizer.minimize on gathered batches, no model.fit (its per-batch overhead)\n');
  if (res.throughput.length) reportThroughput(res);
  if (res.full.length) reportFull(res);
}

function reportThroughput(res) {
  console.log('Training throughput, samples/s: median (min–max over reps)\n');
  const has = (n) => res.throughput.some((r) => r.runner === n);
  const base = has('batch-lab-base'), tfjs = has('tfjs');
  console.log(`| batch | Batch Lab (wasm) |${base ? ' base build (BENCH_BASE) | this / base |' : ''}${tfjs ? ' TF.js (wasm), model.fit | Batch Lab / TF.js fit | TF.js (wasm), own loop | Batch Lab / TF.js loop |' : ''}`);
  console.log(`| ---: | ---: |${base ? ' ---: | ---: |' : ''}${tfjs ? ' ---: | ---: | ---: | ---: |' : ''}`);
  for (const b of [...new Set(res.throughput.map((r) => r.batch))]) {
    const rates = (n) => res.throughput.filter((r) => r.batch === b && r.runner === n).map((r) => r.rate);
    const bl = rates('batch-lab');
    const cell = (a) => `${fmt(median(a))} (${fmt(Math.min(...a))}–${fmt(Math.max(...a))})`;
    const ratio = (a) => `${(median(bl) / median(a)).toFixed(1)}×`;
    let row = `| ${b} | ${cell(bl)} |`;
    if (base) {
      const bb = rates('batch-lab-base');
      row += ` ${cell(bb)} | ${(median(bl) / median(bb)).toFixed(3)} |`;
    }
    if (tfjs) {
      const t = rates('tfjs'), tl = rates('tfjs-loop');
      row += ` ${cell(t)} | ${ratio(t)} | ${cell(tl)} | ${ratio(tl)} |`;
    }
    console.log(row);
  }
  reportCeiling(res);
  reportParts(res);
}

// Where an update's time goes (bench/batch-lab-wasm/src/parts.rs), per build and batch size.
function reportParts(res) {
  if (!res.parts.length) return;
  const reps = Math.max(...res.parts.map((r) => r.rep)) + 1;
  console.log(`\nParts of one update, µs: median (min–max) of ${reps} reps, each part timed on its own in a loop`);
  console.log('(step = Session::step; fwd+bwd = Mlp::forward_backward with the noise meter\'s norms; norm = the');
  console.log('gradient norm as the base session computes it; optimiser = Optimizer::step, Adam)\n');
  console.log('| batch | build | step | fwd+bwd | norm | optimiser | step − parts |');
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  const cell = (a) => `${median(a).toFixed(1)} (${Math.min(...a).toFixed(1)}–${Math.max(...a).toFixed(1)})`;
  for (const b of [...new Set(res.parts.map((r) => r.batch))]) {
    for (const n of ['batch-lab', 'batch-lab-base']) {
      const rs = res.parts.filter((r) => r.batch === b && r.runner === n);
      if (!rs.length) continue;
      const col = (k) => rs.map((r) => r[k]);
      const rest = rs.map((r) => r.step - r.fb - r.norm - r.optim);
      console.log(`| ${b} | ${n === 'batch-lab' ? 'this' : 'base'} | ${cell(col('step'))} | ${cell(col('fb'))} | ${cell(col('norm'))} | ${cell(col('optim'))} | ${cell(rest)} |`);
    }
  }
}

function reportFull(res) {
  const fr = Math.max(...res.full.map((r) => r.rep)) + 1;
  console.log(`\nDefault run (B = 32, 10 epochs, validation each epoch), ${fr} reps: median (min–max)\n`);
  console.log('| runner | wall time, s | final val accuracy, % |');
  console.log('| --- | ---: | ---: |');
  for (const [n, label] of [['batch-lab', 'Batch Lab (wasm)'], ['batch-lab-base', 'Batch Lab, base build'], ['tfjs', 'TF.js (wasm)']]) {
    const rs = res.full.filter((r) => r.runner === n);
    if (!rs.length) continue;
    const s = rs.map((r) => r.secs), a = rs.map((r) => 100 * r.valAcc);
    console.log(`| ${label} | ${median(s).toFixed(2)} (${Math.min(...s).toFixed(2)}–${Math.max(...s).toFixed(2)}) | ${median(a).toFixed(2)} (${Math.min(...a).toFixed(2)}–${Math.max(...a).toFixed(2)}) |`);
  }
}

// The measured SIMD ceiling, and each runner's achieved GFLOP/s as a fraction of the plain
// SIMD128 one (the only instruction set the app uses).
function reportCeiling(res) {
  const g = (k) => res.ceiling.filter((r) => r.kernel === k).map((r) => r.gflops);
  const gf = (x) => x.toFixed(x < 10 ? 2 : 1);
  const cell = (a) => `${gf(median(a))} (${gf(Math.min(...a))}–${gf(Math.max(...a))})`;
  const plain = g('simd128'), relaxed = g('relaxed');
  console.log(`\nWasm SIMD matrix-product ceiling, one thread, GFLOP/s: median (min–max) of ${plain.length} runs of ~0.4 s`);
  console.log('(bench/batch-lab-wasm/src/ceiling.rs: 4×8 register tile, 8 f32x4 accumulators, packed A k×4 and');
  console.log('B k×8 panels with k = 256 resident in L1; multiply and add counted as 2 flops per lane)\n');
  console.log('| kernel | GFLOP/s |');
  console.log('| --- | ---: |');
  console.log(`| SIMD128 \`f32x4_mul\` + \`f32x4_add\` (the app's instruction set: the ceiling) | ${cell(plain)} |`);
  if (relaxed.length) console.log(`| relaxed SIMD \`f32x4_relaxed_madd\` (upper reference only) | ${cell(relaxed)} |`);
  else console.log('\nrelaxed SIMD: not supported by this browser');

  const flops = res.info['batch-lab'].flopsPerSample, ceiling = median(plain);
  console.log(`\nAchieved GFLOP/s = median samples/s × ${fmt(flops)} flops per training sample (the trainer's`);
  console.log('ModelSpec::train_flops_per_sample; the same model and count for TF.js), and % of the SIMD128');
  console.log(`ceiling's median (${gf(ceiling)} GFLOP/s)\n`);
  const labels = { 'batch-lab': 'Batch Lab (wasm)', 'batch-lab-base': 'base build', tfjs: 'TF.js, model.fit', 'tfjs-loop': 'TF.js, own loop' };
  const names = Object.keys(labels).filter((n) => res.throughput.some((r) => r.runner === n));
  console.log(`| batch | ${names.map((n) => `${labels[n]} | % of ceiling`).join(' | ')} |`);
  console.log(`| ---: |${' ---: | ---: |'.repeat(names.length)}`);
  for (const b of [...new Set(res.throughput.map((r) => r.batch))]) {
    const cells = names.map((n) => {
      const gflops = median(res.throughput.filter((r) => r.batch === b && r.runner === n).map((r) => r.rate)) * flops / 1e9;
      return `${gf(gflops)} | ${(100 * gflops / ceiling).toFixed(1)} %`;
    });
    console.log(`| ${b} | ${cells.join(' | ')} |`);
  }
}
