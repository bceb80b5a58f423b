#include "trtc/audio/level_meter.h"

#include <algorithm>
#include <cmath>

#include "common/simd_f32x4.h"

namespace trtc::audio {

LevelStats measure_level_scalar(const float* samples, std::size_t count) {
  if (count == 0) return {};
  float sum_squares = 0.0f;
  float peak = 0.0f;
  for (std::size_t i = 0; i < count; ++i) {
    const float s = samples[i];
    sum_squares += s * s;
    const float a = std::fabs(s);
    if (a > peak) peak = a;
  }
  return {std::sqrt(sum_squares / static_cast<float>(count)), peak};
}

LevelStats measure_level_simd(const float* samples, std::size_t count) {
#if TRTC_SIMD_F32X4
  using namespace trtc::simd;
  if (count == 0) return {};
  // Two independent accumulators per quantity hide the add latency.
  f32x4 sum0 = splat(0.0f), sum1 = splat(0.0f);
  f32x4 peak0 = splat(0.0f), peak1 = splat(0.0f);
  std::size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    const f32x4 a = load(samples + i);
    const f32x4 b = load(samples + i + 4);
    sum0 = add(sum0, mul(a, a));
    sum1 = add(sum1, mul(b, b));
    peak0 = max(peak0, abs(a));
    peak1 = max(peak1, abs(b));
  }
  for (; i + 4 <= count; i += 4) {
    const f32x4 a = load(samples + i);
    sum0 = add(sum0, mul(a, a));
    peak0 = max(peak0, abs(a));
  }
  float sum_squares = horizontal_add(add(sum0, sum1));
  float peak = horizontal_max(max(peak0, peak1));
  for (; i < count; ++i) {
    const float s = samples[i];
    sum_squares += s * s;
    peak = std::max(peak, std::fabs(s));
  }
  return {std::sqrt(sum_squares / static_cast<float>(count)), peak};
#else
  return measure_level_scalar(samples, count);
#endif
}

LevelStats measure_level(const float* samples, std::size_t count) { return measure_level_simd(samples, count); }

bool simd_available() { return trtc::simd::kAvailable; }

int volume_from_level(float level) {
  if (!(level > 0.0f)) return 0;  // also maps NaN to 0
  if (level >= 1.0f) return 100;
  return static_cast<int>(std::lround(level * 100.0f));
}

LevelMeter::LevelMeter(LevelMeterOptions options) : options_(options) {
  if (options_.sample_rate <= 0) options_.sample_rate = 48000;
  if (!(options_.release_ms > 0.0f)) options_.release_ms = 300.0f;
}

LevelStats LevelMeter::process(const float* samples, std::size_t count) {
  const LevelStats stats = measure_level(samples, count);
  if (count == 0) return stats;
  // Exponential release over the frame's duration; attack is immediate.
  const float frame_ms = 1000.0f * static_cast<float>(count) / static_cast<float>(options_.sample_rate);
  const float decayed = level_ * std::exp(-frame_ms / options_.release_ms);
  level_ = std::min(1.0f, std::max(stats.rms, decayed));
  max_peak_ = std::max(max_peak_, stats.peak);
  samples_ += count;
  return stats;
}

void LevelMeter::reset() {
  level_ = 0.0f;
  max_peak_ = 0.0f;
  samples_ = 0;
}

}  // namespace trtc::audio
