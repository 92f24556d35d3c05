// Decodes assets/mnist-10k.bin.z in the browser (format: assets/README.md) with the built-in
// DecompressionStream ("deflate" = zlib stream). Used by the TF.js worker only; Batch Lab's
// worker hands the compressed bytes to its own decoder (`mnist::decode`).
// Classic-script friendly: defines a global `decodeMnist` (the TF.js worker uses importScripts).
self.decodeMnist = async function decodeMnist(compressed) {
  const stream = new Blob([compressed]).stream().pipeThrough(new DecompressionStream('deflate'));
  const raw = new Uint8Array(await new Response(stream).arrayBuffer());
  const magic = new TextDecoder().decode(raw.subarray(0, 8));
  if (magic !== 'BLMNIST1') throw new Error('bad magic ' + magic);
  const dv = new DataView(raw.buffer);
  const count = dv.getUint32(8, true), rows = dv.getUint16(12, true), cols = dv.getUint16(14, true);
  const features = rows * cols;
  const labels = raw.subarray(16, 16 + count);
  const pixels = raw.subarray(16 + count, 16 + count + count * features);
  const x = new Float32Array(count * features);
  for (let i = 0; i < x.length; i++) x[i] = pixels[i] / 255;
  return { count, features, x, y: Float32Array.from(labels) };
};
