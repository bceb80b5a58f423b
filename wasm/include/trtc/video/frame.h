// Video frames as the video kernels see them: 8-bit planes with strides, no ownership.
#pragma once

#include <cstddef>
#include <cstdint>

namespace trtc::video {

/// Width or height of a chroma plane of 4:2:0 video: half, rounded up.
constexpr int chroma_size(int n) { return (n + 1) / 2; }

/// An I420 frame (planar Y, U, V; U and V at half width and height, rounded up). Not owned.
struct I420Frame {
  std::uint8_t* y = nullptr;
  std::uint8_t* u = nullptr;
  std::uint8_t* v = nullptr;
  int stride_y = 0;
  int stride_u = 0;
  int stride_v = 0;
  int width = 0;
  int height = 0;
};

/// Bytes of a tightly packed I420 frame (Y, then U, then V).
constexpr std::size_t i420_size(int width, int height) {
  return static_cast<std::size_t>(width) * static_cast<std::size_t>(height) +
         2 * static_cast<std::size_t>(chroma_size(width)) * static_cast<std::size_t>(chroma_size(height));
}

/// The I420Frame view of a tightly packed buffer of i420_size(width, height) bytes.
inline I420Frame packed_i420(std::uint8_t* data, int width, int height) {
  I420Frame f;
  const int cw = chroma_size(width), ch = chroma_size(height);
  f.y = data;
  f.u = data + static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  f.v = f.u + static_cast<std::size_t>(cw) * static_cast<std::size_t>(ch);
  f.stride_y = width;
  f.stride_u = cw;
  f.stride_v = cw;
  f.width = width;
  f.height = height;
  return f;
}

}  // namespace trtc::video
