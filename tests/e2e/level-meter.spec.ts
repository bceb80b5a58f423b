// The audio level meter end to end: C++ kernel → Emscripten/Embind WASM → TypeScript SDK bundles
// (ESM and UMD) → Chromium, fed with generated tones and with Chromium's fake microphone.
import { readFileSync } from 'node:fs';

import { expect, test, type Page } from '@playwright/test';

import type * as TrtcModule from '../../types/index';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

type TrtcGlobal = typeof TrtcModule;

declare global {
  interface Window {
    TRTC: TrtcGlobal['default'];
  }
}

/** Loads the ESM bundle into the page as window.TRTC. */
async function loadEsm(page: Page): Promise<void> {
  await page.goto('/tests/e2e/blank.html');
  await page.evaluate(async () => {
    const mod = (await import('/dist/trtc.esm.js' as string)) as TrtcGlobal;
    window.TRTC = mod.default;
  });
}

test('ESM bundle: VERSION, and the WASM meter measures a sine exactly', async ({ page }) => {
  await loadEsm(page);
  const r = await page.evaluate(async () => {
    const meter = await window.TRTC.AudioLevelMeter.create({ sampleRate: 48000 });
    const tone = new Float32Array(480);
    for (let i = 0; i < tone.length; i++) tone[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 48000);
    const stats = meter.process(tone);
    const afterTone = { level: meter.getAudioLevel(), volume: meter.getAudioVolume() };
    const silence = new Float32Array(480);
    for (let i = 0; i < 300; i++) meter.process(silence); // 3 s
    const result = {
      version: window.TRTC.VERSION,
      simd: window.TRTC.simdSupported(),
      stats,
      afterTone,
      afterSilence: meter.getAudioVolume(),
      maxPeak: meter.getMaxPeak(),
    };
    meter.destroy();
    return result;
  });
  expect(r.version).toBe(version);
  expect(r.simd).toBe(true);
  expect(r.stats.rms).toBeCloseTo(0.5 / Math.SQRT2, 4);
  expect(r.stats.peak).toBeCloseTo(0.5, 2);
  expect(r.afterTone.level).toBeCloseTo(0.3536, 3);
  expect(r.afterTone.volume).toBe(35);
  expect(r.afterSilence).toBe(0);
  expect(r.maxPeak).toBeCloseTo(0.5, 2);
});

test('UMD bundle: global TRTC, WASM found beside the script', async ({ page }) => {
  await page.goto('/tests/e2e/blank.html');
  await page.addScriptTag({ url: '/dist/trtc.umd.js' });
  const r = await page.evaluate(async () => {
    const meter = await window.TRTC.AudioLevelMeter.create();
    const full = new Float32Array(960).fill(-1);
    meter.process(full);
    const out = { version: window.TRTC.VERSION, volume: meter.getAudioVolume(), level: meter.getAudioLevel() };
    meter.destroy();
    return out;
  });
  expect(r.version).toBe(version);
  expect(r.volume).toBe(100);
  expect(r.level).toBe(1);
});

test("the fake microphone's beep is metered by the WASM core", async ({ page }) => {
  await loadEsm(page);
  const r = await page.evaluate(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const ctx = new AudioContext({ sampleRate: 48000 });
    await ctx.resume();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const meter = await window.TRTC.AudioLevelMeter.create({ sampleRate: ctx.sampleRate });
    const buf = new Float32Array(analyser.fftSize);
    let maxVolume = 0;
    let minVolume = 100;
    // Chromium's fake microphone beeps about once a second; watch for 2.5 s.
    const end = performance.now() + 2500;
    while (performance.now() < end) {
      analyser.getFloatTimeDomainData(buf);
      meter.process(buf);
      maxVolume = Math.max(maxVolume, meter.getAudioVolume());
      minVolume = Math.min(minVolume, meter.getAudioVolume());
      await new Promise((res) => setTimeout(res, 20));
    }
    const out = { maxVolume, minVolume, maxPeak: meter.getMaxPeak() };
    meter.destroy();
    stream.getTracks().forEach((t) => t.stop());
    await ctx.close();
    return out;
  });
  expect(r.maxPeak).toBeGreaterThan(0.05);
  expect(r.maxVolume).toBeGreaterThan(2);
  // Between beeps the meter falls back: the level really follows the signal.
  expect(r.minVolume).toBeLessThan(r.maxVolume);
});

test('bad input gets typed errors with documented codes', async ({ page }) => {
  await loadEsm(page);
  const r = await page.evaluate(async () => {
    const { AudioLevelMeter, ErrorCode, RtcError } = window.TRTC;
    const codeOf = async (fn: () => unknown): Promise<number | string> => {
      try {
        await fn();
        return 'no error';
      } catch (e) {
        return e instanceof RtcError ? e.getCode() : String(e);
      }
    };
    const meter = await AudioLevelMeter.create();
    const badRate = await codeOf(() => AudioLevelMeter.create({ sampleRate: 7 }));
    const badRelease = await codeOf(() => AudioLevelMeter.create({ releaseMs: -1 }));
    const badSamples = await codeOf(() => meter.process([0.1, 0.2] as unknown as Float32Array));
    meter.destroy();
    const destroyed = await codeOf(() => meter.getAudioLevel());
    return { badRate, badRelease, badSamples, destroyed, codes: ErrorCode };
  });
  expect(r.badRate).toBe(0x1000);
  expect(r.badRelease).toBe(0x1000);
  expect(r.badSamples).toBe(0x1000);
  expect(r.destroyed).toBe(0x1001);
  expect(r.codes.PLAY_NOT_ALLOWED).toBe(0x4043);
});

test('a missing WASM folder is a clear error that names the fix', async ({ page }) => {
  await loadEsm(page);
  const r = await page.evaluate(async () => {
    window.TRTC.setAssetsPath('/no-such-folder/');
    try {
      await window.TRTC.AudioLevelMeter.create();
      return { code: 0, message: '' };
    } catch (e) {
      const err = e as InstanceType<typeof window.TRTC.RtcError>;
      return { code: err.getCode(), message: err.message };
    }
  });
  expect(r.code).toBe(0xffff);
  expect(r.message).toContain('/no-such-folder/trtc-core.js');
  expect(r.message).toContain('setAssetsPath');
});
