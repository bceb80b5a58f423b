// The client's one receiving PeerConnection, whose offers come from Janus through the room server
// (docs/protocol.md section 6). Negotiations are applied one at a time.
import { log } from '../common/logger';
import type { SignalChannel } from '../signal/signal-channel';
import { Trickle, type PeerOptions, type StreamType, type WireCandidate } from './publisher';

/** One m-line of the subscriber connection (protocol section 6.2). */
export interface StreamMapEntry {
  mid: string;
  kind: 'audio' | 'video' | 'data';
  active: boolean;
  userId: string | null;
  streamType: StreamType | null;
}

/** A subscribe/unsubscribe reply or a `subscriber-offer` event. */
export interface SubscriberOffer {
  sdp?: string;
  streams?: StreamMapEntry[];
}

export class Subscriber {
  readonly pc: RTCPeerConnection;
  private readonly trickle: Trickle;
  private map: StreamMapEntry[] = [];
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly signal: SignalChannel,
    peer: PeerOptions,
  ) {
    this.pc = new RTCPeerConnection({
      iceServers: peer.iceServers,
      ...(peer.iceTransportPolicy ? { iceTransportPolicy: peer.iceTransportPolicy } : {}),
    });
    this.trickle = new Trickle(this.pc);
    this.pc.onicecandidate = (e) => {
      if (this.closed) return;
      this.signal
        .request('trickle', { target: 'sub', candidate: e.candidate ? e.candidate.toJSON() : null })
        .catch(() => undefined);
    };
  }

  /** Applies an offer from Janus (if any) and answers it; updates the stream map. Serialized. */
  apply(offer: SubscriberOffer): Promise<void> {
    const run = this.queue.then(() => this.applyNow(offer));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyNow(offer: SubscriberOffer): Promise<void> {
    if (this.closed) return;
    if (offer.streams) this.map = offer.streams;
    if (!offer.sdp) return;
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    this.trickle.remoteDescriptionSet();
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    if (this.closed) return;
    await this.signal.request('subscriberAnswer', { sdp: answer.sdp });
  }

  /** The received tracks of one remote stream. */
  tracksFor(
    userId: string,
    streamType: StreamType,
  ): { audio: MediaStreamTrack | null; video: MediaStreamTrack | null } {
    const out: { audio: MediaStreamTrack | null; video: MediaStreamTrack | null } = { audio: null, video: null };
    const transceivers = this.pc.getTransceivers();
    for (const e of this.map) {
      if (!e.active || e.userId !== userId || e.streamType !== streamType || e.kind === 'data') continue;
      const t = transceivers.find((x) => x.mid === e.mid);
      if (t) out[e.kind] = t.receiver.track;
    }
    return out;
  }

  /** The mids (and kinds) carrying a user's stream, for stats. */
  midsOf(userId: string, streamType: StreamType): Map<string, 'audio' | 'video'> {
    const m = new Map<string, 'audio' | 'video'>();
    for (const e of this.map) {
      if (e.active && e.userId === userId && e.streamType === streamType && e.kind !== 'data') m.set(e.mid, e.kind);
    }
    return m;
  }

  /** Who an active mid belongs to. */
  ownerOf(mid: string): StreamMapEntry | undefined {
    return this.map.find((e) => e.mid === mid && e.active);
  }

  onTrickle(c: WireCandidate): void {
    this.trickle.add(c);
  }

  /** Asks Janus for an ICE-restart offer and answers it. */
  async restartIce(): Promise<void> {
    const res = await this.signal.request<SubscriberOffer>('restartIce', { target: 'sub' });
    await this.apply(res);
  }

  close(): void {
    this.closed = true;
    this.pc.onicecandidate = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
    log.debug('subscriber connection closed');
  }
}
