// Entry of dist/rtc-detect.umd.js: the global `RTCDetect` (and the CommonJS export) is the class
// itself, so `new RTCDetect()` works from a script tag, as with rtc-detect 1.2.0.
import { RTCDetect } from './rtc-detect';

export default RTCDetect;
