// Gain with smooth ramps: volume changes (setAudioCaptureVolume, a mixer source's setVolume, mute)
// move linearly over a few milliseconds instead of jumping, so they never click.
#pragma once

#include <cstddef>

namespace trtc::audio {

/// Multiplies `count` samples in place by a gain that moves linearly from `from` (first sample)
/// towards `to`: sample i gets from + (to - from) * (i + 1) / count, so the last sample gets `to`.
/// Scalar reference.
void apply_gain_ramp_scalar(float* samples, std::size_t count, float from, float to);
/// SIMD kernel; agrees with the reference within 1e-6 relative.
void apply_gain_ramp_simd(float* samples, std::size_t count, float from, float to);
/// The kernel the core uses (SIMD when available).
void apply_gain_ramp(float* samples, std::size_t count, float from, float to);

/// `dst[i] += src[i] * gain ramp(from → to)` (same ramp shape as apply_gain_ramp). Scalar reference.
void mix_add_ramp_scalar(float* dst, const float* src, std::size_t count, float from, float to);
/// SIMD kernel; agrees with the reference within 1e-6 relative.
void mix_add_ramp_simd(float* dst, const float* src, std::size_t count, float from, float to);
void mix_add_ramp(float* dst, const float* src, std::size_t count, float from, float to);

/// A gain that ramps to each new target over `ramp_ms` (linear, sample-accurate across blocks).
class GainStage {
 public:
  explicit GainStage(int sample_rate = 48000, float ramp_ms = 10.0f, float initial_gain = 1.0f);

  /// Starts a ramp from the current gain to `target` (negative and NaN are treated as 0).
  void set_gain(float target);
  /// Jumps to `gain` at once (no ramp): for the initial value only.
  void set_gain_immediate(float gain);
  /// The gain where the ramp stands now: the gain applied to the last sample processed (or, right
  /// after set_gain(), the gain the new ramp starts from). During a ramp the next sample gets
  /// gain() + (target() - gain()) / (samples left in the ramp), and the ramp reaches target()
  /// exactly on its last sample; when not ramping, gain() == target() and every sample gets it.
  float gain() const { return current_; }
  float target() const { return target_; }
  bool ramping() const { return remaining_ > 0; }

  /// Applies the gain to `frames` samples of each of `channels` planar channels (same gain on all).
  void process(float* const* channels, int num_channels, std::size_t frames);
  /// Mono convenience.
  void process(float* samples, std::size_t frames) { process(&samples, 1, frames); }
  /// Adds `src * gain` into `dst` (planar, same channel count) and advances the ramp: the mixer's
  /// per-source volume stage.
  void mix_into(float* const* dst, const float* const* src, int num_channels, std::size_t frames);

 private:
  /// The gain after `frames` more samples, and advances the ramp state.
  float advance(std::size_t frames);

  int ramp_samples_;
  float current_;
  float target_;
  float step_ = 0.0f;
  long remaining_ = 0;
};

}  // namespace trtc::audio
