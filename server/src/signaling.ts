// The SDK's WebSocket endpoint (/rtc): JSON requests {id, method, params}, replies {id, result} or
// {id, error:{code, message}}, events {event, data}. Every message is size-checked, parsed,
// rate-limited and validated before it reaches the room logic; nothing a client sends can throw
// past this file.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

import { WebSocketServer, type RawData, type WebSocket } from 'ws';

import { JanusError } from './janus/connection.js';

import {
  Code,
  Limits,
  Params,
  PROTOCOL_VERSION,
  ProtocolError,
  validateRoomId,
  type BannedReason,
  type StreamType,
} from './protocol.js';
import type { ClientLink, Member, RoomService } from './rooms.js';

const STREAM_TYPES = ['main', 'aux'] as const;
const ROLES = ['anchor', 'audience'] as const;
const HEARTBEAT_MS = 15_000;
/** Hard cap: ws closes the connection (1009) above this; below it, over MESSAGE_BYTES gets an error reply. */
const MAX_FRAME_BYTES = 1024 * 1024;
/** Requests in one second after which the connection is closed as a flood (1008). */
const FLOOD_CLOSE = 10 * Limits.REQUESTS_PER_SECOND;

type Handler = (c: ClientConnection, p: Params) => unknown;

export class SignalingServer {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<ClientConnection>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    readonly service: RoomService,
    readonly version: string,
    readonly log: (line: string) => void,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
    this.heartbeat = setInterval(() => {
      for (const c of this.connections) c.heartbeat();
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Takes over an HTTP upgrade request for /rtc. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const c = new ClientConnection(this, ws);
      this.connections.add(c);
      ws.on('close', () => {
        this.connections.delete(c);
        c.onClose();
      });
    });
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const c of this.connections) c.ws.terminate();
    this.wss.close();
  }
}

class ClientConnection implements ClientLink {
  member?: Member;
  private alive = true;
  private window = { start: 0, count: 0 };

  constructor(
    readonly server: SignalingServer,
    readonly ws: WebSocket,
  ) {
    ws.on('pong', () => (this.alive = true));
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('error', () => undefined);
    this.send({ event: 'welcome', data: { protocol: PROTOCOL_VERSION, server: server.version } });
  }

  heartbeat(): void {
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  event(name: string, data: unknown): void {
    this.send({ event: name, data });
  }

  ban(reason: BannedReason, message: string): void {
    this.member = undefined;
    this.send({ event: 'client-banned', data: { reason, message } });
    this.ws.close(4001, 'client-banned');
  }

  onClose(): void {
    const m = this.member;
    this.member = undefined;
    if (m) this.server.service.disconnected(m);
  }

  private send(msg: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private replyError(id: unknown, code: number, message: string): void {
    this.send({ id: id ?? null, error: { code, message } });
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    const now = Date.now();
    if (now - this.window.start >= 1000) this.window = { start: now, count: 0 };
    if (++this.window.count > FLOOD_CLOSE) {
      this.ws.close(1008, 'message flood');
      return;
    }
    if (size > Limits.MESSAGE_BYTES) {
      this.replyError(null, Code.MESSAGE_TOO_LARGE, `message is ${size} bytes; the limit is ${Limits.MESSAGE_BYTES}`);
      return;
    }
    if (isBinary) {
      this.replyError(null, Code.MALFORMED_MESSAGE, 'binary frames are not part of the protocol; send JSON text');
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString());
    } catch {
      this.replyError(null, Code.MALFORMED_MESSAGE, 'message is not valid JSON');
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      this.replyError(null, Code.MALFORMED_MESSAGE, 'message must be a JSON object {id, method, params}');
      return;
    }
    const { id, method, params } = msg as Record<string, unknown>;
    const idOk = (typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.length <= 64);
    if (!idOk) {
      this.replyError(null, Code.MALFORMED_MESSAGE, 'id must be a number or a string of at most 64 characters');
      return;
    }
    if (this.window.count > Limits.REQUESTS_PER_SECOND) {
      this.replyError(id, Code.RATE_LIMITED, `more than ${Limits.REQUESTS_PER_SECOND} requests per second`);
      return;
    }
    if (typeof method !== 'string') {
      this.replyError(id, Code.MALFORMED_MESSAGE, 'method must be a string');
      return;
    }
    const handler = Object.hasOwn(HANDLERS, method) ? HANDLERS[method] : undefined;
    if (!handler) {
      this.replyError(id, Code.UNKNOWN_METHOD, `unknown method "${method.slice(0, 64)}"`);
      return;
    }
    let result: unknown;
    try {
      result = handler(this, Params.of(params, method));
    } catch (e) {
      this.fail(id, method, e);
      return;
    }
    Promise.resolve(result).then(
      (r) => {
        this.send({ id, result: stripInternal(r) ?? {} });
      },
      (e: unknown) => this.fail(id, method, e),
    );
  }

  private fail(id: unknown, method: string, e: unknown): void {
    if (e instanceof ProtocolError) {
      this.replyError(id, e.code, e.message);
    } else if (e instanceof JanusError) {
      // The media server refused or is gone: a negative code is the connection, else its answer.
      if (e.code < 0) this.replyError(id, Code.MEDIA_SERVER_UNAVAILABLE, `media server: ${e.message}`);
      else this.replyError(id, Code.INVALID_OPERATION, `media server refused ${method}: ${e.message} (${e.code})`);
    } else {
      this.server.log(`internal error in ${method}: ${(e as Error)?.stack ?? String(e)}`);
      this.replyError(id, Code.INTERNAL, 'internal server error');
    }
  }

  joined(): Member {
    if (!this.member) throw new ProtocolError(Code.INVALID_OPERATION, 'join a room first');
    return this.member;
  }
}

function stripInternal(r: unknown): unknown {
  if (r && typeof r === 'object' && 'done' in r) {
    const { done: _done, ...rest } = r as Record<string, unknown>;
    void _done;
    return rest;
  }
  return r;
}

const HANDLERS: Record<string, Handler> = {
  ping: () => ({ time: Date.now() }),

  join(c, p) {
    if (c.member) throw new ProtocolError(Code.INVALID_OPERATION, 'already joined: leave first');
    checkProtocol(p);
    const sdkAppId = p.int('sdkAppId', 0, 4294967295);
    const userId = p.string('userId', { maxBytes: Limits.USER_ID_BYTES });
    if (userId.length === 0) throw new ProtocolError(Code.INVALID_PARAMETER, 'join: userId must not be empty');
    const userSig = p.string('userSig', { maxBytes: 4096 });
    const useStringRoomId = p.bool('useStringRoomId', false);
    const roomId = validateRoomId(p.raw('roomId'), useStringRoomId);
    const mode = p.oneOf('mode', ['rtc', 'live'] as const, 'rtc');
    const role = p.oneOf('role', ROLES, 'anchor');
    const privateMapKey = p.string('privateMapKey', { maxBytes: 4096, optional: true });
    const { member, snapshot } = c.server.service.join(
      { sdkAppId, userId, userSig, roomId, mode, role, privateMapKey },
      c,
    );
    c.member = member;
    return snapshot;
  },

  resume(c, p) {
    if (c.member) throw new ProtocolError(Code.INVALID_OPERATION, 'already joined');
    checkProtocol(p);
    const { member, snapshot } = c.server.service.resume(p.string('sessionToken', { maxBytes: 128 }), c);
    c.member = member;
    return snapshot;
  },

  leave(c) {
    const m = c.joined();
    c.member = undefined;
    c.server.service.leave(m);
    return {};
  },

  switchRole(c, p) {
    const m = c.joined();
    const role = p.oneOf('role', ROLES);
    c.server.service.switchRole(m, role, p.string('privateMapKey', { maxBytes: 4096, optional: true }));
    return { role: m.role };
  },

  updatePrivateMapKey(c, p) {
    const m = c.joined();
    return { privileges: c.server.service.updatePrivateMapKey(m, p.string('privateMapKey', { maxBytes: 4096 })) };
  },

  publish(c, p) {
    const m = c.joined();
    const streamType = p.oneOf('streamType', STREAM_TYPES, 'main');
    const sdp = p.sdp('sdp');
    return c.server.service.publish(m, streamType, sdp, { audio: p.bool('audio', true), video: p.bool('video', true) });
  },

  unpublish(c, p) {
    c.server.service.unpublish(c.joined(), p.oneOf('streamType', STREAM_TYPES, 'main'));
    return {};
  },

  trickle(c, p) {
    const m = c.joined();
    const target = p.oneOf('target', ['main', 'aux', 'sub'] as const);
    c.server.service.trickle(m, target, p.candidate('candidate'));
    return {};
  },

  mute(c, p) {
    const m = c.joined();
    const streamType = p.oneOf('streamType', STREAM_TYPES, 'main');
    const kind = p.oneOf('kind', ['audio', 'video'] as const);
    c.server.service.setMuted(m, streamType, kind, p.bool('muted', true));
    return {};
  },

  subscribe(c, p) {
    const m = c.joined();
    const { userId, streamType } = remoteStream(p);
    return c.server.service.subscribe(m, userId, streamType, {
      audio: p.bool('audio', true),
      video: p.bool('video', true),
      small: p.bool('small', false),
    });
  },

  unsubscribe(c, p) {
    const m = c.joined();
    const { userId, streamType } = remoteStream(p);
    return c.server.service.unsubscribe(m, userId, streamType);
  },

  subscriberAnswer(c, p) {
    c.server.service.subscriberAnswer(c.joined(), p.sdp('sdp'));
    return {};
  },

  restartIce(c, p) {
    const m = c.joined();
    const target = p.oneOf('target', ['main', 'aux', 'sub'] as const);
    if (target === 'sub') return c.server.service.restartSubscriberIce(m);
    return c.server.service.restartPublisherIce(m, target, p.sdp('sdp'));
  },

  resetSubscriber(c) {
    c.server.service.clientResetSubscriber(c.joined());
    return {};
  },

  async setRemoteVideoStreamType(c, p) {
    const m = c.joined();
    const { userId, streamType } = remoteStream(p);
    const type = p.oneOf('type', ['big', 'small'] as const);
    await c.server.service.setRemoteVideoStreamType(m, userId, streamType, type === 'small');
    return {};
  },

  sendCustomMessage(c, p) {
    const m = c.joined();
    const cmdId = p.int('cmdId', 1, 10);
    const data = p.string('data', { maxBytes: 4 * Limits.CUSTOM_MESSAGE_BYTES });
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) {
      throw new ProtocolError(Code.INVALID_PARAMETER, 'sendCustomMessage: data must be base64');
    }
    return { seq: c.server.service.sendCustomMessage(m, cmdId, data) };
  },
};

/** The `{userId, streamType}` of a remote stream, as subscribe-side methods take it. */
function remoteStream(p: Params): { userId: string; streamType: StreamType } {
  return {
    userId: p.string('userId', { maxBytes: Limits.USER_ID_BYTES }),
    streamType: p.oneOf('streamType', STREAM_TYPES, 'main'),
  };
}

function checkProtocol(p: Params): void {
  const protocol = p.raw('protocol');
  if (protocol !== undefined && protocol !== PROTOCOL_VERSION) {
    throw new ProtocolError(
      Code.UNSUPPORTED_VERSION,
      `protocol ${String(protocol)} is not supported; this server speaks ${PROTOCOL_VERSION}`,
    );
  }
}
