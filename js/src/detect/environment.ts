// The system description and the API feature flags of RTCDetect.
import type { APISupported, SystemInfo } from './types';
import { currentUserAgent, parseUserAgent } from './user-agent';

/** `name in window` for any of the names. */
function anyGlobal(names: string[]): boolean {
  return typeof window !== 'undefined' && names.some((n) => n in window);
}

/** An element of the page has any of the methods. */
function elementHas(tag: 'canvas' | 'video', names: string[]): boolean {
  if (typeof document === 'undefined' || typeof document.createElement !== 'function') return false;
  const el = document.createElement(tag);
  return names.some((n) => n in el);
}

/** `screen.width/height × devicePixelRatio`, or undefined when the screen width is unknown. */
function displayResolution(): SystemInfo['displayResolution'] {
  if (typeof screen === 'undefined' || !screen.width) return undefined;
  const ratio = (typeof window !== 'undefined' && window.devicePixelRatio) || 1;
  return { width: screen.width * ratio, height: screen.height * ratio };
}

/**
 * `"<vendor> - <renderer>"` of WebGL: the unmasked names from `WEBGL_debug_renderer_info` when the
 * browser offers that extension, the plain `VENDOR`/`RENDERER` otherwise (Firefox now returns the
 * unmasked renderer there), `"unknown"` without WebGL. The probe context is released at once.
 */
function gpu(): string {
  if (typeof document === 'undefined') return 'unknown';
  let gl: WebGLRenderingContext | null = null;
  try {
    gl = document.createElement('canvas').getContext('webgl') as WebGLRenderingContext | null;
    if (!gl) return 'unknown';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const vendor: unknown = gl.getParameter(info ? info.UNMASKED_VENDOR_WEBGL : gl.VENDOR);
    const renderer: unknown = gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
    return `${String(vendor)} - ${String(renderer)}`;
  } catch {
    return 'unknown';
  } finally {
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

/** The system: user agent, OS, browser, screen, CPU cores, memory and GPU. */
export function readSystem(): SystemInfo {
  const ua = currentUserAgent();
  const { os, browser } = parseUserAgent(ua);
  const nav = typeof navigator !== 'undefined' ? (navigator as Navigator & { deviceMemory?: number }) : undefined;
  return {
    UA: ua,
    OS: os,
    browser,
    displayResolution: displayResolution(),
    hardwareConcurrency: nav?.hardwareConcurrency,
    deviceMemory: nav?.deviceMemory,
    GPU: gpu(),
  };
}

const CAPTURE_STREAM = ['captureStream', 'mozCaptureStream', 'webkitCaptureStream'];

/** Whether WebRTC (`RTCPeerConnection`, or a legacy variant) exists. */
export function isWebRTCSupported(): boolean {
  return anyGlobal(['RTCPeerConnection', 'webkitRTCPeerConnection', 'RTCIceGatherer']);
}

/** Whether a standard `WebSocket` exists. */
export function isWebSocketSupported(): boolean {
  return typeof WebSocket !== 'undefined' && anyGlobal(['WebSocket']) && WebSocket.CLOSING === 2;
}

/** Whether `navigator.mediaDevices` has `getUserMedia` and `enumerateDevices`. */
export function isUserMediaSupported(): boolean {
  const md = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
  return !!md && 'getUserMedia' in md && 'enumerateDevices' in md;
}

/**
 * The API feature flags. `isRTPSenderReplaceTracksSupported` is read from `RTCRtpSender.prototype`
 * (rtc-detect 1.2.0 only answers true for Chrome and Firefox, by their legacy prefixed
 * `RTCPeerConnection`s).
 */
export function readAPISupported(): APISupported {
  return {
    isUserMediaSupported: isUserMediaSupported(),
    isWebRTCSupported: isWebRTCSupported(),
    isWebSocketSupported: isWebSocketSupported(),
    isWebAudioSupported: anyGlobal(['AudioContext', 'webkitAudioContext', 'mozAudioContext', 'msAudioContext']),
    isScreenCaptureAPISupported: typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia,
    isCanvasCapturingSupported: elementHas('canvas', CAPTURE_STREAM),
    isVideoCapturingSupported: elementHas('video', CAPTURE_STREAM),
    isRTPSenderReplaceTracksSupported:
      typeof RTCRtpSender !== 'undefined' && typeof RTCRtpSender.prototype.replaceTrack === 'function',
    isApplyConstraintsSupported:
      typeof MediaStreamTrack !== 'undefined' && 'applyConstraints' in MediaStreamTrack.prototype,
  };
}
