// Starts the real room server (build/server/index.js) as a child process and talks to it like a
// client would: WebSocket signaling with `ws`, HTTP with fetch.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

import WebSocket from 'ws';

import { genPrivateMapKey, genSig } from '../../../server/src/usersig';

export const SDK_APP_ID = 1400000001;
export const KEY = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const ROOT = resolve(__dirname, '../../..');

export interface RunningServer {
  port: number;
  http: string;
  ws: string;
  proc: ChildProcess;
  output: () => string;
  stop: () => Promise<number | null>;
}

export async function startServer(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  const proc = spawn(
    process.execPath,
    ['build/server/index.js', '--port', '0', '--sdk-app-id', String(SDK_APP_ID), '--secret-key', KEY, ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const port = await new Promise<number>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`server did not start:\n${out}`)), 20_000);
    const check = (): void => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        res(Number(m[1]));
      }
    };
    proc.stdout?.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(t);
      rej(new Error(`server exited (${code}):\n${out}`));
    });
  });
  return {
    port,
    http: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${port}/rtc`,
    proc,
    output: () => out,
    stop: () =>
      new Promise((res) => {
        if (proc.exitCode !== null) return res(proc.exitCode);
        proc.once('exit', (code) => res(code));
        proc.kill('SIGTERM');
      }),
  };
}

export const sig = (userId: string, expire = 3600, now?: number): string =>
  genSig(SDK_APP_ID, KEY, userId, expire, undefined, now);

export const pmk = (userId: string, room: number | string, privileges: number, expire = 3600): string =>
  genPrivateMapKey(SDK_APP_ID, KEY, userId, expire, room, privileges);

export interface Reply {
  id: unknown;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

export interface ServerEvent {
  event: string;
  data: Record<string, unknown>;
}

export class Client {
  readonly events: ServerEvent[] = [];
  readonly replies: Reply[] = [];
  private nextId = 1;
  private readonly waiters: { match: (m: ServerEvent | Reply) => boolean; resolve: (m: never) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as ServerEvent & Reply;
      if (m.event !== undefined) this.events.push(m);
      else this.replies.push(m);
      for (const w of [...this.waiters]) {
        if (w.match(m)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m as never);
        }
      }
    });
    this.closed = new Promise((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString() })));
  }

  static async connect(url: string): Promise<Client> {
    const ws = new WebSocket(url);
    const c = new Client(ws);
    await c.waitEvent('welcome');
    return c;
  }

  private wait<T extends ServerEvent | Reply>(
    match: (m: ServerEvent | Reply) => boolean,
    what: string,
    ms: number,
  ): Promise<T> {
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error(`timed out waiting for ${what}`)), ms);
      this.waiters.push({
        match,
        resolve: (m: never) => {
          clearTimeout(t);
          res(m);
        },
      });
    });
  }

  /** Sends a request and resolves with the whole reply ({result} or {error}). */
  call(method: string, params?: unknown): Promise<Reply> {
    const id = this.nextId++;
    const p = this.wait<Reply>((m) => (m as Reply).id === id, `reply to ${method}`, 15_000);
    this.ws.send(JSON.stringify({ id, method, params }));
    return p;
  }

  /** Like call, but throws when the reply is an error. */
  async ok(method: string, params?: unknown): Promise<Record<string, unknown>> {
    const r = await this.call(method, params);
    if (r.error) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
    return r.result ?? {};
  }

  /** Sends raw text or bytes; resolves with the next reply that has id null. */
  raw(data: string | Buffer, binary = false): Promise<Reply> {
    const p = this.wait<Reply>((m) => 'error' in m && (m as Reply).id === null, 'an error reply', 5000);
    this.ws.send(data, { binary });
    return p;
  }

  waitEvent(
    name: string,
    pred: (d: Record<string, unknown>) => boolean = () => true,
    ms = 10_000,
  ): Promise<ServerEvent> {
    const seen = this.events.find((e) => e.event === name && pred(e.data));
    if (seen) return Promise.resolve(seen);
    return this.wait<ServerEvent>((m) => (m as ServerEvent).event === name && pred((m as ServerEvent).data), name, ms);
  }

  has(name: string, pred: (d: Record<string, unknown>) => boolean = () => true): boolean {
    return this.events.some((e) => e.event === name && pred(e.data));
  }

  close(): void {
    this.ws.close();
  }
}

export async function joined(
  server: RunningServer,
  userId: string,
  roomId: number | string,
  extra: Record<string, unknown> = {},
): Promise<{ client: Client; result: Record<string, unknown> }> {
  const client = await Client.connect(server.ws);
  const result = await client.ok('join', {
    sdkAppId: SDK_APP_ID,
    userId,
    userSig: sig(userId),
    roomId,
    useStringRoomId: typeof roomId === 'string',
    ...extra,
  });
  return { client, result };
}

/** A syntactically complete audio-only offer: Janus answers it, but ICE never connects. */
export function fakeOffer(): string {
  const fp = Array.from(randomBytes(32))
    .map((b) => b.toString(16).padStart(2, '0').toUpperCase())
    .join(':');
  return [
    'v=0',
    `o=- ${Date.now()} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=msid-semantic: WMS',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    `a=ice-ufrag:${randomBytes(4).toString('hex')}`,
    `a=ice-pwd:${randomBytes(12).toString('hex')}`,
    'a=ice-options:trickle',
    `a=fingerprint:sha-256 ${fp}`,
    'a=setup:actpass',
    'a=mid:0',
    'a=sendonly',
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    '',
  ].join('\r\n');
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
