// Client log upload (docs/server.md, "Client log upload"): POST /v1/log with a JSON body of log
// entries, sent by the SDK after the app calls TRTC.Logger.enableUploadLog(), authenticated with
// the user's UserSig. Entries go to <dir>/client-<UTC date>.jsonl, capped per day, or without a
// folder to stdout. Nothing here may block or crash signaling: files are written through an
// append stream with a bounded backlog, write errors are logged once, and handle() never rejects
// for anything a client sends.
import { createWriteStream, mkdirSync, statSync, type WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { finished } from 'node:stream';

import { Code, Limits } from './protocol.js';
import { SigError, verifySig } from './usersig.js';

export const CLIENT_LOG_PATH = '/v1/log';

export const ClientLogLimits = {
  /** Bytes of one request body; a bigger one gets 413 and is not read further. */
  BODY_BYTES: 64 * 1024,
  ENTRIES: 100,
  /** Characters of one message; longer ones are cut here and get a marker. */
  MESSAGE_CHARS: 4096,
  /** Requests per client IP in a one-second window. */
  REQUESTS_PER_SECOND: 10,
  SDK_VERSION_CHARS: 64,
} as const;

const LEVELS: readonly string[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];
const CONTENT_TYPES: readonly string[] = ['', 'text/plain', 'application/json'];
/** Written-but-not-yet-flushed bytes above which entries are dropped: a stuck disk must not eat memory. */
const MAX_BACKLOG_BYTES = 8 * 1024 * 1024;
/** After a write error, the day's file is opened again at the earliest this much later. */
const REOPEN_AFTER_MS = 60_000;
/** How long close() waits for the file to be flushed. */
const CLOSE_TIMEOUT_MS = 2000;

export interface ClientLogReply {
  /** 204 on success, else an HTTP error status with `error`. */
  status: number;
  error?: { code: number; message: string };
  /** The body was not read: answer with `Connection: close`. */
  close?: boolean;
  headers?: Record<string, string>;
}

export interface ClientLogOptions {
  sdkAppId: number;
  secretKey: string;
  /** Folder of the daily files; undefined = print each entry on stdout. */
  dir?: string;
  /** Cap of one day's file in MiB. */
  maxMb: number;
  /** Prints one line on stdout (the entries when there is no folder). */
  print: (line: string) => void;
  /** Prints a warning on stderr. */
  warn: (line: string) => void;
  now?: () => number;
}

interface Entry {
  time: number;
  level: string;
  message: string;
}

interface Upload {
  sdkAppId: number;
  userId: string;
  roomId: number | string | null;
  sdkVersion: string;
  logs: Entry[];
}

class UploadError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string): UploadError => new UploadError(400, Code.INVALID_PARAMETER, message);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keeps the first MESSAGE_CHARS characters (without splitting a surrogate pair) and says how much was cut. */
export function truncateMessage(message: string): string {
  if (message.length <= ClientLogLimits.MESSAGE_CHARS) return message;
  let cut = ClientLogLimits.MESSAGE_CHARS;
  const last = message.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${message.slice(0, cut)}… [truncated ${message.length - cut} characters]`;
}

function clientIp(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? '';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

/** Reads the body up to `max` bytes; stops reading (and pauses the request) as soon as it is over. */
function readBody(req: IncomingMessage, max: number): Promise<string | 'too large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (v: string): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
      resolve(v);
    };
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > max) {
        req.pause();
        done('too large');
        return;
      }
      chunks.push(c);
    };
    const onEnd = (): void => done(Buffer.concat(chunks).toString('utf8'));
    const onAbort = (): void => done('aborted');
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}

/** Fixed one-second windows per key, like the signaling rate limit. */
class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(private readonly perSecond: number) {}

  allow(key: string, now: number): boolean {
    if (now - this.lastSweep >= 10_000) {
      this.lastSweep = now;
      for (const [k, w] of this.windows) if (now - w.start >= 1000) this.windows.delete(k);
    }
    let w = this.windows.get(key);
    if (!w || now - w.start >= 1000) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    return ++w.count <= this.perSecond;
  }
}

/** The day's file `client-<YYYY-MM-DD>.jsonl`, appended through a stream, with a byte cap per day. */
class DailyFile {
  private day = '';
  private path = '';
  private stream?: WriteStream;
  private bytes = 0;
  private failedAt = Number.NEGATIVE_INFINITY;
  private capWarned = false;
  private errorWarned = false;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    private readonly warn: (line: string) => void,
    private readonly now: () => number,
  ) {}

  /** Queues one line for the file of `day`; false when it is dropped (cap, write error, backlog). */
  append(day: string, line: string): boolean {
    if (this.closed) return false;
    if (day !== this.day) this.rotate(day);
    let stream = this.stream;
    if (!stream) {
      if (this.now() - this.failedAt < REOPEN_AFTER_MS) return false;
      stream = this.open();
    }
    const n = Buffer.byteLength(line);
    if (this.bytes + n > this.maxBytes) {
      if (!this.capWarned) {
        this.capWarned = true;
        this.warn(
          `client logs: ${this.path} reached the cap of ${this.maxBytes} bytes (--client-log-max-mb); ` +
            `further entries of ${this.day} are dropped`,
        );
      }
      return false;
    }
    if (stream.writableLength > MAX_BACKLOG_BYTES) return false;
    stream.write(line);
    this.bytes += n;
    return true;
  }

  close(): Promise<void> {
    this.closed = true;
    const s = this.stream;
    this.stream = undefined;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, CLOSE_TIMEOUT_MS);
      t.unref();
      finished(s, () => {
        clearTimeout(t);
        resolve();
      });
      s.end();
    });
  }

  private rotate(day: string): void {
    this.stream?.end();
    this.stream = undefined;
    this.day = day;
    this.path = join(this.dir, `client-${day}.jsonl`);
    this.failedAt = Number.NEGATIVE_INFINITY;
    this.capWarned = false;
    this.errorWarned = false;
  }

  private open(): WriteStream {
    const path = this.path;
    // The size the file already has (after a restart) counts toward the cap. One stat per open.
    try {
      this.bytes = statSync(path).size;
    } catch {
      this.bytes = 0;
    }
    const s = createWriteStream(path, { flags: 'a', mode: 0o600 });
    s.on('error', (e) => {
      if (this.stream === s) {
        this.stream = undefined;
        this.failedAt = this.now();
      }
      if (!this.errorWarned && path === this.path) {
        this.errorWarned = true;
        this.warn(`client logs: cannot write ${path}: ${e.message}; entries are dropped, retrying every 60 s`);
      }
    });
    this.stream = s;
    return s;
  }
}

/** POST /v1/log: checks, authenticates and stores uploaded client logs; counts what it kept. */
export class ClientLogService {
  private accepted = 0;
  private dropped = 0;
  private readonly limiter = new RateLimiter(ClientLogLimits.REQUESTS_PER_SECOND);
  private readonly file?: DailyFile;
  private readonly now: () => number;

  /** Creates the folder (mode 0700) if there is one; throws when that fails. */
  constructor(private readonly opts: ClientLogOptions) {
    this.now = opts.now ?? Date.now;
    if (opts.dir !== undefined) {
      mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
      this.file = new DailyFile(opts.dir, Math.floor(opts.maxMb * 1024 * 1024), opts.warn, this.now);
    }
  }

  /** Entries stored (or printed), and entries dropped because of the day cap or a write error. */
  get stats(): { accepted: number; dropped: number } {
    return { accepted: this.accepted, dropped: this.dropped };
  }

  /** Flushes the day's file (at most 2 s). Later uploads are dropped. */
  close(): Promise<void> {
    return this.file?.close() ?? Promise.resolve();
  }

  async handle(req: IncomingMessage): Promise<ClientLogReply> {
    const fail = (status: number, code: number, message: string, close = false): ClientLogReply => ({
      status,
      error: { code, message },
      close,
    });
    // The preflight of a POST with Content-Type: application/json; browsers may cache it.
    if (req.method === 'OPTIONS') return { status: 204, headers: { 'Access-Control-Max-Age': '86400' } };
    if (req.method !== 'POST') {
      return {
        ...fail(405, Code.UNKNOWN_METHOD, `${CLIENT_LOG_PATH} takes POST (and OPTIONS)`, true),
        headers: { Allow: 'POST, OPTIONS' },
      };
    }
    const ip = clientIp(req);
    if (!this.limiter.allow(ip, this.now())) {
      return fail(
        429,
        Code.RATE_LIMITED,
        `more than ${ClientLogLimits.REQUESTS_PER_SECOND} log uploads per second from this address`,
        true,
      );
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!CONTENT_TYPES.includes(type)) {
      return fail(415, Code.INVALID_PARAMETER, 'Content-Type must be text/plain or application/json', true);
    }
    const tooLarge = fail(413, Code.MESSAGE_TOO_LARGE, `body over ${ClientLogLimits.BODY_BYTES} bytes`, true);
    if (Number(req.headers['content-length'] ?? 0) > ClientLogLimits.BODY_BYTES) return tooLarge;
    const body = await readBody(req, ClientLogLimits.BODY_BYTES);
    if (body === 'too large') return tooLarge;
    if (body === 'aborted') return fail(400, Code.INVALID_PARAMETER, 'the request body was cut off', true);
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch {
      return fail(400, Code.INVALID_PARAMETER, 'body is not valid JSON');
    }
    let upload: Upload;
    try {
      upload = this.check(doc);
    } catch (e) {
      if (e instanceof UploadError) return fail(e.status, e.code, e.message);
      throw e;
    }
    this.store(ip, upload);
    return { status: 204 };
  }

  /** Type checks, then the UserSig, then the rest: an unauthenticated caller learns nothing about the entries. */
  private check(doc: unknown): Upload {
    if (!isObject(doc)) throw invalid('body must be a JSON object');
    const { sdkAppId, userId, userSig, roomId, sdkVersion, logs } = doc;
    if (typeof sdkAppId !== 'number' || !Number.isInteger(sdkAppId) || sdkAppId < 0 || sdkAppId > 4294967295) {
      throw invalid('sdkAppId must be an integer in [0, 4294967295]');
    }
    if (typeof userId !== 'string' || userId.length === 0 || Buffer.byteLength(userId) > Limits.USER_ID_BYTES) {
      throw invalid(`userId must be a string of 1–${Limits.USER_ID_BYTES} bytes`);
    }
    if (typeof userSig !== 'string') throw invalid('userSig must be a string');
    if (this.opts.sdkAppId === 0) {
      throw new UploadError(403, Code.SDKAPPID_INVALID, 'this server has no sdkAppId/secretKey configured');
    }
    if (sdkAppId !== this.opts.sdkAppId) {
      throw new UploadError(403, Code.SDKAPPID_INVALID, `sdkAppId ${sdkAppId} is not served here`);
    }
    try {
      verifySig(userSig, { sdkAppId: this.opts.sdkAppId, key: this.opts.secretKey, userId });
    } catch (e) {
      if (e instanceof SigError) throw new UploadError(403, e.code, e.message);
      throw e;
    }
    let room: number | string | null = null;
    if (typeof roomId === 'number' && Number.isSafeInteger(roomId)) room = roomId;
    else if (typeof roomId === 'string' && Buffer.byteLength(roomId) <= Limits.STRING_ROOM_ID_BYTES) room = roomId;
    else if (roomId !== null && roomId !== undefined) {
      throw invalid(`roomId must be an integer, a string of at most ${Limits.STRING_ROOM_ID_BYTES} bytes, or null`);
    }
    if (typeof sdkVersion !== 'string' || sdkVersion.length > ClientLogLimits.SDK_VERSION_CHARS) {
      throw invalid(`sdkVersion must be a string of at most ${ClientLogLimits.SDK_VERSION_CHARS} characters`);
    }
    if (!Array.isArray(logs)) throw invalid('logs must be an array');
    if (logs.length > ClientLogLimits.ENTRIES) {
      throw invalid(`logs has ${logs.length} entries; at most ${ClientLogLimits.ENTRIES} per request`);
    }
    const entries = logs.map((e: unknown, i): Entry => {
      if (!isObject(e)) throw invalid(`logs[${i}] must be an object`);
      const { time, level, message } = e;
      if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) {
        throw invalid(`logs[${i}].time must be a number of milliseconds since the epoch`);
      }
      if (typeof level !== 'string' || !LEVELS.includes(level)) {
        throw invalid(`logs[${i}].level must be one of ${LEVELS.join(', ')}`);
      }
      if (typeof message !== 'string') throw invalid(`logs[${i}].message must be a string`);
      return { time, level, message };
    });
    return { sdkAppId, userId, roomId: room, sdkVersion, logs: entries };
  }

  private store(ip: string, u: Upload): void {
    const received = new Date(this.now()).toISOString();
    const day = received.slice(0, 10);
    for (const e of u.logs) {
      const line = JSON.stringify({
        received,
        ip,
        sdkAppId: u.sdkAppId,
        userId: u.userId,
        roomId: u.roomId,
        sdkVersion: u.sdkVersion,
        time: e.time,
        level: e.level,
        message: truncateMessage(e.message),
      });
      if (!this.file) {
        this.opts.print(`client-log ${line}`);
        this.accepted++;
      } else if (this.file.append(day, `${line}\n`)) {
        this.accepted++;
      } else {
        this.dropped++;
      }
    }
  }
}
