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

export interface TrtcCoreModule {
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
