/**
 * The AudioMixer plugin (ESM entry, `dist/plugins/audio-mixer.esm.js`):
 * `import { AudioMixer } from 'trtc-web-wasm/plugins/audio-mixer'`, then `TRTC.registerPlugin(AudioMixer)`.
 * @packageDocumentation
 */
export { AudioMixer, AudioSource } from './audio-mixer';
export type {
  AudioSourceOptions,
  AudioSourceEventMap,
  AudioMixerStartOptions,
  AudioMixerUpdateOptions,
} from './audio-mixer';
export type { WorkletLoad } from './protocol';
export { AudioMixer as default } from './audio-mixer';
