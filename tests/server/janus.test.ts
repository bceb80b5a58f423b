// The room server with its real Janus child process: start, health, the publisher cap enforced
// against real Janus publishes, and recovery when Janus dies. (Media between real browsers is in
// tests/e2e/room-server.spec.ts.)
import { execFileSync } from 'node:child_process';

import { Code, Limits } from '../../server/src/protocol';
import { fakeOffer, joined, sleep, startServer, type Client, type RunningServer } from './support/harness';

jest.setTimeout(90_000);

let server: RunningServer;

function janusPids(parent: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(parent), '-x', 'janus'])
      .toString()
      .trim()
      .split('\n')
      .map(Number);
  } catch {
    return [];
  }
}

async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.http}/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  server = await startServer([]);
});

afterAll(async () => {
  const pid = server.proc.pid as number;
  expect(await server.stop()).toBe(0);
  expect(janusPids(pid)).toEqual([]);
});

test('Janus runs as a child bound to loopback, and /health says so', async () => {
  const h = await health();
  expect(h.status).toBe(200);
  expect(h.body).toMatchObject({ status: 'ok', janus: 'ok' });
  const pids = janusPids(server.proc.pid as number);
  // Nothing about Janus's address or secret reaches clients: not /health, not the welcome.
  const { client } = await joined(server, 'curious', 4040);
  const seen = JSON.stringify([h.body, client.events, client.replies]);
  expect(seen).not.toMatch(/secret|ws:\/\/|janus\.|apisecret/i);
  client.close();
  expect(pids).toHaveLength(1);
  // Janus's WebSocket port listens on 127.0.0.1 only.
  const ss = execFileSync('ss', ['-ltnpH']).toString();
  const janusLines = ss.split('\n').filter((l) => l.includes(`pid=${pids[0]},`));
  expect(janusLines.length).toBeGreaterThan(0);
  for (const l of janusLines) expect(l).toMatch(/127\.0\.0\.1:\d+/);
});

test('publish answers an offer; the 51st publisher of a room is refused', async () => {
  const room = 5151;
  const clients: Client[] = [];
  for (let i = 0; i < Limits.PUBLISHERS; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: 10 }, async (_, k) => {
        const { client } = await joined(server, `pub${i + k}`, room);
        const r = await client.ok('publish', { sdp: fakeOffer(), video: false });
        expect(String(r.sdp)).toMatch(/^v=0/);
        expect(String(r.sdp)).toMatch(/a=setup:(active|passive)/);
        return client;
      }),
    );
    clients.push(...batch);
  }
  const { client: last } = await joined(server, 'pub50', room);
  const r = await last.call('publish', { sdp: fakeOffer(), video: false });
  expect(r.error?.code).toBe(Code.TOO_MANY_PUBLISHERS);
  expect(r.error?.message).toMatch(/50 publishers/);
  // A slot frees up when someone unpublishes.
  await clients[0]?.ok('unpublish', { streamType: 'main' });
  await last.ok('publish', { sdp: fakeOffer(), video: false });
  // Publishing twice is refused; a bad SDP is an error reply, not a crash.
  expect((await last.call('publish', { sdp: fakeOffer() })).error?.code).toBe(Code.INVALID_OPERATION);
  const { client: bad } = await joined(server, 'badsdp', 5152);
  const broken = await bad.call('publish', { sdp: 'v=0\r\nm=audio 9 RTP/AVP 0\r\ngarbage\r\n' });
  expect(broken.error?.code).toBe(Code.INVALID_PARAMETER);
  for (const c of [...clients, last, bad]) c.close();
});

test('when Janus dies the server restarts it and tells the clients', async () => {
  const { client } = await joined(server, 'survivor', 777);
  await client.ok('publish', { sdp: fakeOffer(), video: false });
  const [pid] = janusPids(server.proc.pid as number);
  process.kill(pid as number, 'SIGKILL');
  const reset = await client.waitEvent('media-reset');
  expect(reset.data).toMatchObject({ reason: 'media-server-restarted', unpublished: ['main'] });
  await client.waitEvent('media-ready', () => true, 20_000);
  const h = await health();
  expect(h).toMatchObject({ status: 200, body: { janus: 'ok' } });
  const [newPid] = janusPids(server.proc.pid as number);
  expect(newPid).not.toBe(pid);
  // The membership survived, and publishing works again on the new Janus.
  await client.ok('publish', { sdp: fakeOffer(), video: false });
  client.close();
});

test('/health is 503 while Janus is down', async () => {
  const [pid] = janusPids(server.proc.pid as number);
  process.kill(pid as number, 'SIGSTOP');
  // A stopped Janus stops answering; kill it so the server notices at once.
  process.kill(pid as number, 'SIGKILL');
  let sawDown = false;
  for (let i = 0; i < 100 && !sawDown; i++) {
    const h = await health();
    if (h.status === 503) {
      expect(h.body).toMatchObject({ status: 'degraded', janus: 'down' });
      sawDown = true;
    }
    await sleep(5);
  }
  expect(sawDown).toBe(true);
  for (let i = 0; i < 100; i++) {
    if ((await health()).status === 200) return;
    await sleep(100);
  }
  throw new Error('Janus did not come back');
});

test('a missing Janus binary is a clear start-up error, not a hang', async () => {
  await expect(startServer(['--janus', '/nonexistent/janus'])).rejects.toThrow(/cannot start \/nonexistent\/janus/);
});
