// Module worker: Batch Lab's trainer (bench/batch-lab-wasm, wasm-bindgen --target web, +simd128),
// and the wasm SIMD matrix-product ceiling (bench/batch-lab-wasm/src/ceiling.rs).
// `?pkg=bench-wasm-base` loads another build of the same crate (scripts/bench BENCH_BASE: an
// older revision, measured in the same run).
const PKG = `/target/${new URL(import.meta.url).searchParams.get('pkg') || 'bench-wasm'}/pkg/batch_lab_bench_wasm`;
const wasm = import(PKG + '.js');
let Data, Run, ceiling_flops_per_pass, ceiling_simd128, parts;

// The same crate built with +relaxed-simd, for the relaxed ceiling only (never for training).
const RELAXED = '/target/bench-wasm-relaxed/pkg/batch_lab_bench_wasm';

let data;
let relaxed = null; // the relaxed module's exports, when this browser validates it
// Seconds one ceiling measurement aims at: long enough to swamp timer and call overhead.
const CEILING_SECS = 0.4;
const ceilingPasses = {}; // calibrated passes per kernel

async function setup() {
  const m = await wasm;
  await m.default({ module_or_path: PKG + '_bg.wasm' });
  ({ Data, Run, ceiling_flops_per_pass, ceiling_simd128, parts } = m);
  const bytes = new Uint8Array(await (await fetch('/assets/mnist-10k.bin.z')).arrayBuffer());
  data = new Data(bytes);
  const probe = new Run(data, 32, 1, 0, false);
  const flopsPerSample = probe.train_flops_per_sample;
  probe.free();
  if (!PKG.includes('-base/')) relaxed = await loadRelaxed();
  return { runner: 'batch-lab', train: data.train_len, validation: data.validation_len,
    flopsPerSample, relaxedSimd: relaxed !== null, parts: parts !== undefined };
}

// The relaxed module only if WebAssembly.validate accepts its bytes (it holds
// f32x4.relaxed_madd, so a browser without relaxed SIMD rejects it); else null.
async function loadRelaxed() {
  const bytes = await (await fetch(RELAXED + '_bg.wasm')).arrayBuffer();
  if (!WebAssembly.validate(bytes)) return null;
  const m = await import(RELAXED + '.js');
  await m.default({ module_or_path: bytes });
  if (!m.relaxed_simd_built()) throw new Error(RELAXED + ' was not built with +relaxed-simd');
  return m;
}

function timed(kernel, passes) {
  const t0 = performance.now();
  kernel(passes); // the returned checksum only keeps the Rust side from dropping the work
  return (performance.now() - t0) / 1000;
}

// One ceiling measurement of `kernel` ('simd128' or 'relaxed'), ~CEILING_SECS long. The first
// call per kernel calibrates: passes double until a call takes 50 ms, then the fastest of
// three more calls sets the passes (V8 first runs a wasm function as Liftoff code, and a
// running call is not replaced by the optimised code).
function ceiling({ kernel }) {
  const fn = kernel === 'relaxed' ? relaxed.ceiling_relaxed_madd : ceiling_simd128;
  if (!ceilingPasses[kernel]) {
    let passes = 64;
    while (timed(fn, passes) < 0.05) passes *= 2;
    const best = Math.min(...[0, 1, 2].map(() => timed(fn, passes)));
    ceilingPasses[kernel] = Math.max(1, Math.round(passes * CEILING_SECS / best));
  }
  const passes = ceilingPasses[kernel];
  const secs = timed(fn, passes);
  return { kernel, passes, secs, gflops: passes * ceiling_flops_per_pass() / secs / 1e9 };
}

// `updates` timed weight updates at batch size B on the first n training samples, after 3
// untimed warm-up updates of the same session.
function throughput({ batch, n, updates }) {
  const run = new Run(data, batch, Math.ceil((updates + 3) * batch / n) + 1, n, false);
  run.steps(3);
  const t0 = performance.now();
  const samples = run.steps(updates);
  const secs = (performance.now() - t0) / 1000;
  run.free();
  return { samples, secs };
}

// The post's run: B = 32, 10 epochs on all 8000, validation on 2000 after each epoch.
function fullRun({ batch, epochs }) {
  const t0 = performance.now();
  const run = new Run(data, batch, epochs, 0, true);
  const samples = run.run_to_end();
  const secs = (performance.now() - t0) / 1000;
  const valAcc = run.last_val_accuracy();
  run.free();
  return { samples, secs, valAcc };
}

// The sweep's runs one after another: a fresh model per batch size, each the post's run at
// that batch size; the wall time of all of them and each fit's.
function sweepInTurn({ sizes, epochs }) {
  const t0 = performance.now();
  const fits = [];
  for (const batch of sizes) fits.push({ batch, ...(fullRun({ batch, epochs })) });
  return { secs: (performance.now() - t0) / 1000, fits };
}

self.onmessage = async (e) => {
  const msg = e.data;
  try {
    let result;
    if (msg.cmd === 'init') result = await setup();
    else if (msg.cmd === 'throughput') result = throughput(msg);
    else if (msg.cmd === 'full') result = fullRun(msg);
    else if (msg.cmd === 'sweep') result = sweepInTurn(msg);
    else if (msg.cmd === 'ceiling') result = ceiling(msg);
    else if (msg.cmd === 'parts') result = Array.from(parts(data, msg.batch, msg.n, msg.reps));
    self.postMessage({ id: msg.id, result });
  } catch (err) {
    self.postMessage({ id: msg.id, error: String(err && err.stack || err) });
  }
};
