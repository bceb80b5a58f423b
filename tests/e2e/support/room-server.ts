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

export async function startRoomServer(port: number, extraArgs: string[] = []): Promise<RunningServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      'build/server/index.js',
      '--port',
      String(port),
      '--sdk-app-id',
      '1400000001',
      '--secret-key',
      'e2e-sdk-secret-key-0123456789abcdef',
      '--dev-usersig',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-200_000)));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', () => {
      if (out.includes('listening on')) resolve();
    });
    child.once('exit', (c) => reject(new Error(`room server exited ${c}: ${out} ${err}`)));
  });
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${port}/rtc`,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
