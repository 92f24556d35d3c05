// Alternates the two runners (each in its own Web Worker, one busy at a time) and collects
// every measurement in window.benchResult; window.benchDone turns true at the end.
const params = new URLSearchParams(location.search);
const REPS = Number(params.get('reps') || 5);
const FULL_REPS = Number(params.get('fullReps') || 3);
// The app's default sweep (issue 10) run the way one worker would: six fits of the post's run
// (all 8,000, 10 epochs, validation each epoch), one per batch size, one after another.
const SWEEP_REPS = Number(params.get('sweepReps') ?? FULL_REPS);
const SWEEP_SIZES = [8, 32, 128, 512, 2000, 8000];
// base=1: also an older build of Batch Lab's trainer (scripts/bench BENCH_BASE), alternated
// with the current one; tfjs=0 leaves TF.js out; batches=1,8,32 measures only those batch
// sizes; parts=N times each part of an update N times per batch size (bench/batch-lab-wasm
// parts.rs) in each Batch Lab build, alternating, every rep.
const BASE = params.get('base') === '1';
const TFJS = params.get('tfjs') !== '0';
const BATCHES = params.get('batches') ? params.get('batches').split(',').map(Number) : null;
const PARTS_REPS = Number(params.get('parts') || 0);
// Per batch size: n training samples used, timed updates (whole epochs of n / B full batches).
const ALL_CASES = [
  // B = 1 runs long enough (2,000 updates) to show a slowdown that grows with the updates
  // done (subnormal optimiser state made Batch Lab 5x slower after ~2,000 updates until
  // src/trainer/optim.rs flushed it).
  { batch: 1, n: 2000, updates: 2000 },
  { batch: 8, n: 4000, updates: 500 },
  { batch: 32, n: 8000, updates: 250 },
  { batch: 128, n: 7936, updates: 124 },
  { batch: 512, n: 7680, updates: 60 },
];
const CASES = ALL_CASES.filter((c) => !BATCHES || BATCHES.includes(c.batch));
// Ceiling measurements (~0.4 s each) per kernel at the start of every rep, so they see the
// same machine conditions as that rep's training figures.
const CEILING_RUNS = 3;
const out = document.getElementById('out');
const log = (s) => { console.log(s); out.textContent += '\n' + s; };

function spawn(url, options) {
  const w = new Worker(url, options);
  let next = 0;
  const pending = new Map();
  w.onmessage = (e) => {
    const { id, result, error } = e.data;
    const p = pending.get(id);
    pending.delete(id);
    error ? p.reject(new Error(error)) : p.resolve(result);
  };
  w.onerror = (e) => { for (const p of pending.values()) p.reject(new Error(e.message)); };
  return (msg) => new Promise((resolve, reject) => {
    const id = next++;
    pending.set(id, { resolve, reject });
    w.postMessage({ ...msg, id });
  });
}

async function main() {
  const runners = { 'batch-lab': spawn('worker-batchlab.js', { type: 'module' }) };
  if (BASE) runners['batch-lab-base'] = spawn('worker-batchlab.js?pkg=bench-wasm-base', { type: 'module' });
  if (TFJS) runners.tfjs = spawn('worker-tfjs.js');
  const trainers = ['batch-lab', ...(BASE ? ['batch-lab-base'] : []), ...(TFJS ? ['tfjs', 'tfjs-loop'] : [])];
  const info = {};
  for (const [name, call] of Object.entries(runners)) info[name] = await call({ cmd: 'init' });
  log('init ' + JSON.stringify(info));
  const throughput = [];
  const full = [];
  const ceiling = [];
  const parts = [];
  const kernels = info['batch-lab'].relaxedSimd ? ['simd128', 'relaxed'] : ['simd128'];
  for (let rep = 0; rep < REPS; rep++) {
    for (let i = 0; i < CEILING_RUNS; i++) {
      for (const kernel of kernels) {
        const r = await runners['batch-lab']({ cmd: 'ceiling', kernel });
        ceiling.push({ rep, ...r });
        log(`rep ${rep} ceiling ${kernel}: ${r.gflops.toFixed(2)} GFLOP/s (${r.passes} passes in ${r.secs.toFixed(3)} s)`);
      }
    }
    for (const c of CASES) {
      const order = rep % 2 === 0 ? trainers : [...trainers].reverse();
      for (const name of order) {
        const runner = runners[name === 'tfjs-loop' ? 'tfjs' : name];
        const r = await runner({ cmd: name === 'tfjs-loop' ? 'loop' : 'throughput', ...c });
        const rate = r.samples / r.secs;
        throughput.push({ runner: name, rep, batch: c.batch, ...r, rate });
        log(`rep ${rep} B=${c.batch} ${name}: ${rate.toFixed(0)} samples/s (${r.samples} in ${r.secs.toFixed(3)} s)`);
      }
    }
    for (const c of PARTS_REPS ? CASES : []) {
      const names = trainers.filter((n) => n.startsWith('batch-lab') && info[n].parts);
      for (const name of rep % 2 === 0 ? names : [...names].reverse()) {
        const [step, fb, norm, optim] = await runners[name]({ cmd: 'parts', batch: c.batch, n: c.n, reps: PARTS_REPS });
        parts.push({ runner: name, rep, batch: c.batch, step, fb, norm, optim });
        log(`rep ${rep} B=${c.batch} ${name} parts, µs: step ${step.toFixed(1)}, fwd+bwd ${fb.toFixed(1)}, norm ${norm.toFixed(1)}, optimiser ${optim.toFixed(1)}`);
      }
    }
  }
  const fullRunners = trainers.filter((n) => n !== 'tfjs-loop');
  for (let rep = 0; rep < FULL_REPS; rep++) {
    const order = rep % 2 === 0 ? fullRunners : [...fullRunners].reverse();
    for (const name of order) {
      const r = await runners[name]({ cmd: 'full', batch: 32, epochs: 10 });
      full.push({ runner: name, rep, ...r });
      log(`full run rep ${rep} ${name}: ${r.secs.toFixed(2)} s, val accuracy ${(100 * r.valAcc).toFixed(2)} %`);
    }
  }
  const sweep = [];
  for (let rep = 0; rep < (TFJS ? SWEEP_REPS : 0); rep++) {
    const order = rep % 2 === 0 ? ['batch-lab', 'tfjs'] : ['tfjs', 'batch-lab'];
    for (const name of order) {
      const r = await runners[name]({ cmd: 'sweep', sizes: SWEEP_SIZES, epochs: 10 });
      sweep.push({ runner: name, rep, ...r });
      log(`six fits in turn rep ${rep} ${name}: ${r.secs.toFixed(2)} s (` +
        r.fits.map((f) => `B=${f.batch} ${f.secs.toFixed(2)} s ${(100 * f.valAcc).toFixed(1)} %`).join(', ') + ')');
    }
  }
  window.benchResult = { info, throughput, full, ceiling, sweep, parts, userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency, crossOriginIsolated: self.crossOriginIsolated };
}

main().catch((e) => { log('ERROR ' + (e.stack || e)); window.benchError = String(e.stack || e); })
  .finally(() => { window.benchDone = true; });
