// The video benchmarks' workload, shared by the native Google Benchmark and the browser benchmark
// module so both time the same thing: a frame with photograph-like statistics (smooth luma with
// fine texture, skin-coloured chroma over part of it) and the beauty filter with every stage on.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "trtc/video/beauty.h"
#include "trtc/video/frame.h"

namespace trtc::bench {

constexpr video::BeautyParams kBeautyBenchParams{0.6f, 0.5f, 0.4f};

/// A packed I420 frame: a lit gradient with texture; the middle third has skin chroma.
inline std::vector<std::uint8_t> make_video_frame(int width, int height) {
  std::vector<std::uint8_t> data(video::i420_size(width, height));
  video::I420Frame f = video::packed_i420(data.data(), width, height);
  std::uint32_t seed = 12345;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      seed = seed * 1664525u + 1013904223u;
      const double base = 120.0 + 60.0 * std::sin(x * 0.01) * std::cos(y * 0.013);
      f.y[y * f.stride_y + x] = static_cast<std::uint8_t>(base + static_cast<int>(seed >> 28) - 8);
    }
  const int cw = video::chroma_size(width), ch = video::chroma_size(height);
  for (int j = 0; j < ch; ++j)
    for (int i = 0; i < cw; ++i) {
      const bool skin = i > cw / 3 && i < 2 * cw / 3;
      f.u[j * f.stride_u + i] = skin ? 112 : 128;
      f.v[j * f.stride_v + i] = skin ? 148 : 124;
    }
  return data;
}

}  // namespace trtc::bench
