// Plays a stream into a page element: a <video> for the picture (always muted) and an <audio> for
// the sound, in a container div created inside the app's element.
import { ErrorCode, RtcError } from '../errors';
import { log } from '../common/logger';

export type ObjectFit = 'contain' | 'cover' | 'fill' | 'none' | 'scale-down';

/** Options of `stream.play()`. */
export interface PlayOptions {
  /** How the video fills the element (CSS object-fit). Default `cover`; `contain` for screen sharing. */
  objectFit?: ObjectFit;
  /** Do not play the audio. Default true for a local stream (no echo of yourself), false for a remote one. */
  muted?: boolean;
  /** Mirror the video horizontally. Default true for a local camera stream, false otherwise. */
  mirror?: boolean;
}

export type PlayerState = 'PLAYING' | 'PAUSED' | 'STOPPED';
export type PlayerStateReason = 'playing' | 'mute' | 'unmute' | 'ended' | 'pause';

/** Payload of the stream event `player-state-changed`. */
export interface PlayerStateChangedEvent {
  type: 'audio' | 'video';
  state: PlayerState;
  reason: PlayerStateReason;
}

export class StreamPlayer {
  readonly container: HTMLDivElement;
  private video?: HTMLVideoElement;
  private audio?: HTMLAudioElement;
  private audioTrack: MediaStreamTrack | null = null;
  private videoTrack: MediaStreamTrack | null = null;
  private volume = 1;
  private sinkId?: string;
  private readonly cleanups: Record<'audio' | 'video', (() => void)[]> = { audio: [], video: [] };

  constructor(
    private readonly id: string,
    parent: HTMLElement,
    private readonly options: Required<PlayOptions>,
    private readonly onState: (e: PlayerStateChangedEvent) => void,
  ) {
    this.container = document.createElement('div');
    this.container.id = `player_${id}`;
    this.container.style.cssText = 'width:100%;height:100%;position:relative;overflow:hidden;background-color:#000';
    parent.append(this.container);
  }

  /** Sets the tracks to play (null removes one) and plays them. Rejects with PLAY_NOT_ALLOWED. */
  async setTracks(audio: MediaStreamTrack | null, video: MediaStreamTrack | null): Promise<void> {
    const jobs: Promise<void>[] = [];
    if (video !== this.videoTrack) {
      this.videoTrack = video;
      if (video) jobs.push(this.playVideo(video));
      else this.removeVideo();
    }
    const wantAudio = this.options.muted ? null : audio;
    if (wantAudio !== this.audioTrack) {
      this.audioTrack = wantAudio;
      if (wantAudio) jobs.push(this.playAudio(wantAudio));
      else this.removeAudio();
    }
    await this.settle(jobs);
  }

  /** Plays again what the browser paused or blocked. */
  async resume(): Promise<void> {
    const jobs: Promise<void>[] = [];
    if (this.video && this.video.paused) jobs.push(this.start(this.video));
    if (this.audio && this.audio.paused) jobs.push(this.start(this.audio));
    await this.settle(jobs);
  }

  isPaused(): boolean {
    return (this.video?.paused ?? false) || (this.audio?.paused ?? false);
  }

  setVolume(v: number): void {
    this.volume = v;
    if (this.audio) this.audio.volume = v;
  }

  async setAudioOutput(deviceId: string): Promise<void> {
    this.sinkId = deviceId;
    const a = this.audio as (HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }) | undefined;
    if (a?.setSinkId) await a.setSinkId(deviceId);
  }

  videoElement(): HTMLVideoElement | undefined {
    return this.video;
  }

  stop(): void {
    this.removeVideo();
    this.removeAudio();
    this.container.remove();
  }

  private async settle(jobs: Promise<void>[]): Promise<void> {
    const results = await Promise.allSettled(jobs);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async start(el: HTMLMediaElement): Promise<void> {
    try {
      await el.play();
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (name === 'NotAllowedError') {
        throw new RtcError({
          code: ErrorCode.PLAY_NOT_ALLOWED,
          message: 'the browser blocked autoplay: call stream.resume() from a user gesture (a click)',
          cause: e,
        });
      }
      if (name === 'AbortError') return; // replaced by a newer play()
      throw new RtcError({ code: ErrorCode.UNKNOWN, message: `playback failed: ${String(e)}`, cause: e });
    }
  }

  private unwatch(type: 'audio' | 'video'): void {
    for (const c of this.cleanups[type].splice(0)) c();
  }

  private watch(type: 'audio' | 'video', el: HTMLMediaElement, track: MediaStreamTrack): void {
    this.unwatch(type);
    const on = (t: EventTarget, ev: string, fn: () => void) => {
      t.addEventListener(ev, fn);
      this.cleanups[type].push(() => t.removeEventListener(ev, fn));
    };
    on(el, 'playing', () => this.onState({ type, state: 'PLAYING', reason: 'playing' }));
    on(el, 'pause', () => this.onState({ type, state: 'PAUSED', reason: 'pause' }));
    on(track, 'mute', () => this.onState({ type, state: 'PAUSED', reason: 'mute' }));
    on(track, 'unmute', () => this.onState({ type, state: 'PLAYING', reason: 'unmute' }));
    on(track, 'ended', () => this.onState({ type, state: 'STOPPED', reason: 'ended' }));
  }

  private playVideo(track: MediaStreamTrack): Promise<void> {
    if (!this.video) {
      const v = document.createElement('video');
      v.id = `video_${this.id}`;
      v.autoplay = true;
      v.muted = true;
      v.playsInline = true;
      v.setAttribute('playsinline', '');
      v.style.cssText = `width:100%;height:100%;position:absolute;left:0;top:0;object-fit:${this.options.objectFit}`;
      if (this.options.mirror) v.style.transform = 'rotateY(180deg)';
      this.container.append(v);
      this.video = v;
    }
    this.video.srcObject = new MediaStream([track]);
    this.watch('video', this.video, track);
    return this.start(this.video);
  }

  private playAudio(track: MediaStreamTrack): Promise<void> {
    if (!this.audio) {
      const a = document.createElement('audio');
      a.id = `audio_${this.id}`;
      a.autoplay = true;
      a.volume = this.volume;
      this.container.append(a);
      this.audio = a;
      if (this.sinkId) void this.setAudioOutput(this.sinkId).catch((e) => log.warn('setSinkId failed', e));
    }
    this.audio.srcObject = new MediaStream([track]);
    this.watch('audio', this.audio, track);
    return this.start(this.audio);
  }

  private removeVideo(): void {
    if (!this.video) return;
    this.unwatch('video');
    this.video.srcObject = null;
    this.video.remove();
    this.video = undefined;
    this.onState({ type: 'video', state: 'STOPPED', reason: 'ended' });
  }

  private removeAudio(): void {
    if (!this.audio) return;
    this.unwatch('audio');
    this.audio.srcObject = null;
    this.audio.remove();
    this.audio = undefined;
    this.onState({ type: 'audio', state: 'STOPPED', reason: 'ended' });
  }
}
