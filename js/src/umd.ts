// Entry of the UMD bundle: its global `TRTC` is the namespace object itself.
import TRTC from './index';

export default TRTC;
