#include "trtc/audio/level_meter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "../support/signals.h"

namespace trtc::audio {
namespace {

using testing::noise;
using testing::sine;

using testing::kPi;

TEST(LevelMeterKernel, SineHasRmsAmplitudeOverSqrt2) {
  // 1 kHz at 48 kHz: 480 samples are exactly 10 periods.
  const auto frame = sine(480, 0.5f, 1000.0);
  const auto ref = measure_level_scalar(frame.data(), frame.size());
  EXPECT_NEAR(ref.rms, 0.5 / std::sqrt(2.0), 1e-5);
  EXPECT_NEAR(ref.peak, 0.5, 1e-3);  // the sampled peak of a sine sits just below its amplitude
  const auto simd = measure_level_simd(frame.data(), frame.size());
  EXPECT_NEAR(simd.rms, 0.5 / std::sqrt(2.0), 1e-5);
}

TEST(LevelMeterKernel, SilenceAndEmptyInputAreZero) {
  const std::vector<float> silence(480, 0.0f);
  EXPECT_EQ(measure_level_simd(silence.data(), silence.size()).rms, 0.0f);
  EXPECT_EQ(measure_level_simd(silence.data(), silence.size()).peak, 0.0f);
  EXPECT_EQ(measure_level_simd(nullptr, 0).rms, 0.0f);
  EXPECT_EQ(measure_level_scalar(nullptr, 0).peak, 0.0f);
}

TEST(LevelMeterKernel, DcSignalRmsEqualsItsMagnitude) {
  const std::vector<float> dc(480, -0.25f);
  const auto s = measure_level_simd(dc.data(), dc.size());
  EXPECT_FLOAT_EQ(s.rms, 0.25f);
  EXPECT_FLOAT_EQ(s.peak, 0.25f);
}

// The SIMD kernel against the scalar reference on random frames of every length from 0 to 1031
// (covers the 8-wide body, the 4-wide step and the scalar tail) and at unaligned offsets.
// Peak must match exactly; RMS differs only by summation order: relative error <= 1e-5.
TEST(LevelMeterKernel, SimdMatchesScalarReference) {
  const auto buf = noise(1031 + 3, 42u);
  for (std::size_t offset = 0; offset < 4; ++offset) {
    for (std::size_t n = 0; n + offset <= 1031; ++n) {
      const float* p = buf.data() + offset;
      const auto ref = measure_level_scalar(p, n);
      const auto simd = measure_level_simd(p, n);
      ASSERT_EQ(simd.peak, ref.peak) << "n=" << n << " offset=" << offset;
      ASSERT_NEAR(simd.rms, ref.rms, 1e-5f * ref.rms + 1e-12f) << "n=" << n << " offset=" << offset;
    }
  }
}

TEST(LevelMeterKernel, PeakFindsASingleSpikeAnywhere) {
  for (std::size_t pos = 0; pos < 37; ++pos) {
    std::vector<float> frame(37, 0.01f);
    frame[pos] = -0.9f;
    EXPECT_FLOAT_EQ(measure_level_simd(frame.data(), frame.size()).peak, 0.9f) << pos;
  }
}

TEST(LevelMeterKernel, SimdIsCompiledIn) {
  // This project's builds always have SIMD (SSE2 natively, SIMD128 in WASM); a build that lost
  // the -msimd128 flag would silently benchmark the scalar code twice.
  EXPECT_TRUE(simd_available());
}

TEST(VolumeScale, MapsLinearLevelTo0To100) {
  EXPECT_EQ(volume_from_level(0.0f), 0);
  EXPECT_EQ(volume_from_level(-1.0f), 0);
  EXPECT_EQ(volume_from_level(std::nanf("")), 0);
  EXPECT_EQ(volume_from_level(0.004f), 0);
  EXPECT_EQ(volume_from_level(0.1f), 10);
  EXPECT_EQ(volume_from_level(0.354f), 35);
  EXPECT_EQ(volume_from_level(0.999f), 100);
  EXPECT_EQ(volume_from_level(1.0f), 100);
  EXPECT_EQ(volume_from_level(4.0f), 100);
}

TEST(LevelMeter, AttacksAtOnceAndReleasesExponentially) {
  LevelMeter meter({48000, 300.0f});
  const auto loud = sine(480, 0.5f, 1000.0);
  const std::vector<float> quiet(480, 0.0f);

  meter.process(loud.data(), loud.size());
  EXPECT_NEAR(meter.level(), 0.3536f, 1e-3f);
  EXPECT_EQ(meter.volume(), 35);

  // 30 frames of silence = 300 ms = one release time constant: level falls to 1/e.
  for (int i = 0; i < 30; ++i) meter.process(quiet.data(), quiet.size());
  EXPECT_NEAR(meter.level(), 0.3536f / std::exp(1.0f), 1e-3f);
  // After 3 s it is silent on the volume scale.
  for (int i = 0; i < 270; ++i) meter.process(quiet.data(), quiet.size());
  EXPECT_EQ(meter.volume(), 0);
  EXPECT_NEAR(meter.max_peak(), 0.5f, 1e-3f);
  EXPECT_EQ(meter.samples(), 301u * 480u);  // 1 loud + 300 quiet frames

  meter.reset();
  EXPECT_EQ(meter.level(), 0.0f);
  EXPECT_EQ(meter.samples(), 0u);
}

TEST(LevelMeter, LevelIsClampedToOne) {
  LevelMeter meter;
  const std::vector<float> clipped(480, 3.0f);
  meter.process(clipped.data(), clipped.size());
  EXPECT_EQ(meter.level(), 1.0f);
  EXPECT_EQ(meter.volume(), 100);
}

TEST(LevelMeter, InvalidOptionsFallBackToDefaults) {
  LevelMeter meter({0, -5.0f});
  const auto loud = sine(480, 0.5f, 1000.0);
  const std::vector<float> quiet(480, 0.0f);
  meter.process(loud.data(), loud.size());
  for (int i = 0; i < 30; ++i) meter.process(quiet.data(), quiet.size());
  EXPECT_NEAR(meter.level(), 0.3536f / std::exp(1.0f), 1e-3f);
}

}  // namespace
}  // namespace trtc::audio
