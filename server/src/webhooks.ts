// Event callbacks (TRTC "event callbacks", room group 1 and media group 2): a JSON POST per event,
// signed with Sign = base64(HMAC-SHA256(callbackKey, body)). Delivery never blocks signaling:
// events go into a queue, each is tried at once, retried at once, then every 10 s, and given up
// 60 s after the first attempt. A request without a 2xx answer within 5 s is a failure.
import { createHmac } from 'node:crypto';

import type { RoomId } from './protocol.js';

export const EventType = {
  CREATE_ROOM: 101,
  DISMISS_ROOM: 102,
  ENTER_ROOM: 103,
  EXIT_ROOM: 104,
  CHANGE_ROLE: 105,
  START_VIDEO: 201,
  STOP_VIDEO: 202,
  START_AUDIO: 203,
  STOP_AUDIO: 204,
  START_ASSIT: 205,
  STOP_ASSIT: 206,
} as const;

/** `Role` in EventInfo: anchor 20, audience 21. */
export const ROLE_CODE = { anchor: 20, audience: 21 } as const;

export interface EventInfo {
  RoomId: RoomId;
  UserId?: string;
  Role?: number;
  TerminalType?: number;
  UserType?: number;
  Reason?: number;
}

export interface WebhookOptions {
  url: string;
  key?: string;
  sdkAppId: number;
  /** Delays of the retries after the first attempt, in ms (default: 0, then every 10 s to 60 s). */
  retryDelaysMs?: number[];
  timeoutMs?: number;
  log: (line: string) => void;
}

export function signBody(key: string, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64');
}

const DEFAULT_RETRIES = [0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000];

export class WebhookSender {
  private inFlight = 0;
  private delivered = 0;
  private failed = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly opts: WebhookOptions) {}

  get stats(): { inFlight: number; delivered: number; failed: number } {
    return { inFlight: this.inFlight, delivered: this.delivered, failed: this.failed };
  }

  /** Queues one event; returns at once. */
  emit(eventType: number, info: EventInfo): void {
    const nowMs = Date.now();
    const body = JSON.stringify({
      EventGroupId: eventType < 200 ? 1 : 2,
      EventType: eventType,
      CallbackTs: nowMs,
      EventInfo: { ...info, EventTs: Math.floor(nowMs / 1000), EventMsTs: nowMs },
    });
    this.inFlight++;
    void this.attempt(body, 0, nowMs);
  }

  /** Cancels pending retries (server shutdown). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private async attempt(body: string, n: number, firstMs: number): Promise<void> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      SdkAppId: String(this.opts.sdkAppId),
    };
    if (this.opts.key) headers.Sign = signBody(this.opts.key, body);
    let ok = false;
    let why = '';
    try {
      const res = await fetch(this.opts.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000),
      });
      ok = res.ok;
      why = `HTTP ${res.status}`;
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      why = (e as Error).message;
    }
    if (ok) {
      this.inFlight--;
      this.delivered++;
      return;
    }
    const delays = this.opts.retryDelaysMs ?? DEFAULT_RETRIES;
    const next = delays[n];
    if (next === undefined) {
      this.inFlight--;
      this.failed++;
      this.opts.log(`callback dropped after ${n + 1} attempts (${why}): ${body.slice(0, 120)}`);
      return;
    }
    const wait = Math.max(0, firstMs + next - Date.now());
    const t = setTimeout(() => {
      this.timers.delete(t);
      void this.attempt(body, n + 1, firstMs);
    }, wait);
    this.timers.add(t);
  }
}
