// Messages between the Beauty plugin (page) and its Worker.

/** The filter's parameters, each 0–1. */
export interface BeautyParams {
  beauty: number;
  brightness: number;
  ruddy: number;
}

/** Counters the worker reports about once a second. */
export interface BeautyStats {
  /** Frames filtered and sent on since the pipeline started. */
  processed: number;
  /** Frames dropped because the filter was still busy with an earlier one (canvas path), or failed. */
  dropped: number;
  /** Mean milliseconds per frame in the worker (copy in, convert, filter, build the frame) over the last second. */
  meanMs: number;
  /** Whether the WASM module runs on SIMD128 kernels. */
  simd: boolean;
}

export type BeautyRequest =
  /** Streams path: filter `readable` (camera frames) into `writable` (the generator; only on the first message, a new camera track sends only its readable). */
  | { type: 'pipe'; readable: ReadableStream<VideoFrame>; writable?: WritableStream<VideoFrame>; params: BeautyParams }
  | { type: 'params'; params: BeautyParams }
  /** Canvas path: one RGBA frame; the reply returns the buffer filtered. */
  | { type: 'rgba'; id: number; width: number; height: number; buffer: ArrayBuffer; params?: BeautyParams }
  | { type: 'stop' };

export type BeautyReply =
  | { type: 'ready'; simd: boolean }
  | { type: 'rgba'; id: number; width: number; height: number; buffer: ArrayBuffer; ok: boolean }
  | { type: 'stats'; stats: BeautyStats }
  | { type: 'error'; message: string; fatal: boolean };
