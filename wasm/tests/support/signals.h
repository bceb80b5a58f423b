// Test signals and measurements shared by the audio GoogleTests: sines, seeded noise, RMS and the
// amplitude of one frequency. Header-only.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace trtc::audio::testing {

constexpr double kPi = 3.14159265358979323846;

/// `n` samples of amplitude * sin(2π hz i / rate + phase).
inline std::vector<float> sine(std::size_t n, double amplitude, double hz, int rate = 48000, double phase = 0.0) {
  std::vector<float> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = static_cast<float>(amplitude * std::sin(2.0 * kPi * hz * static_cast<double>(i) / rate + phase));
  }
  return out;
}

/// `n` uniform samples in [-scale, scale], the same for the same seed.
inline std::vector<float> noise(std::size_t n, std::uint32_t seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-scale, scale);
  std::vector<float> out(n);
  for (auto& s : out) s = dist(rng);
  return out;
}

inline double rms(const float* x, std::size_t n) {
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * x[i];
  return std::sqrt(sum / static_cast<double>(n));
}

/// Amplitude of the `hz` component of x[0, n) (a single-bin DFT; n should span whole periods).
inline double tone_amplitude(const float* x, std::size_t n, double hz, int rate = 48000) {
  double re = 0.0, im = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = 2.0 * kPi * hz * static_cast<double>(i) / rate;
    re += x[i] * std::cos(w);
    im -= x[i] * std::sin(w);
  }
  return 2.0 * std::sqrt(re * re + im * im) / static_cast<double>(n);
}

/// A sinusoid fitted at a known frequency.
struct Fit {
  double amplitude;
  double residual_rms;  // what is left after removing the fitted sinusoid
};

// Least-squares fit of a*cos + b*sin at a known frequency (cycles per sample) over x[begin, end).
inline Fit fit_sinusoid(const std::vector<float>& x, std::size_t begin, std::size_t end, double cycles) {
  double cc = 0, ss = 0, cs = 0, xc = 0, xs = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const double w = 2.0 * kPi * cycles * static_cast<double>(i);
    const double c = std::cos(w), s = std::sin(w);
    cc += c * c;
    ss += s * s;
    cs += c * s;
    xc += x[i] * c;
    xs += x[i] * s;
  }
  const double det = cc * ss - cs * cs;
  const double a = (xc * ss - xs * cs) / det;
  const double b = (xs * cc - xc * cs) / det;
  double residual = 0.0;
  for (std::size_t i = begin; i < end; ++i) {
    const double w = 2.0 * kPi * cycles * static_cast<double>(i);
    const double e = x[i] - a * std::cos(w) - b * std::sin(w);
    residual += e * e;
  }
  return {std::sqrt(a * a + b * b), std::sqrt(residual / static_cast<double>(end - begin))};
}

}  // namespace trtc::audio::testing
