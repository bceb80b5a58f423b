// Network quality of one direction of a call (uplink or downlink) on TRTC's 0–6 scale, from the
// series of RTT, packet loss and jitter that the browser's WebRTC stats give every 2 s.
//
// The scale (the `network-quality` event): 0 unknown, 1 excellent, 2 good, 3 fair, 4 poor,
// 5 very poor, 6 disconnected.
#pragma once

#include <array>
#include <cstdint>
#include <deque>

namespace trtc::net {

/// TRTC's quality levels.
enum Quality : int {
  kUnknown = 0,
  kExcellent = 1,
  kGood = 2,
  kFair = 3,
  kPoor = 4,
  kVeryPoor = 5,
  kDisconnected = 6,
};

/// Limits between the levels 1–5. A metric strictly above `limit[i]` puts the sample at level
/// i + 2 or worse; a sample's level is the worst of its three metrics. Loss and RTT are TRTC Web
/// SDK v4's own limits (`loss > 50 || rtt > 500 → 5`, … `loss > 10 || rtt > 100 → 2`), so levels
/// compare with TRTC's; jitter (which TRTC does not score) uses limits at which WebRTC's jitter
/// buffer delay becomes audible.
struct Thresholds {
  std::array<double, 4> loss_percent{10, 20, 30, 50};
  std::array<double, 4> rtt_ms{100, 200, 350, 500};
  std::array<double, 4> jitter_ms{30, 50, 100, 200};
};

/// Level 1–5 of one measurement. A negative (or NaN) metric is unknown and does not count;
/// when all three are unknown the level is kUnknown.
int level_of(double loss_percent, double rtt_ms, double jitter_ms, const Thresholds& thresholds = {});

/// State of the PeerConnection the sample comes from.
enum class LinkState : int {
  kNone = 0,          ///< no connection in this direction (nothing published / subscribed)
  kConnecting = 1,    ///< being set up: level unknown
  kConnected = 2,     ///< media can flow: the sample is scored
  kDisconnected = 3,  ///< ICE disconnected/failed, or the signalling is down: level 6 at once
};

/// One stats sample of one direction. Packet counters are cumulative, as in WebRTC stats:
/// uplink `expected` = outbound-rtp `packetsSent`, `lost` = remote-inbound-rtp `packetsLost`;
/// downlink `expected` = inbound-rtp `packetsReceived + packetsLost`, `lost` = `packetsLost`.
/// Summed over the direction's streams. RTT and jitter in ms; negative means not reported.
struct LinkSample {
  LinkState state = LinkState::kNone;
  double rtt_ms = -1;
  double expected = 0;
  double lost = 0;
  double jitter_ms = -1;
};

/// What update() reports for a sample.
struct LinkReport {
  int level = kUnknown;          ///< smoothed level: the one to show
  int instant_level = kUnknown;  ///< this sample's own level, before smoothing
  double loss_percent = 0;       ///< loss of the last completed loss window, 0–100
  double rtt_ms = 0;             ///< this sample's RTT (0 when not reported)
  double jitter_ms = 0;          ///< this sample's jitter (0 when not reported)
};

/// Tuning of LinkQualityEstimator.
struct EstimatorOptions {
  Thresholds thresholds{};
  /// Smoothing over the last `window` sample levels. The level gets worse when most of them
  /// (the lower median: 2 of 3) are worse, and better only when all of them are better. So a
  /// single bad or good sample never flips it; with samples every 2 s a degradation shows after
  /// 4 s and a recovery after 6 s, and a link alternating between good and bad reads as bad.
  int window = 3;
  /// Loss is measured over at least this many packets. A sample with fewer (audio only, or a
  /// paused sender) extends the window into the next sample instead of scoring 1 lost of 3 as 33%.
  double min_packets = 50;
};

/// Smoothed quality of one direction. Feed it a sample every 2 s; it returns the level to show.
class LinkQualityEstimator {
 public:
  explicit LinkQualityEstimator(EstimatorOptions options = {});

  /// Scores one sample and returns the smoothed level with the sample's metrics.
  /// - kNone: level 0 and the history is cleared.
  /// - kDisconnected: level 6 at once (no smoothing), and the history is cleared so that the
  ///   level after reconnecting is not mixed with samples from before.
  /// - kConnecting: level 0, the history is kept.
  /// - kConnected: loss from the counters' increase since the window start (a counter that went
  ///   down means a new connection: the window restarts), then the smoothing of `window`.
  LinkReport update(const LinkSample& sample);

  /// The current smoothed level.
  int level() const { return level_; }

  /// Forgets all history (level back to 0).
  void reset();

 private:
  EstimatorOptions options_;
  std::deque<int> levels_;
  bool have_base_ = false;
  double base_expected_ = 0;
  double base_lost_ = 0;
  bool have_loss_ = false;
  double loss_percent_ = 0;
  int level_ = kUnknown;
};

/// Result of a pre-call network test in one direction.
struct LinkTestResult {
  int quality = kUnknown;     ///< ceil of the mean smoothed level over scored samples (TRTC's sample rule)
  double rtt_ms = 0;          ///< mean RTT over samples that reported one
  double loss_percent = 0;    ///< loss over the whole test: all packets lost / all expected
  double jitter_ms = 0;       ///< mean jitter over samples that reported one
  double bandwidth_kbps = 0;  ///< median of the bandwidth samples (0 when none)
  int samples = 0;            ///< samples scored
};

/// Aggregates a pre-call network test: the samples of one direction over the test's duration.
class LinkTestSummary {
 public:
  /// Adds one sample: the estimator's report for it, its cumulative counters, and a bandwidth
  /// reading in kbps (negative when none, e.g. the browser's `availableOutgoingBitrate`).
  void add(const LinkReport& report, const LinkSample& sample, double bandwidth_kbps);

  LinkTestResult result() const;

 private:
  int scored_ = 0;
  double level_sum_ = 0;
  int rtt_count_ = 0;
  double rtt_sum_ = 0;
  int jitter_count_ = 0;
  double jitter_sum_ = 0;
  bool have_first_ = false;
  double first_expected_ = 0, first_lost_ = 0;
  double last_expected_ = 0, last_lost_ = 0;
  double carried_expected_ = 0, carried_lost_ = 0;  // counts from before a counter reset
  std::deque<double> bandwidth_;
};

}  // namespace trtc::net
