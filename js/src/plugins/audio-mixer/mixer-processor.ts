// The AudioMixer plugin's AudioWorklet processor 'trtc-audio-mixer' (inlined into the plugin
// bundle and loaded from a Blob URL). It runs MixerEngine (C++, WASM, libopus): input 0 is the
// microphone (after the SDK's capture stage), output 0 the send bus (microphone + music, limited)
// that is published, output 1 the music alone, played on the local speakers.
import createTrtcAudioMixer, { type MixerEngine } from 'trtc-audio-mixer-wasm';
import type { MixerReply, MixerRequest, WorkletLoad } from './protocol';

const MAX_FRAMES = 1024;
const CHANNELS = 2;
const STATUS_MS = 100;

type Clock = () => number;
const perf = (globalThis as { performance?: { now(): number } }).performance;
const clock: Clock = perf ? () => perf.now() : () => Date.now();
const clockName: WorkletLoad['clock'] = perf ? 'performance' : 'date';

class MixerProcessor extends AudioWorkletProcessor {
  private engine: MixerEngine | undefined;
  private readonly queue: MixerRequest[] = [];
  private closed = false;
  private failed = false;
  private sinceStatus = 0;
  private readonly statusFrames = Math.round((sampleRate * STATUS_MS) / 1000);
  private readonly ids = new Set<number>();
  private load: WorkletLoad = { busyMs: 0, audioMs: 0, clock: clockName, blocks: 0 };

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    this.port.onmessage = (e: MessageEvent<MixerRequest>) => {
      if (this.engine) this.handle(e.data);
      else this.queue.push(e.data);
    };
    createTrtcAudioMixer().then(
      (m) => {
        this.engine = new m.MixerEngine(sampleRate, CHANNELS, MAX_FRAMES);
        for (const r of this.queue.splice(0)) this.handle(r);
      },
      (e: unknown) => {
        this.failed = true;
        this.post({ type: 'fatal', error: `the mixer's WASM module failed to start: ${String(e)}` });
      },
    );
  }

  private post(m: MixerReply, transfer: Transferable[] = []): void {
    this.port.postMessage(m, transfer);
  }

  private handle(r: MixerRequest): void {
    const engine = this.engine!;
    const ok = (extra: { id?: number; duration?: number; load?: WorkletLoad } = {}) =>
      this.post({ type: 'reply', seq: r.seq, ok: true, ...extra });
    const fail = (error: string) => this.post({ type: 'reply', seq: r.seq, ok: false, error });
    try {
      switch (r.op) {
        case 'open': {
          const bytes = new Uint8Array(r.bytes);
          engine.bytes(bytes.length).set(bytes);
          const id = r.kind === 'ogg' ? engine.openOggOpus(bytes.length) : engine.openWav(bytes.length);
          if (id < 0) return fail(engine.lastError());
          this.ids.add(id);
          return ok({ id, duration: engine.duration(id) });
        }
        case 'openPcm': {
          const frames = r.channels[0]?.length ?? 0;
          const id = engine.openPcm(r.sampleRate, r.channels.length, frames);
          if (id < 0) return fail(engine.lastError());
          const CHUNK = 65536;
          r.channels.forEach((data, c) => {
            for (let off = 0; off < data.length; off += CHUNK) {
              const part = data.subarray(off, off + CHUNK);
              engine.floats(part.length).set(part);
              engine.writePcm(id, c, off, part.length);
            }
          });
          engine.releaseStaging();
          this.ids.add(id);
          return ok({ id, duration: engine.duration(id) });
        }
        case 'play':
        case 'pause':
        case 'resume':
        case 'stop':
        case 'remove': {
          const done = engine[r.op](r.id);
          if (r.op === 'remove') this.ids.delete(r.id);
          return done ? ok() : fail(`cannot ${r.op} source ${r.id} now`);
        }
        case 'seek':
          return engine.seek(r.id, r.time) ? ok() : fail(`cannot seek source ${r.id}`);
        case 'volume':
          return engine.setVolume(r.id, r.value) ? ok() : fail(`cannot set the volume of source ${r.id}`);
        case 'loop':
          return engine.setLoop(r.id, r.value) ? ok() : fail(`cannot set loop on source ${r.id}`);
        case 'load': {
          const load = { ...this.load };
          if (r.reset) this.load = { busyMs: 0, audioMs: 0, clock: clockName, blocks: 0 };
          return ok({ load });
        }
        case 'close':
          this.closed = true;
          engine.delete();
          this.engine = undefined;
          this.port.onmessage = null;
          return;
      }
    } catch (e) {
      fail(String(e));
    }
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (this.closed) return false;
    const send = outputs[0] ?? [];
    const monitor = outputs[1] ?? [];
    const frames = send[0]?.length ?? monitor[0]?.length ?? 128;
    const engine = this.engine;
    if (!engine || this.failed || frames > MAX_FRAMES) {
      // Not ready: the microphone passes through, no music.
      const mic = inputs[0] ?? [];
      send.forEach((out, c) => {
        const src = mic[Math.min(c, mic.length - 1)];
        if (src) out.set(src);
        else out.fill(0);
      });
      monitor.forEach((out) => out.fill(0));
      return true;
    }
    const t0 = clock();
    const mic = inputs[0] ?? [];
    const micActive = mic.length > 0;
    if (micActive) {
      for (let c = 0; c < CHANNELS; c++) engine.micInput(c)!.set(mic[Math.min(c, mic.length - 1)]!.subarray(0, frames));
    }
    engine.process(frames, micActive);
    for (let c = 0; c < CHANNELS; c++) {
      const s = engine.output(0, c)!.subarray(0, frames);
      const m = engine.output(1, c)!.subarray(0, frames);
      if (send[c]) send[c]!.set(s);
      if (monitor[c]) monitor[c]!.set(m);
    }
    for (const id of engine.takeEnded()) this.post({ type: 'ended', id });
    this.sinceStatus += frames;
    if (this.sinceStatus >= this.statusFrames) {
      this.sinceStatus = 0;
      const sources = [...this.ids].map((id) => ({ id, position: engine.position(id), state: engine.state(id) }));
      if (sources.length > 0) this.post({ type: 'status', sources });
    }
    this.load.busyMs += clock() - t0;
    this.load.audioMs += (1000 * frames) / sampleRate;
    this.load.blocks++;
    return true;
  }
}

registerProcessor('trtc-audio-mixer', MixerProcessor);
