/**
 * The SDK's entry point: the `TRTC` namespace of the TRTC Web SDK v4 API.
 *
 * ```ts
 * import TRTC from 'trtc-web-wasm';          // or <script src="dist/trtc.umd.js"> → window.TRTC
 * console.log(TRTC.VERSION);
 * ```
 *
 * This first release carries the foundation: version, errors and the WASM core (audio level meter).
 * `createClient` / `createStream` and the rest of the v4 API arrive with the Client/Stream SDK.
 * @packageDocumentation
 */
import { VERSION } from './version';
import { ErrorCode, RtcError } from './errors';
import { AudioLevelMeter } from './audio/audio-level-meter';
import { loadCore, setAssetsPath, simdSupported } from './core/wasm-loader';

export { VERSION } from './version';
export { ErrorCode, RtcError } from './errors';
export type { ErrorCodeValue, RtcErrorOptions } from './errors';
export { AudioLevelMeter } from './audio/audio-level-meter';
export type { AudioLevelMeterOptions, LevelStats } from './audio/audio-level-meter';
export { loadCore, setAssetsPath, simdSupported } from './core/wasm-loader';
export type { TrtcCoreModule } from './core/trtc-core';

/** The `TRTC` namespace object: the default export, and the global `TRTC` of the UMD bundle. */
const TRTC = {
  VERSION,
  ErrorCode,
  RtcError,
  AudioLevelMeter,
  loadCore,
  setAssetsPath,
  simdSupported,
} as const;

export default TRTC;
