// The video pipeline of the Beauty plugin (and of later video plugins): the camera track goes
// through the WASM filter in a Worker and comes out as a new track.
//
//  - streams (Chromium): MediaStreamTrackProcessor → Worker (VideoFrame → WASM → VideoFrame) →
//    MediaStreamTrackGenerator. The processor keeps at most 2 frames queued and drops the oldest
//    when the worker falls behind, so a slow filter lowers the frame rate instead of adding delay.
//  - canvas (other browsers): a <video> plays the camera; on each new frame
//    (requestVideoFrameCallback, else a timer at the camera's rate) it is drawn to a canvas, its
//    RGBA pixels go to the worker and come back filtered onto a second canvas, whose
//    captureStream() is the output. While the worker is busy new frames are skipped (counted as
//    dropped), again trading frame rate for latency.
import type { BeautyParams, BeautyReply, BeautyRequest, BeautyStats } from './protocol';
import workerSource from 'beauty-worker-source';

export type PipelineMode = 'streams' | 'canvas';

interface PipelineEvents {
  /** A non-fatal problem (a frame failed) or a fatal one (the worker could not start). */
  error(message: string, fatal: boolean): void;
  stats(stats: BeautyStats): void;
}

function streamsSupported(): boolean {
  const g = globalThis as Record<string, unknown>;
  return (
    typeof g.MediaStreamTrackProcessor === 'function' &&
    typeof g.MediaStreamTrackGenerator === 'function' &&
    typeof g.VideoFrame === 'function'
  );
}

/** Whether this browser can run a video pipeline at all (a Worker, WebAssembly, and a canvas capture or insertable streams). */
export function pipelineSupported(): { ok: boolean; reason?: string } {
  if (typeof Worker !== 'function') return { ok: false, reason: 'Web Workers are not available' };
  if (typeof WebAssembly !== 'object') return { ok: false, reason: 'WebAssembly is not available' };
  if (streamsSupported()) return { ok: true };
  if (typeof document === 'undefined' || typeof HTMLCanvasElement === 'undefined')
    return { ok: false, reason: 'no canvas' };
  if (typeof HTMLCanvasElement.prototype.captureStream !== 'function')
    return { ok: false, reason: 'canvas.captureStream() is not available' };
  return { ok: true };
}

export class VideoPipeline {
  readonly track: MediaStreamTrack;
  private readonly worker: Worker;
  private readonly url: string;
  private stopped = false;
  private canvas?: CanvasLoop;

  private constructor(
    readonly mode: PipelineMode,
    source: MediaStreamTrack,
    private params: BeautyParams,
    private readonly events: PipelineEvents,
    readyTimeoutMs: number,
  ) {
    this.url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    this.worker = new Worker(this.url, { type: 'module', name: 'trtc-beauty' });
    this.worker.onmessage = (e: MessageEvent<BeautyReply>) => this.onReply(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      const message = `the Beauty worker failed: ${e.message || 'it could not load (does a Content-Security-Policy block blob: workers?)'}`;
      if (this.started) this.events.error(message, true);
      else this.rejectReady?.(new Error(message));
    };
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the Beauty worker did not start within ${readyTimeoutMs} ms`)),
        readyTimeoutMs,
      );
      this.resolveReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.rejectReady = (e) => {
        clearTimeout(timer);
        reject(e);
      };
    });
    this.source = source;
    try {
      if (mode === 'streams') {
        const generator = new MediaStreamTrackGenerator({ kind: 'video' });
        this.track = generator;
        this.pipe(source, generator.writable);
      } else {
        this.canvas = new CanvasLoop(source, this.worker, () => this.params);
        this.track = this.canvas.track;
      }
    } catch (e) {
      this.worker.terminate();
      URL.revokeObjectURL(this.url);
      throw e;
    }
  }

  /** The camera track being filtered. */
  private source: MediaStreamTrack;
  /** Resolved `ready`: errors go to the events from now on. */
  private started = false;

  private readonly ready: Promise<void>;
  private resolveReady?: () => void;
  private rejectReady?: (e: Error) => void;

  /** Starts a pipeline on `source` and resolves once the worker's WASM module runs. */
  static async create(
    source: MediaStreamTrack,
    params: BeautyParams,
    events: PipelineEvents,
    options: { forceCanvas?: boolean; readyTimeoutMs?: number } = {},
  ): Promise<VideoPipeline> {
    const mode: PipelineMode = streamsSupported() && !options.forceCanvas ? 'streams' : 'canvas';
    const p = new VideoPipeline(mode, source, params, events, options.readyTimeoutMs ?? 10000);
    try {
      await p.ready;
    } catch (e) {
      p.stop();
      throw e;
    }
    p.started = true;
    return p;
  }

  private pipe(source: MediaStreamTrack, writable?: WritableStream<VideoFrame>): void {
    const processor = new MediaStreamTrackProcessor({ track: source, maxBufferSize: 2 });
    const transfer: Transferable[] = [processor.readable as unknown as Transferable];
    if (writable) transfer.push(writable as unknown as Transferable);
    this.send({ type: 'pipe', readable: processor.readable, writable, params: this.params }, transfer);
  }

  /** Filters a new camera track from now on (the output track stays the same). */
  setSource(source: MediaStreamTrack | null): void {
    if (this.stopped || !source || source === this.source) return;
    this.source = source;
    if (this.mode === 'streams') this.pipe(source);
    else this.canvas?.setSource(source);
  }

  setParams(params: BeautyParams): void {
    this.params = params;
    this.send({ type: 'params', params });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.rejectReady?.(new Error('stopped'));
    this.canvas?.stop();
    this.send({ type: 'stop' });
    this.worker.onmessage = null; // nothing is reported after stop
    this.track.stop();
    // Let the worker close its streams, then end it.
    setTimeout(() => this.worker.terminate(), 100);
    URL.revokeObjectURL(this.url);
  }

  private send(m: BeautyRequest, transfer: Transferable[] = []): void {
    if (this.stopped && m.type !== 'stop') return;
    this.worker.postMessage(m, transfer);
  }

  private onReply(r: BeautyReply): void {
    if (this.stopped) return;
    switch (r.type) {
      case 'ready':
        this.resolveReady?.();
        break;
      case 'stats':
        // The canvas loop's skipped frames (worker busy) count as dropped too.
        this.events.stats({ ...r.stats, dropped: r.stats.dropped + (this.canvas?.dropped ?? 0) });
        break;
      case 'rgba':
        this.canvas?.onFiltered(r);
        break;
      case 'error':
        if (!this.started) {
          if (r.fatal) this.rejectReady?.(new Error(r.message));
        } else {
          this.events.error(r.message, r.fatal);
        }
        break;
    }
  }
}

/** The canvas fallback's frame loop. */
class CanvasLoop {
  readonly track: MediaStreamTrack;
  private readonly video: HTMLVideoElement;
  private readonly input: HTMLCanvasElement;
  private readonly output: HTMLCanvasElement;
  private readonly inCtx: CanvasRenderingContext2D;
  private readonly outCtx: CanvasRenderingContext2D;
  private busy = false;
  private stopped = false;
  private nextId = 1;
  private timer?: ReturnType<typeof setTimeout>;
  /** Camera frames skipped because the worker was still busy with the previous one. */
  dropped = 0;

  constructor(
    source: MediaStreamTrack,
    private readonly worker: Worker,
    private readonly params: () => BeautyParams,
  ) {
    this.video = document.createElement('video');
    this.video.muted = true;
    this.video.playsInline = true;
    this.input = document.createElement('canvas');
    this.output = document.createElement('canvas');
    this.inCtx = this.input.getContext('2d', { willReadFrequently: true })!;
    this.outCtx = this.output.getContext('2d')!;
    const s = source.getSettings();
    this.input.width = this.output.width = s.width ?? 640;
    this.input.height = this.output.height = s.height ?? 480;
    // No frame rate: a frame is captured whenever the canvas is painted, i.e. once per camera frame.
    this.track = this.output.captureStream().getVideoTracks()[0]!;
    this.setSource(source);
    this.schedule(); // once: the frame callbacks re-arm themselves and outlive a source change
  }

  private frameRate = 30;

  setSource(source: MediaStreamTrack): void {
    this.frameRate = source.getSettings().frameRate ?? 30;
    this.video.srcObject = new MediaStream([source]);
    void this.video.play().catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    const v = this.video as HTMLVideoElement & {
      requestVideoFrameCallback?: (cb: () => void) => number;
    };
    if (typeof v.requestVideoFrameCallback === 'function') {
      v.requestVideoFrameCallback(() => {
        this.onFrame();
        this.schedule();
      });
    } else {
      this.timer = setTimeout(
        () => {
          this.onFrame();
          this.schedule();
        },
        1000 / Math.max(1, this.frameRate),
      );
    }
  }

  private onFrame(): void {
    if (this.stopped) return;
    const w = this.video.videoWidth,
      h = this.video.videoHeight;
    if (w === 0 || h === 0) return;
    if (this.busy) {
      this.dropped++;
      return;
    }
    if (this.input.width !== w || this.input.height !== h) {
      this.input.width = this.output.width = w;
      this.input.height = this.output.height = h;
    }
    this.inCtx.drawImage(this.video, 0, 0, w, h);
    const pixels = this.inCtx.getImageData(0, 0, w, h);
    this.busy = true;
    const buffer = pixels.data.buffer;
    this.worker.postMessage(
      { type: 'rgba', id: this.nextId++, width: w, height: h, buffer, params: this.params() } satisfies BeautyRequest,
      [buffer],
    );
  }

  onFiltered(r: Extract<BeautyReply, { type: 'rgba' }>): void {
    this.busy = false;
    if (this.stopped) return;
    // Filtered, or the camera's pixels as they were (filter off or failed): drawn either way.
    if (r.width === this.output.width && r.height === this.output.height) {
      const data = new Uint8ClampedArray(r.buffer, 0, r.width * r.height * 4);
      this.outCtx.putImageData(new ImageData(data, r.width, r.height), 0, 0);
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.video.pause();
    this.video.srcObject = null;
  }
}
