// Bundles the TypeScript SDK (compiled by tsc into build/ts/) into dist/trtc.esm.js and
// dist/trtc.umd.js (global TRTC), bundles the declarations into types/index.d.ts, and copies the
// WASM core into dist/wasm/. RTCDetect (the rtc-detect 1.2.0 compatible environment check) also
// gets bundles of its own: dist/rtc-detect.esm.js, dist/rtc-detect.umd.js (global RTCDetect) and
// types/rtc-detect.d.ts. The AudioWorklet modules are bundled with their single-file WASM builds:
// dist/wasm/trtc-audio.worklet.js (the SDK's capture stage, loaded from the assets folder) and the
// AudioMixer plugin's worklet, inlined as text into dist/plugins/audio-mixer.{esm,umd}.js. The
// Beauty plugin's Worker is bundled with its WASM build and inlined into dist/plugins/beauty.*.js.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dts } from 'rollup-plugin-dts';
import ts from 'typescript';

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

/**
 * Lowers a bundle to ES2017 syntax (no `?.`, `??`, object spread or `catch {}`) with TypeScript, so
 * the environment check loads in the old browsers it exists to turn away (Firefox 52, EdgeHTML).
 */
function downlevelES2017() {
  return {
    name: 'downlevel-es2017',
    renderChunk(code) {
      const out = ts.transpileModule(code, {
        compilerOptions: { target: ts.ScriptTarget.ES2017, module: ts.ModuleKind.ESNext, allowJs: true },
      });
      return { code: out.outputText, map: null };
    },
  };
}

/** Resolves the import `id` to an Emscripten build output (an ES module). */
function emscriptenModule(id, file) {
  return {
    name: `emscripten-${id}`,
    resolveId(source) {
      if (source !== id) return null;
      const path = resolve(`${wasmBuild}/${file}`);
      if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build:wasm first`);
      return path;
    },
  };
}

/** The import `id` is the text of `file` (a bundle built earlier in this config). */
function textModule(id, file) {
  return {
    name: `text-${id}`,
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(vid) {
      if (vid !== `\0${id}`) return null;
      if (!existsSync(file)) throw new Error(`${file} is missing: it is built earlier in rollup.config.js`);
      return `export default ${JSON.stringify(readFileSync(file, 'utf8'))};`;
    },
  };
}

/**
 * A plugin's bundles: its worklet or worker with its single-file WASM build (an intermediate file
 * in build/, inlined as text into the plugin), dist/plugins/<name>.esm.js, dist/plugins/<name>.umd.js
 * (the global is the plugin class, which registers itself with a global TRTC) and
 * types/plugins/<name>.d.ts.
 */
function pluginBundles({ name, global, banner, inner, innerFile, innerId, wasmId, wasmFile }) {
  const dir = `build/ts/plugins/${name}`;
  return [
    {
      input: `build/ts/${inner}`,
      output: { file: innerFile, format: 'es', banner },
      plugins: [emscriptenModule(wasmId, wasmFile)],
    },
    {
      input: `${dir}/index.js`,
      output: { file: `dist/plugins/${name}.esm.js`, format: 'es', banner },
      plugins: [textModule(innerId, innerFile)],
    },
    {
      input: `${dir}/umd.js`,
      output: { file: `dist/plugins/${name}.umd.js`, format: 'umd', name: global, exports: 'default', banner },
      plugins: [textModule(innerId, innerFile)],
    },
    { input: `${dir}/index.d.ts`, output: { file: `types/plugins/${name}.d.ts`, format: 'es' }, plugins: [dts()] },
  ];
}

const banner = `/*! trtc-web-wasm v${process.env.npm_package_version ?? ''} | MIT */`;
const mixerBanner = `/*! trtc-web-wasm AudioMixer plugin v${process.env.npm_package_version ?? ''} | MIT */`;
const beautyBanner = `/*! trtc-web-wasm Beauty plugin v${process.env.npm_package_version ?? ''} | MIT */`;
const detectBanner = `/*! trtc-web-wasm RTCDetect v${process.env.npm_package_version ?? ''} | MIT */`;

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
  {
    // ESM: `import RTCDetect from …` and `import { RTCDetect } from …`.
    input: 'build/ts/detect/rtc-detect.js',
    output: { file: 'dist/rtc-detect.esm.js', format: 'es', banner: detectBanner },
    plugins: [downlevelES2017()],
  },
  {
    // UMD: the global (and module.exports) is the class itself, as with rtc-detect 1.2.0.
    input: 'build/ts/detect/umd.js',
    output: {
      file: 'dist/rtc-detect.umd.js',
      format: 'umd',
      name: 'RTCDetect',
      exports: 'default',
      banner: detectBanner,
    },
    plugins: [downlevelES2017()],
  },
  {
    input: 'build/ts/detect/rtc-detect.d.ts',
    output: { file: 'types/rtc-detect.d.ts', format: 'es' },
    plugins: [dts()],
  },
  {
    // The SDK's capture stage (gain + level meter in WASM), loaded by audioWorklet.addModule().
    input: 'build/ts/audio/worklet/capture-processor.js',
    output: { file: 'dist/wasm/trtc-audio.worklet.js', format: 'es', banner },
    plugins: [emscriptenModule('trtc-audio-wasm', 'trtc-audio-worklet.js')],
  },
  ...pluginBundles({
    // The AudioMixer's worklet, loaded from a blob: URL by audioWorklet.addModule().
    name: 'audio-mixer',
    global: 'TRTCAudioMixer',
    banner: mixerBanner,
    inner: 'plugins/audio-mixer/mixer-processor.js',
    innerFile: 'build/worklets/audio-mixer.worklet.js',
    innerId: 'audio-mixer-worklet-source',
    wasmId: 'trtc-audio-mixer-wasm',
    wasmFile: 'trtc-audio-mixer.js',
  }),
  ...pluginBundles({
    // The Beauty plugin's Worker, started from a blob: URL as a module worker.
    name: 'beauty',
    global: 'TRTCBeauty',
    banner: beautyBanner,
    inner: 'plugins/beauty/worker.js',
    innerFile: 'build/workers/beauty.worker.js',
    innerId: 'beauty-worker-source',
    wasmId: 'trtc-beauty-wasm',
    wasmFile: 'trtc-beauty.js',
  }),
];
