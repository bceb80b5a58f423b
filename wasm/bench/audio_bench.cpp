// Audio kernels per 10 ms frame at 48 kHz (480 frames), scalar reference vs SIMD kernel: gain
// ramp, ramped mix-add, the full 8-source stereo mix with the limiter, and the 44.1 -> 48 kHz
// resampler (stereo). scripts/bench-native.mjs prints the SIMD/scalar ratios. BENCHMARK_MAIN is
// in level_meter_bench.cpp.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "mixer8_workload.h"
#include "trtc/audio/gain.h"
#include "trtc/audio/mixer.h"
#include "trtc/audio/resampler.h"

namespace {

constexpr std::size_t kFrame = 480;
constexpr int kChannels = 2;

std::vector<float> test_signal(std::size_t n, float amplitude, float step) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = amplitude * std::sin(step * static_cast<float>(i));
  return x;
}

using RampKernel = void (*)(float*, std::size_t, float, float);
using MixKernel = void (*)(float*, const float*, std::size_t, float, float);

template <RampKernel Kernel>
void BM_GainRamp(benchmark::State& state) {
  auto frame = test_signal(kFrame, 0.5f, 0.1309f);
  bool up = true;
  for (auto _ : state) {
    // Alternating ramps 0.5 -> 2 and 2 -> 0.5 keep the values bounded.
    Kernel(frame.data(), frame.size(), up ? 0.5f : 2.0f, up ? 2.0f : 0.5f);
    up = !up;
    benchmark::DoNotOptimize(frame.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kFrame));
  state.SetLabel("ns per 10 ms frame (480 samples)");
}

template <MixKernel Kernel>
void BM_MixAddRamp(benchmark::State& state) {
  const auto src = test_signal(kFrame, 0.5f, 0.0731f);
  std::vector<float> dst(kFrame, 0.0f);
  bool up = true;
  for (auto _ : state) {
    // +src ramped in, then -src ramped in: the sum stays bounded.
    Kernel(dst.data(), src.data(), kFrame, up ? 0.5f : -0.5f, up ? 1.0f : -1.0f);
    up = !up;
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kFrame));
  state.SetLabel("ns per 10 ms frame (480 samples)");
}

namespace mix8 = trtc::audio::bench;

// The full Mixer::mix: zero-fill, 8 sources x 2 channels of SIMD mix_add_ramp, then the limiter.
void BM_MixerSimd(benchmark::State& state) {
  trtc::audio::MixerOptions options;
  options.max_frames = static_cast<int>(kFrame);
  trtc::audio::Mixer mixer(options);
  mix8::load_mixer8(mixer, mix8::mixer8_inputs());
  std::vector<float> left(kFrame), right(kFrame);
  float* out[kChannels] = {left.data(), right.data()};
  for (auto _ : state) {
    mixer.mix(out, kFrame);
    benchmark::DoNotOptimize(left.data());
    benchmark::DoNotOptimize(right.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kFrame));
  state.SetLabel("8 stereo sources + limiter, ns per 10 ms frame");
}

// The same work from the scalar reference kernels and the same Limiter.
void BM_MixerScalar(benchmark::State& state) {
  const auto inputs = mix8::mixer8_inputs();
  trtc::audio::Limiter limiter(kChannels);
  std::vector<float> left(kFrame), right(kFrame);
  float* out[kChannels] = {left.data(), right.data()};
  for (auto _ : state) {
    mix8::mix8_scalar(out, inputs, limiter);
    benchmark::DoNotOptimize(left.data());
    benchmark::DoNotOptimize(right.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kFrame));
  state.SetLabel("8 stereo sources + limiter, ns per 10 ms frame");
}

// 44.1 -> 48 kHz stereo, default options (64 taps per output sample): push what 480 output frames
// need, pull 480.
template <bool Simd>
void BM_Resampler(benchmark::State& state) {
  trtc::audio::ResamplerOptions options;
  options.simd = Simd;
  trtc::audio::Resampler rs(44100, 48000, kChannels, options);
  const std::size_t source_frames = 44100;
  const auto l = test_signal(source_frames, 0.5f, 0.0713f), r = test_signal(source_frames, 0.5f, 0.0317f);
  std::vector<float> ol(kFrame), orr(kFrame);
  float* out[kChannels] = {ol.data(), orr.data()};
  std::size_t pos = 0;
  for (auto _ : state) {
    std::size_t need = rs.input_needed(kFrame);
    while (need > 0) {
      const std::size_t n = std::min(need, source_frames - pos);
      const float* in[kChannels] = {l.data() + pos, r.data() + pos};
      rs.push(in, n);
      need -= n;
      pos = (pos + n) % source_frames;
    }
    benchmark::DoNotOptimize(rs.pull(out, kFrame));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kFrame));
  state.SetLabel("44.1 -> 48 kHz stereo, ns per 480 output frames");
}

BENCHMARK_TEMPLATE(BM_GainRamp, trtc::audio::apply_gain_ramp_scalar)->Name("gain_ramp/scalar/480");
BENCHMARK_TEMPLATE(BM_GainRamp, trtc::audio::apply_gain_ramp_simd)->Name("gain_ramp/simd/480");
BENCHMARK_TEMPLATE(BM_MixAddRamp, trtc::audio::mix_add_ramp_scalar)->Name("mix_add_ramp/scalar/480");
BENCHMARK_TEMPLATE(BM_MixAddRamp, trtc::audio::mix_add_ramp_simd)->Name("mix_add_ramp/simd/480");
BENCHMARK(BM_MixerScalar)->Name("mixer8/scalar/480");
BENCHMARK(BM_MixerSimd)->Name("mixer8/simd/480");
BENCHMARK_TEMPLATE(BM_Resampler, false)->Name("resampler/scalar/480");
BENCHMARK_TEMPLATE(BM_Resampler, true)->Name("resampler/simd/480");

}  // namespace
