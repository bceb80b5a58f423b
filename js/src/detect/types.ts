// The result shapes of RTCDetect, field for field those of rtc-detect 1.2.0 (the names its code
// uses, which differ from its README: hardwareConcurrency, hasCameraPermission, deviceMemory).

/**
 * A browser version as rtc-detect 1.2.0 reports it. It is a number for Firefox, Edg, SogouMobile
 * and Sogou (only the major version), a string for the others (`"120.0.6099.71"`), `null` when
 * the browser was recognised but the version was not found, `undefined` for legacy Edge, TBS,
 * XWEB and WeChat in that case, and `"unknown"` when no browser was recognised.
 */
export type BrowserVersion = string | number | null | undefined;

/** The browser, from the user agent string. */
export interface BrowserInfo {
  /**
   * One of `Firefox`, `Edg` (Chromium Edge), `Chrome`, `Safari`, `TBS`, `XWEB`, `WeChat`,
   * `QQ(Win)`, `QQ(Mobile)`, `QQ(Mobile X5)`, `QQ(Mac)`, `QQ(iPad)`, `MI`, `HW`, `Samsung`,
   * `OPPO`, `VIVO`, `EDGE` (legacy EdgeHTML), `SogouMobile`, `Sogou`, or `unknown`.
   */
  name: string;
  /** The version, see {@link BrowserVersion}. */
  version: BrowserVersion;
}

/** The result of {@link RTCDetect.getSystem}. */
export interface SystemInfo {
  /** `navigator.userAgent`. */
  UA: string;
  /** One of `Android`, `iOS`, `Windows`, `MacOS`, `Linux`, or `unknown`. */
  OS: string;
  /** The browser name and version. */
  browser: BrowserInfo;
  /**
   * The screen size in device pixels (`screen.width/height × devicePixelRatio`); `undefined` when
   * the screen width is unknown.
   */
  displayResolution: { width: number; height: number } | undefined;
  /** `navigator.hardwareConcurrency`: the number of logical CPU cores. */
  hardwareConcurrency: number | undefined;
  /** `navigator.deviceMemory`: approximate RAM in GiB (Chromium only; `undefined` elsewhere). */
  deviceMemory: number | undefined;
  /**
   * `"<vendor> - <renderer>"` of the WebGL implementation (the unmasked names when the browser
   * gives them), or `"unknown"` without WebGL.
   */
  GPU: string;
}

/** The result of {@link RTCDetect.getAPISupported}. */
export interface APISupported {
  /** `navigator.mediaDevices` has `getUserMedia` and `enumerateDevices`. */
  isUserMediaSupported: boolean;
  /** `RTCPeerConnection` (or a prefixed/legacy variant) exists. */
  isWebRTCSupported: boolean;
  /** `WebSocket` exists and follows the standard (`WebSocket.CLOSING === 2`). */
  isWebSocketSupported: boolean;
  /** `AudioContext` (or a prefixed variant) exists. */
  isWebAudioSupported: boolean;
  /** `navigator.mediaDevices.getDisplayMedia` exists (screen sharing). */
  isScreenCaptureAPISupported: boolean;
  /** `<canvas>` has `captureStream` (or a prefixed variant). */
  isCanvasCapturingSupported: boolean;
  /** `<video>` has `captureStream` (or a prefixed variant). */
  isVideoCapturingSupported: boolean;
  /** `RTCRtpSender.replaceTrack` exists: a track can be replaced without renegotiation. */
  isRTPSenderReplaceTracksSupported: boolean;
  /** `MediaStreamTrack.applyConstraints` exists: capture settings can change without a new getUserMedia. */
  isApplyConstraintsSupported: boolean;
}

/** The video codecs the browser can send (encode) and receive (decode): {@link RTCDetect.getCodecAsync}. */
export interface CodecsSupported {
  /** H.264 can be sent. */
  isH264EncodeSupported: boolean;
  /** VP8 can be sent. */
  isVp8EncodeSupported: boolean;
  /** VP9 can be sent. */
  isVp9EncodeSupported: boolean;
  /** H.265 (HEVC) can be sent. */
  isH265EncodeSupported: boolean;
  /** AV1 can be sent. */
  isAV1EncodeSupported: boolean;
  /** H.264 can be received. */
  isH264DecodeSupported: boolean;
  /** VP8 can be received. */
  isVp8DecodeSupported: boolean;
  /** VP9 can be received. */
  isVp9DecodeSupported: boolean;
  /** H.265 (HEVC) can be received. */
  isH265DecodeSupported: boolean;
  /** AV1 can be received. */
  isAV1DecodeSupported: boolean;
}

/** A microphone or speaker: the fields of `MediaDeviceInfo`. */
export interface DeviceItem {
  /** The device id (empty before the user allowed capture in some browsers). */
  deviceId: string;
  /** `'audioinput'`, `'audiooutput'` or `'videoinput'`. */
  kind: MediaDeviceKind;
  /** The device name, or `"Camera N"`/`"Microphone N"`/`"Speaker N"` when the browser hides it. */
  label: string;
  /** Devices of one physical product share a group id. */
  groupId: string;
}

/** The largest capture size and frame rate of a camera. */
export interface CameraResolution {
  /** Largest width in pixels. */
  maxWidth: number | undefined;
  /** Largest height in pixels. */
  maxHeight: number | undefined;
  /** Largest frame rate; absent when only the current settings could be read. */
  maxFrameRate?: number | undefined;
}

/** A camera. */
export interface CameraItem extends DeviceItem {
  /**
   * The camera's capabilities; absent when they cannot be read without permission (no label
   * permission, or the browser has neither `InputDeviceInfo.getCapabilities` nor a usable camera).
   */
  resolution?: CameraResolution;
}

/** The result of {@link RTCDetect.getDevicesAsync}. */
export interface DevicesInfo {
  /** The cameras, de-duplicated. */
  cameras: CameraItem[];
  /** The microphones, de-duplicated. */
  microphones: DeviceItem[];
  /** The speakers (audio outputs), de-duplicated. */
  speakers: DeviceItem[];
  /** Whether the page may use the camera (see docs/detect.md for how it is decided). */
  hasCameraPermission: boolean;
  /** Whether the page may use the microphone. */
  hasMicrophonePermission: boolean;
}

/** The result of {@link RTCDetect.getReportAsync}. */
export interface DetectReport {
  /** {@link RTCDetect.getSystem}. */
  system: SystemInfo;
  /** {@link RTCDetect.getAPISupported}. */
  APISupported: APISupported;
  /** {@link RTCDetect.getCodecAsync}. */
  codecsSupported: CodecsSupported;
  /** {@link RTCDetect.getDevicesAsync}. */
  devices: DevicesInfo;
}

/** The result of {@link RTCDetect.isTRTCSupported}. */
export type TRTCSupportResult = { result: true } | { result: false; reason: string };
