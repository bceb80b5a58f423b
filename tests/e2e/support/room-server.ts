// Starts the built room server (with its real Janus) for a Playwright spec, and stops it.
import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningServer {
  port: number;
  base: string;
  ws: string;
  /** What the server printed on stdout so far (the last 200 KB). */
  output(): string;
  stop(): Promise<void>;
}

/** Arguments of the built room server as the e2e tests run it (node <these>). */
export function roomServerArgs(port: number, extraArgs: string[] = [], { devUsersig = true } = {}): string[] {
  return [
    'build/server/index.js',
    '--port',
    String(port),
    '--sdk-app-id',
    '1400000001',
    '--secret-key',
    'e2e-sdk-secret-key-0123456789abcdef',
    ...(devUsersig ? ['--dev-usersig'] : []),
    ...extraArgs,
  ];
}

/** Collects a started room server's output and resolves once it listens (rejects if it exits first). */
export async function waitListening(child: ChildProcess): Promise<{ output(): string }> {
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-200_000)));
  await new Promise<void>((resolve, reject) => {
    const onExit = (c: number | null): void => reject(new Error(`room server exited ${c}: ${out} ${err}`));
    child.stdout?.on('data', () => {
      if (out.includes('listening on')) {
        child.off('exit', onExit);
        resolve();
      }
    });
    child.once('exit', onExit);
  });
  return { output: () => out };
}

export async function startRoomServer(port: number, extraArgs: string[] = []): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, roomServerArgs(port, extraArgs), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output } = await waitListening(child);
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${port}/rtc`,
    output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
