// The capture stage on the main-thread side: an AudioWorkletNode running 'trtc-capture' (the C++
// gain and level meter compiled to WASM, dist/wasm/trtc-audio.worklet.js). Streams use it for
// getAudioLevel() / `audio-volume`, and local streams also for setAudioCaptureVolume(). Where the
// worklet cannot load (no AudioWorklet, no WebAssembly SIMD, the file not served), a GainNode and
// an AnalyserNode do the same on the main thread, and a warning says why.
import { analyserLevel, getAudioContext } from '../common/audio-context';
import { log } from '../common/logger';
import { resolveAssetsBase, simdSupported } from '../core/wasm-loader';
import type { CaptureCommand, CaptureProcessorOptions, CaptureReport } from './worklet/capture-processor';

/** The worklet module's file name in the assets folder (beside trtc-core.wasm). */
export const CAPTURE_WORKLET_FILE = 'trtc-audio.worklet.js';

const modules = new WeakMap<BaseAudioContext, Promise<void>>();
let warned = false;

/** Loads the capture worklet module into `ctx` once. Rejects with the reason it cannot. */
export function loadCaptureWorklet(ctx: BaseAudioContext): Promise<void> {
  let p = modules.get(ctx);
  if (!p) {
    p = (async () => {
      if (typeof AudioWorkletNode === 'undefined' || !ctx.audioWorklet) {
        throw new Error('this browser has no AudioWorklet (or the page is not a secure context)');
      }
      if (!simdSupported()) throw new Error('this browser has no WebAssembly SIMD');
      const url = resolveAssetsBase() + CAPTURE_WORKLET_FILE;
      try {
        await ctx.audioWorklet.addModule(url);
      } catch (e) {
        throw new Error(
          `could not load ${url} (serve dist/wasm/ beside the SDK or call TRTC.setAssetsPath()): ${String(e)}`,
        );
      }
    })();
    modules.set(ctx, p);
  }
  return p;
}

const sinks = new WeakMap<BaseAudioContext, AudioNode>();
/** A node that is always pulled by the audio thread, for graphs whose output nobody listens to. */
export function pullSink(ctx: AudioContext): AudioNode {
  let sink = sinks.get(ctx);
  if (!sink) {
    sink = ctx.createMediaStreamDestination();
    sinks.set(ctx, sink);
  }
  return sink;
}

/** Gain and level of one audio signal: `input` → `output`. */
export class CaptureNode {
  private level_ = 0;
  private closed = false;
  private readonly analyserBuf?: Float32Array<ArrayBuffer>;

  private constructor(
    readonly input: AudioNode,
    readonly output: AudioNode,
    private readonly worklet?: AudioWorkletNode,
    private readonly gainNode?: GainNode,
    private readonly analyser?: AnalyserNode,
  ) {
    if (analyser) this.analyserBuf = new Float32Array(analyser.fftSize);
    if (worklet) {
      worklet.port.onmessage = (e: MessageEvent<CaptureReport>) => {
        const m = e.data;
        if (m.type === 'level') this.level_ = m.level;
        else if (m.type === 'error') log.warn(`audio capture stage: the WASM module failed to start: ${m.message}`);
      };
    }
  }

  /** Creates the stage in the page's AudioContext (worklet if possible, else the main-thread fallback). */
  static async create(options: { gain?: number } = {}): Promise<CaptureNode> {
    const ctx = getAudioContext();
    const gain = options.gain ?? 1;
    try {
      await loadCaptureWorklet(ctx);
      const processorOptions: CaptureProcessorOptions = { gain, reportMs: 50 };
      const node = new AudioWorkletNode(ctx, 'trtc-capture', {
        numberOfInputs: 1,
        numberOfOutputs: 1,
        processorOptions,
      });
      return new CaptureNode(node, node, node);
    } catch (e) {
      if (!warned) {
        warned = true;
        log.warn(
          `audio levels and capture volume run on the main thread: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      const g = ctx.createGain();
      g.gain.value = gain;
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 2048;
      // An AnalyserNode passes its input through: gain → analyser → (output).
      g.connect(analyser);
      return new CaptureNode(g, analyser, undefined, g, analyser);
    }
  }

  /** Whether the WASM worklet runs this stage (false: main-thread fallback). */
  get inWorklet(): boolean {
    return this.worklet !== undefined;
  }

  /** The smoothed level, 0–1, of the signal after the gain. */
  level(): number {
    if (this.closed) return 0;
    if (this.analyser && this.analyserBuf) return analyserLevel(this.analyser, this.analyserBuf);
    return this.level_;
  }

  /** Linear gain (1 = unchanged), ramped over 10 ms. */
  setGain(gain: number): void {
    if (this.worklet) this.worklet.port.postMessage({ type: 'gain', value: gain } satisfies CaptureCommand);
    else if (this.gainNode) this.gainNode.gain.setTargetAtTime(gain, this.gainNode.context.currentTime, 0.005);
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.input.disconnect();
    this.output.disconnect();
    if (this.worklet) {
      this.worklet.port.postMessage({ type: 'close' } satisfies CaptureCommand);
      this.worklet.port.onmessage = null;
    }
  }
}

/** Measures a track (remote streams, and local ones that need no processing): track → stage → sink. */
export class TrackMeter {
  private disposed = false;
  private source?: MediaStreamAudioSourceNode;
  private node?: CaptureNode;

  constructor(readonly track: MediaStreamTrack) {
    void CaptureNode.create().then(
      (node) => {
        if (this.disposed) {
          node.dispose();
          return;
        }
        try {
          const ctx = getAudioContext();
          this.source = ctx.createMediaStreamSource(new MediaStream([track]));
          this.source.connect(node.input);
          node.output.connect(pullSink(ctx));
          this.node = node;
        } catch (e) {
          node.dispose();
          log.warn('this audio track cannot be measured', e);
        }
      },
      (e: unknown) => log.debug('audio meter unavailable', e),
    );
  }

  level(): number {
    return this.node?.level() ?? 0;
  }

  dispose(): void {
    this.disposed = true;
    this.source?.disconnect();
    this.node?.dispose();
  }
}
