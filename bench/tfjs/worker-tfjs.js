// Classic worker (the UMD bundles need importScripts): TensorFlow.js 4.22.0 on its
// WebAssembly backend, .wasm files served locally from target/bench-node.
const NM = '/target/bench-node/node_modules/@tensorflow/';
importScripts(NM + 'tfjs/dist/tf.min.js', NM + 'tfjs-backend-wasm/dist/tf-backend-wasm.min.js',
  '/bench/tfjs/mnist.js');

let xTrain, yTrain, xVal, yVal;

async function setup() {
  tf.wasm.setWasmPaths(NM + 'tfjs-backend-wasm/dist/');
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const d = await decodeMnist(await (await fetch('/assets/mnist-10k.bin.z')).arrayBuffer());
  const nTrain = Math.floor(d.count * 0.8); // Keras validation_split=0.2: last 20 % as given
  const f = d.features;
  xTrain = tf.tensor2d(d.x.subarray(0, nTrain * f), [nTrain, f]);
  yTrain = tf.tensor2d(d.y.subarray(0, nTrain), [nTrain, 1]);
  xVal = tf.tensor2d(d.x.subarray(nTrain * f), [d.count - nTrain, f]);
  yVal = tf.tensor2d(d.y.subarray(nTrain), [d.count - nTrain, 1]);
  return { runner: 'tfjs', version: tf.version.tfjs, backend: tf.getBackend(), simd, threads,
    train: nTrain, validation: d.count - nTrain };
}

// The post's Keras model: Dense(128, relu) -> Dense(10, softmax) (Glorot uniform, zero bias
// are the tfjs defaults, as in Keras), Adam(0.001), sparse categorical cross-entropy.
function makeModel() {
  const model = tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'] });
  return model;
}

// yieldEvery 'never': no UI to keep alive in this worker (Batch Lab's timed loop does not
// yield either); verbose 0.
const FIT = { shuffle: true, verbose: 0, yieldEvery: 'never' };

async function throughput({ batch, n, updates }) {
  const model = makeModel();
  const x = xTrain.slice(0, n), y = yTrain.slice(0, n);
  // 3 untimed warm-up updates (kernel set-up, allocations).
  const xw = xTrain.slice(0, 3 * batch), yw = yTrain.slice(0, 3 * batch);
  await model.fit(xw, yw, { ...FIT, batchSize: batch, epochs: 1 });
  const epochs = Math.round(updates * batch / n);
  const t0 = performance.now();
  await model.fit(x, y, { ...FIT, batchSize: batch, epochs });
  const secs = (performance.now() - t0) / 1000;
  tf.dispose([x, y, xw, yw]);
  model.dispose();
  return { samples: epochs * n, secs, tensors: tf.memory().numTensors };
}

// The same updates without model.fit: a hand-written step (gather a shuffled batch, forward,
// sparse categorical cross-entropy as Keras computes it, Adam via optimizer.minimize).
async function throughputLoop({ batch, n, updates }) {
  const model = makeModel();
  const opt = tf.train.adam(0.001);
  const x = xTrain.slice(0, n), y = tf.tidy(() => yTrain.slice(0, n).reshape([n]).toInt());
  const idx = new Int32Array(n).map((_, i) => i);
  const step = (ids) => tf.tidy(() => {
    const b = tf.tensor1d(ids, 'int32');
    const xb = tf.gather(x, b), yb = tf.gather(y, b);
    const cost = opt.minimize(() => {
      const p = model.apply(xb, { training: true });
      const picked = tf.sum(tf.mul(p, tf.oneHot(yb, 10)), 1);
      return tf.neg(tf.mean(tf.log(tf.clipByValue(picked, 1e-7, 1 - 1e-7))));
    }, true);
    cost.dispose();
  });
  const perEpoch = n / batch;
  const run = (count, t) => {
    for (let u = 0; u < count; u++, t++) {
      if (t % perEpoch === 0) tf.util.shuffle(idx);
      const k = t % perEpoch;
      step(idx.subarray(k * batch, (k + 1) * batch));
    }
  };
  run(3, 0);
  const t0 = performance.now();
  run(updates, 0);
  const secs = (performance.now() - t0) / 1000;
  tf.dispose([x, y]);
  model.dispose();
  return { samples: updates * batch, secs, tensors: tf.memory().numTensors };
}

async function fullRun({ batch, epochs }) {
  const t0 = performance.now();
  const model = makeModel();
  const h = await model.fit(xTrain, yTrain,
    { ...FIT, batchSize: batch, epochs, validationData: [xVal, yVal] });
  const secs = (performance.now() - t0) / 1000;
  const acc = h.history.val_acc || h.history.val_accuracy;
  model.dispose();
  return { samples: epochs * xTrain.shape[0], secs, valAcc: acc[acc.length - 1] };
}

// The sweep's runs one after another: a fresh model per batch size, each the post's run at
// that batch size; the wall time of all of them and each fit's.
async function sweepInTurn({ sizes, epochs }) {
  const t0 = performance.now();
  const fits = [];
  for (const batch of sizes) fits.push({ batch, ...(await fullRun({ batch, epochs })) });
  return { secs: (performance.now() - t0) / 1000, fits };
}

self.onmessage = async (e) => {
  const msg = e.data;
  try {
    let result;
    if (msg.cmd === 'init') result = await setup();
    else if (msg.cmd === 'throughput') result = await throughput(msg);
    else if (msg.cmd === 'loop') result = await throughputLoop(msg);
    else if (msg.cmd === 'full') result = await fullRun(msg);
    else if (msg.cmd === 'sweep') result = await sweepInTurn(msg);
    self.postMessage({ id: msg.id, result });
  } catch (err) {
    self.postMessage({ id: msg.id, error: String(err && err.stack || err) });
  }
};
