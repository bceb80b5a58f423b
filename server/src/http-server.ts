import { createServer, type Server, type ServerResponse } from 'node:http';

import type { ServerConfig } from './config.js';
import { serveStatic } from './static-files.js';

/** The room server's HTTP side: health and static files (the demo and the built SDK). */
export function createHttpServer(config: ServerConfig, version: string): Server {
  const started = Date.now();
  return createServer((req, res) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      sendJson(res, 400, { error: { code: 'BAD_REQUEST', message: 'malformed URL' } });
      return;
    }
    if (pathname === '/health') {
      sendJson(res, 200, { status: 'ok', version, uptimeSeconds: Math.round((Date.now() - started) / 1000) });
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
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
