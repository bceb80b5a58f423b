// Hand-written types of the Embind module built from wasm/bindings/audio_mixer_bindings.cpp
// (single-file build; Rollup resolves the id to build/wasm/wasm/trtc-audio-mixer.js). Keep in step.
declare module 'trtc-audio-mixer-wasm' {
  export interface MixerEngine {
    bytes(size: number): Uint8Array;
    floats(count: number): Float32Array;
    openOggOpus(size: number): number;
    openWav(size: number): number;
    openPcm(sampleRate: number, channels: number, frames: number): number;
    writePcm(id: number, channel: number, offset: number, count: number): number;
    releaseStaging(): void;
    micInput(channel: number): Float32Array | null;
    output(bus: number, channel: number): Float32Array | null;
    process(frames: number, micActive: boolean): boolean;
    takeEnded(): number[];
    remove(id: number): boolean;
    play(id: number): boolean;
    pause(id: number): boolean;
    resume(id: number): boolean;
    stop(id: number): boolean;
    seek(id: number, seconds: number): boolean;
    setVolume(id: number, volume: number): boolean;
    setLoop(id: number, loop: boolean): boolean;
    position(id: number): number;
    duration(id: number): number;
    /** 0 idle, 1 playing, 2 paused, 3 ended; -1 unknown id. */
    state(id: number): number;
    activeCount(): number;
    lastError(): string;
    delete(): void;
  }
  export interface TrtcAudioMixerModule {
    MixerEngine: new (sampleRate: number, channels: number, maxFrames: number) => MixerEngine;
  }
  const createTrtcAudioMixer: (options?: Record<string, unknown>) => Promise<TrtcAudioMixerModule>;
  export default createTrtcAudioMixer;
}
