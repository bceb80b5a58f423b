// One published stream (main or aux): its sending PeerConnection, negotiated with Janus through the
// room server (docs/protocol.md section 5), with simulcast for the small stream and ICE restart.
import { ErrorCode, RtcError } from '../errors';
import { log } from '../common/logger';
import type { SignalChannel } from '../signal/signal-channel';
import type { LocalStream } from '../stream/local-stream';
import type { VideoProfile } from '../stream/profiles';

export type StreamType = 'main' | 'aux';

/** A candidate as the protocol carries it. */
export type WireCandidate = { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } | null;

export interface PeerOptions {
  iceServers: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
}

/** Buffers remote candidates until the remote description is set. */
export class Trickle {
  private remoteSet = false;
  private queue: WireCandidate[] = [];

  constructor(private readonly pc: RTCPeerConnection) {}

  add(c: WireCandidate): void {
    if (!this.remoteSet) {
      this.queue.push(c);
      return;
    }
    if (c) void this.pc.addIceCandidate(c).catch((e) => log.debug('addIceCandidate', e));
  }

  remoteDescriptionSet(): void {
    this.remoteSet = true;
    for (const c of this.queue.splice(0)) this.add(c);
  }
}

export class Publication {
  readonly pc: RTCPeerConnection;
  private readonly trickle: Trickle;
  private readonly senders: { audio?: RTCRtpSender; video?: RTCRtpSender } = {};
  private closed = false;
  /** Media announced to the server at publish time. */
  readonly hasAudio: boolean;
  readonly hasVideo: boolean;

  constructor(
    readonly streamType: StreamType,
    readonly stream: LocalStream,
    private readonly signal: SignalChannel,
    peer: PeerOptions,
    private readonly small: VideoProfile | null,
  ) {
    this.pc = new RTCPeerConnection({
      iceServers: peer.iceServers,
      ...(peer.iceTransportPolicy ? { iceTransportPolicy: peer.iceTransportPolicy } : {}),
    });
    this.trickle = new Trickle(this.pc);
    this.hasAudio = stream.getAudioTrack() !== null;
    this.hasVideo = stream.getVideoTrack() !== null;
    this.pc.onicecandidate = (e) => {
      if (this.closed) return;
      this.signal
        .request('trickle', { target: streamType, candidate: e.candidate ? e.candidate.toJSON() : null })
        .catch(() => undefined);
    };
  }

  /** Whether this publication sends simulcast (big + small stream). */
  get simulcast(): boolean {
    return this.small !== null && this.hasVideo;
  }

  /**
   * Negotiates with Janus and resolves once the room server reports the connection up
   * (`published`). `waitPublished` is the client's wait for that event.
   */
  async start(waitPublished: () => Promise<void>, afterAnswer: () => void): Promise<void> {
    const audio = this.stream.getAudioTrack();
    const video = this.stream.getVideoTrack();
    const ms = new MediaStream([audio, video].filter((t): t is MediaStreamTrack => t !== null));
    if (audio) this.senders.audio = this.pc.addTransceiver(audio, { direction: 'sendonly', streams: [ms] }).sender;
    if (video) {
      const init: RTCRtpTransceiverInit = { direction: 'sendonly', streams: [ms] };
      if (this.simulcast) init.sendEncodings = this.simulcastEncodings();
      this.senders.video = this.pc.addTransceiver(video, init).sender;
    }
    let offer: RTCSessionDescriptionInit;
    try {
      offer = await this.pc.createOffer();
      await this.pc.setLocalDescription(offer);
    } catch (e) {
      throw new RtcError({
        code: ErrorCode.CREATE_OFFER_FAILED,
        message: `publish: creating the offer failed: ${String(e)}`,
        cause: e,
      });
    }
    const published = waitPublished();
    published.catch(() => undefined);
    const res = await this.signal.request<{ sdp: string }>('publish', {
      streamType: this.streamType,
      sdp: offer.sdp,
      audio: this.hasAudio,
      video: this.hasVideo,
    });
    if (this.closed) throw new RtcError({ code: ErrorCode.API_CALL_ABORTED, message: 'publish: aborted' });
    await this.pc.setRemoteDescription({ type: 'answer', sdp: res.sdp });
    this.trickle.remoteDescriptionSet();
    afterAnswer();
    await this.applyEncodings();
    await published;
  }

  private simulcastEncodings(): RTCRtpEncodingParameters[] {
    const big = this.stream.encoderProfile();
    const small = this.small!;
    const lowScale = Math.max(1, big.width / small.width);
    const midScale = Math.max(1, Math.sqrt(lowScale));
    return [
      { rid: 'h', active: true, maxBitrate: big.bitrate * 1000, maxFramerate: big.frameRate },
      {
        rid: 'm',
        active: true,
        scaleResolutionDownBy: midScale,
        maxBitrate: Math.round((big.bitrate * 1000) / (midScale * midScale)),
      },
      {
        rid: 'l',
        active: true,
        scaleResolutionDownBy: lowScale,
        maxBitrate: small.bitrate * 1000,
        maxFramerate: small.frameRate,
      },
    ];
  }

  /** Applies the profiles' bitrates and frame rates to the senders. */
  async applyEncodings(): Promise<void> {
    const tasks: Promise<void>[] = [];
    const v = this.senders.video;
    if (v) {
      const p = v.getParameters();
      const big = this.stream.encoderProfile();
      if (p.encodings && p.encodings.length > 0) {
        if (this.simulcast && p.encodings.length > 1) {
          const wanted = this.simulcastEncodings();
          p.encodings.forEach((enc, i) => Object.assign(enc, { ...wanted[i], rid: enc.rid }));
        } else {
          p.encodings[0]!.maxBitrate = big.bitrate * 1000;
          p.encodings[0]!.maxFramerate = big.frameRate;
        }
        tasks.push(v.setParameters(p).catch((e) => log.warn('video setParameters', e)));
      }
    }
    const a = this.senders.audio;
    if (a) {
      const p = a.getParameters();
      if (p.encodings && p.encodings[0]) {
        p.encodings[0].maxBitrate = this.stream.audioProfile().bitrate * 1000;
        tasks.push(a.setParameters(p).catch((e) => log.warn('audio setParameters', e)));
      }
    }
    await Promise.all(tasks);
  }

  /** Whether a sender of `kind` exists (so a track of that kind can be swapped in without republishing). */
  canReplace(kind: 'audio' | 'video'): boolean {
    return this.senders[kind] !== undefined;
  }

  /** The track a sender sends now (null: none, or no sender of that kind). */
  sentTrack(kind: 'audio' | 'video'): MediaStreamTrack | null {
    return this.senders[kind]?.track ?? null;
  }

  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    await this.senders[kind]?.replaceTrack(track);
  }

  onTrickle(c: WireCandidate): void {
    this.trickle.add(c);
  }

  /** Restarts ICE on this connection (new credentials, same tracks). */
  async restartIce(): Promise<void> {
    const offer = await this.pc.createOffer({ iceRestart: true });
    await this.pc.setLocalDescription(offer);
    const res = await this.signal.request<{ sdp: string }>('restartIce', { target: this.streamType, sdp: offer.sdp });
    if (this.closed) return;
    await this.pc.setRemoteDescription({ type: 'answer', sdp: res.sdp });
  }

  close(): void {
    this.closed = true;
    this.pc.onicecandidate = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  isClosed(): boolean {
    return this.closed;
  }
}
