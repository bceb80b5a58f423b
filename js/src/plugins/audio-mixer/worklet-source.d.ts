// The mixer worklet's bundled source text (Rollup inlines build/worklets/audio-mixer.worklet.js).
declare module 'audio-mixer-worklet-source' {
  const source: string;
  export default source;
}
