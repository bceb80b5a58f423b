#!/usr/bin/env node
// Self-test of the impaired link (impair.ts + impair-link.py), outside Playwright. As root, from
// anywhere:   node tests/e2e/support/impair/selftest.mjs [--no-server]
// Measures UDP round trips and loss across the link without and with impairments, a TCP transfer
// through a rate limit, then starts the built room server (build/server, with Janus) inside the
// namespace and reaches it from the root namespace; finally checks that nothing is left behind,
// also when the process that started everything is killed with SIGKILL. Exits 1 on a failed check.
import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../../..');
process.chdir(repo);
const SCRIPT = join(here, 'impair-link.py');
const PORT = Number(process.env.IMPAIR_SELFTEST_PORT ?? 8099);
const NS = process.env.IMPAIR_SELFTEST_NS ?? 'trtcimp';

// impair.ts (and the room-server.ts it imports) through TypeScript's own transpiler (Node 20
// cannot load .ts).
const ts = (await import('typescript')).default;
const tmp = mkdtempSync(join(tmpdir(), 'impair-selftest-'));
const transpile = (from, to) =>
  writeFileSync(
    to,
    ts
      .transpileModule(readFileSync(from, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      })
      .outputText.replace("from '../room-server'", "from '../room-server.mjs'"),
  );
mkdirSync(join(tmp, 'impair'));
transpile(join(here, '..', 'room-server.ts'), join(tmp, 'room-server.mjs'));
transpile(join(here, 'impair.ts'), join(tmp, 'impair', 'impair.mjs'));
const { startImpairedNetwork, startRoomServerInNamespace } = await import(
  pathToFileURL(join(tmp, 'impair', 'impair.mjs')).href
);
rmSync(tmp, { recursive: true, force: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let failures = 0;
function check(ok, what) {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

// ---- child mode: started by the kill test below, killed with SIGKILL by it ----
if (process.argv.includes('--child')) {
  const link = await startImpairedNetwork({ ns: NS, script: SCRIPT });
  const server = await startRoomServerInNamespace(link, PORT);
  const pids = execFileSync('ip', ['netns', 'pids', NS], { encoding: 'utf8' }).split(/\s+/).filter(Boolean);
  console.log(JSON.stringify({ pids, base: server.base }));
  setInterval(() => {}, 1000);
  await new Promise(() => {});
}

const nsExists = () =>
  execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .some((l) => l.split(' ')[0] === NS);
const devExists = () => {
  try {
    execFileSync('ip', ['link', 'show', 'dev', `${NS.slice(0, 14)}A`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const alive = (pid) => {
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
};

/** Sends `count` numbered UDP datagrams every `intervalMs` to the echo server, waits for the echoes. */
async function probe(host, port, count, intervalMs, size = 200) {
  const sock = dgram.createSocket('udp4');
  const sent = new Map();
  const rtts = [];
  let lastSeq = -1;
  let reordered = 0;
  sock.on('message', (msg) => {
    const seq = msg.readUInt32BE(0);
    const t0 = sent.get(seq);
    if (t0 === undefined) return;
    sent.delete(seq);
    rtts.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (seq < lastSeq) reordered++;
    lastSeq = Math.max(lastSeq, seq);
  });
  await new Promise((r) => sock.bind(0, r));
  for (let i = 0; i < count; i++) {
    const buf = Buffer.alloc(size);
    buf.writeUInt32BE(i, 0);
    sent.set(i, process.hrtime.bigint());
    sock.send(buf, port, host);
    await sleep(intervalMs);
  }
  await sleep(1500);
  sock.close();
  rtts.sort((a, b) => a - b);
  const q = (p) => rtts[Math.min(rtts.length - 1, Math.floor(p * rtts.length))] ?? NaN;
  return {
    sent: count,
    received: rtts.length,
    lossPct: (100 * (count - rtts.length)) / count,
    min: rtts[0],
    p50: q(0.5),
    avg: rtts.reduce((a, b) => a + b, 0) / rtts.length,
    max: rtts[rtts.length - 1],
    reordered,
  };
}

const fmt = (r) =>
  `sent ${r.sent} echoed ${r.received} loss ${r.lossPct.toFixed(1)}%  rtt min ${r.min.toFixed(2)} ` +
  `p50 ${r.p50.toFixed(2)} avg ${r.avg.toFixed(2)} max ${r.max.toFixed(2)} ms  reordered ${r.reordered}`;

/** Spawns a Node script inside the namespace and waits for its "ready" line. */
async function nsNode(link, code) {
  const child = link.exec(process.execPath, ['-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise((res, rej) => {
    child.stdout.on('data', (d) => d.toString().includes('ready') && res());
    child.once('exit', (c) => rej(new Error(`helper exited ${c}`)));
  });
  return child;
}

const UDP_ECHO = `
const s = require('node:dgram').createSocket('udp4');
s.on('message', (m, r) => s.send(m, r.port, r.address));
s.bind(9999, '0.0.0.0', () => console.log('ready'));
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`;

// A TCP server: echoes what it gets, except "SEND <n>\\n" which makes it send n bytes and close.
const TCP_SERVER = `
require('node:net').createServer((c) => {
  c.setNoDelay(true);
  c.once('data', (d) => {
    const m = /^SEND (\\d+)/.exec(d.toString());
    if (m) c.end(Buffer.alloc(Number(m[1]), 120)); else { c.write(d); c.pipe(c); }
  });
}).listen(9998, '0.0.0.0', () => console.log('ready'));
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`;

function tcpConnect(host, port) {
  const t0 = performance.now();
  return new Promise((res, rej) => {
    const c = net.connect(port, host, () => res({ c, ms: performance.now() - t0 }));
    c.once('error', rej);
  });
}

async function tcpEcho(host, port) {
  const { c, ms: connectMs } = await tcpConnect(host, port);
  c.setNoDelay(true);
  const t0 = performance.now();
  const reply = await new Promise((res) => {
    c.once('data', (d) => res(d.toString()));
    c.write('hello across the link');
  });
  const echoMs = performance.now() - t0;
  c.destroy();
  return { connectMs, echoMs, ok: reply === 'hello across the link' };
}

async function tcpDownload(host, port, bytes) {
  const { c } = await tcpConnect(host, port);
  const t0 = performance.now();
  let got = 0;
  await new Promise((res) => {
    c.on('data', (d) => (got += d.length));
    c.on('end', res);
    c.write(`SEND ${bytes}\n`);
  });
  const s = (performance.now() - t0) / 1000;
  c.destroy();
  return { got, s, kbit: (got * 8) / 1000 / s };
}

console.log(`impair selftest: namespace ${NS}, script ${SCRIPT}`);
const t0 = performance.now();
const link = await startImpairedNetwork({ ns: NS, script: SCRIPT, log: (l) => console.log(`  [impair-link] ${l}`) });
console.log(`link up in ${(performance.now() - t0).toFixed(0)} ms: root ${link.hostIp} <-> ${link.nsIp} (in ${NS})`);
let server;
try {
  const echo = await nsNode(link, UDP_ECHO);
  const tcp = await nsNode(link, TCP_SERVER);

  console.log('\n1. no impairment (UDP, 300 x 200 B every 5 ms)');
  let r = await probe(link.nsIp, 9999, 300, 5);
  console.log(`  ${fmt(r)}`);
  check(r.lossPct === 0 && r.p50 < 5, 'no loss, median RTT < 5 ms');

  console.log('\n2. delay 100 ms each way (UDP, 100 every 10 ms)');
  await link.set({ delayMs: 100 }, { delayMs: 100 });
  r = await probe(link.nsIp, 9999, 100, 10);
  console.log(`  ${fmt(r)}`);
  check(r.lossPct === 0 && r.min >= 199 && r.p50 < 210, 'RTT 200-210 ms, no loss');

  console.log('\n3. 10% loss uplink (UDP, 2000 every 2 ms)');
  await link.set({ lossPercent: 10 }, {});
  await link.resetCounters();
  r = await probe(link.nsIp, 9999, 2000, 2);
  let c = await link.counters();
  console.log(`  ${fmt(r)}`);
  console.log(`  counters up ${JSON.stringify(c.up)}\n           down ${JSON.stringify(c.down)}`);
  check(r.lossPct > 7 && r.lossPct < 13, 'loss 7-13%');
  check(c.down.dropped === 0 && c.up.droppedLoss > 0, 'drops only on the uplink');

  console.log('\n4. 10% loss downlink in bursts of 5 (UDP, 2000 every 2 ms)');
  await link.set({}, { lossPercent: 10, lossBurst: 5 });
  r = await probe(link.nsIp, 9999, 2000, 2);
  console.log(`  ${fmt(r)}`);
  check(r.lossPct > 5 && r.lossPct < 15, 'loss 5-15%');

  console.log('\n5. delay 50 ms, jitter +-30 ms uniform, each way (UDP, 300 every 5 ms)');
  await link.set({ delayMs: 50, jitterMs: 30 }, { delayMs: 50, jitterMs: 30 });
  r = await probe(link.nsIp, 9999, 300, 5);
  console.log(`  ${fmt(r)}`);
  check(r.reordered === 0 && r.min >= 40 && r.max > r.min + 20, 'RTT spread, no reordering');
  await link.set({ delayMs: 50, jitterMs: 30, reorder: true }, { delayMs: 50, jitterMs: 30, reorder: true });
  r = await probe(link.nsIp, 9999, 300, 5);
  console.log(`  with reorder: ${fmt(r)}`);
  check(r.reordered > 0, 'reordering when asked');

  console.log('\n6. TCP across the link');
  await link.clear();
  let e = await tcpEcho(link.nsIp, 9998);
  console.log(`  clear: connect ${e.connectMs.toFixed(2)} ms, echo ${e.echoMs.toFixed(2)} ms`);
  check(e.ok, 'TCP echo');
  await link.set({ delayMs: 100 }, { delayMs: 100 });
  e = await tcpEcho(link.nsIp, 9998);
  console.log(`  delay 100+100: connect ${e.connectMs.toFixed(1)} ms, echo ${e.echoMs.toFixed(1)} ms`);
  check(e.ok && e.connectMs >= 199 && e.echoMs >= 199 && e.echoMs < 260, 'TCP connect and echo take one RTT');
  await link.clear();
  let d = await tcpDownload(link.nsIp, 9998, 4_000_000);
  console.log(`  download 4 MB, no limit: ${d.s.toFixed(2)} s, ${(d.kbit / 1000).toFixed(1)} Mbit/s`);
  await link.set({}, { rateKbit: 4000 });
  d = await tcpDownload(link.nsIp, 9998, 500_000);
  console.log(`  download 500 kB, downlink rate 4000 kbit/s: ${d.s.toFixed(2)} s, ${d.kbit.toFixed(0)} kbit/s`);
  check(d.got === 500_000 && d.kbit > 3000 && d.kbit < 4000, 'TCP goodput 3000-4000 kbit/s under a 4000 kbit/s limit');
  await link.set({ lossPercent: 5 }, { lossPercent: 5, delayMs: 20 });
  d = await tcpDownload(link.nsIp, 9998, 500_000);
  console.log(`  download 500 kB, 5% loss each way, 20 ms: ${d.s.toFixed(2)} s, ${d.kbit.toFixed(0)} kbit/s`);
  check(d.got === 500_000, 'TCP delivers everything through loss');
  await link.clear();
  echo.stdin.end();
  tcp.stdin.end();

  if (!process.argv.includes('--no-server')) {
    console.log(`\n7. room server (with Janus) inside the namespace, port ${PORT}`);
    if (!existsSync('build/server/index.js')) throw new Error('build/server/index.js missing: npm run build:server');
    const ts0 = performance.now();
    server = await startRoomServerInNamespace(link, PORT);
    console.log(
      `  started in ${(performance.now() - ts0).toFixed(0)} ms; base ${server.base}, nsBase ${server.nsBase}`,
    );
    for (const url of [`${server.nsBase}/health`, `${server.base}/health`]) {
      const res = await fetch(url);
      const body = await res.json();
      console.log(`  GET ${url} -> ${res.status} ${JSON.stringify(body).slice(0, 160)}`);
      check(res.status === 200 && body.janus === 'ok', `${url} answers, janus ok`);
    }
    const sig = await (await fetch(`${server.base}/dev/usersig?userId=alice`)).json();
    check(typeof sig.userSig === 'string', '/dev/usersig through the forwarders');
    const { default: WebSocket } = await import('ws');
    await link.set({ delayMs: 100 }, { delayMs: 100 });
    let t = performance.now();
    const res = await fetch(`${server.base}/health`);
    await res.text();
    const healthMs = performance.now() - t;
    t = performance.now();
    const ws = new WebSocket(server.ws);
    await new Promise((res2, rej) => {
      ws.once('open', res2);
      ws.once('error', rej);
    });
    const wsMs = performance.now() - t;
    ws.close();
    console.log(
      `  with delay 100+100: GET /health ${healthMs.toFixed(0)} ms (kept-alive connection), WebSocket open ${wsMs.toFixed(0)} ms (new connection)`,
    );
    check(healthMs >= 199 && wsMs >= 398, 'HTTP (1 RTT) and a new WebSocket (2 RTT) cross the impaired link');
    await link.clear();
    const janusLine = server
      .output()
      .split('\n')
      .filter((l) => /janus|ICE|ice/i.test(l))
      .slice(0, 4);
    for (const l of janusLine) console.log(`  server: ${l.trim()}`);
  }

  c = await link.counters();
  console.log(`\ncounters: up ${JSON.stringify(c.up)}\n          down ${JSON.stringify(c.down)}`);
} catch (err) {
  console.log(`FAIL ${err.stack ?? err}`);
  failures++;
} finally {
  const pids = nsExists()
    ? execFileSync('ip', ['netns', 'pids', NS], { encoding: 'utf8' }).split(/\s+/).filter(Boolean)
    : [];
  const t1 = performance.now();
  await server?.stop();
  await link.stop();
  console.log(
    `\n8. stop (${(performance.now() - t1).toFixed(0)} ms); processes that were in the namespace: ${pids.join(' ') || 'none'}`,
  );
  check(!nsExists() && !devExists(), 'namespace and TUN devices removed');
  check(
    pids.every((p) => !alive(p)),
    'no process of the namespace left',
  );
}

console.log('\n9. SIGKILL of the process that started the link and a room server');
{
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await new Promise((res, rej) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n')) res(JSON.parse(line));
    });
    child.once('exit', (code) => rej(new Error(`child exited ${code}`)));
  }).catch((err) => {
    console.log(`FAIL ${err.message}`);
    failures++;
    return { pids: [] };
  });
  console.log(`  child ${child.pid}: processes in the namespace ${info.pids.join(' ')}`);
  child.kill('SIGKILL');
  const t2 = performance.now();
  while ((nsExists() || devExists() || info.pids.some(alive)) && performance.now() - t2 < 20_000) await sleep(100);
  console.log(`  cleaned up ${(performance.now() - t2).toFixed(0)} ms after the kill`);
  check(!nsExists() && !devExists(), 'namespace and TUN devices removed');
  check(
    info.pids.every((p) => !alive(p)),
    'room server, Janus and forwarders gone',
  );
  const strays = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes('impair-link.py'));
  check(strays.length === 0, `no impair-link.py process left${strays.length ? ': ' + strays.join('; ') : ''}`);
}

console.log(failures ? `\n${failures} check(s) FAILED` : '\nall checks passed');
process.exit(failures ? 1 : 0);
