// The SDK's side of the room server protocol (docs/protocol.md, version 1): one WebSocket,
// requests matched to replies, server events, a heartbeat, and reconnection with backoff that
// resumes the same room membership with the session token.
import { Emitter } from '../core/emitter';
import { ErrorCode, RtcError, type ErrorCodeValue } from '../errors';

/** Protocol version this SDK speaks. */
export const PROTOCOL_VERSION = 1;

/** `connection-state-changed` states of TRTC v4. */
export type ConnectionState = 'DISCONNECTED' | 'CONNECTING' | 'RECONNECTING' | 'CONNECTED';

/** The subset of the browser WebSocket this channel uses (the `ws` package fits it too). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export interface SignalChannelOptions {
  /** The room server's WebSocket URL, e.g. `ws://127.0.0.1:8080/rtc`. */
  url: string;
  /** Creates the socket (default: the browser's WebSocket). */
  createSocket?: WebSocketFactory;
  /** Reply timeout of one request (default 10 s): then API_CALL_TIMEOUT. */
  requestTimeoutMs?: number;
  /** Interval of the `ping` heartbeat while connected (default 10 s; 0 disables it). */
  heartbeatMs?: number;
  /** Reconnection attempts before SIGNAL_CHANNEL_RECONNECTION_FAILED (default 30, as TRTC v4). */
  maxRetries?: number;
  /** Delay before reconnection attempt `n` (0-based), in ms. Default: 500 ms doubling to 8 s. */
  backoffMs?: (attempt: number) => number;
}

/** A server error reply, before it is mapped to an {@link RtcError}. */
export interface ServerError {
  code: number;
  message: string;
}

export interface SignalChannelEvents {
  /** A server event `{event, data}`. */
  event: { name: string; data: unknown };
  'state-changed': { prevState: ConnectionState; state: ConnectionState };
  /** Reconnected and resumed: the server's snapshot of the membership. */
  resumed: unknown;
  /** The channel gave up (reconnection failed, session expired, or banned): it is closed. */
  failed: RtcError;
}

/** Close codes after which reconnecting is pointless. */
const FINAL_CLOSE_CODES = new Set([4001, 1008, 1009]);

/** Room-server codes that map to an SDK code whatever the method. */
const DIRECT_CODES: Record<number, ErrorCodeValue> = {
  4096: ErrorCode.INVALID_PARAMETER,
  4097: ErrorCode.INVALID_OPERATION,
  16400: ErrorCode.REMOTE_STREAM_NOT_EXIST,
  16449: ErrorCode.SERVER_TIMEOUT,
  16458: ErrorCode.SWITCH_ROLE_FAILED,
};

/**
 * Maps a room-server error reply to an RtcError: join/resume failures are JOIN_ROOM_FAILED with the
 * server code as extraCode (as TRTC v4 reports -10012, 70001…); codes with an SDK twin keep it;
 * the rest are INVALID_OPERATION (the server refused the operation) with the server code as extraCode.
 */
export function toRtcError(method: string, e: ServerError): RtcError {
  const message = `${method}: ${e.message}`;
  if (method === 'join' || method === 'resume') {
    return new RtcError({ code: ErrorCode.JOIN_ROOM_FAILED, message, extraCode: e.code });
  }
  const direct = DIRECT_CODES[e.code];
  if (direct !== undefined) return new RtcError({ code: direct, message, extraCode: e.code });
  if (method === 'switchRole') return new RtcError({ code: ErrorCode.SWITCH_ROLE_FAILED, message, extraCode: e.code });
  return new RtcError({ code: ErrorCode.INVALID_OPERATION, message, extraCode: e.code });
}

interface Pending {
  method: string;
  resolve: (r: unknown) => void;
  reject: (e: RtcError) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class SignalChannel extends Emitter<SignalChannelEvents> {
  private ws?: WebSocketLike;
  private state_: ConnectionState = 'DISCONNECTED';
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private sessionToken?: string;
  private heartbeat?: ReturnType<typeof setInterval>;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private attempts = 0;
  private closedByUser = false;
  /** True while a reconnected socket resumes the session (requests may flow before CONNECTED). */
  private resuming = false;
  private readonly opts: Required<SignalChannelOptions>;

  constructor(options: SignalChannelOptions) {
    super();
    this.opts = {
      createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
      requestTimeoutMs: 10_000,
      heartbeatMs: 10_000,
      maxRetries: 30,
      backoffMs: (n) => Math.min(500 * 2 ** n, 8000),
      ...options,
    };
  }

  get state(): ConnectionState {
    return this.state_;
  }

  /** Remembers the session token of the current membership, so a reconnect can resume it. */
  setSession(token: string | undefined): void {
    this.sessionToken = token;
  }

  /** Opens the socket and waits for the server's welcome. Rejects with SIGNAL_CHANNEL_SETUP_FAILED. */
  async connect(): Promise<void> {
    if (this.state_ === 'CONNECTED') return;
    this.closedByUser = false;
    this.setState('CONNECTING');
    try {
      await this.open();
      this.setState('CONNECTED');
    } catch (e) {
      this.setState('DISCONNECTED');
      throw e;
    }
  }

  /** Sends a request; resolves with its result or rejects with a mapped RtcError. */
  request<T = Record<string, unknown>>(method: string, params?: unknown, timeoutMs?: number): Promise<T> {
    const ws = this.ws;
    if (!ws || (this.state_ !== 'CONNECTED' && !this.resuming) || ws.readyState !== 1) {
      return Promise.reject(
        new RtcError({ code: ErrorCode.SIGNAL_CHANNEL_ERROR, message: `${method}: not connected to the room server` }),
      );
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new RtcError({ code: ErrorCode.API_CALL_TIMEOUT, message: `${method}: the room server did not answer` }),
        );
      }, timeoutMs ?? this.opts.requestTimeoutMs);
      this.pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Closes for good (leave/destroy): no reconnection. */
  close(): void {
    this.closedByUser = true;
    this.abortOpen?.();
    this.abortOpen = undefined;
    clearTimeout(this.retryTimer);
    this.stopHeartbeat();
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.onclose = null;
      ws.close(1000, 'closed by the client');
    }
    this.failPending('the signaling channel was closed');
    this.setState('DISCONNECTED');
  }

  /** Rejects the pending `open()` (when `close()` is called while connecting). */
  private abortOpen?: () => void;

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      let welcomed = false;
      let ws: WebSocketLike;
      try {
        ws = this.opts.createSocket(this.opts.url);
      } catch (e) {
        reject(this.setupError(`cannot open ${this.opts.url}`, e));
        return;
      }
      this.ws = ws;
      const timer = setTimeout(() => {
        ws.close();
        reject(this.setupError(`no answer from ${this.opts.url}`));
      }, this.opts.requestTimeoutMs);
      this.abortOpen = () => {
        clearTimeout(timer);
        reject(
          new RtcError({ code: ErrorCode.API_CALL_ABORTED, message: 'connecting to the room server was aborted' }),
        );
      };
      ws.onmessage = (ev) => {
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(String(ev.data)) as Record<string, unknown>;
        } catch {
          return;
        }
        if (!welcomed) {
          if (msg.event !== 'welcome') return;
          welcomed = true;
          clearTimeout(timer);
          this.abortOpen = undefined;
          const data = (msg.data ?? {}) as { protocol?: number };
          if (data.protocol !== PROTOCOL_VERSION) {
            ws.close();
            reject(
              this.setupError(`the room server speaks protocol ${String(data.protocol)}, this SDK ${PROTOCOL_VERSION}`),
            );
            return;
          }
          this.startHeartbeat();
          resolve();
          return;
        }
        this.onMessage(msg);
      };
      ws.onclose = (ev) => {
        clearTimeout(timer);
        if (!welcomed) {
          reject(
            this.setupError(`failed to connect to remote server via websocket (${this.opts.url}, close ${ev.code})`),
          );
          return;
        }
        if (this.ws === ws) this.onUnexpectedClose(ev.code);
      };
      ws.onerror = () => undefined;
    });
  }

  private setupError(message: string, cause?: unknown): RtcError {
    return new RtcError({ code: ErrorCode.SIGNAL_CHANNEL_SETUP_FAILED, message, cause });
  }

  private onMessage(msg: Record<string, unknown>): void {
    if (typeof msg.event === 'string') {
      this.emit('event', { name: msg.event, data: msg.data });
      return;
    }
    const id = msg.id;
    const p = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!p) return;
    this.pending.delete(id as number);
    clearTimeout(p.timer);
    const err = msg.error as ServerError | undefined;
    if (err && typeof err.code === 'number') p.reject(toRtcError(p.method, err));
    else p.resolve(msg.result ?? {});
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    if (this.opts.heartbeatMs <= 0) return;
    this.heartbeat = setInterval(() => {
      // A lost reply means a dead socket: close it and let reconnection take over.
      this.request('ping', undefined, this.opts.heartbeatMs).catch(() => {
        if (this.state_ === 'CONNECTED') this.ws?.close();
      });
    }, this.opts.heartbeatMs);
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private failPending(message: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RtcError({ code: ErrorCode.SIGNAL_CHANNEL_ERROR, message: `${p.method}: ${message}` }));
      this.pending.delete(id);
    }
  }

  private onUnexpectedClose(code: number): void {
    this.stopHeartbeat();
    this.ws = undefined;
    this.failPending(`the connection to the room server closed (${code})`);
    if (this.closedByUser) return;
    if (FINAL_CLOSE_CODES.has(code) || !this.sessionToken) {
      this.setState('DISCONNECTED');
      if (code !== 4001) {
        this.emit(
          'failed',
          new RtcError({
            code: ErrorCode.SIGNAL_CHANNEL_ERROR,
            message: `the room server closed the connection (${code})`,
          }),
        );
      }
      return;
    }
    // A drop while connected starts a fresh series of attempts; a drop while resuming continues it.
    if (this.state_ !== 'RECONNECTING') this.attempts = 0;
    this.setState('RECONNECTING');
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.attempts >= this.opts.maxRetries) {
      this.setState('DISCONNECTED');
      this.emit(
        'failed',
        new RtcError({
          code: ErrorCode.SIGNAL_CHANNEL_RECONNECTION_FAILED,
          message: `SignalChannel reconnect failed after ${this.opts.maxRetries} attempts: check the network and join again`,
        }),
      );
      return;
    }
    const delay = this.opts.backoffMs(this.attempts++);
    this.retryTimer = setTimeout(() => void this.retry(), delay);
  }

  private async retry(): Promise<void> {
    if (this.closedByUser) return;
    try {
      await this.open();
    } catch {
      this.scheduleRetry();
      return;
    }
    this.resuming = true;
    let snapshot: unknown;
    try {
      snapshot = await this.request('resume', { protocol: PROTOCOL_VERSION, sessionToken: this.sessionToken });
    } catch (e) {
      this.resuming = false;
      const err = e as RtcError;
      if (err.getCode() === ErrorCode.JOIN_ROOM_FAILED) {
        // The server no longer knows this membership (grace period over): give up.
        this.close();
        this.emit(
          'failed',
          new RtcError({
            code: ErrorCode.SIGNAL_CHANNEL_RECONNECTION_FAILED,
            message: `the room server ended the session while disconnected: join again (${err.message})`,
            extraCode: err.getExtraCode(),
          }),
        );
        return;
      }
      this.ws?.close(); // the close handler schedules the next attempt
      return;
    }
    this.resuming = false;
    this.startHeartbeat();
    this.setState('CONNECTED');
    this.emit('resumed', snapshot);
  }

  private setState(state: ConnectionState): void {
    if (state === this.state_) return;
    const prevState = this.state_;
    this.state_ = state;
    this.emit('state-changed', { prevState, state });
  }
}
