// RTCDetect (dist/rtc-detect.umd.js) against the real rtc-detect 1.2.0 (node_modules), in the same
// Chromium page: every field the original reports must be equal, except the few listed in
// EXCEPTIONS, where ours must be the correct value (checked against the browser's own answer).
import { readFileSync } from 'node:fs';

import { expect, test, type Browser, type Page } from '@playwright/test';
import { Linter } from 'eslint';

declare global {
  interface Window {
    OriginalRTCDetect: any;
    OurRTCDetect: any;
    compareReady: boolean;
  }
}

/** What the browser itself says, measured by the test (not by either library). */
interface Truth {
  /** The ten codec flags from RTCRtpSender/RTCRtpReceiver.getCapabilities('video'). */
  codecs?: Record<string, boolean>;
  /** Whether a real H.264 loopback in a capturing page runs on a hardware encoder. */
  hardwareEncoder?: boolean;
  /** The devices the enumerateDevices stub returned (device scenarios). */
  devices?: { deviceId: string; kind: string }[];
}

interface Exception {
  /** The paths of the differences this entry allows. */
  path: RegExp;
  /** Why ours differs. */
  reason: string;
  /** The correct value at that path, from the browser's own answer. */
  correct: (truth: Truth, path: string) => unknown;
}

/** Where RTCDetect differs from rtc-detect 1.2.0 in Chromium because it is more accurate. */
const EXCEPTIONS: Exception[] = [
  {
    path: /^isHardWareAccelerationEnabled$/,
    reason:
      "rtc-detect's probe draws its text at (0, 0), above its canvas, so Chromium captures no frame, the stats never " +
      "name an encoder and it rejects ('your browser does not support to detect HW acceleration enabled.'); ours asks " +
      'MediaCapabilities.encodingInfo (powerEfficient), which agrees with the encoder a real H.264 loopback uses',
    correct: (truth) => truth.hardwareEncoder,
  },
  {
    path: /(^|\.)(codecsSupported|getCodecAsync)\.(is\w+Supported)$/,
    reason:
      'rtc-detect searches the SDP text of two offers (a sendrecv offer also lists receive-only codecs); ours reads ' +
      'RTCRtpSender/RTCRtpReceiver.getCapabilities, which separate sending from receiving',
    correct: (truth, path) => truth.codecs?.[path.split('.').pop()!],
  },
  {
    path: /(^|\.)devices\.(cameras|microphones|speakers)\.(\d+)\.deviceId$/,
    reason:
      "rtc-detect replaces an empty deviceId with the legacy 'id' field, which MediaDeviceInfo does not have, so it " +
      "reports undefined; ours keeps the browser's value (an empty string before the user allowed capture)",
    correct: (truth, path) => {
      const [list, index] = path.split('.').slice(-3, -1);
      const kind = { cameras: 'videoinput', microphones: 'audioinput', speakers: 'audiooutput' }[list!];
      return truth.devices?.filter((d) => d.kind === kind)[Number(index)]?.deviceId;
    },
  },
];

/** The paths where two JSON-like values differ (a missing key and an undefined value are equal). */
function differences(a: unknown, b: unknown, path = ''): { path: string; original: unknown; ours: unknown }[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return Object.is(a, b) ? [] : [{ path, original: a, ours: b }];
}

/**
 * Asserts that `ours` equals `original` everywhere except at paths listed in EXCEPTIONS, where ours
 * must be the correct value. Returns the exceptions that applied.
 */
function expectSameAsOriginal(original: unknown, ours: unknown, truth: Truth): string[] {
  const applied: string[] = [];
  for (const d of differences(original, ours)) {
    const exception = EXCEPTIONS.find((e) => e.path.test(d.path));
    expect(
      exception,
      `${d.path}: rtc-detect ${JSON.stringify(d.original)}, ours ${JSON.stringify(d.ours)}`,
    ).toBeTruthy();
    const correct = exception!.correct(truth, d.path);
    expect(correct, `${d.path}: the test could not establish the correct value`).not.toBeUndefined();
    expect(d.ours, `${d.path}: ours must be the correct value (${exception!.reason})`).toEqual(correct);
    applied.push(`${d.path}: rtc-detect ${JSON.stringify(d.original)}, ours ${JSON.stringify(d.ours)}`);
  }
  return applied;
}

async function openComparePage(browser: Browser, userAgent?: string): Promise<Page> {
  const context = await browser.newContext(userAgent ? { userAgent } : {});
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await page.goto('/tests/e2e/detect/compare.html');
  await page.waitForFunction(() => window.compareReady === true);
  return page;
}

/** Runs every method of one library in the page; a rejection becomes `{ rejected: message }`. */
async function runAll(page: Page, lib: 'OriginalRTCDetect' | 'OurRTCDetect') {
  return page.evaluate(async (name) => {
    const ms: Record<string, number> = {};
    const settle = async (method: string, f: () => unknown) => {
      const t0 = performance.now();
      try {
        return await f();
      } catch (e) {
        return { rejected: e instanceof Error ? e.message : String(e) };
      } finally {
        ms[method] = performance.now() - t0;
      }
    };
    const d = new window[name]();
    const results = {
      report: await settle('getReportAsync', () => d.getReportAsync()),
      isTRTCSupported: await settle('isTRTCSupported', () => d.isTRTCSupported()),
      getCodecAsync: await settle('getCodecAsync', () => d.getCodecAsync()),
      getSystem: await settle('getSystem', () => d.getSystem()),
      getAPISupported: await settle('getAPISupported', () => d.getAPISupported()),
      getDevicesAsync: await settle('getDevicesAsync', () => d.getDevicesAsync()),
      // The cached results on the instance.
      fields: {
        system: d.system,
        APISupported: d.APISupported,
        devices: d.devices,
        codecsSupported: d.codecsSupported,
        report: d.report,
      },
    };
    return { results, ms };
  }, lib);
}

/** The ten codec flags as the browser's capability lists give them (the test's own reading). */
async function capabilityCodecs(page: Page): Promise<Record<string, boolean>> {
  return page.evaluate(() => {
    const send = RTCRtpSender.getCapabilities('video')!.codecs.map((c) => c.mimeType.toLowerCase());
    const recv = RTCRtpReceiver.getCapabilities('video')!.codecs.map((c) => c.mimeType.toLowerCase());
    const names = { H264: 'video/h264', Vp8: 'video/vp8', Vp9: 'video/vp9', H265: 'video/h265', AV1: 'video/av1' };
    const out: Record<string, boolean> = {};
    for (const [name, mime] of Object.entries(names)) {
      out[`is${name}EncodeSupported`] = send.includes(mime);
      out[`is${name}DecodeSupported`] = recv.includes(mime);
    }
    return out;
  });
}

/**
 * The encoder a real H.264 call uses: the page captures the fake camera (Chromium only shows the
 * encoder to capturing pages) and sends a changing canvas through a loopback call.
 */
async function loopbackEncoder(page: Page): Promise<{ implementation: string; powerEfficient: unknown }> {
  return page.evaluate(async () => {
    const capture = await navigator.mediaDevices.getUserMedia({ video: true });
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 480;
    const ctx = canvas.getContext('2d')!;
    const paint = setInterval(() => {
      ctx.fillStyle = `hsl(${Math.random() * 360}, 50%, 50%)`;
      ctx.fillRect(0, 0, 640, 480);
    }, 33);
    const stream = canvas.captureStream(15);
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    a.onicecandidate = (e) => void b.addIceCandidate(e.candidate ?? undefined);
    b.onicecandidate = (e) => void a.addIceCandidate(e.candidate ?? undefined);
    const h264 = RTCRtpSender.getCapabilities('video')!.codecs.filter((c) => c.mimeType === 'video/H264');
    a.addTransceiver(stream.getVideoTracks()[0]!, { direction: 'sendonly' }).setCodecPreferences(h264);
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription!);
    let found: { implementation: string; powerEfficient: unknown } | undefined;
    for (let i = 0; i < 40 && !found; i++) {
      await new Promise((r) => setTimeout(r, 250));
      (await a.getStats()).forEach((s) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video' && s.framesEncoded > 5 && s.encoderImplementation)
          found = { implementation: s.encoderImplementation, powerEfficient: s.powerEfficientEncoder };
      });
    }
    clearInterval(paint);
    a.close();
    b.close();
    stream.getTracks().forEach((t) => t.stop());
    capture.getTracks().forEach((t) => t.stop());
    if (!found) throw new Error('the loopback call never named its encoder');
    return found;
  });
}

function note(description: string): void {
  console.log(description);
  test.info().annotations.push({ type: 'rtc-detect', description });
}

test('the same public API and instance fields as rtc-detect 1.2.0, in the UMD and ESM bundles', async ({ browser }) => {
  const page = await openComparePage(browser);
  const r = await page.evaluate(async () => {
    const methods = (C: any) =>
      Object.getOwnPropertyNames(C.prototype)
        .filter((n) => n !== 'constructor')
        .sort();
    const fields = (C: any) => {
      const d = new C();
      return Object.keys(d).map((k) => [k, d[k]]);
    };
    const esm = await import('/dist/rtc-detect.esm.js' as string);
    return {
      original: { methods: methods(window.OriginalRTCDetect), fields: fields(window.OriginalRTCDetect) },
      ours: { methods: methods(window.OurRTCDetect), fields: fields(window.OurRTCDetect) },
      esm: {
        sameClass: esm.default === esm.RTCDetect,
        methods: methods(esm.default),
        supported: await new esm.default().isTRTCSupported(),
      },
      sync: ['getSystem', 'getAPISupported'].map((m) => new window.OurRTCDetect()[m]() instanceof Promise),
      async: ['isTRTCSupported', 'getReportAsync', 'getCodecAsync', 'getDevicesAsync'].map(
        (m) => new window.OurRTCDetect()[m]() instanceof Promise,
      ),
    };
  });
  expect(r.original.methods).toEqual([
    'getAPISupported',
    'getCodecAsync',
    'getDevicesAsync',
    'getReportAsync',
    'getSystem',
    'isHardWareAccelerationEnabled',
    'isTRTCSupported',
  ]);
  expect(r.ours.methods).toEqual(r.original.methods);
  expect(r.ours.fields).toEqual(r.original.fields);
  expect(r.ours.fields.map(([k]) => k)).toEqual(['system', 'APISupported', 'devices', 'codecsSupported', 'report']);
  expect(r.esm.sameClass).toBe(true);
  expect(r.esm.methods).toEqual(r.original.methods);
  expect(r.esm.supported).toEqual({ result: true });
  expect(r.sync).toEqual([false, false]);
  expect(r.async).toEqual([true, true, true, true]);
});

test('the RTCDetect bundles are ES2017, so they load in the old browsers they turn away', () => {
  const linter = new Linter();
  for (const [file, sourceType] of [
    ['dist/rtc-detect.umd.js', 'script'],
    ['dist/rtc-detect.esm.js', 'module'],
  ] as const) {
    const code = readFileSync(file, 'utf8');
    const fatal = linter
      .verify(code, { languageOptions: { ecmaVersion: 2017, sourceType } })
      .filter((m) => m.fatal)
      .map((m) => `${m.line}:${m.column} ${m.message}`);
    expect(fatal, file).toEqual([]);
  }
  // The check can fail: ES2020 syntax is fatal at ecmaVersion 2017.
  const newer = linter.verify('const a = {}; a?.b ?? 1;', { languageOptions: { ecmaVersion: 2017 } });
  expect(newer.some((m) => m.fatal)).toBe(true);
});

test('every method and cached field equals rtc-detect 1.2.0 in the same page', async ({ browser }) => {
  const page = await openComparePage(browser);
  const original = await runAll(page, 'OriginalRTCDetect');
  const ours = await runAll(page, 'OurRTCDetect');
  const truth: Truth = { codecs: await capabilityCodecs(page) };

  // Sanity: the comparison is about real results, not two empty ones.
  const report = ours.results.report as any;
  expect(report.system.browser.name).toBe('Chrome');
  expect(report.system.OS).toBe('Linux');
  expect(report.devices.cameras.length).toBeGreaterThan(0);
  expect(report.devices.cameras[0].resolution.maxWidth).toBeGreaterThan(0);
  expect(report.codecsSupported.isVp8EncodeSupported).toBe(true);
  expect(ours.results.isTRTCSupported).toEqual({ result: true });
  // Ours always matches the browser's capability lists, whether or not rtc-detect agrees.
  expect(ours.results.getCodecAsync).toEqual(truth.codecs);
  expect(report.codecsSupported).toEqual(truth.codecs);

  const applied = expectSameAsOriginal(original.results, ours.results, truth);
  note(`exceptions applied: ${applied.length ? applied.join('; ') : 'none'}`);
  note(
    `getReportAsync: rtc-detect ${original.ms.getReportAsync!.toFixed(1)} ms, ours ${ours.ms.getReportAsync!.toFixed(1)} ms`,
  );
});

test('isHardWareAccelerationEnabled: the answer of a real H.264 call, without the 30 s probe', async ({ browser }) => {
  test.setTimeout(120_000); // rtc-detect's probe may take 30 s
  const page = await openComparePage(browser);
  const [original, ours] = await page.evaluate(async () => {
    const run = async (C: any) => {
      const t0 = performance.now();
      try {
        return { value: await new C().isHardWareAccelerationEnabled(), ms: performance.now() - t0 };
      } catch (e) {
        return { value: { rejected: (e as Error).message }, ms: performance.now() - t0 };
      }
    };
    return Promise.all([run(window.OriginalRTCDetect), run(window.OurRTCDetect)]);
  });
  const encoder = await loopbackEncoder(page);
  expect(typeof encoder.implementation).toBe('string');
  const truth: Truth = {
    hardwareEncoder: encoder.powerEfficient === true || /ExternalEncoder/.test(encoder.implementation),
  };
  expect(typeof ours.value).toBe('boolean');
  expect(ours.value).toBe(truth.hardwareEncoder);
  const applied = expectSameAsOriginal(
    { isHardWareAccelerationEnabled: original.value },
    { isHardWareAccelerationEnabled: ours.value },
    truth,
  );
  note(`exceptions applied: ${applied.length ? applied.join('; ') : 'none'}`);
  note(`loopback encoder: ${encoder.implementation}, powerEfficientEncoder ${String(encoder.powerEfficient)}`);
  note(
    `isHardWareAccelerationEnabled: rtc-detect ${original.ms.toFixed(1)} ms (${JSON.stringify(original.value)}), ` +
      `ours ${ours.ms.toFixed(1)} ms (${JSON.stringify(ours.value)})`,
  );
  expect(ours.ms).toBeLessThan(5000);
});

test('isHardWareAccelerationEnabled without MediaCapabilities: the loopback probe decides', async ({ browser }) => {
  test.setTimeout(90_000);
  const page = await openComparePage(browser);
  const r = await page.evaluate(async () => {
    Object.defineProperty(navigator, 'mediaCapabilities', { value: undefined, configurable: true });
    const run = async () => {
      const t0 = performance.now();
      try {
        return { value: await new window.OurRTCDetect().isHardWareAccelerationEnabled(), ms: performance.now() - t0 };
      } catch (e) {
        return { value: { rejected: (e as Error).message }, ms: performance.now() - t0 };
      }
    };
    // Not capturing: Chromium hides the encoder, so the probe rejects like rtc-detect.
    const hidden = await run();
    // Capturing the camera: the stats name the encoder.
    const capture = await navigator.mediaDevices.getUserMedia({ video: true });
    const shown = await run();
    // Without setCodecPreferences (older browsers) the answer SDP is cut down to H.264 instead.
    const proto = RTCRtpTransceiver.prototype as any;
    const setCodecPreferences = proto.setCodecPreferences;
    delete proto.setCodecPreferences;
    const munged = await run();
    proto.setCodecPreferences = setCodecPreferences;
    capture.getTracks().forEach((t) => t.stop());
    return { hidden, shown, munged };
  });
  expect(r.hidden.value).toEqual({ rejected: 'your browser does not support to detect HW acceleration enabled.' });
  const encoder = await loopbackEncoder(page);
  const hardware = encoder.powerEfficient === true || /ExternalEncoder/.test(encoder.implementation);
  expect(r.shown.value).toBe(hardware);
  expect(r.munged.value).toBe(hardware);
  note(
    `loopback probe: ${r.shown.ms.toFixed(0)} ms to answer ${JSON.stringify(r.shown.value)} (rtc-detect: up to 30 s)`,
  );
  expect(r.shown.ms).toBeLessThan(10_000);
});

/** Devices as different browsers list them, served to both libraries by an enumerateDevices stub. */
const DEVICE_SCENARIOS: {
  name: string;
  /** Raw entries; `caps` becomes InputDeviceInfo.getCapabilities(); `realCamera` takes the fake camera's id. */
  devices: { deviceId: string; kind: string; label: string; groupId: string; caps?: object; realCamera?: boolean }[];
  /** What navigator.permissions.query answers, or 'throw' (older Firefox). */
  permission: { camera: string; microphone: string } | 'throw';
}[] = [
  {
    name: 'Chromium before the user allowed capture',
    devices: [
      { deviceId: '', kind: 'audioinput', label: '', groupId: '' },
      { deviceId: '', kind: 'videoinput', label: '', groupId: '', caps: {} },
      { deviceId: '', kind: 'audiooutput', label: '', groupId: '' },
    ],
    permission: { camera: 'prompt', microphone: 'prompt' },
  },
  {
    name: 'labelled devices, listed twice, two cameras with capabilities',
    devices: [
      { deviceId: 'default', kind: 'audioinput', label: 'Default - Mic A', groupId: 'g1' },
      { deviceId: 'mic-a', kind: 'audioinput', label: 'Mic A', groupId: 'g1' },
      { deviceId: 'mic-a', kind: 'audioinput', label: 'Mic A', groupId: 'g1' },
      {
        deviceId: 'cam-a',
        kind: 'videoinput',
        label: 'Cam A',
        groupId: 'g2',
        caps: { width: { min: 1, max: 1920 }, height: { min: 1, max: 1080 }, frameRate: { min: 1, max: 30 } },
      },
      {
        deviceId: 'cam-b',
        kind: 'videoinput',
        label: 'Cam B',
        groupId: 'g3',
        caps: { width: { min: 1, max: 1280 }, height: { min: 1, max: 720 }, frameRate: { min: 1, max: 60 } },
      },
      { deviceId: 'cam-a', kind: 'videoinput', label: 'Cam A', groupId: 'g2', caps: {} },
      { deviceId: 'spk', kind: 'audiooutput', label: '', groupId: 'g1' },
    ],
    permission: { camera: 'granted', microphone: 'granted' },
  },
  {
    name: 'Firefox-like: ids but no labels, no InputDeviceInfo.getCapabilities, no camera permission name',
    devices: [
      { deviceId: 'm1', kind: 'audioinput', label: '', groupId: 'a' },
      { deviceId: 'm2', kind: 'audioinput', label: '', groupId: 'b' },
      { deviceId: 'c1', kind: 'videoinput', label: '', groupId: 'c' },
    ],
    permission: 'throw',
  },
  {
    name: 'Safari-like: a labelled camera without InputDeviceInfo.getCapabilities (the camera is opened at 8K)',
    devices: [{ deviceId: '', kind: 'videoinput', label: 'FaceTime HD Camera', groupId: 'c', realCamera: true }],
    permission: { camera: 'granted', microphone: 'prompt' },
  },
];

test('getDevicesAsync on the device lists of other browsers equals rtc-detect 1.2.0', async ({ browser }) => {
  const page = await openComparePage(browser);
  const cameraId = await page.evaluate(async () => {
    const list = await navigator.mediaDevices.enumerateDevices();
    return list.find((d) => d.kind === 'videoinput')!.deviceId;
  });
  expect(cameraId).not.toBe('');
  for (const scenario of DEVICE_SCENARIOS) {
    const devices = scenario.devices.map((d) => (d.realCamera ? { ...d, deviceId: cameraId } : d));
    const r = await page.evaluate(
      async ({ devices, permission }) => {
        const md = navigator.mediaDevices;
        const real = md.enumerateDevices.bind(md);
        const realQuery = navigator.permissions.query.bind(navigator.permissions);
        Object.defineProperty(md, 'enumerateDevices', {
          configurable: true,
          value: async () =>
            devices.map(({ caps, realCamera: _, ...d }) => ({
              ...d,
              toJSON: () => ({ deviceId: d.deviceId, kind: d.kind, label: d.label, groupId: d.groupId }),
              ...(caps ? { getCapabilities: () => caps } : {}),
            })),
        });
        Object.defineProperty(navigator.permissions, 'query', {
          configurable: true,
          value: async ({ name }: { name: 'camera' | 'microphone' }) => {
            if (permission === 'throw') throw new TypeError(`'${name}' is not a valid permission name`);
            return { state: permission[name] };
          },
        });
        try {
          return {
            original: await new window.OriginalRTCDetect().getDevicesAsync(),
            ours: await new window.OurRTCDetect().getDevicesAsync(),
          };
        } finally {
          Object.defineProperty(md, 'enumerateDevices', { configurable: true, value: real });
          Object.defineProperty(navigator.permissions, 'query', { configurable: true, value: realQuery });
        }
      },
      { devices, permission: scenario.permission },
    );
    const applied = expectSameAsOriginal({ devices: r.original }, { devices: r.ours }, { devices });
    note(`${scenario.name}: exceptions applied: ${applied.length ? applied.join('; ') : 'none'}`);
    if (scenario.devices.some((d) => d.realCamera)) expect(r.ours.cameras[0].resolution.maxWidth).toBeGreaterThan(0);
  }
});

/** User agents of the browsers rtc-detect names, with the name it gives (the last matching rule wins). */
const USER_AGENTS: [string, string][] = [
  [
    'Chrome',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.71 Safari/537.36',
  ],
  [
    'Chrome',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36',
  ],
  [
    'Chrome',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
  ],
  [
    'Edg',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.61',
  ],
  [
    'Edg',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.74 Safari/537.36 Edg/79.0.309.43',
  ],
  [
    'EDGE',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19045',
  ],
  ['Firefox', 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0'],
  ['Firefox', 'Mozilla/5.0 (Windows NT 6.1; rv:52.0) Gecko/20100101 Firefox/52.0'],
  [
    'Safari',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  ],
  [
    'Safari',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  ],
  [
    'Safari',
    'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  ],
  [
    'WeChat',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.42(0x18002a2f) NetType/WIFI Language/zh_CN',
  ],
  [
    'XWEB',
    'Mozilla/5.0 (Linux; Android 12; V2049A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230303 MicroMessenger/8.0.34.2340(0x2800225D) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
  ],
  [
    'TBS',
    'Mozilla/5.0 (Linux; Android 9; MI 8 Build/PKQ1.180729.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/66.0.3359.126 MQQBrowser/6.2 TBS/045130 Mobile Safari/537.36',
  ],
  [
    'QQ(Win)',
    'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/94.0.4606.71 Safari/537.36 Core/1.94.197.400 QQBrowser/11.7.5287.400',
  ],
  [
    'QQ(Mobile)',
    'Mozilla/5.0 (Linux; U; Android 11; zh-cn; PDEM10 Build/RKQ1.200903.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/98.0.4758.102 MQQBrowser/13.0 Mobile Safari/537.36',
  ],
  [
    'QQ(Mobile X5)',
    'Mozilla/5.0 (Linux; U; Android 10; zh-cn; V1938CT Build/QP1A.190711.020) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/89.0.4389.72 MQQBrowser/11.0 Mobile Safari/537.36 COVC/045713',
  ],
  [
    'QQ(Mac)',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.0 Safari/605.1.15 QQBrowserLite/1.3.6',
  ],
  [
    'QQ(iPad)',
    'Mozilla/5.0 (iPad; CPU OS 15_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MQBHD/8.9.4',
  ],
  [
    'MI',
    'Mozilla/5.0 (Linux; U; Android 12; zh-cn; M2102K1C Build/SKQ1.211006.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.127 Mobile Safari/537.36 XiaoMi/MiuiBrowser/17.1.80',
  ],
  [
    'HW',
    'Mozilla/5.0 (Linux; Android 10; HarmonyOS; ELS-AN00; HMSCore 6.11.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.0.322 Mobile Safari/537.36',
  ],
  [
    'Samsung',
    'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36',
  ],
  [
    'OPPO',
    'Mozilla/5.0 (Linux; U; Android 11; zh-cn; PEGM00 Build/RKQ1.200903.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/90.0.4430.61 Mobile Safari/537.36 HeyTapBrowser/40.8.2.1',
  ],
  [
    'VIVO',
    'Mozilla/5.0 (Linux; Android 11; V2055A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/87.0.4280.141 Mobile Safari/537.36 VivoBrowser/14.5.10.2',
  ],
  [
    'SogouMobile',
    'Mozilla/5.0 (Linux; Android 10; SEA-AL10) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.108 Mobile Safari/537.36 SogouMobileBrowser/5.28.11',
  ],
  [
    'Sogou',
    'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.198 Safari/537.36 SE 2.X MetaSr 1.0',
  ],
  [
    'Chrome',
    'Mozilla/5.0 (Linux; U; Android 10; zh-CN; V1938CT Build/QP1A.190711.020) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36',
  ],
  ['unknown', 'curl/8.4.0'],
];

test('browser, OS and the browser blacklist equal rtc-detect 1.2.0 for 28 user agents', async ({ browser }) => {
  test.setTimeout(180_000); // the OPPO and Vivo agents run H.264 loopback calls in both libraries
  const blacklisted: string[] = [];
  for (const [name, userAgent] of USER_AGENTS) {
    const page = await openComparePage(browser, userAgent);
    const r = await page.evaluate(async () => {
      const run = async (C: any) => {
        const d = new C();
        const system = d.getSystem();
        const supported = await d.isTRTCSupported();
        // codecsSupported: on OPPO and Vivo both confirm H.264 with a loopback call.
        return { OS: system.OS, browser: system.browser, UA: system.UA, supported, codecs: d.codecsSupported };
      };
      return { original: await run(window.OriginalRTCDetect), ours: await run(window.OurRTCDetect) };
    });
    await page.context().close();
    expect(r.ours.UA).toBe(userAgent);
    expect(r.ours.browser.name, userAgent).toBe(name);
    expect(r.ours, userAgent).toEqual(r.original);
    expect(differences(r.original, r.ours), userAgent).toEqual([]);
    // The loopback call really encodes and decodes H.264 in this Chromium (OpenH264 and FFmpeg).
    if (name === 'OPPO' || name === 'VIVO')
      expect([r.ours.codecs.isH264EncodeSupported, r.ours.codecs.isH264DecodeSupported]).toEqual([true, true]);
    if (!r.ours.supported.result) blacklisted.push(`${name} ${String(r.ours.browser.version)}`);
  }
  // UCBrowser, legacy Edge, Edg 79 and Firefox 52; everything else passes in this Chromium.
  expect(blacklisted.sort()).toEqual(['Chrome 78.0.3904.108', 'EDGE 18', 'Edg 79', 'Firefox 52']);
});

test('TRTC.RTCDetect in dist/trtc.umd.js, and checkSystemRequirements() shares its checks', async ({ page }) => {
  await page.goto('/tests/e2e/detect/compare.html');
  await page.waitForFunction(() => window.compareReady === true);
  await page.addScriptTag({ url: '/dist/trtc.umd.js' });
  const r = await page.evaluate(async () => {
    const methods = (C: any) =>
      Object.getOwnPropertyNames(C.prototype)
        .filter((n) => n !== 'constructor')
        .sort();
    const Sdk = (window as any).TRTC.RTCDetect;
    const sdkReport = await new Sdk().getReportAsync();
    const standaloneReport = await new window.OurRTCDetect().getReportAsync();
    return {
      isClass: typeof Sdk === 'function',
      methods: methods(Sdk),
      originalMethods: methods(window.OriginalRTCDetect),
      sdkReport,
      standaloneReport,
      supported: await new Sdk().isTRTCSupported(),
      check: await (window as any).TRTC.checkSystemRequirements(),
    };
  });
  expect(r.isClass).toBe(true);
  expect(r.methods).toEqual(r.originalMethods);
  expect(r.sdkReport).toEqual(r.standaloneReport);
  expect(r.supported).toEqual({ result: true });
  expect(r.check).toEqual({
    result: true,
    detail: {
      isBrowserSupported: true,
      isWebRTCSupported: true,
      isMediaDevicesSupported: true,
      isH264EncodeSupported: r.sdkReport.codecsSupported.isH264EncodeSupported,
      isVp8EncodeSupported: r.sdkReport.codecsSupported.isVp8EncodeSupported,
      isH264DecodeSupported: r.sdkReport.codecsSupported.isH264DecodeSupported,
      isVp8DecodeSupported: r.sdkReport.codecsSupported.isVp8DecodeSupported,
    },
  });
  expect(Object.keys(r.check.detail).sort()).toEqual([
    'isBrowserSupported',
    'isH264DecodeSupported',
    'isH264EncodeSupported',
    'isMediaDevicesSupported',
    'isVp8DecodeSupported',
    'isVp8EncodeSupported',
    'isWebRTCSupported',
  ]);
  expect(r.check.detail.isVp8EncodeSupported && r.check.detail.isVp8DecodeSupported).toBe(true);
});

test('checkSystemRequirements() applies the browser blacklist of isTRTCSupported()', async ({ browser }) => {
  const edge = USER_AGENTS.find(([name]) => name === 'EDGE')![1];
  const page = await openComparePage(browser, edge);
  await page.addScriptTag({ url: '/dist/trtc.umd.js' });
  const r = await page.evaluate(async () => ({
    check: await (window as any).TRTC.checkSystemRequirements(),
    original: await new window.OriginalRTCDetect().isTRTCSupported(),
  }));
  await page.context().close();
  expect(r.original.result).toBe(false);
  expect(r.check.result).toBe(false);
  expect(r.check.detail.isBrowserSupported).toBe(false);
  expect(r.check.detail.isWebRTCSupported).toBe(true);
});
