#include "trtc/audio/gain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "../support/signals.h"

namespace trtc::audio {
namespace {

using testing::noise;
using testing::rms;
using testing::sine;

using testing::kPi;

float max_step(const std::vector<float>& x) {
  float m = 0.0f;
  for (std::size_t i = 1; i < x.size(); ++i) m = std::max(m, std::fabs(x[i] - x[i - 1]));
  return m;
}

// ---- Kernels ------------------------------------------------------------------------------------

// Every length from 0 to 263 (8-wide body, 4-wide step, scalar tail, last sample) at offsets 0-3,
// with rising, falling and constant ramps.
TEST(GainKernel, SimdMatchesScalarReference) {
  const auto src = noise(263 + 3, 7u);
  const auto base = noise(263 + 3, 8u, 0.5f);
  const float ramps[][2] = {{0.0f, 1.0f}, {1.0f, 0.0f}, {0.3f, 0.3f}, {1.0f, 4.5f}, {2.0f, 0.25f}};
  for (const auto& r : ramps) {
    for (std::size_t offset = 0; offset < 4; ++offset) {
      for (std::size_t n = 0; n + offset <= 263; ++n) {
        auto a = src, b = src;
        apply_gain_ramp_scalar(a.data() + offset, n, r[0], r[1]);
        apply_gain_ramp_simd(b.data() + offset, n, r[0], r[1]);
        for (std::size_t i = 0; i < a.size(); ++i) {
          ASSERT_NEAR(b[i], a[i], 1e-6f * std::fabs(a[i]) + 1e-30f) << "apply n=" << n << " offset=" << offset;
        }
        auto c = base, d = base;
        mix_add_ramp_scalar(c.data() + offset, src.data() + 3 - offset, n, r[0], r[1]);
        mix_add_ramp_simd(d.data() + offset, src.data() + 3 - offset, n, r[0], r[1]);
        for (std::size_t i = 0; i < c.size(); ++i) {
          ASSERT_NEAR(d[i], c[i], 1e-6f * std::fabs(c[i]) + 1e-30f) << "mix n=" << n << " offset=" << offset;
        }
      }
    }
  }
}

TEST(GainKernel, RampShapeIsLinearAndEndsOnTarget) {
  for (std::size_t n : {1u, 5u, 8u, 13u, 480u}) {
    std::vector<float> ones(n, 1.0f);
    apply_gain_ramp(ones.data(), n, 0.2f, 1.7f);
    for (std::size_t i = 0; i < n; ++i) {
      const double expected = 0.2 + (1.7 - 0.2) * static_cast<double>(i + 1) / static_cast<double>(n);
      EXPECT_NEAR(ones[i], expected, 1e-6) << i;
    }
    EXPECT_EQ(ones[n - 1], 1.7f);
    std::vector<float> dst(n, 0.5f), src(n, 2.0f);
    mix_add_ramp(dst.data(), src.data(), n, 1.0f, 0.0f);
    EXPECT_EQ(dst[n - 1], 0.5f);
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_NEAR(dst[i], 0.5 + 2.0 * (1.0 - static_cast<double>(i + 1) / static_cast<double>(n)), 1e-6) << i;
    }
  }
}

TEST(GainKernel, ConstantGainIsExact) {
  auto x = noise(101, 3u);
  auto y = x;
  apply_gain_ramp_simd(y.data(), y.size(), 0.5f, 0.5f);
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_EQ(y[i], x[i] * 0.5f);
}

// ---- GainStage ----------------------------------------------------------------------------------

TEST(GainStage, RampReachesTargetExactlyAtTheEnd) {
  GainStage stage(48000, 10.0f, 1.0f);  // 480 samples
  stage.set_gain(0.25f);
  EXPECT_TRUE(stage.ramping());
  EXPECT_EQ(stage.target(), 0.25f);
  std::vector<float> x(1000, 1.0f);
  stage.process(x.data(), 300);
  EXPECT_TRUE(stage.ramping());
  EXPECT_NEAR(stage.gain(), 1.0 - 0.75 * 300.0 / 480.0, 1e-6);
  stage.process(x.data() + 300, 700);
  EXPECT_FALSE(stage.ramping());
  EXPECT_EQ(stage.gain(), 0.25f);
  EXPECT_EQ(x[479], 0.25f);  // the last ramp sample is the target itself
  EXPECT_GT(x[478], 0.25f);
  for (std::size_t i = 480; i < x.size(); ++i) ASSERT_EQ(x[i], 0.25f) << i;
  for (std::size_t i = 1; i < 480; ++i) ASSERT_LT(x[i], x[i - 1]) << i;  // strictly monotonic
}

// The same gain automation applied in one call or in blocks of 1, 7 and 128 samples (the gain
// changes land between blocks at the same sample positions) gives the same output.
TEST(GainStage, OutputDoesNotDependOnBlockSize) {
  const auto input = noise(1000, 11u);
  struct Event {
    std::size_t at;
    float gain;
  };
  const std::vector<Event> events = {{0, 0.2f}, {250, 1.5f}, {300, 0.0f}, {777, 0.8f}, {780, 3.0f}};
  auto run = [&](std::size_t block) {
    GainStage stage(48000, 5.0f, 1.0f);
    std::vector<float> out = input;
    std::vector<float> mixed(input.size(), 0.1f);
    std::size_t pos = 0, next_event = 0;
    while (pos < out.size()) {
      while (next_event < events.size() && events[next_event].at == pos) stage.set_gain(events[next_event++].gain);
      std::size_t n = std::min(block, out.size() - pos);
      if (next_event < events.size()) n = std::min(n, events[next_event].at - pos);
      float* channels[1] = {out.data() + pos};
      stage.process(channels, 1, n);
      pos += n;
    }
    return out;
  };
  auto run_mix = [&](std::size_t block) {
    GainStage stage(48000, 5.0f, 1.0f);
    std::vector<float> out(input.size(), 0.1f);
    std::size_t pos = 0, next_event = 0;
    while (pos < out.size()) {
      while (next_event < events.size() && events[next_event].at == pos) stage.set_gain(events[next_event++].gain);
      std::size_t n = std::min(block, out.size() - pos);
      if (next_event < events.size()) n = std::min(n, events[next_event].at - pos);
      float* dst[1] = {out.data() + pos};
      const float* src[1] = {input.data() + pos};
      stage.mix_into(dst, src, 1, n);
      pos += n;
    }
    return out;
  };
  const auto whole = run(1000);
  const auto whole_mix = run_mix(1000);
  for (std::size_t block : {1u, 7u, 128u}) {
    const auto split = run(block);
    const auto split_mix = run_mix(block);
    for (std::size_t i = 0; i < whole.size(); ++i) {
      ASSERT_NEAR(split[i], whole[i], 1e-6f) << "block=" << block << " i=" << i;
      ASSERT_NEAR(split_mix[i], whole_mix[i], 1e-6f) << "block=" << block << " i=" << i;
    }
  }
}

TEST(GainStage, SetGainDuringARampStartsFromTheCurrentValue) {
  GainStage stage(48000, 10.0f, 1.0f);
  std::vector<float> x(2000, 1.0f);
  stage.set_gain(0.0f);
  stage.process(x.data(), 240);
  EXPECT_NEAR(stage.gain(), 0.5f, 1e-6f);
  stage.set_gain(1.0f);  // turn around halfway: a new 480-sample ramp from 0.5
  EXPECT_TRUE(stage.ramping());
  stage.process(x.data() + 240, 1760);
  EXPECT_NEAR(x[240], 0.5 + 0.5 / 480.0, 1e-6);
  EXPECT_NEAR(x[239], 0.5, 1e-6);
  EXPECT_EQ(x[240 + 479], 1.0f);
  for (std::size_t i = 1; i < x.size(); ++i) ASSERT_LE(std::fabs(x[i] - x[i - 1]), 1.0f / 480.0f + 1e-6f) << i;
  // Setting the same target again does not restart (or stretch) the ramp.
  stage.set_gain(0.5f);
  std::vector<float> y(100, 1.0f);
  stage.process(y.data(), 100);
  stage.set_gain(0.5f);
  stage.process(y.data(), 100);
  EXPECT_NEAR(stage.gain(), 1.0 - 0.5 * 200.0 / 480.0, 1e-6);
}

// A 1 kHz sine through gain changes 1 -> 0 -> 1 -> 3 -> 0.5: every sample-to-sample step of the
// output stays within the input's own largest step times the local gain plus |x| times the gain's
// step (at most 2.5 / 480 per sample): no clicks. A hard switch would jump by up to 0.8 * 3.
TEST(GainStage, RampedSineHasNoClicks) {
  const auto input = sine(48000, 0.8f, 1000.0);
  const float in_step = max_step(input);
  GainStage stage(48000, 10.0f, 1.0f), probe(48000, 10.0f, 1.0f);
  std::vector<float> out = input;
  std::vector<float> gain(input.size(), 1.0f);                // the gain itself, from a twin stage on ones
  const std::size_t changes[] = {4017, 12017, 20017, 30017};  // off the zero crossings
  const float gains[] = {0.0f, 1.0f, 3.0f, 0.5f};
  std::size_t pos = 0;
  for (int k = 0; k <= 4; ++k) {
    const std::size_t end = k < 4 ? changes[k] : out.size();
    stage.process(out.data() + pos, end - pos);
    probe.process(gain.data() + pos, end - pos);
    pos = end;
    if (k < 4) {
      stage.set_gain(gains[k]);
      probe.set_gain(gains[k]);
    }
  }
  float worst = 0.0f;
  for (std::size_t i = 1; i < out.size(); ++i) {
    const float dg = std::fabs(gain[i] - gain[i - 1]);
    ASSERT_LE(dg, 2.5f / 480.0f + 1e-6f) << i;
    const float bound = std::max(gain[i], gain[i - 1]) * in_step + 0.8f * dg + 1e-6f;
    const float step = std::fabs(out[i] - out[i - 1]);
    ASSERT_LE(step, bound) << i;
    worst = std::max(worst, step);
  }
  EXPECT_LE(worst, 3.0f * in_step + 0.8f * 2.5f / 480.0f + 1e-6f);
  // Within a constant-gain stretch the step is the input's step times the gain.
  const std::vector<float> unity(out.begin() + 13000, out.begin() + 19000);
  EXPECT_NEAR(max_step(unity), in_step, 1e-5f);
}

TEST(GainStage, SineRmsIsAmplitudeTimesGainOverSqrt2) {
  for (float g : {0.0f, 0.3f, 1.0f, 2.5f}) {
    GainStage stage(48000, 10.0f, 1.0f);
    stage.set_gain(g);
    auto x = sine(480 * 3, 0.5f, 1000.0);
    stage.process(x.data(), x.size());
    // After the 480-sample ramp: exactly 10 periods in each 480 samples.
    EXPECT_NEAR(rms(x.data() + 480, 960), 0.5 * g / std::sqrt(2.0), 1e-5) << g;

    GainStage immediate(48000, 10.0f, 1.0f);
    immediate.set_gain_immediate(g);
    EXPECT_FALSE(immediate.ramping());
    auto y = sine(480, 0.5f, 1000.0);
    immediate.process(y.data(), y.size());
    EXPECT_NEAR(rms(y.data(), 480), 0.5 * g / std::sqrt(2.0), 1e-5) << g;
  }
}

TEST(GainStage, NegativeNanAndInfiniteGainsBecomeZero) {
  GainStage stage(48000, 10.0f, -2.0f);
  EXPECT_EQ(stage.gain(), 0.0f);
  stage.set_gain_immediate(1.0f);
  stage.set_gain(-1.0f);
  EXPECT_EQ(stage.target(), 0.0f);
  stage.set_gain(std::nanf(""));
  EXPECT_EQ(stage.target(), 0.0f);
  stage.set_gain_immediate(std::nanf(""));
  EXPECT_EQ(stage.gain(), 0.0f);
  stage.set_gain_immediate(INFINITY);
  EXPECT_EQ(stage.gain(), 0.0f);
  // Gain 0 writes exact silence, also over NaN input.
  std::vector<float> x = {1.0f, -1.0f, std::nanf(""), 0.5f};
  stage.process(x.data(), x.size());
  for (float v : x) EXPECT_EQ(v, 0.0f);
}

TEST(GainStage, RampLengthIsRoundedAndAtLeastOneSample) {
  GainStage zero(48000, 0.0f, 1.0f);
  zero.set_gain(0.5f);
  std::vector<float> x(4, 1.0f);
  zero.process(x.data(), 1);
  EXPECT_FALSE(zero.ramping());
  EXPECT_EQ(x[0], 0.5f);

  GainStage odd(44100, 1.0f, 0.0f);  // round(44.1) = 44 samples
  odd.set_gain(1.0f);
  std::vector<float> y(100, 1.0f);
  odd.process(y.data(), 43);
  EXPECT_TRUE(odd.ramping());
  odd.process(y.data() + 43, 1);
  EXPECT_FALSE(odd.ramping());
  EXPECT_EQ(y[43], 1.0f);
}

TEST(GainStage, MultichannelProcessAndMixIntoAgree) {
  const auto left = noise(700, 1u), right = noise(700, 2u);
  GainStage a(48000, 3.0f, 0.5f), b(48000, 3.0f, 0.5f);
  a.set_gain(2.0f);
  b.set_gain(2.0f);
  std::vector<float> l = left, r = right;
  float* chans[2] = {l.data(), r.data()};
  a.process(chans, 2, 700);
  std::vector<float> ml(700, 0.0f), mr(700, 0.0f);
  float* dst[2] = {ml.data(), mr.data()};
  const float* src[2] = {left.data(), right.data()};
  b.mix_into(dst, src, 2, 700);
  for (std::size_t i = 0; i < 700; ++i) {
    ASSERT_EQ(ml[i], l[i]) << i;
    ASSERT_EQ(mr[i], r[i]) << i;
  }
  EXPECT_EQ(a.gain(), 2.0f);
  EXPECT_EQ(b.gain(), 2.0f);
}

}  // namespace
}  // namespace trtc::audio
