// Audio end to end, through the real room server and Janus, measured at the receiving page with a
// plain AnalyserNode: the publisher's microphone (Chromium's fake capture playing a generated
// 440 Hz WAV) arrives at 440 Hz; `audio-volume` (computed in the SDK's AudioWorklet) reports the
// speaker, and ~0 after muteAudio(); the AudioMixer plugin (WASM mixer in its own worklet) mixes a
// generated 1 kHz WAV and an Ogg Opus file into the published track, also while the microphone
// is muted, and stops cleanly on unpublish.
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromiumLaunchOptions } from '../../scripts/chromium.mjs';
import { startRoomServer, type RunningServer } from './support/room-server';

const PORT = Number(process.env.TRTC_E2E_AUDIO_PORT ?? 8090);
const FIXTURES = join(tmpdir(), `trtc-audio-fixtures-${process.pid}`);
let server: RunningServer;
let browser: Browser;
let room = 30000 + Math.floor(Math.random() * 10000);

/** A 16-bit mono WAV of a sine. */
function sineWav(rate: number, hz: number, seconds: number, amplitude: number): Buffer {
  const n = Math.round(rate * seconds);
  const b = Buffer.alloc(44 + 2 * n);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + 2 * n, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++)
    b.writeInt16LE(Math.round(32767 * amplitude * Math.sin((2 * Math.PI * hz * i) / rate)), 44 + 2 * i);
  return b;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  mkdirSync(FIXTURES, { recursive: true });
  // The fake microphone: 440 Hz. The mixer's source: 1 kHz at 44.1 kHz (the worklet resamples it).
  writeFileSync(join(FIXTURES, 'mic-440.wav'), sineWav(48000, 440, 4, 0.5));
  writeFileSync(join(FIXTURES, 'tone-1k.wav'), sineWav(44100, 1000, 3, 0.5));
  // An Ogg Opus file (700 Hz, 3 s, stereo) from the native fixture writer (libopus's encoder).
  execFileSync('build/native/wasm/trtc_make_ogg_opus', [join(FIXTURES, 'tone-700.opus'), '3', '700', '2']);
  server = await startRoomServer(PORT, [
    '--static',
    '/sdk=tests/e2e/sdk',
    '--static',
    '/audio=tests/e2e/audio',
    '--static',
    `/fixtures=${FIXTURES}`,
    '--static',
    '/dist=dist',
  ]);
  const opts = chromiumLaunchOptions({ fakeMedia: true });
  browser = await chromium.launch({
    ...opts,
    args: [...opts.args, `--use-file-for-fake-audio-capture=${join(FIXTURES, 'mic-440.wav')}`],
  });
});

test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openPage(): Promise<{ page: Page }> {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  // Probes: which worklet modules the page loads, and whether anything reads audio samples on the
  // main thread (the SDK's fallback meter would).
  await page.addInitScript(() => {
    const probes = { modules: [] as string[], analyserReads: 0 };
    (window as any).audioProbes = probes;
    const addModule = AudioWorklet.prototype.addModule;
    AudioWorklet.prototype.addModule = function (url: string | URL, options?: WorkletOptions) {
      probes.modules.push(String(url));
      return addModule.call(this, url, options);
    };
    const read = AnalyserNode.prototype.getFloatTimeDomainData;
    AnalyserNode.prototype.getFloatTimeDomainData = function (array: Float32Array<ArrayBuffer>) {
      probes.analyserReads++;
      return read.call(this, array);
    };
  });
  await page.goto(`${server.base}/audio/index.html`);
  await page.waitForFunction(() => (window as any).harnessReady === true);
  return { page };
}

/** Alice publishes her microphone; Bob subscribes and plays it. */
async function call(roomId: number): Promise<{ a: Page; b: Page }> {
  const { page: a } = await openPage();
  const { page: b } = await openPage();
  await a.evaluate(async (roomId) => {
    const h = (window as any).h;
    const c = await h.client('alice');
    c.enableAudioVolumeEvaluation(200);
    await c.join({ roomId });
    // Without the browser's noise suppression and gain control, which treat a steady tone as noise.
    const config = {
      audio: true,
      video: false,
      noiseSuppression: false,
      autoGainControl: false,
      echoCancellation: false,
    };
    await c.publish(await h.localStream('alice', config));
  }, roomId);
  await b.evaluate(async (roomId) => {
    const h = (window as any).h;
    const c = await h.client('bob');
    h.trackRemotes('bob');
    c.on('stream-subscribed', (e: any) => e.stream.play('remote'));
    c.enableAudioVolumeEvaluation(200);
    await c.join({ roomId });
    await h.waitEvent('bob', 'stream-subscribed', (d: any) => d.stream.userId === 'alice');
  }, roomId);
  return { a, b };
}

const spectrumAtBob = (b: Page, freqs: number[]) =>
  b.evaluate(async (freqs) => {
    const h = (window as any).h;
    const track = h.remote('bob', 'alice').getAudioTrack();
    return (window as any).spectrum(track, freqs);
  }, freqs);

/** The last `audio-volume` value Bob got for Alice, after waiting `ms`. */
const volumeAtBob = (b: Page, ms: number) =>
  b.evaluate(async (ms) => {
    await new Promise((r) => setTimeout(r, ms));
    const ev = (window as any).h.events.filter((e: any) => e.client === 'bob' && e.event === 'audio-volume');
    const last = ev[ev.length - 1];
    return last?.data.result.find((x: any) => x.userId === 'alice')?.audioVolume ?? -1;
  }, ms);

test('microphone: the tone arrives at 440 Hz; audio-volume reports the speaker, ~0 after muteAudio', async () => {
  const { a, b } = await call(room++);
  const s = await spectrumAtBob(b, [440, 1000]);
  console.log(
    `mic at the subscriber: peak ${s.peakHz.toFixed(1)} Hz, 440 Hz +${s.overFloorDb[440].toFixed(1)} dB over the median`,
  );
  expect(Math.abs(s.peakHz - 440)).toBeLessThan(3 * s.binHz);
  expect(s.overFloorDb[440]).toBeGreaterThan(30);
  // audio-volume, computed in the worklet: Bob hears Alice, Alice sees herself.
  expect(await volumeAtBob(b, 1000)).toBeGreaterThan(10);
  const local = await a.evaluate(async () => {
    const h = (window as any).h;
    await h.waitEvent('alice', 'audio-volume', (d: any) =>
      d.result.some((x: any) => x.userId === 'alice' && x.audioVolume > 10),
    );
    return h.streams.alice.getAudioLevel();
  });
  expect(local).toBeGreaterThan(0.1);
  // Computed in the worklet: the SDK loaded its worklet module and never read an AnalyserNode.
  const probes = await a.evaluate(() => (window as any).audioProbes);
  expect(probes.modules.some((u: string) => u.endsWith('/dist/wasm/trtc-audio.worklet.js'))).toBe(true);
  expect(probes.analyserReads).toBe(0);
  // Mute: the level falls to ~0 on both sides.
  await a.evaluate(() => (window as any).h.streams.alice.muteAudio());
  expect(await volumeAtBob(b, 2000)).toBeLessThanOrEqual(2);
  const muted = await a.evaluate(async () => {
    await new Promise((r) => setTimeout(r, 600));
    return (window as any).h.streams.alice.getAudioLevel();
  });
  expect(muted).toBeLessThan(0.02);
  await a.evaluate(() => (window as any).h.streams.alice.unmuteAudio());
  expect(await volumeAtBob(b, 2000)).toBeGreaterThan(10);
  // Capture volume 0 through the worklet's gain: silence goes out.
  await a.evaluate(() => (window as any).h.streams.alice.setAudioCaptureVolume(0));
  expect(await volumeAtBob(b, 2000)).toBeLessThanOrEqual(2);
  await a.evaluate(() => (window as any).h.streams.alice.setAudioCaptureVolume(100));
  expect(await volumeAtBob(b, 2000)).toBeGreaterThan(10);
  await a.context().close();
  await b.context().close();
});

test('AudioMixer: a 1 kHz WAV source is mixed into the published track, also while the microphone is muted', async () => {
  const { a, b } = await call(room++);
  const started = await a.evaluate(async () => {
    const h = (window as any).h;
    const stream = h.streams.alice;
    await stream.startPlugin('AudioMixer');
    const src = (window as any).TRTCAudioMixer.createAudioSource({ url: '/fixtures/tone-1k.wav', loop: true });
    (window as any).src = src;
    const events: string[] = [];
    src.on('start', () => events.push('start'));
    await src.play();
    return { events, duration: src.getDuration(), registered: typeof (window as any).TRTCAudioMixer === 'function' };
  });
  expect(started.registered).toBe(true);
  expect(started.events).toEqual(['start']);
  expect(started.duration).toBeCloseTo(3, 3);
  const both = await spectrumAtBob(b, [440, 1000]);
  console.log(
    `mic + music: 440 Hz +${both.overFloorDb[440].toFixed(1)} dB, 1 kHz +${both.overFloorDb[1000].toFixed(1)} dB`,
  );
  expect(both.overFloorDb[440]).toBeGreaterThan(30);
  expect(both.overFloorDb[1000]).toBeGreaterThan(30);
  // Mute the microphone: the music keeps going out, the voice does not.
  await a.evaluate(() => (window as any).h.streams.alice.muteAudio());
  await b.waitForTimeout(500);
  const music = await spectrumAtBob(b, [440, 1000]);
  console.log(
    `muted mic + music: peak ${music.peakHz.toFixed(1)} Hz, 440 Hz +${music.overFloorDb[440].toFixed(1)} dB, 1 kHz +${music.overFloorDb[1000].toFixed(1)} dB`,
  );
  expect(Math.abs(music.peakHz - 1000)).toBeLessThan(3 * music.binHz);
  expect(music.overFloorDb[1000]).toBeGreaterThan(30);
  expect(music.overFloorDb[440]).toBeLessThan(music.overFloorDb[1000] - 30);
  // An Ogg Opus source (decoded by libopus in the worklet) joins the mix.
  const ogg = await a.evaluate(async () => {
    const src = (window as any).TRTCAudioMixer.createAudioSource({ url: '/fixtures/tone-700.opus', loop: true });
    (window as any).ogg = src;
    await src.play();
    return src.getDuration();
  });
  expect(ogg).toBeCloseTo(3, 2);
  const withOgg = await spectrumAtBob(b, [700, 1000]);
  console.log(
    `+ Ogg Opus: 700 Hz +${withOgg.overFloorDb[700].toFixed(1)} dB, 1 kHz +${withOgg.overFloorDb[1000].toFixed(1)} dB`,
  );
  expect(withOgg.overFloorDb[700]).toBeGreaterThan(30);
  expect(withOgg.overFloorDb[1000]).toBeGreaterThan(30);
  await a.evaluate(() => (window as any).ogg.destroy());
  // Position, pause and volume.
  const state = await a.evaluate(async () => {
    const src = (window as any).src;
    const t0 = src.getCurrentTime();
    await src.pause();
    const t1 = src.getCurrentTime();
    await new Promise((r) => setTimeout(r, 300));
    const t2 = src.getCurrentTime();
    return { t0, t1, t2, playing: src.isPlaying() };
  });
  expect(state.playing).toBe(false);
  expect(state.t0).toBeGreaterThan(0.5); // it had advanced while playing
  await a.waitForTimeout(500);
  const paused = await spectrumAtBob(b, [1000]);
  expect(paused.overFloorDb[1000]).toBeLessThan(15);
  // Unpublish: sources stop, nothing throws; the page stays usable.
  await a.evaluate(async () => {
    const h = (window as any).h;
    await (window as any).src.resume();
    await h.clients.alice.unpublish(h.streams.alice);
    await new Promise((r) => setTimeout(r, 300));
    if ((window as any).src.isPlaying()) throw new Error('the source still plays after unpublish');
  });
  await a.context().close();
  await b.context().close();
});

test('AudioMixer: errors are typed, several sources play at once, end events fire', async () => {
  const { page: a } = await openPage();
  const r = await a.evaluate(async () => {
    const M = (window as any).TRTCAudioMixer;
    const out: any = {};
    try {
      M.createAudioSource({});
    } catch (e: any) {
      out.noUrl = e.getCode();
    }
    try {
      M.createAudioSource({ url: '/x.wav', volume: -1 });
    } catch (e: any) {
      out.badVolume = e.getCode();
    }
    const missing = M.createAudioSource({ url: '/fixtures/missing.mp3' });
    const errors: any[] = [];
    missing.on('error', (e: any) => errors.push(e.getCode()));
    out.missing = await missing.whenReady().then(
      () => 'loaded',
      (e: any) => e.message,
    );
    const junk = M.createAudioSource({ buffer: new Uint8Array([79, 103, 103, 83, 0, 1, 2, 3]).buffer });
    out.junk = await junk.whenReady().then(
      () => 'loaded',
      (e: any) => `${e.getCode()} ${e.message}`,
    );
    out.errorEvents = errors;
    // Three short sources at once; each fires `end` once.
    const bytes = await (await fetch('/fixtures/tone-1k.wav')).arrayBuffer();
    const ends: number[] = [];
    const sources = [0, 1, 2].map((i) => {
      const s = M.createAudioSource({ buffer: bytes, volume: 0.5 });
      s.on('end', () => ends.push(i));
      return s;
    });
    await Promise.all(sources.map((s: any) => s.whenReady()));
    await Promise.all(sources.map((s: any) => s.seek(2.5)));
    await Promise.all(sources.map((s: any) => s.play()));
    await new Promise((r) => setTimeout(r, 1500));
    out.ends = ends.sort();
    out.after = sources.map((s: any) => s.getCurrentTime());
    return out;
  });
  expect(r.noUrl).toBe(0x1000);
  expect(r.badVolume).toBe(0x1000);
  expect(r.missing).toContain('HTTP 404');
  expect(r.errorEvents).toEqual([0xffff]);
  expect(r.junk).toMatch(/^4098 .*Ogg|^4098 /);
  expect(r.ends).toEqual([0, 1, 2]);
  for (const t of r.after) expect(t).toBeCloseTo(3, 1);
  // One microphone input per page: a second stream cannot start the mixer while the first has it.
  const two = await a.evaluate(async () => {
    const config = { audio: true, video: false };
    const s1 = (window as any).TRTC.createStream(config);
    const s2 = (window as any).TRTC.createStream(config);
    await s1.initialize();
    await s2.initialize();
    await s1.startPlugin('AudioMixer');
    const second = await s2.startPlugin('AudioMixer').then(
      () => 'started',
      (e: any) => e.getCode(),
    );
    await s1.stopPlugin('AudioMixer');
    const afterStop = await s2.startPlugin('AudioMixer').then(
      () => 'started',
      (e: any) => e.getCode(),
    );
    s1.close();
    s2.close();
    return { second, afterStop };
  });
  expect(two.second).toBe(0x1001);
  expect(two.afterStop).toBe('started');
  await a.context().close();
});
