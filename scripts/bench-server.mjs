// Room server benchmarks:
//  1. signaling capacity (server with --no-janus): joins per second into one 300-user room, and the
//     fan-out latency of a room event (a custom message) to the 299 others, against a named
//     baseline: a bare `ws` server that only broadcasts (same library, no room logic);
//  2. media cost: CPU and memory of Janus and the room server for 1 publisher and 10 subscribers
//     (Chromium peers with fake devices; the browser's own CPU is not counted).
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { chromium } from '@playwright/test';
import WebSocket from 'ws';

import { genSig } from '../build/server/usersig.js';
import { chromiumLaunchOptions } from './chromium.mjs';

const APP = 1400000001;
const KEY = 'bench-secret-key-0123456789abcdef';
const USERS = 300;
const MESSAGES = 40;
const CLK_TCK = 100;

function startServer(args) {
  const proc = spawn(
    process.execPath,
    ['build/server/index.js', '--port', '0', '--sdk-app-id', String(APP), '--secret-key', KEY, ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.once('exit', (c) => reject(new Error(`server exited ${c}: ${out}`)));
  });
}

function stopServer(s) {
  return new Promise((r) => {
    s.proc.once('exit', r);
    s.proc.kill('SIGTERM');
  });
}

function connect(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** Sends MESSAGES broadcasts from sockets[0] and returns every receiver's latency in ms. */
async function fanOut(sockets, send, isBroadcast) {
  const latencies = [];
  const receivers = sockets.slice(1);
  for (let i = 0; i < MESSAGES; i++) {
    const t0 = process.hrtime.bigint();
    const got = receivers.map(
      (ws) =>
        new Promise((resolve) => {
          const on = (raw) => {
            if (!isBroadcast(raw)) return;
            ws.off('message', on);
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            resolve();
          };
          ws.on('message', on);
        }),
    );
    send(sockets[0], i);
    await Promise.all(got);
    await new Promise((r) => setTimeout(r, 40)); // stays under 30 messages/s per room
  }
  return latencies;
}

async function signalingBench() {
  const server = await startServer(['--no-janus']);
  const url = `ws://127.0.0.1:${server.port}/rtc`;
  const sockets = [];
  for (let i = 0; i < USERS; i += 50)
    sockets.push(...(await Promise.all(Array.from({ length: 50 }, () => connect(url)))));
  const sigs = sockets.map((_, i) => genSig(APP, KEY, `u${i}`, 3600));
  const t0 = process.hrtime.bigint();
  await Promise.all(
    sockets.map(
      (ws, i) =>
        new Promise((resolve, reject) => {
          const on = (raw) => {
            const m = JSON.parse(raw);
            if (m.id !== 1) return;
            ws.off('message', on);
            if (m.error) reject(new Error(m.error.message));
            else resolve();
          };
          ws.on('message', on);
          ws.send(
            JSON.stringify({
              id: 1,
              method: 'join',
              params: { sdkAppId: APP, userId: `u${i}`, userSig: sigs[i], roomId: 1 },
            }),
          );
        }),
    ),
  );
  const joinMs = Number(process.hrtime.bigint() - t0) / 1e6;
  await new Promise((r) => setTimeout(r, 500));
  const data = Buffer.from('x'.repeat(100)).toString('base64');
  const lat = await fanOut(
    sockets,
    (ws, i) => ws.send(JSON.stringify({ id: 100 + i, method: 'sendCustomMessage', params: { cmdId: 1, data } })),
    (raw) => raw.toString().startsWith('{"event":"custom-message"'),
  );
  for (const ws of sockets) ws.terminate();
  await stopServer(server);

  // Baseline: a bare ws broadcast server in a child process (same library, no validation or rooms).
  const base = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { WebSocketServer } from 'ws';
       const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
       wss.on('listening', () => console.log('port', wss.address().port));
       wss.on('connection', (ws) => ws.on('message', (m) => {
         const text = JSON.stringify({ event: 'custom-message', data: JSON.parse(m.toString()) });
         for (const c of wss.clients) if (c !== ws) c.send(text);
       }));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const basePort = await new Promise((r) => base.stdout.on('data', (d) => r(Number(/port (\d+)/.exec(d)[1]))));
  const baseSockets = [];
  for (let i = 0; i < USERS; i += 50) {
    baseSockets.push(...(await Promise.all(Array.from({ length: 50 }, () => connect(`ws://127.0.0.1:${basePort}`)))));
  }
  const baseLat = await fanOut(
    baseSockets,
    (ws, i) => ws.send(JSON.stringify({ cmdId: 1, seq: i, data })),
    (raw) => raw.toString().startsWith('{"event":"custom-message"'),
  );
  for (const ws of baseSockets) ws.terminate();
  base.kill();

  console.log(`Room server signaling (${USERS}-user 'rtc' room, no media; client and server share this machine):`);
  console.log(
    `  joins (UserSig check + room entry + peer-join fan-out): ${((USERS / joinMs) * 1000).toFixed(0)} joins/s (${USERS} in ${joinMs.toFixed(0)} ms)`,
  );
  const row = (name, xs) =>
    `  ${name.padEnd(34)} p50 ${pct(xs, 50).toFixed(2).padStart(6)} ms  p99 ${pct(xs, 99).toFixed(2).padStart(6)} ms  max ${Math.max(
      ...xs,
    )
      .toFixed(2)
      .padStart(6)} ms`;
  console.log(row('fan-out to 299 (room server)', lat));
  console.log(row('fan-out to 299 (bare ws baseline)', baseLat));
  console.log(`  room server / bare ws, p50 fan-out: ${(pct(lat, 50) / pct(baseLat, 50)).toFixed(2)}x`);
}

function cpuTicks(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function mediaBench() {
  const server = await startServer(['--dev-usersig', '--static', '/peer=tests/e2e/server']);
  const janusPid = Number(
    execFileSync('pgrep', ['-P', String(server.proc.pid), '-x', 'janus'])
      .toString()
      .trim(),
  );
  const browser = await chromium.launch(chromiumLaunchOptions({ fakeMedia: true }));
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/peer/index.html`);
    await page.waitForFunction(() => window.peerReady === true);
    await page.evaluate(
      async ({ port, app }) => {
        const mk = async (id) => {
          const { userSig } = await (await fetch(`/dev/usersig?userId=${id}`)).json();
          const p = new window.Peer(`ws://127.0.0.1:${port}/rtc`);
          await p.connect();
          await p.join({ sdkAppId: app, userId: id, userSig, roomId: 42 });
          return p;
        };
        const pub = await mk('pub');
        await pub.publish('main');
        const subs = [];
        for (let i = 0; i < 10; i++) {
          const s = await mk(`sub${i}`);
          await s.subscribe('pub');
          subs.push(s);
        }
        await Promise.all(subs.map((s) => s.waitMedia('pub')));
        window.benchSubs = subs;
      },
      { port: server.port, app: APP },
    );
    await new Promise((r) => setTimeout(r, 2000));
    const seconds = 10;
    const s0 = cpuTicks(server.proc.pid);
    const j0 = cpuTicks(janusPid);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const s1 = cpuTicks(server.proc.pid);
    const j1 = cpuTicks(janusPid);
    const frames = await page.evaluate(async () => {
      const r = await Promise.all(window.benchSubs.map((s) => s.inbound('pub')));
      return r.map((x) => x.video.framesDecoded);
    });
    const cpu = (a, b) => (((b - a) / CLK_TCK / seconds) * 100).toFixed(1);
    console.log('Media, 1 publisher (640x480 VP8 + Opus) and 10 subscribers through Janus, 10 s:');
    console.log(`  janus        ${cpu(j0, j1).padStart(5)} % of one core, ${rssMb(janusPid).toFixed(0)} MB RSS`);
    console.log(`  room server  ${cpu(s0, s1).padStart(5)} % of one core, ${rssMb(server.proc.pid).toFixed(0)} MB RSS`);
    console.log(`  frames decoded per subscriber: min ${Math.min(...frames)}, max ${Math.max(...frames)}`);
    console.log('  reference (design/TOOLCHAIN.md, Janus alone): about 6 % of one core and 32 MB');
  } finally {
    await browser.close();
    await stopServer(server);
  }
}

await signalingBench();
await mediaBench();
