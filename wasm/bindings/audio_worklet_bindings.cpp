// Embind module `trtc-audio` for the SDK's AudioWorklet (dist/wasm/trtc-audio.worklet.js): a
// single-file build (the .wasm is inlined, the worklet scope cannot fetch) of the capture stage:
// gain with smooth ramps (setAudioCaptureVolume) and the level meter (getAudioLevel, audio-volume).
// The worklet writes each render quantum into typed-array views of the stage's own buffers.
#include <emscripten/bind.h>

#include <algorithm>
#include <vector>

#include "trtc/audio/gain.h"
#include "trtc/audio/level_meter.h"

using namespace emscripten;

namespace {

class CaptureStage {
 public:
  CaptureStage(int sample_rate, int channels, int max_frames)
      : channels_(std::clamp(channels, 1, 2)),
        max_frames_(std::clamp(max_frames, 1, 16384)),
        gain_(sample_rate, 10.0f, 1.0f),
        buffers_(static_cast<std::size_t>(channels_), std::vector<float>(static_cast<std::size_t>(max_frames_))) {
    for (int c = 0; c < channels_; ++c) meters_.emplace_back(trtc::audio::LevelMeterOptions{sample_rate, 300.0f});
  }

  /// A Float32Array view of channel `channel`'s buffer (max_frames floats). Valid until memory grows.
  val buffer(int channel) {
    if (channel < 0 || channel >= channels_) return val::null();
    auto& b = buffers_[static_cast<std::size_t>(channel)];
    return val(typed_memory_view(b.size(), b.data()));
  }

  /// Applies the gain to `frames` frames of the first `channels` buffers, in place, then measures them.
  void process(int frames, int channels) {
    const auto n = static_cast<std::size_t>(std::clamp(frames, 0, max_frames_));
    channels = std::clamp(channels, 1, channels_);
    active_ = channels;
    float* ptrs[2] = {buffers_[0].data(), buffers_[static_cast<std::size_t>(channels_ - 1)].data()};
    if (gain_.ramping() || gain_.gain() != 1.0f) gain_.process(ptrs, channels, n);
    for (int c = 0; c < channels; ++c) meters_[static_cast<std::size_t>(c)].process(ptrs[c], n);
  }

  void setGain(float gain) { gain_.set_gain(gain); }
  float gain() const { return gain_.target(); }
  /// The louder channel's smoothed level, 0–1 (of the channels the input has now).
  float level() const {
    float l = 0.0f;
    for (int c = 0; c < active_; ++c) l = std::max(l, meters_[static_cast<std::size_t>(c)].level());
    return l;
  }
  int volume() const { return trtc::audio::volume_from_level(level()); }
  int maxFrames() const { return max_frames_; }

 private:
  int channels_;
  int max_frames_;
  int active_ = 1;
  trtc::audio::GainStage gain_;
  std::vector<trtc::audio::LevelMeter> meters_;
  std::vector<std::vector<float>> buffers_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(trtc_audio) {
  class_<CaptureStage>("CaptureStage")
      .constructor<int, int, int>()
      .function("buffer", &CaptureStage::buffer)
      .function("process", &CaptureStage::process)
      .function("setGain", &CaptureStage::setGain)
      .function("gain", &CaptureStage::gain)
      .function("level", &CaptureStage::level)
      .function("volume", &CaptureStage::volume)
      .function("maxFrames", &CaptureStage::maxFrames);
  function("simdAvailable", &trtc::audio::simd_available);
}
