// The static functions of the `TRTC` namespace: environment checks, devices, and the factories.
import { ErrorCode, RtcError } from './errors';
import { log } from './common/logger';
import { Client, checkClientConfig, smallStreamSupported } from './client/client';
import type { ClientConfig } from './client/types';
import { LocalStream, checkStreamConfig, type StreamConfig } from './stream/local-stream';
import { detectCodecs } from './detect/codecs';
import { isWebSocketSupported } from './detect/environment';
import { currentUserAgent, parseUserAgent } from './detect/user-agent';

/** Result of `TRTC.checkSystemRequirements()`. */
export interface CheckResult {
  /** True when the browser can join, publish and subscribe. */
  result: boolean;
  detail: {
    isBrowserSupported: boolean;
    isWebRTCSupported: boolean;
    isMediaDevicesSupported: boolean;
    isH264EncodeSupported: boolean;
    isH264DecodeSupported: boolean;
    isVp8EncodeSupported: boolean;
    isVp8DecodeSupported: boolean;
  };
}

/**
 * Checks whether this browser can use the SDK. It shares RTCDetect's checks (docs/detect.md):
 * codec support is read from `RTCRtpSender/RTCRtpReceiver.getCapabilities()` (the browser's own
 * answer), and `isBrowserSupported` needs WebRTC, WebSocket and a browser outside RTCDetect's
 * blacklist (UCBrowser, legacy EdgeHTML, Chromium Edge < 80, Firefox < 56). The media server
 * (Janus) uses VP8 by default, so `result` needs VP8 (or H.264) both ways.
 */
export async function checkSystemRequirements(): Promise<CheckResult> {
  const isWebRTCSupported = typeof RTCPeerConnection !== 'undefined'; // what the SDK itself uses
  const isMediaDevicesSupported = typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
  const codecs = await detectCodecs();
  const detail = {
    isBrowserSupported: isWebRTCSupported && isWebSocketSupported() && !parseUserAgent(currentUserAgent()).blacklisted,
    isWebRTCSupported,
    isMediaDevicesSupported,
    isH264EncodeSupported: codecs.isH264EncodeSupported,
    isH264DecodeSupported: codecs.isH264DecodeSupported,
    isVp8EncodeSupported: codecs.isVp8EncodeSupported,
    isVp8DecodeSupported: codecs.isVp8DecodeSupported,
  };
  const bothWays =
    (detail.isVp8EncodeSupported && detail.isVp8DecodeSupported) ||
    (detail.isH264EncodeSupported && detail.isH264DecodeSupported);
  return { result: detail.isBrowserSupported && isMediaDevicesSupported && bothWays, detail };
}

/** Whether the browser can share the screen (`getDisplayMedia`). */
export function isScreenShareSupported(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';
}

/** Whether the browser can send the small stream (simulcast). */
export function isSmallStreamSupported(): boolean {
  return smallStreamSupported();
}

async function enumerate(): Promise<MediaDeviceInfo[]> {
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.enumerateDevices) {
    throw new RtcError({
      code: ErrorCode.NOT_SUPPORTED,
      message: 'this page cannot list devices: use HTTPS or http://localhost',
    });
  }
  return navigator.mediaDevices.enumerateDevices();
}

/** Every camera, microphone and speaker. Labels are empty until the user allowed capture once. */
export async function getDevices(): Promise<MediaDeviceInfo[]> {
  return enumerate();
}

/** The cameras (an empty label becomes `camera_<i>`). */
export async function getCameras(): Promise<MediaDeviceInfo[]> {
  const list = (await enumerate()).filter((d) => d.kind === 'videoinput');
  return list.map((d, i) => (d.label ? d : withLabel(d, `camera_${i}`)));
}

/** The microphones. */
export async function getMicrophones(): Promise<MediaDeviceInfo[]> {
  const list = (await enumerate()).filter((d) => d.kind === 'audioinput');
  return list.map((d, i) => (d.label ? d : withLabel(d, `microphone_${i}`)));
}

/** The speakers (audio outputs). */
export async function getSpeakers(): Promise<MediaDeviceInfo[]> {
  const list = (await enumerate()).filter((d) => d.kind === 'audiooutput');
  return list.map((d, i) => (d.label ? d : withLabel(d, `speaker_${i}`)));
}

function withLabel(d: MediaDeviceInfo, label: string): MediaDeviceInfo {
  const copy = {
    deviceId: d.deviceId,
    groupId: d.groupId,
    kind: d.kind,
    label,
    toJSON: () => ({ deviceId: d.deviceId, groupId: d.groupId, kind: d.kind, label }),
  } as MediaDeviceInfo & { getCapabilities?: () => MediaTrackCapabilities };
  const caps = (d as { getCapabilities?: () => MediaTrackCapabilities }).getCapabilities;
  if (caps) copy.getCapabilities = () => caps.call(d);
  return copy;
}

/**
 * Creates a client for one call. Throws INVALID_PARAMETER for a missing or wrong option.
 *
 * ```ts
 * const client = TRTC.createClient({ mode: 'rtc', sdkAppId, userId, userSig });
 * ```
 */
export function createClient(config: ClientConfig): Client {
  checkClientConfig(config);
  log.info(`createClient ${config.userId} (${config.mode})`);
  return new Client(config);
}

/**
 * Creates a local stream: camera/microphone (`{audio, video}`), screen (`{screen: true}`), or your
 * own tracks (`{audioSource, videoSource}`). Call `initialize()` to capture.
 */
export function createStream(config: StreamConfig): LocalStream {
  checkStreamConfig(config);
  return new LocalStream(config);
}
