#include "trtc/audio/resampler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "../support/signals.h"

namespace trtc::audio {
namespace {

using testing::noise;
using testing::sine;

using testing::Fit;
using testing::fit_sinusoid;
using testing::kPi;

struct Ratio {
  int in, out;
};
// The conversions the SDK uses: file and device rates into the 48 kHz mixer, and back out to a
// 44.1 kHz AudioContext or a 16 kHz speech path.
const Ratio kRatios[] = {{44100, 48000}, {32000, 48000}, {16000, 48000}, {22050, 48000},
                         {8000, 48000},  {48000, 44100}, {48000, 16000}};

std::string ratio_name(const Ratio& r) { return std::to_string(r.in) + "_to_" + std::to_string(r.out); }

// Mono: pushes everything at once and pulls everything available.
std::vector<float> resample(const Ratio& r, const std::vector<float>& in, ResamplerOptions options = {}) {
  Resampler rs(r.in, r.out, 1, options);
  const float* src[1] = {in.data()};
  rs.push(src, in.size());
  std::vector<float> out(rs.available());
  float* dst[1] = {out.data()};
  EXPECT_EQ(rs.pull(dst, out.size()), out.size());
  EXPECT_EQ(rs.available(), 0u);
  return out;
}

// Amplitude of the component at a known frequency (cycles per sample) in x[begin, end), through a
// 4-term Blackman-Harris window: other components more than a few bins away (here: tens of Hz
// and more, over about a second) leak in below -92 dB, so levels far below a loud tone can be read.
double tone_level(const std::vector<float>& x, std::size_t begin, std::size_t end, double cycles) {
  const double n = static_cast<double>(end - begin - 1);
  double re = 0.0, im = 0.0, weight = 0.0;
  for (std::size_t i = begin; i < end; ++i) {
    const double u = 2.0 * kPi * static_cast<double>(i - begin) / n;
    const double w = 0.35875 - 0.48829 * std::cos(u) + 0.14128 * std::cos(2.0 * u) - 0.01168 * std::cos(3.0 * u);
    const double phase = 2.0 * kPi * cycles * static_cast<double>(i);
    re += w * x[i] * std::cos(phase);
    im += w * x[i] * std::sin(phase);
    weight += w;
  }
  return 2.0 * std::sqrt(re * re + im * im) / weight;
}

double db(double ratio) { return 20.0 * std::log10(std::max(ratio, 1e-30)); }

// ---- Dot product kernel -------------------------------------------------------------------------

TEST(DotKernel, SimdMatchesScalarReference) {
  const auto a = noise(300, 1u), b = noise(300, 2u);
  for (std::size_t offset = 0; offset < 4; ++offset) {
    for (std::size_t n = 0; n + offset <= 290; ++n) {
      const float ref = dot_scalar(a.data() + offset, b.data() + 3 - offset % 4, n);
      const float simd = dot_simd(a.data() + offset, b.data() + 3 - offset % 4, n);
      double magnitude = 0.0;
      for (std::size_t i = 0; i < n; ++i) magnitude += std::fabs(a[offset + i] * b[3 - offset % 4 + i]);
      ASSERT_NEAR(simd, ref, 1e-5 * magnitude + 1e-30) << "n=" << n << " offset=" << offset;
    }
  }
  EXPECT_EQ(dot_simd(a.data(), b.data(), 0), 0.0f);
  const float ones[8] = {1, 1, 1, 1, 1, 1, 1, 1}, twos[8] = {2, 2, 2, 2, 2, 2, 2, 2};
  EXPECT_EQ(dot_simd(ones, twos, 8), 16.0f);
  EXPECT_EQ(dot_simd(ones, twos, 7), 14.0f);
}

TEST(Resampler, ScalarAndSimdOutputsAgree) {
  const auto in = noise(9000, 3u, 0.9f);
  for (const Ratio& r : kRatios) {
    ResamplerOptions scalar;
    scalar.simd = false;
    const auto a = resample(r, in, scalar);
    const auto b = resample(r, in);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], 2e-6f) << ratio_name(r) << " " << i;
  }
}

// ---- Streaming ----------------------------------------------------------------------------------

TEST(Resampler, PassthroughWhenRatesAreEqual) {
  Resampler rs(48000, 48000, 2);
  EXPECT_EQ(rs.latency_frames(), 0.0);
  const auto l = noise(1000, 1u), r = noise(1000, 2u);
  const float* in[2] = {l.data(), r.data()};
  EXPECT_EQ(rs.input_needed(300), 300u);
  rs.push(in, 1000);
  EXPECT_EQ(rs.available(), 1000u);
  EXPECT_EQ(rs.input_needed(300), 0u);
  EXPECT_EQ(rs.input_needed(1200), 200u);
  std::vector<float> ol(1000), orr(1000);
  float* out[2] = {ol.data(), orr.data()};
  EXPECT_EQ(rs.pull(out, 400), 400u);
  float* rest[2] = {ol.data() + 400, orr.data() + 400};
  EXPECT_EQ(rs.pull(rest, 5000), 600u);
  EXPECT_EQ(ol, l);
  EXPECT_EQ(orr, r);
}

// The same input pushed at once or in random pieces, and pulled at once or in random pieces,
// gives the same output: the samples are what the filter math defines, not what the calls did.
TEST(Resampler, OutputDoesNotDependOnHowPushAndPullAreSplit) {
  const auto left = noise(30000, 5u, 0.8f), right = sine(30000, 0.5, 1234.5, 44100);
  for (const Ratio& r : kRatios) {
    Resampler whole(r.in, r.out, 2);
    const float* all[2] = {left.data(), right.data()};
    whole.push(all, left.size());
    const std::size_t total = whole.available();
    std::vector<float> wl(total), wr(total);
    float* wout[2] = {wl.data(), wr.data()};
    ASSERT_EQ(whole.pull(wout, total), total);

    Resampler split(r.in, r.out, 2);
    std::mt19937 rng(static_cast<std::uint32_t>(r.in + r.out));
    std::vector<float> sl, sr;
    std::size_t pushed = 0;
    while (pushed < left.size() || split.available() > 0) {
      if (pushed < left.size() && rng() % 3 != 0) {
        const std::size_t n = std::min<std::size_t>(1 + rng() % 700, left.size() - pushed);
        const float* in[2] = {left.data() + pushed, right.data() + pushed};
        split.push(in, n);
        pushed += n;
      } else {
        const std::size_t want = 1 + rng() % 500;
        const std::size_t avail = split.available();
        std::vector<float> bl(want), br(want);
        float* out[2] = {bl.data(), br.data()};
        const std::size_t got = split.pull(out, want);
        ASSERT_EQ(got, std::min(want, avail));
        sl.insert(sl.end(), bl.begin(), bl.begin() + static_cast<std::ptrdiff_t>(got));
        sr.insert(sr.end(), br.begin(), br.begin() + static_cast<std::ptrdiff_t>(got));
      }
    }
    ASSERT_EQ(sl.size(), total) << ratio_name(r);
    for (std::size_t i = 0; i < total; ++i) {
      ASSERT_NEAR(sl[i], wl[i], 1e-6f) << ratio_name(r) << " " << i;
      ASSERT_NEAR(sr[i], wr[i], 1e-6f) << ratio_name(r) << " " << i;
    }
  }
}

// After pushing M frames in total, ceil(M * out / in) frames have become available; input_needed
// is the exact minimum: pushing it makes the frames available, one frame less does not.
TEST(Resampler, AvailableAndInputNeededAreConsistent) {
  std::mt19937 rng(9u);
  for (const Ratio& r : kRatios) {
    Resampler rs(r.in, r.out, 1);
    std::vector<float> buf(5000, 0.1f), out(5000);
    const float* in[1] = {buf.data()};
    float* dst[1] = {out.data()};
    std::uint64_t pushed = 0, pulled = 0;
    for (int step = 0; step < 200; ++step) {
      const std::size_t want = rng() % 1200;
      const std::size_t need = rs.input_needed(want);
      if (need > 0) {
        Resampler less = rs;
        less.push(in, need - 1);
        ASSERT_LT(less.available(), want) << ratio_name(r) << " step " << step;
      }
      rs.push(in, need);
      pushed += need;
      ASSERT_GE(rs.available(), want) << ratio_name(r) << " step " << step;
      ASSERT_EQ(rs.input_needed(want), 0u);
      const std::uint64_t defined =
          (pushed * static_cast<std::uint64_t>(r.out) + static_cast<std::uint64_t>(r.in) - 1) /
          static_cast<std::uint64_t>(r.in);
      ASSERT_EQ(pulled + rs.available(), defined) << ratio_name(r) << " step " << step;
      const std::size_t extra = rng() % 300;  // sometimes more than needed
      rs.push(in, extra);
      pushed += extra;
      pulled += rs.pull(dst, std::min<std::size_t>(want + rng() % 50, out.size()));
    }
    EXPECT_EQ(rs.input_needed(0), 0u);
  }
}

TEST(Resampler, ResetForgetsInput) {
  Resampler rs(44100, 48000, 1);
  const auto x = noise(2000, 4u);
  const float* in[1] = {x.data()};
  rs.push(in, 2000);
  EXPECT_GT(rs.available(), 0u);
  rs.reset();
  EXPECT_EQ(rs.available(), 0u);
  rs.push(in, 2000);
  std::vector<float> a(rs.available());
  float* out[1] = {a.data()};
  rs.pull(out, a.size());
  const auto fresh = resample({44100, 48000}, x);
  ASSERT_EQ(a.size(), fresh.size());
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], fresh[i]);
}

TEST(Resampler, ChannelsAreIndependent) {
  const auto l = noise(5000, 1u), r = sine(5000, 0.7, 440.0, 32000);
  Resampler stereo(32000, 48000, 2);
  const float* in[2] = {l.data(), r.data()};
  stereo.push(in, 5000);
  std::vector<float> ol(stereo.available()), orr(stereo.available());
  float* out[2] = {ol.data(), orr.data()};
  stereo.pull(out, ol.size());
  EXPECT_EQ(ol, resample({32000, 48000}, l));
  EXPECT_EQ(orr, resample({32000, 48000}, r));
}

// Streams two minutes in 10 ms blocks: the amounts stay exact (no drift in the phase
// bookkeeping), and the compaction of the history keeps the work per block constant.
TEST(Resampler, LongStreamsStayExact) {
  Resampler rs(44100, 48000, 2);
  std::vector<float> block(441, 0.25f), out(600);
  const float* in[2] = {block.data(), block.data()};
  float* dst[2] = {out.data(), out.data()};
  std::uint64_t pulled = 0;
  for (int i = 0; i < 12000; ++i) {
    rs.push(in, 441);
    pulled += rs.pull(dst, 480);
    ASSERT_LE(rs.available(), 1u);
  }
  EXPECT_EQ(pulled + rs.available(), 12000u * 480u);
  EXPECT_NEAR(out[0], 0.25f, 1e-6f);  // DC passes with unity gain
}

// ---- Filter quality -----------------------------------------------------------------------------
//
// N is the lower of the two Nyquist frequencies. The header promises, for the default options:
// passband flat to 0.85 N, stopband from 1.0 N. The design gives +-0.002 dB and >= 76 dB; the
// checks below leave margin for the measurement (+-0.1 dB, >= 70 dB in the stopband, >= 60 dB at
// the named alias and image frequencies).

double lower_nyquist(const Ratio& r) { return std::min(r.in, r.out) / 2.0; }

// First output frame whose filter window lies entirely in the signal (after the start-up).
std::size_t steady_begin(const Ratio& r, const ResamplerOptions& options = {}) {
  return 2 * static_cast<std::size_t>(std::ceil(Resampler(r.in, r.out, 1, options).latency_frames())) + 2;
}

// `hz` as it appears in a signal sampled at `rate` (folded into 0 .. rate / 2).
double fold(double hz, int rate) {
  const double m = std::fmod(hz, static_cast<double>(rate));
  return std::min(m, rate - m);
}

// Level (dB relative to `amplitude`) of what a tone at x * N (x >= 1) leaves in the output.
// Downsampling: a tone at x * N goes in and the whole output is its alias (RMS). Upsampling: a tone
// at fin - x * N goes in, and its first image lies at x * N (folded into the output's band when
// that is above the output's Nyquist frequency): the windowed level at that frequency.
double stopband_level_db(const Ratio& r, double x, const ResamplerOptions& options = {}) {
  const double n = lower_nyquist(r), amplitude = 0.5;
  const std::size_t length = static_cast<std::size_t>(r.in);  // one second
  const std::size_t begin = steady_begin(r, options);
  if (r.out < r.in) {
    const auto out = resample(r, sine(length, amplitude, x * n, r.in), options);
    double sum = 0.0;
    for (std::size_t i = begin; i < out.size(); ++i) sum += static_cast<double>(out[i]) * out[i];
    return db(std::sqrt(2.0 * sum / static_cast<double>(out.size() - begin)) / amplitude);
  }
  const double tone = r.in - x * n;
  const double image = fold(x * n, r.out);
  const auto out = resample(r, sine(length, amplitude, tone, r.in), options);
  return db(tone_level(out, begin, out.size(), image / r.out) / amplitude);
}

// Sines at in-band frequencies come out with their amplitude within +-0.1 dB. The fit runs at the
// exact frequency over the output after the filter's start-up, so it also confirms the
// frequency is unchanged.
TEST(Resampler, PassbandIsFlatWithinATenthOfADecibel) {
  for (const Ratio& r : kRatios) {
    const double nyquist = lower_nyquist(r);
    double worst = 0.0;
    // 0.85 x N is the passband edge the header promises for the default options.
    for (double hz : {100.0, 1000.0, 5000.0, 10000.0, 0.5 * nyquist, 0.75 * nyquist, 0.85 * nyquist}) {
      if (hz > 0.85 * nyquist + 1e-9) continue;
      const auto in = sine(static_cast<std::size_t>(r.in) / 2, 0.5, hz, r.in);
      const auto out = resample(r, in);
      const Fit fit = fit_sinusoid(out, steady_begin(r), out.size(), hz / r.out);
      const double gain_db = db(fit.amplitude / 0.5);
      EXPECT_NEAR(gain_db, 0.0, 0.1) << ratio_name(r) << " at " << hz << " Hz";
      // Nothing else in the output either: the tone's images or aliases (from 2N - f >= 1.15 N up)
      // lie in the stopband.
      EXPECT_LT(fit.residual_rms, 0.5 * 1e-3) << ratio_name(r) << " at " << hz << " Hz";
      worst = std::max(worst, std::fabs(gain_db));
    }
    RecordProperty("passband_worst_db_" + ratio_name(r), std::to_string(worst));
    std::printf("[ resampler ] %5d -> %5d Hz: passband to 0.85 x %.0f Hz within %.4f dB\n", r.in, r.out, nyquist,
                worst);
  }
}

// For every ratio, tones at (downsampling) or images at (upsampling) 1.002 .. 1.45 x N are >= 70 dB
// down: the stopband starts at N. (The design's highest stopband sidelobe is near 1.005 N.)
TEST(Resampler, StopbandStartsAtTheLowerNyquistFrequency) {
  for (const Ratio& r : kRatios) {
    const double n = lower_nyquist(r);
    double worst = -400.0, worst_x = 0.0;
    for (double x : {1.002, 1.005, 1.01, 1.03, 1.05, 1.1, 1.2, 1.3, 1.45}) {
      if (r.out < r.in && x * n >= 0.98 * r.in / 2.0) continue;  // not representable at the input rate
      if (r.out > r.in) {
        const double image = fold(x * n, r.out), tone = r.in - x * n;
        // The window (1 s: main lobe +-4 Hz) cannot tell the image from the tone, DC or the
        // output's Nyquist frequency when they are this close.
        if (std::fabs(image - tone) < 10.0 || image < 10.0 || image > r.out / 2.0 - 10.0) continue;
      }
      const double level = stopband_level_db(r, x);
      EXPECT_LE(level, -70.0) << ratio_name(r) << " at " << x << " x N";
      if (level > worst) worst = level, worst_x = x;
    }
    std::printf("[ resampler ] %5d -> %5d Hz: stopband from 1.002 x %.0f Hz: worst %.1f dB (at %.3f x N)\n", r.in,
                r.out, n, worst, worst_x);
    RecordProperty("stopband_worst_db_" + ratio_name(r), std::to_string(worst));
  }
}

// Other tap counts, with the cutoff the header gives for them (1 - 9.6 / (taps - 1)): the passband is
// flat to that cutoff and the stopband still starts at N.
TEST(Resampler, TapCountsFrom16To128KeepPassbandAndStopband) {
  for (int taps : {16, 24, 32, 48, 64, 96, 128}) {
    for (const Ratio& r : {Ratio{44100, 48000}, Ratio{48000, 16000}}) {
      ResamplerOptions options;
      options.taps = taps;
      options.cutoff = static_cast<float>(1.0 - 9.6 / (taps - 1));
      const double nyquist = lower_nyquist(r);
      for (double hz : {100.0, 1000.0, options.cutoff * nyquist}) {
        const auto in = sine(static_cast<std::size_t>(r.in) / 4, 0.5, hz, r.in);
        const auto out = resample(r, in, options);
        const Fit fit = fit_sinusoid(out, steady_begin(r, options), out.size(), hz / r.out);
        EXPECT_NEAR(db(fit.amplitude / 0.5), 0.0, 0.1) << taps << " taps, " << ratio_name(r) << " at " << hz;
      }
      for (double x : {1.02, 1.1}) {
        EXPECT_LE(stopband_level_db(r, x, options), -70.0) << taps << " taps, " << ratio_name(r) << " at " << x;
      }
    }
  }
}

// Downsampling 48 -> 16 kHz: tones from just above the output's Nyquist frequency (8 kHz) up are
// attenuated by >= 60 dB, among them 8.8 and 9.6 kHz (which alias to 7.2 and 6.4 kHz) and 12 kHz
// (to 4 kHz).
TEST(Resampler, DownsamplingRejectsAliases) {
  const Ratio r{48000, 16000};
  for (double hz : {8200.0, 8800.0, 9600.0, 10000.0, 12000.0, 15000.0, 23000.0}) {
    const double attenuation = -stopband_level_db(r, hz / lower_nyquist(r));
    std::printf("[ resampler ] 48000 -> 16000 Hz: %.0f Hz tone attenuated by %.1f dB\n", hz, attenuation);
    RecordProperty("alias_attenuation_db_48000_to_16000_at_" + std::to_string(static_cast<int>(hz)),
                   std::to_string(attenuation));
    EXPECT_GE(attenuation, 60.0) << hz;
  }
}

// Upsampling: the images of a tone at f lie at k * fin +- f (folded into the output's band). For
// 16 -> 48 kHz a 1 kHz tone's images (15, 17 kHz) and a 7 kHz tone's (9, 23 kHz), and for
// 44.1 -> 48 kHz a 20 kHz tone's (24.1 kHz, above the output's 24 kHz, folds to 23.9 kHz; 64.1 kHz
// folds to 16.1 kHz) are >= 60 dB below the tone. And for every ratio, everything that is not a
// 1 kHz tone (images, aliases, noise) is >= 60 dB down.
TEST(Resampler, UpsamplingRejectsImagesAndOutputIsClean) {
  struct Case {
    Ratio r;
    double tone;
  };
  for (const Case& c : {Case{{16000, 48000}, 1000.0}, Case{{16000, 48000}, 7000.0}, Case{{44100, 48000}, 20000.0},
                        Case{{8000, 48000}, 3000.0}}) {
    const Ratio& r = c.r;
    const auto out = resample(r, sine(static_cast<std::size_t>(r.in), 0.5, c.tone, r.in));
    const std::size_t begin = steady_begin(r);
    const double tone = tone_level(out, begin, out.size(), c.tone / r.out);
    std::printf("[ resampler ] %5d -> %5d Hz: %.0f Hz tone at %+.3f dB\n", r.in, r.out, c.tone, db(tone / 0.5));
    for (int k = 1; k <= 2; ++k) {
      for (double image : {k * r.in - c.tone, k * r.in + c.tone}) {
        const double at = fold(image, r.out);
        if (std::fabs(at - c.tone) < 50.0) continue;
        const double level = db(tone_level(out, begin, out.size(), at / r.out) / tone);
        std::printf("[ resampler ] %5d -> %5d Hz: image of %.0f Hz at %.0f Hz (heard at %.0f Hz): %.1f dB\n", r.in,
                    r.out, c.tone, image, at, level);
        RecordProperty("image_db_" + ratio_name(r) + "_" + std::to_string(static_cast<int>(c.tone)) + "_at_" +
                           std::to_string(static_cast<int>(at)),
                       std::to_string(level));
        EXPECT_LE(level, -60.0) << ratio_name(r) << " tone " << c.tone << " image " << image;
      }
    }
  }
  for (const Ratio& r : kRatios) {
    const auto out = resample(r, sine(static_cast<std::size_t>(r.in) / 2, 0.5, 1000.0, r.in));
    const Fit fit = fit_sinusoid(out, steady_begin(r), out.size(), 1000.0 / r.out);
    const double rest_db = db(fit.residual_rms * std::sqrt(2.0) / fit.amplitude);
    std::printf("[ resampler ] %5d -> %5d Hz: 1 kHz tone, everything else at %.1f dB\n", r.in, r.out, rest_db);
    RecordProperty("residual_db_" + ratio_name(r), std::to_string(rest_db));
    EXPECT_LE(rest_db, -60.0) << ratio_name(r);
  }
}

// An impulse comes out with its peak at latency_frames() (+-1 frame); the stated latency per
// ratio is recorded as a test property and printed.
TEST(Resampler, ImpulsePeakLiesAtTheStatedLatency) {
  for (const Ratio& r : kRatios) {
    for (std::size_t at : {0u, 1u, 77u}) {
      std::vector<float> in(static_cast<std::size_t>(r.in) / 50, 0.0f);
      in[at] = 1.0f;
      const auto out = resample(r, in);
      const auto peak =
          std::max_element(out.begin(), out.end(), [](float a, float b) { return std::fabs(a) < std::fabs(b); });
      const double peak_frame = static_cast<double>(peak - out.begin());
      Resampler rs(r.in, r.out, 1);
      const double expected = rs.latency_frames() + static_cast<double>(at) * r.out / r.in;
      EXPECT_NEAR(peak_frame, expected, 1.0) << ratio_name(r) << " impulse at " << at;
      if (at == 0) {
        const double ms = 1000.0 * rs.latency_frames() / r.out;
        std::printf("[ resampler ] %5d -> %5d Hz: latency %.2f output frames = %.3f ms\n", r.in, r.out,
                    rs.latency_frames(), ms);
        RecordProperty("latency_ms_" + ratio_name(r), std::to_string(ms));
      }
    }
  }
}

// 1 kHz in gives 1 kHz out: two seconds of output have 4000 zero crossings (+-1).
TEST(Resampler, FrequencyIsExact) {
  for (const Ratio& r : kRatios) {
    const auto out = resample(r, sine(static_cast<std::size_t>(r.in) * 3, 0.5, 1000.0, r.in));
    const std::size_t begin = static_cast<std::size_t>(r.out / 4);  // well after the start-up
    const std::size_t end = begin + static_cast<std::size_t>(r.out) * 2;
    ASSERT_LE(end, out.size());
    int crossings = 0;
    for (std::size_t i = begin + 1; i < end; ++i) crossings += (out[i - 1] < 0.0f) != (out[i] < 0.0f);
    EXPECT_NEAR(crossings, 4000, 1) << ratio_name(r);
    // And the least-squares fit at exactly 1 kHz leaves nothing: a wrong rate would smear it.
    const Fit fit = fit_sinusoid(out, begin, end, 1000.0 / r.out);
    EXPECT_NEAR(fit.amplitude, 0.5, 0.5 * 0.0116) << ratio_name(r);
  }
}

TEST(Resampler, InvalidArgumentsAreClamped) {
  Resampler rs(0, -5, 0, ResamplerOptions{13, -1.0f, -3.0f, true});
  EXPECT_GE(rs.in_rate(), 1);
  EXPECT_GE(rs.out_rate(), 1);
  EXPECT_EQ(rs.channels(), 1);
  Resampler big(8000, 48000, 20);
  EXPECT_EQ(big.channels(), 8);
  EXPECT_EQ(big.in_rate(), 8000);
  EXPECT_EQ(big.out_rate(), 48000);
}

}  // namespace
}  // namespace trtc::audio
