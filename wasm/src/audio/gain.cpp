#include "trtc/audio/gain.h"

#include <algorithm>
#include <cmath>

#include "common/simd_f32x4.h"

namespace trtc::audio {

// Both kernels compute the gain of sample i as `from + step * (i + 1)` with step = (to - from) /
// count (the index as an exact float, no running sum), and give the last sample `to` itself. The
// SIMD kernel does the same arithmetic lane by lane, so the two agree to the bit unless the
// compiler contracts a multiply-add into an FMA (neither SSE2 nor SIMD128 has one).

void apply_gain_ramp_scalar(float* samples, std::size_t count, float from, float to) {
  if (count == 0) return;
  const float step = (to - from) / static_cast<float>(count);
  const std::size_t last = count - 1;
  for (std::size_t i = 0; i < last; ++i) samples[i] *= from + step * static_cast<float>(i + 1);
  samples[last] *= to;
}

void apply_gain_ramp_simd(float* samples, std::size_t count, float from, float to) {
#if TRTC_SIMD_F32X4
  using namespace trtc::simd;
  if (count == 0) return;
  const float step = (to - from) / static_cast<float>(count);
  const std::size_t last = count - 1;
  const f32x4 vfrom = splat(from), vstep = splat(step);
  f32x4 index0 = make(1.0f, 2.0f, 3.0f, 4.0f);  // i + 1 for the four lanes
  f32x4 index1 = make(5.0f, 6.0f, 7.0f, 8.0f);
  const f32x4 eight = splat(8.0f);
  std::size_t i = 0;
  for (; i + 8 <= last; i += 8) {
    const f32x4 g0 = add(vfrom, mul(vstep, index0));
    const f32x4 g1 = add(vfrom, mul(vstep, index1));
    store(samples + i, mul(load(samples + i), g0));
    store(samples + i + 4, mul(load(samples + i + 4), g1));
    index0 = add(index0, eight);
    index1 = add(index1, eight);
  }
  if (i + 4 <= last) {
    store(samples + i, mul(load(samples + i), add(vfrom, mul(vstep, index0))));
    i += 4;
  }
  for (; i < last; ++i) samples[i] *= from + step * static_cast<float>(i + 1);
  samples[last] *= to;
#else
  apply_gain_ramp_scalar(samples, count, from, to);
#endif
}

void apply_gain_ramp(float* samples, std::size_t count, float from, float to) {
  apply_gain_ramp_simd(samples, count, from, to);
}

void mix_add_ramp_scalar(float* dst, const float* src, std::size_t count, float from, float to) {
  if (count == 0) return;
  const float step = (to - from) / static_cast<float>(count);
  const std::size_t last = count - 1;
  for (std::size_t i = 0; i < last; ++i) dst[i] += src[i] * (from + step * static_cast<float>(i + 1));
  dst[last] += src[last] * to;
}

void mix_add_ramp_simd(float* dst, const float* src, std::size_t count, float from, float to) {
#if TRTC_SIMD_F32X4
  using namespace trtc::simd;
  if (count == 0) return;
  const float step = (to - from) / static_cast<float>(count);
  const std::size_t last = count - 1;
  const f32x4 vfrom = splat(from), vstep = splat(step);
  f32x4 index0 = make(1.0f, 2.0f, 3.0f, 4.0f);
  f32x4 index1 = make(5.0f, 6.0f, 7.0f, 8.0f);
  const f32x4 eight = splat(8.0f);
  std::size_t i = 0;
  for (; i + 8 <= last; i += 8) {
    const f32x4 g0 = add(vfrom, mul(vstep, index0));
    const f32x4 g1 = add(vfrom, mul(vstep, index1));
    store(dst + i, add(load(dst + i), mul(load(src + i), g0)));
    store(dst + i + 4, add(load(dst + i + 4), mul(load(src + i + 4), g1)));
    index0 = add(index0, eight);
    index1 = add(index1, eight);
  }
  if (i + 4 <= last) {
    store(dst + i, add(load(dst + i), mul(load(src + i), add(vfrom, mul(vstep, index0)))));
    i += 4;
  }
  for (; i < last; ++i) dst[i] += src[i] * (from + step * static_cast<float>(i + 1));
  dst[last] += src[last] * to;
#else
  mix_add_ramp_scalar(dst, src, count, from, to);
#endif
}

void mix_add_ramp(float* dst, const float* src, std::size_t count, float from, float to) {
  mix_add_ramp_simd(dst, src, count, from, to);
}

namespace {

// Negative, NaN and infinite gains become 0 (an infinite gain has no useful meaning).
float sanitize_gain(float gain) { return std::isfinite(gain) && gain > 0.0f ? gain : 0.0f; }

int ramp_length(int sample_rate, float ramp_ms) {
  const double rate = sample_rate > 0 ? sample_rate : 48000;
  const double ms = std::isfinite(ramp_ms) && ramp_ms > 0.0f ? ramp_ms : 0.0;
  const double samples = std::round(rate * ms / 1000.0);
  return static_cast<int>(std::clamp(samples, 1.0, 1e9));
}

}  // namespace

GainStage::GainStage(int sample_rate, float ramp_ms, float initial_gain)
    : ramp_samples_(ramp_length(sample_rate, ramp_ms)), current_(sanitize_gain(initial_gain)), target_(current_) {}

void GainStage::set_gain(float target) {
  target = sanitize_gain(target);
  if (target == target_) return;  // already there or on the way: keep the running ramp
  target_ = target;
  remaining_ = ramp_samples_;
  step_ = (target_ - current_) / static_cast<float>(ramp_samples_);
}

void GainStage::set_gain_immediate(float gain) {
  current_ = target_ = sanitize_gain(gain);
  step_ = 0.0f;
  remaining_ = 0;
}

// The gain `r` samples before the end of a ramp is target - step * r: a function of the position
// in the ramp only, so the block boundaries do not change the values (no running sum that drifts).
float GainStage::advance(std::size_t frames) {
  if (remaining_ <= 0) return current_;
  const long m = static_cast<long>(std::min<std::size_t>(frames, static_cast<std::size_t>(remaining_)));
  remaining_ -= m;
  current_ = remaining_ == 0 ? target_ : target_ - step_ * static_cast<float>(remaining_);
  return current_;
}

void GainStage::process(float* const* channels, int num_channels, std::size_t frames) {
  if (frames == 0 || num_channels <= 0) return;
  std::size_t done = 0;
  if (remaining_ > 0) {
    done = std::min<std::size_t>(frames, static_cast<std::size_t>(remaining_));
    const float from = current_;
    const float to = advance(done);
    for (int c = 0; c < num_channels; ++c) apply_gain_ramp(channels[c], done, from, to);
  }
  if (done == frames || current_ == 1.0f) return;
  const float g = current_;
  for (int c = 0; c < num_channels; ++c) {
    if (g == 0.0f) {
      std::fill(channels[c] + done, channels[c] + frames, 0.0f);  // exact silence, also for NaN input
    } else {
      apply_gain_ramp(channels[c] + done, frames - done, g, g);
    }
  }
}

void GainStage::mix_into(float* const* dst, const float* const* src, int num_channels, std::size_t frames) {
  if (frames == 0 || num_channels <= 0) return;
  std::size_t done = 0;
  if (remaining_ > 0) {
    done = std::min<std::size_t>(frames, static_cast<std::size_t>(remaining_));
    const float from = current_;
    const float to = advance(done);
    for (int c = 0; c < num_channels; ++c) mix_add_ramp(dst[c], src[c], done, from, to);
  }
  if (done == frames || current_ == 0.0f) return;  // a silent source adds nothing
  const float g = current_;
  for (int c = 0; c < num_channels; ++c) mix_add_ramp(dst[c] + done, src[c] + done, frames - done, g, g);
}

}  // namespace trtc::audio
