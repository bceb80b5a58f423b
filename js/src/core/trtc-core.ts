// Hand-written types (no runtime code) of the Embind module built from wasm/bindings/core_bindings.cpp
// (Emscripten 3.1.6 has no --emit-tsd). Keep the two files in step.

/** RMS and peak of one block of float PCM samples. */
export interface LevelStats {
  rms: number;
  peak: number;
}

/** Embind objects own WASM memory: call delete() when done. */
export interface EmbindObject {
  delete(): void;
  isDeleted(): boolean;
}

export interface NativeLevelMeter extends EmbindObject {
  /** A Float32Array view of `count` samples of the meter's input buffer; fill it, then process(count). */
  input(count: number): Float32Array;
  process(count: number): LevelStats;
  level(): number;
  volume(): number;
  maxPeak(): number;
  samples(): number;
  reset(): void;
}

/**
 * State of the PeerConnection a network sample comes from (trtc::net::LinkState):
 * 0 none, 1 connecting, 2 connected, 3 disconnected.
 */
export type LinkState = 0 | 1 | 2 | 3;

/**
 * One 2 s stats sample of one direction. Counters are cumulative: uplink `expected` = packetsSent,
 * `lost` = remote-inbound packetsLost; downlink `expected` = packetsReceived + packetsLost.
 * RTT and jitter in ms, negative when not reported.
 */
export interface LinkSample {
  state: LinkState;
  rttMs: number;
  expected: number;
  lost: number;
  jitterMs: number;
}

/** The estimator's answer for one sample (trtc::net::LinkReport). */
export interface LinkReport {
  /** Smoothed level 0–6: the one to show. */
  level: number;
  instantLevel: number;
  lossPercent: number;
  rttMs: number;
  jitterMs: number;
}

/** Summary of a pre-call network test in one direction (trtc::net::LinkTestResult). */
export interface LinkTestResult {
  quality: number;
  rttMs: number;
  lossPercent: number;
  jitterMs: number;
  bandwidthKbps: number;
  samples: number;
}

export interface NativeLinkQualityEstimator extends EmbindObject {
  update(sample: LinkSample): LinkReport;
  level(): number;
  reset(): void;
}

export interface NativeLinkTestSummary extends EmbindObject {
  add(report: LinkReport, sample: LinkSample, bandwidthKbps: number): void;
  result(): LinkTestResult;
}

export interface TrtcCoreModule {
  LinkQualityEstimator: new () => NativeLinkQualityEstimator;
  LinkTestSummary: new () => NativeLinkTestSummary;
  networkLevelOf(lossPercent: number, rttMs: number, jitterMs: number): number;
  LevelMeter: new (sampleRate: number, releaseMs: number) => NativeLevelMeter;
  volumeFromLevel(level: number): number;
  simdAvailable(): boolean;
}

/** Options of the Emscripten module factory that the SDK uses. */
export interface ModuleFactoryOptions {
  locateFile?: (path: string, prefix: string) => string;
  wasmBinary?: ArrayBuffer | Uint8Array;
}

export type TrtcCoreFactory = (options?: ModuleFactoryOptions) => Promise<TrtcCoreModule>;
