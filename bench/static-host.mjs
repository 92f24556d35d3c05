// A directory served as a static host serves a site, for the benchmarks that load pages the
// way a reader does (bench/app/drive.mjs, bench/lighthouse.mjs): gzip for text and wasm (as
// GitHub Pages and Netlify do; the MNIST asset is already deflated and goes as it is) and
// `Cache-Control: max-age=600` (GitHub Pages' header), so what a page prefetches for its
// worker can take from the HTTP cache. Python's http.server sends the wasm uncompressed, which
// roughly doubles a first visit's bytes, so it would measure a host nobody uses.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json', '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
};

/// Serves `dir` on a free loopback port (the process may exit while it runs); resolves to its
/// base URL without a trailing slash. `headers` are added to every answer (e.g. a CSP).
export function hostDir(dir, headers = {}) {
  const root = resolve(dir);
  const gz = new Map();
  return new Promise((done) => {
    const server = createServer((req, res) => {
      let path = resolve(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
      if (path !== root && !path.startsWith(root + sep)) { res.writeHead(403); res.end(); return; }
      if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
      if (!existsSync(path) || !statSync(path).isFile()) { res.writeHead(404); res.end(); return; }
      const type = TYPES[extname(path)];
      const head = { ...headers, 'content-type': type ?? 'application/octet-stream', 'cache-control': 'max-age=600' };
      let body = readFileSync(path);
      if (type && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        const key = `${path}:${statSync(path).mtimeMs}`;
        if (!gz.has(key)) gz.set(key, gzipSync(body, { level: 9 }));
        body = gz.get(key);
        head['content-encoding'] = 'gzip';
      }
      head['content-length'] = body.length;
      res.writeHead(200, head);
      res.end(body);
    });
    server.unref();
    server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${server.address().port}`));
  });
}
