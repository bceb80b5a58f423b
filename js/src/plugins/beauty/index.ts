/**
 * The Beauty plugin (ESM entry, `dist/plugins/beauty.esm.js`):
 * `import { Beauty } from 'trtc-web-wasm/plugins/beauty'`, then `TRTC.registerPlugin(Beauty)`.
 * @packageDocumentation
 */
export { Beauty, BeautyErrorCode } from './beauty';
export type { BeautyOptions } from './beauty';
export type { BeautyStats } from './protocol';
export type { PipelineMode } from './pipeline';
export { Beauty as default } from './beauty';
