// Pre-call tests of the SDK (TRTC.runNetworkTest, testCamera, testMicrophone, testSpeaker) in
// Chromium with fake devices, against the real room server and Janus.
import { expect, test, type Page } from '@playwright/test';

import { startRoomServer, type RunningServer } from './support/room-server';

declare const TRTC: any;

const PORT = Number(process.env.TRTC_E2E_PRECALL_PORT ?? 8093);
let server: RunningServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startRoomServer(PORT, ['--static', '/sdk=tests/e2e/sdk', '--static', '/dist=dist']);
});

test.afterAll(async () => {
  await server.stop();
});

async function open(page: Page): Promise<void> {
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await page.goto(`${server.base}/sdk/index.html`);
  await page.waitForFunction(() => (window as any).harnessReady === true);
}

async function roomCount(): Promise<number> {
  const health = await (await fetch(`${server.base}/health`)).json();
  return health.rooms ?? health.roomCount ?? 0;
}

test('runNetworkTest publishes and subscribes through the server and reports both directions', async ({ page }) => {
  await open(page);
  const out = await page.evaluate(async () => {
    const sig = async (u: string) => (await (await fetch(`/dev/usersig?userId=${u}`)).json()).userSig;
    const progress: any[] = [];
    const result = await TRTC.runNetworkTest({
      sdkAppId: 1400000001,
      uplinkUserId: 'nt_up',
      uplinkUserSig: await sig('nt_up'),
      downlinkUserId: 'nt_down',
      downlinkUserSig: await sig('nt_down'),
      duration: 7000,
      onProgress: (p: any) => progress.push(p),
    });
    return { result, progress };
  });
  const r = out.result;
  // Loopback through Janus: excellent or good both ways, little loss, real traffic.
  expect(r.uplinkNetworkQuality).toBeGreaterThanOrEqual(1);
  expect(r.uplinkNetworkQuality).toBeLessThanOrEqual(2);
  expect(r.downlinkNetworkQuality).toBeGreaterThanOrEqual(1);
  expect(r.downlinkNetworkQuality).toBeLessThanOrEqual(2);
  expect(r.uplinkRTT).toBeGreaterThanOrEqual(0);
  expect(r.uplinkRTT).toBeLessThan(100);
  expect(r.uplinkLoss).toBeLessThan(5);
  expect(r.downlinkLoss).toBeLessThan(5);
  expect(r.samples).toBeGreaterThanOrEqual(3);
  expect(r.duration).toBeGreaterThanOrEqual(7000);
  expect(r.uplinkBandwidth).toBeGreaterThan(100);
  expect(r.downlinkBandwidth).toBeGreaterThan(100);
  expect(r.connectTime).toBeGreaterThan(0);
  // Progress: connecting first, then measuring with progress rising to 1.
  expect(out.progress[0].phase).toBe('connecting');
  const measuring = out.progress.filter((p: any) => p.phase === 'measuring');
  expect(measuring.length).toBeGreaterThanOrEqual(5);
  for (let i = 1; i < measuring.length; i++)
    expect(measuring[i].progress).toBeGreaterThanOrEqual(measuring[i - 1].progress);
  expect(measuring.at(-1).progress).toBe(1);
  expect(measuring.some((p: any) => p.uplinkNetworkQuality >= 1 && p.downlinkNetworkQuality >= 1)).toBe(true);
  // Both test users left.
  await expect.poll(roomCount, { timeout: 10_000 }).toBe(0);
});

test('runNetworkTest: wrong UserSig, bad options and abort give typed errors and leave nothing behind', async ({
  page,
}) => {
  await open(page);
  const errors = await page.evaluate(async () => {
    const sig = async (u: string) => (await (await fetch(`/dev/usersig?userId=${u}`)).json()).userSig;
    const codeOf = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'resolved';
      } catch (e: any) {
        return e instanceof TRTC.RtcError ? [e.getCode(), e.getExtraCode?.() ?? 0] : String(e);
      }
    };
    const base = {
      sdkAppId: 1400000001,
      uplinkUserId: 'nt_up2',
      uplinkUserSig: await sig('nt_up2'),
      downlinkUserId: 'nt_down2',
      downlinkUserSig: await sig('nt_down2'),
    };
    const wrongSig = await codeOf(TRTC.runNetworkTest({ ...base, uplinkUserSig: 'not-a-usersig' }));
    const sameUser = await codeOf(TRTC.runNetworkTest({ ...base, downlinkUserId: 'nt_up2' }));
    const shortDuration = await codeOf(TRTC.runNetworkTest({ ...base, duration: 10 }));
    // Aborted once measuring started: both users had joined, published and subscribed.
    const ac = new AbortController();
    const phases: string[] = [];
    const aborted = await codeOf(
      TRTC.runNetworkTest({
        ...base,
        duration: 20000,
        signal: ac.signal,
        onProgress: (p: any) => {
          phases.push(p.phase);
          if (p.phase === 'measuring') ac.abort();
        },
      }),
    );
    return { wrongSig, sameUser, shortDuration, aborted, phases };
  });
  expect(errors.wrongSig[0]).toBe(0x4004); // JOIN_ROOM_FAILED
  expect(errors.wrongSig[1]).toBe(70003); // the server's "UserSig cannot be decoded"
  expect(errors.sameUser[0]).toBe(0x1000); // INVALID_PARAMETER
  expect(errors.shortDuration[0]).toBe(0x1000);
  expect(errors.aborted[0]).toBe(0x404d); // API_CALL_ABORTED
  expect(errors.phases).toEqual(['connecting', 'measuring']);
  await expect.poll(roomCount, { timeout: 10_000 }).toBe(0);
});

test('testCamera, testMicrophone and testSpeaker measure the fake devices', async ({ page }) => {
  await open(page);
  const r = await page.evaluate(async () => {
    const view = document.createElement('div');
    view.id = 'cam-view';
    document.body.append(view);
    const camProgress: any[] = [];
    const camera = await TRTC.testCamera({
      view: 'cam-view',
      duration: 2500,
      onProgress: (p: any) => camProgress.push({ ...p, previewed: !!view.querySelector('video') }),
    });
    // The preview is shown while the test runs and removed afterwards.
    const previewed = camProgress.every((p) => p.previewed) && !view.querySelector('video');
    const micProgress: any[] = [];
    const microphone = await TRTC.testMicrophone({ duration: 2000, onProgress: (p: any) => micProgress.push(p) });
    const speaker = await TRTC.testSpeaker({ duration: 1000, frequency: 880 });
    const badSpeaker = await TRTC.testSpeaker({ speakerId: 'no-such-speaker', duration: 500 }).then(
      () => 'resolved',
      (e: any) => e.getCode(),
    );
    return { camera, camProgress, previewed, microphone, micProgress, speaker, badSpeaker };
  });
  // Chromium's fake camera delivers the asked 1280×720 at about its 30 fps (720p asks for 15 fps).
  expect(r.camera.working).toBe(true);
  expect(r.camera.width).toBe(1280);
  expect(r.camera.height).toBe(720);
  expect(r.camera.frameRate).toBeGreaterThan(5);
  expect(r.camera.frames).toBeGreaterThan(10);
  expect(r.camera.label.length).toBeGreaterThan(0);
  expect(r.camProgress.length).toBeGreaterThanOrEqual(2);
  expect(r.previewed).toBe(true);
  // The fake microphone beeps.
  expect(r.microphone.hasSignal).toBe(true);
  expect(r.microphone.maxVolume).toBeGreaterThan(1);
  expect(r.micProgress.length).toBeGreaterThanOrEqual(10);
  // The tone played (autoplay is allowed in the test browser), at its set level.
  expect(r.speaker.played).toBe(true);
  expect(r.speaker.maxLevel).toBeGreaterThan(0.1);
  expect(r.speaker.duration).toBeGreaterThanOrEqual(900);
  expect(r.badSpeaker).toBe(0x1003); // DEVICE_NOT_FOUND
});
