// Network quality of a call on TRTC's 0–6 scale. The scoring and smoothing run in the C++ core
// (wasm/src/net/network_quality.cpp, trtc::net::LinkQualityEstimator); this file reads the
// browser's WebRTC stats into the core's samples.
import type { LinkReport, LinkSample, LinkState, NativeLinkQualityEstimator, TrtcCoreModule } from '../core/trtc-core';

/** 0 unknown, 1 excellent, 2 good, 3 fair, 4 poor, 5 very poor, 6 disconnected. */
export type NetworkQuality = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** Which side of the link a PeerConnection carries. */
export type LinkDirection = 'uplink' | 'downlink';

/** One stats reading of one direction: the core's sample plus a bandwidth reading. */
export interface LinkReading {
  sample: LinkSample;
  /**
   * Bandwidth in kbps, or -1: uplink, the browser's send-side estimate
   * (`candidate-pair.availableOutgoingBitrate`); downlink, the bitrate that arrived since the
   * previous reading (a lower bound of the available bandwidth).
   */
  bandwidthKbps: number;
}

const NONE: LinkState = 0;
const CONNECTING: LinkState = 1;
const CONNECTED: LinkState = 2;
const DISCONNECTED: LinkState = 3;

/** A numeric stats field, 0 when missing. */
export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function stateOf(pc: RTCPeerConnection): LinkState {
  switch (pc.connectionState) {
    case 'connected':
      return CONNECTED;
    case 'new':
    case 'connecting':
      return CONNECTING;
    default:
      return DISCONNECTED;
  }
}

/**
 * The ICE candidate pair the connection uses: the transport's `selectedCandidatePairId`, else the
 * nominated succeeded pairs. Other pairs (backup paths the browser rarely checks) keep stale RTTs.
 */
function selectedPairs(stats: RTCStatsReport): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  stats.forEach((r: Record<string, unknown>) => {
    if (r.type === 'transport' && typeof r.selectedCandidatePairId === 'string') {
      const pair = stats.get(r.selectedCandidatePairId) as Record<string, unknown> | undefined;
      if (pair) out.push(pair);
    }
  });
  if (out.length > 0) return out;
  stats.forEach((r: Record<string, unknown>) => {
    if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') out.push(r);
  });
  return out;
}

/** RTT in ms of the connection: the selected candidate pair's STUN RTT, else RTCP's. -1 when none. */
export function rttOf(stats: RTCStatsReport): number {
  let rtt = -1;
  for (const pair of selectedPairs(stats)) {
    if (typeof pair.currentRoundTripTime === 'number')
      rtt = Math.max(rtt, Math.round(pair.currentRoundTripTime * 1000));
  }
  if (rtt < 0) {
    stats.forEach((r: Record<string, unknown>) => {
      if (r.type === 'remote-inbound-rtp' && typeof r.roundTripTime === 'number')
        rtt = Math.max(rtt, Math.round(r.roundTripTime * 1000));
    });
  }
  return rtt;
}

/**
 * Reads one direction's stats. Uplink: packets sent (without retransmissions) against the losses
 * the media server reports in RTCP (remote-inbound-rtp); downlink: packets received and lost.
 * Jitter is the worst audio stream's (the worst video stream's when there is no audio).
 */
export class LinkReader {
  private prevBytes = -1;
  private prevTime = 0;

  constructor(private readonly direction: LinkDirection) {}

  /** Starts over (a new connection). */
  reset(): void {
    this.prevBytes = -1;
  }

  async read(pc: RTCPeerConnection | undefined): Promise<LinkReading> {
    if (!pc) {
      this.reset();
      return { sample: { state: NONE, rttMs: -1, expected: 0, lost: 0, jitterMs: -1 }, bandwidthKbps: -1 };
    }
    const stats = await pc.getStats();
    let expected = 0;
    let lost = 0;
    let bytes = 0;
    let outgoing = -1;
    // Jitter: audio's where there is audio. Video packets of one frame leave in a paced burst, so
    // video jitter reads 10–30 ms on a clean link; audio's (one packet per 20 ms) is the link's.
    const jitter = { audio: -1, video: -1 };
    const addJitter = (r: Record<string, unknown>): void => {
      if (typeof r.jitter !== 'number') return;
      const kind = r.kind === 'audio' ? 'audio' : 'video';
      jitter[kind] = Math.max(jitter[kind], r.jitter * 1000);
    };
    stats.forEach((r: Record<string, unknown>) => {
      if (this.direction === 'uplink') {
        // Retransmissions are counted in packetsSent but not in the loss the server reports.
        if (r.type === 'outbound-rtp') expected += Math.max(0, num(r.packetsSent) - num(r.retransmittedPacketsSent));
        if (r.type === 'remote-inbound-rtp') {
          lost += Math.max(0, num(r.packetsLost));
          addJitter(r);
        }
      } else if (r.type === 'inbound-rtp') {
        const l = Math.max(0, num(r.packetsLost));
        expected += num(r.packetsReceived) + l;
        lost += l;
        bytes += num(r.bytesReceived);
        addJitter(r);
      }
    });
    for (const pair of selectedPairs(stats)) {
      if (typeof pair.availableOutgoingBitrate === 'number') {
        outgoing = Math.max(outgoing, pair.availableOutgoingBitrate / 1000);
      }
    }
    let bandwidthKbps = -1;
    if (this.direction === 'uplink') {
      bandwidthKbps = outgoing;
    } else {
      const now = Date.now();
      if (this.prevBytes >= 0 && bytes >= this.prevBytes && now > this.prevTime) {
        bandwidthKbps = ((bytes - this.prevBytes) * 8) / (now - this.prevTime);
      }
      this.prevBytes = bytes;
      this.prevTime = now;
    }
    return {
      sample: {
        state: stateOf(pc),
        rttMs: rttOf(stats),
        expected,
        lost,
        jitterMs: jitter.audio >= 0 ? jitter.audio : jitter.video,
      },
      bandwidthKbps,
    };
  }
}

/** A disconnected sample (the signalling is down). */
export function disconnectedSample(): LinkSample {
  return { state: DISCONNECTED, rttMs: -1, expected: 0, lost: 0, jitterMs: -1 };
}

/** The core's estimator for one direction, or a placeholder that reports unknown until it loads. */
export class LinkQuality {
  private estimator?: NativeLinkQualityEstimator;

  /** Creates the native estimator once the core is loaded. */
  attach(core: TrtcCoreModule): void {
    if (!this.estimator) this.estimator = new core.LinkQualityEstimator();
  }

  get ready(): boolean {
    return !!this.estimator;
  }

  update(sample: LinkSample): LinkReport {
    if (this.estimator) return this.estimator.update(sample);
    // Without the core there is no level; the measured RTT still goes out.
    return {
      level: sample.state === DISCONNECTED ? 6 : 0,
      instantLevel: 0,
      lossPercent: 0,
      rttMs: Math.max(0, sample.rttMs),
      jitterMs: Math.max(0, sample.jitterMs),
    };
  }

  reset(): void {
    this.estimator?.reset();
  }

  /** Frees the native estimator. */
  dispose(): void {
    this.estimator?.delete();
    this.estimator = undefined;
  }
}

/** A level from the core as the event's type. */
export function asQuality(level: number): NetworkQuality {
  return (level >= 0 && level <= 6 ? Math.round(level) : 0) as NetworkQuality;
}
