// The Beauty worker's bundled source text (Rollup inlines build/workers/beauty.worker.js).
declare module 'beauty-worker-source' {
  const source: string;
  export default source;
}
