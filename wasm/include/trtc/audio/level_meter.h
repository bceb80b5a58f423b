// Audio level metering: RMS and peak of float PCM frames, and the mapping to the TRTC volume
// scales used by `stream.getAudioLevel()` (0–1) and the `audio-volume` event (`audioVolume`, 0–100).
#pragma once

#include <cstddef>
#include <cstdint>

namespace trtc::audio {

/// Level of one block of samples. Samples are float PCM, nominally in [-1, 1] (0 dBFS = 1.0).
struct LevelStats {
  float rms = 0.0f;   ///< root mean square of the samples
  float peak = 0.0f;  ///< largest absolute sample value
};

/// Scalar reference: the definition the SIMD kernel is tested against.
LevelStats measure_level_scalar(const float* samples, std::size_t count);

/// SIMD kernel (WebAssembly SIMD128 in the browser, SSE2 natively). Falls back to the scalar
/// reference where the build has no SIMD. Agrees with the reference: peak exactly, RMS within a
/// relative error of 1e-5 (only the summation order differs).
LevelStats measure_level_simd(const float* samples, std::size_t count);

/// The kernel the SDK uses: the SIMD one when available.
LevelStats measure_level(const float* samples, std::size_t count);

/// Whether measure_level_simd runs real vector instructions in this build.
bool simd_available();

/// Maps a linear level (RMS, 0 = silence, 1 = full-scale) to the TRTC `audioVolume` scale:
/// an integer 0–100, `round(100 * level)` clamped. As in TRTC, a value above about 10 means
/// someone is speaking close to the microphone.
int volume_from_level(float level);

/// Tuning of LevelMeter.
struct LevelMeterOptions {
  int sample_rate = 48000;
  /// Release time: how fast the displayed level falls after the sound stops (to 1/e).
  float release_ms = 300.0f;
};

/// Streaming meter for `getAudioLevel()` / `audio-volume`: instant attack, exponential release,
/// so a speaking indicator neither misses short syllables nor flickers between them.
class LevelMeter {
 public:
  explicit LevelMeter(LevelMeterOptions options = {});

  /// Measures one frame (any length, typically 10 ms = 480 samples at 48 kHz) and updates the
  /// smoothed level. Returns the frame's own RMS and peak.
  LevelStats process(const float* samples, std::size_t count);

  /// Smoothed level, 0–1: the value of `getAudioLevel()`.
  float level() const { return level_; }
  /// Smoothed level on the 0–100 `audioVolume` scale.
  int volume() const { return volume_from_level(level_); }
  /// Largest peak seen since the last reset.
  float max_peak() const { return max_peak_; }
  /// Number of samples measured since the last reset.
  std::uint64_t samples() const { return samples_; }

  void reset();

 private:
  LevelMeterOptions options_;
  float level_ = 0.0f;
  float max_peak_ = 0.0f;
  std::uint64_t samples_ = 0;
};

}  // namespace trtc::audio
