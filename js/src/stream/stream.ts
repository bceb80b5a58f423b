// What local and remote streams share: playback, mute, tracks, audio level, video frame, events.
import { Emitter } from '../core/emitter';
import { ErrorCode, RtcError } from '../errors';
import { log } from '../common/logger';
import { TrackMeter } from '../audio/capture-node';
import {
  checkBoolean,
  checkNumber,
  checkOneOf,
  checkOptionalObject,
  checkString,
  invalidOperation,
  invalidParameter,
  show,
} from '../common/validate';
import { forgetAutoPlay, showAutoPlayDialog } from './autoplay-dialog';
import { StreamPlayer, type PlayOptions, type PlayerStateChangedEvent } from './player';
import type { ConnectionState } from '../signal/signal-channel';

export type { PlayOptions, PlayerStateChangedEvent, ObjectFit, PlayerState, PlayerStateReason } from './player';

/** Payload of the stream event `device-auto-recovered`. */
export interface DeviceAutoRecoveredEvent {
  isCamera: boolean;
  isMicrophone: boolean;
  cameraId: string;
  microphoneId: string;
}

/** Stream events (`stream.on(name, handler)`) and their payloads. */
export interface StreamEventMap {
  /** The audio or video player started, paused or stopped. */
  'player-state-changed': PlayerStateChangedEvent;
  /** A local screen-sharing stream ended (the user clicked "Stop sharing"). */
  'screen-sharing-stopped': undefined;
  /** The stream's PeerConnection changed state. */
  'connection-state-changed': { prevState: ConnectionState; state: ConnectionState };
  /** A camera or microphone that stopped (unplugged) was captured again. */
  'device-auto-recovered': DeviceAutoRecoveredEvent;
  /** An error on this stream, e.g. PLAY_NOT_ALLOWED or DEVICE_AUTO_RECOVER_FAILED. */
  error: RtcError;
}

let counter = 0;
function newId(): string {
  const rnd = Math.random().toString(36).slice(2, 10);
  return `${Date.now().toString(36)}${rnd}${(counter++).toString(36)}`;
}

/** The base of {@link LocalStream} and {@link RemoteStream}. */
export abstract class Stream extends Emitter<StreamEventMap> {
  protected readonly id_ = newId();
  protected userId_: string;
  protected player?: StreamPlayer;
  protected playVolume = 1;
  protected sinkId?: string;
  private meter?: TrackMeter;
  private connectionState_: ConnectionState = 'DISCONNECTED';
  private readonly resumeBlocked = () => this.resume();
  /** @internal Whether to show the built-in autoplay dialog (the client's `enableAutoPlayDialog`). */
  autoPlayDialog = true;

  protected constructor(userId: string) {
    super((e, event) => log.error(`a handler of stream event '${String(event)}' threw`, e));
    this.userId_ = userId;
  }

  /** The audio track that plays and is measured (may be null). */
  protected abstract currentAudioTrack(): MediaStreamTrack | null;
  /** The video track that plays (may be null). */
  protected abstract currentVideoTrack(): MediaStreamTrack | null;
  /** Defaults of `play()` options for this kind of stream. */
  protected abstract defaultPlayOptions(): Required<PlayOptions>;
  protected abstract className(): string;

  /**
   * Plays the stream in a page element (its id, or the element). Creates a `<div>` with a `<video>`
   * (and an `<audio>` for remote streams) inside it. Rejects with PLAY_NOT_ALLOWED (also emitted as
   * `error`) when the browser blocks autoplay: call {@link resume} from a user gesture.
   */
  async play(elementOrId: string | HTMLElement, options: PlayOptions = {}): Promise<void> {
    const where = `${this.className()}.play`;
    let parent: HTMLElement | null = null;
    if (typeof document === 'undefined') {
      throw new RtcError({
        code: ErrorCode.NOT_SUPPORTED,
        message: `${where}: playing needs a web page (no document here)`,
      });
    }
    if (typeof elementOrId === 'string') {
      checkString(where, 'elementOrId', elementOrId);
      parent = document.getElementById(elementOrId);
      if (!parent) throw invalidParameter(where, `no element with id ${show(elementOrId)} in the page`);
    } else if (typeof HTMLElement !== 'undefined' && elementOrId instanceof HTMLElement) {
      parent = elementOrId;
    } else {
      throw invalidParameter(where, `pass an element id or an HTMLElement, got ${show(elementOrId)}`);
    }
    checkOptionalObject(where, 'options', options);
    checkOneOf(where, 'options.objectFit', options.objectFit, ['contain', 'cover', 'fill', 'none', 'scale-down']);
    checkBoolean(where, 'options.muted', options.muted);
    checkBoolean(where, 'options.mirror', options.mirror);
    if (this.player) throw invalidOperation(where, 'the stream is already playing: call stop() first');
    this.checkPlayable(where);
    const opts = { ...this.defaultPlayOptions() };
    if (options.objectFit !== undefined) opts.objectFit = options.objectFit;
    if (options.muted !== undefined) opts.muted = options.muted;
    if (options.mirror !== undefined) opts.mirror = options.mirror;
    this.player = new StreamPlayer(this.id_, parent, opts, (e) => this.emit('player-state-changed', e));
    this.player.setVolume(this.playVolume);
    if (this.sinkId) await this.player.setAudioOutput(this.sinkId).catch(() => undefined);
    await this.updatePlayer(true);
  }

  /** Checks that the stream can play now (throws otherwise). */
  protected checkPlayable(_where: string): void {}

  /** Gives the player the current tracks; reports a blocked autoplay. */
  protected async updatePlayer(rethrow = false): Promise<void> {
    if (!this.player) return;
    try {
      await this.player.setTracks(this.currentAudioTrack(), this.currentVideoTrack());
    } catch (e) {
      this.onPlayError(e);
      if (rethrow) throw e;
    }
  }

  private onPlayError(e: unknown): void {
    if (e instanceof RtcError && e.getCode() === ErrorCode.PLAY_NOT_ALLOWED) {
      log.warn(`${this.className()} ${this.id_}: autoplay blocked`);
      this.emit('error', e);
      if (this.autoPlayDialog) showAutoPlayDialog(this.resumeBlocked);
    } else {
      log.error(`${this.className()} ${this.id_}: playback failed`, e);
    }
  }

  /** Stops playing and removes the player from the page. The stream itself stays usable. */
  stop(): void {
    forgetAutoPlay(this.resumeBlocked);
    this.player?.stop();
    this.player = undefined;
  }

  /**
   * Resumes playback after the browser blocked or paused it. Call it from a user gesture (a click)
   * after PLAY_NOT_ALLOWED.
   */
  async resume(): Promise<void> {
    if (!this.player) return;
    forgetAutoPlay(this.resumeBlocked);
    try {
      await this.player.resume();
    } catch (e) {
      this.onPlayError(e);
      throw e;
    }
  }

  /** Whether the stream is playing (an extension): false before play(), after stop(), and while autoplay is blocked. */
  isPlaying(): boolean {
    return this.player !== undefined && !this.player.isPaused();
  }

  /** Stops playback and releases the stream. */
  abstract close(): void;

  /** The stream's unique id. */
  getId(): string {
    return this.id_;
  }

  /** The id of the user the stream belongs to. */
  getUserId(): string {
    return this.userId_;
  }

  /** Sets the speaker (audio output device id from `TRTC.getSpeakers()`). */
  async setAudioOutput(deviceId: string): Promise<void> {
    checkString(`${this.className()}.setAudioOutput`, 'deviceId', deviceId);
    this.sinkId = deviceId;
    try {
      await this.player?.setAudioOutput(deviceId);
    } catch (e) {
      throw new RtcError({
        code: ErrorCode.INVALID_PARAMETER,
        message: `setAudioOutput: the browser refused speaker ${show(deviceId)}: ${String(e)}`,
        cause: e,
      });
    }
  }

  /**
   * The current audio level, 0–1: the RMS of the audio with a 300 ms release, measured in an
   * AudioWorklet by the WASM core (so a speaking indicator does not flicker between syllables).
   * 0 without audio, and for the first ~50 ms after the first call while the worklet starts.
   * Above about 0.1 someone is speaking. A remote stream is measured while it plays.
   */
  getAudioLevel(): number {
    const track = this.currentAudioTrack();
    if (!track || track.readyState === 'ended') return 0;
    try {
      if (!this.meter || this.meter.track !== track) {
        this.meter?.dispose();
        this.meter = new TrackMeter(track);
      }
      return track.enabled ? this.meter.level() : 0;
    } catch (e) {
      log.debug('getAudioLevel unavailable', e);
      return 0;
    }
  }

  protected disposeMeter(): void {
    this.meter?.dispose();
    this.meter = undefined;
  }

  /** Whether the stream has an audio track. */
  hasAudio(): boolean {
    return this.currentAudioTrack() !== null;
  }

  /** Whether the stream has a video track. */
  hasVideo(): boolean {
    return this.currentVideoTrack() !== null;
  }

  /** The audio track, or null. */
  getAudioTrack(): MediaStreamTrack | null {
    return this.currentAudioTrack();
  }

  /** The video track, or null. */
  getVideoTrack(): MediaStreamTrack | null {
    return this.currentVideoTrack();
  }

  /** The current video frame as a PNG data URL, or null when the stream is not playing video. */
  getVideoFrame(): string | null {
    const video = this.player?.videoElement();
    if (!video || video.videoWidth === 0) return null;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.drawImage(video, 0, 0);
    return canvas.toDataURL('image/png');
  }

  /** @internal Sets the playback volume (0–1). */
  protected setPlayVolume(volume: number, where: string): void {
    checkNumber(where, 'volume', volume, { min: 0, max: 1 });
    this.playVolume = volume;
    this.player?.setVolume(volume);
  }

  /** @internal Reports a PeerConnection state change of this stream. */
  setConnectionState(state: ConnectionState): void {
    if (state === this.connectionState_) return;
    const prevState = this.connectionState_;
    this.connectionState_ = state;
    this.emit('connection-state-changed', { prevState, state });
  }
}
