// Network quality levels of the `network-quality` event (TRTC's 0–6 scale) from RTT and loss.

/** 0 unknown, 1 excellent, 2 good, 3 fair, 4 poor, 5 very poor, 6 disconnected. */
export type NetworkQuality = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * TRTC v4's mapping: loss in percent, RTT in ms. `loss > 50 || rtt > 500 → 5`, `> 30 || > 350 → 4`,
 * `> 20 || > 200 → 3`, `> 10 || > 100 → 2`, else 1.
 */
export function qualityOf(lossPercent: number, rttMs: number): NetworkQuality {
  if (lossPercent > 50 || rttMs > 500) return 5;
  if (lossPercent > 30 || rttMs > 350) return 4;
  if (lossPercent > 20 || rttMs > 200) return 3;
  if (lossPercent > 10 || rttMs > 100) return 2;
  return 1;
}

/** Packet counters of one direction, sampled every 2 s. */
export interface Counters {
  packets: number;
  lost: number;
}

/** Loss in percent between two samples of cumulative counters (0 when nothing was expected). */
export function lossBetween(prev: Counters | undefined, now: Counters): number {
  if (!prev) return 0;
  const packets = Math.max(0, now.packets - prev.packets);
  const lost = Math.max(0, now.lost - prev.lost);
  const expected = packets + lost;
  return expected === 0 ? 0 : Math.round((100 * lost) / expected);
}
