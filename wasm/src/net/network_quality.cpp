#include "trtc/net/network_quality.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace trtc::net {
namespace {

bool known(double v) { return std::isfinite(v) && v >= 0; }

/// Level 1–5 of one metric against its four limits.
int metric_level(double value, const std::array<double, 4>& limits) {
  int level = kExcellent;
  for (std::size_t i = 0; i < limits.size(); ++i) {
    if (value > limits[i]) level = static_cast<int>(i) + 2;
  }
  return level;
}

}  // namespace

int level_of(double loss_percent, double rtt_ms, double jitter_ms, const Thresholds& thresholds) {
  int level = kUnknown;
  if (known(loss_percent)) level = std::max(level, metric_level(loss_percent, thresholds.loss_percent));
  if (known(rtt_ms)) level = std::max(level, metric_level(rtt_ms, thresholds.rtt_ms));
  if (known(jitter_ms)) level = std::max(level, metric_level(jitter_ms, thresholds.jitter_ms));
  return level;
}

LinkQualityEstimator::LinkQualityEstimator(EstimatorOptions options) : options_(options) {
  if (options_.window < 1) options_.window = 1;
  if (!(options_.min_packets >= 1)) options_.min_packets = 1;
}

void LinkQualityEstimator::reset() {
  levels_.clear();
  have_base_ = false;
  have_loss_ = false;
  loss_percent_ = 0;
  level_ = kUnknown;
}

LinkReport LinkQualityEstimator::update(const LinkSample& sample) {
  LinkReport report;
  report.rtt_ms = known(sample.rtt_ms) ? sample.rtt_ms : 0;
  report.jitter_ms = known(sample.jitter_ms) ? sample.jitter_ms : 0;

  switch (sample.state) {
    case LinkState::kNone:
      reset();
      return report;
    case LinkState::kDisconnected:
      reset();
      level_ = kDisconnected;
      report.level = report.instant_level = kDisconnected;
      return report;
    case LinkState::kConnecting:
      report.level = kUnknown;
      report.loss_percent = have_loss_ ? loss_percent_ : 0;
      return report;
    case LinkState::kConnected:
      break;
  }

  // Loss over a window of at least min_packets packets.
  const bool counters = known(sample.expected) && known(sample.lost);
  if (counters) {
    if (!have_base_ || sample.expected < base_expected_ || sample.lost < base_lost_) {
      // First sample, or the counters restarted (a new PeerConnection): start a window here.
      have_base_ = true;
      base_expected_ = sample.expected;
      base_lost_ = sample.lost;
    } else {
      const double expected = sample.expected - base_expected_;
      const double lost = sample.lost - base_lost_;
      if (expected >= options_.min_packets) {
        loss_percent_ = std::clamp(100.0 * lost / expected, 0.0, 100.0);
        have_loss_ = true;
        base_expected_ = sample.expected;
        base_lost_ = sample.lost;
      }
    }
  }

  const double loss = have_loss_ ? loss_percent_ : -1;
  const int instant = level_of(loss, known(sample.rtt_ms) ? sample.rtt_ms : -1,
                               known(sample.jitter_ms) ? sample.jitter_ms : -1, options_.thresholds);
  report.instant_level = instant;
  report.loss_percent = have_loss_ ? loss_percent_ : 0;

  if (instant == kUnknown) {
    // Nothing measurable yet (no RTT, no loss window): keep what we have.
    report.level = level_ == kDisconnected ? kUnknown : level_;
    level_ = report.level;
    return report;
  }

  levels_.push_back(instant);
  while (levels_.size() > static_cast<std::size_t>(options_.window)) levels_.pop_front();
  // Worse as soon as most recent samples agree (the lower median: 2 of 3 at least that bad);
  // better only when every recent sample is (the window's worst). A single sample never moves
  // the level, and a link that alternates between good and bad settles on bad instead of
  // flapping.
  std::vector<int> sorted(levels_.begin(), levels_.end());
  std::sort(sorted.begin(), sorted.end());
  const int median = sorted[(sorted.size() - 1) / 2];
  const int worst = sorted.back();
  if (level_ == kUnknown || level_ == kDisconnected || median > level_) {
    level_ = median;
  } else if (worst < level_) {
    level_ = worst;
  }
  report.level = level_;
  return report;
}

void LinkTestSummary::add(const LinkReport& report, const LinkSample& sample, double bandwidth_kbps) {
  if (report.level >= kExcellent && report.level <= kDisconnected) {
    ++scored_;
    level_sum_ += report.level;
  }
  if (known(sample.rtt_ms) && sample.rtt_ms > 0) {
    ++rtt_count_;
    rtt_sum_ += sample.rtt_ms;
  }
  if (known(sample.jitter_ms)) {
    ++jitter_count_;
    jitter_sum_ += sample.jitter_ms;
  }
  if (sample.state == LinkState::kConnected && known(sample.expected) && known(sample.lost)) {
    if (!have_first_) {
      have_first_ = true;
      first_expected_ = last_expected_ = sample.expected;
      first_lost_ = last_lost_ = sample.lost;
    } else if (sample.expected < last_expected_ || sample.lost < last_lost_) {
      // The counters restarted: keep what the old connection counted.
      carried_expected_ += last_expected_ - first_expected_;
      carried_lost_ += last_lost_ - first_lost_;
      first_expected_ = last_expected_ = sample.expected;
      first_lost_ = last_lost_ = sample.lost;
    } else {
      last_expected_ = sample.expected;
      last_lost_ = sample.lost;
    }
  }
  if (known(bandwidth_kbps) && bandwidth_kbps > 0) bandwidth_.push_back(bandwidth_kbps);
}

LinkTestResult LinkTestSummary::result() const {
  LinkTestResult r;
  r.samples = scored_;
  if (scored_ > 0) r.quality = static_cast<int>(std::ceil(level_sum_ / scored_ - 1e-9));
  if (rtt_count_ > 0) r.rtt_ms = rtt_sum_ / rtt_count_;
  if (jitter_count_ > 0) r.jitter_ms = jitter_sum_ / jitter_count_;
  const double expected = carried_expected_ + (last_expected_ - first_expected_);
  const double lost = carried_lost_ + (last_lost_ - first_lost_);
  if (expected > 0) r.loss_percent = std::clamp(100.0 * lost / expected, 0.0, 100.0);
  if (!bandwidth_.empty()) {
    std::vector<double> sorted(bandwidth_.begin(), bandwidth_.end());
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    r.bandwidth_kbps = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
  return r;
}

}  // namespace trtc::net
