/**
 * `RTCDetect`: the environment check of rtc-detect 1.2.0 (the library TRTC recommends for checking a
 * browser before a call), with the same methods, result fields and reason strings, and better
 * answers where the browser can give them (see docs/detect.md).
 *
 * ```ts
 * import RTCDetect from 'trtc-web-wasm/rtc-detect'; // or <script src="dist/rtc-detect.umd.js"> → window.RTCDetect
 * const detect = new RTCDetect();
 * const { result, reason } = await detect.isTRTCSupported();
 * const report = await detect.getReportAsync();
 * ```
 * @packageDocumentation
 */
import { detectCodecs } from './codecs';
import { probeDevices } from './devices';
import { readAPISupported, readSystem } from './environment';
import { detectHardwareAcceleration } from './hardware';
import type { APISupported, CodecsSupported, DetectReport, DevicesInfo, SystemInfo, TRTCSupportResult } from './types';
import { currentUserAgent, parseUserAgent } from './user-agent';

export type * from './types';

/** The reason given for a blacklisted browser. */
const BROWSER_NOT_QUALIFIED = 'your browser does not qualify, it is recommended to use Chrome and firefox.';

/**
 * Checks whether the browser can run TRTC, and describes the system, the APIs, the codecs and the
 * devices. Each method stores its latest result on the instance (`system`, `APISupported`,
 * `codecsSupported`, `devices`, `report`), like rtc-detect 1.2.0.
 */
export class RTCDetect {
  /** The latest {@link RTCDetect.getSystem} result, or null before the first call. */
  system: SystemInfo | null;
  /** The latest {@link RTCDetect.getAPISupported} result, or null before the first call. */
  APISupported: APISupported | null;
  /** The latest {@link RTCDetect.getDevicesAsync} result, or null before the first call. */
  devices: DevicesInfo | null;
  /** The latest {@link RTCDetect.getCodecAsync} result, or null before the first call. */
  codecsSupported: CodecsSupported | null;
  /** The latest {@link RTCDetect.getReportAsync} result, or null before the first call. */
  report: DetectReport | null;

  /** Creates a detector. Nothing is probed until a method is called. */
  constructor() {
    this.system = null;
    this.APISupported = null;
    this.devices = null;
    this.codecsSupported = null;
    this.report = null;
  }

  /**
   * Whether this browser can use TRTC. Runs {@link RTCDetect.getReportAsync}, then checks in this
   * order and answers with the first failure:
   * 1. WebRTC: `"Your browser does not support WebRTC."`
   * 2. WebSocket: `"Your browser does not support WebSocket."`
   * 3. getUserMedia: `"Your browser does not support getUserMedia."`
   * 4. H.264 or VP8 encode: `"isH264EncodeSupported: false isVp8EncodeSupported: false "`
   * 5. H.264 or VP8 decode: `"isH264DecodeSupported: false isVp8DecodeSupported: false "`
   * 6. the browser blacklist (UCBrowser, legacy EdgeHTML, Chromium Edge < 80, Firefox < 56):
   *    `"your browser does not qualify, it is recommended to use Chrome and firefox."`
   * @returns `{ result: true }`, or `{ result: false, reason }`.
   */
  async isTRTCSupported(): Promise<TRTCSupportResult> {
    const report = await this.getReportAsync();
    const api = report.APISupported;
    if (!api.isWebRTCSupported) return { result: false, reason: 'Your browser does not support WebRTC.' };
    if (!api.isWebSocketSupported) return { result: false, reason: 'Your browser does not support WebSocket.' };
    if (!api.isUserMediaSupported) return { result: false, reason: 'Your browser does not support getUserMedia.' };
    const c = report.codecsSupported;
    if (!c.isH264EncodeSupported && !c.isVp8EncodeSupported) {
      const reason = `isH264EncodeSupported: ${c.isH264EncodeSupported} isVp8EncodeSupported: ${c.isVp8EncodeSupported} `;
      return { result: false, reason };
    }
    if (!c.isH264DecodeSupported && !c.isVp8DecodeSupported) {
      const reason = `isH264DecodeSupported: ${c.isH264DecodeSupported} isVp8DecodeSupported: ${c.isVp8DecodeSupported} `;
      return { result: false, reason };
    }
    if (parseUserAgent(currentUserAgent()).blacklisted) return { result: false, reason: BROWSER_NOT_QUALIFIED };
    return { result: true };
  }

  /**
   * The whole report: {@link RTCDetect.getSystem}, {@link RTCDetect.getAPISupported},
   * {@link RTCDetect.getCodecAsync} and {@link RTCDetect.getDevicesAsync} (the last two run
   * concurrently). Also stored in `report`.
   */
  async getReportAsync(): Promise<DetectReport> {
    const system = this.getSystem();
    const APISupported = this.getAPISupported();
    const [codecsSupported, devices] = await Promise.all([this.getCodecAsync(), this.getDevicesAsync()]);
    this.report = { system, APISupported, codecsSupported, devices };
    return this.report;
  }

  /**
   * The video codecs this browser can encode (send) and decode (receive): H.264, VP8, VP9, H.265
   * and AV1, from `RTCRtpSender/RTCRtpReceiver.getCapabilities('video')` (rtc-detect's SDP-offer
   * search where those are missing). On the OPPO and Vivo browsers H.264 is confirmed by a loopback
   * call (up to 3 s). Also stored in `codecsSupported`.
   */
  async getCodecAsync(): Promise<CodecsSupported> {
    this.codecsSupported = await detectCodecs();
    return this.codecsSupported;
  }

  /**
   * The cameras (each with its largest `resolution`), microphones and speakers, de-duplicated, with
   * hidden names filled in as `Camera N`/`Microphone N`/`Speaker N`, and whether the page may use
   * the camera and the microphone (the Permissions API, else whether device names are visible).
   * Also stored in `devices`.
   */
  async getDevicesAsync(): Promise<DevicesInfo> {
    this.devices = await probeDevices();
    return this.devices;
  }

  /**
   * The system: `UA`, `OS`, `browser {name, version}`, `displayResolution {width, height}` (device
   * pixels), `hardwareConcurrency`, `deviceMemory` and `GPU`. Also stored in `system`.
   */
  getSystem(): SystemInfo {
    this.system = readSystem();
    return this.system;
  }

  /**
   * Which WebRTC-related APIs exist: getUserMedia, RTCPeerConnection, WebSocket, Web Audio,
   * getDisplayMedia, canvas and video `captureStream`, `RTCRtpSender.replaceTrack` and
   * `MediaStreamTrack.applyConstraints`. Also stored in `APISupported`.
   */
  getAPISupported(): APISupported {
    this.APISupported = readAPISupported();
    return this.APISupported;
  }

  /**
   * Whether the browser encodes video in hardware. Asks `navigator.mediaCapabilities.encodingInfo`
   * (WebRTC, 720p30 H.264 and VP8: `powerEfficient`), which answers in milliseconds; only when it
   * cannot answer, runs rtc-detect's loopback call and reads the encoder from its stats (up to 30 s).
   * @throws Error `"your browser does not support to detect HW acceleration enabled."` when the
   *   loopback is needed and the browser hides the encoder from the page.
   */
  async isHardWareAccelerationEnabled(): Promise<boolean> {
    return detectHardwareAcceleration();
  }
}

export default RTCDetect;
