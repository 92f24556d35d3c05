// Side probe (not run by scripts/bench): TF.js 4.22.0 wasm backend (SIMD) matMul speed in
// Node, plain vs transposed operands, the three products of a Dense layer's training step.
//   node bench/tfjs/probe-matmul.cjs   (after scripts/bench has installed target/bench-node)
const path = require('node:path');
const nm = path.join(__dirname, '../../target/bench-node/node_modules/');
const tf = require(nm + '@tensorflow/tfjs');
require(nm + '@tensorflow/tfjs-backend-wasm');
(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  console.log('SIMD', await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  for (const B of [32, 512]) {
    const x = tf.randomNormal([B, 784]), w = tf.randomNormal([784, 128]), dy = tf.randomNormal([B, 128]);
    const cases = {
      'forward x·W': () => tf.matMul(x, w),
      'dW = xᵀ·dy (transposeA)': () => tf.matMul(x, dy, true, false),
      'dx = dy·Wᵀ (transposeB)': () => tf.matMul(dy, w, false, true),
    };
    for (const [name, f] of Object.entries(cases)) {
      for (let i = 0; i < 5; i++) f().dispose();
      const n = 50, t0 = performance.now();
      for (let i = 0; i < n; i++) f().dispose();
      const ms = (performance.now() - t0) / n;
      console.log(`B=${B} ${name}: ${ms.toFixed(3)} ms, ${((2 * B * 784 * 128) / ms / 1e6).toFixed(1)} GFLOP/s`);
    }
  }
})();
