// Two builds of bench/batch-lab-wasm side by side in Node (the same V8 and wasm SIMD as
// Chromium), timed by the process's CPU time rather than the clock, so that a machine busy
// with other work slows both alike instead of adding its own noise; alternating, after
// `scripts/bench` has built them (BENCH_BASE=<rev> builds the base):
//   node bench/wasm-ab.mjs [pairs=20]                  # µs per update, and base / this
//   node bench/wasm-ab.mjs fingerprint                 # both builds' training bits
// env: BUILDS=this=bench-wasm,base=bench-wasm-base (directories under target/);
//      CASES=1:2000:300,8:4000:100,32:8000:40 (batch:training samples:updates per measurement).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const asset = new Uint8Array(readFileSync(root + 'assets/mnist-10k.bin.z'));
const load = async (dir) => {
  const m = await import(`${root}target/${dir}/pkg/batch_lab_bench_wasm.js`);
  await m.default({ module_or_path: readFileSync(`${root}target/${dir}/pkg/batch_lab_bench_wasm_bg.wasm`) });
  return { m, data: new m.Data(asset) };
};
const builds = {};
for (const kv of (process.env.BUILDS || 'this=bench-wasm,base=bench-wasm-base').split(',')) {
  const [name, dir] = kv.split('=');
  builds[name] = await load(dir);
}
const names = Object.keys(builds);

if (process.argv[2] === 'fingerprint') {
  // Equal lines: the builds train bit for bit alike (bench/batch-lab-wasm/src/parts.rs).
  for (const n of names) console.log(`${n}:\n${builds[n].m.fingerprint(builds[n].data)}`);
  process.exit(0);
}

const pairs = Number(process.argv[2] || 20);
const cases = (process.env.CASES || '1:2000:300,8:4000:100,32:8000:40').split(',').map((s) => s.split(':').map(Number));
// CPU µs per update of `updates` updates after 3 untimed ones, as bench/tfjs times them.
const time = (b, [batch, n, updates]) => {
  const run = new b.m.Run(b.data, batch, Math.ceil((updates + 3) * batch / n) + 1, n, false);
  run.steps(3);
  const c0 = process.cpuUsage();
  run.steps(updates);
  const cpu = process.cpuUsage(c0);
  run.free();
  return (cpu.user + cpu.system) / updates;
};
const sorted = (a) => [...a].sort((x, y) => x - y);
const q = (a, f) => sorted(a)[Math.round(f * (a.length - 1))];
console.log(`| B | ${names.map((n) => `${n}, µs/update: min / median`).join(' | ')} | ${names.slice(1).map((n) => `${n} / ${names[0]}: median of pairs (Q1–Q3)`).join(' | ')} |`);
console.log(`| ---: |${' ---: |'.repeat(2 * names.length - 1)}`);
for (const c of cases) {
  for (const b of Object.values(builds)) time(b, c);
  const t = Object.fromEntries(names.map((n) => [n, []]));
  const ratio = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < pairs; i++) {
    const o = {};
    for (const n of i % 2 ? names : [...names].reverse()) t[n].push((o[n] = time(builds[n], c)));
    for (const n of names) ratio[n].push(o[n] / o[names[0]]);
  }
  const f = (x) => x.toFixed(1), r = (x) => x.toFixed(3);
  console.log(`| ${c[0]} | ${names.map((n) => `${f(Math.min(...t[n]))} / ${f(q(t[n], 0.5))}`).join(' | ')} | ${names.slice(1).map((n) => `${r(q(ratio[n], 0.5))} (${r(q(ratio[n], 0.25))}–${r(q(ratio[n], 0.75))})`).join(' | ')} |`);
}
