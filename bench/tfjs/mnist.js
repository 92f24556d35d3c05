// Decodes assets/mnist-10k.bin.z in the browser (format: assets/README.md) with the built-in
// DecompressionStream ("deflate" = zlib stream). Used by the TF.js worker only; Batch Lab's
// worker hands the compressed bytes to its own decoder (`mnist::decode`).
// Classic-script friendly: defines a global `decodeMnist` (the TF.js worker uses importScripts).
self.decodeMnist = async function decodeMnist(compressed) {
  const stream = new Blob([compressed]).stream().pipeThrough(new DecompressionStream('deflate'));
  const raw = new Uint8Array(await new Response(stream).arrayBuffer());
  const magic = new TextDecoder().decode(raw.subarray(0, 8));
  if (magic !== 'BLMNIST2') throw new Error('bad magic ' + magic);
  const dv = new DataView(raw.buffer);
  const count = dv.getUint32(8, true), rows = dv.getUint16(12, true), cols = dv.getUint16(14, true);
  const features = rows * cols;
  const levels = raw[16];
  const grey = Array.from(raw.subarray(17, 17 + levels), (v) => v / 255);
  const labels = raw.subarray(17 + levels, 17 + levels + count);
  // Pixels: 4-bit level indices, two to a byte, low nibble first.
  const packed = raw.subarray(17 + levels + count, 17 + levels + count + (count * features) / 2);
  const x = new Float32Array(count * features);
  for (let i = 0; i < packed.length; i++) {
    x[2 * i] = grey[packed[i] & 15];
    x[2 * i + 1] = grey[packed[i] >> 4];
  }
  return { count, features, x, y: Float32Array.from(labels) };
};
