// The SDK's Client/Stream API end to end: Chromium pages with fake camera/microphone run the built
// SDK (dist/trtc.umd.js) against the real room server and its real Janus.
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';

import { chromiumLaunchOptions } from '../../scripts/chromium.mjs';
import { startRoomServer, type RunningServer } from './support/room-server';

// The SDK's UMD global inside the pages.
declare const TRTC: any;

const PORT = Number(process.env.TRTC_E2E_SDK_PORT ?? 8095);
let server: RunningServer;
let room = 1000 + Math.floor(Math.random() * 100000);

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startRoomServer(PORT, [
    '--grace-seconds',
    '8',
    '--static',
    '/sdk=tests/e2e/sdk',
    '--static',
    '/dist=dist',
  ]);
});

test.afterAll(async () => {
  await server.stop();
});

async function openPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await page.goto(`${server.base}/sdk/index.html`);
  await page.waitForFunction(() => (window as any).harnessReady === true);
  return page;
}

test('two clients: join, publish, auto-subscribe, play, mute events, stats, unpublish, leave', async ({ browser }) => {
  const roomId = room++;
  const [a, b] = [await openPage(browser), await openPage(browser)];
  await a.evaluate(async (roomId) => {
    const h = (window as any).h;
    const c = await h.client('alice');
    h.trackRemotes('alice');
    await c.join({ roomId });
    const s = await h.localStream('alice');
    await s.play('local');
    await c.publish(s);
  }, roomId);
  await b.evaluate(async (roomId) => {
    const h = (window as any).h;
    const c = await h.client('bob');
    h.trackRemotes('bob');
    c.on('stream-subscribed', (e: any) => e.stream.play('remote'));
    c.enableAudioVolumeEvaluation(200);
    await c.join({ roomId });
    const s = await h.localStream('bob');
    await c.publish(s);
  }, roomId);
  // Bob saw Alice join (she was there before him) and her stream, subscribed automatically and plays it.
  await b.evaluate(() => (window as any).h.waitEvent('bob', 'peer-join', (d: any) => d.userId === 'alice'));
  await b.evaluate(() =>
    (window as any).h.waitEvent('bob', 'stream-subscribed', (d: any) => d.stream.userId === 'alice'),
  );
  const video = await b.evaluate(() => (window as any).h.waitVideo('remote'));
  expect(video.width).toBe(640);
  expect(video.height).toBe(480);
  // Alice sees Bob's stream too.
  await a.evaluate(() =>
    (window as any).h.waitEvent('alice', 'stream-subscribed', (d: any) => d.stream.userId === 'bob'),
  );
  // Remote audio is there: packets arrive and the level is above silence.
  const audio = await b.evaluate(async () => {
    const h = (window as any).h;
    const c = h.clients.bob;
    const r = h.remote('bob', 'alice');
    let level = 0;
    for (let i = 0; i < 40 && level < 0.01; i++) {
      await new Promise((res) => setTimeout(res, 100));
      level = r.getAudioLevel();
    }
    const st1 = await c.getRemoteAudioStats();
    await new Promise((res) => setTimeout(res, 600));
    const st2 = await c.getRemoteAudioStats();
    return { level, p1: st1.alice.packetsReceived, p2: st2.alice.packetsReceived, hasAudio: r.hasAudio() };
  });
  expect(audio.hasAudio).toBe(true);
  expect(audio.level).toBeGreaterThan(0.01);
  expect(audio.p2).toBeGreaterThan(audio.p1);
  // audio-volume reports Alice speaking.
  await b.evaluate(() =>
    (window as any).h.waitEvent('bob', 'audio-volume', (d: any) =>
      d.result.some((x: any) => x.userId === 'alice' && x.audioVolume > 0),
    ),
  );
  // Stats move.
  const stats = await a.evaluate(async () => {
    const c = (window as any).h.clients.alice;
    const v1 = (await c.getLocalVideoStats()).alice;
    const a1 = (await c.getLocalAudioStats()).alice;
    await new Promise((r) => setTimeout(r, 1000));
    const v2 = (await c.getLocalVideoStats()).alice;
    const rv = (await c.getRemoteVideoStats()).bob;
    const t = await c.getTransportStats();
    return { v1, v2, a1, rv, t };
  });
  expect(stats.v2.framesEncoded).toBeGreaterThan(stats.v1.framesEncoded);
  expect(stats.v2.bytesSent).toBeGreaterThan(stats.v1.bytesSent);
  expect(stats.a1.packetsSent).toBeGreaterThan(0);
  expect(stats.rv.framesDecoded).toBeGreaterThan(0);
  expect(stats.t.rtt).toBeGreaterThanOrEqual(0);
  expect(typeof stats.t.downlinksRTT.bob).toBe('number');
  // network-quality every 2 s.
  const nq = await b.evaluate(() =>
    (window as any).h.waitEvent('bob', 'network-quality', (d: any) => d.downlinkNetworkQuality > 0),
  );
  expect(nq.uplinkNetworkQuality).toBeGreaterThanOrEqual(1);
  expect(nq.uplinkNetworkQuality).toBeLessThanOrEqual(6);
  // Mute and unmute reach Bob as events and in getRemoteMutedState.
  await a.evaluate(() => (window as any).h.streams.alice.muteVideo());
  await b.evaluate(() => (window as any).h.waitEvent('bob', 'mute-video', (d: any) => d.userId === 'alice'));
  expect(await b.evaluate(() => (window as any).h.clients.bob.getRemoteMutedState())).toContainEqual(
    expect.objectContaining({ userId: 'alice', videoMuted: true, audioMuted: false, hasVideo: true }),
  );
  await a.evaluate(() => (window as any).h.streams.alice.muteAudio());
  await b.evaluate(() => (window as any).h.waitEvent('bob', 'mute-audio', (d: any) => d.userId === 'alice'));
  await a.evaluate(() => {
    const s = (window as any).h.streams.alice;
    s.unmuteVideo();
    s.unmuteAudio();
  });
  await b.evaluate(() => (window as any).h.waitEvent('bob', 'unmute-video', (d: any) => d.userId === 'alice'));
  await b.evaluate(() => (window as any).h.waitEvent('bob', 'unmute-audio', (d: any) => d.userId === 'alice'));
  // Unpublish: Bob gets stream-removed; leave: peer-leave.
  await a.evaluate(() => (window as any).h.clients.alice.unpublish((window as any).h.streams.alice));
  await b.evaluate(() => (window as any).h.waitEvent('bob', 'stream-removed', (d: any) => d.stream.userId === 'alice'));
  await a.evaluate(() => (window as any).h.clients.alice.leave());
  await b.evaluate(() => (window as any).h.waitEvent('bob', 'peer-leave', (d: any) => d.userId === 'alice'));
  await b.evaluate(() => (window as any).h.clients.bob.leave());
});

test('manual subscribe (autoSubscribe: false), audio only, then unsubscribe', async ({ browser }) => {
  const roomId = room++;
  const [a, b] = [await openPage(browser), await openPage(browser)];
  await a.evaluate((roomId) => (window as any).h.joinAndPublish('pub', roomId).then(() => undefined), roomId);
  const r = await b.evaluate(async (roomId) => {
    const h = (window as any).h;
    const c = await h.client('sub', { config: { autoSubscribe: false } });
    h.trackRemotes('sub');
    await c.join({ roomId });
    await h.waitEvent('sub', 'stream-added');
    await new Promise((res) => setTimeout(res, 500));
    const before = h.count('sub', 'stream-subscribed');
    const s = h.remote('sub', 'pub');
    await c.subscribe(s, { audio: true, video: false });
    await s.play('remote');
    const out = {
      before,
      hasAudioTrack: !!s.getAudioTrack(),
      hasVideoTrack: !!s.getVideoTrack(),
      hasVideo: s.hasVideo(),
    };
    let packets = 0;
    for (let i = 0; i < 50 && packets === 0; i++) {
      await new Promise((res) => setTimeout(res, 100));
      packets = (await c.getRemoteAudioStats()).pub?.packetsReceived ?? 0;
    }
    const video = await c.getRemoteVideoStats();
    await c.unsubscribe(s);
    return { ...out, packets, video, afterUnsub: !!s.getAudioTrack() };
  }, roomId);
  expect(r.before).toBe(0);
  expect(r.hasAudioTrack).toBe(true);
  expect(r.hasVideoTrack).toBe(false);
  expect(r.hasVideo).toBe(true); // the remote publishes video; we just did not ask for it
  expect(r.packets).toBeGreaterThan(0);
  expect(r.video).toEqual({});
  expect(r.afterUnsub).toBe(false);
  // Invalid calls fail with typed errors before touching the network.
  const errs = await b.evaluate(async () => {
    const h = (window as any).h;
    const c = h.clients.sub;
    const codes: Record<string, unknown> = {};
    const grab = async (name: string, f: () => unknown) => {
      try {
        await f();
        codes[name] = 'no error';
      } catch (e: any) {
        codes[name] = e.getCode ? e.getCode() : String(e);
      }
    };
    await grab('subscribeNothing', () => c.subscribe(h.remote('sub', 'pub'), { audio: false, video: false }));
    await grab('subscribeNotAStream', () => c.subscribe({}));
    await grab('publishNotAStream', () => c.publish('x'));
    await grab('publishUninitialized', () => c.publish(TRTC.createStream({ audio: true })));
    await grab('joinTwice', () => c.join({ roomId: 5 }));
    await grab('unsubscribeNotSubscribed', () => c.unsubscribe(h.remote('sub', 'pub')));
    await grab('switchRoleInRtc', () => c.switchRole('audience'));
    await grab('cdn', () => c.startPublishCDNStream());
    await grab('badProfile', () => TRTC.createStream({ video: true }).setVideoProfile('999p'));
    await grab('badClient', () => TRTC.createClient({ mode: 'rtc', sdkAppId: 'x', userId: 'u', userSig: 's' }));
    await grab('playMissingElement', () => h.remote('sub', 'pub').play('no-such-element'));
    return codes;
  });
  expect(errs).toEqual({
    subscribeNothing: 0x1000,
    subscribeNotAStream: 0x1000,
    publishNotAStream: 0x1000,
    publishUninitialized: 0x1001,
    joinTwice: 0x1001,
    unsubscribeNotSubscribed: 0x1001,
    switchRoleInRtc: 0x1001,
    cdn: 0x1002,
    badProfile: 0x1000,
    badClient: 0x1000,
    playMissingElement: 0x1000,
  });
});

test("live mode: the audience cannot publish until switchRole('anchor'); back to audience unpublishes", async ({
  browser,
}) => {
  const roomId = room++;
  const [a, b] = [await openPage(browser), await openPage(browser)];
  await b.evaluate(async (roomId) => {
    const h = (window as any).h;
    const c = await h.client('viewer', { config: { mode: 'live' } });
    await c.join({ roomId, role: 'anchor' });
  }, roomId);
  const r = await a.evaluate(async (roomId) => {
    const h = (window as any).h;
    const c = await h.client('guest', { config: { mode: 'live' } });
    await c.join({ roomId, role: 'audience' });
    const s = await h.localStream('guest');
    let code = 0;
    try {
      await c.publish(s);
    } catch (e: any) {
      code = e.getCode();
    }
    await c.switchRole('anchor');
    await c.publish(s);
    return code;
  }, roomId);
  expect(r).toBe(0x1001);
  await b.evaluate(() => (window as any).h.waitEvent('viewer', 'peer-join', (d: any) => d.userId === 'guest'));
  await b.evaluate(() =>
    (window as any).h.waitEvent('viewer', 'stream-subscribed', (d: any) => d.stream.userId === 'guest'),
  );
  await a.evaluate(() => (window as any).h.clients.guest.switchRole('audience'));
  await b.evaluate(() =>
    (window as any).h.waitEvent('viewer', 'stream-removed', (d: any) => d.stream.userId === 'guest'),
  );
  await b.evaluate(() => (window as any).h.waitEvent('viewer', 'peer-leave', (d: any) => d.userId === 'guest'));
});

test('screen share as the auxiliary stream, next to the camera', async ({ browser }) => {
  const roomId = room++;
  const [a, b] = [await openPage(browser), await openPage(browser)];
  const screen = await a.evaluate(async (roomId) => {
    const h = (window as any).h;
    const c = await h.client('presenter');
    await c.join({ roomId });
    await c.publish(await h.localStream('presenter'));
    // A screen stream: getDisplayMedia where the browser allows it headless, else a canvas track
    // (the same LocalStream path as custom capture).
    let stream;
    let source = 'getDisplayMedia';
    try {
      stream = TRTC.createStream({ screen: true });
      await stream.initialize();
    } catch {
      source = 'canvas';
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 360;
      const ctx = canvas.getContext('2d')!;
      let n = 0;
      setInterval(() => {
        ctx.fillStyle = `hsl(${n++ % 360} 70% 50%)`;
        ctx.fillRect(0, 0, 640, 360);
      }, 50);
      stream = TRTC.createStream({ videoSource: canvas.captureStream(15).getVideoTracks()[0] });
      await stream.initialize();
    }
    h.streams.screen = stream;
    await c.publish(stream, { isAuxiliary: true });
    return source;
  }, roomId);
  console.log(`screen share source: ${screen}`);
  const r = await b.evaluate(async (roomId) => {
    const h = (window as any).h;
    const c = await h.client('audience1');
    h.trackRemotes('audience1');
    c.on('stream-subscribed', (e: any) => e.stream.play(e.stream.getType() === 'auxiliary' ? 'remote2' : 'remote'));
    await c.join({ roomId });
    await h.waitEvent('audience1', 'stream-subscribed', (d: any) => d.stream.type === 'auxiliary');
    const aux = await h.waitVideo('remote2');
    const main = await h.waitVideo('remote');
    const stats = await c.getRemoteVideoStats('auxiliary');
    return { aux, main, stats, types: h.remoteStreams.audience1.map((s: any) => s.getType()).sort() };
  }, roomId);
  expect(r.types).toEqual(['auxiliary', 'main']);
  expect(r.aux.width).toBeGreaterThan(0);
  expect(r.main.width).toBe(640);
  expect(r.stats.presenter.framesDecoded).toBeGreaterThan(0);
  await a.evaluate(() => (window as any).h.clients.presenter.unpublish((window as any).h.streams.screen));
  await b.evaluate(() =>
    (window as any).h.waitEvent('audience1', 'stream-removed', (d: any) => d.stream.type === 'auxiliary'),
  );
});

test('small stream: the subscriber switches between the big and the small video', async ({ browser }) => {
  const roomId = room++;
  const [a, b] = [await openPage(browser), await openPage(browser)];
  await a.evaluate(async (roomId) => {
    const h = (window as any).h;
    const c = await h.client('big');
    await c.join({ roomId });
    c.setSmallStreamProfile({ width: 160, height: 120, frameRate: 15, bitrate: 100 });
    await c.enableSmallStream();
    await c.publish(await h.localStream('big'));
  }, roomId);
  const widths = await b.evaluate(async (roomId) => {
    const h = (window as any).h;
    const c = await h.client('watcher');
    h.trackRemotes('watcher');
    await c.join({ roomId });
    await h.waitEvent('watcher', 'stream-subscribed');
    const s = h.remote('watcher', 'big');
    const width = async (pred: (w: number) => boolean) => {
      for (let i = 0; i < 100; i++) {
        const st = (await c.getRemoteVideoStats()).big;
        if (st && pred(st.frameWidth)) return st.frameWidth;
        await new Promise((res) => setTimeout(res, 150));
      }
      return -1;
    };
    const big1 = await width((w) => w >= 640);
    await c.setRemoteVideoStreamType(s, 'small');
    const small = await width((w) => w > 0 && w <= 320);
    await c.setRemoteVideoStreamType(s, 'big');
    const big2 = await width((w) => w >= 640);
    return { big1, small, big2, hasSmall: c.getRemoteMutedState()[0].hasSmall };
  }, roomId);
  expect(widths.hasSmall).toBe(true);
  expect(widths.big1).toBe(640);
  expect(widths.small).toBeGreaterThan(0);
  expect(widths.small).toBeLessThanOrEqual(320);
  expect(widths.big2).toBe(640);
});

test('duplicate userId: the first client gets client-banned (kick); a wrong UserSig is JOIN_ROOM_FAILED', async ({
  browser,
}) => {
  const roomId = room++;
  const [a, b] = [await openPage(browser), await openPage(browser)];
  await a.evaluate(async (roomId) => {
    const h = (window as any).h;
    await (await h.client('twin')).join({ roomId });
  }, roomId);
  await b.evaluate(async (roomId) => {
    const h = (window as any).h;
    await (await h.client('twin')).join({ roomId });
  }, roomId);
  const banned = await a.evaluate(() => (window as any).h.waitEvent('twin', 'client-banned'));
  expect(banned.reason).toBe('kick');
  const states = await a.evaluate(() =>
    (window as any).h.events.filter((e: any) => e.event === 'connection-state-changed').map((e: any) => e.data.state),
  );
  expect(states.at(-1)).toBe('DISCONNECTED');
  const err = await b.evaluate(async (roomId) => {
    const h = (window as any).h;
    // A UserSig made for another user.
    const other = (await (await fetch('/dev/usersig?userId=someone-else')).json()).userSig;
    const c = await h.client('impostor', { userSig: other });
    try {
      await c.join({ roomId });
      return null;
    } catch (e: any) {
      return { code: e.getCode(), extra: e.getExtraCode(), instance: e instanceof TRTC.RtcError, message: e.message };
    }
  }, roomId);
  expect(err).toMatchObject({ code: 0x4004, extra: 70013, instance: true });
});

test('reconnection: the socket drops, the client resumes, media keeps flowing and nobody sees a leave', async ({
  browser,
}) => {
  const roomId = room++;
  const [a, b] = [await openPage(browser), await openPage(browser)];
  await a.evaluate((roomId) => (window as any).h.joinAndPublish('mobile', roomId).then(() => undefined), roomId);
  await b.evaluate((roomId) => (window as any).h.joinAndWatch('desk', roomId).then(() => undefined), roomId);
  const dropped = await a.evaluate(() => (window as any).h.dropSocket('mobile'));
  expect(dropped).toBe(1);
  await a.evaluate(() =>
    (window as any).h.waitEvent('mobile', 'connection-state-changed', (d: any) => d.state === 'RECONNECTING'),
  );
  await a.evaluate(() =>
    (window as any).h.waitEvent(
      'mobile',
      'connection-state-changed',
      (d: any) => d.state === 'CONNECTED' && d.prevState === 'RECONNECTING',
    ),
  );
  // Signaling works again: a mute reaches the other side.
  await a.evaluate(() => (window as any).h.streams.mobile.muteAudio());
  await b.evaluate(() => (window as any).h.waitEvent('desk', 'mute-audio', (d: any) => d.userId === 'mobile'));
  const frames = await b.evaluate(async () => {
    const c = (window as any).h.clients.desk;
    const f1 = (await c.getRemoteVideoStats()).mobile.framesDecoded;
    await new Promise((r) => setTimeout(r, 1000));
    return [f1, (await c.getRemoteVideoStats()).mobile.framesDecoded];
  });
  expect(frames[1]).toBeGreaterThan(frames[0]);
  expect(await b.evaluate(() => (window as any).h.count('desk', 'peer-leave'))).toBe(0);
  expect(await b.evaluate(() => (window as any).h.count('desk', 'stream-removed'))).toBe(0);
});

test('device unplugged: the camera is recaptured (device-auto-recovered) and the remote keeps receiving', async ({
  browser,
}) => {
  const roomId = room++;
  const [a, b] = [await openPage(browser), await openPage(browser)];
  await a.evaluate(async (roomId) => {
    const h = (window as any).h;
    const c = await h.client('cam');
    await c.join({ roomId });
    const s = await h.localStream('cam');
    s.on('device-auto-recovered', (e: any) =>
      h.events.push({ client: 'cam', event: 'device-auto-recovered', data: e }),
    );
    await c.publish(s);
  }, roomId);
  await b.evaluate((roomId) => (window as any).h.joinAndWatch('peer', roomId).then(() => undefined), roomId);
  const r = await a.evaluate(async () => {
    const h = (window as any).h;
    const s = h.streams.cam;
    const old = s.getVideoTrack();
    // What the browser does when a camera is unplugged: the track ends and fires 'ended'.
    old.stop();
    old.dispatchEvent(new Event('ended'));
    const e = await h.waitEvent('cam', 'device-auto-recovered');
    return { e, replaced: s.getVideoTrack() !== old, live: s.getVideoTrack().readyState };
  });
  expect(r.e).toMatchObject({ isCamera: true, isMicrophone: false });
  expect(r.replaced).toBe(true);
  expect(r.live).toBe('live');
  const frames = await b.evaluate(async () => {
    const c = (window as any).h.clients.peer;
    const f1 = (await c.getRemoteVideoStats()).cam.framesDecoded;
    await new Promise((r) => setTimeout(r, 1500));
    return [f1, (await c.getRemoteVideoStats()).cam.framesDecoded];
  });
  expect(frames[1]).toBeGreaterThan(frames[0] + 5);
});

test('SEI messages reach the other clients (enableSEI)', async ({ browser }) => {
  const roomId = room++;
  const [a, b] = [await openPage(browser), await openPage(browser)];
  await b.evaluate(async (roomId) => {
    const h = (window as any).h;
    await (await h.client('rx', { config: { enableSEI: true } })).join({ roomId });
  }, roomId);
  await a.evaluate(async (roomId) => {
    const h = (window as any).h;
    const c = await h.joinAndPublish('tx', roomId, { config: { enableSEI: true } });
    c.sendSEIMessage(new TextEncoder().encode('hello sei').buffer);
  }, roomId);
  const m = await b.evaluate(() => (window as any).h.waitEvent('rx', 'sei-message'));
  expect(m).toMatchObject({ userId: 'tx', data: 'hello sei', seiPayloadType: 243 });
});

test('autoplay blocked: PLAY_NOT_ALLOWED on the stream, the built-in dialog, and resume after a click', async ({
  browser,
}) => {
  const roomId = room++;
  const a = await openPage(browser);
  await a.evaluate((roomId) => (window as any).h.joinAndPublish('speaker', roomId).then(() => undefined), roomId);
  // A browser that enforces the autoplay policy (the shared one allows autoplay for the other tests).
  const opts = chromiumLaunchOptions({ fakeMedia: true });
  const strict = await chromium.launch({
    executablePath: opts.executablePath,
    args: [...opts.args.filter((x) => !x.startsWith('--autoplay-policy')), '--autoplay-policy=user-gesture-required'],
  });
  try {
    const b = await (await strict.newContext()).newPage();
    const result = new Promise<any>((resolve) =>
      b.on('console', (m) => {
        if (m.text().startsWith('autoplay-result ')) resolve(JSON.parse(m.text().slice('autoplay-result '.length)));
      }),
    );
    // No page.evaluate/waitForFunction before play() settled: Playwright runs those as user gestures.
    await b.goto(`${server.base}/sdk/index.html?autoplay=${roomId}`);
    const r = await result;
    expect(r.played).toBe(0x4043);
    expect(r.errors).toContain(0x4043);
    const dialog = b.locator('.trtc-autoplay-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button').click();
    await expect(dialog).toHaveCount(0);
    await expect
      .poll(() => b.evaluate(() => (document.querySelector('#remote audio') as HTMLAudioElement | null)?.paused))
      .toBe(false);
  } finally {
    await strict.close();
  }
});

test('Logger.enableUploadLog sends SDK log lines to the room server', async ({ browser }) => {
  const page = await openPage(browser);
  await page.evaluate(async (roomId) => {
    const h = (window as any).h;
    TRTC.Logger.enableUploadLog();
    const c = await h.client('logger');
    await c.join({ roomId });
    await new Promise((r) => setTimeout(r, 2500));
    await c.leave();
    TRTC.Logger.disableUploadLog();
  }, room++);
  await expect.poll(() => server.output().includes('"userId":"logger"'), { timeout: 5000 }).toBe(true);
  expect(server.output()).toMatch(/client-log .*joined room/);
});
