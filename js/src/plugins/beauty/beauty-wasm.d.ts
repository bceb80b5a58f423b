// Hand-written types of the Embind module built from wasm/bindings/beauty_bindings.cpp
// (single-file build; Rollup resolves the id to build/wasm/wasm/trtc-beauty.js). Keep in step.
declare module 'trtc-beauty-wasm' {
  export interface BeautyEngine {
    setParams(beauty: number, brightness: number, ruddy: number): void;
    isIdentity(): boolean;
    /** A view of the input buffer of at least `bytes` bytes (null for a bad size). Valid until memory grows. */
    input(bytes: number): Uint8Array | null;
    /** Converts the input (0 I420, 1 NV12, 2 RGBA, 3 BGRA; packed rows) to I420 and filters it. */
    process(format: number, width: number, height: number): boolean;
    /** The last processed frame, packed I420. */
    frame(): Uint8Array;
    /** The last processed frame as RGBA. */
    rgba(): Uint8Array;
    delete(): void;
  }
  export interface TrtcBeautyModule {
    BeautyEngine: new () => BeautyEngine;
    simdAvailable(): boolean;
  }
  const createTrtcBeauty: (options?: Record<string, unknown>) => Promise<TrtcBeautyModule>;
  export default createTrtcBeauty;
}
