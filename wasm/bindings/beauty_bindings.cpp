// Embind module `trtc-beauty` for the Beauty plugin's Worker: a single-file build (the .wasm is
// inlined as base64, so the plugin is one file and the worker needs no URL to fetch from). The
// worker copies each camera frame into `input()` with VideoFrame.copyTo, converts it to I420 in
// `frame()`, filters it there, and builds the outgoing VideoFrame from that memory. The canvas
// fallback hands over RGBA and takes RGBA back (`rgba()`).
#include <emscripten/bind.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "common/simd_f32x4.h"
#include "trtc/video/beauty.h"
#include "trtc/video/convert.h"

using namespace emscripten;

namespace {

using namespace trtc::video;

// Formats as numbers (the worker maps VideoFrame.format to these).
enum Format : int { kI420 = 0, kNV12 = 1, kRGBA = 2, kBGRA = 3 };
constexpr int kMaxSide = 8192;

class BeautyEngine {
 public:
  void setParams(float beauty, float brightness, float ruddy) { processor_.set_params({beauty, brightness, ruddy}); }
  bool isIdentity() const { return processor_.is_identity(); }

  /// A Uint8Array view of the input buffer, at least `bytes` long. Valid until memory grows (the
  /// next call into this engine may grow it: take a fresh view for every frame).
  val input(int bytes) {
    if (bytes <= 0 || bytes > 4 * kMaxSide * kMaxSide) return val::null();
    if (input_.size() < static_cast<std::size_t>(bytes)) input_.resize(static_cast<std::size_t>(bytes));
    return val(typed_memory_view(static_cast<std::size_t>(bytes), input_.data()));
  }

  /// Converts the input (`format`, width x height, rows packed) into the I420 frame buffer and
  /// filters it. Returns false on bad sizes or an input buffer too small for them.
  bool process(int format, int width, int height) {
    if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide) return false;
    const std::size_t size = i420_size(width, height);
    const std::size_t need = format == kRGBA || format == kBGRA ? static_cast<std::size_t>(width) * height * 4 : size;
    if (input_.size() < need) return false;
    frame_.resize(size);
    width_ = width;
    height_ = height;
    I420Frame out = packed_i420(frame_.data(), width, height);
    const int cw = chroma_size(width);
    switch (format) {
      case kI420:
        std::memcpy(frame_.data(), input_.data(), size);
        break;
      case kNV12:
        nv12_to_i420(input_.data(), width, input_.data() + static_cast<std::size_t>(width) * height, 2 * cw, out);
        break;
      case kRGBA:
      case kBGRA:
        rgba_to_i420(input_.data(), width * 4, format == kRGBA ? PixelOrder::kRGBA : PixelOrder::kBGRA, out);
        break;
      default:
        return false;
    }
    processor_.process(out);
    return true;
  }

  /// The last processed frame, I420 packed (i420_size(width, height) bytes).
  val frame() { return val(typed_memory_view(frame_.size(), frame_.data())); }

  /// The last processed frame as RGBA (alpha 255), width*height*4 bytes.
  val rgba() {
    rgba_.resize(static_cast<std::size_t>(width_) * height_ * 4);
    if (!frame_.empty()) i420_to_rgba(packed_i420(frame_.data(), width_, height_), rgba_.data(), width_ * 4);
    return val(typed_memory_view(rgba_.size(), rgba_.data()));
  }

 private:
  BeautyProcessor processor_;
  std::vector<std::uint8_t> input_, frame_, rgba_;
  int width_ = 0, height_ = 0;
};

bool simd_available() { return trtc::simd::kAvailable; }

}  // namespace

EMSCRIPTEN_BINDINGS(trtc_beauty) {
  class_<BeautyEngine>("BeautyEngine")
      .constructor<>()
      .function("setParams", &BeautyEngine::setParams)
      .function("isIdentity", &BeautyEngine::isIdentity)
      .function("input", &BeautyEngine::input)
      .function("process", &BeautyEngine::process)
      .function("frame", &BeautyEngine::frame)
      .function("rgba", &BeautyEngine::rgba);
  function("simdAvailable", &simd_available);
}
