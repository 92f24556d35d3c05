// Lighthouse (npm, pinned in scripts/install.sh) on the page a reader opens and on the post
// that embeds it (issue 23, "Light on the page that embeds it"): the release build (dist/) and
// the example blog (embed/jekyll/example built by Jekyll, dist/ copied to its
// /assets/batch-lab/), each served as a static host serves it (bench/static-host.mjs: gzip,
// max-age). Lighthouse's defaults: the mobile profile (Moto G Power screen, simulated Slow 4G
// and 4x CPU slowdown), performance only, in the installed Chromium (CHROME_PATH). Run by
// scripts/bench (BENCH_PARTS=lighthouse); prints markdown.
//
// Lighthouse loads a page and never touches it, so the post's bytes are what it downloads
// before a reader interacts. Its simulated throttling scales the CPU time it observed: on a
// machine busy with other work the scores and TBT come out worse than on a quiet one (the
// table says the load average).
//
// Usage: node bench/lighthouse.mjs <dist dir> <built site dir> <post path> [runs (default 3)]
//   env: LIGHTHOUSE (the CLI), CHROMIUM (the browser, default /usr/bin/chromium).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostDir } from './static-host.mjs';

const [dist, site, postPath, runsArg = '3'] = process.argv.slice(2);
const RUNS = Math.max(1, Number(runsArg));
const log = (s) => process.stderr.write(`[bench-lighthouse] ${s}\n`);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

/// Issue 23's figures for today (before the issue) and its targets.
const TODAY = { score: 0.92, lcp: 3300, tbt: 70, kib: 1306 };
const TARGET = { appLcp: 2500, postScore: 0.9, postTbt: 200 };

/// One Lighthouse run on `url`: score, LCP, TBT (ms), bytes, and the requests by file name.
/// Asynchronous: the static hosts answer from this process' event loop meanwhile.
async function lighthouse(url, flags = []) {
  const dir = mkdtempSync(join(tmpdir(), 'batch-lab-lh-'));
  const out = join(dir, 'report.json');
  try {
    await promisify(execFile)(process.env.LIGHTHOUSE || 'lighthouse', [url, '--quiet', '--only-categories=performance', ...flags,
      '--output=json', `--output-path=${out}`,
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking'],
    { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM || '/usr/bin/chromium' }, maxBuffer: 64 << 20 });
    const j = JSON.parse(readFileSync(out, 'utf8'));
    if (j.runtimeError) throw new Error(`${url}: ${j.runtimeError.code} ${j.runtimeError.message}`);
    const files = j.audits['network-requests'].details.items
      .map((r) => new URL(r.url).pathname.split('/').pop().replace(/-[0-9a-f]{16}/, '') || 'index.html');
    return {
      score: j.categories.performance.score,
      lcp: j.audits['largest-contentful-paint'].numericValue,
      tbt: j.audits['total-blocking-time'].numericValue,
      kib: j.audits['total-byte-weight'].numericValue / 1024,
      files,
      load: loadavg(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/// `median (min–max)` with `digits` decimals, in `unit` (`s` divides milliseconds by 1000).
function range(xs, digits = 0, unit = '') {
  const f = (x) => (unit === 's' ? x / 1000 : x).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return xs.length > 1 ? `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})` : f(xs[0]);
}
const count = (files, name) => files.filter((f) => f === name).length;

const appHost = await hostDir(dist);
const siteHost = await hostDir(site);
const pages = [
  { key: 'app', label: 'the full app (`/`)', url: `${appHost}/` },
  { key: 'post', label: 'the example post (four embeds)', url: `${siteHost}/${postPath}` },
  // The same page with the throttling applied while it loads (DevTools' network and CPU
  // throttling) instead of simulated afterwards: its LCP is observed. Simulated, an LCP
  // counts every request that finished before the paint in the unthrottled trace (until
  // 44c9dee that included the preloaded page wasm, which the real paint did not wait for;
  // docs/benchmarks.md, 2026-12-06 "the static header" and 2026-12-07).
  { key: 'applied', label: 'the full app, throttling applied', url: `${appHost}/`, flags: ['--throttling-method=devtools'] },
];
const results = { app: [], post: [], applied: [] };
// Alternated, so a change in the machine's load falls on both alike.
for (let i = 0; i < RUNS; i++) {
  for (const p of pages) {
    const r = await lighthouse(p.url, p.flags);
    log(`${p.key} run ${i}: score ${r.score}, LCP ${Math.round(r.lcp)} ms, TBT ${Math.round(r.tbt)} ms, ` +
      `${r.kib.toFixed(0)} KiB, load average ${r.load}; ${r.files.join(', ')}`);
    results[p.key].push(r);
  }
}

const { app, post, applied } = results;
const of = (rs, k) => rs.map((r) => r[k]);
console.log(`\n== Lighthouse ${execFileSync(process.env.LIGHTHOUSE || 'lighthouse', ['--version']).toString().trim()} ` +
  `(mobile; simulated throttling but where it says applied), ${RUNS} run(s) of each page, alternated; median (min–max) ==\n`);
console.log(`Load average during the runs: ${[...app, ...post, ...applied].map((r) => r.load).join(', ')} ` +
  '(2 cores; Lighthouse scales the CPU time it observes, so a busy machine lowers the score and raises TBT).\n');
console.log('| page | figure | this build | target | today (issue 23) |');
console.log('| --- | --- | ---: | ---: | ---: |');
console.log(`| ${pages[0].label} | performance score | ${range(of(app, 'score'), 2)} | | ${TODAY.score.toFixed(2)} |`);
console.log(`| | LCP, s | **${range(of(app, 'lcp'), 2, 's')}** | ≤ ${(TARGET.appLcp / 1000).toFixed(1)} | ${(TODAY.lcp / 1000).toFixed(1)} |`);
console.log(`| | TBT, ms | ${range(of(app, 'tbt'))} | | ${TODAY.tbt} |`);
console.log(`| | total bytes, KiB | ${range(of(app, 'kib'))} | | ${TODAY.kib.toLocaleString('en-US')} |`);
console.log(`| ${pages[2].label} | performance score | ${range(of(applied, 'score'), 2)} | | |`);
console.log(`| | LCP, s (observed) | **${range(of(applied, 'lcp'), 2, 's')}** | ≤ ${(TARGET.appLcp / 1000).toFixed(1)} | |`);
console.log(`| | TBT, ms | ${range(of(applied, 'tbt'))} | | |`);
console.log(`| ${pages[1].label} | performance score | **${range(of(post, 'score'), 2)}** | ≥ ${TARGET.postScore.toFixed(2)} | |`);
console.log(`| | TBT, ms | **${range(of(post, 'tbt'))}** | ≤ ${TARGET.postTbt} | |`);
console.log(`| | bytes before a reader interacts, KiB | **${range(of(post, 'kib'))}** | | ${TODAY.kib.toLocaleString('en-US')} (the full app alone) |`);
const last = post.at(-1).files;
console.log(`\nThe post's last run downloaded ${last.length} files: the page wasm ${count(last, 'batch-lab_bg.wasm')}× ` +
  `(embeds loaded, of 4: Chromium loads a \`loading="lazy"\` frame once it is within its distance of the ` +
  `screen), the worker's wasm ${count(last, 'worker_bg.wasm')}×, MNIST ${count(last, 'mnist-10k.bin.z')}× ` +
  '(an embed starts those only when its reader acts).');
