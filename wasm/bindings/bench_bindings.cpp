// Embind module `trtc-bench`, for the browser benchmark page only (never shipped): runs a kernel
// many times inside WASM so that the page's timer measures the kernel, not the JS↔WASM calls.
#include <emscripten/bind.h>

#include <cmath>
#include <string>
#include <vector>

#include "trtc/audio/level_meter.h"

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

}  // namespace

EMSCRIPTEN_BINDINGS(trtc_bench) {
  function("runLevelMeter", &run_level_meter);
  function("simdAvailable", &trtc::audio::simd_available);
}
