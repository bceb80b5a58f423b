#include "trtc/audio/source_player.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "../support/signals.h"
#include "trtc/audio/pcm_source.h"

namespace trtc::audio {
namespace {

using testing::kPi;
// Largest difference a time shift of half a 48 kHz sample makes to a 1 kHz sine of amplitude 0.5.
constexpr double kHalfSampleError = 0.5 * 2.0 * kPi * 1000.0 / 48000.0 * 0.5 + 0.002;

std::unique_ptr<PcmSource> sine_source(int rate, int channels, double seconds, double hz, float amp) {
  const auto frames = static_cast<std::int64_t>(std::llround(seconds * rate));
  auto src = std::make_unique<PcmSource>(rate, channels, frames);
  std::vector<float> data(static_cast<std::size_t>(frames));
  for (std::size_t i = 0; i < data.size(); ++i) {
    data[i] = amp * static_cast<float>(std::sin(2.0 * kPi * hz * static_cast<double>(i) / rate));
  }
  for (int c = 0; c < channels; ++c) src->write(c, 0, data.data(), data.size());
  return src;
}

std::vector<float> render_all(SourcePlayer& p, std::size_t block, std::size_t limit,
                              std::vector<float>* right = nullptr) {
  std::vector<float> out, l(block), r(block);
  float* ptrs[2] = {l.data(), r.data()};
  while (out.size() < limit) {
    const std::size_t n = p.render(ptrs, block);
    out.insert(out.end(), l.begin(), l.begin() + static_cast<long>(n));
    if (right) right->insert(right->end(), r.begin(), r.begin() + static_cast<long>(n));
    if (n < block) break;
  }
  return out;
}

TEST(PcmSource, StoresSixteenBitAndMixesChannels) {
  PcmSource src(48000, 2, 4);
  const float left[4] = {0.5f, -0.5f, 1.5f, 0.0f};  // 1.5 clamps to 1
  const float right[4] = {0.25f, 0.25f, -1.0f, 0.0f};
  EXPECT_EQ(src.write(0, 0, left, 4), 4u);
  EXPECT_EQ(src.write(1, 0, right, 10), 4u);  // clipped to the length
  EXPECT_EQ(src.write(2, 0, right, 4), 0u);   // no such channel
  float mono[4];
  float* m[1] = {mono};
  ASSERT_EQ(src.read(m, 1, 4), 4);
  EXPECT_NEAR(mono[0], 0.375f, 1e-4);
  EXPECT_NEAR(mono[2], 0.0f, 1e-4);
  EXPECT_EQ(src.read(m, 1, 4), 0);  // at the end
  EXPECT_TRUE(src.seek(1));
  float l[2], r[2];
  float* st[2] = {l, r};
  ASSERT_EQ(src.read(st, 2, 2), 2);
  EXPECT_NEAR(l[0], -0.5f, 1e-4);
  EXPECT_NEAR(r[0], 0.25f, 1e-4);
  EXPECT_NEAR(l[1], 1.0f, 1e-4);
}

TEST(SourcePlayer, SameRatePlaysEveryFrameOnce) {
  SourcePlayer p(sine_source(48000, 1, 1.0, 1000.0, 0.5f), 48000, 2);
  EXPECT_DOUBLE_EQ(p.duration(), 1.0);
  std::vector<float> right;
  const auto out = render_all(p, 128, 100000, &right);
  EXPECT_EQ(out.size(), 48000u);
  EXPECT_TRUE(p.ended());
  EXPECT_NEAR(testing::tone_amplitude(out.data(), 48000, 1000.0), 0.5, 1e-3);
  EXPECT_EQ(out, right);  // mono → both channels
  EXPECT_NEAR(p.position(), 1.0, 1e-9);
}

class SourcePlayerRates : public ::testing::TestWithParam<int> {};

TEST_P(SourcePlayerRates, ResamplesToFortyEightKilohertz) {
  const int rate = GetParam();
  SourcePlayer p(sine_source(rate, 2, 2.0, 1000.0, 0.5f), 48000, 2);
  const auto out = render_all(p, 128, 1000000);
  // Exactly the source's duration at 48 kHz.
  EXPECT_EQ(out.size(), 96000u) << rate;
  EXPECT_TRUE(p.ended());
  // The tone is at 1 kHz with the source's amplitude (filter passband), and lines up in time:
  // the output is not delayed by the filter (SourcePlayer drops the delay).
  EXPECT_NEAR(testing::tone_amplitude(out.data() + 4800, 86400, 1000.0), 0.5, 0.5 * 0.012) << rate;
  double err = 0.0;
  for (std::size_t i = 4800; i < 91200; ++i) {
    const double want = 0.5 * std::sin(2.0 * kPi * 1000.0 * static_cast<double>(i) / 48000.0);
    err = std::max(err, std::fabs(out[i] - want));
  }
  // Within half an output sample: the filter delay is dropped in whole frames, so a fractional
  // part (e.g. 17.41 frames at 44.1 → 48 kHz) remains; a 0.5-sample shift of this tone is 0.033.
  EXPECT_LT(err, kHalfSampleError) << rate;
}

INSTANTIATE_TEST_SUITE_P(Rates, SourcePlayerRates, ::testing::Values(8000, 16000, 22050, 32000, 44100, 48000));

TEST(SourcePlayer, LoopsWithoutAGap) {
  // 0.1 s of a 1 kHz sine at 44.1 kHz (100 whole periods): looped, it is one continuous sine.
  SourcePlayer p(sine_source(44100, 1, 0.1, 1000.0, 0.5f), 48000, 1);
  p.set_loop(true);
  std::vector<float> out(48000);
  float* ptr[1] = {nullptr};
  for (std::size_t at = 0; at < out.size(); at += 480) {
    ptr[0] = out.data() + at;
    ASSERT_EQ(p.render(ptr, 480), 480u);
  }
  EXPECT_FALSE(p.ended());
  EXPECT_GE(p.loops(), 9u);
  double err = 0.0;
  for (std::size_t i = 480; i < out.size(); ++i) {
    const double want = 0.5 * std::sin(2.0 * kPi * 1000.0 * static_cast<double>(i) / 48000.0);
    err = std::max(err, std::fabs(out[i] - want));
  }
  EXPECT_LT(err, kHalfSampleError);
  EXPECT_LE(p.position(), 0.1);
  // Loop off: plays to the end of the current pass, then ends.
  p.set_loop(false);
  const auto rest = render_all(p, 480, 100000);
  EXPECT_TRUE(p.ended());
  EXPECT_LE(rest.size(), 4800u + 480u);
}

TEST(SourcePlayer, SeekMatchesLinearPlayback) {
  SourcePlayer linear(sine_source(32000, 1, 1.0, 440.0, 0.5f), 48000, 1);
  const auto all = render_all(linear, 256, 1000000);
  ASSERT_EQ(all.size(), 48000u);
  SourcePlayer p(sine_source(32000, 1, 1.0, 440.0, 0.5f), 48000, 1);
  ASSERT_TRUE(p.seek(0.5));
  EXPECT_NEAR(p.position(), 0.5, 1e-3);
  const auto tail = render_all(p, 100, 1000000);
  ASSERT_EQ(tail.size(), 24000u);
  // Away from the restart transient, the samples are those of linear playback.
  double err = 0.0;
  for (std::size_t i = 200; i < tail.size(); ++i)
    err = std::max(err, static_cast<double>(std::fabs(tail[i] - all[24000 + i])));
  EXPECT_LT(err, 1e-3);
  // Seek past the end: clamped, ends at once; play again from 0.
  ASSERT_TRUE(p.seek(5.0));
  EXPECT_EQ(render_all(p, 128, 1000).size(), 0u);
  EXPECT_TRUE(p.ended());
  ASSERT_TRUE(p.seek(0.0));
  EXPECT_FALSE(p.ended());
  EXPECT_EQ(render_all(p, 128, 1000000).size(), 48000u);
}

TEST(SourcePlayer, EmptySourceEndsAtOnce) {
  SourcePlayer p(std::make_unique<PcmSource>(44100, 1, 0), 48000, 2);
  p.set_loop(true);  // must not spin
  std::vector<float> l(128, 1.0f), r(128, 1.0f);
  float* ptrs[2] = {l.data(), r.data()};
  EXPECT_EQ(p.render(ptrs, 128), 0u);
  EXPECT_TRUE(p.ended());
  EXPECT_EQ(l[0], 0.0f);  // zero-filled
}

}  // namespace
}  // namespace trtc::audio
