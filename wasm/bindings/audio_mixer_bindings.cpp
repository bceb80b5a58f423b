// Embind module `trtc-audio-mixer` for the AudioMixer plugin's AudioWorklet: a single-file build
// of MixerEngine (mixer_engine.h) with libopus for Ogg Opus. The worklet copies file bytes and PCM
// into views of a staging buffer, and each render quantum into views of the engine's buffers.
#include <emscripten/bind.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "trtc/audio/mixer_engine.h"

using namespace emscripten;

namespace {

class MixerBinding {
 public:
  MixerBinding(int sample_rate, int channels, int max_frames) : engine_(sample_rate, channels, max_frames) {}

  /// A Uint8Array view of a staging buffer of `size` bytes: copy a file into it, then open*(size).
  val bytes(std::size_t size) {
    if (bytes_.size() < size) bytes_.resize(size);
    return val(typed_memory_view(size, bytes_.data()));
  }
  /// A Float32Array view of `count` staging samples for writePcm().
  val floats(std::size_t count) {
    if (floats_.size() < count) floats_.resize(count);
    return val(typed_memory_view(count, floats_.data()));
  }
  /// Opens the staged bytes as Ogg Opus / WAV; the id, or -1 (see lastError()). Frees the staging.
  int openOggOpus(std::size_t size) { return open(size, true); }
  int openWav(std::size_t size) { return open(size, false); }
  int openPcm(int sample_rate, int channels, double frames) {
    return engine_.open_pcm(sample_rate, channels, static_cast<std::int64_t>(frames));
  }
  /// Stores `count` staged floats as channel `channel` of PCM source `id` from frame `offset`.
  double writePcm(int id, int channel, double offset, std::size_t count) {
    count = std::min(count, floats_.size());
    return static_cast<double>(
        engine_.write_pcm(id, channel, static_cast<std::int64_t>(offset), floats_.data(), count));
  }
  void releaseStaging() {
    std::vector<std::uint8_t>().swap(bytes_);
    std::vector<float>().swap(floats_);
  }

  val micInput(int channel) { return view(engine_.mic_input(channel)); }
  val output(int bus, int channel) { return view(engine_.output(bus, channel)); }
  bool process(int frames, bool mic_active) {
    return frames >= 0 && engine_.process(static_cast<std::size_t>(frames), mic_active);
  }
  val takeEnded() {
    val out = val::array();
    for (int id : engine_.take_ended()) out.call<void>("push", id);
    return out;
  }

  bool remove(int id) { return engine_.remove(id); }
  bool play(int id) { return engine_.play(id); }
  bool pause(int id) { return engine_.pause(id); }
  bool resume(int id) { return engine_.resume(id); }
  bool stop(int id) { return engine_.stop(id); }
  bool seek(int id, double seconds) { return engine_.seek(id, seconds); }
  bool setVolume(int id, float volume) { return engine_.set_volume(id, volume); }
  bool setLoop(int id, bool loop) { return engine_.set_loop(id, loop); }
  double position(int id) const { return engine_.position(id); }
  double duration(int id) const { return engine_.duration(id); }
  int state(int id) const { return engine_.state(id); }
  int activeCount() const { return engine_.active_count(); }
  std::string lastError() const { return engine_.last_error(); }

 private:
  int open(std::size_t size, bool ogg) {
    size = std::min(size, bytes_.size());
    const int id = ogg ? engine_.open_ogg_opus(bytes_.data(), size) : engine_.open_wav(bytes_.data(), size);
    std::vector<std::uint8_t>().swap(bytes_);  // the decoder keeps its own copy
    return id;
  }
  val view(float* p) const {
    if (p == nullptr) return val::null();
    return val(typed_memory_view(static_cast<std::size_t>(engine_.max_frames()), p));
  }

  trtc::audio::MixerEngine engine_;
  std::vector<std::uint8_t> bytes_;
  std::vector<float> floats_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(trtc_audio_mixer) {
  class_<MixerBinding>("MixerEngine")
      .constructor<int, int, int>()
      .function("bytes", &MixerBinding::bytes)
      .function("floats", &MixerBinding::floats)
      .function("openOggOpus", &MixerBinding::openOggOpus)
      .function("openWav", &MixerBinding::openWav)
      .function("openPcm", &MixerBinding::openPcm)
      .function("writePcm", &MixerBinding::writePcm)
      .function("releaseStaging", &MixerBinding::releaseStaging)
      .function("micInput", &MixerBinding::micInput)
      .function("output", &MixerBinding::output)
      .function("process", &MixerBinding::process)
      .function("takeEnded", &MixerBinding::takeEnded)
      .function("remove", &MixerBinding::remove)
      .function("play", &MixerBinding::play)
      .function("pause", &MixerBinding::pause)
      .function("resume", &MixerBinding::resume)
      .function("stop", &MixerBinding::stop)
      .function("seek", &MixerBinding::seek)
      .function("setVolume", &MixerBinding::setVolume)
      .function("setLoop", &MixerBinding::setLoop)
      .function("position", &MixerBinding::position)
      .function("duration", &MixerBinding::duration)
      .function("state", &MixerBinding::state)
      .function("activeCount", &MixerBinding::activeCount)
      .function("lastError", &MixerBinding::lastError);
}
