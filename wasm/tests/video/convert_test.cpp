// Pixel-format conversions: SIMD kernels against their scalar references (bit for bit), known
// colours, and round trips.
#include "trtc/video/convert.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <vector>

#include "../support/images.h"

namespace {

using trtc::test::I420Image;
using namespace trtc::video;

const int kSizes[][2] = {{1, 1}, {2, 2}, {3, 5}, {7, 3}, {16, 8}, {17, 9}, {33, 18}, {64, 48}, {99, 61}};

TEST(Nv12ToI420, SimdAndScalarDeinterleaveExactly) {
  for (const auto& s : kSizes) {
    const int w = s[0], h = s[1], cw = chroma_size(w), ch = chroma_size(h);
    const int stride_y = w + 5, stride_uv = 2 * cw + 3;  // padded rows, as VideoFrame layouts may have
    std::vector<std::uint8_t> y(static_cast<std::size_t>(stride_y) * h), uv(static_cast<std::size_t>(stride_uv) * ch);
    trtc::test::fill_random(y, 1);
    trtc::test::fill_random(uv, 2);
    I420Image a(w, h), b(w, h);
    nv12_to_i420_scalar(y.data(), stride_y, uv.data(), stride_uv, a.frame());
    nv12_to_i420_simd(y.data(), stride_y, uv.data(), stride_uv, b.frame());
    EXPECT_EQ(a.data, b.data) << w << "x" << h;
    for (int j = 0; j < ch; ++j)
      for (int i = 0; i < cw; ++i) {
        ASSERT_EQ(a.u(i, j), uv[static_cast<std::size_t>(j) * stride_uv + 2 * i]);
        ASSERT_EQ(a.v(i, j), uv[static_cast<std::size_t>(j) * stride_uv + 2 * i + 1]);
      }
    for (int r = 0; r < h; ++r)
      for (int x = 0; x < w; ++x) ASSERT_EQ(a.y(x, r), y[static_cast<std::size_t>(r) * stride_y + x]);
  }
}

TEST(RgbaToI420, SimdMatchesScalarForBothByteOrders) {
  for (const auto& s : kSizes) {
    const int w = s[0], h = s[1];
    std::vector<std::uint8_t> rgba(static_cast<std::size_t>(w) * h * 4);
    trtc::test::fill_random(rgba, 3);
    for (PixelOrder order : {PixelOrder::kRGBA, PixelOrder::kBGRA}) {
      I420Image a(w, h), b(w, h);
      rgba_to_i420_scalar(rgba.data(), w * 4, order, a.frame());
      rgba_to_i420_simd(rgba.data(), w * 4, order, b.frame());
      EXPECT_EQ(a.data, b.data) << w << "x" << h;
    }
  }
}

TEST(RgbaToI420, BgraIsRgbaWithRedAndBlueSwapped) {
  const int w = 33, h = 17;
  std::vector<std::uint8_t> rgba(static_cast<std::size_t>(w) * h * 4);
  trtc::test::fill_random(rgba, 4);
  std::vector<std::uint8_t> bgra = rgba;
  for (std::size_t i = 0; i < bgra.size(); i += 4) std::swap(bgra[i], bgra[i + 2]);
  I420Image a(w, h), b(w, h);
  rgba_to_i420(rgba.data(), w * 4, PixelOrder::kRGBA, a.frame());
  rgba_to_i420(bgra.data(), w * 4, PixelOrder::kBGRA, b.frame());
  EXPECT_EQ(a.data, b.data);
}

TEST(RgbaToI420, KnownColoursInLimitedRange) {
  struct Case {
    std::uint8_t r, g, b, y, u, v;
  };
  // BT.601 limited range (16 + 219·Y′, 128 + 224·(B′ − Y′)/1.772, …, rounded).
  const Case cases[] = {{255, 255, 255, 235, 128, 128}, {0, 0, 0, 16, 128, 128},   {255, 0, 0, 81, 90, 240},
                        {0, 255, 0, 145, 54, 34},       {0, 0, 255, 41, 240, 110}, {128, 128, 128, 126, 128, 128}};
  for (const Case& c : cases) {
    const int w = 8, h = 4;
    std::vector<std::uint8_t> rgba(static_cast<std::size_t>(w) * h * 4);
    for (std::size_t i = 0; i < rgba.size(); i += 4) {
      rgba[i] = c.r;
      rgba[i + 1] = c.g;
      rgba[i + 2] = c.b;
      rgba[i + 3] = 255;
    }
    I420Image out(w, h);
    rgba_to_i420(rgba.data(), w * 4, PixelOrder::kRGBA, out.frame());
    EXPECT_EQ(out.y(3, 2), c.y) << int(c.r) << "," << int(c.g) << "," << int(c.b);
    EXPECT_EQ(out.u(1, 1), c.u) << int(c.r) << "," << int(c.g) << "," << int(c.b);
    EXPECT_EQ(out.v(1, 1), c.v) << int(c.r) << "," << int(c.g) << "," << int(c.b);
  }
}

TEST(I420ToRgba, SimdMatchesScalar) {
  for (const auto& s : kSizes) {
    const int w = s[0], h = s[1];
    I420Image in = trtc::test::random_i420(w, h, 5);
    std::vector<std::uint8_t> a(static_cast<std::size_t>(w) * h * 4), b(a.size());
    i420_to_rgba_scalar(in.frame(), a.data(), w * 4);
    i420_to_rgba_simd(in.frame(), b.data(), w * 4);
    EXPECT_EQ(a, b) << w << "x" << h;
    for (std::size_t i = 3; i < a.size(); i += 4) ASSERT_EQ(a[i], 255);
  }
}

TEST(I420ToRgba, GreyRoundTripsWithinOneLevel) {
  const int w = 16, h = 2;
  std::vector<std::uint8_t> rgba(static_cast<std::size_t>(w) * h * 4), back(rgba.size());
  for (int level = 0; level < 256; level += 5) {
    for (std::size_t i = 0; i < rgba.size(); i += 4) rgba[i] = rgba[i + 1] = rgba[i + 2] = rgba[i + 3] = 255;
    for (std::size_t i = 0; i < rgba.size(); i += 4)
      rgba[i] = rgba[i + 1] = rgba[i + 2] = static_cast<std::uint8_t>(level);
    I420Image yuv(w, h);
    rgba_to_i420(rgba.data(), w * 4, PixelOrder::kRGBA, yuv.frame());
    i420_to_rgba(yuv.frame(), back.data(), w * 4);
    for (std::size_t i = 0; i < rgba.size(); ++i) ASSERT_LE(std::abs(int(rgba[i]) - int(back[i])), 1) << level;
  }
}

TEST(I420ToRgba, PhotographRoundTripLosesOnlyChromaDetail) {
  const trtc::test::RgbImage rgb = trtc::test::load_ppm(trtc::test::fixture("astronaut.ppm"));
  ASSERT_GT(rgb.width, 0);
  const auto rgba = trtc::test::to_rgba(rgb);
  I420Image yuv(rgb.width, rgb.height);
  rgba_to_i420(rgba.data(), rgb.width * 4, PixelOrder::kRGBA, yuv.frame());
  std::vector<std::uint8_t> back(rgba.size());
  i420_to_rgba(yuv.frame(), back.data(), rgb.width * 4);
  double err = 0;
  for (std::size_t i = 0; i < rgba.size(); i += 4)
    for (int k = 0; k < 3; ++k) err += std::abs(int(rgba[i + k]) - int(back[i + k]));
  const double mean = err / (rgba.size() / 4 * 3);
  // 4:2:0 subsampling blurs colour edges; a lossless-chroma path would be < 1.
  EXPECT_LT(mean, 3.0) << "mean absolute error per channel";
  EXPECT_GT(mean, 0.2) << "suspiciously exact: is the conversion running at all?";
}

}  // namespace
