// The SDK's signaling channel (js/src/signal) against the real room server: requests, error
// mapping, reconnection that resumes the membership, and the ways it gives up.
import WebSocket, { WebSocketServer } from 'ws';

import { ErrorCode, RtcError } from '../../js/src/errors';
import { SignalChannel, type ConnectionState, type WebSocketLike } from '../../js/src/signal/signal-channel';
import { joined, SDK_APP_ID, sig, sleep, startServer, type RunningServer } from './support/harness';

jest.setTimeout(30_000);

let server: RunningServer;
beforeAll(async () => {
  server = await startServer(['--no-janus', '--grace-seconds', '2']);
});
afterAll(async () => {
  await server.stop();
});

/** A channel whose sockets the test can reach (to simulate network drops). */
function channel(url = server.ws, extra: Partial<ConstructorParameters<typeof SignalChannel>[0]> = {}) {
  const sockets: WebSocket[] = [];
  const states: ConnectionState[] = [];
  let block = false;
  const ch = new SignalChannel({
    url,
    heartbeatMs: 0,
    backoffMs: () => 50,
    createSocket: (u) => {
      const ws = new WebSocket(block ? 'ws://127.0.0.1:9/unreachable' : u);
      ws.on('error', () => undefined);
      sockets.push(ws);
      return ws as unknown as WebSocketLike;
    },
    ...extra,
  });
  ch.on('state-changed', (e) => states.push(e.state));
  return { ch, sockets, states, setBlocked: (b: boolean) => (block = b) };
}

const joinParams = (userId: string, roomId: number) => ({
  protocol: 1,
  sdkAppId: SDK_APP_ID,
  userId,
  userSig: sig(userId),
  roomId,
});

test('connects, joins, and maps server errors to RtcError codes', async () => {
  const { ch, states } = channel();
  await ch.connect();
  expect(ch.state).toBe('CONNECTED');
  const r = await ch.request<{ sessionToken: string }>('join', joinParams('sc1', 9001));
  expect(typeof r.sessionToken).toBe('string');
  const bad = new SignalChannel({ url: server.ws, heartbeatMs: 0, createSocket: (u) => new WebSocket(u) as never });
  await bad.connect();
  const err = await bad.request('join', { ...joinParams('sc2', 9001), userSig: sig('other') }).catch((e) => e);
  expect(err).toBeInstanceOf(RtcError);
  expect(err.getCode()).toBe(ErrorCode.JOIN_ROOM_FAILED);
  expect(err.getExtraCode()).toBe(70013);
  const unknown = await ch.request('nope').catch((e: RtcError) => e);
  expect([unknown.getCode(), unknown.getExtraCode()]).toEqual([ErrorCode.INVALID_OPERATION, 4001]);
  const invalid = await ch.request('subscribe', { userId: 5 }).catch((e: RtcError) => e);
  expect(invalid.getCode()).toBe(ErrorCode.INVALID_PARAMETER);
  const notThere = await ch.request('subscribe', { userId: 'ghost' }).catch((e: RtcError) => e);
  expect(notThere.getCode()).toBe(ErrorCode.REMOTE_STREAM_NOT_EXIST);
  expect(states).toEqual(['CONNECTING', 'CONNECTED']);
  ch.close();
  bad.close();
  expect(ch.state).toBe('DISCONNECTED');
  await expect(ch.request('ping')).rejects.toMatchObject({ code: ErrorCode.SIGNAL_CHANNEL_ERROR });
});

test('a dropped socket reconnects and resumes the membership; others see no leave', async () => {
  const other = await joined(server, 'watch', 9002);
  const { ch, sockets, states } = channel();
  await ch.connect();
  const r = await ch.request<{ sessionToken: string }>('join', joinParams('mobile', 9002));
  ch.setSession(r.sessionToken);
  const resumed = new Promise<unknown>((res) => ch.once('resumed', res));
  sockets[0]?.terminate();
  const snapshot = (await resumed) as { users: unknown[] };
  expect(snapshot.users).toEqual([{ userId: 'watch', role: 'anchor' }]);
  expect(states).toEqual(['CONNECTING', 'CONNECTED', 'RECONNECTING', 'CONNECTED']);
  expect(await ch.request('ping')).toHaveProperty('time');
  await sleep(2500);
  expect(other.client.has('peer-leave')).toBe(false);
  ch.close();
  other.client.close();
});

test('after the grace period the resume is refused: SIGNAL_CHANNEL_RECONNECTION_FAILED', async () => {
  // 200 ms between attempts: about 13 of the 30 are spent while blocked, so the failure below is the
  // refused resume (extraCode 4097), not running out of attempts.
  const { ch, sockets, setBlocked } = channel(server.ws, { backoffMs: () => 200 });
  await ch.connect();
  const r = await ch.request<{ sessionToken: string }>('join', joinParams('late', 9003));
  ch.setSession(r.sessionToken);
  const failed = new Promise<RtcError>((res) => ch.once('failed', res));
  setBlocked(true);
  sockets[0]?.terminate();
  await sleep(2500);
  setBlocked(false);
  const e = await failed;
  expect(e.getCode()).toBe(ErrorCode.SIGNAL_CHANNEL_RECONNECTION_FAILED);
  expect(e.getExtraCode()).toBe(4097);
  expect(ch.state).toBe('DISCONNECTED');
});

test('gives up after maxRetries when the server is gone', async () => {
  const lone = await startServer(['--no-janus']);
  const { ch, states } = channel(lone.ws, { maxRetries: 3 });
  await ch.connect();
  const r = await ch.request<{ sessionToken: string }>('join', joinParams('orphan', 1));
  ch.setSession(r.sessionToken);
  const failed = new Promise<RtcError>((res) => ch.once('failed', res));
  await lone.stop();
  expect((await failed).getCode()).toBe(ErrorCode.SIGNAL_CHANNEL_RECONNECTION_FAILED);
  expect(states.slice(-2)).toEqual(['RECONNECTING', 'DISCONNECTED']);
});

test('client-banned is delivered and ends the channel without reconnecting', async () => {
  const { ch, states } = channel();
  await ch.connect();
  const r = await ch.request<{ sessionToken: string }>('join', joinParams('twin', 9004));
  ch.setSession(r.sessionToken);
  const events: string[] = [];
  ch.on('event', (e) => events.push(e.name));
  const dup = await joined(server, 'twin', 9004);
  await sleep(300);
  expect(events).toContain('client-banned');
  expect(ch.state).toBe('DISCONNECTED');
  expect(states).not.toContain('RECONNECTING');
  dup.client.close();
});

test('setup failures: unreachable server, other protocol version, no answer', async () => {
  const unreachable = new SignalChannel({
    url: 'ws://127.0.0.1:9/rtc',
    createSocket: (u) => {
      const ws = new WebSocket(u);
      ws.on('error', () => undefined);
      return ws as unknown as WebSocketLike;
    },
  });
  await expect(unreachable.connect()).rejects.toMatchObject({ code: ErrorCode.SIGNAL_CHANNEL_SETUP_FAILED });

  const fake = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => fake.once('listening', r));
  fake.on('connection', (ws, req) => {
    if (req.url === '/v2') ws.send(JSON.stringify({ event: 'welcome', data: { protocol: 2 } }));
    else if (req.url === '/silent') ws.send(JSON.stringify({ event: 'welcome', data: { protocol: 1 } }));
  });
  const port = (fake.address() as { port: number }).port;
  const mk = (path: string) =>
    new SignalChannel({
      url: `ws://127.0.0.1:${port}${path}`,
      requestTimeoutMs: 300,
      heartbeatMs: 0,
      createSocket: (u) => new WebSocket(u) as unknown as WebSocketLike,
    });
  const v2 = mk('/v2');
  await expect(v2.connect()).rejects.toThrow(/protocol 2/);
  const mute = mk('/mute');
  await expect(mute.connect()).rejects.toMatchObject({ code: ErrorCode.SIGNAL_CHANNEL_SETUP_FAILED });
  const silent = mk('/silent');
  await silent.connect();
  await expect(silent.request('ping')).rejects.toMatchObject({ code: ErrorCode.API_CALL_TIMEOUT });
  silent.close();
  fake.close();
});
