// Messages between the AudioMixer plugin (main thread) and its AudioWorklet processor.

/** File kinds the worklet decodes itself (MP3/AAC/… arrive as PCM decoded by the browser). */
export type EncodedKind = 'ogg' | 'wav';

export type MixerRequest =
  | { seq: number; op: 'open'; kind: EncodedKind; bytes: ArrayBuffer }
  | { seq: number; op: 'openPcm'; sampleRate: number; channels: Float32Array[] }
  | { seq: number; op: 'play' | 'pause' | 'resume' | 'stop' | 'remove'; id: number }
  | { seq: number; op: 'seek'; id: number; time: number }
  | { seq: number; op: 'volume'; id: number; value: number }
  | { seq: number; op: 'loop'; id: number; value: boolean }
  | { seq: number; op: 'load'; reset: boolean }
  | { seq: number; op: 'close' };

export type MixerReply =
  | { type: 'reply'; seq: number; ok: true; id?: number; duration?: number; load?: WorkletLoad }
  | { type: 'reply'; seq: number; ok: false; error: string }
  | { type: 'ended'; id: number }
  | { type: 'status'; sources: { id: number; position: number; state: number }[] }
  | { type: 'fatal'; error: string };

/** The processor's own time measurement: time spent in process() against audio time rendered. */
export interface WorkletLoad {
  /** Milliseconds spent inside process(). */
  busyMs: number;
  /** Milliseconds of audio rendered meanwhile. */
  audioMs: number;
  /** Which clock measured busyMs: 'performance' (µs resolution) or 'date' (1 ms, averaged). */
  clock: 'performance' | 'date';
  blocks: number;
}
