// Embind module `trtc-core`: the C++ core as the SDK sees it. Only argument conversion lives here;
// the TypeScript side never handles pointers (it writes samples into a typed-array view of the
// meter's own buffer). Types for this module: js/src/core/trtc-core.d.ts.
#include <emscripten/bind.h>

#include <vector>

#include "trtc/audio/level_meter.h"

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

  function("volumeFromLevel", &trtc::audio::volume_from_level);
  function("simdAvailable", &trtc::audio::simd_available);
}
