// A remote user's published stream, announced by the client's `stream-added` event.
import { Stream } from './stream';
import type { PlayOptions } from './player';

/** `'main'` (camera/microphone) or `'auxiliary'` (screen sharing). */
export type RemoteStreamType = 'main' | 'auxiliary';

/** @internal What the room server announced about a stream. */
export interface RemoteStreamInfo {
  hasAudio: boolean;
  hasVideo: boolean;
  hasSmall: boolean;
  audioMuted: boolean;
  videoMuted: boolean;
}

/**
 * A remote stream. Subscribe with `client.subscribe(stream)` (automatic by default), then
 * {@link play} it after `stream-subscribed`.
 */
export class RemoteStream extends Stream {
  private audioTrack_: MediaStreamTrack | null = null;
  private videoTrack_: MediaStreamTrack | null = null;
  private localAudioMuted = false;
  private localVideoMuted = false;
  /** @internal */
  info: RemoteStreamInfo;

  /** @internal Created by the client. */
  constructor(
    userId: string,
    private readonly type_: RemoteStreamType,
    info: RemoteStreamInfo,
  ) {
    super(userId);
    this.info = { ...info };
  }

  protected className(): string {
    return 'RemoteStream';
  }

  protected currentAudioTrack(): MediaStreamTrack | null {
    return this.audioTrack_;
  }

  protected currentVideoTrack(): MediaStreamTrack | null {
    return this.videoTrack_;
  }

  protected defaultPlayOptions(): Required<PlayOptions> {
    return { objectFit: this.type_ === 'auxiliary' ? 'contain' : 'cover', muted: false, mirror: false };
  }

  /** `'main'` for camera/microphone, `'auxiliary'` for screen sharing. */
  getType(): RemoteStreamType {
    return this.type_;
  }

  /** Whether the remote user publishes audio in this stream. */
  override hasAudio(): boolean {
    return this.info.hasAudio;
  }

  /** Whether the remote user publishes video in this stream. */
  override hasVideo(): boolean {
    return this.info.hasVideo;
  }

  /** Sets the playback volume, 0–1. */
  setAudioVolume(volume: number): void {
    this.setPlayVolume(volume, 'RemoteStream.setAudioVolume');
  }

  /** Stops playing the remote audio (locally only; returns false if there is no audio). */
  muteAudio(): boolean {
    return this.setLocalMute('audio', true);
  }

  /** Stops showing the remote video (locally only). */
  muteVideo(): boolean {
    return this.setLocalMute('video', true);
  }

  /** Plays the remote audio again. */
  unmuteAudio(): boolean {
    return this.setLocalMute('audio', false);
  }

  /** Shows the remote video again. */
  unmuteVideo(): boolean {
    return this.setLocalMute('video', false);
  }

  private setLocalMute(kind: 'audio' | 'video', muted: boolean): boolean {
    if (kind === 'audio') this.localAudioMuted = muted;
    else this.localVideoMuted = muted;
    const track = kind === 'audio' ? this.audioTrack_ : this.videoTrack_;
    if (track) track.enabled = !muted;
    return track !== null;
  }

  /** @internal The subscriber connection's tracks for this stream (null: not received). */
  setTracks(audio: MediaStreamTrack | null, video: MediaStreamTrack | null): void {
    if (audio === this.audioTrack_ && video === this.videoTrack_) return;
    this.audioTrack_ = audio;
    this.videoTrack_ = video;
    if (audio) audio.enabled = !this.localAudioMuted;
    if (video) video.enabled = !this.localVideoMuted;
    void this.updatePlayer();
  }

  /** @internal Whether tracks are attached (subscribed). */
  isReceiving(): boolean {
    return this.audioTrack_ !== null || this.videoTrack_ !== null;
  }

  /** Stops playback. To stop receiving, use `client.unsubscribe(stream)`. */
  close(): void {
    this.stop();
    this.disposeMeter();
  }
}
