// MediaStreamTrackProcessor / MediaStreamTrackGenerator ("insertable streams for raw media",
// Chromium) are not in TypeScript's DOM lib. Only what the Beauty plugin uses.
interface MediaStreamTrackProcessorInit {
  track: MediaStreamTrack;
  /** Frames queued before the oldest is dropped (Chromium): 1–2 keeps latency low. */
  maxBufferSize?: number;
}
declare class MediaStreamTrackProcessor {
  constructor(init: MediaStreamTrackProcessorInit);
  readonly readable: ReadableStream<VideoFrame>;
}
declare class MediaStreamTrackGenerator extends MediaStreamTrack {
  constructor(init: { kind: 'video' | 'audio' });
  readonly writable: WritableStream<VideoFrame>;
}
