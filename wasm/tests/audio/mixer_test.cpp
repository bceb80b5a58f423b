#include "trtc/audio/mixer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "../support/signals.h"

namespace trtc::audio {
namespace {

using testing::noise;
using testing::rms;
using testing::sine;

using testing::kPi;

// Runs a limiter over planar signals in blocks of random size; returns the planar output.
std::vector<std::vector<float>> run_limiter(Limiter& limiter, std::vector<std::vector<float>> signal,
                                            std::uint32_t seed, std::size_t max_block = 700) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> block(1, max_block);
  const std::size_t frames = signal[0].size();
  std::vector<float*> ptrs(signal.size());
  for (std::size_t pos = 0; pos < frames;) {
    const std::size_t n = std::min(block(rng), frames - pos);
    for (std::size_t c = 0; c < signal.size(); ++c) ptrs[c] = signal[c].data() + pos;
    limiter.process(ptrs.data(), n);
    pos += n;
  }
  return signal;
}

// ---- Limiter ------------------------------------------------------------------------------------

TEST(Limiter, LatencyIsTheLookahead) {
  EXPECT_EQ(Limiter(2).latency_frames(), 72);  // 1.5 ms at 48 kHz
  EXPECT_EQ(Limiter(1, {44100, 0.966f, 2.0f, 60.0f}).latency_frames(), 88);
  EXPECT_EQ(Limiter(1, {48000, 0.966f, 0.0f, 60.0f}).latency_frames(), 0);
}

TEST(Limiter, BelowThresholdIsTheBitExactDelayedInput) {
  Limiter limiter(2);
  const std::size_t n = 48000;
  const auto l = noise(n, 1u, 0.966f), r = sine(n, 0.9f, 440.0);
  const auto out = run_limiter(limiter, {l, r}, 5u);
  const std::size_t d = static_cast<std::size_t>(limiter.latency_frames());
  for (std::size_t i = 0; i < d; ++i) ASSERT_EQ(out[0][i], 0.0f);
  for (std::size_t i = d; i < n; ++i) {
    ASSERT_EQ(out[0][i], l[i - d]) << i;
    ASSERT_EQ(out[1][i], r[i - d]) << i;
  }
  EXPECT_EQ(limiter.current_gain(), 1.0f);
  EXPECT_EQ(limiter.min_gain(), 1.0f);
}

TEST(Limiter, ImpulsesNeverExceedTheThresholdAndAreReducedBeforeTheyArrive) {
  LimiterOptions options;
  options.release_ms = 5.0f;  // fully released between the spikes
  Limiter limiter(2, options);
  const std::size_t n = 96000;
  std::vector<float> l(n, 0.5f), r(n, -0.25f);
  std::mt19937 rng(3u);
  std::vector<std::size_t> spikes;
  for (std::size_t i = 1000; i + 200 < n; i += 6000 + rng() % 3000) {
    spikes.push_back(i);
    (rng() & 1 ? l : r)[i] = (rng() & 1 ? 1.0f : -1.0f) * static_cast<float>(1.5 + (rng() % 200));
  }
  const auto out = run_limiter(limiter, {l, r}, 9u);
  const std::size_t d = static_cast<std::size_t>(limiter.latency_frames());
  for (std::size_t c = 0; c < 2; ++c) {
    for (std::size_t i = 0; i < n; ++i) ASSERT_LE(std::fabs(out[c][i]), options.threshold) << c << " " << i;
  }
  for (std::size_t s : spikes) {
    // At the spike the gain is threshold / peak (not a clamp of a larger value: the DC of the
    // other channel in the same frame is scaled by the same gain).
    const float spike = std::max(std::fabs(l[s]), std::fabs(r[s]));
    const float g = options.threshold / spike;
    EXPECT_NEAR(out[0][s + d], l[s] * g, 1e-5f) << s;
    EXPECT_NEAR(out[1][s + d], r[s] * g, 1e-5f) << s;
    // Before the spike entered the look-ahead window the gain was exactly 1; then it falls
    // linearly, reaching g one frame before the spike comes out.
    EXPECT_EQ(out[0][s - 1], 0.5f) << s;
    for (std::size_t k = 0; k + 1 < d; ++k) {
      const float expected = 0.5f * (1.0f - (1.0f - g) * static_cast<float>(k + 1) / static_cast<float>(d));
      ASSERT_NEAR(out[0][s + k], expected, 1e-5f) << s << " " << k;
    }
  }
  EXPECT_LT(limiter.min_gain(), 0.966f / 1.5f + 1e-6f);
}

// A loud 1 kHz sine comes out as a clean sine at the threshold, not a clipped one: the limiter
// reduces the gain, the clamp is only the last resort.
TEST(Limiter, LoudSineIsScaledNotClipped) {
  Limiter limiter(1);
  const auto x = sine(48000, 2.0f, 1000.0);
  const auto out = run_limiter(limiter, {x}, 4u);
  const std::size_t d = static_cast<std::size_t>(limiter.latency_frames());
  double peak = 0.0;
  for (float v : out[0]) peak = std::max(peak, static_cast<double>(std::fabs(v)));
  EXPECT_LE(peak, 0.966f);
  EXPECT_GT(peak, 0.96);
  // Residual after fitting the sine over the last half second: tiny (no clipping distortion).
  const std::size_t begin = 24000, end = 48000;
  const double amplitude = testing::fit_sinusoid(out[0], begin, end, 1000.0 / 48000.0).amplitude;
  EXPECT_NEAR(amplitude, 0.966, 0.01);
  double residual = 0.0;
  for (std::size_t i = begin; i < end; ++i) {
    const double e = std::fabs(out[0][i]) - std::fabs(x[i - d]) * amplitude / 2.0;
    residual += e * e;
  }
  EXPECT_LT(std::sqrt(residual / static_cast<double>(end - begin)), 0.005);
}

TEST(Limiter, SquareWavesAndFullScaleNoiseNeverExceed) {
  for (float threshold : {0.966f, 0.5f, 0.1f}) {
    Limiter limiter(2, {48000, threshold, 1.5f, 60.0f});
    const std::size_t n = 96000;
    std::vector<float> sq(n), nz = noise(n, 21u, 8.0f);
    for (std::size_t i = 0; i < n; ++i) sq[i] = ((i / 100) % 2 ? 1.0f : -1.0f) * (i < n / 2 ? 3.0f : 0.7f);
    const auto out = run_limiter(limiter, {sq, nz}, 6u);
    for (std::size_t c = 0; c < 2; ++c) {
      for (std::size_t i = 0; i < n; ++i) ASSERT_LE(std::fabs(out[c][i]), threshold) << threshold << " " << i;
    }
  }
}

TEST(Limiter, NanAndInfBecomeZeroAndTheLimitHolds) {
  Limiter limiter(2);
  const std::size_t n = 4800;
  auto l = sine(n, 0.5f, 300.0), r = sine(n, 0.5f, 500.0);
  l[1000] = std::nanf("");
  r[1000] = 0.25f;
  l[2000] = INFINITY;
  r[2000] = -INFINITY;
  r[3000] = std::nanf("");
  const auto out = run_limiter(limiter, {l, r}, 8u);
  const std::size_t d = static_cast<std::size_t>(limiter.latency_frames());
  for (std::size_t c = 0; c < 2; ++c) {
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(std::isfinite(out[c][i])) << c << " " << i;
      ASSERT_LE(std::fabs(out[c][i]), 0.966f);
    }
  }
  EXPECT_EQ(out[0][1000 + d], 0.0f);
  EXPECT_EQ(out[1][1000 + d], 0.25f);  // the other channel of the frame passes unchanged
  EXPECT_EQ(out[0][2000 + d], 0.0f);
  EXPECT_EQ(out[1][2000 + d], 0.0f);
  EXPECT_EQ(out[1][3000 + d], 0.0f);
  EXPECT_EQ(limiter.min_gain(), 1.0f);  // invalid samples are zeroed, not limited
}

TEST(Limiter, GainRecoversAfterTheRelease) {
  LimiterOptions options;  // release 60 ms
  Limiter limiter(1, options);
  const std::size_t burst = 4800, n = 48000 * 2;
  auto x = sine(n, 0.5f, 440.0);
  for (std::size_t i = 0; i < burst; ++i) x[i] *= 8.0f;  // 4.0 peak for 100 ms
  const std::size_t d = static_cast<std::size_t>(limiter.latency_frames());

  std::vector<float> y = x;
  float* ch[1] = {y.data()};
  limiter.process(ch, burst + d);  // the burst has come out completely
  const float reduced = limiter.current_gain();
  EXPECT_LT(reduced, 0.966f / 3.9f);
  EXPECT_NEAR(limiter.min_gain(), 0.966f / 4.0f, 0.01f);
  // One release time constant after the hold (L frames of look-ahead window plus L of smoothing).
  const std::size_t tau = 2880;
  ch[0] = y.data() + burst + d;
  limiter.process(ch, 2 * d + tau);
  const float expected = 1.0f - (1.0f - reduced) * std::exp(-static_cast<float>(tau + 2 * d) / 2880.0f);
  EXPECT_NEAR(limiter.current_gain(), expected, 0.03f);
  // After a second the gain is exactly 1 again and the output is the delayed input bit for bit.
  const std::size_t done = burst + 3 * d + tau;
  ch[0] = y.data() + done;
  limiter.process(ch, n - done);
  EXPECT_EQ(limiter.current_gain(), 1.0f);
  for (std::size_t i = n - 24000; i < n; ++i) ASSERT_EQ(y[i], x[i - d]) << i;

  limiter.reset();
  EXPECT_EQ(limiter.current_gain(), 1.0f);
  EXPECT_EQ(limiter.min_gain(), 1.0f);
}

TEST(Limiter, WorksWithoutLookahead) {
  Limiter limiter(1, {48000, 0.5f, 0.0f, 10.0f});
  EXPECT_EQ(limiter.latency_frames(), 0);
  auto x = noise(10000, 4u, 3.0f);
  const auto out = run_limiter(limiter, {x}, 2u);
  for (float v : out[0]) ASSERT_LE(std::fabs(v), 0.5f);
  std::vector<float> quiet = noise(100, 5u, 0.4f);
  Limiter fresh(1, {48000, 0.5f, 0.0f, 10.0f});
  const auto q = run_limiter(fresh, {quiet}, 3u);
  for (std::size_t i = 0; i < quiet.size(); ++i) EXPECT_EQ(q[0][i], quiet[i]);
}

// ---- Mixer --------------------------------------------------------------------------------------

struct Planar {
  Planar(int channels, std::size_t frames) : data(static_cast<std::size_t>(channels), std::vector<float>(frames)) {
    for (auto& c : data) ptrs.push_back(c.data());
  }
  std::vector<std::vector<float>> data;
  std::vector<float*> ptrs;
};

TEST(Mixer, SineGivesTheExpectedRms) {
  Mixer mixer({48000, 2, 480, 10.0f, true, {}});
  const int id = mixer.add_source();
  const auto s = sine(480, 0.5f, 1000.0);
  Planar out(2, 480);
  std::vector<float> left, right;
  for (int block = 0; block < 10; ++block) {
    std::copy(s.begin(), s.end(), mixer.input(id, 0));
    std::copy(s.begin(), s.end(), mixer.input(id, 1));
    if (block == 4) mixer.set_volume(id, 0.5f);
    ASSERT_TRUE(mixer.mix(out.ptrs.data(), 480));
    left.insert(left.end(), out.data[0].begin(), out.data[0].end());
    right.insert(right.end(), out.data[1].begin(), out.data[1].end());
  }
  const std::size_t d = static_cast<std::size_t>(mixer.latency_frames());
  EXPECT_EQ(d, 72u);
  // Blocks 1-3 (delayed by d) at volume 1, blocks 6-9 at 0.5 (the ramp took block 4).
  EXPECT_NEAR(rms(left.data() + 480 + d, 960), 0.5 / std::sqrt(2.0), 1e-5);
  EXPECT_NEAR(rms(right.data() + 480 + d, 960), 0.5 / std::sqrt(2.0), 1e-5);
  EXPECT_NEAR(rms(left.data() + 2400 + d, 1920), 0.25 / std::sqrt(2.0), 1e-5);
  EXPECT_EQ(mixer.limiter()->min_gain(), 1.0f);
}

// Eight sources of full-scale noise and sines at volumes up to 4 (a sum up to ~20x over full
// scale), random block sizes and volume changes, several seconds: no output sample ever exceeds
// the limiter's threshold.
TEST(Mixer, EightLoudSourcesNeverExceedTheThreshold) {
  MixerOptions options;
  options.max_frames = 512;
  Mixer mixer(options);
  std::vector<int> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(mixer.add_source());
  std::mt19937 rng(77u);
  std::uniform_int_distribution<std::size_t> block(1, 512);
  std::uniform_real_distribution<float> volume(0.0f, 4.0f);
  for (int i = 0; i < 8; ++i) mixer.set_volume(ids[static_cast<std::size_t>(i)], 4.0f);
  Planar out(2, 512);
  const std::size_t total = 48000 * 4;
  std::size_t t = 0;
  float peak = 0.0f;
  while (t < total) {
    const std::size_t n = block(rng);
    for (int i = 0; i < 8; ++i) {
      for (int c = 0; c < 2; ++c) {
        float* in = mixer.input(ids[static_cast<std::size_t>(i)], c);
        for (std::size_t k = 0; k < n; ++k) {
          const double time = static_cast<double>(t + k) / 48000.0;
          in[k] = i % 2 ? std::uniform_real_distribution<float>(-1.0f, 1.0f)(rng)
                        : static_cast<float>(std::sin(2.0 * kPi * (110.0 * (i + 1) + 3.0 * c) * time));
        }
      }
    }
    if (rng() % 8 == 0) mixer.set_volume(ids[rng() % 8], volume(rng));
    ASSERT_TRUE(mixer.mix(out.ptrs.data(), n));
    for (int c = 0; c < 2; ++c) {
      for (std::size_t k = 0; k < n; ++k) {
        ASSERT_LE(std::fabs(out.data[static_cast<std::size_t>(c)][k]), options.limiter_options.threshold)
            << "t=" << t + k;
        peak = std::max(peak, std::fabs(out.data[static_cast<std::size_t>(c)][k]));
      }
    }
    t += n;
  }
  EXPECT_GT(peak, 0.9f);
  EXPECT_LT(mixer.limiter()->min_gain(), 0.2f);
}

// A sum that stays below the threshold passes bit-exactly, delayed by the limiter's latency.
TEST(Mixer, QuietSumPassesBitExactDelayedByTheLatency) {
  Mixer mixer({48000, 2, 256, 10.0f, true, {}});
  const int a = mixer.add_source(), b = mixer.add_source(), c = mixer.add_source();
  const std::size_t total = 48000;
  const auto sa = noise(total, 1u, 0.3f), sb = sine(total, 0.3f, 440.0), sc = noise(total, 2u, 0.3f);
  std::vector<float> out_l, out_r;
  Planar out(2, 256);
  std::mt19937 rng(5u);
  for (std::size_t t = 0; t < total;) {
    const std::size_t n = std::min<std::size_t>(1 + rng() % 256, total - t);
    for (int ch = 0; ch < 2; ++ch) {
      std::memcpy(mixer.input(a, ch), sa.data() + t, n * sizeof(float));
      std::memcpy(mixer.input(b, ch), sb.data() + t, n * sizeof(float));
      std::memcpy(mixer.input(c, ch), sc.data() + t, n * sizeof(float));
    }
    ASSERT_TRUE(mixer.mix(out.ptrs.data(), n));
    out_l.insert(out_l.end(), out.data[0].begin(), out.data[0].begin() + static_cast<std::ptrdiff_t>(n));
    out_r.insert(out_r.end(), out.data[1].begin(), out.data[1].begin() + static_cast<std::ptrdiff_t>(n));
    t += n;
  }
  const std::size_t d = static_cast<std::size_t>(mixer.latency_frames());
  for (std::size_t i = d; i < total; ++i) {
    const float expected = ((0.0f + sa[i - d]) + sb[i - d]) + sc[i - d];
    ASSERT_EQ(out_l[i], expected) << i;
    ASSERT_EQ(out_r[i], expected) << i;
  }
}

TEST(Mixer, MuteRampsToExactSilenceAndBack) {
  Mixer mixer({48000, 1, 480, 10.0f, false, {}});
  const int id = mixer.add_source();
  const auto s = sine(480, 0.8f, 1000.0);
  Planar out(1, 480);
  std::copy(s.begin(), s.end(), mixer.input(id, 0));
  ASSERT_TRUE(mixer.mix(out.ptrs.data(), 480));
  EXPECT_EQ(out.data[0], s);  // no limiter: unity gain passes unchanged, no delay
  mixer.set_muted(id, true);
  ASSERT_TRUE(mixer.mix(out.ptrs.data(), 480));  // the 10 ms ramp
  for (std::size_t i = 1; i < 480; ++i) ASSERT_LE(std::fabs(out.data[0][i]), std::fabs(s[i]) + 1e-7f);
  EXPECT_NEAR(out.data[0][240], s[240] * (1.0f - 241.0f / 480.0f), 1e-6f);
  EXPECT_EQ(out.data[0][479], 0.0f);
  for (int block = 0; block < 3; ++block) {
    ASSERT_TRUE(mixer.mix(out.ptrs.data(), 480));
    for (float v : out.data[0]) ASSERT_EQ(v, 0.0f);
  }
  // Muting again changes nothing; unmuting ramps back to the volume.
  mixer.set_muted(id, true);
  mixer.set_volume(id, 0.5f);  // remembered while muted
  ASSERT_TRUE(mixer.mix(out.ptrs.data(), 480));
  for (float v : out.data[0]) ASSERT_EQ(v, 0.0f);
  mixer.set_muted(id, false);
  ASSERT_TRUE(mixer.mix(out.ptrs.data(), 480));
  EXPECT_NEAR(out.data[0][479], s[479] * 0.5f, 1e-7f);
  ASSERT_TRUE(mixer.mix(out.ptrs.data(), 480));
  for (std::size_t i = 0; i < 480; ++i) ASSERT_EQ(out.data[0][i], s[i] * 0.5f);
}

TEST(Mixer, AddRemoveAndUnknownIds) {
  Mixer mixer({48000, 2, 128, 10.0f, false, {}});
  EXPECT_EQ(mixer.source_count(), 0u);
  const int a = mixer.add_source(), b = mixer.add_source(), c = mixer.add_source();
  EXPECT_GE(a, 0);
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
  EXPECT_EQ(mixer.source_count(), 3u);
  float* c0 = mixer.input(c, 0);
  ASSERT_NE(c0, nullptr);
  EXPECT_EQ(mixer.input(c, 2), nullptr);
  EXPECT_EQ(mixer.input(c, -1), nullptr);
  EXPECT_EQ(mixer.input(12345, 0), nullptr);
  EXPECT_EQ(mixer.input(-1, 0), nullptr);
  mixer.set_volume(12345, 2.0f);  // unknown ids are ignored
  mixer.set_muted(12345, true);
  mixer.set_active(12345, false);

  EXPECT_TRUE(mixer.remove_source(b));
  EXPECT_FALSE(mixer.remove_source(b));
  EXPECT_FALSE(mixer.has_source(b));
  EXPECT_TRUE(mixer.has_source(a));
  EXPECT_EQ(mixer.input(b, 0), nullptr);
  EXPECT_EQ(mixer.input(c, 0), c0);  // other sources' buffers stay where they were
  const int d = mixer.add_source();
  EXPECT_NE(d, b);  // ids are never reused
  EXPECT_NE(d, a);
  EXPECT_NE(d, c);
  EXPECT_EQ(mixer.source_count(), 3u);

  // Only the remaining sources are mixed, whatever their order.
  Planar out(2, 128);
  for (int id : {a, c, d}) {
    for (int ch = 0; ch < 2; ++ch) std::fill(mixer.input(id, ch), mixer.input(id, ch) + 128, 0.125f);
  }
  mixer.set_active(d, false);
  ASSERT_TRUE(mixer.mix(out.ptrs.data(), 128));
  for (float v : out.data[1]) ASSERT_EQ(v, 0.25f);
  mixer.set_active(d, true);
  mixer.remove_source(a);
  ASSERT_TRUE(mixer.mix(out.ptrs.data(), 128));
  for (float v : out.data[0]) ASSERT_EQ(v, 0.25f);
  mixer.remove_source(c);
  mixer.remove_source(d);
  ASSERT_TRUE(mixer.mix(out.ptrs.data(), 128));
  for (float v : out.data[0]) ASSERT_EQ(v, 0.0f);
}

TEST(Mixer, MixRejectsBlocksLargerThanMaxFrames) {
  Mixer mixer({48000, 2, 128, 10.0f, true, {}});
  mixer.add_source();
  Planar out(2, 256);
  EXPECT_FALSE(mixer.mix(out.ptrs.data(), 129));
  EXPECT_TRUE(mixer.mix(out.ptrs.data(), 128));
  EXPECT_TRUE(mixer.mix(out.ptrs.data(), 0));
  EXPECT_EQ(mixer.max_frames(), 128);
  EXPECT_EQ(mixer.channels(), 2);
  EXPECT_EQ(mixer.sample_rate(), 48000);
}

TEST(Mixer, VolumeIsClampedAndWithoutLimiterThereIsNoLatency) {
  Mixer mixer({48000, 1, 480, 10.0f, false, {}});
  EXPECT_EQ(mixer.latency_frames(), 0);
  EXPECT_EQ(mixer.limiter(), nullptr);
  const int id = mixer.add_source();
  Planar out(1, 480);
  for (float volume : {100.0f, -3.0f, std::nanf(""), 2.0f}) {
    mixer.set_volume(id, volume);
    for (int block = 0; block < 2; ++block) {
      std::fill(mixer.input(id, 0), mixer.input(id, 0) + 480, 0.01f);
      ASSERT_TRUE(mixer.mix(out.ptrs.data(), 480));
    }
    const float expected = volume > 10.0f ? 0.1f : volume == 2.0f ? 0.02f : 0.0f;
    EXPECT_NEAR(out.data[0][479], expected, 1e-7f) << volume;
  }
}

TEST(Mixer, LimiterUsesTheMixerSampleRate) {
  MixerOptions options;
  options.sample_rate = 16000;  // limiter_options.sample_rate stays at its default 48000
  Mixer mixer(options);
  EXPECT_EQ(mixer.latency_frames(), 24);  // 1.5 ms at 16 kHz
}

}  // namespace
}  // namespace trtc::audio
