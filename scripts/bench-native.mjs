// Runs the native Google Benchmark binary and prints its numbers with the SIMD/scalar ratios.
import { execFileSync } from 'node:child_process';

const bin = 'build/native/wasm/trtc_core_bench';
const minTime = process.env.TRTC_BENCH_MIN_TIME ?? '0.2';
const out = execFileSync(bin, [`--benchmark_min_time=${minTime}`, '--benchmark_format=json'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
const report = JSON.parse(out);
const ns = new Map();
for (const b of report.benchmarks) {
  const scale = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[b.time_unit] ?? 1;
  ns.set(b.name, b.real_time * scale);
}
console.log(`native (g++, ${report.context.num_cpus} CPUs @ ${report.context.mhz_per_cpu} MHz, SSE2):`);
// Audio kernels are timed per 10 ms frame (480 samples), video kernels per video frame (WxH).
const isVideo = (name) => /\/\d+x\d+$/.test(name);
for (const [name, value] of ns) {
  if (isVideo(name)) console.log(`  ${name.padEnd(28)} ${(value / 1e6).toFixed(3).padStart(9)} ms per video frame`);
  else console.log(`  ${name.padEnd(28)} ${value.toFixed(1).padStart(9)} ns per 10 ms frame`);
}
for (const [name, value] of ns) {
  if (!name.includes('/scalar/')) continue;
  const simd = ns.get(name.replace('/scalar/', '/simd/'));
  const label = isVideo(name) ? `${name.split('/')[0]} ${name.split('/')[2]}` : name.split('/')[0];
  if (simd) console.log(`  ${(label + ' scalar/simd speed-up').padEnd(28)} ${(value / simd).toFixed(2).padStart(9)}x`);
}
