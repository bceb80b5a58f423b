// Streaming sample-rate converter: polyphase windowed-sinc (Kaiser), any rational ratio, for
// sources at 44.1/32/22.05/16/8 kHz into the 48 kHz mixer (and 48 → 44.1 kHz where the page's
// AudioContext runs at 44.1 kHz). Push input, pull output.
//
// The filter's stopband starts at the Nyquist frequency of the lower of the two rates (N), so
// nothing above N is imaged (upsampling) or aliased (downsampling) into the output. With the
// default options (64 taps, cutoff 0.85, Kaiser beta 7.5), for every ratio the SDK uses:
//   passband 0 .. 0.85 N: flat within ±0.002 dB (design; the tests check ±0.1 dB);
//   transition 0.85 N .. N: −6 dB at 0.925 N;
//   stopband from 1.0 N up: ≥ 76 dB attenuation (design; the tests check ≥ 70 dB, and ≥ 60 dB
//     at the named alias/image frequencies);
//   latency: 32 samples of the lower rate (taps / 2; for downsampling rounded up so the filter
//     length at the input rate is a multiple of 8): 0.73 ms for 44.1 → 48 kHz, 1 ms for 32 → 48,
//     1.45 ms for 22.05 → 48, 2 ms for 16 → 48 and 48 → 16, 4 ms for 8 → 48, 0.75 ms for
//     48 → 44.1 kHz. latency_frames() gives the exact value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace trtc::audio {

/// Dot product of two float arrays: scalar reference and SIMD kernel (agree within 1e-5 relative
/// to the sum of |a*b|). The resampler's inner loop.
float dot_scalar(const float* a, const float* b, std::size_t count);
float dot_simd(const float* a, const float* b, std::size_t count);

struct ResamplerOptions {
  /// Filter length in samples of the LOWER of the two rates (rounded up to a multiple of 8,
  /// 8–256): per output sample the filter reads `taps` input samples when upsampling and
  /// taps × in/out when downsampling. Cost and latency grow with it; the transition band it can
  /// give at `kaiser_beta` is about 9.6 / (taps - 1) × N for the default beta (see `cutoff`).
  int taps = 64;
  /// Passband edge as a fraction of N, the lower of the two Nyquist frequencies (0.05–0.99). The
  /// transition band is [cutoff, 1.0] × N: the sinc's −6 dB point lies at (cutoff + 1) / 2 × N and
  /// the stopband starts at N. Full stopband attenuation needs 1 - cutoff >= 9.6 / (taps - 1) at
  /// the default beta: cutoff 0.85 for 64 taps, 0.69 for 32, 0.9 for 96, 0.92 for 128. A cutoff
  /// closer to 1 than that leaves the stopband edge leaky and the passband edge drooping; at
  /// 64 taps: 0.86 → 59 dB at N, 0.87 → 49 dB, 0.9 → 31 dB and −0.24 dB at 0.9 N.
  float cutoff = 0.85f;
  /// Kaiser window beta: trades stopband attenuation against transition width. 7.5 is the best
  /// for the defaults (≥ 76 dB from N up); a larger beta at the same length and cutoff widens the
  /// transition past N (8.0: 63 dB at N), a smaller one raises the sidelobes (7.0: 72 dB).
  float kaiser_beta = 7.5f;
  /// Use the SIMD dot product (tests compare both).
  bool simd = true;
};

class Resampler {
 public:
  /// Rates in Hz (1–384000); channels 1–8. When in == out the resampler copies (no filter, no delay).
  Resampler(int in_rate, int out_rate, int channels, ResamplerOptions options = {});

  /// Appends `frames` planar input frames.
  void push(const float* const* in, std::size_t frames);
  /// How many output frames can be pulled now.
  std::size_t available() const;
  /// Writes up to `frames` output frames (planar); returns how many were written.
  std::size_t pull(float* const* out, std::size_t frames);
  /// Input frames to push so that `out_frames` become available (from the current state).
  std::size_t input_needed(std::size_t out_frames) const;
  /// Forgets all input and history (after a seek).
  void reset();

  int in_rate() const { return in_rate_; }
  int out_rate() const { return out_rate_; }
  int channels() const { return channels_; }
  /// Group delay of the filter in output frames (the output lags the input by this much).
  double latency_frames() const;

 private:
  int in_rate_, out_rate_, channels_;
  ResamplerOptions options_;
  int up_ = 1, down_ = 1;  // out/in = up_/down_ in lowest terms
  int taps_ = 0;
  std::vector<float> filter_;                // up_ phases × taps_, each phase contiguous
  std::vector<std::vector<float>> history_;  // per channel: taps_-1 samples of history + pending input
  std::size_t consumed_ = 0;                 // index (into history_) of the first tap of the next output
  int phase_ = 0;                            // polyphase index of the next output
  bool passthrough_ = false;
};

}  // namespace trtc::audio
