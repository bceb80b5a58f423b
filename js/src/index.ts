/**
 * The SDK's entry point: the `TRTC` namespace of the TRTC Web SDK v4 API.
 *
 * ```ts
 * import TRTC from 'trtc-web-wasm';          // or <script src="dist/trtc.umd.js"> → window.TRTC
 * const client = TRTC.createClient({ mode: 'rtc', sdkAppId, userId, userSig });
 * await client.join({ roomId: 8888 });
 * ```
 * @packageDocumentation
 */
import { VERSION } from './version';
import { ErrorCode, RtcError } from './errors';
import { AudioLevelMeter } from './audio/audio-level-meter';
import { loadCore, setAssetsPath, simdSupported } from './core/wasm-loader';
import { Logger } from './common/logger';
import { Client } from './client/client';
import { LocalStream } from './stream/local-stream';
import { RemoteStream } from './stream/remote-stream';
import { Stream } from './stream/stream';
import { registerPlugin } from './plugin';
import { RTCDetect } from './detect/rtc-detect';
import {
  checkSystemRequirements,
  createClient,
  createStream,
  getCameras,
  getDevices,
  getMicrophones,
  getSpeakers,
  isScreenShareSupported,
  isSmallStreamSupported,
} from './trtc';
import { AUDIO_PROFILES, SCREEN_PROFILES, VIDEO_PROFILES } from './stream/profiles';
import { runNetworkTest } from './precall/network-test';
import { testCamera, testMicrophone, testSpeaker } from './precall/device-test';

export { VERSION } from './version';
export { ErrorCode, RtcError } from './errors';
export type { ErrorCodeValue, RtcErrorOptions } from './errors';
export { AudioLevelMeter } from './audio/audio-level-meter';
export type { AudioLevelMeterOptions, LevelStats } from './audio/audio-level-meter';
export { loadCore, setAssetsPath, simdSupported } from './core/wasm-loader';
export type { TrtcCoreModule } from './core/trtc-core';
export { Logger, LogLevel } from './common/logger';
export type { LogLevelValue } from './common/logger';
export { Client } from './client/client';
export type * from './client/types';
export { Stream } from './stream/stream';
export type {
  StreamEventMap,
  DeviceAutoRecoveredEvent,
  PlayOptions,
  PlayerStateChangedEvent,
  ObjectFit,
  PlayerState,
  PlayerStateReason,
} from './stream/stream';
export { LocalStream } from './stream/local-stream';
export type { StreamConfig } from './stream/local-stream';
export { RemoteStream } from './stream/remote-stream';
export type { RemoteStreamType } from './stream/remote-stream';
export type {
  VideoProfile,
  AudioProfile,
  VideoProfileString,
  ScreenProfileString,
  AudioProfileString,
} from './stream/profiles';
export { registerPlugin } from './plugin';
export type { PluginClass, PluginInstance, PluginContext, PluginSdk } from './plugin';
export { RTCDetect } from './detect/rtc-detect';
export {
  checkSystemRequirements,
  createClient,
  createStream,
  getCameras,
  getDevices,
  getMicrophones,
  getSpeakers,
  isScreenShareSupported,
  isSmallStreamSupported,
} from './trtc';
export type { CheckResult } from './trtc';
export { runNetworkTest } from './precall/network-test';
export type { NetworkTestOptions, NetworkTestProgress, NetworkTestResult } from './precall/network-test';
export { testCamera, testMicrophone, testSpeaker } from './precall/device-test';
export type {
  CameraTestOptions,
  CameraTestProgress,
  CameraTestResult,
  DeviceTestOptions,
  MicrophoneTestOptions,
  MicrophoneTestProgress,
  MicrophoneTestResult,
  SpeakerTestOptions,
  SpeakerTestProgress,
  SpeakerTestResult,
} from './precall/device-test';
export type { Handler } from './core/emitter';

/** A frozen deep copy, so apps can read the profile tables without changing the SDK's. */
function frozenCopy<T>(table: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(table as Record<string, object>)) out[k] = Object.freeze({ ...v });
  return Object.freeze(out) as T;
}

/** The `TRTC` namespace object: the default export, and the global `TRTC` of the UMD bundle. */
const TRTC = {
  VERSION,
  checkSystemRequirements,
  isScreenShareSupported,
  isSmallStreamSupported,
  getDevices,
  getCameras,
  getMicrophones,
  getSpeakers,
  createClient,
  createStream,
  Logger,
  registerPlugin,
  ErrorCode,
  RtcError,
  Client,
  Stream,
  LocalStream,
  RemoteStream,
  /** The environment check of rtc-detect 1.2.0 (an extension): `new TRTC.RTCDetect()`, see docs/detect.md. */
  RTCDetect,
  /** The profile tables (an extension: read-only copies of what setVideoProfile etc. accept). */
  profiles: {
    video: frozenCopy(VIDEO_PROFILES),
    screen: frozenCopy(SCREEN_PROFILES),
    audio: frozenCopy(AUDIO_PROFILES),
  },
  AudioLevelMeter,
  loadCore,
  setAssetsPath,
  simdSupported,
  /** Pre-call tests (an extension): network, camera, microphone, speaker. */
  runNetworkTest,
  testCamera,
  testMicrophone,
  testSpeaker,
} as const;

export default TRTC;
