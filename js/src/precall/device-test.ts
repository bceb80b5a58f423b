// Pre-call device tests: open the camera and measure what it delivers, open the microphone and
// measure its level, play a test tone on a speaker. Each is a function with a progress callback,
// built on LocalStream so that capture errors are the SDK's usual RtcErrors.
import { TrackLevel, getAudioContext } from '../common/audio-context';
import { log } from '../common/logger';
import {
  checkNumber,
  checkObject,
  checkOptionalAbortSignal,
  checkOptionalFunction,
  checkString,
} from '../common/validate';
import { ErrorCode, RtcError } from '../errors';
import { createStream } from '../trtc';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Common options of the device tests. */
export interface DeviceTestOptions<P> {
  /** How long to test, ms. */
  duration?: number;
  /** Called about every 100 ms (microphone, speaker) or every frame second (camera). */
  onProgress?: (progress: P) => void;
  /** Stops the test early: it then resolves with what was measured so far. */
  signal?: AbortSignal;
}

/** Checks the options object and its common fields. */
function checkCommon(where: string, options: unknown, maxDuration: number): void {
  checkObject(where, 'options', options);
  checkNumber(where, 'duration', options.duration, { optional: true, min: 500, max: maxDuration });
  checkOptionalFunction(where, 'onProgress', options.onProgress);
  checkOptionalAbortSignal(where, 'signal', options.signal);
}

function call<P>(where: string, cb: ((p: P) => void) | undefined, p: P): void {
  if (!cb) return;
  try {
    cb(p);
  } catch (e) {
    log.warn(`${where} onProgress threw`, e);
  }
}

/** Waits `ms`, or less if the signal aborts. */
function wait(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return sleep(ms);
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

// ---- Camera ------------------------------------------------------------------------------------

/** Options of {@link testCamera}. */
export interface CameraTestOptions extends DeviceTestOptions<CameraTestProgress> {
  /** Camera to test (`deviceId` from `TRTC.getCameras()`); default: the default camera. */
  cameraId?: string;
  /** Element (or its id) to show the preview in while the test runs. */
  view?: string | HTMLElement;
  /** Capture profile to ask for, as in `LocalStream.setVideoProfile`. Default `'720p'`. */
  profile?: string;
}

/** Progress of {@link testCamera}: once per second. */
export interface CameraTestProgress {
  elapsed: number;
  /** Frames rendered so far. */
  frames: number;
  /** Frame rate over the last second. */
  frameRate: number;
  width: number;
  height: number;
}

/** Result of {@link testCamera}. */
export interface CameraTestResult {
  deviceId: string;
  label: string;
  /** Size of the frames the camera delivered. */
  width: number;
  height: number;
  /** Frames per second measured on the rendered video over the test. */
  frameRate: number;
  /** The frame rate the browser reports in the track's settings. */
  settingsFrameRate: number;
  /** Frames rendered during the test. */
  frames: number;
  /** Whether the camera delivered frames (more than 1 per second). */
  working: boolean;
}

/**
 * Opens a camera, shows it in `view` if given, and measures the frames it delivers for `duration`
 * ms (default 3000). Rejects like `LocalStream.initialize()`: `DEVICE_NOT_FOUND`,
 * `NotAllowedError` (permission denied), `NotReadableError` (camera in use) and so on.
 */
export async function testCamera(options: CameraTestOptions = {}): Promise<CameraTestResult> {
  const where = 'testCamera';
  checkCommon(where, options, 60000);
  checkString(where, 'cameraId', options.cameraId, { optional: true });
  const duration = options.duration ?? 3000;
  const stream = createStream({ audio: false, video: true, cameraId: options.cameraId });
  if (options.profile !== undefined) await stream.setVideoProfile(options.profile as never);
  else await stream.setVideoProfile('720p');
  await stream.initialize();
  const track = stream.getVideoTrack()!;
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  try {
    if (options.view !== undefined) await stream.play(options.view, { muted: true });
    await video.play().catch(() => undefined);
    let frames = 0;
    let width = 0;
    let height = 0;
    const counting = typeof video.requestVideoFrameCallback === 'function';
    let stopped = false;
    if (counting) {
      const onFrame = (_: number, meta: VideoFrameCallbackMetadata): void => {
        if (stopped) return;
        frames++;
        width = meta.width;
        height = meta.height;
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    }
    const started = performance.now();
    let lastFrames = 0;
    while (performance.now() - started < duration && !options.signal?.aborted) {
      await wait(Math.min(1000, duration - (performance.now() - started)), options.signal);
      if (!counting) {
        width = video.videoWidth;
        height = video.videoHeight;
      }
      call(where, options.onProgress, {
        elapsed: Math.round(performance.now() - started),
        frames,
        frameRate: frames - lastFrames,
        width,
        height,
      });
      lastFrames = frames;
    }
    stopped = true;
    const seconds = (performance.now() - started) / 1000;
    const settings = track.getSettings();
    if (!width) {
      width = video.videoWidth || (settings.width ?? 0);
      height = video.videoHeight || (settings.height ?? 0);
    }
    const frameRate = counting ? Math.round((frames / seconds) * 10) / 10 : (settings.frameRate ?? 0);
    return {
      deviceId: settings.deviceId ?? options.cameraId ?? '',
      label: track.label,
      width,
      height,
      frameRate,
      settingsFrameRate: settings.frameRate ?? 0,
      frames,
      working: frameRate > 1 && width > 0,
    };
  } finally {
    video.pause();
    video.srcObject = null;
    stream.close();
  }
}

// ---- Microphone --------------------------------------------------------------------------------

/** Options of {@link testMicrophone}. */
export interface MicrophoneTestOptions extends DeviceTestOptions<MicrophoneTestProgress> {
  /** Microphone to test (`deviceId` from `TRTC.getMicrophones()`); default: the default one. */
  microphoneId?: string;
}

/** Progress of {@link testMicrophone}: every 100 ms. */
export interface MicrophoneTestProgress {
  elapsed: number;
  /** Current level, 0–1 (as `stream.getAudioLevel()`). */
  level: number;
  /** Current volume, 0–100 (as the `audio-volume` event). */
  volume: number;
}

/** Result of {@link testMicrophone}. */
export interface MicrophoneTestResult {
  deviceId: string;
  label: string;
  /** Highest and mean volume over the test, 0–100. */
  maxVolume: number;
  averageVolume: number;
  /** Whether any sound was picked up (a volume of at least 1 at some point). */
  hasSignal: boolean;
}

/**
 * Opens a microphone and measures its level every 100 ms for `duration` ms (default 3000). Ask
 * the user to speak meanwhile. Rejects like `LocalStream.initialize()`, and with `PLAY_NOT_ALLOWED`
 * when called before any user gesture (the browser keeps Web Audio suspended until then).
 */
export async function testMicrophone(options: MicrophoneTestOptions = {}): Promise<MicrophoneTestResult> {
  const where = 'testMicrophone';
  checkCommon(where, options, 60000);
  checkString(where, 'microphoneId', options.microphoneId, { optional: true });
  const duration = options.duration ?? 3000;
  // The level is read through the page's AudioContext, which only runs after a user gesture.
  const ac = getAudioContext();
  if (ac.state === 'suspended') {
    await Promise.race([ac.resume().catch(() => undefined), sleep(500)]);
    if ((ac.state as AudioContextState) === 'suspended') {
      throw new RtcError({
        code: ErrorCode.PLAY_NOT_ALLOWED,
        message:
          'testMicrophone: the browser keeps audio processing off until the user clicks; call it from a click handler',
      });
    }
  }
  const stream = createStream({ audio: true, video: false, microphoneId: options.microphoneId });
  await stream.initialize();
  try {
    const track = stream.getAudioTrack()!;
    const started = performance.now();
    let max = 0;
    let sum = 0;
    let n = 0;
    while (performance.now() - started < duration && !options.signal?.aborted) {
      await wait(100, options.signal);
      const level = stream.getAudioLevel();
      const volume = Math.min(100, Math.round(level * 100));
      max = Math.max(max, volume);
      sum += volume;
      n++;
      call(where, options.onProgress, { elapsed: Math.round(performance.now() - started), level, volume });
    }
    return {
      deviceId: track.getSettings().deviceId ?? options.microphoneId ?? '',
      label: track.label,
      maxVolume: max,
      averageVolume: n ? Math.round((sum / n) * 10) / 10 : 0,
      hasSignal: max >= 1,
    };
  } finally {
    stream.close();
  }
}

// ---- Speaker -----------------------------------------------------------------------------------

/** Options of {@link testSpeaker}. */
export interface SpeakerTestOptions extends DeviceTestOptions<SpeakerTestProgress> {
  /** Speaker to play on (`deviceId` from `TRTC.getSpeakers()`); default: the default output. */
  speakerId?: string;
  /** Tone frequency in Hz, 100–4000. Default 440. */
  frequency?: number;
  /** Tone volume, 0–1. Default 0.3. */
  volume?: number;
}

/** Progress of {@link testSpeaker}: every 100 ms. */
export interface SpeakerTestProgress {
  elapsed: number;
  /** Level (0–1) of the tone being sent to the speaker. */
  level: number;
}

/** Result of {@link testSpeaker}. */
export interface SpeakerTestResult {
  /** The output the tone was played on ('' for the default output). */
  speakerId: string;
  /** Whether the browser played the tone (the element reached `playing`). */
  played: boolean;
  /** ms of tone played. */
  duration: number;
  /** Highest level of the tone that was sent to the speaker, 0–1. */
  maxLevel: number;
}

/**
 * Plays a test tone on a speaker for `duration` ms (default 2000) so the user can say whether
 * they hear it; the browser cannot tell. Call it from a click handler: without a user gesture the
 * browser refuses to play (`PLAY_NOT_ALLOWED`). A `speakerId` needs `HTMLMediaElement.setSinkId`
 * (Chrome, Edge, Firefox 116+); elsewhere it rejects with `NOT_SUPPORTED`.
 */
export async function testSpeaker(options: SpeakerTestOptions = {}): Promise<SpeakerTestResult> {
  const where = 'testSpeaker';
  checkCommon(where, options, 30000);
  checkString(where, 'speakerId', options.speakerId, { optional: true, nonEmpty: false });
  checkNumber(where, 'frequency', options.frequency, { optional: true, min: 100, max: 4000 });
  checkNumber(where, 'volume', options.volume, { optional: true, min: 0, max: 1 });
  const duration = options.duration ?? 2000;
  const audio = document.createElement('audio');
  const speakerId = options.speakerId ?? '';
  if (speakerId) {
    const el = audio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (typeof el.setSinkId !== 'function') {
      throw new RtcError({
        code: ErrorCode.NOT_SUPPORTED,
        message: 'testSpeaker: this browser cannot choose the speaker (no setSinkId); test the default output',
      });
    }
    try {
      await el.setSinkId(speakerId);
    } catch (cause) {
      const name = (cause as { name?: string }).name;
      throw new RtcError({
        code: name === 'NotFoundError' ? ErrorCode.DEVICE_NOT_FOUND : ErrorCode.UNKNOWN,
        name,
        message:
          name === 'NotFoundError'
            ? `testSpeaker: no speaker ${JSON.stringify(speakerId)}; pick one from TRTC.getSpeakers()`
            : name === 'NotAllowedError'
              ? 'testSpeaker: the browser does not allow choosing the speaker here (permission, or not a secure page)'
              : `testSpeaker: cannot play on speaker ${JSON.stringify(speakerId)} (${String(cause)})`,
        cause,
      });
    }
  }
  const ac = getAudioContext();
  const osc = ac.createOscillator();
  osc.frequency.value = options.frequency ?? 440;
  const gain = ac.createGain();
  gain.gain.value = options.volume ?? 0.3;
  const dest = ac.createMediaStreamDestination();
  osc.connect(gain).connect(dest);
  audio.srcObject = dest.stream;
  // The level of what is sent to the speaker.
  const meter = new TrackLevel(dest.stream.getAudioTracks()[0]!);
  let playing = false;
  audio.addEventListener('playing', () => (playing = true), { once: true });
  try {
    if (ac.state === 'suspended') await ac.resume().catch(() => undefined);
    osc.start();
    try {
      await audio.play();
    } catch (cause) {
      const name = (cause as { name?: string }).name;
      throw new RtcError({
        code: name === 'NotAllowedError' ? ErrorCode.PLAY_NOT_ALLOWED : ErrorCode.UNKNOWN,
        message:
          name === 'NotAllowedError'
            ? 'testSpeaker: the browser blocked playback; call it from a click handler'
            : `testSpeaker: cannot play the tone (${String(cause)})`,
        cause,
      });
    }
    const started = performance.now();
    let maxLevel = 0;
    while (performance.now() - started < duration && !options.signal?.aborted) {
      await wait(Math.min(100, duration - (performance.now() - started)), options.signal);
      const level = meter.level();
      maxLevel = Math.max(maxLevel, level);
      call(where, options.onProgress, { elapsed: Math.round(performance.now() - started), level });
    }
    return {
      speakerId,
      played: playing || !audio.paused,
      duration: Math.round(performance.now() - started),
      maxLevel: Math.round(maxLevel * 1000) / 1000,
    };
  } finally {
    try {
      osc.stop();
    } catch {
      // not started
    }
    osc.disconnect();
    gain.disconnect();
    meter.dispose();
    audio.pause();
    audio.srcObject = null;
    for (const t of dest.stream.getTracks()) t.stop();
  }
}
