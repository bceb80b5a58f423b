// Client log upload (POST /v1/log) against the built room server (--no-janus): storage in a folder
// and on stdout, authentication, limits, CORS, the day cap and the /health counters.
// Each test sends from its own loopback address (127.0.0.N; Linux routes all of 127/8 to lo), so
// the per-address rate limit of one test does not spill into the next.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { truncateMessage } from '../../server/src/client-logs';
import { Code } from '../../server/src/protocol';
import { genSig } from '../../server/src/usersig';
import { KEY, SDK_APP_ID, sig, sleep, startServer, type RunningServer } from './support/harness';

jest.setTimeout(60_000);

let dirServer: RunningServer;
let stdoutServer: RunningServer;
let capServer: RunningServer;
let tmp: string;
let logDir: string;
let capDir: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'trtc-client-logs-'));
  logDir = join(tmp, 'logs', 'nested');
  capDir = join(tmp, 'capped');
  [dirServer, stdoutServer, capServer] = await Promise.all([
    startServer(['--no-janus', '--client-log-dir', logDir]),
    startServer(['--no-janus']),
    startServer(['--no-janus', '--client-log-dir', capDir, '--client-log-max-mb', '0.001']),
  ]);
});

afterAll(async () => {
  const codes = await Promise.all([dirServer.stop(), stdoutServer.stop(), capServer.stop()]);
  expect(codes).toEqual([0, 0, 0]);
  rmSync(tmp, { recursive: true, force: true });
});

let lastAddress = 10;
/** A loopback address no other test sends from. */
const newAddress = (): string => `127.0.0.${lastAddress++}`;

interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(
  server: RunningServer,
  opts: { method?: string; path?: string; body?: string; headers?: Record<string, string>; from?: string } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        method: opts.method ?? 'POST',
        path: opts.path ?? '/v1/log',
        localAddress: opts.from ?? '127.0.0.1',
        agent: false,
        headers: {
          'Content-Type': 'text/plain;charset=UTF-8',
          ...(opts.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(opts.body)) } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

interface Upload {
  sdkAppId: number;
  userId: string;
  userSig: string;
  roomId: number | string | null;
  sdkVersion: string;
  logs: { time: number; level: string; message: string }[];
}

const upload = (over: Partial<Record<keyof Upload, unknown>> = {}, userId = 'alice'): Upload => ({
  sdkAppId: SDK_APP_ID,
  userId,
  userSig: sig(userId),
  roomId: 1234,
  sdkVersion: '0.1.0',
  logs: [{ time: 1700000000123, level: 'INFO', message: 'hello' }],
  ...(over as Partial<Upload>),
});

const post = (
  server: RunningServer,
  body: unknown,
  from: string,
  headers?: Record<string, string>,
): Promise<HttpReply> => send(server, { body: typeof body === 'string' ? body : JSON.stringify(body), from, headers });

function expectCors(r: HttpReply): void {
  expect(r.headers['access-control-allow-origin']).toBe('*');
  expect(r.headers['access-control-allow-methods']).toBe('POST, OPTIONS');
  expect(r.headers['access-control-allow-headers']).toBe('Content-Type');
}

function expectError(r: HttpReply, status: number, code: number, message?: RegExp): void {
  expect(r.status).toBe(status);
  expectCors(r);
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(r.body) as { error: { code: number; message: string } };
  expect(body.error.code).toBe(code);
  if (message) expect(body.error.message).toMatch(message);
  expect(r.body).not.toContain(KEY);
}

async function health(server: RunningServer): Promise<Record<string, unknown>> {
  return (await (await fetch(`${server.http}/health`)).json()) as Record<string, unknown>;
}

interface Line {
  received: string;
  ip: string;
  sdkAppId: number;
  userId: string;
  roomId: number | string | null;
  sdkVersion: string;
  time: number;
  level: string;
  message: string;
}

/** Every line of every file in `dir`, with its file name. */
function readLines(dir: string): { file: string; line: Line }[] {
  const out: { file: string; line: Line }[] = [];
  for (const file of readdirSync(dir).sort()) {
    for (const text of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (text) out.push({ file, line: JSON.parse(text) as Line });
    }
  }
  return out;
}

/** Waits until the lines from `ip` satisfy `done` (the server writes through a stream). */
async function waitLines(dir: string, ip: string, done: (lines: Line[]) => boolean): Promise<Line[]> {
  const end = Date.now() + 5000;
  for (;;) {
    const lines = readLines(dir)
      .map((l) => l.line)
      .filter((l) => l.ip === ip);
    if (done(lines)) return lines;
    if (Date.now() > end) throw new Error(`timed out; lines from ${ip}: ${JSON.stringify(lines)}`);
    await sleep(20);
  }
}

async function waitOutput(server: RunningServer, pattern: RegExp): Promise<RegExpExecArray> {
  const end = Date.now() + 5000;
  for (;;) {
    const m = pattern.exec(server.output());
    if (m) return m;
    if (Date.now() > end) throw new Error(`${String(pattern)} not in the output:\n${server.output()}`);
    await sleep(20);
  }
}

describe('storage', () => {
  test('entries are appended as JSON lines to <dir>/client-<UTC date>.jsonl', async () => {
    const from = newAddress();
    const before = Date.now();
    const r = await post(
      dirServer,
      upload({
        logs: [
          { time: 1700000000123, level: 'INFO', message: 'joined\nsecond line' },
          { time: 1700000000456.5, level: 'ERROR', message: 'ICE failed: "x" ✓ 😀' },
        ],
      }),
      from,
    );
    expect(r.status).toBe(204);
    expect(r.body).toBe('');
    expectCors(r);
    const files = () => readLines(logDir).filter((l) => l.line.ip === from);
    const lines = await waitLines(logDir, from, (l) => l.length === 2);
    const received = lines[0]?.received ?? '';
    expect(Date.parse(received)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(received)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(received).toBe(new Date(Date.parse(received)).toISOString());
    expect(files()[0]?.file).toBe(`client-${received.slice(0, 10)}.jsonl`);
    expect(lines).toEqual([
      {
        received,
        ip: from,
        sdkAppId: SDK_APP_ID,
        userId: 'alice',
        roomId: 1234,
        sdkVersion: '0.1.0',
        time: 1700000000123,
        level: 'INFO',
        message: 'joined\nsecond line',
      },
      {
        received,
        ip: from,
        sdkAppId: SDK_APP_ID,
        userId: 'alice',
        roomId: 1234,
        sdkVersion: '0.1.0',
        time: 1700000000456.5,
        level: 'ERROR',
        message: 'ICE failed: "x" ✓ 😀',
      },
    ]);
    // Key order is part of the format.
    const raw = readFileSync(join(logDir, files()[0]?.file ?? ''), 'utf8').split('\n')[0] ?? '';
    expect(Object.keys(JSON.parse(raw) as object)).toEqual([
      'received',
      'ip',
      'sdkAppId',
      'userId',
      'roomId',
      'sdkVersion',
      'time',
      'level',
      'message',
    ]);
    expect(statSync(logDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(logDir, files()[0]?.file ?? '')).mode & 0o777).toBe(0o600);
  });

  test('string and null room ids, application/json, no Content-Type, empty logs', async () => {
    const from = newAddress();
    expect((await post(dirServer, upload({ roomId: 'my-room' }, 'bob'), from)).status).toBe(204);
    const json = await post(dirServer, upload({ roomId: null }, 'carol'), from, { 'Content-Type': 'application/json' });
    expect(json.status).toBe(204);
    const none = await send(dirServer, { body: JSON.stringify(upload({}, 'dave')), from, headers: {} });
    expect(none.status).toBe(204);
    const bare = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify(upload({}, 'erin'));
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: dirServer.port,
          method: 'POST',
          path: '/v1/log?x=1',
          localAddress: from,
          agent: false,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(bare).toBe(204);
    expect((await post(dirServer, upload({ logs: [] }, 'frank'), from)).status).toBe(204);
    const lines = await waitLines(logDir, from, (l) => l.length === 4);
    expect(lines.map((l) => [l.userId, l.roomId])).toEqual([
      ['bob', 'my-room'],
      ['carol', null],
      ['dave', 1234],
      ['erin', 1234],
    ]);
    const form = await post(dirServer, upload(), from, { 'Content-Type': 'application/x-www-form-urlencoded' });
    expectError(form, 415, Code.INVALID_PARAMETER, /Content-Type/);
  });

  test('without --client-log-dir each entry is one "client-log {json}" line on stdout', async () => {
    const from = newAddress();
    const r = await post(
      stdoutServer,
      upload({ roomId: 'r1', logs: [{ time: 1, level: 'WARN', message: 'to stdout\nstill one line' }] }),
      from,
    );
    expect(r.status).toBe(204);
    const m = await waitOutput(
      stdoutServer,
      new RegExp(`^client-log (\\{.*"ip":"${from.replace(/\./g, '\\.')}".*\\})$`, 'm'),
    );
    expect(JSON.parse(m[1] ?? '')).toEqual({
      received: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      ip: from,
      sdkAppId: SDK_APP_ID,
      userId: 'alice',
      roomId: 'r1',
      sdkVersion: '0.1.0',
      time: 1,
      level: 'WARN',
      message: 'to stdout\nstill one line',
    });
    expect(await health(stdoutServer)).toMatchObject({ clientLogs: { accepted: 1, dropped: 0 } });
  });

  test('a folder that cannot be created stops the server with exit code 1', async () => {
    await expect(startServer(['--no-janus', '--client-log-dir', '/dev/null/logs'])).rejects.toThrow(
      /exited \(1\)[\s\S]*cannot create --client-log-dir/,
    );
  });

  test('a write error is logged once, drops entries and does not stop the server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trtc-client-logs-gone-'));
    const server = await startServer(['--no-janus', '--client-log-dir', dir]);
    rmSync(dir, { recursive: true });
    const from = newAddress();
    // The first entry is queued before the open fails, so it is lost uncounted; later ones are dropped.
    expect((await post(server, upload(), from)).status).toBe(204);
    await waitOutput(server, /client logs: cannot write .*ENOENT/);
    expect((await post(server, upload(), from)).status).toBe(204);
    expect((await post(server, upload(), from)).status).toBe(204);
    const h = await health(server);
    expect(h).toMatchObject({ status: 'ok', clientLogs: { accepted: 1, dropped: 2 } });
    expect(server.output().match(/cannot write/g)).toHaveLength(1);
    expect(await server.stop()).toBe(0);
  });
});

describe('authentication', () => {
  test('a bad UserSig is 403 with its 70xxx code', async () => {
    const from = newAddress();
    const cases: [string, Upload, number][] = [
      ['other key', upload({ userSig: genSig(SDK_APP_ID, 'another-key', 'alice', 3600) }), Code.SIG_MISMATCH],
      ['other user', upload({ userSig: sig('mallory') }), Code.SIG_USERID_MISMATCH],
      ['expired', upload({ userSig: sig('alice', 10, Math.floor(Date.now() / 1000) - 100) }), Code.SIG_EXPIRED],
      ['empty', upload({ userSig: '' }), Code.SIG_EMPTY],
      ['garbage', upload({ userSig: 'eJw_not_a_sig' }), Code.SIG_MALFORMED],
      ['other app', upload({ userSig: genSig(1400000002, KEY, 'alice', 3600) }), Code.SIG_SDKAPPID_MISMATCH],
    ];
    for (const [, body, code] of cases) expectError(await post(dirServer, body, from), 403, code);
  });

  test("an sdkAppId that is not the server's is 403 with -8", async () => {
    const from = newAddress();
    const body = upload({ sdkAppId: 1400000002, userSig: genSig(1400000002, KEY, 'alice', 3600) });
    expectError(await post(dirServer, body, from), 403, Code.SDKAPPID_INVALID, /1400000002/);
  });

  test('nothing of a refused upload is stored', async () => {
    const from = newAddress();
    const before = (await health(dirServer)).clientLogs;
    expectError(await post(dirServer, upload({ userSig: sig('mallory') }), from), 403, Code.SIG_USERID_MISMATCH);
    expect((await health(dirServer)).clientLogs).toEqual(before);
    await sleep(100);
    expect(readLines(logDir).filter((l) => l.line.ip === from)).toEqual([]);
  });
});

describe('limits and validation', () => {
  test('a body over 64 KiB is 413 (4013); exactly 64 KiB is accepted', async () => {
    const from = newAddress();
    const over = JSON.stringify(upload({ logs: [{ time: 1, level: 'INFO', message: 'x'.repeat(70_000) }] }));
    const r = await post(dirServer, over, from);
    expectError(r, 413, Code.MESSAGE_TOO_LARGE);
    expect(r.headers.connection).toBe('close');
    const base = JSON.stringify(upload({ logs: [{ time: 1, level: 'DEBUG', message: '' }] }));
    const exact = JSON.stringify(
      upload({ logs: [{ time: 1, level: 'DEBUG', message: 'y'.repeat(64 * 1024 - Buffer.byteLength(base)) }] }),
    );
    expect(Buffer.byteLength(exact)).toBe(64 * 1024);
    expect((await post(dirServer, exact, from)).status).toBe(204);
  });

  test('a chunked body is answered 413 as soon as it passes 64 KiB, without waiting for the rest', async () => {
    const reply = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: dirServer.port, localAddress: newAddress() });
      let data = '';
      socket.on('data', (d: Buffer) => (data += d.toString()));
      socket.on('error', () => resolve(data));
      socket.on('close', () => resolve(data));
      const chunk = Buffer.alloc(70 * 1024, 'z');
      socket.write(
        'POST /v1/log HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n' +
          `${chunk.length.toString(16)}\r\n`,
      );
      socket.write(chunk);
      socket.write('\r\n'); // and never the last chunk: the server must not wait for it
    });
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toMatch(/access-control-allow-origin: \*/i);
    expect(reply).toContain(`"code":${Code.MESSAGE_TOO_LARGE}`);
  });

  test('malformed JSON and non-objects are 400 (4096)', async () => {
    const from = newAddress();
    expectError(await post(dirServer, '{"sdkAppId": 1400000001,', from), 400, Code.INVALID_PARAMETER, /JSON/);
    expectError(await post(dirServer, '', from), 400, Code.INVALID_PARAMETER, /JSON/);
    expectError(await post(dirServer, '[1,2]', from), 400, Code.INVALID_PARAMETER, /object/);
  });

  test('at most 100 entries per request', async () => {
    const from = newAddress();
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ time: i, level: 'DEBUG', message: `m${i}` }));
    expectError(await post(dirServer, upload({ logs: entries(101) }), from), 400, Code.INVALID_PARAMETER, /100/);
    expect((await post(dirServer, upload({ logs: entries(100) }), from)).status).toBe(204);
    const lines = await waitLines(logDir, from, (l) => l.length === 100);
    expect(lines[99]?.message).toBe('m99');
  });

  test.each([
    [
      'a bad level',
      {
        logs: [
          { time: 1, level: 'INFO', message: 'ok' },
          { time: 1, level: 'TRACE', message: 'm' },
        ],
      },
      /logs\[1\]\.level/,
    ],
    ['a lowercase level', { logs: [{ time: 1, level: 'info', message: 'm' }] }, /logs\[0\]\.level/],
    ['a string time', { logs: [{ time: '1700000000000', level: 'INFO', message: 'm' }] }, /logs\[0\]\.time/],
    ['a missing time', { logs: [{ level: 'INFO', message: 'm' }] }, /logs\[0\]\.time/],
    ['a non-string message', { logs: [{ time: 1, level: 'INFO', message: 42 }] }, /logs\[0\]\.message/],
    ['an entry that is not an object', { logs: ['hello'] }, /logs\[0\]/],
    ['logs not an array', { logs: { 0: 'x' } }, /logs/],
    ['an object roomId', { roomId: { id: 1 } }, /roomId/],
    ['a fractional roomId', { roomId: 1.5 }, /roomId/],
    ['a boolean roomId', { roomId: true }, /roomId/],
    ['a numeric sdkVersion', { sdkVersion: 1 }, /sdkVersion/],
    ['a string sdkAppId', { sdkAppId: '1400000001' }, /sdkAppId/],
    ['an empty userId', { userId: '' }, /userId/],
  ])('%s is 400 (4096) naming the field', async (_, over, message) => {
    const r = await post(dirServer, upload(over as Partial<Record<keyof Upload, unknown>>), newAddress());
    expectError(r, 400, Code.INVALID_PARAMETER, message);
  });

  test('a message over 4096 characters is truncated with a marker', async () => {
    const from = newAddress();
    const long = 'a'.repeat(4000) + 'b'.repeat(1000);
    expect((await post(dirServer, upload({ logs: [{ time: 5, level: 'WARN', message: long }] }), from)).status).toBe(
      204,
    );
    const [line] = await waitLines(logDir, from, (l) => l.length === 1);
    expect(line?.message).toBe(`${'a'.repeat(4000)}${'b'.repeat(96)}… [truncated 904 characters]`);
    // A surrogate pair on the boundary is not split.
    const emoji = `${'c'.repeat(4095)}😀tail`;
    expect(truncateMessage(emoji)).toBe(`${'c'.repeat(4095)}… [truncated 6 characters]`);
    expect(truncateMessage('x'.repeat(4096))).toBe('x'.repeat(4096));
  });

  test('more than 10 requests per second from one address are 429 (4029); other addresses are not affected', async () => {
    const from = newAddress();
    const statuses: number[] = [];
    let limited: HttpReply | undefined;
    for (let i = 0; i < 12; i++) {
      const r = await post(dirServer, upload(), from);
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    expect(statuses).toEqual([...Array<number>(10).fill(204), 429, 429]);
    expectError(limited as HttpReply, 429, Code.RATE_LIMITED);
    expect((await post(dirServer, upload(), newAddress())).status).toBe(204);
    await sleep(1100);
    expect((await post(dirServer, upload(), from)).status).toBe(204);
  });
});

describe('CORS', () => {
  test('OPTIONS preflight is 204 with the CORS headers', async () => {
    const r = await send(dirServer, {
      method: 'OPTIONS',
      from: newAddress(),
      headers: {
        Origin: 'https://app.example.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(r.status).toBe(204);
    expect(r.body).toBe('');
    expectCors(r);
  });

  test('other methods are 405 with Allow and the CORS headers', async () => {
    const r = await send(dirServer, { method: 'GET', from: newAddress() });
    expectError(r, 405, Code.UNKNOWN_METHOD);
    expect(r.headers.allow).toBe('POST, OPTIONS');
  });
});

describe('day cap and /health', () => {
  test('/health counts accepted entries and keeps its other fields', async () => {
    const before = await health(dirServer);
    expect(before).toMatchObject({ status: 'ok', janus: 'disabled', rooms: 0, connections: 0 });
    expect(Object.keys(before)).toEqual([
      'status',
      'janus',
      'version',
      'uptimeSeconds',
      'rooms',
      'connections',
      'clientLogs',
    ]);
    const { accepted, dropped } = before.clientLogs as { accepted: number; dropped: number };
    const logs = Array.from({ length: 3 }, () => ({ time: 1, level: 'INFO', message: 'count me' }));
    expect((await post(dirServer, upload({ logs }), newAddress())).status).toBe(204);
    expect((await health(dirServer)).clientLogs).toEqual({ accepted: accepted + 3, dropped });
  });

  test('beyond --client-log-max-mb entries are dropped, counted, and warned about once', async () => {
    const from = newAddress();
    const logs = Array.from({ length: 10 }, (_, i) => ({ time: i, level: 'INFO', message: `entry ${i}` }));
    expect((await post(capServer, upload({ logs }), from)).status).toBe(204);
    expect((await post(capServer, upload({ logs }), from)).status).toBe(204);
    const counts = (await health(capServer)).clientLogs as { accepted: number; dropped: number };
    expect(counts.accepted).toBeGreaterThan(0);
    expect(counts.dropped).toBeGreaterThan(0);
    expect(counts.accepted + counts.dropped).toBe(20);
    const lines = await waitLines(capDir, from, (l) => l.length === counts.accepted);
    expect(lines.map((l) => l.message)).toEqual(logs.slice(0, counts.accepted).map((e) => e.message));
    const file = readdirSync(capDir)[0] ?? '';
    expect(statSync(join(capDir, file)).size).toBeLessThanOrEqual(Math.floor(0.001 * 1024 * 1024));
    await waitOutput(capServer, /reached the cap/);
    expect(capServer.output().match(/reached the cap/g)).toHaveLength(1);
  });
});
