// Runs the browser benchmark page (wasm/bench/browser/) in Debian's Chromium through Playwright
// and prints its numbers. Starts its own room server (static files only) on a free port.
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';

import { chromiumLaunchOptions } from './chromium.mjs';

const port = Number(process.env.TRTC_BENCH_PORT ?? 8098);
const server = spawn(
  process.execPath,
  ['build/server/index.js', '--port', String(port), '--no-janus', '--static', '.'],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('benchmark server did not start');
}

let browser;
try {
  await waitForServer();
  browser = await chromium.launch(chromiumLaunchOptions());
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/wasm/bench/browser/index.html`);
  const r = await page.evaluate(() => window.runBenchmarks());
  const version = r.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? r.userAgent;
  console.log(`WASM in Chromium (${version}, SIMD128 ${r.simd ? 'on' : 'OFF'}, one thread):`);
  for (const x of r.results)
    console.log(`  ${x.name.padEnd(28)} ${x.nsPerFrame.toFixed(1).padStart(9)} ns per 10 ms frame`);
  for (const x of r.ratios) console.log(`  ${x.name.padEnd(28)} ${x.value.toFixed(2).padStart(9)}x`);
} finally {
  await browser?.close();
  server.kill();
}
