import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';

import { ADMIN_PREFIX, handleAdmin } from './admin.js';
import { CLIENT_LOG_PATH, type ClientLogReply, type ClientLogService } from './client-logs.js';
import type { ServerConfig } from './config.js';
import { Code, validateRoomId, type RoomId } from './protocol.js';
import type { RoomService } from './rooms.js';
import type { SignalingServer } from './signaling.js';
import { serveStatic } from './static-files.js';
import { genPrivateMapKey, genSig } from './usersig.js';

const MAX_BODY_BYTES = 64 * 1024;

export interface HttpDeps {
  service: RoomService;
  signaling: SignalingServer;
  /** 'ok', 'down', or 'disabled' (--no-janus). */
  janusState: () => 'ok' | 'down' | 'disabled';
  clientLogs: ClientLogService;
}

/** On every answer of /v1/log: apps are often served from another origin than the room server. */
const CLIENT_LOG_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
};

/**
 * The room server's HTTP side: /health, the SDK's WebSocket at /rtc, the REST admin API, client
 * log upload, the dev-only UserSig endpoint, and static files (the demo and the built SDK).
 */
export function createHttpServer(config: ServerConfig, version: string, deps: HttpDeps): Server {
  const started = Date.now();
  const server = createServer((req, res) => {
    let url: URL;
    let pathname: string;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
      pathname = decodeURIComponent(url.pathname);
    } catch {
      sendJson(res, 400, { error: { code: 'BAD_REQUEST', message: 'malformed URL' } });
      return;
    }
    if (pathname === '/health') {
      const janus = deps.janusState();
      sendJson(res, janus === 'down' ? 503 : 200, {
        status: janus === 'down' ? 'degraded' : 'ok',
        janus,
        version,
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
        rooms: deps.service.rooms.size,
        connections: deps.signaling.connectionCount,
        clientLogs: deps.clientLogs.stats,
      });
      return;
    }
    if (pathname === CLIENT_LOG_PATH) {
      deps.clientLogs.handle(req).then(
        (reply) => sendClientLogReply(res, reply),
        () => sendClientLogReply(res, { status: 500, error: { code: Code.INTERNAL, message: 'internal error' } }),
      );
      return;
    }
    if (pathname.startsWith(ADMIN_PREFIX)) {
      readBody(req)
        .then((body) => {
          const reply = handleAdmin(
            deps.service,
            config.secretKey,
            req.method ?? 'GET',
            url.pathname,
            body,
            req.headers.authorization,
          );
          sendJson(res, reply.status, reply.body);
        })
        .catch((e: Error) => {
          if (!res.headersSent) {
            sendJson(res, e.message === 'too large' ? 413 : 400, {
              Response: { Error: { Code: 'InvalidParameter', Message: `request body: ${e.message}` } },
            });
          }
        });
      return;
    }
    if (pathname === '/dev/usersig' && config.devUsersig) {
      devUsersig(config, url, res);
      return;
    }
    if (pathname === '/rtc') {
      sendJson(res, 426, { error: { code: 'UPGRADE_REQUIRED', message: '/rtc is a WebSocket endpoint' } });
      return;
    }
    serveStatic(config.staticMounts, req, res, pathname)
      .then((served) => {
        if (!served) sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no such path: ${pathname}` } });
      })
      .catch(() => {
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
      });
  });
  server.on('upgrade', (req, socket, head) => {
    let pathname = '';
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      // falls through to the refusal below
    }
    if (pathname !== '/rtc') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    deps.signaling.handleUpgrade(req, socket, head);
  });
  return server;
}

/** GET /dev/usersig?userId=…[&expire=s][&roomId=…&privileges=n]: development only. */
function devUsersig(config: ServerConfig, url: URL, res: ServerResponse): void {
  const userId = url.searchParams.get('userId') ?? '';
  const expire = Number(url.searchParams.get('expire') ?? 86400);
  if (!userId || Buffer.byteLength(userId) > 128 || !Number.isInteger(expire) || expire < 1 || expire > 31536000) {
    sendJson(res, 400, {
      error: { code: 'BAD_REQUEST', message: 'expected ?userId=<1–128 bytes>[&expire=1..31536000]' },
    });
    return;
  }
  if (config.sdkAppId === 0) {
    sendJson(res, 503, { error: { code: 'NOT_CONFIGURED', message: 'the server has no sdkAppId/secretKey' } });
    return;
  }
  const body: Record<string, unknown> = {
    sdkAppId: config.sdkAppId,
    userId,
    userSig: genSig(config.sdkAppId, config.secretKey, userId, expire),
    expire,
  };
  const roomParam = url.searchParams.get('roomId');
  if (roomParam !== null) {
    const privileges = Number(url.searchParams.get('privileges') ?? 255);
    const byString = url.searchParams.get('useStringRoomId') === 'true';
    let room: RoomId;
    try {
      room = validateRoomId(byString ? roomParam : Number(roomParam), byString);
      if (!Number.isInteger(privileges) || privileges < 0 || privileges > 255) throw new Error('privileges');
    } catch {
      sendJson(res, 400, { error: { code: 'BAD_REQUEST', message: 'roomId or privileges (0–255) is invalid' } });
      return;
    }
    body.privateMapKey = genPrivateMapKey(config.sdkAppId, config.secretKey, userId, expire, room, privileges);
  }
  sendJson(res, 200, body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('too large'));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendClientLogReply(res: ServerResponse, reply: ClientLogReply): void {
  if (res.headersSent || res.destroyed) return;
  const headers: OutgoingHttpHeaders = { ...CLIENT_LOG_CORS, ...reply.headers };
  if (reply.close) headers.Connection = 'close';
  if (reply.error) {
    sendJson(res, reply.status, { error: reply.error }, headers);
    return;
  }
  res.writeHead(reply.status, { ...headers, 'Cache-Control': 'no-store' });
  res.end();
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
