// The Client's state machine and event mapping, and argument validation of the public API, in Node:
// a scripted fake room server stands in for the WebSocket (no media: nothing is published or
// subscribed here; that runs in Chromium against the real server in tests/e2e/sdk.spec.ts).
import { Client, ErrorCode, RtcError, createClient, createStream } from '../../js/src/index';
import type { WebSocketLike } from '../../js/src/signal/signal-channel';
import { LinkQuality, LinkReader, disconnectedSample } from '../../js/src/client/quality';
import { checkRoomId } from '../../js/src/common/validate';

type Reply = { result?: unknown; error?: { code: number; message: string } };

/** A fake room server socket: answers requests with `handler`, lets the test push events. */
class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  sent: { id: number; method: string; params: any }[] = [];

  constructor(private readonly handler: (method: string, params: any) => Reply | undefined) {
    setTimeout(() => {
      this.readyState = 1;
      this.push('welcome', { protocol: 1, server: 'fake' });
    }, 0);
  }

  send(data: string): void {
    const m = JSON.parse(data);
    this.sent.push(m);
    const r = this.handler(m.method, m.params ?? {});
    if (r) setTimeout(() => this.onmessage?.({ data: JSON.stringify({ id: m.id, ...r }) }), 0);
  }

  push(event: string, data: unknown): void {
    this.onmessage?.({ data: JSON.stringify({ event, data }) });
  }

  close(code = 1000): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code, reason: '' }), 0);
  }
}

const snapshot = (extra: Record<string, unknown> = {}) => ({
  result: {
    sessionToken: 'tok',
    roomId: 1,
    role: 'anchor',
    privileges: 255,
    users: [],
    streams: [],
    published: [],
    subscribed: [],
    mediaAvailable: true,
    ...extra,
  },
});

const base = { mode: 'rtc' as const, sdkAppId: 1400000001, userId: 'me', userSig: 'sig', serverUrl: 'ws://fake/rtc' };

function clientWith(handler: (method: string, params: any) => Reply | undefined, config = {}) {
  const client = createClient({ ...base, autoSubscribe: false, ...config });
  const sockets: FakeSocket[] = [];
  client.createSocket = () => {
    const s = new FakeSocket(handler);
    sockets.push(s);
    return s;
  };
  const events: { name: string; data: any }[] = [];
  for (const name of [
    'peer-join',
    'peer-leave',
    'stream-added',
    'stream-removed',
    'stream-updated',
    'mute-audio',
    'mute-video',
    'unmute-audio',
    'unmute-video',
    'client-banned',
    'connection-state-changed',
    'error',
  ] as const) {
    client.on(name, (data: any) => events.push({ name, data }));
  }
  return { client, sockets, events };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

function code(f: () => unknown): number | string {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof RtcError ? e.getCode() : String(e);
  }
}

async function codeAsync(f: () => Promise<unknown>): Promise<number | string> {
  try {
    await f();
    return 'no error';
  } catch (e) {
    return e instanceof RtcError ? e.getCode() : String(e);
  }
}

describe('createClient / createStream validation', () => {
  test.each([
    [undefined, /config/],
    [{ ...base, sdkAppId: '1400000001' }, /sdkAppId/],
    [{ ...base, sdkAppId: 0 }, /sdkAppId/],
    [{ ...base, userId: '' }, /userId/],
    [{ ...base, userId: 'x'.repeat(129) }, /userId.*128 bytes/],
    [{ ...base, userSig: 42 }, /userSig/],
    [{ ...base, mode: 'meeting' }, /mode.*'rtc', 'live'/],
    [{ ...base, autoSubscribe: 'yes' }, /autoSubscribe/],
    [{ ...base, serverUrl: 'http://x/rtc' }, /serverUrl.*ws:\/\//],
    [{ ...base, userDefineRecordId: 'a b' }, /userDefineRecordId/],
  ])('createClient(%j) is INVALID_PARAMETER naming the option', (config, message) => {
    let err: unknown;
    try {
      createClient(config as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RtcError);
    expect((err as RtcError).getCode()).toBe(ErrorCode.INVALID_PARAMETER);
    expect((err as RtcError).message).toMatch(/^TRTC\.createClient: /);
    expect((err as RtcError).message).toMatch(message);
  });

  test('a valid config gives a Client', () => {
    expect(createClient(base)).toBeInstanceOf(Client);
  });

  test.each([
    [{}, /audio, video or screen/],
    [{ audio: 1 }, /audio/],
    [{ screen: true, video: true }, /screen.*video/],
    [{ screenAudio: true }, /screenAudio.*screen/],
    [{ screen: true, screenAudio: true, audio: true }, /screenAudio.*audio/],
    [{ audio: true, facingMode: 'left' }, /facingMode/],
    [{ audioSource: 'track' }, /audioSource/],
  ])('createStream(%j) is INVALID_PARAMETER', (config, message) => {
    let err: unknown;
    try {
      createStream(config as never);
    } catch (e) {
      err = e;
    }
    expect((err as RtcError).getCode()).toBe(ErrorCode.INVALID_PARAMETER);
    expect((err as RtcError).message).toMatch(message);
  });

  test('profiles: presets and objects are checked', async () => {
    const s = createStream({ audio: true, video: true });
    expect(await codeAsync(() => s.setVideoProfile('480p'))).toBe('no error');
    expect(await codeAsync(() => s.setVideoProfile('481p' as never))).toBe(ErrorCode.INVALID_PARAMETER);
    expect(await codeAsync(() => s.setVideoProfile({ width: 640, height: 480, frameRate: 15, bitrate: 0 }))).toBe(
      ErrorCode.INVALID_PARAMETER,
    );
    expect(code(() => s.setAudioProfile('high'))).toBe('no error');
    expect(code(() => s.setAudioProfile('loud' as never))).toBe(ErrorCode.INVALID_PARAMETER);
    expect(code(() => s.setScreenProfile('720p_2'))).toBe('no error');
    expect(code(() => s.setAudioCaptureVolume(-1))).toBe(ErrorCode.INVALID_PARAMETER);
    expect(code(() => s.setVideoContentHint('motion'))).toBe(ErrorCode.INVALID_OPERATION); // before initialize
    expect(await codeAsync(() => s.switchDevice('audio', 'x'))).toBe(ErrorCode.INVALID_OPERATION);
    expect(await codeAsync(() => s.play('x'))).toBe(ErrorCode.NOT_SUPPORTED); // no page in Node
  });

  test('room ids follow useStringRoomId', () => {
    const c = (id: unknown, str: boolean) => code(() => checkRoomId('join', id, str));
    expect(c(1, false)).toBe('no error');
    expect(c(4294967294, false)).toBe('no error');
    for (const bad of [0, 4294967295, 1.5, '12', null]) expect(c(bad, false)).toBe(ErrorCode.INVALID_PARAMETER);
    expect(c('room 1-A_b', true)).toBe('no error');
    for (const bad of ['', 'a/b', 'x'.repeat(65), 'é', 'tab\there', 7])
      expect(c(bad, true)).toBe(ErrorCode.INVALID_PARAMETER);
    let msg = '';
    try {
      checkRoomId('Client.join', '12', false);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/useStringRoomId: true/);
  });
});

describe('Client state machine against a scripted server', () => {
  test('join sends the v4 options, resolves, then announces users and streams already there', async () => {
    const { client, sockets, events } = clientWith((m) =>
      m === 'join'
        ? snapshot({
            users: [{ userId: 'ann', role: 'anchor' }],
            streams: [
              {
                userId: 'ann',
                streamType: 'main',
                hasAudio: true,
                hasVideo: true,
                hasSmall: false,
                audioMuted: true,
                videoMuted: false,
              },
            ],
          })
        : { result: {} },
    );
    await client.join({ roomId: 8888 });
    const join = sockets[0]!.sent.find((m) => m.method === 'join')!;
    expect(join.params).toMatchObject({
      protocol: 1,
      sdkAppId: 1400000001,
      userId: 'me',
      userSig: 'sig',
      roomId: 8888,
      mode: 'rtc',
      role: 'anchor',
    });
    await tick();
    expect(events.map((e) => e.name)).toEqual([
      'connection-state-changed',
      'connection-state-changed',
      'peer-join',
      'stream-added',
      'mute-audio',
    ]);
    expect(events[0]!.data).toEqual({ prevState: 'DISCONNECTED', state: 'CONNECTING' });
    expect(events[1]!.data).toEqual({ prevState: 'CONNECTING', state: 'CONNECTED' });
    const stream = events[3]!.data.stream;
    expect(stream.getUserId()).toBe('ann');
    expect(stream.getType()).toBe('main');
    expect(client.getRemoteMutedState()).toEqual([
      { userId: 'ann', hasAudio: true, hasVideo: true, hasSmall: false, audioMuted: true, videoMuted: false },
    ]);
    // Joining twice is an invalid operation; leave returns to idle and closes the socket.
    expect(await codeAsync(() => client.join({ roomId: 8888 }))).toBe(ErrorCode.INVALID_OPERATION);
    await client.leave();
    expect(sockets[0]!.sent.map((m) => m.method)).toContain('leave');
    expect(sockets[0]!.readyState).toBe(3);
    expect(events.at(-1)).toEqual({
      name: 'connection-state-changed',
      data: { prevState: 'CONNECTED', state: 'DISCONNECTED' },
    });
  });

  test('server events become v4 events: peers, streams, mute state, leave', async () => {
    const { client, sockets, events } = clientWith((m) => (m === 'join' ? snapshot() : { result: {} }));
    await client.join({ roomId: 1 });
    const s = sockets[0]!;
    s.push('peer-join', { userId: 'bob', role: 'anchor' });
    s.push('stream-added', {
      userId: 'bob',
      streamType: 'aux',
      hasAudio: false,
      hasVideo: true,
      hasSmall: false,
      audioMuted: false,
      videoMuted: false,
    });
    s.push('stream-added', {
      userId: 'bob',
      streamType: 'main',
      hasAudio: true,
      hasVideo: true,
      hasSmall: true,
      audioMuted: false,
      videoMuted: false,
    });
    s.push('mute-state', { userId: 'bob', streamType: 'main', audioMuted: false, videoMuted: true });
    s.push('mute-state', { userId: 'bob', streamType: 'main', audioMuted: false, videoMuted: true }); // no change: no event
    s.push('mute-state', { userId: 'bob', streamType: 'main', audioMuted: true, videoMuted: false });
    s.push('peer-join', { userId: 'me', role: 'anchor' }); // never about yourself
    s.push('peer-leave', { userId: 'bob', reason: 'leave' });
    s.push('no-such-event', {});
    const names = events.slice(2).map((e) => `${e.name}${e.data.stream ? ':' + e.data.stream.getType() : ''}`);
    expect(names).toEqual([
      'peer-join',
      'stream-added:auxiliary',
      'stream-added:main',
      'mute-video',
      'mute-audio',
      'unmute-video',
      'stream-removed:main',
      'stream-removed:auxiliary',
      'peer-leave',
    ]);
    expect(client.getRemoteMutedState()).toEqual([]);
    await client.leave();
  });

  test('a failed join is JOIN_ROOM_FAILED with the server code as extraCode, and the client can join again', async () => {
    let fail = true;
    const { client } = clientWith((m) =>
      m === 'join' ? (fail ? { error: { code: 70001, message: 'UserSig expired' } } : snapshot()) : { result: {} },
    );
    let err: RtcError | undefined;
    try {
      await client.join({ roomId: 1 });
    } catch (e) {
      err = e as RtcError;
    }
    expect(err?.getCode()).toBe(ErrorCode.JOIN_ROOM_FAILED);
    expect(err?.getExtraCode()).toBe(70001);
    expect(err?.message).toMatch(/expired/);
    fail = false;
    await client.join({ roomId: 1 });
    await client.leave();
  });

  test('no room server: SIGNAL_CHANNEL_SETUP_FAILED', async () => {
    const client = createClient({ ...base });
    client.createSocket = () => {
      const s = new FakeSocket(() => undefined);
      s.push = () => undefined; // never welcomes
      setTimeout(() => s.close(1006), 1);
      return s;
    };
    expect(await codeAsync(() => client.join({ roomId: 1 }))).toBe(ErrorCode.SIGNAL_CHANNEL_SETUP_FAILED);
  });

  test('client-banned: the event with its reason, then DISCONNECTED and no error', async () => {
    const { client, sockets, events } = clientWith((m) => (m === 'join' ? snapshot() : { result: {} }));
    await client.join({ roomId: 1 });
    sockets[0]!.push('client-banned', { reason: 'room_disband', message: 'dismissed' });
    sockets[0]!.close(4001);
    await tick();
    const tail = events.slice(2).map((e) => e.name);
    expect(tail).toEqual(['connection-state-changed', 'client-banned']);
    expect(events.find((e) => e.name === 'client-banned')!.data).toEqual({
      reason: 'room-disband',
      message: 'dismissed',
    });
    // The client is idle again: publish says join first.
    expect(await codeAsync(() => client.publish(createStream({ audio: true })))).toBe(ErrorCode.INVALID_OPERATION);
  });

  test('calls before join, after destroy, and with bad arguments fail before the network', async () => {
    const { client, sockets } = clientWith(() => ({ result: {} }));
    expect(await codeAsync(() => client.publish(createStream({ audio: true })))).toBe(ErrorCode.INVALID_OPERATION);
    expect(await codeAsync(() => client.publish({} as never))).toBe(ErrorCode.INVALID_PARAMETER);
    expect(await codeAsync(() => client.subscribe({} as never))).toBe(ErrorCode.INVALID_PARAMETER);
    expect(await codeAsync(() => client.switchRole('king' as never))).toBe(ErrorCode.INVALID_PARAMETER);
    expect(await codeAsync(() => client.switchRole('audience'))).toBe(ErrorCode.INVALID_OPERATION);
    expect(await codeAsync(() => client.join({ roomId: '1' }))).toBe(ErrorCode.INVALID_PARAMETER);
    expect(await codeAsync(() => client.join({ roomId: 1, role: 'host' as never }))).toBe(ErrorCode.INVALID_PARAMETER);
    expect(code(() => client.sendSEIMessage(new ArrayBuffer(1001)))).toBe(ErrorCode.INVALID_PARAMETER);
    expect(code(() => client.sendSEIMessage(new ArrayBuffer(10)))).toBe(ErrorCode.INVALID_OPERATION);
    expect(code(() => client.setTurnServer({ url: 'http://turn' }))).toBe(ErrorCode.INVALID_PARAMETER);
    expect(code(() => client.setTurnServer([{ url: 'turn:t.example.com:3478', username: 'u', credential: 'p' }]))).toBe(
      'no error',
    );
    expect(code(() => client.setProxyServer('https://x'))).toBe(ErrorCode.INVALID_PARAMETER);
    expect(code(() => client.setProxyServer({ websocketProxy: 'wss://rtc.example.com/rtc' }))).toBe('no error');
    expect(code(() => client.setSmallStreamProfile({ width: 160, height: 120, frameRate: 15, bitrate: 100 }))).toBe(
      'no error',
    );
    expect(code(() => client.setSmallStreamProfile({ width: 160 } as never))).toBe(ErrorCode.INVALID_PARAMETER);
    expect(code(() => client.enableAudioVolumeEvaluation('fast' as never))).toBe(ErrorCode.INVALID_PARAMETER);
    for (const m of [
      'startPublishCDNStream',
      'stopPublishCDNStream',
      'startMixTranscode',
      'stopMixTranscode',
    ] as const) {
      expect(await codeAsync(() => (client[m] as () => Promise<void>)())).toBe(ErrorCode.NOT_SUPPORTED);
    }
    expect(sockets).toHaveLength(0);
    client.destroy();
    expect(await codeAsync(() => client.join({ roomId: 1 }))).toBe(ErrorCode.INVALID_OPERATION);
  });

  test('a dropped socket reconnects and resumes with the session token; missed leaves are reported', async () => {
    let resumed = 0;
    const { client, sockets, events } = clientWith((m, p) => {
      if (m === 'join')
        return snapshot({
          users: [
            { userId: 'x', role: 'anchor' },
            { userId: 'y', role: 'anchor' },
          ],
        });
      if (m === 'resume') {
        resumed++;
        expect(p.sessionToken).toBe('tok');
        return snapshot({
          users: [
            { userId: 'y', role: 'anchor' },
            { userId: 'z', role: 'anchor' },
          ],
        });
      }
      return { result: {} };
    });
    await client.join({ roomId: 1 });
    await tick();
    sockets[0]!.close(1006);
    await new Promise((r) => setTimeout(r, 800)); // first retry after 500 ms
    expect(resumed).toBe(1);
    const names = events.slice(2).map((e) => `${e.name}:${e.data.userId ?? e.data.state}`);
    expect(names).toEqual([
      'peer-join:x',
      'peer-join:y',
      'connection-state-changed:RECONNECTING',
      'connection-state-changed:CONNECTED',
      'peer-leave:x',
      'peer-join:z',
    ]);
    await client.leave();
  });
});

describe('aborts and resume details', () => {
  test('leave() during join() rejects join with API_CALL_ABORTED, and no error event', async () => {
    const { client, events } = clientWith(() => undefined); // the server never answers join
    const joining = client.join({ roomId: 1 });
    await tick();
    await client.leave();
    expect(await codeAsync(() => joining)).toBe(ErrorCode.API_CALL_ABORTED);
    expect(events.filter((e) => e.name === 'error')).toEqual([]);
  });

  test('after resume, remote mute changes missed while disconnected are reported', async () => {
    const stream = { userId: 'ann', streamType: 'main', hasAudio: true, hasVideo: true, hasSmall: false };
    let resumes = 0;
    const { client, sockets, events } = clientWith((m) => {
      if (m === 'join')
        return snapshot({
          users: [{ userId: 'ann', role: 'anchor' }],
          streams: [{ ...stream, audioMuted: false, videoMuted: false }],
        });
      if (m === 'resume') {
        resumes++;
        return snapshot({
          users: [{ userId: 'ann', role: 'anchor' }],
          streams: [{ ...stream, audioMuted: false, videoMuted: true }],
        });
      }
      return { result: {} };
    });
    await client.join({ roomId: 1 });
    await tick();
    sockets[0]!.close(1006);
    await new Promise((r) => setTimeout(r, 800));
    expect(resumes).toBe(1);
    expect(events.filter((e) => e.name === 'mute-video').map((e) => e.data.userId)).toEqual(['ann']);
    expect(client.getRemoteMutedState()[0]!.videoMuted).toBe(true);
    await client.leave();
  });
});

describe('network quality stats reading (levels are scored in the C++ core)', () => {
  const fakePc = (state: string, reports: Record<string, unknown>[]) =>
    ({
      connectionState: state,
      getStats: async () => new Map(reports.map((r, i) => [String(r.id ?? i), r])),
    }) as unknown as RTCPeerConnection;

  test("uplink: packets sent against RTCP-reported loss, audio jitter, the selected pair's RTT and send-side estimate", async () => {
    const reader = new LinkReader('uplink');
    const r = await reader.read(
      fakePc('connected', [
        { type: 'outbound-rtp', kind: 'video', packetsSent: 900, retransmittedPacketsSent: 50 },
        { type: 'outbound-rtp', kind: 'audio', packetsSent: 100 },
        { type: 'remote-inbound-rtp', kind: 'video', packetsLost: 12, jitter: 0.021, roundTripTime: 0.5 },
        { type: 'remote-inbound-rtp', kind: 'audio', packetsLost: 3, jitter: 0.004 },
        { type: 'transport', selectedCandidatePairId: 'p1' },
        { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.6 }, // stale backup
        {
          type: 'candidate-pair',
          id: 'p1',
          nominated: true,
          currentRoundTripTime: 0.042,
          availableOutgoingBitrate: 1_500_000,
        },
      ]),
    );
    // Retransmissions are not expected packets; jitter is audio's (video's is pacing bursts).
    expect(r.sample).toEqual({ state: 2, rttMs: 42, expected: 950, lost: 15, jitterMs: 4 });
    expect(r.bandwidthKbps).toBe(1500);
  });

  test('downlink: received + lost, RTCP RTT when STUN has none, bitrate between readings', async () => {
    const reader = new LinkReader('downlink');
    const stats = (bytes: number) => [
      { type: 'inbound-rtp', packetsReceived: 480, packetsLost: 20, bytesReceived: bytes, jitter: 0.01 },
      { type: 'remote-inbound-rtp', roundTripTime: 0.08 },
    ];
    const first = await reader.read(fakePc('connecting', stats(10_000)));
    expect(first.sample).toEqual({ state: 1, rttMs: 80, expected: 500, lost: 20, jitterMs: 10 });
    expect(first.bandwidthKbps).toBe(-1);
    await new Promise((r) => setTimeout(r, 50));
    const second = await reader.read(fakePc('failed', stats(20_000)));
    expect(second.sample.state).toBe(3);
    expect(second.bandwidthKbps).toBeGreaterThan(0);
    expect(second.bandwidthKbps).toBeLessThan((10_000 * 8) / 40);
  });

  test('no connection is state none; without the core the level is unknown (6 when disconnected)', async () => {
    const none = await new LinkReader('uplink').read(undefined);
    expect(none.sample.state).toBe(0);
    const q = new LinkQuality();
    expect(q.ready).toBe(false);
    expect(q.update({ state: 2, rttMs: 30, expected: 10, lost: 0, jitterMs: 1 }).level).toBe(0);
    expect(q.update(disconnectedSample()).level).toBe(6);
  });
});
