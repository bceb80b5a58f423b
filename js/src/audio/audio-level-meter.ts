import { ErrorCode, RtcError } from '../errors';
import { loadCore } from '../core/wasm-loader';
import type { LevelStats, NativeLevelMeter } from '../core/trtc-core';

export type { LevelStats };

/** Options of {@link AudioLevelMeter.create}. */
export interface AudioLevelMeterOptions {
  /** Sample rate of the PCM given to `process`, in Hz. Default 48000. */
  sampleRate?: number;
  /** How fast the level falls after the sound stops (time constant, ms). Default 300. */
  releaseMs?: number;
}

/**
 * The audio level meter of the WASM core: RMS and peak of float PCM frames, smoothed (instant
 * attack, exponential release) into the values behind `stream.getAudioLevel()` (0–1) and the
 * `audio-volume` event (`audioVolume`, 0–100 = `round(100 × level)`).
 *
 * An extension of the TRTC API, exported for apps that meter their own audio (e.g. from an
 * `AnalyserNode` or an AudioWorklet).
 *
 * @example
 * ```ts
 * const meter = await TRTC.AudioLevelMeter.create({ sampleRate: 48000 });
 * meter.process(samples);            // Float32Array, e.g. 480 samples = 10 ms
 * meter.getAudioLevel();             // 0–1
 * meter.getAudioVolume();            // 0–100
 * meter.destroy();
 * ```
 */
export class AudioLevelMeter {
  private native: NativeLevelMeter | undefined;

  private constructor(native: NativeLevelMeter) {
    this.native = native;
  }

  /**
   * Loads the WASM core (once per page) and creates a meter.
   * @throws {@link RtcError} `INVALID_PARAMETER` for a bad option; `NOT_SUPPORTED` without
   * WebAssembly SIMD.
   */
  static async create(options: AudioLevelMeterOptions = {}): Promise<AudioLevelMeter> {
    const sampleRate = options.sampleRate ?? 48000;
    const releaseMs = options.releaseMs ?? 300;
    if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 384000) {
      throw new RtcError({
        code: ErrorCode.INVALID_PARAMETER,
        message: `AudioLevelMeter: sampleRate must be an integer from 8000 to 384000 Hz, got ${String(sampleRate)}`,
      });
    }
    if (typeof releaseMs !== 'number' || !(releaseMs > 0) || !Number.isFinite(releaseMs)) {
      throw new RtcError({
        code: ErrorCode.INVALID_PARAMETER,
        message: `AudioLevelMeter: releaseMs must be a positive number of milliseconds, got ${String(releaseMs)}`,
      });
    }
    const core = await loadCore();
    return new AudioLevelMeter(new core.LevelMeter(sampleRate, releaseMs));
  }

  /**
   * Measures one block of samples and updates the smoothed level.
   * @returns the block's own RMS and peak (linear, 1.0 = full scale)
   */
  process(samples: Float32Array): LevelStats {
    const native = this.alive();
    if (!(samples instanceof Float32Array)) {
      throw new RtcError({
        code: ErrorCode.INVALID_PARAMETER,
        message: 'AudioLevelMeter.process(samples): samples must be a Float32Array of PCM in [-1, 1]',
      });
    }
    // The view must be taken right before writing: memory growth detaches earlier views.
    native.input(samples.length).set(samples);
    return native.process(samples.length);
  }

  /** Smoothed level, 0–1: what `getAudioLevel()` returns. */
  getAudioLevel(): number {
    return this.alive().level();
  }

  /** Smoothed level on the `audio-volume` scale, an integer 0–100. */
  getAudioVolume(): number {
    return this.alive().volume();
  }

  /** Largest absolute sample seen since creation or the last reset. */
  getMaxPeak(): number {
    return this.alive().maxPeak();
  }

  /** Forgets the level history. */
  reset(): void {
    this.alive().reset();
  }

  /** Frees the meter's WASM memory. Further calls throw `INVALID_OPERATION`. */
  destroy(): void {
    this.native?.delete();
    this.native = undefined;
  }

  private alive(): NativeLevelMeter {
    if (!this.native) {
      throw new RtcError({
        code: ErrorCode.INVALID_OPERATION,
        message: 'AudioLevelMeter was destroyed; create a new one',
      });
    }
    return this.native;
  }
}
