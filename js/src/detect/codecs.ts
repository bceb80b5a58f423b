// Which video codecs the browser can send and receive. Shared by RTCDetect.getCodecAsync() and
// TRTC.checkSystemRequirements().
import { openH264Loopback } from './loopback';
import type { CodecsSupported } from './types';
import { currentUserAgent } from './user-agent';

/** The five codecs, as they appear in the result field names. */
const CODECS = ['H264', 'Vp8', 'Vp9', 'H265', 'AV1'] as const;
type Codec = (typeof CODECS)[number];
type CodecFlags = Record<Codec, boolean>;

/** Whether a `mimeType` of `getCapabilities()` is the codec. */
const MIME: Record<Codec, (mime: string) => boolean> = {
  H264: (m) => m === 'video/h264',
  Vp8: (m) => m === 'video/vp8',
  Vp9: (m) => m === 'video/vp9',
  H265: (m) => m === 'video/h265' || m === 'video/hevc',
  AV1: (m) => m === 'video/av1' || m === 'video/av1x',
};

function noCodecs(): CodecFlags {
  return { H264: false, Vp8: false, Vp9: false, H265: false, AV1: false };
}

/**
 * The codecs in the browser's own capability list (`RTCRtpSender.getCapabilities('video')` to
 * encode, `RTCRtpReceiver.getCapabilities('video')` to decode), or null when the browser has no
 * such list.
 */
export function codecsFromCapabilities(side: 'encode' | 'decode'): CodecFlags | null {
  let caps: RTCRtpCapabilities | null | undefined;
  try {
    // Named directly (no globalThis): this also runs in the old browsers it is meant to turn away.
    if (side === 'encode' && typeof RTCRtpSender !== 'undefined' && typeof RTCRtpSender.getCapabilities === 'function')
      caps = RTCRtpSender.getCapabilities('video');
    else if (
      side === 'decode' &&
      typeof RTCRtpReceiver !== 'undefined' &&
      typeof RTCRtpReceiver.getCapabilities === 'function'
    )
      caps = RTCRtpReceiver.getCapabilities('video');
  } catch {
    return null;
  }
  if (!caps || !Array.isArray(caps.codecs)) return null;
  const mimes = caps.codecs.map((c) => c.mimeType.toLowerCase());
  const flags = noCodecs();
  for (const codec of CODECS) flags[codec] = mimes.some(MIME[codec]);
  return flags;
}

/** rtc-detect's method: the codec names found anywhere in the lowercased SDP of an offer. */
function codecsInSdp(sdp: string): CodecFlags {
  const text = sdp.toLowerCase();
  return {
    H264: text.includes('h264'),
    Vp8: text.includes('vp8'),
    Vp9: text.includes('vp9'),
    H265: text.includes('h265'),
    AV1: text.includes('av1'),
  };
}

/**
 * The fallback for browsers without `getCapabilities`: the codecs of an offer that sends a canvas
 * track (encode) or of an offer to receive (decode). All false when it fails.
 */
async function codecsFromOffer(side: 'encode' | 'decode'): Promise<CodecFlags> {
  let pc: RTCPeerConnection | undefined;
  let stream: MediaStream | undefined;
  try {
    pc = new RTCPeerConnection();
    let offer: RTCSessionDescriptionInit;
    if (side === 'encode') {
      const canvas = document.createElement('canvas');
      canvas.getContext('2d');
      stream = canvas.captureStream(0);
      pc.addTrack(stream.getVideoTracks()[0], stream);
      offer = await pc.createOffer();
    } else {
      offer = await pc.createOffer({ offerToReceiveAudio: true, offerToReceiveVideo: true });
    }
    return codecsInSdp(offer.sdp ?? '');
  } catch {
    return noCodecs();
  } finally {
    stream?.getTracks().forEach((t) => t.stop());
    pc?.close();
  }
}

/** The codecs of one direction: the capability list, or the SDP fallback without one. */
async function codecsFor(side: 'encode' | 'decode'): Promise<CodecFlags> {
  return codecsFromCapabilities(side) ?? codecsFromOffer(side);
}

/** The fields of RTP stats read here (`mediaType` is the older name of `kind`). */
export interface RtpStats {
  /** `outbound-rtp`, `inbound-rtp`, … */
  type?: string;
  /** `audio` or `video`. */
  kind?: string;
  /** The older name of `kind`. */
  mediaType?: string;
  /** Frames the encoder produced (outbound). */
  framesEncoded?: number;
  /** Frames the decoder produced (inbound). */
  framesDecoded?: number;
  /** The encoder's name (`OpenH264`, `libvpx`, `ExternalEncoder`…), shown only to capturing pages. */
  encoderImplementation?: string;
  /** Whether the encoder is a hardware one, shown only to capturing pages. */
  powerEfficientEncoder?: boolean;
}

/** Whether RTP stats are about video. */
export function isVideo(s: RtpStats): boolean {
  return (s.kind ?? s.mediaType) === 'video';
}

/**
 * Whether H.264 really encodes and decodes: a loopback call, with `framesEncoded > 0` and
 * `framesDecoded > 0` polled every 500 ms, for at most 3 s. rtc-detect runs it on the HeyTap (OPPO)
 * and Vivo browsers, which list H.264 but may fail to use it.
 */
export async function h264WorksInLoopback(timeoutMs = 3000): Promise<{ encode: boolean; decode: boolean }> {
  const seen = { encode: false, decode: false };
  let loop: Awaited<ReturnType<typeof openH264Loopback>> | undefined;
  try {
    loop = await openH264Loopback({ frameRate: 30 });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !(seen.encode && seen.decode)) {
      await new Promise((r) => setTimeout(r, 500));
      const [out, inb] = await Promise.all([loop.sender.getStats(), loop.receiver.getStats()]);
      out.forEach((s: RtpStats) => {
        if (s.type === 'outbound-rtp' && isVideo(s) && (s.framesEncoded ?? 0) > 0) seen.encode = true;
      });
      inb.forEach((s: RtpStats) => {
        if (s.type === 'inbound-rtp' && isVideo(s) && (s.framesDecoded ?? 0) > 0) seen.decode = true;
      });
    }
  } catch {
    // A failed negotiation means H.264 does not work: keep what was seen (nothing).
  } finally {
    loop?.close();
  }
  return seen;
}

/**
 * The video codecs the browser can encode and decode.
 *
 * Unlike rtc-detect 1.2.0, which searches the text of two SDP offers, this reads the browser's
 * capability lists (`RTCRtpSender/RTCRtpReceiver.getCapabilities('video')`), which separate what can
 * be sent from what can only be received; the SDP search is kept for browsers without them. On the
 * HeyTap (OPPO) and Vivo browsers H.264 is then confirmed by a real loopback call, as rtc-detect does.
 */
export async function detectCodecs(ua: string = currentUserAgent()): Promise<CodecsSupported> {
  const encode = await codecsFor('encode');
  const decode = await codecsFor('decode');
  if (encode.H264 && decode.H264 && /HeyTapBrowser|VivoBrowser/i.test(ua)) {
    const works = await h264WorksInLoopback();
    encode.H264 = works.encode;
    decode.H264 = works.decode;
  }
  return {
    isH264EncodeSupported: encode.H264,
    isVp8EncodeSupported: encode.Vp8,
    isVp9EncodeSupported: encode.Vp9,
    isH265EncodeSupported: encode.H265,
    isAV1EncodeSupported: encode.AV1,
    isH264DecodeSupported: decode.H264,
    isVp8DecodeSupported: decode.Vp8,
    isVp9DecodeSupported: decode.Vp9,
    isH265DecodeSupported: decode.H265,
    isAV1DecodeSupported: decode.AV1,
  };
}
