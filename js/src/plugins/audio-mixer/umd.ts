// UMD entry (`dist/plugins/audio-mixer.umd.js`): the global `TRTCAudioMixer` is the plugin class,
// and it registers itself with the global `TRTC` when trtc.umd.js was loaded first.
import { AudioMixer } from './audio-mixer';

const g = globalThis as { TRTC?: { registerPlugin?: (p: typeof AudioMixer) => void } };
if (g.TRTC && typeof g.TRTC.registerPlugin === 'function') g.TRTC.registerPlugin(AudioMixer);

export default AudioMixer;
