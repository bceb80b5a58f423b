// A local video call inside the page: a changing canvas, captured and sent by one
// RTCPeerConnection to another with H.264 as the only codec. Used to confirm that H.264 really
// encodes and decodes, and to read which encoder the browser picked.

/** A running loopback call. */
export interface Loopback {
  /** The sending connection (its `outbound-rtp` stats describe the encoder). */
  sender: RTCPeerConnection;
  /** The receiving connection (its `inbound-rtp` stats describe the decoder). */
  receiver: RTCPeerConnection;
  /** Stops the canvas, its track and both connections. Safe to call more than once. */
  close(): void;
}

/** Options of {@link openH264Loopback}. */
export interface LoopbackOptions {
  /** The canvas capture frame rate. */
  frameRate: number;
  /** The sender's `maxBitrate` in bit/s, if any. */
  maxBitrate?: number;
}

const WIDTH = 640;
const HEIGHT = 480;

/**
 * A canvas that changes every 33 ms. The whole canvas is repainted (a colour that changes, and
 * text at a random place), so the browser always has new frames to capture: rtc-detect 1.2.0
 * draws its text at (0, 0), above the canvas, and headless Chromium then captures no frame at all.
 */
function paintedCanvas(): { canvas: HTMLCanvasElement; stop: () => void } {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const ctx = canvas.getContext('2d');
  let n = 0;
  const paint = (): void => {
    if (!ctx) return;
    n = (n + 1) % 256;
    ctx.fillStyle = `rgb(${n}, ${255 - n}, ${(n * 7) % 256})`;
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    ctx.fillStyle = '#fff';
    ctx.font = '48px sans-serif';
    ctx.fillText('test', Math.floor(Math.random() * (WIDTH - 100)), 50 + Math.floor(Math.random() * (HEIGHT - 60)));
  };
  paint();
  const timer = setInterval(paint, 33);
  return { canvas, stop: () => clearInterval(timer) };
}

/** The sender's H.264 codecs, if the browser lists them. */
function h264Capabilities(): RTCRtpCodec[] | null {
  if (typeof RTCRtpSender === 'undefined' || typeof RTCRtpSender.getCapabilities !== 'function') return null;
  const caps = RTCRtpSender.getCapabilities('video');
  return caps ? caps.codecs.filter((c) => c.mimeType.toLowerCase() === 'video/h264') : null;
}

/**
 * Keeps only the first H.264 payload type in the video section of an SDP (and drops the
 * attribute lines of the other payload types). For browsers without `setCodecPreferences`.
 */
export function keepOnlyH264(sdp: string): string {
  const lines = sdp.split(/\r\n|\n/);
  const out: string[] = [];
  let inVideo = false;
  let keep = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('m=')) {
      inVideo = line.startsWith('m=video');
      if (inVideo) {
        keep = '';
        for (let j = i + 1; j < lines.length && !lines[j].startsWith('m='); j++) {
          const m = /^a=rtpmap:(\d+) H264\//i.exec(lines[j]);
          if (m) {
            keep = m[1];
            break;
          }
        }
        if (!keep) throw new Error('the SDP has no H.264 payload');
        const parts = line.split(' ');
        out.push([...parts.slice(0, 3), keep].join(' '));
        continue;
      }
    }
    if (inVideo) {
      const pt = /^a=(?:rtpmap|fmtp|rtcp-fb):(\d+|\*)[ ]/.exec(line);
      if (pt && pt[1] !== keep && pt[1] !== '*') continue;
    }
    out.push(line);
  }
  return out.join('\r\n');
}

/**
 * Starts a loopback call with H.264 as the only video codec. Throws when the browser lists no
 * H.264 encoder or the negotiation fails (the call is then closed).
 */
export async function openH264Loopback(options: LoopbackOptions): Promise<Loopback> {
  const source = paintedCanvas();
  const stream = source.canvas.captureStream(options.frameRate);
  const sender = new RTCPeerConnection();
  const receiver = new RTCPeerConnection();
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    source.stop();
    stream.getTracks().forEach((t) => t.stop());
    sender.close();
    receiver.close();
  };
  try {
    sender.addEventListener('icecandidate', (e) => void receiver.addIceCandidate(e.candidate ?? undefined).catch(noop));
    receiver.addEventListener('icecandidate', (e) => void sender.addIceCandidate(e.candidate ?? undefined).catch(noop));
    const track = stream.getVideoTracks()[0];
    if (!track) throw new Error('canvas capture gave no video track');
    const transceiver = sender.addTransceiver(track, {
      direction: 'sendonly',
      streams: [stream],
      sendEncodings: options.maxBitrate ? [{ maxBitrate: options.maxBitrate }] : [{}],
    });
    const h264 = h264Capabilities();
    const canPrefer = typeof transceiver.setCodecPreferences === 'function' && h264 !== null;
    if (canPrefer) {
      if (h264.length === 0) throw new Error('this browser has no H.264 encoder');
      transceiver.setCodecPreferences(h264);
    }
    const offer = await sender.createOffer();
    await sender.setLocalDescription(offer);
    await receiver.setRemoteDescription(offer);
    const answer = await receiver.createAnswer();
    const sdp = canPrefer ? answer.sdp : keepOnlyH264(answer.sdp ?? '');
    const trimmed: RTCSessionDescriptionInit = { type: 'answer', sdp };
    await receiver.setLocalDescription(trimmed);
    await sender.setRemoteDescription(trimmed);
  } catch (e) {
    close();
    throw e;
  }
  return { sender, receiver, close };
}

function noop(): void {}
