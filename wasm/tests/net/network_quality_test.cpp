#include "trtc/net/network_quality.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace trtc::net {
namespace {

/// Builds the cumulative counters a browser would report, 2 s apart.
class Series {
 public:
  explicit Series(double packets_per_sample = 200) : rate_(packets_per_sample) {}

  /// The next sample with `loss_percent` of this interval's packets lost.
  LinkSample next(double loss_percent, double rtt_ms, double jitter_ms = 5, LinkState state = LinkState::kConnected) {
    expected_ += rate_;
    lost_ += std::round(rate_ * loss_percent / 100.0);
    return {state, rtt_ms, expected_, lost_, jitter_ms};
  }

 private:
  double rate_;
  double expected_ = 1000;  // a connection that already ran a while
  double lost_ = 3;
};

std::vector<int> levels(LinkQualityEstimator& e, const std::vector<LinkSample>& samples) {
  std::vector<int> out;
  for (const auto& s : samples) out.push_back(e.update(s).level);
  return out;
}

TEST(LevelOf, TrtcV4LossAndRttLimits) {
  EXPECT_EQ(level_of(0, 20, 2), kExcellent);
  EXPECT_EQ(level_of(10, 100, 30), kExcellent);  // limits are "strictly above"
  EXPECT_EQ(level_of(10.5, 20, 2), kGood);
  EXPECT_EQ(level_of(0, 101, 2), kGood);
  EXPECT_EQ(level_of(21, 20, 2), kFair);
  EXPECT_EQ(level_of(0, 201, 2), kFair);
  EXPECT_EQ(level_of(31, 20, 2), kPoor);
  EXPECT_EQ(level_of(0, 351, 2), kPoor);
  EXPECT_EQ(level_of(51, 20, 2), kVeryPoor);
  EXPECT_EQ(level_of(0, 501, 2), kVeryPoor);
  EXPECT_EQ(level_of(100, 5000, 1000), kVeryPoor);  // 6 is only for a lost connection
}

TEST(LevelOf, JitterLimits) {
  EXPECT_EQ(level_of(0, 20, 31), kGood);
  EXPECT_EQ(level_of(0, 20, 51), kFair);
  EXPECT_EQ(level_of(0, 20, 101), kPoor);
  EXPECT_EQ(level_of(0, 20, 201), kVeryPoor);
}

TEST(LevelOf, WorstMetricWinsAndUnknownMetricsAreIgnored) {
  EXPECT_EQ(level_of(25, 120, 60), kFair);
  EXPECT_EQ(level_of(-1, 360, -1), kPoor);
  EXPECT_EQ(level_of(-1, -1, -1), kUnknown);
  EXPECT_EQ(level_of(NAN, -1, NAN), kUnknown);
  EXPECT_EQ(level_of(2, NAN, -1), kExcellent);
}

TEST(LevelOf, CustomThresholds) {
  Thresholds strict;
  strict.loss_percent = {1, 2, 5, 10};
  EXPECT_EQ(level_of(3, 20, 2, strict), kFair);
  EXPECT_EQ(level_of(3, 20, 2), kExcellent);
}

TEST(LevelOf, MonotonicInEachMetric) {
  for (int m = 0; m < 3; ++m) {
    int previous = kExcellent;
    for (double v = 0; v <= 1000; v += 0.5) {
      const int level = m == 0 ? level_of(std::min(v, 100.0), 10, 1) : m == 1 ? level_of(0, v, 1) : level_of(0, 10, v);
      ASSERT_GE(level, previous) << "metric " << m << " value " << v;
      previous = level;
    }
    EXPECT_EQ(previous, kVeryPoor);
  }
}

TEST(Estimator, UnknownUntilSomethingIsMeasured) {
  LinkQualityEstimator e;
  EXPECT_EQ(e.level(), kUnknown);
  // First sample: counters only set the window start and no RTT yet.
  EXPECT_EQ(e.update({LinkState::kConnected, -1, 100, 0, -1}).level, kUnknown);
  EXPECT_EQ(e.update({LinkState::kConnecting, 40, 300, 0, 3}).level, kUnknown);
  // RTT alone is enough to score.
  EXPECT_EQ(e.update({LinkState::kConnected, 40, 300, 0, 3}).level, kExcellent);
}

TEST(Estimator, NoneMeansUnknownAndClearsHistory) {
  LinkQualityEstimator e;
  Series s;
  for (int i = 0; i < 4; ++i) e.update(s.next(40, 30));
  EXPECT_EQ(e.level(), kPoor);
  EXPECT_EQ(e.update({LinkState::kNone}).level, kUnknown);
  Series fresh;
  EXPECT_EQ(e.update(fresh.next(0, 30)).level, kExcellent);
}

TEST(Estimator, OneBadSampleDoesNotFlipTheLevel) {
  LinkQualityEstimator e;
  Series s;
  std::vector<LinkSample> samples;
  for (int i = 0; i < 5; ++i) samples.push_back(s.next(0, 30));
  samples.push_back(s.next(60, 700, 250));  // one terrible 2 s
  for (int i = 0; i < 5; ++i) samples.push_back(s.next(0, 30));
  const auto got = levels(e, samples);
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], kExcellent) << "sample " << i;
}

TEST(Estimator, OneGoodSampleDoesNotHideABadLink) {
  LinkQualityEstimator e;
  Series s;
  for (int i = 0; i < 5; ++i) e.update(s.next(35, 40));
  EXPECT_EQ(e.level(), kPoor);
  EXPECT_EQ(e.update(s.next(0, 40)).level, kPoor);
  EXPECT_EQ(e.update(s.next(35, 40)).level, kPoor);
}

TEST(Estimator, SustainedChangeShowsAfterTwoSamples) {
  LinkQualityEstimator e;
  Series s;
  for (int i = 0; i < 5; ++i) e.update(s.next(0, 30));
  EXPECT_EQ(e.update(s.next(25, 30)).level, kExcellent);  // 1 of 3
  EXPECT_EQ(e.update(s.next(25, 30)).level, kFair);       // 2 of 3
  EXPECT_EQ(e.update(s.next(25, 30)).level, kFair);
  // Recovery needs the whole window good: three samples.
  EXPECT_EQ(e.update(s.next(0, 30)).level, kFair);
  EXPECT_EQ(e.update(s.next(0, 30)).level, kFair);
  EXPECT_EQ(e.update(s.next(0, 30)).level, kExcellent);
}

TEST(Estimator, LevelsRiseWithLossAndWithDelay) {
  const double losses[] = {0, 15, 25, 40, 60};
  const double rtts[] = {30, 150, 250, 400, 800};
  for (int kind = 0; kind < 2; ++kind) {
    int previous = kUnknown;
    for (int step = 0; step < 5; ++step) {
      LinkQualityEstimator e;
      Series s;
      for (int i = 0; i < 4; ++i) e.update(kind == 0 ? s.next(losses[step], 30) : s.next(0, rtts[step]));
      EXPECT_EQ(e.level(), step + 1) << (kind == 0 ? "loss " : "rtt ") << step;
      EXPECT_GT(e.level(), previous);
      previous = e.level();
    }
  }
}

TEST(Estimator, ReportsTheSampleMetrics) {
  LinkQualityEstimator e;
  Series s(400);
  e.update(s.next(0, 20));
  const LinkReport r = e.update(s.next(12.5, 180, 42));
  EXPECT_DOUBLE_EQ(r.loss_percent, 12.5);
  EXPECT_DOUBLE_EQ(r.rtt_ms, 180);
  EXPECT_DOUBLE_EQ(r.jitter_ms, 42);
  EXPECT_EQ(r.instant_level, kGood);
  const LinkReport unknown = e.update({LinkState::kConnected, -1, 1e9, 0, NAN});
  EXPECT_EQ(unknown.rtt_ms, 0);
  EXPECT_EQ(unknown.jitter_ms, 0);
}

TEST(Estimator, DisconnectedIsImmediateAndRecoveryStartsFresh) {
  LinkQualityEstimator e;
  Series s;
  for (int i = 0; i < 5; ++i) e.update(s.next(0, 30));
  EXPECT_EQ(e.update({LinkState::kDisconnected}).level, kDisconnected);
  EXPECT_EQ(e.level(), kDisconnected);
  EXPECT_EQ(e.update({LinkState::kDisconnected}).level, kDisconnected);
  // Reconnected: no measurement yet means unknown, not "still disconnected".
  EXPECT_EQ(e.update({LinkState::kConnected, -1, 10, 0, -1}).level, kUnknown);
  Series after;
  EXPECT_EQ(e.update(after.next(0, 40)).level, kExcellent);
}

TEST(Estimator, CounterResetStartsANewWindowWithoutNegativeLoss) {
  LinkQualityEstimator e;
  Series s;
  for (int i = 0; i < 4; ++i) e.update(s.next(0, 30));
  // A new PeerConnection: counters back near zero.
  const LinkReport r = e.update({LinkState::kConnected, 30, 50, 0, 3});
  EXPECT_GE(r.loss_percent, 0);
  EXPECT_EQ(r.level, kExcellent);
  const LinkReport next = e.update({LinkState::kConnected, 30, 250, 50, 3});  // 50 of 200 lost
  EXPECT_DOUBLE_EQ(next.loss_percent, 25);
}

TEST(Estimator, FewPacketsExtendTheLossWindow) {
  EstimatorOptions options;
  options.min_packets = 50;
  LinkQualityEstimator e(options);
  e.update({LinkState::kConnected, 30, 0, 0, 2});
  // 20 packets with 2 lost would read as 10%; it is not scored until 50 packets.
  LinkReport r = e.update({LinkState::kConnected, 30, 20, 2, 2});
  EXPECT_EQ(r.loss_percent, 0);
  r = e.update({LinkState::kConnected, 30, 40, 2, 2});
  EXPECT_EQ(r.loss_percent, 0);
  r = e.update({LinkState::kConnected, 30, 60, 3, 2});
  EXPECT_DOUBLE_EQ(r.loss_percent, 5);  // 3 of 60
}

TEST(Estimator, NoisyButGoodLinkStaysExcellent) {
  // Random independent loss of 2% and RTT 30–80 ms: every level must be 1 despite noise.
  std::mt19937 rng(7);
  std::binomial_distribution<int> lost(200, 0.02);
  std::uniform_real_distribution<double> rtt(30, 80);
  LinkQualityEstimator e;
  double expected = 0, total_lost = 0;
  for (int i = 0; i < 300; ++i) {
    expected += 200;
    total_lost += lost(rng);
    const int level = e.update({LinkState::kConnected, rtt(rng), expected, total_lost, 8}).level;
    ASSERT_EQ(level, kExcellent) << "sample " << i;
  }
}

TEST(Estimator, FlappingLinkDoesNotFlapTheLevelEverySample) {
  // Alternating good/bad 2 s samples: the raw level changes 19 times; the shown one settles on
  // the bad level once and stays there.
  LinkQualityEstimator e;
  Series s;
  int changes = 0;
  int previous = kUnknown;
  for (int i = 0; i < 20; ++i) {
    const int level = e.update(i % 2 ? s.next(35, 30) : s.next(0, 30)).level;
    if (i > 0 && level != previous) ++changes;
    previous = level;
  }
  EXPECT_EQ(changes, 1);
  EXPECT_EQ(previous, kPoor);
}

TEST(Summary, AveragesLikeTrtcsSampleAndCountsAllLoss) {
  LinkQualityEstimator e;
  LinkTestSummary sum;
  Series s(100);
  const double loss[] = {0, 0, 20, 20, 20, 0, 0};
  const double bw[] = {-1, 800, 1200, 1000, 900, 1100, -1};
  for (int i = 0; i < 7; ++i) {
    const LinkSample sample = s.next(loss[i], 50 + i * 10, 4);
    sum.add(e.update(sample), sample, bw[i]);
  }
  const LinkTestResult r = sum.result();
  EXPECT_EQ(r.samples, 7);
  // Levels 1,1,1,2,2,2,2 (the 20 % samples are level 2, the last two keep it until 3 are good):
  // mean 1.57, ceiling 2.
  EXPECT_EQ(r.quality, kGood);
  EXPECT_NEAR(r.rtt_ms, 80, 1e-9);
  EXPECT_NEAR(r.jitter_ms, 4, 1e-9);
  // First sample is the baseline: 6 intervals of 100 packets, 60 lost.
  EXPECT_NEAR(r.loss_percent, 10, 1e-9);
  EXPECT_NEAR(r.bandwidth_kbps, 1000, 1e-9);
}

TEST(Summary, QualityIsTheCeilingOfTheMeanLevel) {
  LinkTestSummary sum;
  LinkSample sample{LinkState::kConnected, 30, 0, 0, 1};
  for (int level : {1, 1, 2}) {
    LinkReport r;
    r.level = level;
    sum.add(r, sample, -1);
  }
  EXPECT_EQ(sum.result().quality, 2);  // mean 1.33 → 2
  LinkTestSummary exact;
  for (int level : {2, 2}) {
    LinkReport r;
    r.level = level;
    exact.add(r, sample, -1);
  }
  EXPECT_EQ(exact.result().quality, 2);
  EXPECT_EQ(LinkTestSummary().result().quality, kUnknown);
}

TEST(Summary, KeepsLossAcrossACounterReset) {
  LinkTestSummary sum;
  LinkReport r;
  r.level = 1;
  sum.add(r, {LinkState::kConnected, 30, 1000, 0, 1}, -1);
  sum.add(r, {LinkState::kConnected, 30, 1100, 10, 1}, -1);  // 10 of 100
  sum.add(r, {LinkState::kConnected, 30, 50, 0, 1}, -1);     // new connection
  sum.add(r, {LinkState::kConnected, 30, 150, 10, 1}, -1);   // 10 of 100
  EXPECT_NEAR(sum.result().loss_percent, 10, 1e-9);
}

TEST(Summary, EvenNumberOfBandwidthSamplesTakesTheMiddleMean) {
  LinkTestSummary sum;
  LinkReport r;
  LinkSample sample;
  for (double bw : {400.0, 100.0, 300.0, 200.0}) sum.add(r, sample, bw);
  EXPECT_DOUBLE_EQ(sum.result().bandwidth_kbps, 250);
}

}  // namespace
}  // namespace trtc::net
