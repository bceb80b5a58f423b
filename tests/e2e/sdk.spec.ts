// The SDK's Client/Stream API end to end: Chromium pages with fake camera/microphone run the built
// SDK (dist/trtc.umd.js) against the real room server and its real Janus.
import { expect, test, type Browser, type Page } from '@playwright/test';

import { startRoomServer, type RunningServer } from './support/room-server';

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
