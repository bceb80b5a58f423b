#include "trtc/audio/resampler.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "common/simd_f32x4.h"

namespace trtc::audio {

float dot_scalar(const float* a, const float* b, std::size_t count) {
  float sum = 0.0f;
  for (std::size_t i = 0; i < count; ++i) sum += a[i] * b[i];
  return sum;
}

float dot_simd(const float* a, const float* b, std::size_t count) {
#if TRTC_SIMD_F32X4
  using namespace trtc::simd;
  // Two independent accumulators hide the add latency.
  f32x4 sum0 = splat(0.0f), sum1 = splat(0.0f);
  std::size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    sum0 = add(sum0, mul(load(a + i), load(b + i)));
    sum1 = add(sum1, mul(load(a + i + 4), load(b + i + 4)));
  }
  if (i + 4 <= count) {
    sum0 = add(sum0, mul(load(a + i), load(b + i)));
    i += 4;
  }
  float sum = horizontal_add(add(sum0, sum1));
  for (; i < count; ++i) sum += a[i] * b[i];
  return sum;
#else
  return dot_scalar(a, b, count);
#endif
}

namespace {

constexpr int kMaxRate = 384000;
constexpr int kMaxChannels = 8;
constexpr double kPi = 3.14159265358979323846;
// The history is compacted (consumed input dropped) once this much of it is consumed and it is
// at least half of the buffer: amortized O(1) per sample, memory bounded by the pending input.
constexpr std::size_t kCompactMin = 4096;

// Modified Bessel function of the first kind, order 0 (power series; converges for all x).
double bessel_i0(double x) {
  double sum = 1.0, term = 1.0;
  const double q = x * x / 4.0;
  for (int k = 1; k < 200; ++k) {
    term *= q / (static_cast<double>(k) * static_cast<double>(k));
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

int round_up8(double taps) { return static_cast<int>(std::ceil(taps / 8.0 - 1e-9)) * 8; }

}  // namespace

// The filter is a Kaiser-windowed sinc h(t), t in input samples. Output n is the sum over its
// `taps_` input samples i0 .. i0 + taps_ - 1 of x[i] * h(t_n - i), where t_n = i0 + taps_/2 - 1 +
// phase/up_ (the output's position between input samples): phase `p` of the table holds
// h(taps_/2 - 1 + p/up_ - k) for k = 0 .. taps_ - 1. The history starts with taps_ - 1 zeros, so
// output n sits at input time n * down_/up_ - taps_/2: the group delay is taps_/2 input samples.
//
// The filter spans options.taps samples of the LOWER rate: for upsampling that is options.taps
// input samples per output; for downsampling by in/out it is options.taps * in/out input samples
// (rounded up to a multiple of 8), because an anti-aliasing filter needs that length at the input
// rate for the same transition band. The transition band is [cutoff, 1] x N (N = the lower
// Nyquist frequency): the sinc's cutoff (-6 dB) lies in its middle, at (cutoff + 1) / 2 x N, so
// the Kaiser window's transition (about 9.6 / (taps - 1) x N wide for beta 7.5) runs from the
// passband edge to N and the stopband starts at N.
Resampler::Resampler(int in_rate, int out_rate, int channels, ResamplerOptions options)
    : in_rate_(std::clamp(in_rate, 1, kMaxRate)),
      out_rate_(std::clamp(out_rate, 1, kMaxRate)),
      channels_(std::clamp(channels, 1, kMaxChannels)),
      options_(options) {
  options_.taps = std::clamp(round_up8(options_.taps), 8, 256);
  if (!(options_.cutoff > 0.0f)) options_.cutoff = ResamplerOptions{}.cutoff;
  options_.cutoff = std::clamp(options_.cutoff, 0.05f, 0.99f);
  if (!(options_.kaiser_beta >= 0.0f)) options_.kaiser_beta = ResamplerOptions{}.kaiser_beta;
  options_.kaiser_beta = std::min(options_.kaiser_beta, 30.0f);

  const int g = std::gcd(in_rate_, out_rate_);
  up_ = out_rate_ / g;
  down_ = in_rate_ / g;
  passthrough_ = up_ == down_;
  history_.assign(static_cast<std::size_t>(channels_), {});
  if (passthrough_) {
    reset();
    return;
  }

  // Length of the filter in input samples, and its scale: 1 when upsampling, out/in when
  // downsampling (the cutoff follows the output's Nyquist frequency).
  const double ratio = static_cast<double>(out_rate_) / static_cast<double>(in_rate_);
  const double scale = std::min(1.0, ratio);
  taps_ = ratio >= 1.0 ? options_.taps : round_up8(options_.taps / ratio);
  const double beta = options_.kaiser_beta;
  // The -6 dB point in the middle of the transition band [cutoff, 1] x N, in cycles per input
  // sample (N is 0.5 cycles per sample of the lower rate).
  const double fc = 0.5 * scale * (static_cast<double>(options_.cutoff) + 1.0) / 2.0;
  const double half = taps_ / 2.0;
  const double i0_beta = bessel_i0(beta);

  filter_.assign(static_cast<std::size_t>(up_) * static_cast<std::size_t>(taps_), 0.0f);
  std::vector<double> phase(static_cast<std::size_t>(taps_));
  for (int p = 0; p < up_; ++p) {
    double sum = 0.0;
    for (int k = 0; k < taps_; ++k) {
      const double t = half - 1.0 + static_cast<double>(p) / up_ - k;
      const double x = t / half;
      const double window = std::fabs(x) < 1.0 ? bessel_i0(beta * std::sqrt(1.0 - x * x)) / i0_beta : 0.0;
      const double arg = 2.0 * kPi * fc * t;
      const double sinc = t == 0.0 ? 1.0 : std::sin(arg) / arg;
      phase[static_cast<std::size_t>(k)] = 2.0 * fc * sinc * window;
      sum += phase[static_cast<std::size_t>(k)];
    }
    // Unity DC gain for every phase (no ripple at the rate of the phase pattern).
    float* dst = filter_.data() + static_cast<std::size_t>(p) * static_cast<std::size_t>(taps_);
    for (int k = 0; k < taps_; ++k) dst[k] = static_cast<float>(phase[static_cast<std::size_t>(k)] / sum);
  }
  reset();
}

void Resampler::reset() {
  const std::size_t initial = passthrough_ ? 0 : static_cast<std::size_t>(taps_ - 1);
  for (auto& h : history_) h.assign(initial, 0.0f);
  consumed_ = 0;
  phase_ = 0;
}

double Resampler::latency_frames() const {
  if (passthrough_) return 0.0;
  return taps_ / 2.0 * static_cast<double>(up_) / static_cast<double>(down_);
}

void Resampler::push(const float* const* in, std::size_t frames) {
  if (frames == 0) return;
  const std::size_t size = history_[0].size();
  if (consumed_ >= kCompactMin && consumed_ * 2 >= size) {
    for (auto& h : history_) h.erase(h.begin(), h.begin() + static_cast<std::ptrdiff_t>(consumed_));
    consumed_ = 0;
  }
  for (int c = 0; c < channels_; ++c) {
    auto& h = history_[static_cast<std::size_t>(c)];
    h.insert(h.end(), in[c], in[c] + frames);
  }
}

std::size_t Resampler::available() const {
  const std::size_t size = history_[0].size();
  if (passthrough_) return size - consumed_;
  const std::size_t end = consumed_ + static_cast<std::size_t>(taps_);
  if (size < end) return 0;
  // Outputs k = 0, 1, ... have their first tap at consumed_ + floor((phase_ + k * down_) / up_),
  // which must be <= size - taps_: phase_ + k * down_ < (size - end + 1) * up_.
  const std::uint64_t limit = static_cast<std::uint64_t>(size - end + 1) * static_cast<std::uint64_t>(up_);
  const std::uint64_t count = (limit - static_cast<std::uint64_t>(phase_) + static_cast<std::uint64_t>(down_) - 1) /
                              static_cast<std::uint64_t>(down_);
  return static_cast<std::size_t>(count);
}

std::size_t Resampler::input_needed(std::size_t out_frames) const {
  if (out_frames == 0) return 0;
  const std::size_t size = history_[0].size();
  std::uint64_t end;  // history length the last wanted output needs
  if (passthrough_) {
    end = consumed_ + out_frames;
  } else {
    const std::uint64_t last = static_cast<std::uint64_t>(out_frames - 1);
    end = consumed_ +
          (static_cast<std::uint64_t>(phase_) + last * static_cast<std::uint64_t>(down_)) /
              static_cast<std::uint64_t>(up_) +
          static_cast<std::uint64_t>(taps_);
  }
  return end > size ? static_cast<std::size_t>(end - size) : 0;
}

std::size_t Resampler::pull(float* const* out, std::size_t frames) {
  const std::size_t n = std::min(frames, available());
  if (n == 0) return 0;
  if (passthrough_) {
    for (int c = 0; c < channels_; ++c) {
      std::memcpy(out[c], history_[static_cast<std::size_t>(c)].data() + consumed_, n * sizeof(float));
    }
    consumed_ += n;
  } else {
    const std::size_t taps = static_cast<std::size_t>(taps_);
    std::size_t consumed = consumed_;
    int phase = phase_;
    for (int c = 0; c < channels_; ++c) {
      const float* h = history_[static_cast<std::size_t>(c)].data();
      float* dst = out[c];
      consumed = consumed_;
      phase = phase_;
      for (std::size_t k = 0; k < n; ++k) {
        const float* coeffs = filter_.data() + static_cast<std::size_t>(phase) * taps;
        dst[k] = options_.simd ? dot_simd(h + consumed, coeffs, taps) : dot_scalar(h + consumed, coeffs, taps);
        phase += down_;
        if (phase >= up_) {
          consumed += static_cast<std::size_t>(phase / up_);
          phase %= up_;
        }
      }
    }
    consumed_ = consumed;
    phase_ = phase;
  }
  // Drop consumed input once it is most of the buffer (also when the caller never pushes again).
  const std::size_t size = history_[0].size();
  if (consumed_ >= kCompactMin && consumed_ * 2 >= size) {
    for (auto& h : history_) h.erase(h.begin(), h.begin() + static_cast<std::ptrdiff_t>(consumed_));
    consumed_ = 0;
  }
  return n;
}

}  // namespace trtc::audio
