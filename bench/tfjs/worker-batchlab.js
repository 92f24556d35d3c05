// Module worker: Batch Lab's trainer (bench/batch-lab-wasm, wasm-bindgen --target web, +simd128).
import init, { Data, Run } from '/target/bench-wasm/pkg/batch_lab_bench_wasm.js';

let data;

async function setup() {
  await init({ module_or_path: '/target/bench-wasm/pkg/batch_lab_bench_wasm_bg.wasm' });
  const bytes = new Uint8Array(await (await fetch('/assets/mnist-10k.bin.z')).arrayBuffer());
  data = new Data(bytes);
  return { runner: 'batch-lab', train: data.train_len, validation: data.validation_len };
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

self.onmessage = async (e) => {
  const msg = e.data;
  try {
    let result;
    if (msg.cmd === 'init') result = await setup();
    else if (msg.cmd === 'throughput') result = throughput(msg);
    else if (msg.cmd === 'full') result = fullRun(msg);
    self.postMessage({ id: msg.id, result });
  } catch (err) {
    self.postMessage({ id: msg.id, error: String(err && err.stack || err) });
  }
};
