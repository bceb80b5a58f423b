// restartIce: validation against a signaling-only server (--no-janus), and the publisher side
// against real Janus with a syntactically complete offer. (The subscriber side, and ICE really
// reconnecting between browsers, are in tests/e2e/room-server.spec.ts.)
import { randomBytes } from 'node:crypto';

import { Code, Limits } from '../../server/src/protocol';
import { Client, fakeOffer, joined, SDK_APP_ID, sig, sleep, startServer, type RunningServer } from './support/harness';

jest.setTimeout(90_000);

const ufrag = (sdp: unknown): string | undefined => /^a=ice-ufrag:(\S+)/m.exec(String(sdp))?.[1];

describe('validation (no media server)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(['--no-janus']);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  test('needs a membership', async () => {
    const c = await Client.connect(server.ws);
    for (const params of [{ target: 'sub' }, { target: 'main', sdp: fakeOffer() }, undefined]) {
      expect((await c.call('restartIce', params)).error?.code).toBe(Code.INVALID_OPERATION);
    }
    // After join and leave, again not allowed.
    await c.ok('join', { sdkAppId: SDK_APP_ID, userId: 'gone', userSig: sig('gone'), roomId: 901 });
    await c.ok('leave');
    expect((await c.call('restartIce', { target: 'sub' })).error?.code).toBe(Code.INVALID_OPERATION);
    c.close();
  });

  test('resetSubscriber needs a membership, and answers {} once joined (with or without a subscriber)', async () => {
    const c = await Client.connect(server.ws);
    expect((await c.call('resetSubscriber')).error?.code).toBe(Code.INVALID_OPERATION);
    await c.ok('join', { sdkAppId: SDK_APP_ID, userId: 'resetter', userSig: sig('resetter'), roomId: 903 });
    expect(await c.ok('resetSubscriber')).toEqual({});
    expect(await c.ok('resetSubscriber')).toEqual({});
    c.close();
  });

  test('bad params are INVALID_PARAMETER: target, sdp', async () => {
    const { client } = await joined(server, 'val', 902);
    const bad: unknown[] = [
      undefined,
      {},
      [],
      'main',
      { target: 'video' },
      { target: 'MAIN', sdp: fakeOffer() },
      { target: 1 },
      { target: null },
      { target: 'main' },
      { target: 'aux' },
      { target: 'main', sdp: 42 },
      { target: 'main', sdp: '' },
      { target: 'aux', sdp: 'm=audio 9 UDP/TLS/RTP/SAVPF 111' },
      // Over the SDP limit, but under the message limit (no escapes in JSON).
      { target: 'main', sdp: `v=0 ${'x'.repeat(Limits.SDP_BYTES)}` },
    ];
    for (const params of bad) {
      const r = await client.call('restartIce', params);
      expect([params, r.error?.code]).toEqual([params, Code.INVALID_PARAMETER]);
      expect(r.error?.message).toMatch(/^restartIce: /);
    }
    client.close();
  });

  test('a stream that is not published, or no subscriber connection, is INVALID_OPERATION', async () => {
    const { client } = await joined(server, 'idle', 903);
    const main = await client.call('restartIce', { target: 'main', sdp: fakeOffer() });
    expect(main.error).toEqual({ code: Code.INVALID_OPERATION, message: 'not publishing the main stream' });
    const aux = await client.call('restartIce', { target: 'aux', sdp: fakeOffer(), extra: true });
    expect(aux.error?.code).toBe(Code.INVALID_OPERATION);
    // `sdp` is not needed for "sub", and is ignored like any unknown field.
    for (const params of [{ target: 'sub' }, { target: 'sub', sdp: 'not an sdp', foo: [1] }]) {
      const sub = await client.call('restartIce', params);
      expect(sub.error?.code).toBe(Code.INVALID_OPERATION);
      expect(sub.error?.message).toMatch(/no subscriber connection/);
    }
    // The connection is unaffected.
    expect(typeof (await client.ok('ping')).time).toBe('number');
    client.close();
  });
});

describe('publisher ICE restart with Janus', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer([]);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  test("a new offer on the published stream gets Janus's answer with new ICE credentials", async () => {
    const { client } = await joined(server, 'pub', 910);
    const { client: other } = await joined(server, 'watcher', 910);
    const first = await client.ok('publish', { sdp: fakeOffer(), video: false });
    expect(ufrag(first.sdp)).toBeDefined();
    // fakeOffer has fresh ICE credentials each time: to Janus that is an ICE restart.
    const restarted = await client.ok('restartIce', { target: 'main', sdp: fakeOffer() });
    expect(String(restarted.sdp)).toMatch(/^v=0/);
    expect(String(restarted.sdp)).toMatch(/^m=audio /m);
    expect(ufrag(restarted.sdp)).toBeDefined();
    expect(ufrag(restarted.sdp)).not.toBe(ufrag(first.sdp));
    // Still published: trickle works, publishing again is a duplicate, others saw no change.
    await client.ok('trickle', { target: 'main', candidate: null });
    expect((await client.call('publish', { sdp: fakeOffer(), video: false })).error?.code).toBe(Code.INVALID_OPERATION);
    // A second restart works too; aux is still not published.
    await client.ok('restartIce', { target: 'main', sdp: fakeOffer() });
    expect((await client.call('restartIce', { target: 'aux', sdp: fakeOffer() })).error?.code).toBe(
      Code.INVALID_OPERATION,
    );
    await sleep(200);
    expect(other.events.map((e) => e.event)).not.toContain('stream-removed');
    expect(client.events.map((e) => e.event)).not.toContain('unpublished');
    // After unpublish there is nothing to restart.
    await client.ok('unpublish', { streamType: 'main' });
    expect((await client.call('restartIce', { target: 'main', sdp: fakeOffer() })).error?.code).toBe(
      Code.INVALID_OPERATION,
    );
    client.close();
    other.close();
  });

  test('an offer Janus cannot use is INVALID_PARAMETER, and the publication stays', async () => {
    const { client } = await joined(server, 'clumsy', 911);
    await client.ok('publish', { sdp: fakeOffer(), video: false });
    const broken = `v=0\r\nm=audio 9 RTP/AVP 0\r\na=ice-ufrag:${randomBytes(4).toString('hex')}\r\ngarbage\r\n`;
    const r = await client.call('restartIce', { target: 'main', sdp: broken });
    expect(r.error?.code).toBe(Code.INVALID_PARAMETER);
    expect(r.error?.message).toMatch(/^restartIce failed: /);
    await client.ok('restartIce', { target: 'main', sdp: fakeOffer() });
    client.close();
  });

  test('two restarts at once: the second is refused while the first waits for Janus', async () => {
    const { client } = await joined(server, 'hasty', 912);
    await client.ok('publish', { sdp: fakeOffer(), video: false });
    const [a, b] = await Promise.all([
      client.call('restartIce', { target: 'main', sdp: fakeOffer() }),
      client.call('restartIce', { target: 'main', sdp: fakeOffer() }),
    ]);
    expect(a.result?.sdp).toMatch(/^v=0/);
    expect(b.error?.code).toBe(Code.INVALID_OPERATION);
    expect(b.error?.message).toMatch(/still negotiating/);
    client.close();
  });
});
