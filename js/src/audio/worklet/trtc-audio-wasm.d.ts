// Hand-written types of the Embind module built from wasm/bindings/audio_worklet_bindings.cpp
// (single-file build, imported by the capture processor; Rollup resolves the module id to
// build/wasm/wasm/trtc-audio-worklet.js). Keep in step with the bindings.
declare module 'trtc-audio-wasm' {
  export interface CaptureStage {
    /** Float32Array view of a channel's buffer (maxFrames floats); null for a bad channel. */
    buffer(channel: number): Float32Array | null;
    process(frames: number, channels: number): void;
    setGain(gain: number): void;
    gain(): number;
    level(): number;
    volume(): number;
    maxFrames(): number;
    delete(): void;
  }
  export interface TrtcAudioModule {
    CaptureStage: new (sampleRate: number, channels: number, maxFrames: number) => CaptureStage;
    simdAvailable(): boolean;
  }
  const createTrtcAudio: (options?: Record<string, unknown>) => Promise<TrtcAudioModule>;
  export default createTrtcAudio;
}
