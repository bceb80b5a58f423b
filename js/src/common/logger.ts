// The SDK's log: console output filtered by level, and an optional upload of recent lines to the
// room server (`POST /v1/log`, see docs/server.md), batched and retried.
import { VERSION } from '../version';

/** `TRTC.Logger.LogLevel`: the same values as TRTC v4. */
export const LogLevel = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, NONE: 5 } as const;
/** One of {@link LogLevel}. */
export type LogLevelValue = (typeof LogLevel)[keyof typeof LogLevel];

const NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

interface Entry {
  time: number;
  level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  message: string;
}

/** Where uploaded lines go: set by a Client when it joins. */
export interface UploadTarget {
  url: string;
  sdkAppId: number;
  userId: string;
  userSig: string;
  roomId: number | string | null;
}

const BATCH = 50;
const INTERVAL_MS = 2000;
const MAX_QUEUE = 1000;
const MAX_MESSAGE = 4096;
const MAX_BATCH_BYTES = 60_000;

let level: LogLevelValue = LogLevel.INFO;
let uploadEnabled = false;
let target: UploadTarget | undefined;
let queue: Entry[] = [];
let timer: ReturnType<typeof setInterval> | undefined;
let failures = 0;

function format(args: unknown[]): string {
  return args
    .map((a) => {
      if (typeof a === 'string') return a;
      if (a instanceof Error) return a.toString();
      try {
        return JSON.stringify(a);
      } catch {
        return String(a);
      }
    })
    .join(' ');
}

function write(lv: 0 | 1 | 2 | 3 | 4, args: unknown[]): void {
  if (lv >= level) {
    const line = `[TRTC] ${NAMES[lv]} ${new Date().toISOString()}`;
    const out = lv >= 4 ? console.error : lv === 3 ? console.warn : lv === 2 ? console.info : console.debug;
    out(line, ...args);
  }
  if (uploadEnabled && lv >= 1) {
    const message = format(args);
    queue.push({
      time: Date.now(),
      level: NAMES[lv] as Entry['level'],
      message: message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE) : message,
    });
    if (queue.length > MAX_QUEUE) queue.splice(0, queue.length - MAX_QUEUE);
  }
}

/** The SDK's internal log. */
export const log = {
  trace: (...a: unknown[]) => write(0, a),
  debug: (...a: unknown[]) => write(1, a),
  info: (...a: unknown[]) => write(2, a),
  warn: (...a: unknown[]) => write(3, a),
  error: (...a: unknown[]) => write(4, a),
};

async function flush(): Promise<void> {
  if (!target || queue.length === 0) return;
  // At most 50 lines and about 60 KB per request (the server refuses bodies over 64 KiB).
  const batch: Entry[] = [];
  let bytes = 0;
  for (const e of queue) {
    const size = e.message.length * 3 + 64;
    if (batch.length >= BATCH || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) break;
    batch.push(e);
    bytes += size;
  }
  const { url, sdkAppId, userId, userSig, roomId } = target;
  const body = JSON.stringify({ sdkAppId, userId, userSig, roomId, sdkVersion: VERSION, logs: batch });
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body });
    // 4xx: the server refuses these lines (bad signature, too big): drop them rather than retry.
    if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429)) {
      queue.splice(0, batch.length);
      failures = 0;
      return;
    }
    throw new Error(`HTTP ${res.status}`);
  } catch {
    // 3 retries of a batch, then it is dropped.
    if (++failures >= 3) {
      queue.splice(0, batch.length);
      failures = 0;
    }
  }
}

function updateTimer(): void {
  const want = uploadEnabled && target !== undefined;
  if (want && !timer) timer = setInterval(() => void flush(), INTERVAL_MS);
  if (!want && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}

/** Called by a Client: where to upload, or `undefined` after leaving (pending lines are sent first). */
export function setUploadTarget(t: UploadTarget | undefined): void {
  if (!t && target) void flush();
  target = t;
  updateTimer();
}

/** `TRTC.Logger`: log level and log upload, as in TRTC v4. */
export const Logger = {
  LogLevel,
  /**
   * Sets the console log level: `TRTC.Logger.setLogLevel(TRTC.Logger.LogLevel.DEBUG)`. Default INFO.
   * Values outside 0–5 are ignored.
   */
  setLogLevel(newLevel: LogLevelValue): void {
    if (Number.isInteger(newLevel) && newLevel >= 0 && newLevel <= 5) level = newLevel;
  },
  /**
   * Uploads the SDK's log lines (DEBUG and above) to the room server the client joined, in batches
   * of at most 50 lines every 2 s, signed with the client's UserSig. Off by default: nothing leaves
   * the browser unless the app calls this.
   */
  enableUploadLog(): void {
    uploadEnabled = true;
    updateTimer();
  },
  /** Stops uploading and drops lines not yet sent. */
  disableUploadLog(): void {
    uploadEnabled = false;
    queue = [];
    updateTimer();
  },
};
