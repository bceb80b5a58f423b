// An impaired network link for end-to-end tests: a network namespace reached from the root one
// through impair-link.py (a userspace netem on two TUN devices: the kernel's netem qdisc is not
// available on CI), with delay, jitter, loss and rate set per direction while the test runs.
// Needs root, /dev/net/tun, iproute2 and python3.
//
//   const net = await startImpairedNetwork();
//   const server = await startRoomServerInNamespace(net, 8099, ['--static', '/sdk=tests/e2e/sdk']);
//   await net.set({ lossPercent: 10 }, { delayMs: 150 }); // up = root -> namespace (browser -> server)
//   ...
//   await server.stop();
//   await net.stop();
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { roomServerArgs, waitListening, type RunningServer } from '../room-server';

/** One direction's impairment; everything left out is off. */
export interface Impairment {
  /** Fixed one-way delay, ms. */
  delayMs?: number;
  /** Random extra delay, ms: uniform in [-jitterMs, +jitterMs], or normal with this sigma. */
  jitterMs?: number;
  jitterDistribution?: 'uniform' | 'normal';
  /** Let jitter reorder packets (default false: a packet never overtakes an earlier one). */
  reorder?: boolean;
  /** Percent of packets dropped at random (0–100). */
  lossPercent?: number;
  /** Mean length of a loss burst in packets (Gilbert model); 1 (default) = independent losses. */
  lossBurst?: number;
  /** Bottleneck rate, kbit/s (0 = unlimited). */
  rateKbit?: number;
  /** With a rate: drop a packet that would wait longer than this in the bottleneck (default 500). */
  queueMs?: number;
  /** Most packets held in this direction at once (default 1000). */
  limitPackets?: number;
}

export interface DirectionCounters {
  /** Packets that entered this direction. */
  received: number;
  forwarded: number;
  /** droppedLoss + droppedQueue + droppedWrite. */
  dropped: number;
  /** Dropped by the random loss. */
  droppedLoss: number;
  /** Dropped because the queue (limitPackets) or the bottleneck (queueMs) was full. */
  droppedQueue: number;
  /** Refused by the receiving TUN device. */
  droppedWrite: number;
  /** Bytes forwarded (IP packets, headers included). */
  bytes: number;
  /** Packets waiting now. */
  queued: number;
}

export interface LinkCounters {
  /** Root namespace -> namespace (the browser's uplink when the server is in the namespace). */
  up: DirectionCounters;
  /** Namespace -> root namespace. */
  down: DirectionCounters;
}

export interface ImpairedNetwork {
  /** Name of the network namespace. */
  ns: string;
  /** The namespace's address (10.77.0.2): what a server inside listens on and announces. */
  nsIp: string;
  /** The root namespace's end of the link (10.77.0.1). The namespace's default route goes through
   *  the link, so it also reaches the root namespace's other addresses (e.g. eth0's). */
  hostIp: string;
  /** Sets both directions; each replaces that direction's previous settings as a whole. */
  set(up: Impairment, down: Impairment): Promise<void>;
  /** Back to a perfect link. */
  clear(): Promise<void>;
  counters(): Promise<LinkCounters>;
  resetCounters(): Promise<void>;
  /** Spawns a command inside the namespace (`ip netns exec`); it is stopped by stop() at the latest. */
  exec(cmd: string, args?: string[], options?: SpawnOptions): ChildProcess;
  /** A TCP port forwarder LISTEN -> CONNECT ("addr:port"), run in the namespace or in the root one;
   *  resolves when it listens. Stopped by stop() at the latest. */
  forward(listen: string, connect: string, where: 'ns' | 'root'): Promise<ChildProcess>;
  /** Stops what exec/forward started, every other process left in the namespace, and removes the
   *  namespace and the TUN devices. */
  stop(): Promise<void>;
}

export interface ImpairedNetworkOptions {
  /** Namespace name, at most 15 characters (default "trtcimp"; devices are <ns>A and <ns>B). */
  ns?: string;
  hostIp?: string;
  nsIp?: string;
  mtu?: number;
  /** The Python interpreter (default /usr/bin/python3 when present, else python3 on PATH). */
  python?: string;
  /** Path of impair-link.py (default: next to this file). */
  script?: string;
  /** impair-link.py's stderr goes here (default: kept, and shown when it fails to start). */
  log?: (line: string) => void;
}

const defaultPython = (): string => (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

function defaultScript(): string {
  const candidates: string[] = [];
  try {
    candidates.push(fileURLToPath(new URL('./impair-link.py', import.meta.url)));
  } catch {
    // not loaded as an ES module from a file
  }
  candidates.push(resolve('tests/e2e/support/impair/impair-link.py'));
  return candidates.find((p) => existsSync(p)) ?? candidates[candidates.length - 1];
}

const TO_WIRE: Record<keyof Impairment, string> = {
  delayMs: 'delay_ms',
  jitterMs: 'jitter_ms',
  jitterDistribution: 'jitter_dist',
  reorder: 'reorder',
  lossPercent: 'loss',
  lossBurst: 'burst',
  rateKbit: 'rate_kbit',
  queueMs: 'queue_ms',
  limitPackets: 'limit',
};

function toWire(i: Impairment): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(i)) {
    const key = TO_WIRE[k as keyof Impairment];
    if (!key) throw new Error(`impair: unknown impairment "${k}"`);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function fromWire(c: Record<string, number>): DirectionCounters {
  return {
    received: c.received,
    forwarded: c.forwarded,
    dropped: c.dropped,
    droppedLoss: c.dropped_loss,
    droppedQueue: c.dropped_queue,
    droppedWrite: c.dropped_write,
    bytes: c.bytes,
    queued: c.queued,
  };
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((res) => {
    const t = setTimeout(() => res(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      res(true);
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
async function terminate(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (!(await waitExit(child, graceMs))) {
    child.kill('SIGKILL');
    await waitExit(child, 2000);
  }
}

/** Waits for the first stdout line that is JSON with ready: true. */
function waitReady(
  child: ChildProcess,
  what: string,
  ms: number,
  stderr: () => string,
): Promise<Record<string, unknown>> {
  return new Promise((res, rej) => {
    const rl = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => fail(new Error(`${what}: not ready after ${ms} ms: ${stderr()}`)), ms);
    const onExit = (code: number | null, sig: string | null): void =>
      fail(new Error(`${what} exited (${code ?? sig}) before it was ready: ${stderr()}`));
    function fail(e: Error): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      rl.close();
      rej(e);
    }
    rl.on('line', (line) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      if (msg.ready === true) {
        clearTimeout(timer);
        child.off('exit', onExit);
        rl.close();
        res(msg);
      }
    });
    child.once('exit', onExit);
  });
}

export async function startImpairedNetwork(options: ImpairedNetworkOptions = {}): Promise<ImpairedNetwork> {
  const ns = options.ns ?? 'trtcimp';
  const hostIp = options.hostIp ?? '10.77.0.1';
  const nsIp = options.nsIp ?? '10.77.0.2';
  const python = options.python ?? defaultPython();
  const script = options.script ?? defaultScript();
  const args = [script, 'run', '--ns', ns, '--host-ip', hostIp, '--ns-ip', nsIp, '--ppid', String(process.pid)];
  if (options.mtu) args.push('--mtu', String(options.mtu));
  // stdin is the control channel: when this process dies, its end closes and the link cleans up.
  const link = spawn(python, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  link.stderr!.on('data', (d: Buffer) => {
    const s = d.toString();
    err = (err + s).slice(-4000);
    if (options.log) for (const line of s.split('\n')) if (line) options.log(line);
  });
  link.stdin!.on('error', () => {
    // EPIPE after the link exited: the pending requests are rejected by the exit handler
  });
  await waitReady(link, 'impair-link.py', 20_000, () => err);

  let nextId = 1;
  const pending = new Map<number, { res: (v: any) => void; rej: (e: Error) => void }>();
  createInterface({ input: link.stdout! }).on('line', (line) => {
    let msg: any;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.res(msg);
    else p.rej(new Error(`impair-link: ${msg.error}`));
  });
  link.once('exit', (code, sig) => {
    for (const p of pending.values()) p.rej(new Error(`impair-link exited (${code ?? sig}): ${err}`));
    pending.clear();
  });
  const request = (cmd: Record<string, unknown>): Promise<any> => {
    if (link.exitCode !== null || link.signalCode !== null) {
      return Promise.reject(new Error(`impair-link is not running: ${err}`));
    }
    const id = nextId++;
    return new Promise((res, rej) => {
      pending.set(id, { res, rej });
      link.stdin!.write(JSON.stringify({ id, ...cmd }) + '\n');
    });
  };

  const children = new Set<ChildProcess>();
  const track = (c: ChildProcess): ChildProcess => {
    children.add(c);
    c.once('exit', () => children.delete(c));
    return c;
  };
  const exec = (cmd: string, cmdArgs: string[] = [], opts: SpawnOptions = {}): ChildProcess =>
    track(spawn('ip', ['netns', 'exec', ns, cmd, ...cmdArgs], opts));

  let stopped: Promise<void> | undefined;
  return {
    ns,
    nsIp,
    hostIp,
    async set(up, down) {
      await request({ cmd: 'set', up: toWire(up), down: toWire(down) });
    },
    async clear() {
      await request({ cmd: 'set', up: {}, down: {} });
    },
    async counters() {
      const r = await request({ cmd: 'counters' });
      return { up: fromWire(r.up), down: fromWire(r.down) };
    },
    async resetCounters() {
      await request({ cmd: 'reset_counters' });
    },
    exec,
    async forward(listen, connect, where) {
      const fwdArgs = [script, 'tcp-forward', listen, connect];
      const opts: SpawnOptions = { stdio: ['pipe', 'pipe', 'pipe'] };
      const child = where === 'ns' ? exec(python, fwdArgs, opts) : track(spawn(python, fwdArgs, opts));
      let ferr = '';
      child.stderr!.on('data', (d: Buffer) => (ferr = (ferr + d.toString()).slice(-4000)));
      child.stdin!.on('error', () => {});
      try {
        await waitReady(child, `tcp-forward ${listen} -> ${connect}`, 10_000, () => ferr);
      } catch (e) {
        await terminate(child);
        throw e;
      }
      child.stdout!.resume();
      return child;
    },
    stop() {
      stopped ??= (async () => {
        await Promise.all([...children].map((c) => terminate(c)));
        if (link.exitCode === null && link.signalCode === null) {
          // End of stdin: the link stops what is left in the namespace and removes it.
          link.stdin!.end();
          if (!(await waitExit(link, 15_000))) await terminate(link);
        }
      })();
      return stopped;
    },
  };
}

export interface NamespacedServer extends RunningServer {
  /** http://127.0.0.1:hostPort in the root namespace, forwarded over the impaired link: a secure
   *  context for getUserMedia, and /dev/usersig works. Same as `base`. */
  base: string;
  /** ws://127.0.0.1:hostPort/rtc (through the impaired link). */
  ws: string;
  /** http://<nsIp>:port: the namespace side directly (not a secure context in Chromium). */
  nsBase: string;
  nsWs: string;
}

export interface NamespacedServerOptions {
  /** Port of the root-namespace forwarder (default: the same as the server's port). */
  hostPort?: number;
  /** Serve /dev/usersig (default true). */
  devUsersig?: boolean;
}

/**
 * Starts the built room server (build/server/index.js, with its real Janus) inside the namespace,
 * like startRoomServer does in the root one. Janus then gathers its ICE candidates on the
 * namespace's only address, nsIp, so all media crosses the impaired link.
 *
 * The server listens on 127.0.0.1:port inside the namespace (the loopback host that --dev-usersig
 * requires); a forwarder in the namespace publishes it on nsIp:port and one in the root namespace
 * on 127.0.0.1:hostPort, so pages keep a loopback (secure) origin while their HTTP and WebSocket
 * traffic goes through the link too.
 */
export async function startRoomServerInNamespace(
  net: ImpairedNetwork,
  port: number,
  extraArgs: string[] = [],
  options: NamespacedServerOptions = {},
): Promise<NamespacedServer> {
  const hostPort = options.hostPort ?? port;
  // --host 127.0.0.1 inside the namespace: the loopback host that --dev-usersig requires.
  const child = net.exec(
    process.execPath,
    roomServerArgs(port, ['--host', '127.0.0.1', ...extraArgs], { devUsersig: options.devUsersig !== false }),
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const { output } = await waitListening(child);
  const forwarders: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(forwarders.map((f) => terminate(f)));
    await terminate(child, 10_000);
  };
  try {
    forwarders.push(await net.forward(`${net.nsIp}:${port}`, `127.0.0.1:${port}`, 'ns'));
    forwarders.push(await net.forward(`127.0.0.1:${hostPort}`, `${net.nsIp}:${port}`, 'root'));
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    port,
    base: `http://127.0.0.1:${hostPort}`,
    ws: `ws://127.0.0.1:${hostPort}/rtc`,
    nsBase: `http://${net.nsIp}:${port}`,
    nsWs: `ws://${net.nsIp}:${port}/rtc`,
    output,
    stop,
  };
}
