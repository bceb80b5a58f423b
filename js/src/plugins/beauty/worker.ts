// The Beauty plugin's Worker (bundled with the single-file WASM module and inlined into the plugin
// as text, started from a blob: URL). Two ways in:
//  - streams: camera frames from a MediaStreamTrackProcessor's readable, filtered frames to a
//    MediaStreamTrackGenerator's writable, one frame at a time. The processor drops the oldest
//    queued frame when the worker falls behind (maxBufferSize), so latency never builds up.
//  - canvas fallback: RGBA pixels in a message, returned filtered in the same (transferred) buffer.
import createTrtcBeauty, { type BeautyEngine } from 'trtc-beauty-wasm';
import type { BeautyParams, BeautyReply, BeautyRequest, BeautyStats } from './protocol';

interface WorkerScope {
  onmessage: ((e: MessageEvent<BeautyRequest>) => void) | null;
  postMessage(message: BeautyReply, transfer?: Transferable[]): void;
}
const scope = globalThis as unknown as WorkerScope;

const I420 = 0,
  NV12 = 1,
  RGBA = 2,
  BGRA = 3;
/** The color space of frames the worker converted from RGB (BT.601 limited range, as the core does). */
const BT601: VideoColorSpaceInit = {
  primaries: 'smpte170m',
  transfer: 'smpte170m',
  matrix: 'smpte170m',
  fullRange: false,
};

let engine: BeautyEngine | undefined;
let fatal: string | undefined;
const queue: BeautyRequest[] = [];

let writer: WritableStreamDefaultWriter<VideoFrame> | undefined;
let reader: ReadableStreamDefaultReader<VideoFrame> | undefined;
/** The frame loops, chained: a new camera's loop starts only after the previous one returned, so
 * exactly one frame at a time is inside the engine (they share its buffers). */
let pumping: Promise<void> = Promise.resolve();
let stopped = false;

// Failures: at most one non-fatal report per 5 s; 60 failed frames in a row (2 s at 30 fps) are
// fatal (the filter cannot work on this camera's frames), after which frames pass unfiltered.
const REPORT_EVERY_MS = 5000;
const FATAL_AFTER = 60;
let failedInARow = 0;
let lastFailureReport = 0;
let givenUp = false;

const stats: BeautyStats = { processed: 0, dropped: 0, meanMs: 0, simd: false };
let windowMs = 0;
let windowFrames = 0;
let lastStatsReport = Date.now();

function post(reply: BeautyReply, transfer: Transferable[] = []): void {
  scope.postMessage(reply, transfer);
}

function setParams(p: BeautyParams): void {
  engine?.setParams(p.beauty, p.brightness, p.ruddy);
}

/** A frame was filtered in `ms` (which also ends a run of failures). */
function account(ms: number): void {
  failedInARow = 0;
  stats.processed++;
  windowMs += ms;
  windowFrames++;
  const now = Date.now();
  if (now - lastStatsReport >= 1000) {
    stats.meanMs = windowFrames > 0 ? windowMs / windowFrames : 0;
    windowMs = 0;
    windowFrames = 0;
    lastStatsReport = now;
    post({ type: 'stats', stats: { ...stats } });
  }
}

function input(e: BeautyEngine, bytes: number): Uint8Array {
  const view = e.input(bytes);
  if (!view) throw new Error(`a frame of ${bytes} bytes is too large (at most 8192 pixels per side)`);
  return view;
}

function failed(err: unknown): void {
  stats.dropped++;
  failedInARow++;
  if (failedInARow === FATAL_AFTER) {
    givenUp = true;
    post({ type: 'error', message: `frames keep failing, the filter stops: ${String(err)}`, fatal: true });
    return;
  }
  const now = Date.now();
  if (now - lastFailureReport >= REPORT_EVERY_MS) {
    lastFailureReport = now;
    post({ type: 'error', message: `a frame could not be filtered (sent as it was): ${String(err)}`, fatal: false });
  }
}

/** The frame's pixels in the engine's input buffer, laid out as `process()` expects. */
async function copyIn(e: BeautyEngine, frame: VideoFrame): Promise<{ format: number; w: number; h: number }> {
  const rect = frame.visibleRect ?? { x: 0, y: 0, width: frame.codedWidth, height: frame.codedHeight };
  const w = rect.width,
    h = rect.height;
  const cw = (w + 1) >> 1,
    ch = (h + 1) >> 1;
  const rectInit = { x: rect.x, y: rect.y, width: w, height: h };
  const i420 = w * h + 2 * cw * ch;
  switch (frame.format) {
    case 'I420':
    case 'I420A': {
      const layout = [
        { offset: 0, stride: w },
        { offset: w * h, stride: cw },
        { offset: w * h + cw * ch, stride: cw },
      ];
      if (frame.format === 'I420A') layout.push({ offset: i420, stride: w });
      const size = frame.format === 'I420A' ? i420 + w * h : i420;
      await frame.copyTo(input(e, size), { rect: rectInit, layout });
      return { format: I420, w, h };
    }
    case 'NV12':
      await frame.copyTo(input(e, i420), {
        rect: rectInit,
        layout: [
          { offset: 0, stride: w },
          { offset: w * h, stride: 2 * cw },
        ],
      });
      return { format: NV12, w, h };
    case 'RGBA':
    case 'RGBX':
    case 'BGRA':
    case 'BGRX':
      await frame.copyTo(input(e, w * h * 4), { rect: rectInit, layout: [{ offset: 0, stride: w * 4 }] });
      return { format: frame.format.startsWith('RGB') ? RGBA : BGRA, w, h };
    default: {
      // Other or unknown (null: not mappable) formats: ask the browser to convert to RGBA.
      const options = {
        rect: rectInit,
        layout: [{ offset: 0, stride: w * 4 }],
        format: 'RGBA',
      } as VideoFrameCopyToOptions;
      await frame.copyTo(input(e, w * h * 4), options);
      return { format: RGBA, w, h };
    }
  }
}

/** The filtered frame, or null when the filter is off (the frame goes on untouched). */
async function filter(frame: VideoFrame): Promise<VideoFrame | null> {
  const e = engine;
  if (!e || givenUp || e.isIdentity()) return null;
  const t0 = performance.now();
  const { format, w, h } = await copyIn(e, frame);
  if (!e.process(format, w, h)) throw new Error(`cannot filter a ${w}x${h} ${String(frame.format)} frame`);
  const init: VideoFrameBufferInit = {
    format: 'I420',
    codedWidth: w,
    codedHeight: h,
    timestamp: frame.timestamp,
    displayWidth: frame.displayWidth,
    displayHeight: frame.displayHeight,
    colorSpace: format === I420 || format === NV12 ? frame.colorSpace.toJSON() : BT601,
  };
  if (frame.duration !== null) init.duration = frame.duration;
  const out = new VideoFrame(e.frame(), init); // copies out of WASM memory
  account(performance.now() - t0);
  return out;
}

async function pump(r: ReadableStreamDefaultReader<VideoFrame>): Promise<void> {
  const w = writer;
  if (!w) return;
  for (;;) {
    let result: ReadableStreamReadResult<VideoFrame>;
    try {
      result = await r.read();
    } catch {
      return; // the source was cancelled (replaced or stopped)
    }
    if (result.done) return;
    const frame = result.value;
    if (stopped || reader !== r) {
      frame.close();
      return;
    }
    let send = frame;
    try {
      const out = await filter(frame);
      if (out) {
        frame.close();
        send = out;
      }
    } catch (err) {
      failed(err);
    }
    try {
      await w.write(send); // the generator takes ownership
    } catch {
      send.close(); // the generator's track was stopped
      return;
    }
  }
}

function setSource(readable: ReadableStream<VideoFrame>): void {
  const old = reader;
  const r = readable.getReader();
  reader = r;
  if (old) void old.cancel().catch(() => undefined);
  pumping = pumping.then(() => pump(r));
}

function handle(m: BeautyRequest): void {
  switch (m.type) {
    case 'pipe':
      setParams(m.params);
      if (m.writable) writer = m.writable.getWriter();
      setSource(m.readable);
      break;
    case 'params':
      setParams(m.params);
      break;
    case 'rgba': {
      // The buffer goes back filtered, or as it came when the filter is off or fails.
      if (m.params) setParams(m.params);
      let ok = false;
      const e = engine;
      const size = m.width * m.height * 4;
      if (e && !givenUp && !e.isIdentity() && m.width > 0 && m.height > 0 && m.buffer.byteLength >= size) {
        const t0 = performance.now();
        const bytes = new Uint8Array(m.buffer, 0, size);
        const view = e.input(size);
        if (view) {
          view.set(bytes);
          ok = e.process(RGBA, m.width, m.height);
          if (ok) bytes.set(e.rgba());
        }
        if (ok) {
          account(performance.now() - t0);
        } else {
          failed(new Error(`cannot filter a ${m.width}x${m.height} canvas frame`));
        }
      }
      post({ type: 'rgba', id: m.id, width: m.width, height: m.height, buffer: m.buffer, ok }, [m.buffer]);
      break;
    }
    case 'stop': {
      stopped = true;
      const r = reader;
      reader = undefined;
      void r?.cancel().catch(() => undefined);
      // Free the engine and close the generator once the frame in flight (if any) is done.
      pumping = pumping.then(() => {
        void writer?.close().catch(() => undefined);
        writer = undefined;
        engine?.delete();
        engine = undefined;
      });
      break;
    }
  }
}

scope.onmessage = (e) => {
  if (fatal) {
    post({ type: 'error', message: fatal, fatal: true });
    return;
  }
  if (engine || e.data.type === 'stop') handle(e.data);
  else queue.push(e.data);
};

createTrtcBeauty().then(
  (m) => {
    engine = new m.BeautyEngine();
    stats.simd = m.simdAvailable();
    post({ type: 'ready', simd: stats.simd });
    for (const r of queue.splice(0)) handle(r);
  },
  (err: unknown) => {
    fatal = `the Beauty WASM module failed to start: ${String(err)}`;
    post({ type: 'error', message: fatal, fatal: true });
  },
);
