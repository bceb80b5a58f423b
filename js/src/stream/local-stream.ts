// A local stream: camera and microphone, screen sharing, or tracks the app provides; published
// with client.publish().
import { ErrorCode, RtcError } from '../errors';
import { log } from '../common/logger';
import { LocalAudioGraph, type AudioInsert } from '../audio/local-audio-graph';
import {
  checkBoolean,
  checkNumber,
  checkObject,
  checkOneOf,
  checkString,
  invalidOperation,
  invalidParameter,
  show,
} from '../common/validate';
import {
  AUDIO_PROFILES,
  SCREEN_PROFILES,
  VIDEO_PROFILES,
  type AudioProfile,
  type AudioProfileString,
  type ScreenProfileString,
  type VideoProfile,
  type VideoProfileString,
} from './profiles';
import { Stream } from './stream';
import type { PlayOptions } from './player';
import { findPlugin, type PluginInstance } from '../plugin';

/** @internal A plugin's video stage (the Beauty plugin): its output replaces the camera track. */
export interface VideoInsert {
  /** The processed track, published and previewed instead of the camera. */
  readonly track: MediaStreamTrack;
  /** The camera track changed (switchDevice, recapture, replaceTrack): process this one now. */
  setSource(track: MediaStreamTrack | null): void;
}

/** Options of `TRTC.createStream()`. */
export interface StreamConfig {
  /** The user id the stream belongs to (usually the client's). */
  userId?: string;
  /** Capture the microphone. */
  audio?: boolean;
  /** Capture the camera. */
  video?: boolean;
  /** Publish this audio track instead of capturing (custom capture). */
  audioSource?: MediaStreamTrack;
  /** Publish this video track instead of capturing (custom capture). */
  videoSource?: MediaStreamTrack;
  /** The microphone's deviceId (from `TRTC.getMicrophones()`). */
  microphoneId?: string;
  /** The camera's deviceId (from `TRTC.getCameras()`). */
  cameraId?: string;
  /** Front (`user`) or back (`environment`) camera on phones. */
  facingMode?: 'user' | 'environment';
  /** Capture the screen (screen sharing); cannot be combined with `video`. */
  screen?: boolean;
  /** With `screen`: also capture the shared tab's or system's audio; cannot be combined with `audio`. */
  screenAudio?: boolean;
  /** @deprecated since TRTC 4.12.1: use `play(el, { mirror })`. */
  mirror?: boolean;
  /** Microphone echo cancellation (default true). */
  echoCancellation?: boolean;
  /** Microphone automatic gain control (default true). */
  autoGainControl?: boolean;
  /** Microphone noise suppression (default true). */
  noiseSuppression?: boolean;
}

/** @internal How a published LocalStream tells its publisher about track changes. */
export interface PublishBinding {
  /** The track of `kind` changed (null: removed); the publisher swaps it on its sender. */
  trackChanged(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void>;
  /** The app muted or unmuted a track. */
  muteChanged(kind: 'audio' | 'video', muted: boolean): void;
  /** The video profile changed; the publisher updates its encoder. */
  profileChanged(): void;
}

type Source = 'capture' | 'screen' | 'custom';

/**
 * A local audio/video stream, created by `TRTC.createStream()`. Call {@link initialize} to capture,
 * {@link play} to preview, and `client.publish(stream)` to send it.
 */
export class LocalStream extends Stream {
  private readonly config: StreamConfig;
  private audioTrack_: MediaStreamTrack | null = null;
  private videoTrack_: MediaStreamTrack | null = null;
  private audioSource_: Source = 'capture';
  private videoSource_: Source = 'capture';
  private audioProfile_: AudioProfile = AUDIO_PROFILES.standard;
  private videoProfile_: VideoProfile = VIDEO_PROFILES['480p_2'];
  private screenProfile_: VideoProfile = SCREEN_PROFILES['1080p'];
  private initialized = false;
  private initializing = false;
  private audioMuted_ = false;
  private videoMuted_ = false;
  private captureVolume = 100;
  private audioGraph?: LocalAudioGraph;
  private audioGraphPromise?: Promise<LocalAudioGraph>;
  private audioInsert?: { insert: AudioInsert; owner: object };
  private videoInsert?: { insert: VideoInsert; owner: object };
  private recovering = new Set<'audio' | 'video'>();
  private readonly onEnded = new Map<MediaStreamTrack, () => void>();
  private readonly plugins = new Map<string, PluginInstance>();
  /** @internal Set by the client while the stream is published. */
  binding?: PublishBinding;

  /** @internal Use `TRTC.createStream()`. */
  constructor(config: StreamConfig) {
    super(config.userId ?? '');
    this.config = { ...config };
    if (config.audioSource) this.audioSource_ = 'custom';
    if (config.videoSource) this.videoSource_ = 'custom';
    if (config.screen) this.videoSource_ = 'screen';
    if (config.screenAudio) this.audioSource_ = 'screen';
  }

  protected className(): string {
    return 'LocalStream';
  }

  protected currentAudioTrack(): MediaStreamTrack | null {
    if (this.audioTrack_ && this.audioGraph && this.needsAudioProcessing()) return this.audioGraph.track();
    return this.audioTrack_;
  }

  /** Whether the published audio must go through the graph (else the raw microphone track is sent). */
  private needsAudioProcessing(): boolean {
    return this.captureVolume !== 100 || this.audioInsert !== undefined;
  }

  /** The audio graph (capture stage in the AudioWorklet), created on first use. */
  private ensureAudioGraph(): Promise<LocalAudioGraph> {
    if (!this.audioGraphPromise) {
      const promise: Promise<LocalAudioGraph> = LocalAudioGraph.create(this.audioTrack_, this.captureVolume / 100).then(
        (graph) => {
          if (this.audioGraphPromise !== promise) {
            graph.dispose(); // closed (and maybe initialized again) meanwhile
            throw invalidOperation('LocalStream', 'the stream was closed');
          }
          this.audioGraph = graph;
          graph.setMic(this.audioTrack_);
          graph.capture.setGain(this.captureVolume / 100);
          graph.setInsert(this.audioInsert?.insert);
          this.rerouteAudio();
          return graph;
        },
      );
      this.audioGraphPromise = promise;
      promise.catch((e: unknown) => log.warn('the audio graph could not be created', e));
    }
    return this.audioGraphPromise;
  }

  /** The published/played audio track may have changed (raw ↔ processed): tell the publisher and player. */
  private async audioRoutingChanged(): Promise<void> {
    const track = this.currentAudioTrack();
    if (track === this.routedAudio) return;
    this.routedAudio = track;
    await this.sendCurrent('audio');
  }

  /** Tells the publisher and the player which track of `kind` goes out now (raw or processed). */
  private async sendCurrent(kind: 'audio' | 'video'): Promise<void> {
    await this.binding?.trackChanged(kind, kind === 'audio' ? this.currentAudioTrack() : this.currentVideoTrack());
    await this.updatePlayer();
  }
  private routedAudio: MediaStreamTrack | null = null;

  private rerouteAudio(): void {
    this.audioRoutingChanged().catch((e: unknown) => log.warn('switching the published audio track failed', e));
  }

  /** The microphone level (0–1) after the capture volume, measured in the AudioWorklet. */
  override getAudioLevel(): number {
    if (!this.audioTrack_ || this.audioTrack_.readyState === 'ended') return 0;
    if (!this.audioGraph) {
      void this.ensureAudioGraph().catch(() => undefined);
      return 0;
    }
    return this.audioGraph.capture.level();
  }

  /**
   * @internal Puts a plugin's audio stage (the AudioMixer) between the capture stage and what is
   * published, or removes it (undefined). Resolves once the published track carries it.
   */
  async setAudioInsert(insert: AudioInsert, owner: object): Promise<void> {
    if (!this.audioTrack_) throw invalidOperation('LocalStream', 'the stream has no audio track to mix into');
    this.audioInsert = { insert, owner };
    const graph = await this.ensureAudioGraph();
    if (this.audioInsert?.owner !== owner) return; // replaced or cleared meanwhile
    graph.setInsert(insert);
    await this.audioRoutingChanged();
  }

  /** @internal Removes the insert set by `owner` (nothing if another owner's insert is in place). */
  async clearAudioInsert(owner: object): Promise<void> {
    if (this.audioInsert?.owner !== owner) return;
    this.audioInsert = undefined;
    this.audioGraph?.setInsert(undefined);
    await this.audioRoutingChanged();
  }

  /** @internal The publisher stopped sending this stream: plugins that mix into it stop. */
  unpublished(): void {
    for (const [name, p] of this.plugins) {
      try {
        p.onUnpublish?.();
      } catch (e) {
        log.warn(`plugin ${name}: onUnpublish failed`, e);
      }
    }
  }

  protected currentVideoTrack(): MediaStreamTrack | null {
    if (this.videoTrack_ && this.videoInsert) return this.videoInsert.insert.track;
    return this.videoTrack_;
  }

  /**
   * @internal Publishes and previews a plugin's processed video (the Beauty plugin) instead of the
   * camera track; the plugin reads the camera itself. Resolves once the publisher sends it
   * (replaceTrack: no renegotiation).
   */
  async setVideoInsert(insert: VideoInsert, owner: object): Promise<void> {
    if (!this.videoTrack_) throw invalidOperation('LocalStream', 'the stream has no video track to process');
    this.videoInsert = { insert, owner };
    insert.setSource(this.videoTrack_); // the camera may have changed while the plugin was starting
    insert.track.enabled = !this.videoMuted_;
    await this.sendCurrent('video');
  }

  /** @internal Goes back to the camera track, if `owner` set the current video insert. */
  async clearVideoInsert(owner: object): Promise<void> {
    if (this.videoInsert?.owner !== owner) return;
    this.videoInsert = undefined;
    await this.sendCurrent('video');
  }

  /** @internal The camera (or custom) video track, before any plugin processing. */
  sourceVideoTrack(): MediaStreamTrack | null {
    return this.videoTrack_;
  }

  protected defaultPlayOptions(): Required<PlayOptions> {
    const screen = this.videoSource_ === 'screen';
    return { objectFit: screen ? 'contain' : 'cover', muted: true, mirror: !screen && (this.config.mirror ?? true) };
  }

  protected override checkPlayable(where: string): void {
    if (!this.initialized) throw invalidOperation(where, 'call initialize() first');
  }

  /** @internal Whether the stream is a screen share (published as the auxiliary stream by default). */
  isScreen(): boolean {
    return this.videoSource_ === 'screen';
  }

  /** @internal The profile the video encoder uses. */
  encoderProfile(): VideoProfile {
    return this.videoSource_ === 'screen' ? this.screenProfile_ : this.videoProfile_;
  }

  /** @internal The audio profile (bitrate). */
  audioProfile(): AudioProfile {
    return this.audioProfile_;
  }

  /** @internal Mute states for publishing. */
  muteState(): { audioMuted: boolean; videoMuted: boolean } {
    return { audioMuted: this.audioMuted_, videoMuted: this.videoMuted_ };
  }

  /** @internal Whether initialize() has completed. */
  isInitialized(): boolean {
    return this.initialized;
  }

  /**
   * Captures the microphone/camera (or the screen, or takes the custom tracks). Rejects with
   * DEVICE_NOT_FOUND when a requested device does not exist, and INITIALIZE_FAILED otherwise; the
   * error's `name` is the browser's (`NotAllowedError` when the user denied access,
   * `NotReadableError` when another app holds the device, `OverconstrainedError` for a bad deviceId).
   */
  async initialize(): Promise<void> {
    if (this.initialized || this.initializing) {
      throw invalidOperation('LocalStream.initialize', 'the stream is already initialized');
    }
    this.initializing = true;
    try {
      const c = this.config;
      if (c.screen) {
        await this.captureScreen();
        if (c.audio) await this.captureDevices(true, false);
      } else {
        if (c.audioSource) this.audioTrack_ = c.audioSource;
        if (c.videoSource) this.videoTrack_ = c.videoSource;
        const wantAudio = !!c.audio && !c.audioSource;
        const wantVideo = !!c.video && !c.videoSource;
        if (wantAudio || wantVideo) await this.captureDevices(wantAudio, wantVideo);
      }
      this.initialized = true;
      log.info(`LocalStream ${this.id_} initialized: audio ${!!this.audioTrack_}, video ${!!this.videoTrack_}`);
    } finally {
      this.initializing = false;
    }
  }

  private audioConstraints(deviceId?: string): MediaTrackConstraints {
    const c = this.config;
    const p = this.audioProfile_;
    return {
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      sampleRate: p.sampleRate,
      channelCount: p.channelCount,
      echoCancellation: c.echoCancellation ?? true,
      autoGainControl: c.autoGainControl ?? true,
      noiseSuppression: c.noiseSuppression ?? true,
    };
  }

  private videoConstraints(deviceId?: string): MediaTrackConstraints {
    const p = this.videoProfile_;
    const c = this.config;
    return {
      ...(deviceId ? { deviceId: { exact: deviceId } } : c.facingMode ? { facingMode: c.facingMode } : {}),
      width: { ideal: p.width },
      height: { ideal: p.height },
      frameRate: { ideal: p.frameRate },
    };
  }

  private async captureDevices(audio: boolean, video: boolean): Promise<void> {
    const md = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
    if (!md?.getUserMedia) {
      throw new RtcError({
        code: ErrorCode.NOT_SUPPORTED,
        message: 'this browser cannot capture the camera or microphone (needs HTTPS or http://localhost)',
      });
    }
    let ms: MediaStream;
    try {
      ms = await md.getUserMedia({
        audio: audio ? this.audioConstraints(this.config.microphoneId) : false,
        video: video ? this.videoConstraints(this.config.cameraId) : false,
      });
    } catch (e) {
      throw captureError(e, audio, video);
    }
    const a = ms.getAudioTracks()[0];
    const v = ms.getVideoTracks()[0];
    if (a) this.setTrack('audio', a);
    if (v) this.setTrack('video', v);
  }

  private async captureScreen(): Promise<void> {
    const md = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
    if (!md?.getDisplayMedia) {
      throw new RtcError({ code: ErrorCode.NOT_SUPPORTED, message: 'this browser cannot share the screen' });
    }
    const p = this.screenProfile_;
    let ms: MediaStream;
    try {
      ms = await md.getDisplayMedia({
        video: {
          width: { ideal: p.width, max: p.width },
          height: { ideal: p.height, max: p.height },
          frameRate: p.frameRate,
        },
        audio: this.config.screenAudio
          ? { echoCancellation: true, autoGainControl: false, noiseSuppression: false }
          : false,
        // Chromium's hints: prefer the whole screen, allow this tab and switching surfaces.
        ...({ selfBrowserSurface: 'include', surfaceSwitching: 'include' } as Record<string, string>),
      } as DisplayMediaStreamOptions);
    } catch (e) {
      throw captureError(e, !!this.config.screenAudio, true, true);
    }
    const v = ms.getVideoTracks()[0];
    const a = ms.getAudioTracks()[0];
    if (v) {
      this.setTrack('video', v);
      v.addEventListener('ended', () => this.emit('screen-sharing-stopped', undefined), { once: true });
    }
    if (a) this.setTrack('audio', a);
  }

  /** Installs a track of `kind`, watching camera/microphone tracks for unplugging. */
  private setTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): void {
    const old = kind === 'audio' ? this.audioTrack_ : this.videoTrack_;
    if (old) {
      const fn = this.onEnded.get(old);
      if (fn) old.removeEventListener('ended', fn);
      this.onEnded.delete(old);
    }
    if (kind === 'audio') this.audioTrack_ = track;
    else this.videoTrack_ = track;
    if (!track) return;
    const muted = kind === 'audio' ? this.audioMuted_ : this.videoMuted_;
    if (muted) track.enabled = false;
    if (this.sourceOf(kind) === 'capture') {
      const fn = () => void this.recover(kind);
      track.addEventListener('ended', fn);
      this.onEnded.set(track, fn);
    }
  }

  private sourceOf(kind: 'audio' | 'video'): Source {
    return kind === 'audio' ? this.audioSource_ : this.videoSource_;
  }

  /** Recaptures an unplugged camera/microphone: the same device if it comes back, else the default. */
  private async recover(kind: 'audio' | 'video'): Promise<void> {
    if (this.recovering.has(kind) || !this.initialized) return;
    this.recovering.add(kind);
    const old = kind === 'audio' ? this.audioTrack_ : this.videoTrack_;
    const deviceId = old?.getSettings().deviceId;
    log.warn(`LocalStream ${this.id_}: the ${kind === 'audio' ? 'microphone' : 'camera'} stopped; recapturing`);
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        await new Promise((r) => setTimeout(r, attempt === 0 ? 200 : 1000));
        if (!this.initialized) return;
        try {
          const base = kind === 'audio' ? this.audioConstraints() : this.videoConstraints();
          const constraints = { ...base, ...(deviceId ? { deviceId: { ideal: deviceId } } : {}) };
          const ms = await navigator.mediaDevices.getUserMedia(
            kind === 'audio' ? { audio: constraints } : { video: constraints },
          );
          const track = kind === 'audio' ? ms.getAudioTracks()[0] : ms.getVideoTracks()[0];
          if (!track) continue;
          await this.swapTrack(kind, track);
          const settings = track.getSettings();
          this.emit('device-auto-recovered', {
            isCamera: kind === 'video',
            isMicrophone: kind === 'audio',
            cameraId: kind === 'video' ? (settings.deviceId ?? '') : '',
            microphoneId: kind === 'audio' ? (settings.deviceId ?? '') : '',
          });
          return;
        } catch (e) {
          log.warn(`recapture attempt ${attempt + 1} failed`, e);
        }
      }
      this.emit(
        'error',
        new RtcError({
          code: ErrorCode.DEVICE_AUTO_RECOVER_FAILED,
          message: `the ${kind === 'audio' ? 'microphone' : 'camera'} could not be recaptured: check that it is plugged in and not used by another app, then call switchDevice() or initialize a new stream`,
        }),
      );
    } finally {
      this.recovering.delete(kind);
    }
  }

  /** Replaces the track of `kind` everywhere (player, publisher) and stops the old one. */
  private async swapTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null, stopOld = true): Promise<void> {
    const old = kind === 'audio' ? this.audioTrack_ : this.videoTrack_;
    this.setTrack(kind, track);
    if (kind === 'audio') {
      this.audioGraph?.setMic(track);
      if (track) track.enabled = !this.audioMuted_;
      this.routedAudio = this.currentAudioTrack();
    } else {
      this.videoInsert?.insert.setSource(track);
    }
    await this.sendCurrent(kind);
    if (stopOld && old && old !== track) old.stop();
  }

  /** Sets the audio profile (`standard`, `standard-stereo`, `high`, `high-stereo`). Before initialize(). */
  setAudioProfile(profile: AudioProfileString): void {
    const where = 'LocalStream.setAudioProfile';
    checkOneOf(where, 'profile', profile, Object.keys(AUDIO_PROFILES) as AudioProfileString[], false);
    if (this.initialized) throw invalidOperation(where, 'call it before initialize()');
    this.audioProfile_ = AUDIO_PROFILES[profile];
  }

  /**
   * Sets the video profile: a preset (`120p` … `4K`, default `480p_2`) or `{width, height, frameRate,
   * bitrate}`. Before initialize() it sets the capture size; afterwards it also changes the camera and
   * the encoder of a published stream.
   */
  async setVideoProfile(profile: VideoProfileString | VideoProfile): Promise<void> {
    this.videoProfile_ = parseVideoProfile('LocalStream.setVideoProfile', profile, VIDEO_PROFILES);
    if (this.initialized && this.videoTrack_ && this.videoSource_ === 'capture') {
      await this.videoTrack_.applyConstraints(this.videoConstraints()).catch((e) => log.warn('applyConstraints', e));
    }
    this.binding?.profileChanged();
  }

  /** Sets the screen-sharing profile (`480p` … `1080p_2`, default `1080p`, or an object). Before initialize(). */
  setScreenProfile(profile: ScreenProfileString | VideoProfile): void {
    const where = 'LocalStream.setScreenProfile';
    const p = parseVideoProfile(where, profile, SCREEN_PROFILES);
    if (this.initialized) throw invalidOperation(where, 'call it before initialize()');
    this.screenProfile_ = p;
  }

  /** Tells the encoder what the video shows: `motion`, `detail` or `text`. After initialize(). */
  setVideoContentHint(hint: 'motion' | 'detail' | 'text'): void {
    const where = 'LocalStream.setVideoContentHint';
    checkOneOf(where, 'hint', hint, ['motion', 'detail', 'text'], false);
    if (!this.videoTrack_) throw invalidOperation(where, 'the stream has no video track: call initialize() first');
    this.videoTrack_.contentHint = hint;
  }

  /** Switches the camera (`'video'`) or microphone (`'audio'`) to the device `deviceId`. */
  async switchDevice(type: 'audio' | 'video', deviceId: string): Promise<void> {
    const where = 'LocalStream.switchDevice';
    checkOneOf(where, 'type', type, ['audio', 'video'], false);
    checkString(where, 'deviceId', deviceId);
    if (!this.initialized) throw invalidOperation(where, 'call initialize() first');
    if (this.sourceOf(type) !== 'capture' || (type === 'video' && this.config.screen)) {
      throw invalidOperation(where, `the ${type} of this stream is not captured from a device`);
    }
    const current = type === 'audio' ? this.audioTrack_ : this.videoTrack_;
    if (!current) throw invalidOperation(where, `the stream has no ${type} track`);
    if (current.getSettings().deviceId === deviceId) return;
    // Some devices (and browsers) cannot open a second capture of the same kind: stop the old first.
    current.stop();
    let ms: MediaStream;
    try {
      const constraints = type === 'audio' ? this.audioConstraints(deviceId) : this.videoConstraints(deviceId);
      ms = await navigator.mediaDevices.getUserMedia(
        type === 'audio' ? { audio: constraints } : { video: constraints },
      );
    } catch (e) {
      // The old device is already stopped: get it (or the default) back, as after an unplug.
      void this.recover(type);
      throw captureError(e, type === 'audio', type === 'video');
    }
    const track = type === 'audio' ? ms.getAudioTracks()[0] : ms.getVideoTracks()[0];
    if (type === 'audio') this.config.microphoneId = deviceId;
    else this.config.cameraId = deviceId;
    await this.swapTrack(type, track ?? null);
  }

  /** Adds an audio or video track the stream does not have yet. */
  async addTrack(track: MediaStreamTrack): Promise<void> {
    const where = 'LocalStream.addTrack';
    checkTrack(where, track);
    const kind = track.kind as 'audio' | 'video';
    if ((kind === 'audio' ? this.audioTrack_ : this.videoTrack_) !== null) {
      throw invalidOperation(where, `the stream already has a ${kind} track: use replaceTrack()`);
    }
    if (kind === 'audio') this.audioSource_ = 'custom';
    else this.videoSource_ = 'custom';
    this.initialized = true;
    await this.swapTrack(kind, track, false);
  }

  /** Removes the video track (audio cannot be removed: use muteAudio()). The track is not stopped. */
  async removeTrack(track: MediaStreamTrack): Promise<void> {
    const where = 'LocalStream.removeTrack';
    checkTrack(where, track);
    if (track.kind === 'audio') throw invalidOperation(where, 'an audio track cannot be removed: use muteAudio()');
    if (track !== this.videoTrack_) throw invalidParameter(where, 'the track is not the video track of this stream');
    await this.swapTrack('video', null, false);
  }

  /** Replaces the audio or video track with `track` (same kind). The old track is stopped. */
  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    const where = 'LocalStream.replaceTrack';
    checkTrack(where, track);
    const kind = track.kind as 'audio' | 'video';
    if ((kind === 'audio' ? this.audioTrack_ : this.videoTrack_) === null) {
      throw invalidOperation(where, `the stream has no ${kind} track: use addTrack()`);
    }
    // The app's own track: if it ends, the SDK does not recapture a device in its place.
    if (kind === 'audio') this.audioSource_ = 'custom';
    else this.videoSource_ = 'custom';
    await this.swapTrack(kind, track);
  }

  /** Mutes the microphone: silence is sent and others get `mute-audio`. False if there is no audio. */
  muteAudio(): boolean {
    return this.setMuted('audio', true);
  }

  /** Mutes the camera: black frames are sent and others get `mute-video`. False if there is no video. */
  muteVideo(): boolean {
    return this.setMuted('video', true);
  }

  /** Unmutes the microphone. False if there is no audio. */
  unmuteAudio(): boolean {
    return this.setMuted('audio', false);
  }

  /** Unmutes the camera. False if there is no video. */
  unmuteVideo(): boolean {
    return this.setMuted('video', false);
  }

  private setMuted(kind: 'audio' | 'video', muted: boolean): boolean {
    const track = kind === 'audio' ? this.audioTrack_ : this.videoTrack_;
    if (!track) return false;
    // The microphone track itself: a processed track stays enabled, so plugin audio (background
    // music) keeps going out while the microphone is muted.
    track.enabled = !muted;
    if (kind === 'audio') this.audioMuted_ = muted;
    else this.videoMuted_ = muted;
    // A processed video track goes black too (its frames come from the camera's disabled track,
    // but the sender should send black frames at once, as with the camera).
    if (kind === 'video' && this.videoInsert) this.videoInsert.insert.track.enabled = !muted;
    this.binding?.muteChanged(kind, muted);
    return true;
  }

  /**
   * Sets the microphone capture volume: 100 is unchanged, 0 silent, above 100 louder (e.g. 200 =
   * twice). Returns false if the stream has no audio.
   */
  setAudioCaptureVolume(volume: number): boolean {
    checkNumber('LocalStream.setAudioCaptureVolume', 'volume', volume, { min: 0, max: 1000 });
    this.captureVolume = volume;
    if (!this.audioTrack_) return false;
    if (this.audioGraph) {
      this.audioGraph.capture.setGain(volume / 100);
      this.rerouteAudio();
    } else if (volume !== 100) {
      void this.ensureAudioGraph().catch(() => undefined);
    }
    return true;
  }

  private plugin(where: string, name: unknown): { name: string; running: PluginInstance | undefined } {
    checkString(where, 'name', name);
    const n = name as string;
    if (!findPlugin(n))
      throw invalidParameter(where, `no plugin ${show(n)} is registered: call TRTC.registerPlugin() first`);
    return { name: n, running: this.plugins.get(n) };
  }

  /** Starts a registered plugin (e.g. `'Beauty'`) on this stream. */
  async startPlugin(name: string, options?: unknown): Promise<void> {
    const where = 'LocalStream.startPlugin';
    const { running } = this.plugin(where, name);
    const Plugin = findPlugin(name)!;
    if (running && Plugin.multipleStarts) {
      await running.start(options);
      return;
    }
    if (running) throw invalidOperation(where, `${name} is already started: use updatePlugin()`);
    if (!this.initialized) throw invalidOperation(where, 'call initialize() first');
    const instance = new Plugin({ stream: this, RtcError, ErrorCode, log });
    // Registered before start() resolves, so that stopPlugin(), updatePlugin() and close() during
    // a slow start (e.g. loading a file) reach it.
    this.plugins.set(name, instance);
    try {
      await instance.start(options);
    } catch (e) {
      if (this.plugins.get(name) === instance) this.plugins.delete(name);
      await Promise.resolve()
        .then(() => instance.stop())
        .catch(() => undefined);
      throw e;
    }
  }

  /** Changes the options of a started plugin. */
  async updatePlugin(name: string, options?: unknown): Promise<void> {
    const where = 'LocalStream.updatePlugin';
    const { running } = this.plugin(where, name);
    if (!running) throw invalidOperation(where, `${name} is not started: call startPlugin() first`);
    await running.update(options);
  }

  /** Stops a started plugin. */
  async stopPlugin(name: string, options?: unknown): Promise<void> {
    const where = 'LocalStream.stopPlugin';
    const { running } = this.plugin(where, name);
    if (!running) return;
    this.plugins.delete(name);
    await running.stop(options);
  }

  /** Stops capture and playback. Unpublish first if the stream is published. */
  close(): void {
    for (const [name, p] of [...this.plugins]) {
      this.plugins.delete(name);
      void Promise.resolve()
        .then(() => p.stop())
        .catch((e) => log.warn(`stopping plugin ${name} failed`, e));
    }
    this.stop();
    this.disposeMeter();
    this.audioGraph?.dispose();
    this.audioGraph = undefined;
    this.audioGraphPromise = undefined;
    this.audioInsert = undefined;
    this.videoInsert = undefined;
    for (const kind of ['audio', 'video'] as const) {
      const t = kind === 'audio' ? this.audioTrack_ : this.videoTrack_;
      if (t && this.sourceOf(kind) !== 'custom') t.stop();
      this.setTrack(kind, null);
    }
    this.initialized = false;
  }
}

function checkTrack(where: string, track: unknown): asserts track is MediaStreamTrack {
  if (typeof MediaStreamTrack === 'undefined' || !(track instanceof MediaStreamTrack)) {
    throw invalidParameter(where, `\`track\` must be a MediaStreamTrack, got ${show(track)}`);
  }
  if (track.readyState === 'ended') throw invalidParameter(where, 'the track has ended');
}

function parseVideoProfile<K extends string>(
  where: string,
  profile: unknown,
  table: Record<K, VideoProfile>,
): VideoProfile {
  if (typeof profile === 'string') {
    if (!(profile in table)) {
      throw invalidParameter(
        where,
        `unknown profile ${show(profile)}: use one of ${Object.keys(table).join(', ')} or {width, height, frameRate, bitrate}`,
      );
    }
    return table[profile as K];
  }
  checkObject(where, 'profile', profile);
  checkNumber(where, 'profile.width', profile.width, { integer: true, min: 16, max: 7680 });
  checkNumber(where, 'profile.height', profile.height, { integer: true, min: 16, max: 4320 });
  checkNumber(where, 'profile.frameRate', profile.frameRate, { min: 1, max: 60 });
  checkNumber(where, 'profile.bitrate', profile.bitrate, { min: 10, max: 20000 });
  return {
    width: profile.width as number,
    height: profile.height as number,
    frameRate: profile.frameRate as number,
    bitrate: profile.bitrate as number,
  };
}

const ADVICE: Record<string, string> = {
  NotAllowedError: 'the user or the browser denied access: ask the user to allow the camera/microphone for this site',
  NotFoundError:
    'no such device: check that a camera/microphone is connected (TRTC.getCameras(), TRTC.getMicrophones())',
  NotReadableError: 'the device is in use or failed: close other apps that use the camera/microphone and try again',
  OverconstrainedError: 'the requested device or resolution is not available: check cameraId/microphoneId',
  AbortError: 'the device could not be opened: test the devices and try again',
  SecurityError: 'capture is not allowed on this page: use HTTPS or http://localhost',
  TypeError: 'capture is not allowed here: use HTTPS or http://localhost',
};

/** Maps a getUserMedia/getDisplayMedia failure to an RtcError that keeps the browser's error name. */
export function captureError(e: unknown, audio: boolean, video: boolean, screen = false): RtcError {
  const name = (e as { name?: string })?.name ?? 'Error';
  const what = screen ? 'screen' : [audio && 'microphone', video && 'camera'].filter(Boolean).join(' and ');
  const advice = ADVICE[name] ?? 'capture failed';
  const code = name === 'NotFoundError' ? ErrorCode.DEVICE_NOT_FOUND : ErrorCode.INITIALIZE_FAILED;
  return new RtcError({ code, name, message: `${name}: cannot capture the ${what}: ${advice}`, cause: e });
}

/** Validates `createStream()` options (TRTC v4's rules). */
export function checkStreamConfig(config: unknown): asserts config is StreamConfig {
  const where = 'TRTC.createStream';
  checkObject(where, 'config', config);
  const c = config as StreamConfig;
  checkString(where, 'userId', c.userId, { optional: true, nonEmpty: false, maxBytes: 128 });
  for (const k of [
    'audio',
    'video',
    'screen',
    'screenAudio',
    'mirror',
    'echoCancellation',
    'autoGainControl',
    'noiseSuppression',
  ] as const) {
    checkBoolean(where, k, c[k]);
  }
  checkString(where, 'microphoneId', c.microphoneId, { optional: true });
  checkString(where, 'cameraId', c.cameraId, { optional: true });
  checkOneOf(where, 'facingMode', c.facingMode, ['user', 'environment']);
  for (const k of ['audioSource', 'videoSource'] as const) {
    const t = c[k];
    if (t === undefined) continue;
    if (typeof MediaStreamTrack === 'undefined' || !(t instanceof MediaStreamTrack)) {
      throw invalidParameter(where, `\`${k}\` must be a MediaStreamTrack, got ${show(t)}`);
    }
    if (t.kind !== (k === 'audioSource' ? 'audio' : 'video')) {
      throw invalidParameter(where, `\`${k}\` must be a${k === 'audioSource' ? 'n audio' : ' video'} track`);
    }
  }
  if (c.screen && c.video) throw invalidParameter(where, '`screen` and `video` cannot both be true: use two streams');
  if (c.screenAudio && !c.screen) throw invalidParameter(where, '`screenAudio` needs `screen: true`');
  if (c.screenAudio && c.audio) throw invalidParameter(where, '`screenAudio` and `audio` cannot both be true');
  if (!c.audio && !c.video && !c.audioSource && !c.videoSource && !c.screen) {
    throw invalidParameter(
      where,
      'ask for something to capture: audio, video or screen true, or audioSource/videoSource tracks',
    );
  }
}
