// Runs Janus as a child process: writes its config into a temporary folder (only the VideoRoom
// plugin and the WebSocket transport, bound to 127.0.0.1, with a random API secret), waits until
// it answers, restarts it when it dies and stops it with the server.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';

import { JanusConnection } from './connection.js';

export interface JanusOptions {
  /** The janus executable (default: `janus` on PATH). */
  binary: string;
  /** Address Janus gathers ICE candidates on; loopback does not work (see docs/server.md). */
  iceIp: string;
  /** UDP port range for media, "min-max" (default: the OS picks). */
  rtpPortRange?: string;
  log: (line: string) => void;
}

/** The first non-loopback IPv4 address of this machine, or undefined. */
export function firstNonLoopbackIPv4(): string | undefined {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  return undefined;
}

/** The folder with Janus's plugins/ and transports/ (Debian: /usr/lib/<multiarch>/janus). */
export function findJanusLibDir(): string | undefined {
  const candidates = ['/usr/lib/janus', '/usr/local/lib/janus'];
  try {
    for (const d of readdirSync('/usr/lib')) candidates.unshift(join('/usr/lib', d, 'janus'));
  } catch {
    // no /usr/lib: nothing to add
  }
  return candidates.find((d) => existsSync(join(d, 'plugins', 'libjanus_videoroom.so')));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Events: 'up' (connection: JanusConnection) each time Janus is (re)started and its session is
 * open; 'down' (reason: string) when it dies or its connection closes.
 */
export class JanusProcess extends EventEmitter {
  private child?: ChildProcess;
  private conn?: JanusConnection;
  private readonly dir: string;
  private readonly apiSecret = randomBytes(24).toString('hex');
  private stopping = false;
  private starting?: Promise<void>;

  constructor(private readonly opts: JanusOptions) {
    super();
    this.dir = mkdtempSync(join(tmpdir(), 'trtc-janus-'));
  }

  get connection(): JanusConnection | undefined {
    return this.conn?.isOpen ? this.conn : undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts Janus and resolves once its session is open (rejects after 15 s of trying). */
  start(): Promise<void> {
    this.starting ??= this.launch().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.conn?.close();
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const libDir = findJanusLibDir();
    if (!libDir) throw new Error('Janus is not installed (no libjanus_videoroom.so): run `bash scripts/bootstrap.sh`');
    const port = await freePort();
    this.writeConfig(libDir, port);
    const child = spawn(
      this.opts.binary,
      ['-F', this.dir, '-C', join(this.dir, 'janus.jcfg'), '-L', join(this.dir, 'janus.log'), '-o'],
      // cwd: the private temp dir, so a core dump of a crashing Janus lands there and is removed with it.
      { stdio: ['ignore', 'ignore', 'pipe'], cwd: this.dir },
    );
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    const spawnError = new Promise<never>((_, reject) => {
      child.once('error', (e) => reject(new Error(`cannot start ${this.opts.binary}: ${e.message}`)));
    });
    spawnError.catch(() => undefined);
    await Promise.race([new Promise<void>((r) => child.once('spawn', () => r())), spawnError]);
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      this.onExit(`janus exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`);
    });
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`janus exited during start-up: ${stderr.trim() || 'see its log'}`);
      }
      const conn = new JanusConnection(`ws://127.0.0.1:${port}`, this.apiSecret);
      try {
        await Promise.race([conn.open(), spawnError]);
        this.conn = conn;
        conn.once('close', () => {
          if (this.conn === conn) this.onExit('the Janus connection closed');
        });
        this.opts.log(`janus ${child.pid} ready (ICE on ${this.opts.iceIp})`);
        this.emit('up', conn);
        return;
      } catch (e) {
        conn.close();
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`janus did not become ready: ${(e as Error).message}`);
        }
        await sleep(50);
      }
    }
  }

  private onExit(reason: string): void {
    if (this.stopping) return;
    const conn = this.conn;
    this.conn = undefined;
    conn?.close();
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    this.child = undefined;
    this.opts.log(`${reason}; restarting`);
    this.emit('down', reason);
    void this.restartLoop();
  }

  private async restartLoop(): Promise<void> {
    for (let delay = 200; !this.stopping; delay = Math.min(delay * 2, 5000)) {
      try {
        await this.start();
        return;
      } catch (e) {
        this.opts.log(`janus restart failed: ${(e as Error).message}`);
        await sleep(delay);
      }
    }
  }

  private writeConfig(libDir: string, port: number): void {
    // Only the two modules we use: folders of symlinks keep the rest from loading.
    for (const [sub, file] of [
      ['plugins', 'libjanus_videoroom.so'],
      ['transports', 'libjanus_websockets.so'],
    ] as const) {
      const d = join(this.dir, sub);
      rmSync(d, { recursive: true, force: true });
      mkdirSync(d);
      symlinkSync(join(libDir, sub, file), join(d, file));
    }
    mkdirSync(join(this.dir, 'empty'), { recursive: true });
    const q = JSON.stringify;
    writeFileSync(
      join(this.dir, 'janus.jcfg'),
      `general: {
  configs_folder = ${q(this.dir)}
  plugins_folder = ${q(join(this.dir, 'plugins'))}
  transports_folder = ${q(join(this.dir, 'transports'))}
  events_folder = ${q(join(this.dir, 'empty'))}
  loggers_folder = ${q(join(this.dir, 'empty'))}
  debug_level = 3
  api_secret = ${q(this.apiSecret)}
  admin_secret = ${q(randomBytes(24).toString('hex'))}
  session_timeout = 60
  server_name = "trtc-room-server"
}
media: {
${this.opts.rtpPortRange ? `  rtp_port_range = ${q(this.opts.rtpPortRange)}\n` : ''}}
nat: {
  full_trickle = true
  ignore_mdns = true
  ice_enforce_list = ${q(this.opts.iceIp)}
}
events: {
  broadcast = false
}
`,
    );
    writeFileSync(join(this.dir, 'janus.plugin.videoroom.jcfg'), 'general: {\n}\n');
    writeFileSync(
      join(this.dir, 'janus.transport.websockets.jcfg'),
      `general: {
  json = "compact"
  ws = true
  ws_port = ${port}
  ws_ip = "127.0.0.1"
  wss = false
}
admin: {
  admin_ws = false
  admin_wss = false
}
`,
    );
  }
}
