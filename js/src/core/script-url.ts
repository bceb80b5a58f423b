// The URL of the SDK bundle itself, from which the WASM assets are found (dist/wasm/ beside it).
// In the UMD bundle Rollup turns this into `document.currentScript.src`, captured at load time.
// Kept alone in this file so unit tests (CommonJS, no import.meta) can replace it.
export const scriptUrl: string = import.meta.url;
