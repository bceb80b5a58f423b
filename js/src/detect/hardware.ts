// Whether the browser encodes video in hardware: the Media Capabilities API's answer, or a loopback
// call whose encoder is read from the stats when that API cannot answer.
import { isVideo, type RtpStats } from './codecs';
import { openH264Loopback } from './loopback';

/** The message rtc-detect 1.2.0 rejects with when the stats do not name the encoder. */
export const HW_UNDETECTABLE = 'your browser does not support to detect HW acceleration enabled.';

/** The configurations asked to Media Capabilities: 720p30 H.264 (what rtc-detect tests) and VP8. */
const CONFIGS: MediaEncodingConfiguration[] = [
  {
    type: 'webrtc',
    video: {
      contentType: 'video/H264;level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
      width: 1280,
      height: 720,
      bitrate: 1_500_000,
      framerate: 30,
    },
  },
  {
    type: 'webrtc',
    video: { contentType: 'video/VP8', width: 1280, height: 720, bitrate: 1_500_000, framerate: 30 },
  },
];

const MEDIA_CAPABILITIES_TIMEOUT_MS = 5000;
const POLL_MS = 500;
const PROBE_TIMEOUT_MS = 30_000;

/**
 * The Media Capabilities answer: true when one of the codecs is supported and `powerEfficient`
 * (a hardware encoder), false when they are supported but none is power efficient, and undefined
 * when the API is missing, fails, times out or supports neither codec.
 */
export async function hardwareFromMediaCapabilities(): Promise<boolean | undefined> {
  const mc = typeof navigator !== 'undefined' ? navigator.mediaCapabilities : undefined;
  if (!mc || typeof mc.encodingInfo !== 'function') return undefined;
  const ask = async (config: MediaEncodingConfiguration): Promise<MediaCapabilitiesInfo | undefined> => {
    try {
      return await mc.encodingInfo(config);
    } catch {
      return undefined;
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), MEDIA_CAPABILITIES_TIMEOUT_MS);
  });
  const answers = await Promise.race([Promise.all(CONFIGS.map(ask)), timeout]);
  clearTimeout(timer);
  if (!answers) return undefined;
  const supported = answers.filter((a): a is MediaCapabilitiesInfo => !!a && a.supported);
  if (supported.length === 0) return undefined;
  return supported.some((a) => a.powerEfficient === true);
}

/** Names of hardware encoders in `encoderImplementation` (Chromium reports "ExternalEncoder"). */
const HARDWARE_NAME = /ExternalEncoder/i;

/** The stats say the encoder is a hardware one. */
function isHardware(s: RtpStats): boolean {
  const impl = s.encoderImplementation;
  return s.powerEfficientEncoder === true || (impl !== undefined && HARDWARE_NAME.test(impl));
}

/** The stats name a software encoder (OpenH264, libvpx…) or say it is not power efficient. */
function isSoftware(s: RtpStats): boolean {
  const impl = s.encoderImplementation;
  return s.powerEfficientEncoder === false || (!!impl && impl !== 'unknown');
}

/** The browser hides the encoder from this page. */
function isHidden(s: RtpStats): boolean {
  return s.encoderImplementation === undefined && s.powerEfficientEncoder === undefined;
}

/**
 * rtc-detect's method, made to decide as soon as the stats can: a 640×480 canvas at 15 fps sent
 * with H.264 at 500 kbit/s through a loopback call; every 500 ms the sender's `outbound-rtp` stats
 * are read. A hardware encoder (`powerEfficientEncoder`, or an `encoderImplementation` of
 * "ExternalEncoder") resolves true; a named software encoder (OpenH264, libvpx…) resolves false;
 * stats that hide the encoder once frames flow reject (browsers only show it to pages that capture
 * the camera or microphone); 30 s without an answer resolves false.
 */
export async function hardwareFromLoopback(): Promise<boolean> {
  const loop = await openH264Loopback({ frameRate: 15, maxBitrate: 500_000 });
  try {
    const deadline = Date.now() + PROBE_TIMEOUT_MS;
    let framesPolls = 0; // polls that saw encoded frames
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const video: RtpStats[] = [];
      (await loop.sender.getStats()).forEach((s: RtpStats) => {
        if (s.type === 'outbound-rtp' && isVideo(s)) video.push(s);
      });
      if (video.some(isHardware)) return true;
      if (video.some((s) => (s.framesEncoded ?? 0) > 0)) framesPolls++;
      // Conclude "software" or "hidden" only after two polls with frames, so the encoder the
      // browser settled on is the one read.
      if (framesPolls < 2) continue;
      if (video.every(isHidden)) throw new Error(HW_UNDETECTABLE);
      if (video.some(isSoftware)) return false;
    }
    return false;
  } finally {
    loop.close();
  }
}

/**
 * Whether video is encoded in hardware: the Media Capabilities answer when it has one (a few
 * milliseconds), the loopback call otherwise.
 */
export async function detectHardwareAcceleration(): Promise<boolean> {
  const answer = await hardwareFromMediaCapabilities();
  if (answer !== undefined) return answer;
  return hardwareFromLoopback();
}
