#!/usr/bin/env node
// The room server: `npm run server -- --port 8080 --sdk-app-id 1400000001 --secret-key <key>`.
import { readFileSync } from 'node:fs';

import { ClientLogService } from './client-logs.js';
import { ConfigError, parseConfig, USAGE, type ServerConfig } from './config.js';
import { createHttpServer } from './http-server.js';
import { firstNonLoopbackIPv4, JanusProcess } from './janus/process.js';
import { RoomService } from './rooms.js';
import { SignalingServer } from './signaling.js';
import { WebhookSender } from './webhooks.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const log = (line: string): void => console.log(`[${new Date().toISOString()}] ${line}`);

async function main(): Promise<void> {
  let config: ServerConfig | 'help';
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`room server: ${e.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw e;
  }
  if (config === 'help') {
    console.log(USAGE);
    return;
  }
  const cfg = config;
  if (cfg.sdkAppId === 0) log('warning: no --sdk-app-id/--secret-key: every join will be refused');
  const webhooks = cfg.callbackUrl
    ? new WebhookSender({ url: cfg.callbackUrl, key: cfg.callbackKey, sdkAppId: cfg.sdkAppId, log })
    : undefined;
  const service = new RoomService(cfg, webhooks, log);
  const signaling = new SignalingServer(service, version, log);
  let clientLogs: ClientLogService;
  try {
    clientLogs = new ClientLogService({
      sdkAppId: cfg.sdkAppId,
      secretKey: cfg.secretKey,
      dir: cfg.clientLogDir,
      maxMb: cfg.clientLogMaxMb,
      // console.log, like the server's own log: it ignores a closed stdout instead of throwing.
      print: (line) => console.log(line),
      warn: (line) => console.error(`[${new Date().toISOString()}] ${line}`),
    });
  } catch (e) {
    console.error(`room server: cannot create --client-log-dir ${cfg.clientLogDir}: ${(e as Error).message}`);
    process.exit(1);
  }

  let janus: JanusProcess | undefined;
  if (!cfg.noJanus) {
    const iceIp = cfg.iceIp ?? firstNonLoopbackIPv4();
    if (!iceIp) {
      console.error(
        'room server: no non-loopback IPv4 address for Janus ICE (WebRTC cannot use loopback). ' +
          'Pass --ice-ip, or add one: ip link add trtc0 type dummy && ip addr add 10.99.0.1/24 dev trtc0 && ip link set trtc0 up',
      );
      process.exit(2);
    }
    janus = new JanusProcess({ binary: cfg.janusBinary, iceIp, rtpPortRange: cfg.rtpPortRange, log });
    janus.on('up', (conn) => service.mediaUp(conn));
    janus.on('down', (reason: string) => service.mediaDown(reason));
    try {
      await janus.start();
    } catch (e) {
      console.error(`room server: ${(e as Error).message}`);
      await janus.stop();
      process.exit(1);
    }
  }
  const j = janus;
  const server = createHttpServer(cfg, version, {
    service,
    signaling,
    janusState: () => (j ? (j.connection ? 'ok' : 'down') : 'disabled'),
    clientLogs,
  });
  server.on('error', (e) => {
    console.error(`room server: cannot listen on ${cfg.host}:${cfg.port}: ${e.message}`);
    void j?.stop().finally(() => process.exit(1));
  });
  server.listen(cfg.port, cfg.host, () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
    log(`room server ${version} listening on http://${cfg.host}:${port} (signaling ws://${cfg.host}:${port}/rtc)`);
    for (const m of cfg.staticMounts) log(`  serving ${m.dir} at ${m.prefix}`);
    if (cfg.devUsersig) log(`  dev UserSigs at http://${cfg.host}:${port}/dev/usersig?userId=… (development only)`);
    log(`  client logs (POST /v1/log) to ${cfg.clientLogDir ?? 'stdout'}`);
    if (j) log(`  janus pid ${j.pid}`);
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    signaling.close();
    service.close();
    webhooks?.close();
    server.closeAllConnections();
    server.close();
    void Promise.all([j?.stop(), clientLogs.close()]).finally(() => process.exit(0));
  };
  // Defence in depth: a bug in one request must not take every room down with it.
  process.on('unhandledRejection', (e) => log(`unhandled rejection: ${(e as Error)?.stack ?? String(e)}`));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
