// Bundles the TypeScript SDK (compiled by tsc into build/ts/) into dist/trtc.esm.js and
// dist/trtc.umd.js (global TRTC), bundles the declarations into types/index.d.ts, and copies the
// WASM core into dist/wasm/.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dts } from 'rollup-plugin-dts';

const wasmBuild = 'build/wasm/wasm';
const wasmAssets = ['trtc-core.js', 'trtc-core.wasm'];

/** Copies the Emscripten output into dist/wasm/ once the bundle is written. */
function copyWasmAssets() {
  return {
    name: 'copy-wasm-assets',
    writeBundle() {
      mkdirSync('dist/wasm', { recursive: true });
      for (const file of wasmAssets) {
        const from = `${wasmBuild}/${file}`;
        if (!existsSync(from)) throw new Error(`${from} is missing: run npm run build:wasm first`);
        copyFileSync(from, `dist/wasm/${file}`);
      }
    },
  };
}

const banner = `/*! trtc-web-wasm v${process.env.npm_package_version ?? ''} | MIT */`;

export default [
  {
    input: 'build/ts/index.js',
    output: { file: 'dist/trtc.esm.js', format: 'es', banner },
    plugins: [copyWasmAssets()],
  },
  {
    // UMD: the global is the namespace object itself (window.TRTC.VERSION), not {default: …}.
    input: 'build/ts/umd.js',
    output: { file: 'dist/trtc.umd.js', format: 'umd', name: 'TRTC', exports: 'default', banner },
  },
  {
    input: 'build/ts/index.d.ts',
    output: { file: 'types/index.d.ts', format: 'es' },
    plugins: [dts()],
  },
];
