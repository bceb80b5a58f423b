import { ErrorCode, RtcError } from '../errors';
import { scriptUrl } from './script-url';
import type { TrtcCoreFactory, TrtcCoreModule } from './trtc-core';

/** Name of the core module's files in the assets folder: `trtc-core.js` and `trtc-core.wasm`. */
export const CORE_MODULE_NAME = 'trtc-core';

let assetsPath: string | undefined;
let corePromise: Promise<TrtcCoreModule> | undefined;

/**
 * Where the SDK loads its WebAssembly files from. Default: the `wasm/` folder beside the SDK
 * bundle (`dist/wasm/` of the npm package). Set it before the first feature that needs the WASM
 * core when the files are served from elsewhere (e.g. a CDN or a bundler's asset folder).
 *
 * @param path - a URL or a path relative to the page, e.g. `'/static/trtc/wasm/'`
 */
export function setAssetsPath(path: string): void {
  if (typeof path !== 'string' || path.length === 0) {
    throw new RtcError({
      code: ErrorCode.INVALID_PARAMETER,
      message: 'setAssetsPath(path): path must be a non-empty string URL of the folder holding trtc-core.wasm',
    });
  }
  assetsPath = path.endsWith('/') ? path : path + '/';
  corePromise = undefined;
}

/** The absolute URL of the assets folder, ending in `/`. */
export function resolveAssetsBase(): string {
  if (assetsPath === undefined) return new URL('./wasm/', scriptUrl).href;
  // A relative path is relative to the page, as for any URL the app writes.
  const page = typeof document !== 'undefined' && document.baseURI ? document.baseURI : scriptUrl;
  return new URL(assetsPath, page).href;
}

// A dynamic import that bundlers leave alone: the glue is fetched at run time from the assets
// folder, not bundled into the SDK.
const importModule = (url: string): Promise<{ default: TrtcCoreFactory }> =>
  import(/* webpackIgnore: true */ /* @vite-ignore */ url);

/**
 * Loads the C++ core (WebAssembly, SIMD) once and returns it; later calls share the same module.
 * Rejects with `NOT_SUPPORTED` when the browser has no WebAssembly SIMD, and with `UNKNOWN` when
 * the files cannot be fetched (check {@link setAssetsPath} and that the server serves `.wasm`
 * as `application/wasm`).
 */
export function loadCore(): Promise<TrtcCoreModule> {
  if (corePromise) return corePromise;
  const attempt = (async () => {
    if (!simdSupported()) {
      throw new RtcError({
        code: ErrorCode.NOT_SUPPORTED,
        message: 'This browser has no WebAssembly SIMD (Chrome/Edge 91+, Firefox 89+, Safari 16.4+ have it)',
      });
    }
    const base = resolveAssetsBase();
    let factory: TrtcCoreFactory;
    try {
      factory = (await importModule(base + CORE_MODULE_NAME + '.js')).default;
    } catch (cause) {
      throw new RtcError({
        code: ErrorCode.UNKNOWN,
        message: `Could not load ${base}${CORE_MODULE_NAME}.js; serve dist/wasm/ beside the SDK or call TRTC.setAssetsPath()`,
        cause,
      });
    }
    try {
      return await factory({ locateFile: (file) => base + file });
    } catch (cause) {
      throw new RtcError({
        code: ErrorCode.UNKNOWN,
        message: `Could not instantiate ${base}${CORE_MODULE_NAME}.wasm (is it served as application/wasm?)`,
        cause,
      });
    }
  })();
  // A failed load may be retried later (e.g. after setAssetsPath); a successful one is kept.
  corePromise = attempt.catch((e: unknown) => {
    corePromise = undefined;
    throw e;
  });
  return corePromise;
}

// The smallest module that uses a SIMD128 instruction (v128.const; drop): validates only where
// the engine supports WebAssembly SIMD.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 23, 1, 21, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 26, 11,
]);

/** Whether this JavaScript engine runs WebAssembly SIMD (the core is built with -msimd128). */
export function simdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}
