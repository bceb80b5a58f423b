// Level meter cost per 10 ms frame (480 float samples at 48 kHz), scalar reference vs SIMD kernel.
// Run through scripts/bench.sh, which also prints the SIMD/scalar ratio; the same kernels are
// timed in Chromium as WASM by the browser benchmark page (bench/index.html).
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "trtc/audio/level_meter.h"

namespace {

constexpr std::size_t kFrame = 480;

std::vector<float> test_frame() {
  std::vector<float> frame(kFrame);
  for (std::size_t i = 0; i < kFrame; ++i) frame[i] = 0.5f * std::sin(0.1309f * static_cast<float>(i));
  return frame;
}

template <trtc::audio::LevelStats (*Kernel)(const float*, std::size_t)>
void BM_LevelMeter(benchmark::State& state) {
  const auto frame = test_frame();
  for (auto _ : state) {
    benchmark::DoNotOptimize(frame.data());
    auto stats = Kernel(frame.data(), frame.size());
    benchmark::DoNotOptimize(stats);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kFrame));
  state.SetLabel("ns per 10 ms frame (480 samples)");
}

BENCHMARK_TEMPLATE(BM_LevelMeter, trtc::audio::measure_level_scalar)->Name("level_meter/scalar/480");
BENCHMARK_TEMPLATE(BM_LevelMeter, trtc::audio::measure_level_simd)->Name("level_meter/simd/480");

}  // namespace

BENCHMARK_MAIN();
