// Embind module `trtc-core`: the C++ core as the SDK sees it. Only argument conversion lives here;
// the TypeScript side never handles pointers (it writes samples into a typed-array view of the
// meter's own buffer). Types for this module: js/src/core/trtc-core.d.ts.
#include <emscripten/bind.h>

#include <vector>

#include "trtc/audio/level_meter.h"
#include "trtc/net/network_quality.h"

using namespace emscripten;

namespace {

class LevelMeterBinding {
 public:
  LevelMeterBinding(int sample_rate, float release_ms) : meter_({sample_rate, release_ms}) {}

  /// A Float32Array view of `count` samples of the input buffer, valid until the next call that
  /// may grow memory. The caller fills it, then calls process(count).
  val input(std::size_t count) {
    if (buffer_.size() < count) buffer_.resize(count);
    return val(typed_memory_view(count, buffer_.data()));
  }

  trtc::audio::LevelStats process(std::size_t count) {
    if (count > buffer_.size()) count = buffer_.size();
    return meter_.process(buffer_.data(), count);
  }

  float level() const { return meter_.level(); }
  int volume() const { return meter_.volume(); }
  float maxPeak() const { return meter_.max_peak(); }
  double samples() const { return static_cast<double>(meter_.samples()); }
  void reset() { meter_.reset(); }

 private:
  trtc::audio::LevelMeter meter_;
  std::vector<float> buffer_;
};

// Network quality: plain JS objects in and out ({state, rttMs, expected, lost, jitterMs}).
struct JsLinkSample {
  int state = 0;
  double rttMs = -1;
  double expected = 0;
  double lost = 0;
  double jitterMs = -1;
};

trtc::net::LinkSample to_sample(const JsLinkSample& s) {
  const int state = s.state < 0 || s.state > 3 ? 0 : s.state;
  return {static_cast<trtc::net::LinkState>(state), s.rttMs, s.expected, s.lost, s.jitterMs};
}

class LinkQualityBinding {
 public:
  trtc::net::LinkReport update(const JsLinkSample& sample) { return estimator_.update(to_sample(sample)); }
  int level() const { return estimator_.level(); }
  void reset() { estimator_.reset(); }

 private:
  trtc::net::LinkQualityEstimator estimator_;
};

class LinkTestSummaryBinding {
 public:
  void add(const trtc::net::LinkReport& report, const JsLinkSample& sample, double bandwidth_kbps) {
    summary_.add(report, to_sample(sample), bandwidth_kbps);
  }
  trtc::net::LinkTestResult result() const { return summary_.result(); }

 private:
  trtc::net::LinkTestSummary summary_;
};

int network_level_of(double loss_percent, double rtt_ms, double jitter_ms) {
  return trtc::net::level_of(loss_percent, rtt_ms, jitter_ms);
}

}  // namespace

EMSCRIPTEN_BINDINGS(trtc_core) {
  value_object<trtc::audio::LevelStats>("LevelStats")
      .field("rms", &trtc::audio::LevelStats::rms)
      .field("peak", &trtc::audio::LevelStats::peak);

  class_<LevelMeterBinding>("LevelMeter")
      .constructor<int, float>()
      .function("input", &LevelMeterBinding::input)
      .function("process", &LevelMeterBinding::process)
      .function("level", &LevelMeterBinding::level)
      .function("volume", &LevelMeterBinding::volume)
      .function("maxPeak", &LevelMeterBinding::maxPeak)
      .function("samples", &LevelMeterBinding::samples)
      .function("reset", &LevelMeterBinding::reset);

  value_object<JsLinkSample>("LinkSample")
      .field("state", &JsLinkSample::state)
      .field("rttMs", &JsLinkSample::rttMs)
      .field("expected", &JsLinkSample::expected)
      .field("lost", &JsLinkSample::lost)
      .field("jitterMs", &JsLinkSample::jitterMs);

  value_object<trtc::net::LinkReport>("LinkReport")
      .field("level", &trtc::net::LinkReport::level)
      .field("instantLevel", &trtc::net::LinkReport::instant_level)
      .field("lossPercent", &trtc::net::LinkReport::loss_percent)
      .field("rttMs", &trtc::net::LinkReport::rtt_ms)
      .field("jitterMs", &trtc::net::LinkReport::jitter_ms);

  value_object<trtc::net::LinkTestResult>("LinkTestResult")
      .field("quality", &trtc::net::LinkTestResult::quality)
      .field("rttMs", &trtc::net::LinkTestResult::rtt_ms)
      .field("lossPercent", &trtc::net::LinkTestResult::loss_percent)
      .field("jitterMs", &trtc::net::LinkTestResult::jitter_ms)
      .field("bandwidthKbps", &trtc::net::LinkTestResult::bandwidth_kbps)
      .field("samples", &trtc::net::LinkTestResult::samples);

  class_<LinkQualityBinding>("LinkQualityEstimator")
      .constructor<>()
      .function("update", &LinkQualityBinding::update)
      .function("level", &LinkQualityBinding::level)
      .function("reset", &LinkQualityBinding::reset);

  class_<LinkTestSummaryBinding>("LinkTestSummary")
      .constructor<>()
      .function("add", &LinkTestSummaryBinding::add)
      .function("result", &LinkTestSummaryBinding::result);

  function("networkLevelOf", &network_level_of);
  function("volumeFromLevel", &trtc::audio::volume_from_level);
  function("simdAvailable", &trtc::audio::simd_available);
}
