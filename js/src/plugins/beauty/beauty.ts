// The Beauty plugin: skin smoothing, whitening and a rosy tint on the camera video, computed by the
// C++ core (WASM SIMD) in a Worker.
//
//   TRTC.registerPlugin(Beauty);                 // the UMD file does this itself
//   await localStream.startPlugin('Beauty', { beauty: 0.5, brightness: 0.5, ruddy: 0.5 });
//   await localStream.updatePlugin('Beauty', { beauty: 0.8 });
//   await localStream.stopPlugin('Beauty');      // back to the raw camera
//
// The published track is swapped with RTCRtpSender.replaceTrack (no renegotiation); the local
// preview shows the processed video too.
import type { LocalStream, VideoInsert } from '../../stream/local-stream';
import type { PluginContext, PluginInstance, PluginSdk } from '../../plugin';
import { InstalledSdk } from '../installed-sdk';
import type { ErrorCodeValue, RtcError } from '../../errors';
import type { BeautyParams, BeautyStats } from './protocol';
import { VideoPipeline, pipelineSupported, type PipelineMode } from './pipeline';

/** Options of `startPlugin('Beauty', options)` and `updatePlugin('Beauty', options)`; each 0–1. */
export interface BeautyOptions {
  /** Skin smoothing, 0 (off) to 1. Default 0.5 at start. */
  beauty?: number;
  /** Whitening (brightens the mid-tones), 0 to 1. Default 0.5 at start. */
  brightness?: number;
  /** Rosy tint on skin, 0 to 1. Default 0.5 at start. */
  ruddy?: number;
  /** TRTC v5 `Beauty` name for `beauty` (skin smoothing). */
  dermabrasion?: number;
  /** TRTC v5 `Beauty` name for `brightness`. */
  whiten?: number;
  /**
   * Called with a typed error while the plugin runs: {@link BeautyErrorCode.LATENCY_HIGH}
   * (10000003) when the filter takes longer than a camera frame, so frames are being dropped;
   * others when frames fail. Start only.
   */
  onError?: (error: RtcError) => void;
  /** Use the canvas pipeline even where insertable streams exist (for testing). Start only. */
  forceCanvas?: boolean;
}

/** Codes the `onError` callback gets (TRTC v5's Beauty plugin uses the same numbers). */
export const BeautyErrorCode = {
  /** Processing takes longer than the camera's frame interval; frames are dropped. */
  LATENCY_HIGH: 10000003,
  /** A frame could not be processed (it was sent unfiltered). */
  FRAME_FAILED: 10000004,
} as const;

// TRTC v5 Beauty options this plugin does not implement (face reshaping, stickers) and licence
// fields that have no meaning here: accepted and ignored, with a warning for the former.
const UNSUPPORTED = ['lift', 'shave', 'eye', 'chin', 'effect'];
const IGNORED = ['sdkAppId', 'userId', 'userSig'];
const DEFAULTS: BeautyParams = { beauty: 0.5, brightness: 0.5, ruddy: 0.5 };

const installed = new InstalledSdk('Beauty');
const need = (): PluginSdk => installed.get();
const invalid = (where: string, message: string): RtcError => installed.invalid(where, message);

/** Validates options and returns the parameters they set on top of `base`. */
function parseOptions(where: string, options: unknown, base: BeautyParams, start: boolean): BeautyParams {
  if (options === undefined) return { ...base };
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw invalid(where, 'options must be an object like {beauty, brightness, ruddy}');
  const o = options as Record<string, unknown>;
  const out = { ...base };
  const set = (key: keyof BeautyParams, name: string): void => {
    const v = o[name];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1)
      throw invalid(where, `\`${name}\` must be a number from 0 to 1, got ${JSON.stringify(v) ?? String(v)}`);
    out[key] = v;
  };
  set('beauty', 'beauty');
  set('beauty', 'dermabrasion');
  set('brightness', 'brightness');
  set('brightness', 'whiten');
  set('ruddy', 'ruddy');
  if (o.onError !== undefined && (typeof o.onError !== 'function' || !start))
    throw invalid(where, start ? '`onError` must be a function' : '`onError` can only be set by startPlugin()');
  if (o.forceCanvas !== undefined && typeof o.forceCanvas !== 'boolean')
    throw invalid(where, '`forceCanvas` must be a boolean');
  const known = new Set(['beauty', 'brightness', 'ruddy', 'dermabrasion', 'whiten', 'onError', 'forceCanvas']);
  for (const k of Object.keys(o)) {
    if (known.has(k) || IGNORED.includes(k)) continue;
    if (UNSUPPORTED.includes(k))
      need().log.warn(`${where}: \`${k}\` (face reshaping, stickers) is not supported; ignored`);
    else throw invalid(where, `unknown option \`${k}\`: use beauty, brightness and ruddy (0–1)`);
  }
  return out;
}

/**
 * The Beauty plugin. Register it once with `TRTC.registerPlugin(Beauty)`, then start it on a local
 * stream with video: `localStream.startPlugin('Beauty', {beauty, brightness, ruddy})`.
 */
export class Beauty implements PluginInstance {
  static readonly Name = 'Beauty';

  /** @internal Called by TRTC.registerPlugin. */
  static install(s: PluginSdk): void {
    installed.set(s);
  }

  /** Whether this browser can run the plugin (Worker, WebAssembly, insertable streams or canvas capture). */
  static isSupported(): boolean {
    return pipelineSupported().ok;
  }

  private readonly stream: LocalStream;
  private pipeline?: VideoPipeline;
  private params: BeautyParams = { ...DEFAULTS };
  private onError?: (error: RtcError) => void;
  private stopped = false;
  private lastLatencyWarning = 0;
  private stats_?: BeautyStats;

  /** @internal Created by localStream.startPlugin('Beauty'). */
  constructor(context: PluginContext) {
    this.stream = context.stream;
  }

  /** @internal */
  async start(options?: unknown): Promise<void> {
    const where = 'Beauty.start';
    const s = need();
    this.params = parseOptions(where, options, DEFAULTS, true);
    const o = (options ?? {}) as BeautyOptions;
    this.onError = o.onError;
    const source = this.stream.sourceVideoTrack();
    if (!source || source.readyState === 'ended') {
      throw new s.RtcError({
        code: s.ErrorCode.INVALID_OPERATION,
        message: `${where}: the stream has no video: create it with {video: true} (or a videoSource) and initialize() it first`,
      });
    }
    const support = pipelineSupported();
    if (!support.ok) {
      throw new s.RtcError({
        code: s.ErrorCode.NOT_SUPPORTED,
        message: `${where}: this browser cannot run the Beauty plugin (${support.reason}); use a current Chrome, Edge, Firefox or Safari`,
      });
    }
    let pipeline: VideoPipeline;
    try {
      pipeline = await VideoPipeline.create(
        source,
        this.params,
        {
          error: (message, fatal) => {
            this.report(fatal ? s.ErrorCode.UNKNOWN : BeautyErrorCode.FRAME_FAILED, message);
            if (fatal) void this.detach(); // the raw camera goes out again instead of a frozen track
          },
          stats: (st) => this.onStats(st),
        },
        { forceCanvas: o.forceCanvas === true },
      );
    } catch (e) {
      throw new s.RtcError({
        code: s.ErrorCode.NOT_SUPPORTED,
        message: `${where}: the video pipeline could not start: ${e instanceof Error ? e.message : String(e)}`,
        cause: e,
      });
    }
    if (this.stopped) {
      pipeline.stop(); // stopPlugin() or close() came during the start
      return;
    }
    this.pipeline = pipeline;
    pipeline.setParams(this.params); // updatePlugin() may have come during the start
    // setVideoInsert hands the pipeline the stream's current camera (it may have switched meanwhile).
    const insert: VideoInsert = { track: pipeline.track, setSource: (t) => pipeline.setSource(t) };
    await this.stream.setVideoInsert(insert, this);
    s.log.info(`Beauty started (${pipeline.mode} pipeline)`, this.params);
  }

  /** @internal */
  update(options: unknown): void {
    this.params = parseOptions('Beauty.update', options, this.params, false);
    this.pipeline?.setParams(this.params);
  }

  /** @internal */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.detach();
  }

  /** Sends the raw camera again and ends the pipeline. */
  private async detach(): Promise<void> {
    const p = this.pipeline;
    this.pipeline = undefined;
    try {
      await this.stream.clearVideoInsert(this);
    } finally {
      p?.stop();
    }
  }

  /** The pipeline in use ('streams' or 'canvas'), or undefined before start. */
  get mode(): PipelineMode | undefined {
    return this.pipeline?.mode;
  }

  /** The latest counters from the worker (about once a second). */
  get stats(): BeautyStats | undefined {
    return this.stats_;
  }

  private onStats(st: BeautyStats): void {
    this.stats_ = st;
    const fps = this.stream.sourceVideoTrack()?.getSettings().frameRate ?? 30;
    const budget = 1000 / fps;
    const now = Date.now();
    if (st.meanMs > budget && now - this.lastLatencyWarning > 10000) {
      this.lastLatencyWarning = now;
      this.report(
        BeautyErrorCode.LATENCY_HIGH,
        `filtering takes ${st.meanMs.toFixed(1)} ms per frame, more than the camera's ${budget.toFixed(1)} ms: frames are dropped. Lower the video profile (setVideoProfile('480p')) or stop the plugin`,
      );
    }
  }

  private report(code: number, message: string): void {
    const s = need();
    // The plugin's own codes (10000003, 10000004) are TRTC v5's Beauty onError numbers, outside ErrorCode.
    const error = new s.RtcError({ code: code as ErrorCodeValue, message: `Beauty: ${message}` });
    s.log.warn(error.message);
    try {
      this.onError?.(error);
    } catch (e) {
      s.log.warn('Beauty: the onError callback threw', e);
    }
  }
}
