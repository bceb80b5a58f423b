// The mixer8 benchmark workload, shared by the native benchmark (audio_bench.cpp) and the browser
// benchmark module (bindings/bench_bindings.cpp) so both time the same work: 8 stereo sources of
// 0.3-amplitude sines whose sum peaks near 2.4 (the limiter works on most frames), 480 frames.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "trtc/audio/gain.h"
#include "trtc/audio/mixer.h"

namespace trtc::audio::bench {

constexpr std::size_t kMixFrame = 480;  // 10 ms at 48 kHz
constexpr int kMixSources = 8;
constexpr int kMixChannels = 2;

/// Planar inputs, source-major: inputs[s * kMixChannels + c].
inline std::vector<std::vector<float>> mixer8_inputs() {
  std::vector<std::vector<float>> inputs;
  for (int i = 0; i < kMixSources * kMixChannels; ++i) {
    std::vector<float> x(kMixFrame);
    const float step = 0.01f + 0.013f * static_cast<float>(i);
    for (std::size_t n = 0; n < kMixFrame; ++n) x[n] = 0.3f * std::sin(step * static_cast<float>(n));
    inputs.push_back(std::move(x));
  }
  return inputs;
}

/// A Mixer with the 8 sources' blocks written in (the SIMD variant: Mixer::mix).
inline void load_mixer8(Mixer& mixer, const std::vector<std::vector<float>>& inputs) {
  for (int s = 0; s < kMixSources; ++s) {
    const int id = mixer.add_source();
    for (int c = 0; c < kMixChannels; ++c) {
      const auto& in = inputs[static_cast<std::size_t>(s * kMixChannels + c)];
      std::copy(in.begin(), in.end(), mixer.input(id, c));
    }
  }
}

/// The same work from the scalar reference kernels: zero-fill, 8 x 2 mix_add_ramp_scalar at the
/// sources' (constant) gain, then the same Limiter.
inline void mix8_scalar(float* const* out, const std::vector<std::vector<float>>& inputs, Limiter& limiter) {
  for (int c = 0; c < kMixChannels; ++c) std::fill(out[c], out[c] + kMixFrame, 0.0f);
  for (int s = 0; s < kMixSources; ++s) {
    for (int c = 0; c < kMixChannels; ++c) {
      mix_add_ramp_scalar(out[c], inputs[static_cast<std::size_t>(s * kMixChannels + c)].data(), kMixFrame, 1.0f, 1.0f);
    }
  }
  limiter.process(out, kMixFrame);
}

}  // namespace trtc::audio::bench
