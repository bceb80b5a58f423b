// UMD entry (`dist/plugins/beauty.umd.js`): the global `TRTCBeauty` is the plugin class, and it
// registers itself with the global `TRTC` when trtc.umd.js was loaded first.
import { Beauty } from './beauty';

const g = globalThis as { TRTC?: { registerPlugin?: (p: typeof Beauty) => void } };
if (g.TRTC && typeof g.TRTC.registerPlugin === 'function') g.TRTC.registerPlugin(Beauty);

export default Beauty;
