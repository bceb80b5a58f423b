// The mixer for N sources (background music, sound effects, the microphone) with per-source
// volume and mute (ramped, see gain.h) and a look-ahead peak limiter so the sum never clips.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "trtc/audio/gain.h"

namespace trtc::audio {

struct LimiterOptions {
  int sample_rate = 48000;
  /// Largest absolute output sample (linear). Default -0.3 dBFS.
  float threshold = 0.966f;
  /// Look-ahead: the gain reaches its reduced value before the peak arrives. Also the latency.
  float lookahead_ms = 1.5f;
  /// Time for the gain to recover (to 1/e of the reduction) after the peak has passed.
  float release_ms = 60.0f;
};

/// Look-ahead peak limiter on planar audio. The output is the input delayed by latency_frames()
/// and never exceeds `threshold` in absolute value (guaranteed, also for NaN/Inf input, which
/// becomes 0). Below the threshold the signal passes unchanged (gain exactly 1).
class Limiter {
 public:
  Limiter(int channels, LimiterOptions options = {});

  /// In place; `frames` may be any length.
  void process(float* const* channels, std::size_t frames);
  int latency_frames() const { return lookahead_; }
  /// Gain applied to the most recent output sample (1 = no reduction).
  float current_gain() const { return gain_; }
  /// Smallest gain applied since the last reset (1 = never limited).
  float min_gain() const { return min_gain_; }
  void reset();

 private:
  int channels_;
  LimiterOptions options_;
  int lookahead_;
  float release_coeff_;
  float gain_ = 1.0f;
  float min_gain_ = 1.0f;
  std::vector<std::vector<float>> delay_;  // per channel ring buffer of lookahead_ samples
  std::vector<float> peaks_;               // ring buffer: 1 - held gain per frame (the smoothing window)
  std::size_t pos_ = 0;
  // Private state of the gain computation (see mixer.cpp): the smallest required gain over the
  // last lookahead_ + 1 frames (a monotonic queue in a ring), and the running sum of peaks_.
  std::vector<std::uint64_t> hold_frame_;
  std::vector<float> hold_gain_;
  std::size_t hold_head_ = 0;
  std::size_t hold_size_ = 0;
  std::uint64_t frame_ = 0;
  double deficit_sum_ = 0.0;
  std::size_t deficit_nonzero_ = 0;
  float reduction_ = 0.0f;  // 1 - gain_, kept on its own so the release can reach exactly 0
};

struct MixerOptions {
  /// Hz; 0 or negative means 48000.
  int sample_rate = 48000;
  /// Output channels (every source has as many); clamped to 1–32 (Web Audio's limit).
  int channels = 2;
  /// The largest block mix() accepts (a render quantum is 128; 10 ms at 48 kHz is 480).
  int max_frames = 1024;
  /// Ramp time of volume and mute changes.
  float ramp_ms = 10.0f;
  bool limiter = true;
  /// The limiter's threshold, look-ahead and release. Its sample_rate is ignored: the mixer sets
  /// it to the mixer's own sample_rate.
  LimiterOptions limiter_options{};
};

/// Sums N sources. The caller writes each source's block into input(id, channel) (max_frames
/// floats per channel, planar, at the mixer's rate), then calls mix(). Sources not written for a
/// block must be set inactive (set_active(id, false)) or they add their old buffer again.
class Mixer {
 public:
  explicit Mixer(MixerOptions options = {});

  /// Adds a source (volume 1, unmuted, active) and returns its id (>= 0, never reused).
  int add_source();
  /// Removes a source; false if there was none.
  bool remove_source(int id);
  bool has_source(int id) const;
  std::size_t source_count() const;

  /// The input buffer of `channel` of source `id` (nullptr for an unknown id or channel).
  float* input(int id, int channel);
  /// Linear volume (1 = unchanged; values above 1 amplify, the limiter catches the peaks). Ramped.
  void set_volume(int id, float volume);
  /// Muted sources ramp to silence and are then skipped.
  void set_muted(int id, bool muted);
  /// Inactive sources are skipped (no ramp: use it for sources with no data this block).
  void set_active(int id, bool active);

  /// Mixes `frames` (<= max_frames) of every active source into `out` (channels() planar
  /// buffers), then limits. Returns false if frames > max_frames.
  bool mix(float* const* out, std::size_t frames);

  int channels() const { return options_.channels; }
  int sample_rate() const { return options_.sample_rate; }
  int max_frames() const { return options_.max_frames; }
  /// Latency added by the limiter, in frames (0 without limiter).
  int latency_frames() const;
  const Limiter* limiter() const { return limiter_enabled_ ? &limiter_ : nullptr; }

 private:
  struct Source {
    int id;
    std::vector<std::vector<float>> buffers;
    GainStage gain;
    float volume = 1.0f;
    bool muted = false;
    bool active = true;
  };
  Source* find(int id);
  const Source* find(int id) const;

  MixerOptions options_;
  bool limiter_enabled_;
  Limiter limiter_;
  std::vector<Source> sources_;
  int next_id_ = 0;
};

}  // namespace trtc::audio
