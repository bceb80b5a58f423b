// The AudioMixer plugin: background music and sound effects, mixed in the WASM core (inside an
// AudioWorklet) into the published microphone track and played on the local speakers.
//
//   TRTC.registerPlugin(AudioMixer);                       // the UMD file does this itself
//   await localStream.startPlugin('AudioMixer');           // mix into this stream
//   const bgm = AudioMixer.createAudioSource({ url: '/bgm.mp3', loop: true, volume: 0.5 });
//   bgm.on('end', () => …);
//   await bgm.play();
//
// MP3/AAC/WAV/… are decoded by the browser (decodeAudioData) except PCM WAV and Ogg Opus, which the
// worklet decodes itself (Ogg Opus with libopus: Safari cannot decode it); sources at other rates
// are resampled to the context's rate (48 kHz) by the core's resampler.
import type { LocalStream } from '../../stream/local-stream';
import type { PluginContext, PluginInstance, PluginSdk } from '../../plugin';
import { InstalledSdk } from '../installed-sdk';
import type { ErrorCodeValue, RtcError } from '../../errors';
import type { AudioInsert } from '../../audio/local-audio-graph';
import type { EncodedKind, MixerReply, MixerRequest, WorkletLoad } from './protocol';
import workletSource from 'audio-mixer-worklet-source';

/** Options of {@link AudioMixer.createAudioSource}. */
export interface AudioSourceOptions {
  /** URL of an MP3, AAC/M4A, WAV, Ogg Opus (or anything the browser decodes) file. */
  url?: string;
  /** The file's bytes, instead of `url`. The buffer is copied. */
  buffer?: ArrayBuffer;
  /** Start again at the end. Default false. */
  loop?: boolean;
  /** Volume, 0–1 (up to 10 amplifies; the limiter keeps the mix from clipping). Default 1. */
  volume?: number;
}

/** Events of an {@link AudioSource}. */
export interface AudioSourceEventMap {
  /** Playback started (play(), or resume() after pause()). */
  start: undefined;
  /** Playback reached the end of the file (without loop). */
  end: undefined;
  /** Loading or decoding failed; the source cannot play. */
  error: RtcError;
}

/** Options of `localStream.startPlugin('AudioMixer', options)` (all optional; TRTC v5's shape). */
export interface AudioMixerStartOptions {
  /** Your id for a source to create and play at once. */
  id?: string;
  url?: string;
  buffer?: ArrayBuffer;
  loop?: boolean;
  volume?: number;
}

/** Options of `localStream.updatePlugin('AudioMixer', options)`. */
export interface AudioMixerUpdateOptions {
  id: string;
  loop?: boolean;
  volume?: number;
  /** Seek to this many seconds. */
  seekFrom?: number;
  operation?: 'pause' | 'resume' | 'stop';
}

type Handler<T> = (payload: T) => void;

const installed = new InstalledSdk('AudioMixer');
const need = (): PluginSdk => installed.get();
const invalid = (where: string, message: string): RtcError => installed.invalid(where, message);

function checkVolume(where: string, v: unknown): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 10) {
    throw invalid(where, `\`volume\` must be a number from 0 to 10 (1 = unchanged), got ${String(v)}`);
  }
}

function checkLoop(where: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') throw invalid(where, '`loop` must be a boolean');
}

/** Largest file accepted (bytes): about 25 minutes of 128 kbit/s MP3. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** What kind of file the bytes are, from their magic numbers. */
export function sniff(bytes: Uint8Array): EncodedKind | 'other' {
  const ascii = (at: number, s: string) => [...s].every((ch, i) => bytes[at + i] === ch.charCodeAt(0));
  if (bytes.length >= 36 && ascii(0, 'OggS') && ascii(28, 'OpusHead')) return 'ogg';
  if (bytes.length >= 22 && ascii(0, 'RIFF') && ascii(8, 'WAVE')) {
    // Only PCM / float / extensible; other WAV codecs (ADPCM, µ-law) go to the browser.
    const fmtAt = findChunk(bytes, 'fmt ');
    if (fmtAt >= 0) {
      const tag = bytes[fmtAt + 8]! | (bytes[fmtAt + 9]! << 8);
      if (tag === 1 || tag === 3 || tag === 0xfffe) return 'wav';
    }
  }
  return 'other';
}

function findChunk(bytes: Uint8Array, id: string): number {
  let at = 12;
  while (at + 8 <= bytes.length) {
    const name = String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
    if (name === id) return at;
    const size = (bytes[at + 4]! | (bytes[at + 5]! << 8) | (bytes[at + 6]! << 16) | (bytes[at + 7]! << 24)) >>> 0;
    at += 8 + size + (size & 1);
  }
  return -1;
}

/**
 * The AudioWorklet node and its engine, one per page (per AudioContext). Output 0 (send) goes to
 * the stream it is attached to; output 1 (music only) to the speakers.
 */
class MixerHost {
  private static instance: Promise<MixerHost> | undefined;
  readonly insert: AudioInsert;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: MixerReply) => void; reject: (e: Error) => void }>();
  readonly sources = new Map<number, AudioSource>();
  private fatal: string | undefined;
  /** The AudioMixer instance (one stream) the send bus is inserted into. */
  attachedTo: AudioMixer | undefined;

  private constructor(
    readonly ctx: AudioContext,
    private readonly node: AudioWorkletNode,
  ) {
    const send = ctx.createGain();
    node.connect(send, 0);
    node.connect(ctx.destination, 1);
    this.insert = { input: node, output: send };
    node.port.onmessage = (e: MessageEvent<MixerReply>) => this.onMessage(e.data);
  }

  static get(): Promise<MixerHost> {
    if (!MixerHost.instance) {
      const s = need();
      MixerHost.instance = (async () => {
        const ctx = s.getAudioContext();
        if (typeof AudioWorkletNode === 'undefined' || !ctx.audioWorklet) {
          throw new s.RtcError({
            code: s.ErrorCode.NOT_SUPPORTED,
            message:
              'AudioMixer: this browser has no AudioWorklet (use a current Chrome, Edge, Firefox or Safari over HTTPS)',
          });
        }
        const url = URL.createObjectURL(new Blob([workletSource], { type: 'text/javascript' }));
        try {
          await ctx.audioWorklet.addModule(url);
        } catch (cause) {
          throw new s.RtcError({
            code: s.ErrorCode.NOT_SUPPORTED,
            message: `AudioMixer: the mixer's AudioWorklet could not load (a Content-Security-Policy must allow blob: scripts): ${String(cause)}`,
            cause,
          });
        } finally {
          URL.revokeObjectURL(url);
        }
        const node = new AudioWorkletNode(ctx, 'trtc-audio-mixer', {
          numberOfInputs: 1,
          numberOfOutputs: 2,
          outputChannelCount: [2, 2],
        });
        return new MixerHost(ctx, node);
      })();
      MixerHost.instance.catch(() => (MixerHost.instance = undefined));
    }
    return MixerHost.instance;
  }

  /**
   * Sends a request; resolves with the reply. Rejects with an RtcError: `INVALID_OPERATION` with the
   * worklet's reason (e.g. pausing a source that just ended), `NOT_SUPPORTED` when the worklet failed.
   */
  request(r: Omit<MixerRequest, 'seq'> & Record<string, unknown>, transfer: Transferable[] = []): Promise<MixerReply> {
    const s = need();
    const failed = (code: ErrorCodeValue, message: string) =>
      new s.RtcError({ code, message: `AudioMixer: ${message}` });
    if (this.fatal) return Promise.reject(failed(s.ErrorCode.NOT_SUPPORTED, this.fatal));
    const seq = ++this.seq;
    return new Promise<MixerReply>((resolve, reject) => {
      this.pending.set(seq, {
        resolve,
        reject: (e: Error) =>
          reject(failed(this.fatal ? s.ErrorCode.NOT_SUPPORTED : s.ErrorCode.INVALID_OPERATION, e.message)),
      });
      this.node.port.postMessage({ ...r, seq }, transfer);
    });
  }

  private onMessage(m: MixerReply): void {
    if (m.type === 'reply') {
      const p = this.pending.get(m.seq);
      this.pending.delete(m.seq);
      if (!p) return;
      if (m.ok) p.resolve(m);
      else p.reject(new Error(m.error));
    } else if (m.type === 'ended') {
      this.sources.get(m.id)?.onEnded();
    } else if (m.type === 'status') {
      for (const s of m.sources) this.sources.get(s.id)?.onStatus(s.position, s.state);
    } else if (m.type === 'fatal') {
      this.fatal = m.error;
      need().log.error(`AudioMixer: ${m.error}`);
      for (const p of this.pending.values()) p.reject(new Error(m.error));
      this.pending.clear();
    }
  }

  /** The processor's own measurement of its CPU time (benchmarks). */
  async load(reset = false): Promise<WorkletLoad> {
    const r = await this.request({ op: 'load', reset });
    return (r as { load: WorkletLoad }).load;
  }
}

const enum State {
  Loading,
  Idle,
  Playing,
  Paused,
  Ended,
  Failed,
}

/**
 * A background music or sound effect source (TRTC v4's AudioMixerPlugin source). Plays on the
 * local speakers and, on every stream the AudioMixer plugin is started on, into the published
 * audio. Methods may be called before the file is loaded; they apply once it is.
 */
export class AudioSource {
  private readonly handlers = new Map<keyof AudioSourceEventMap, Set<Handler<never>>>();
  private state = State.Loading;
  private host?: MixerHost;
  private id = -1;
  private duration = 0;
  private position = 0;
  private positionAt = 0; // ctx.currentTime of `position`
  private loop: boolean;
  private volume: number;
  private error?: RtcError;
  private readonly ready: Promise<void>;

  /** @internal Use AudioMixer.createAudioSource(). */
  constructor(private readonly options: AudioSourceOptions) {
    this.loop = options.loop ?? false;
    this.volume = options.volume ?? 1;
    this.ready = this.load();
    this.ready.catch(() => undefined);
  }

  private async load(): Promise<void> {
    const s = need();
    const where = 'AudioSource';
    try {
      const host = await MixerHost.get();
      let bytes: ArrayBuffer;
      if (this.options.buffer) {
        bytes = this.options.buffer.slice(0);
      } else {
        const url = this.options.url!;
        let res: Response;
        try {
          res = await fetch(url);
        } catch (cause) {
          throw new s.RtcError({
            code: s.ErrorCode.UNKNOWN,
            message: `${where}: cannot fetch ${url}: ${String(cause)}`,
            cause,
          });
        }
        if (!res.ok) {
          throw new s.RtcError({
            code: s.ErrorCode.UNKNOWN,
            message: `${where}: fetching ${url} failed: HTTP ${res.status}`,
          });
        }
        const length = Number(res.headers.get('content-length') ?? '0');
        if (length > MAX_FILE_BYTES) throw invalid(where, `${url} is ${length} bytes; the limit is ${MAX_FILE_BYTES}`);
        bytes = await res.arrayBuffer();
      }
      if (bytes.byteLength === 0) throw invalid(where, 'the file is empty');
      if (bytes.byteLength > MAX_FILE_BYTES)
        throw invalid(where, `the file is ${bytes.byteLength} bytes; the limit is ${MAX_FILE_BYTES}`);
      const kind = sniff(new Uint8Array(bytes));
      let reply: MixerReply;
      try {
        if (kind === 'other') {
          // MP3, AAC, … : the browser decodes (at the context's rate).
          let decoded: AudioBuffer;
          try {
            decoded = await host.ctx.decodeAudioData(bytes);
          } catch (cause) {
            throw new Error(`the browser cannot decode it (${String(cause)}); use MP3, AAC, WAV or Ogg Opus`);
          }
          const channels: Float32Array[] = [];
          for (let c = 0; c < decoded.numberOfChannels; c++) channels.push(decoded.getChannelData(c).slice());
          reply = await host.request(
            { op: 'openPcm', sampleRate: decoded.sampleRate, channels },
            channels.map((ch) => ch.buffer),
          );
        } else {
          reply = await host.request({ op: 'open', kind, bytes }, [bytes]);
        }
      } catch (cause) {
        throw new s.RtcError({
          code: s.ErrorCode.NOT_SUPPORTED,
          message: `${where}: cannot play ${this.options.url ?? 'the buffer'}: ${cause instanceof Error ? cause.message : String(cause)}`,
          cause,
        });
      }
      const r = reply as { id: number; duration: number };
      this.host = host;
      this.id = r.id;
      this.duration = Math.max(0, r.duration);
      host.sources.set(this.id, this);
      this.state = State.Idle;
      if (this.loop) void host.request({ op: 'loop', id: this.id, value: true });
      if (this.volume !== 1) void host.request({ op: 'volume', id: this.id, value: this.volume });
    } catch (e) {
      this.state = State.Failed;
      this.error =
        e instanceof s.RtcError
          ? e
          : new s.RtcError({ code: s.ErrorCode.UNKNOWN, message: `${where}: ${String(e)}`, cause: e });
      s.log.error(this.error.message);
      this.emit('error', this.error);
      throw this.error;
    }
  }

  /** Resolves once the file is loaded and decodable; rejects with the load error. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Starts playing from the current position (the start, or where it was stopped/sought). */
  async play(): Promise<void> {
    await this.ready;
    void this.host!.ctx.resume().catch(() => undefined);
    await this.cmd('play');
    this.setPosition(this.state === State.Ended ? 0 : this.position);
    this.state = State.Playing;
    this.emit('start', undefined);
  }

  /** Pauses (fading out over 10 ms), keeping the position. */
  async pause(): Promise<void> {
    await this.ready;
    if (this.state !== State.Playing) return;
    await this.cmd('pause');
    this.setPosition(this.getCurrentTime());
    this.state = State.Paused;
  }

  /** Resumes after pause(). */
  async resume(): Promise<void> {
    await this.ready;
    if (this.state !== State.Paused) return;
    await this.cmd('resume');
    this.setPosition(this.position);
    this.state = State.Playing;
    this.emit('start', undefined);
  }

  /** Stops (fading out) and goes back to the start. */
  async stop(): Promise<void> {
    await this.ready;
    await this.cmd('stop');
    this.setPosition(0);
    this.state = State.Idle;
  }

  /** Moves to `time` seconds (0 – duration). */
  async seek(time: number): Promise<void> {
    if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) {
      throw invalid('AudioSource.seek', `\`time\` must be a number of seconds ≥ 0, got ${String(time)}`);
    }
    await this.ready;
    await this.host!.request({ op: 'seek', id: this.id, time });
    this.setPosition(Math.min(time, this.duration));
    if (this.state === State.Ended) this.state = State.Paused;
  }

  /** Volume 0–1 (up to 10 amplifies), ramped over 10 ms. */
  setVolume(volume: number): void {
    checkVolume('AudioSource.setVolume', volume);
    this.volume = volume;
    if (this.host) void this.host.request({ op: 'volume', id: this.id, value: volume }).catch(() => undefined);
  }

  /** Whether to start again at the end. */
  setLoop(loop: boolean): void {
    checkLoop('AudioSource.setLoop', loop);
    this.loop = loop;
    if (this.host) void this.host.request({ op: 'loop', id: this.id, value: loop }).catch(() => undefined);
  }

  /** Length in seconds (0 until loaded). */
  getDuration(): number {
    return this.duration;
  }

  /** Playback position in seconds. */
  getCurrentTime(): number {
    if (this.state !== State.Playing || !this.host) return this.position;
    let t = this.position + Math.max(0, this.host.ctx.currentTime - this.positionAt);
    if (this.loop && this.duration > 0) t %= this.duration;
    return Math.min(t, this.duration);
  }

  /** Whether it is playing now. */
  isPlaying(): boolean {
    return this.state === State.Playing;
  }

  /** Stops and frees the source; it cannot play again. */
  async destroy(): Promise<void> {
    if (this.state === State.Failed || this.state === State.Loading) {
      await this.ready.catch(() => undefined);
    }
    if (!this.host || this.id < 0) return;
    this.host.sources.delete(this.id);
    await this.cmd('remove').catch(() => undefined);
    this.state = State.Failed;
  }

  on<K extends keyof AudioSourceEventMap>(event: K, handler: Handler<AudioSourceEventMap[K]>): this {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as Handler<never>);
    return this;
  }

  off<K extends keyof AudioSourceEventMap>(event: K, handler: Handler<AudioSourceEventMap[K]>): this {
    this.handlers.get(event)?.delete(handler as Handler<never>);
    return this;
  }

  private emit<K extends keyof AudioSourceEventMap>(event: K, payload: AudioSourceEventMap[K]): void {
    for (const h of [...(this.handlers.get(event) ?? [])]) {
      try {
        (h as Handler<AudioSourceEventMap[K]>)(payload);
      } catch (e) {
        installed.peek()?.log.error(`a handler of AudioSource event '${event}' threw`, e);
      }
    }
  }

  private async cmd(op: 'play' | 'pause' | 'resume' | 'stop' | 'remove'): Promise<void> {
    if (this.state === State.Failed) throw this.error ?? invalid('AudioSource', 'the source was destroyed');
    await this.host!.request({ op, id: this.id });
  }

  private setPosition(t: number): void {
    this.position = t;
    this.positionAt = this.host?.ctx.currentTime ?? 0;
  }

  /** @internal From the worklet's status report. */
  onStatus(position: number, state: number): void {
    if (state === 1 && this.state === State.Playing) this.setPosition(position);
  }

  /** @internal The worklet reached the end. */
  onEnded(): void {
    if (this.state !== State.Playing) return;
    this.state = State.Ended;
    this.setPosition(this.duration);
    this.emit('end', undefined);
  }
}

/**
 * The AudioMixer plugin. Register it with `TRTC.registerPlugin(AudioMixer)` (the UMD file does
 * this itself), create sources with {@link AudioMixer.createAudioSource}, and mix them into a
 * stream with `localStream.startPlugin('AudioMixer')`.
 */
export class AudioMixer implements PluginInstance {
  static readonly Name = 'AudioMixer';
  static readonly multipleStarts = true;

  /** @internal Called by TRTC.registerPlugin. */
  static install(s: PluginSdk): void {
    installed.set(s);
  }

  /** Creates a source from a URL or an ArrayBuffer; loading starts at once (see AudioSource.whenReady). */
  static createAudioSource(options: AudioSourceOptions): AudioSource {
    const where = 'AudioMixer.createAudioSource';
    if (typeof options !== 'object' || options === null) throw invalid(where, 'pass {url} or {buffer}');
    const { url, buffer } = options;
    if ((url === undefined) === (buffer === undefined)) throw invalid(where, 'pass exactly one of `url` and `buffer`');
    if (url !== undefined && (typeof url !== 'string' || url.length === 0))
      throw invalid(where, '`url` must be a non-empty string');
    if (buffer !== undefined && !(buffer instanceof ArrayBuffer))
      throw invalid(where, '`buffer` must be an ArrayBuffer');
    checkLoop(where, options.loop);
    checkVolume(where, options.volume);
    return new AudioSource({ ...options });
  }

  /** @internal Measured CPU time of the mixer's worklet (for the benchmark page). */
  static async workletLoad(reset = false): Promise<WorkletLoad> {
    return (await MixerHost.get()).load(reset);
  }

  private readonly stream: LocalStream;
  private attached = false;
  /** Sources started through startPlugin({id, url}) (TRTC v5 style), by the app's id. */
  private readonly byId = new Map<string, AudioSource>();

  /** @internal Created by localStream.startPlugin('AudioMixer'). */
  constructor(context: PluginContext) {
    this.stream = context.stream;
  }

  /** Mixes all sources into this stream; with `{id, url|buffer}` also creates and plays that source. */
  async start(options?: unknown): Promise<void> {
    const where = 'AudioMixer.start';
    const o = (options ?? {}) as AudioMixerStartOptions;
    if (typeof o !== 'object' || o === null) throw invalid(where, 'options must be an object');
    if (o.id !== undefined && (typeof o.id !== 'string' || o.id.length === 0))
      throw invalid(where, '`id` must be a non-empty string');
    let source: AudioSource | undefined;
    if (o.id !== undefined) {
      if (this.byId.has(o.id)) throw invalid(where, `a source with id '${o.id}' exists: use updatePlugin()`);
      source = AudioMixer.createAudioSource({ url: o.url, buffer: o.buffer, loop: o.loop, volume: o.volume });
    }
    if (!this.attached) {
      const host = await MixerHost.get();
      if (host.attachedTo && host.attachedTo !== this) {
        const s = need();
        throw new s.RtcError({
          code: s.ErrorCode.INVALID_OPERATION,
          message: `${where}: the AudioMixer is started on another stream; stopPlugin('AudioMixer') there first (one microphone input per page)`,
        });
      }
      host.attachedTo = this;
      this.attached = true;
      await this.stream.setAudioInsert(host.insert, this);
    }
    if (source && o.id !== undefined) {
      this.byId.set(o.id, source);
      try {
        await source.play();
      } catch (e) {
        this.byId.delete(o.id);
        throw e;
      }
    }
  }

  /** Changes a source started with `{id}`: loop, volume, seekFrom, operation pause/resume/stop. */
  async update(options: unknown): Promise<void> {
    const where = 'AudioMixer.update';
    const o = options as AudioMixerUpdateOptions;
    if (typeof o !== 'object' || o === null || typeof o.id !== 'string') throw invalid(where, 'pass {id, …}');
    const source = this.byId.get(o.id);
    if (!source) throw invalid(where, `no source with id '${o.id}'`);
    if (o.operation !== undefined && !['pause', 'resume', 'stop'].includes(o.operation)) {
      throw invalid(where, "`operation` must be 'pause', 'resume' or 'stop'");
    }
    if (o.seekFrom !== undefined) await source.seek(o.seekFrom);
    if (o.loop !== undefined) source.setLoop(o.loop);
    if (o.volume !== undefined) source.setVolume(o.volume);
    if (o.operation) await source[o.operation]();
  }

  /** With `{id}`: stops and frees that source. Without: detaches the mixer from the stream and frees the `{id}` sources. */
  async stop(options?: unknown): Promise<void> {
    const o = (options ?? {}) as { id?: string };
    if (o.id !== undefined) {
      const source = this.byId.get(o.id);
      this.byId.delete(o.id);
      await source?.destroy();
      return;
    }
    for (const s of this.byId.values()) await s.destroy();
    this.byId.clear();
    if (this.attached) {
      this.attached = false;
      const host = await MixerHost.get();
      if (host.attachedTo === this) host.attachedTo = undefined;
      await this.stream.clearAudioInsert(this);
    }
  }

  /** The stream was unpublished: every playing source stops (fading out). */
  onUnpublish(): void {
    void MixerHost.get().then((host) => {
      for (const s of host.sources.values()) if (s.isPlaying()) void s.stop().catch(() => undefined);
    });
  }
}
