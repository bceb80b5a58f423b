// Call setup benchmark (issue 5): in Debian's Chromium with fake devices, the time from join to
// "local publish ready" and from publish to the subscriber's first remote video frame, through the
// SDK (dist/trtc.umd.js + room server + its Janus) and through a minimal raw Janus client
// (tests/bench/call/raw-janus.js, straight to a second Janus started with the room server's own
// JanusProcess: same binary, same config). Plus the gzip size of dist/trtc.esm.js against
// trtc-js-sdk 4.15.22. Builds nothing: run `npm run build` first.
//
//   node scripts/bench-call.mjs [--iterations 10] [--only raw|sdk]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

import { chromium } from '@playwright/test';

import { firstNonLoopbackIPv4, JanusProcess } from '../build/server/janus/process.js';
import { chromiumLaunchOptions } from './chromium.mjs';

const APP = 1400000001;
const PORT = Number(process.env.TRTC_BENCH_CALL_PORT ?? 8110); // 8110–8119 are this benchmark's
const TRTC_JS_SDK_GZIP = 89143; // gzip -6 of trtc-js-sdk 4.15.22's trtc.esm.js
const ITERATION_TIMEOUT_MS = 30_000;

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const ITERATIONS = Number(opt('--iterations', 10));
const ONLY = opt('--only', 'both');
if (!Number.isInteger(ITERATIONS) || ITERATIONS < 1 || !['both', 'raw', 'sdk'].includes(ONLY)) {
  console.error('usage: node scripts/bench-call.mjs [--iterations N] [--only raw|sdk]');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// ---- child processes -------------------------------------------------------------------------

let server; // { proc, out, janusPid }
let rawJanus;
let browser;

function startServer() {
  const proc = spawn(
    process.execPath,
    [
      'build/server/index.js',
      '--port',
      String(PORT),
      '--sdk-app-id',
      String(APP),
      '--secret-key',
      randomBytes(16).toString('hex'),
      '--dev-usersig',
      '--static',
      '/bench=tests/bench/call',
      '--static',
      '/dist=dist',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server = { proc, out: '', janusPid: 0 };
  const keep = (d) => {
    server.out = (server.out + d).slice(-4000); // keeps draining the pipes for the whole run
    const m = /janus (\d+) ready/.exec(server.out);
    if (m) server.janusPid = Number(m[1]);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  return new Promise((resolve, reject) => {
    const onData = () => {
      if (!/listening on http:\/\/127\.0\.0\.1:\d+/.test(server.out)) return;
      proc.stdout.off('data', onData);
      resolve();
    };
    proc.stdout.on('data', onData);
    proc.once('exit', (code, signal) =>
      reject(new Error(`room server exited (${signal ?? `code ${code}`}) during start-up:\n${server.out.trim()}`)),
    );
    proc.once('error', reject);
  });
}

async function stopServer() {
  const s = server;
  if (!s || s.proc.exitCode !== null || s.proc.signalCode !== null) return;
  const exited = new Promise((r) => s.proc.once('exit', r));
  s.proc.kill('SIGTERM'); // the server stops its Janus itself
  if ((await Promise.race([exited.then(() => true), sleep(5000).then(() => false)])) === false) {
    s.proc.kill('SIGKILL');
    await exited;
    if (s.janusPid) {
      try {
        process.kill(s.janusPid, 'SIGKILL'); // orphaned by the SIGKILL above
      } catch {
        // already gone
      }
    }
  }
}

let stopping;
/** Stops the browser, the raw client's Janus and the room server (with its Janus); idempotent. */
function shutdown() {
  stopping ??= (async () => {
    await browser?.close().catch(() => undefined);
    await rawJanus?.stop().catch(() => undefined);
    await stopServer();
  })();
  return stopping;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    console.error(`bench-call: ${sig}, stopping`);
    void shutdown().finally(() => process.exit(1));
  });
}

// ---- browser pages ---------------------------------------------------------------------------

async function openPage(url, readyFlag, label) {
  const page = await browser.newPage();
  const log = [];
  page.on('pageerror', (e) => log.push(`${label} page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.push(`${label} console.${m.type()}: ${m.text()}`);
  });
  page.benchLog = log;
  await page.goto(url);
  await page.waitForFunction((flag) => window[flag] === true, readyFlag, { timeout: 10_000 });
  return page;
}

const pageLogs = (pages) => pages.flatMap((p) => p.benchLog.slice(-10));

/** One cold call setup through the raw Janus client; returns the two durations in ms. */
async function rawIteration(pub, sub, room) {
  await pub.evaluate(() => window.rawBench.capture());
  await sub.evaluate((r) => window.rawBench.prepareSubscriber(r), room);
  await sleep(300); // let the untimed set-up settle
  try {
    const [t, frame] = await withTimeout(
      Promise.all([
        pub.evaluate((r) => window.rawBench.publish(r), room),
        sub.evaluate(() => window.rawBench.firstFrame()),
      ]),
      ITERATION_TIMEOUT_MS,
      `raw Janus iteration (room ${room})`,
    );
    return { publishReady: t.tReady - t.t0, firstFrame: frame - t.tPublish };
  } finally {
    await pub.evaluate((r) => window.rawBench.cleanup(r), room);
    await sub.evaluate((r) => window.rawBench.cleanup(r), room);
  }
}

/** One cold call setup through the SDK and the room server; returns the two durations in ms. */
async function sdkIteration(pub, sub, room, warnings) {
  await pub.evaluate(() => window.sdkBench.capture('bench-pub'));
  await sub.evaluate((r) => window.sdkBench.prepareSubscriber('bench-sub', r), room);
  await sleep(300);
  try {
    const [t, frame] = await withTimeout(
      Promise.all([
        pub.evaluate((r) => window.sdkBench.publish(r), room),
        sub.evaluate(() => window.sdkBench.firstFrame()),
      ]),
      ITERATION_TIMEOUT_MS,
      `SDK iteration (room ${room})`,
    );
    return { publishReady: t.tReady - t.t0, firstFrame: frame - t.tPublish };
  } finally {
    for (const [label, page] of [
      ['publisher', pub],
      ['subscriber', sub],
    ]) {
      for (const w of await page.evaluate(() => window.sdkBench.cleanup())) warnings.add(`SDK ${label} ${w}`);
    }
  }
}

// ---- statistics and output -------------------------------------------------------------------

function summary(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

const cell = (xs) => {
  if (!xs || xs.length === 0) return 'n/a';
  const { median, min, max } = summary(xs);
  return `${median.toFixed(0)} ms (${min.toFixed(0)}–${max.toFixed(0)})`;
};
const ratio = (a, b) => (a?.length && b?.length ? `${(summary(a).median / summary(b).median).toFixed(2)}×` : 'n/a');

// ---- main ------------------------------------------------------------------------------------

async function main() {
  const esm = readFileSync('dist/trtc.esm.js');
  const gzip = gzipSync(esm, { level: 6 }).length;

  await startServer();
  const iceIp = process.env.TRTC_ICE_IP || firstNonLoopbackIPv4();
  if (!iceIp) throw new Error('no non-loopback IPv4 address for Janus ICE (see scripts/ensure-ice-ip.sh)');
  rawJanus = new JanusProcess({
    binary: process.env.TRTC_JANUS || 'janus',
    iceIp,
    rtpPortRange: process.env.TRTC_RTP_PORT_RANGE || undefined,
    log: () => undefined,
  });
  await rawJanus.start();
  // JanusProcess keeps its WebSocket URL and API secret private (TypeScript-only privacy).
  const janusUrl = rawJanus.connection?.url;
  const apiSecret = rawJanus.apiSecret;
  if (typeof janusUrl !== 'string' || typeof apiSecret !== 'string') {
    throw new Error('cannot read the Janus URL and API secret from JanusProcess (has its code changed?)');
  }

  browser = await chromium.launch(chromiumLaunchOptions({ fakeMedia: true }));
  const base = `http://127.0.0.1:${PORT}/bench`;
  const rawQuery = `ws=${encodeURIComponent(janusUrl)}&secret=${encodeURIComponent(apiSecret)}`;
  const sdkQuery = `server=${encodeURIComponent(`ws://127.0.0.1:${PORT}/rtc`)}`;
  const pages = {};
  if (ONLY !== 'sdk') {
    pages.rawPub = await openPage(`${base}/raw-janus.html?${rawQuery}`, 'rawBenchReady', 'raw publisher');
    pages.rawSub = await openPage(`${base}/raw-janus.html?${rawQuery}`, 'rawBenchReady', 'raw subscriber');
  }
  if (ONLY !== 'raw') {
    pages.sdkPub = await openPage(`${base}/sdk.html?${sdkQuery}`, 'sdkBenchReady', 'SDK publisher');
    pages.sdkSub = await openPage(`${base}/sdk.html?${sdkQuery}`, 'sdkBenchReady', 'SDK subscriber');
    if (!(await pages.sdkPub.evaluate(() => window.sdkBench.hasClientApi()))) {
      throw new Error('dist/trtc.umd.js has no TRTC.createClient/createStream: build the SDK (npm run build)');
    }
  }
  const userAgent = await Object.values(pages)[0].evaluate(() => navigator.userAgent);

  const raw = { publishReady: [], firstFrame: [] };
  const sdk = { publishReady: [], firstFrame: [] };
  const warnings = new Set();
  // Iteration 0 warms up (JIT, Janus, first PeerConnection) and is not counted. The two clients
  // alternate, each in a fresh room, so drift on the machine affects both alike.
  for (let i = 0; i <= ITERATIONS; i++) {
    const step = async (label, run, into, pageList) => {
      try {
        const r = await run();
        if (i > 0) for (const k of Object.keys(into)) into[k].push(r[k]);
      } catch (e) {
        const logs = pageLogs(pageList);
        throw new Error(`${label}, iteration ${i}: ${e.message}${logs.length ? `\n  ${logs.join('\n  ')}` : ''}`);
      }
    };
    if (pages.rawPub) {
      await step('raw Janus', () => rawIteration(pages.rawPub, pages.rawSub, 1000 + i), raw, [
        pages.rawPub,
        pages.rawSub,
      ]);
    }
    if (pages.sdkPub) {
      await step('SDK', () => sdkIteration(pages.sdkPub, pages.sdkSub, 2000 + i, warnings), sdk, [
        pages.sdkPub,
        pages.sdkSub,
      ]);
    }
  }

  const version = userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? userAgent;
  const w = [30, 24, 24];
  const row = (a, b, c, d) => `  ${a.padEnd(w[0])} ${b.padEnd(w[1])} ${c.padEnd(w[2])} ${d}`;
  console.log(
    `Call setup in Chromium (${version}, fake 640x480 camera + microphone), Janus on ${iceIp}, ` +
      `median of ${ITERATIONS} (min–max), each a cold setup in a fresh room:`,
  );
  console.log(row(`call setup (median of ${ITERATIONS})`, 'SDK', 'raw Janus', 'SDK/raw'));
  console.log(
    row(
      'join → publish ready',
      cell(sdk.publishReady),
      cell(raw.publishReady),
      ratio(sdk.publishReady, raw.publishReady),
    ),
  );
  console.log(
    row(
      'publish → first remote frame',
      cell(sdk.firstFrame),
      cell(raw.firstFrame),
      ratio(sdk.firstFrame, raw.firstFrame),
    ),
  );
  console.log(
    `  dist/trtc.esm.js gzip: ${gzip.toLocaleString('en-US')} bytes ` +
      `(trtc-js-sdk 4.15.22: ${TRTC_JS_SDK_GZIP.toLocaleString('en-US')} bytes; ratio ${(gzip / TRTC_JS_SDK_GZIP).toFixed(2)})`,
  );
  for (const x of warnings) console.log(`  warning: ${x}`);
}

let failed = false;
try {
  await main();
} catch (e) {
  failed = true;
  console.error(`bench-call: ${e?.stack ?? e}`);
  const serverDied = server && server.proc.exitCode !== null;
  if (serverDied && !String(e?.message).includes(server.out.trim())) console.error(server.out.trim());
} finally {
  await shutdown();
}
process.exit(failed ? 1 : 0);
