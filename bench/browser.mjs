// What the two browser drivers (bench/tfjs/drive.mjs, bench/app/drive.mjs) share: headless
// Chromium from the system (/usr/bin/chromium or $CHROMIUM; playwright-core never downloads
// a browser), run around a body with one failure path, and the number formats of the tables.
import { createRequire } from 'node:module';

// playwright-core is installed by scripts/bench into target/bench-node (BENCH_NODE_MODULES).
const require = createRequire(process.env.BENCH_NODE_MODULES + '/');
const { chromium } = require('playwright-core');

/// Launches Chromium with the flags this machine needs (no sandbox as root, no GPU, no
/// background traffic) plus `extraArgs`, runs `body(browser)`, closes the browser and exits
/// with 0, or 1 after printing `label failed: …` if the body threw.
export async function withChromium(label, extraArgs, body) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...extraArgs],
  });
  let code = 0;
  try {
    await body(browser);
  } catch (e) {
    console.error(`${label} failed:`, e.stack || e);
    code = 1;
  } finally {
    await browser.close();
  }
  process.exit(code);
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/// An integer with thousands separators (the README's style).
export const fmt = (x) => Math.round(x).toLocaleString('en-US');
