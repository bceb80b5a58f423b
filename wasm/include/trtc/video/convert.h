// Pixel-format conversions for the video pipeline: what browsers hand out (I420, NV12, RGBA/BGRA
// from a camera VideoFrame or a canvas) to the I420 the beauty filter works on, and I420 back to
// RGBA for the canvas fallback. Colours use BT.601 limited range ("TV range", Y 16–235), what
// cameras and WebRTC send.
//
// Each conversion has a scalar reference and a SIMD kernel; they agree bit for bit (tests check it).
#pragma once

#include <cstdint>

#include "trtc/video/frame.h"

namespace trtc::video {

/// Byte order of a 4-byte-per-pixel image.
enum class PixelOrder { kRGBA, kBGRA };

/// NV12 (Y plane, then interleaved UV at half resolution) → I420. Exact (a copy and a de-interleave).
void nv12_to_i420_scalar(const std::uint8_t* y, int stride_y, const std::uint8_t* uv, int stride_uv,
                         const I420Frame& out);
void nv12_to_i420_simd(const std::uint8_t* y, int stride_y, const std::uint8_t* uv, int stride_uv,
                       const I420Frame& out);
void nv12_to_i420(const std::uint8_t* y, int stride_y, const std::uint8_t* uv, int stride_uv, const I420Frame& out);

/// RGBA or BGRA (alpha ignored) → I420, BT.601 limited range; chroma from the 2x2 average.
void rgba_to_i420_scalar(const std::uint8_t* rgba, int stride, PixelOrder order, const I420Frame& out);
void rgba_to_i420_simd(const std::uint8_t* rgba, int stride, PixelOrder order, const I420Frame& out);
void rgba_to_i420(const std::uint8_t* rgba, int stride, PixelOrder order, const I420Frame& out);

/// I420 → RGBA (alpha 255), BT.601 limited range, chroma sampled nearest (each U/V covers 2x2).
void i420_to_rgba_scalar(const I420Frame& in, std::uint8_t* rgba, int stride);
void i420_to_rgba_simd(const I420Frame& in, std::uint8_t* rgba, int stride);
void i420_to_rgba(const I420Frame& in, std::uint8_t* rgba, int stride);

}  // namespace trtc::video
