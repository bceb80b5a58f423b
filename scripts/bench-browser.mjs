// Runs the browser benchmark page (wasm/bench/browser/) in Debian's Chromium through Playwright
// and prints its numbers. Starts its own room server (static files only) on a free port.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
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

/** CPU time (clock ticks) of Chromium's audio threads, by "pid/tid name". Linux only. */
function audioThreads() {
  const out = {};
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('chromium') || !cmd.includes('--type=renderer')) continue;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out[`${pid}/${tid} ${name}`] = Number(f[11]) + Number(f[12]); // utime + stime
      } catch {
        // thread gone
      }
    }
  }
  return out;
}

function clockTicks() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

let browser;
try {
  await waitForServer();
  // fakeMedia: also lets the AudioContext start without a user gesture (the worklet load below).
  browser = await chromium.launch(chromiumLaunchOptions({ fakeMedia: true }));
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/wasm/bench/browser/index.html`);
  const r = await page.evaluate(() => window.runBenchmarks());
  const version = r.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? r.userAgent;
  console.log(`WASM in Chromium (${version}, SIMD128 ${r.simd ? 'on' : 'OFF'}, one thread):`);
  for (const x of r.results) {
    if (x.msPerFrame !== undefined)
      console.log(`  ${x.name.padEnd(28)} ${x.msPerFrame.toFixed(2).padStart(9)} ms per video frame`);
    else console.log(`  ${x.name.padEnd(28)} ${x.nsPerFrame.toFixed(1).padStart(9)} ns per 10 ms frame`);
  }
  for (const x of r.ratios) console.log(`  ${x.name.padEnd(28)} ${x.value.toFixed(2).padStart(9)}x`);

  // The AudioMixer worklet while 4 sources play (2 WAV resampled 44.1 → 48 kHz, 2 Ogg Opus).
  mkdirSync('build/bench-fixtures', { recursive: true });
  execFileSync('build/native/wasm/trtc_make_ogg_opus', ['build/bench-fixtures/tone-700.opus', '10', '700', '2']);
  await page.goto(`http://127.0.0.1:${port}/wasm/bench/browser/audio-mixer.html`);
  // The page measures inside the worklet for 8 s; meanwhile the OS's CPU time of Chromium's
  // realtime AudioWorklet thread (which renders the whole audio graph) is read for 5 s of it.
  const running = page.evaluate(() => window.runWorkletLoad('/build/bench-fixtures/tone-700.opus', 8));
  await new Promise((r) => setTimeout(r, 2500)); // loaded and past the page's warm-up
  const before = audioThreads();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 5000));
  const after = audioThreads();
  const wallMs = performance.now() - t0;
  const load = await running;
  const worklet = Object.keys(after).filter((k) => k.includes('AudioW') && k in before);
  const share = load.busyMs / load.audioMs;
  console.log(
    `AudioMixer worklet, ${load.playing} sources playing (${(load.audioMs / 1000).toFixed(1)} s of audio, ` +
      `${load.blocks} render quanta, clock: ${load.clock}):`,
  );
  console.log(`  ${'in the processor: one core'.padEnd(28)} ${(100 * share).toFixed(2).padStart(8)} %`);
  console.log(`  ${'in the processor: per 10 ms'.padEnd(28)} ${(share * 10 * 1000).toFixed(1).padStart(9)} µs`);
  if (worklet.length === 1) {
    const ticks = after[worklet[0]] - before[worklet[0]];
    const ms = (ticks * 1000) / clockTicks();
    console.log(
      `  ${'OS: audio thread, one core'.padEnd(28)} ${((100 * ms) / wallMs).toFixed(2).padStart(8)} % ` +
        `(${ticks} ticks of ${(1000 / clockTicks()).toFixed(0)} ms in ${(wallMs / 1000).toFixed(1)} s, whole audio graph)`,
    );
  } else {
    console.log(`  OS: Chromium's realtime AudioWorklet thread not found (${worklet.length} candidates)`);
  }
} finally {
  await browser?.close();
  server.kill();
}
