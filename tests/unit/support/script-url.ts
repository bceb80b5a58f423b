// Stand-in for js/src/core/script-url.ts under Jest: where the SDK bundle would be served from.
export const scriptUrl = 'https://cdn.example.test/sdk/dist/trtc.esm.js';
