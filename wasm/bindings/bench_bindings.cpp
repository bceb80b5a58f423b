// Embind module `trtc-bench`, for the browser benchmark page only (never shipped): runs a kernel
// many times inside WASM so that the page's timer measures the kernel, not the JS↔WASM calls.
#include <emscripten/bind.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../bench/mixer8_workload.h"
#include "../bench/video_workload.h"
#include "trtc/audio/level_meter.h"
#include "trtc/audio/mixer.h"
#if TRTC_BENCH_CODECS
#include "../tests/support/ogg_opus_writer.h"
#include "trtc/audio/ogg_opus.h"
#endif

using namespace emscripten;

namespace {

/// Runs `frames` level measurements of one `frame_size`-sample frame with the named kernel
/// ("scalar" or "simd"). Returns a checksum so the work cannot be optimised away; -1 on a bad name.
double run_level_meter(const std::string& kernel, int frames, int frame_size) {
  std::vector<float> frame(static_cast<std::size_t>(frame_size));
  for (std::size_t i = 0; i < frame.size(); ++i) frame[i] = 0.5f * std::sin(0.1309f * static_cast<float>(i));
  auto fn = kernel == "scalar" ? &trtc::audio::measure_level_scalar
            : kernel == "simd" ? &trtc::audio::measure_level_simd
                               : nullptr;
  if (fn == nullptr) return -1.0;
  double checksum = 0.0;
  for (int f = 0; f < frames; ++f) {
    frame[static_cast<std::size_t>(f) % frame.size()] += 1e-7f;  // a new frame each time
    checksum += fn(frame.data(), frame.size()).rms;
  }
  return checksum;
}

constexpr std::size_t kFrame = 480;  // 10 ms at 48 kHz
namespace mix8 = trtc::audio::bench;

/// The native benchmark's mixer8 workload (wasm/bench/mixer8_workload.h), mixed `frames` times.
/// "simd": Mixer::mix; "scalar": the scalar reference kernels + the same Limiter.
double run_mixer8(const std::string& kernel, int frames) {
  if (kernel != "scalar" && kernel != "simd") return -1.0;
  const auto inputs = mix8::mixer8_inputs();
  std::vector<float> left(kFrame), right(kFrame);
  float* out[mix8::kMixChannels] = {left.data(), right.data()};
  double checksum = 0.0;
  if (kernel == "simd") {
    trtc::audio::MixerOptions options;
    options.max_frames = static_cast<int>(kFrame);
    trtc::audio::Mixer mixer(options);
    mix8::load_mixer8(mixer, inputs);
    for (int f = 0; f < frames; ++f) {
      mixer.mix(out, kFrame);
      checksum += left[static_cast<std::size_t>(f) % kFrame];
    }
  } else {
    trtc::audio::Limiter limiter(mix8::kMixChannels);
    for (int f = 0; f < frames; ++f) {
      mix8::mix8_scalar(out, inputs, limiter);
      checksum += left[static_cast<std::size_t>(f) % kFrame];
    }
  }
  return checksum;
}

#if TRTC_BENCH_CODECS
/// The native benchmark's ogg_opus_decode workload: a 10 s, 64 kbit/s stereo Ogg Opus file
/// (encoded once by libopus), read in 480-frame blocks `frames` times, seeking to 0 at the end.
class OggOpusBench {
 public:
  OggOpusBench() {
    trtc::audio::testing::OpusEncodeOptions o;
    o.channels = 2;
    o.seconds = 10.0;
    o.bitrate = 64000;
    file_ = trtc::audio::testing::write_ogg_opus(trtc::audio::testing::encode_opus(o));
    trtc::audio::OggOpusStatus status;
    decoder_ = trtc::audio::OggOpusDecoder::open(file_.data(), file_.size(), &status);
  }
  double run(int frames) {
    if (!decoder_) return -1.0;
    std::vector<float> l(kFrame), r(kFrame);
    float* out[2] = {l.data(), r.data()};
    double checksum = 0.0;
    for (int f = 0; f < frames; ++f) {
      if (decoder_->read(out, 2, kFrame) < static_cast<long>(kFrame)) decoder_->seek(0);
      checksum += l[kFrame / 2];
    }
    return checksum;
  }

 private:
  std::vector<std::uint8_t> file_;
  std::unique_ptr<trtc::audio::OggOpusDecoder> decoder_;
};
#endif

}  // namespace

/// The native benchmark's beauty workload (wasm/bench/video_workload.h): `frames` frames of
/// width x height through the beauty filter with the named kernels, each from a fresh copy.
double run_beauty(const std::string& kernel, int frames, int width, int height) {
  if (kernel != "scalar" && kernel != "simd") return -1.0;
  const std::vector<std::uint8_t> source = trtc::bench::make_video_frame(width, height);
  std::vector<std::uint8_t> frame = source;
  trtc::video::BeautyProcessor p(kernel == "simd" ? trtc::video::KernelSet::kSimd : trtc::video::KernelSet::kScalar);
  p.set_params(trtc::bench::kBeautyBenchParams);
  double checksum = 0.0;
  for (int f = 0; f < frames; ++f) {
    frame = source;
    p.process(trtc::video::packed_i420(frame.data(), width, height));
    checksum += frame[static_cast<std::size_t>(f) % frame.size()];
  }
  return checksum;
}

EMSCRIPTEN_BINDINGS(trtc_bench) {
  function("runBeauty", &run_beauty);
  function("runLevelMeter", &run_level_meter);
  function("runMixer8", &run_mixer8);
#if TRTC_BENCH_CODECS
  class_<OggOpusBench>("OggOpusBench").constructor<>().function("run", &OggOpusBench::run);
#endif
  function("simdAvailable", &trtc::audio::simd_available);
}
