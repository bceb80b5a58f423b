// The profile tables of TRTC Web SDK v4 (trtc-js-sdk 4.15.22): video, screen and audio.

/** A video or screen profile: size in pixels, frames per second, bitrate in kbps. */
export interface VideoProfile {
  width: number;
  height: number;
  frameRate: number;
  bitrate: number;
}

/** An audio profile: sample rate in Hz, channels, bitrate in kbps. */
export interface AudioProfile {
  sampleRate: number;
  channelCount: number;
  bitrate: number;
}

const v = (width: number, height: number, frameRate: number, bitrate: number): VideoProfile => ({
  width,
  height,
  frameRate,
  bitrate,
});

/** `setVideoProfile` presets (default `480p_2`). */
export const VIDEO_PROFILES = {
  '120p': v(160, 120, 15, 200),
  '120p_2': v(160, 120, 15, 100),
  '180p': v(320, 180, 15, 350),
  '180p_2': v(320, 180, 15, 150),
  '240p': v(320, 240, 15, 400),
  '240p_2': v(320, 240, 15, 200),
  '360p': v(640, 360, 15, 800),
  '360p_2': v(640, 360, 15, 400),
  '480p': v(640, 480, 15, 900),
  '480p_2': v(640, 480, 15, 500),
  '720p': v(1280, 720, 15, 1500),
  '1080p': v(1920, 1080, 15, 2000),
  '1440p': v(2560, 1440, 30, 4860),
  '4K': v(3840, 2160, 30, 9000),
} as const satisfies Record<string, VideoProfile>;

/** `setScreenProfile` presets (default `1080p`). */
export const SCREEN_PROFILES = {
  '480p': v(640, 480, 5, 900),
  '480p_2': v(640, 480, 30, 1000),
  '720p': v(1280, 720, 5, 1200),
  '720p_2': v(1280, 720, 30, 3000),
  '1080p': v(1920, 1080, 5, 1600),
  '1080p_2': v(1920, 1080, 30, 4000),
} as const satisfies Record<string, VideoProfile>;

/** `setAudioProfile` presets (default `standard`). */
export const AUDIO_PROFILES = {
  standard: { sampleRate: 48000, channelCount: 1, bitrate: 40 },
  'standard-stereo': { sampleRate: 48000, channelCount: 2, bitrate: 64 },
  high: { sampleRate: 48000, channelCount: 1, bitrate: 128 },
  'high-stereo': { sampleRate: 48000, channelCount: 2, bitrate: 192 },
} as const satisfies Record<string, AudioProfile>;

export type VideoProfileString = keyof typeof VIDEO_PROFILES;
export type ScreenProfileString = keyof typeof SCREEN_PROFILES;
export type AudioProfileString = keyof typeof AUDIO_PROFILES;

/** The default small-stream profile of `client.setSmallStreamProfile`. */
export const DEFAULT_SMALL_PROFILE: VideoProfile = v(160, 120, 15, 100);
