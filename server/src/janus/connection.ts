// A client of the Janus JSON API over its WebSocket transport: one session, many plugin handles,
// transactions matched to replies, asynchronous plugin events routed to their handle, keepalive.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';

import WebSocket from 'ws';

export interface Jsep {
  type: 'offer' | 'answer';
  sdp: string;
}

/** Everything Janus sends; only the fields this server reads are typed. */
export interface JanusMessage {
  janus: string;
  transaction?: string;
  session_id?: number;
  sender?: number;
  data?: { id?: number } & Record<string, unknown>;
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: Jsep;
  error?: { code: number; reason: string };
  candidate?: { sdpMid?: string; sdpMLineIndex?: number; candidate?: string; completed?: boolean };
  reason?: string;
  type?: string;
  receiving?: boolean;
  mid?: string;
}

export class JanusError extends Error {
  override readonly name = 'JanusError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Plugin event of a handle: the plugin's data plus an optional JSEP, or a core event. */
export interface HandleEvent {
  kind: 'plugin' | 'webrtcup' | 'hangup' | 'media' | 'trickle' | 'detached' | 'slowlink';
  data?: Record<string, unknown>;
  jsep?: Jsep;
  message: JanusMessage;
}

interface Pending {
  resolve: (m: JanusMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  /** Plugin messages answer with "ack" first, then an "event" with the same transaction. */
  async: boolean;
}

const REQUEST_TIMEOUT_MS = 10_000;
const KEEPALIVE_MS = 25_000;

export class JanusConnection extends EventEmitter {
  private ws?: WebSocket;
  private sessionId = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly handles = new Map<number, (e: HandleEvent) => void>();
  private keepalive?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly apiSecret: string,
  ) {
    super();
  }

  get session(): number {
    return this.sessionId;
  }

  get isOpen(): boolean {
    return !this.closed && this.ws?.readyState === WebSocket.OPEN && this.sessionId !== 0;
  }

  /** Connects and creates the session. Rejects if Janus does not answer. */
  async open(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(this.url, 'janus-protocol', { maxPayload: 8 * 1024 * 1024 });
      this.ws = ws;
      ws.once('open', () => resolve());
      ws.once('error', (e) => reject(e));
      ws.on('message', (raw) => this.onMessage(raw.toString()));
      ws.on('close', () => this.onClose());
    });
    const reply = await this.send({ janus: 'create' });
    this.sessionId = Number(reply.data?.id);
    this.keepalive = setInterval(() => {
      this.send({ janus: 'keepalive', session_id: this.sessionId }).catch(() => undefined);
    }, KEEPALIVE_MS);
    this.keepalive.unref();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepalive);
    this.ws?.close();
    this.failAll(new JanusError(-1, 'Janus connection closed'));
  }

  /** Attaches a VideoRoom handle; `onEvent` gets every event Janus sends about it. */
  async attach(onEvent: (e: HandleEvent) => void): Promise<number> {
    const reply = await this.send({ janus: 'attach', plugin: 'janus.plugin.videoroom', session_id: this.sessionId });
    const id = Number(reply.data?.id);
    this.handles.set(id, onEvent);
    return id;
  }

  async detach(handleId: number): Promise<void> {
    this.handles.delete(handleId);
    if (!this.isOpen) return;
    await this.send({ janus: 'detach', session_id: this.sessionId, handle_id: handleId }).catch(() => undefined);
  }

  /**
   * Sends a plugin request. Synchronous VideoRoom requests (create, destroy, kick, list…) resolve
   * with their "success" data; asynchronous ones (join, publish, configure, start, update…) with
   * the event that answers them. A plugin error (`error_code`) rejects with a JanusError.
   */
  async message(
    handleId: number,
    body: Record<string, unknown>,
    jsep?: Jsep,
  ): Promise<{ data: Record<string, unknown>; jsep?: Jsep }> {
    const msg: Record<string, unknown> = {
      janus: 'message',
      session_id: this.sessionId,
      handle_id: handleId,
      body,
    };
    if (jsep) msg.jsep = jsep;
    const reply = await this.send(msg, true);
    const data = reply.plugindata?.data ?? {};
    if (typeof data.error_code === 'number') {
      throw new JanusError(data.error_code, String(data.error ?? 'VideoRoom error'));
    }
    return { data, jsep: reply.jsep };
  }

  async trickle(handleId: number, candidate: Record<string, unknown> | null): Promise<void> {
    await this.send({
      janus: 'trickle',
      session_id: this.sessionId,
      handle_id: handleId,
      candidate: candidate ?? { completed: true },
    });
  }

  private send(msg: Record<string, unknown>, async = false): Promise<JanusMessage> {
    const ws = this.ws;
    if (this.closed || !ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new JanusError(-1, 'Janus is not connected'));
    }
    const transaction = randomBytes(9).toString('base64url');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(transaction);
        reject(new JanusError(-2, `Janus did not answer "${String(msg.janus)}" within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(transaction, { resolve, reject, timer, async });
      ws.send(JSON.stringify({ ...msg, transaction, apisecret: this.apiSecret }));
    });
  }

  private onMessage(text: string): void {
    let m: JanusMessage;
    try {
      m = JSON.parse(text) as JanusMessage;
    } catch {
      return;
    }
    const p = m.transaction !== undefined ? this.pending.get(m.transaction) : undefined;
    if (p) {
      if (m.janus === 'ack' && p.async) return;
      if (m.janus === 'error') {
        this.settle(m.transaction as string);
        p.reject(new JanusError(m.error?.code ?? -1, m.error?.reason ?? 'Janus error'));
        return;
      }
      if (m.janus === 'success' || m.janus === 'ack' || m.janus === 'event') {
        this.settle(m.transaction as string);
        p.resolve(m);
        return;
      }
    }
    if (m.sender === undefined) return;
    const handler = this.handles.get(m.sender);
    if (!handler) return;
    switch (m.janus) {
      case 'event':
        handler({ kind: 'plugin', data: m.plugindata?.data ?? {}, jsep: m.jsep, message: m });
        break;
      case 'webrtcup':
      case 'hangup':
      case 'media':
      case 'trickle':
      case 'slowlink':
        handler({ kind: m.janus, message: m });
        break;
      case 'detached':
        this.handles.delete(m.sender);
        handler({ kind: 'detached', message: m });
        break;
      default:
        break;
    }
  }

  private settle(transaction: string): void {
    const p = this.pending.get(transaction);
    if (p) clearTimeout(p.timer);
    this.pending.delete(transaction);
  }

  private failAll(e: Error): void {
    for (const [t, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(e);
      this.pending.delete(t);
    }
  }

  private onClose(): void {
    clearInterval(this.keepalive);
    this.failAll(new JanusError(-1, 'Janus connection closed'));
    this.handles.clear();
    const wasOpen = this.sessionId !== 0;
    this.sessionId = 0;
    if (wasOpen && !this.closed) this.emit('close');
    this.closed = true;
  }
}
