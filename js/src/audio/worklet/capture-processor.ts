// The SDK's AudioWorklet processor 'trtc-capture' (bundled with the WASM module into
// dist/wasm/trtc-audio.worklet.js). Per render quantum it hands the samples to the C++ capture
// stage (gain ramp for setAudioCaptureVolume, level meter) and writes the result to its output.
// Every `reportMs` it posts `{type: 'level', level, volume}` to the main thread, which is where
// getAudioLevel() and the `audio-volume` event read it: nothing is measured on the main thread.
import createTrtcAudio, { type CaptureStage, type TrtcAudioModule } from 'trtc-audio-wasm';

/** processorOptions of 'trtc-capture'. */
export interface CaptureProcessorOptions {
  /** Initial linear gain (capture volume / 100). */
  gain?: number;
  /** How often to post the level, in ms. */
  reportMs?: number;
}

/** Messages the main thread sends. */
export type CaptureCommand = { type: 'gain'; value: number } | { type: 'close' };

/** Messages the processor posts. */
export type CaptureReport =
  | { type: 'level'; level: number; volume: number }
  | { type: 'ready'; simd: boolean }
  | { type: 'error'; message: string };

const MAX_FRAMES = 1024;
let core: TrtcAudioModule | undefined;
let coreError: string | undefined;
const corePromise = createTrtcAudio().then(
  (m) => {
    core = m;
  },
  (e: unknown) => {
    coreError = String(e);
  },
);

class CaptureProcessor extends AudioWorkletProcessor {
  private stage: CaptureStage | undefined;
  private gain: number;
  private readonly reportFrames: number;
  private sinceReport = 0;
  private closed = false;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    const opts = (options.processorOptions ?? {}) as CaptureProcessorOptions;
    this.gain = typeof opts.gain === 'number' && opts.gain >= 0 ? opts.gain : 1;
    this.reportFrames = Math.max(128, Math.round((sampleRate * (opts.reportMs ?? 50)) / 1000));
    this.port.onmessage = (e: MessageEvent<CaptureCommand>) => this.onCommand(e.data);
    void corePromise.then(() => {
      if (core) this.port.postMessage({ type: 'ready', simd: core.simdAvailable() } satisfies CaptureReport);
      else this.port.postMessage({ type: 'error', message: coreError ?? 'unknown' } satisfies CaptureReport);
    });
  }

  private onCommand(cmd: CaptureCommand): void {
    if (cmd.type === 'gain' && typeof cmd.value === 'number' && cmd.value >= 0) {
      this.gain = cmd.value;
      this.stage?.setGain(cmd.value);
    } else if (cmd.type === 'close') {
      this.closed = true;
      this.stage?.delete();
      this.stage = undefined;
      this.port.onmessage = null;
    }
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (this.closed) return false;
    const input = inputs[0] ?? [];
    const output = outputs[0] ?? [];
    const frames = output[0]?.length ?? input[0]?.length ?? 128;
    if (!core || frames > MAX_FRAMES) {
      // Until the WASM module is ready (a few ms after load): pass through with the plain gain.
      for (let c = 0; c < output.length; c++) {
        const src = input[Math.min(c, input.length - 1)];
        const dst = output[c]!;
        if (src) for (let i = 0; i < frames; i++) dst[i] = src[i]! * this.gain;
        else dst.fill(0);
      }
      return true;
    }
    if (!this.stage) {
      this.stage = new core.CaptureStage(sampleRate, 2, MAX_FRAMES);
      this.stage.setGain(this.gain);
    }
    const channels = Math.min(2, input.length);
    for (let c = 0; c < channels; c++) this.stage.buffer(c)!.set(input[c]!.subarray(0, frames));
    // No input connected (or the track ended): silence, so the level falls to 0.
    if (channels === 0) this.stage.buffer(0)!.fill(0, 0, frames);
    this.stage.process(frames, Math.max(1, channels));
    for (let c = 0; c < output.length; c++) {
      const view = this.stage.buffer(Math.min(c, Math.max(0, channels - 1)))!;
      output[c]!.set(view.subarray(0, frames));
    }
    this.sinceReport += frames;
    if (this.sinceReport >= this.reportFrames) {
      this.sinceReport = 0;
      this.port.postMessage({
        type: 'level',
        level: this.stage.level(),
        volume: this.stage.volume(),
      } satisfies CaptureReport);
    }
    return true;
  }
}

registerProcessor('trtc-capture', CaptureProcessor);
