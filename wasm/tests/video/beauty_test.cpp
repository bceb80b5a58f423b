// The beauty filter: each SIMD kernel against its scalar reference, 0 as the identity, the
// whitening and ruddy curves, and skin smoothing measured on a real photograph (skimage's
// astronaut.png, extracted from Debian's python3-skimage by scripts/fixtures.sh).
#include "trtc/video/beauty.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "../support/images.h"

namespace {

using trtc::test::I420Image;
using namespace trtc::video;
namespace k = trtc::video::kernels;

const int kSizes[][2] = {{1, 1}, {2, 3}, {5, 5}, {9, 7}, {16, 16}, {31, 17}, {64, 36}, {101, 77}};

/// Random frames with skin-like chroma, so that the mask (and everything after it) is exercised.
I420Image skin_like(int w, int h, unsigned seed) {
  I420Image img(w, h);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> luma(0, 255), cb(98, 128), cr(130, 162);
  for (int r = 0; r < h; ++r)
    for (int x = 0; x < w; ++x) img.y(x, r) = static_cast<std::uint8_t>(luma(rng));
  for (int j = 0; j < img.ch(); ++j)
    for (int i = 0; i < img.cw(); ++i) {
      img.u(i, j) = static_cast<std::uint8_t>(cb(rng));
      img.v(i, j) = static_cast<std::uint8_t>(cr(rng));
    }
  return img;
}

/// A copy of `img` through a fresh BeautyProcessor with `params` and the given kernels.
I420Image filtered(const I420Image& img, const BeautyParams& params, KernelSet kernels) {
  I420Image out = img;
  BeautyProcessor p(kernels);
  p.set_params(params);
  p.process(out.frame());
  return out;
}

std::vector<float> random_floats(std::size_t n, float lo, float hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

// --- kernels: SIMD against scalar, bit for bit ------------------------------------------------------

TEST(BeautyKernels, DownsampleAndMaskSimdMatchScalar) {
  for (const auto& s : kSizes) {
    I420Image img = skin_like(s[0], s[1], 11);
    const std::size_t n = static_cast<std::size_t>(img.cw()) * img.ch();
    std::vector<float> p1(n), pp1(n), p2(n), pp2(n), m1(n), m2(n);
    auto f = img.frame();
    k::downsample_luma_scalar(f.y, f.stride_y, f.width, f.height, p1.data(), pp1.data());
    k::downsample_luma_simd(f.y, f.stride_y, f.width, f.height, p2.data(), pp2.data());
    EXPECT_EQ(p1, p2) << s[0] << "x" << s[1];
    EXPECT_EQ(pp1, pp2);
    k::skin_mask_scalar(p1.data(), f.u, f.stride_u, f.v, f.stride_v, img.cw(), img.ch(), m1.data());
    k::skin_mask_simd(p1.data(), f.u, f.stride_u, f.v, f.stride_v, img.cw(), img.ch(), m2.data());
    EXPECT_EQ(m1, m2) << s[0] << "x" << s[1];
    for (float m : m1) ASSERT_TRUE(m >= 0.0f && m <= 1.0f);
  }
}

TEST(BeautyKernels, BoxFilterSimdMatchesScalarAndBruteForce) {
  for (const auto& s : kSizes) {
    for (int r : {1, 3, 4, 8}) {
      const int w = s[0], h = s[1];
      const auto in = random_floats(static_cast<std::size_t>(w) * h, 0.0f, 65025.0f, 12);
      std::vector<float> a(in.size()), b(in.size());
      k::BoxScratch scratch;
      k::box_filter_scalar(in.data(), a.data(), w, h, r, scratch);
      k::box_filter_simd(in.data(), b.data(), w, h, r, scratch);
      ASSERT_EQ(a, b) << w << "x" << h << " r=" << r;
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
          double sum = 0;
          int n = 0;
          for (int yy = std::max(0, y - r); yy <= std::min(h - 1, y + r); ++yy)
            for (int xx = std::max(0, x - r); xx <= std::min(w - 1, x + r); ++xx, ++n) sum += in[yy * w + xx];
          // Running sums in float: within 1e-5 of the window's largest possible sum.
          ASSERT_NEAR(a[y * w + x], sum / n, 65025.0 * 1e-5) << x << "," << y << " r=" << r;
        }
    }
  }
}

TEST(BeautyKernels, GuidedCoefficientsSimdMatchScalar) {
  const int n = 1003;
  const auto mean_p = random_floats(n, 0.0f, 255.0f, 13);
  auto mean_pp = random_floats(n, 0.0f, 400.0f, 14);
  for (int i = 0; i < n; ++i) mean_pp[i] += mean_p[i] * mean_p[i];  // variance 0–400
  const auto mask = random_floats(n, 0.0f, 1.0f, 15);
  std::vector<float> a1(n), b1(n), a2(n), b2(n);
  k::guided_coefficients_scalar(mean_p.data(), mean_pp.data(), mask.data(), n, 0.7f, 100.0f, a1.data(), b1.data());
  k::guided_coefficients_simd(mean_p.data(), mean_pp.data(), mask.data(), n, 0.7f, 100.0f, a2.data(), b2.data());
  EXPECT_EQ(a1, a2);
  EXPECT_EQ(b1, b2);
  // Identity where the mask is 0 or the strength is 0.
  std::vector<float> zero(n, 0.0f);
  k::guided_coefficients_simd(mean_p.data(), mean_pp.data(), zero.data(), n, 1.0f, 100.0f, a2.data(), b2.data());
  for (int i = 0; i < n; ++i) ASSERT_TRUE(a2[i] == 1.0f && b2[i] == 0.0f);
}

TEST(BeautyKernels, ApplyLumaAndRuddySimdMatchScalar) {
  for (const auto& s : kSizes) {
    const int w = s[0], h = s[1];
    I420Image img = skin_like(w, h, 16);
    const std::size_t n = static_cast<std::size_t>(img.cw()) * img.ch();
    const auto a = random_floats(n, 0.3f, 1.05f, 17), b = random_floats(n, -5.0f, 120.0f, 18);
    const auto mask = random_floats(n, 0.0f, 1.0f, 19);
    std::vector<float> rows(static_cast<std::size_t>(4 * (img.cw() + 2)));
    for (float whiten : {0.0f, 0.3f, 0.5f}) {
      I420Image x = img, y = img;
      k::apply_luma_scalar(a.data(), b.data(), x.frame().y, w, w, h, whiten, rows.data());
      k::apply_luma_simd(a.data(), b.data(), y.frame().y, w, w, h, whiten, rows.data());
      ASSERT_EQ(x.data, y.data) << w << "x" << h << " whiten " << whiten;
    }
    I420Image x = img, y = img;
    auto fx = x.frame(), fy = y.frame();
    k::ruddy_scalar(mask.data(), fx.u, fx.stride_u, fx.v, fx.stride_v, x.cw(), x.ch(), 0.8f);
    k::ruddy_simd(mask.data(), fy.u, fy.stride_u, fy.v, fy.stride_v, y.cw(), y.ch(), 0.8f);
    ASSERT_EQ(x.data, y.data) << w << "x" << h;
  }
}

TEST(BeautyProcessor, SimdMatchesScalarOnRandomFramesOfAnySize) {
  for (const auto& s : kSizes) {
    I420Image img = skin_like(s[0], s[1], 20);
    for (const BeautyParams& params :
         {BeautyParams{1, 0, 0}, BeautyParams{0, 1, 0}, BeautyParams{0, 0, 1}, BeautyParams{0.5f, 0.5f, 0.5f}}) {
      ASSERT_EQ(filtered(img, params, KernelSet::kScalar).data, filtered(img, params, KernelSet::kSimd).data)
          << s[0] << "x" << s[1];
    }
  }
}

// --- parameters ----------------------------------------------------------------------------------------

TEST(BeautyProcessor, ZeroIsTheIdentity) {
  I420Image img = skin_like(64, 48, 21);
  BeautyProcessor p;
  EXPECT_TRUE(p.is_identity());
  I420Image a = img;
  p.process(a.frame());
  EXPECT_EQ(a.data, img.data);
  p.set_params({0.8f, 0.8f, 0.8f});
  p.process(a.frame());
  EXPECT_NE(a.data, img.data);
  p.set_params({0, 0, 0});
  I420Image b = img;
  p.process(b.frame());
  EXPECT_EQ(b.data, img.data);
}

TEST(BeautyProcessor, WhiteningAloneAfterSmoothingMatchesAFreshProcessor) {
  // The whitening-only path reuses its unit coefficients across frames; smoothing overwrites them.
  const I420Image img = skin_like(64, 48, 22);
  BeautyProcessor p;
  I420Image first = img, second = img, third = img;
  p.set_params({0.0f, 1.0f, 0.0f});
  p.process(first.frame());
  p.set_params({1.0f, 1.0f, 0.0f});
  p.process(second.frame());
  p.set_params({0.0f, 1.0f, 0.0f});
  p.process(third.frame());
  const I420Image fresh = filtered(img, {0.0f, 1.0f, 0.0f}, KernelSet::kSimd);
  EXPECT_EQ(first.data, fresh.data);
  EXPECT_EQ(third.data, fresh.data);
  EXPECT_NE(second.data, fresh.data);
}

TEST(BeautyProcessor, ParametersAreClampedAndNaNIsZero) {
  BeautyProcessor p;
  p.set_params({2.0f, -1.0f, std::nanf("")});
  EXPECT_EQ(p.params().beauty, 1.0f);
  EXPECT_EQ(p.params().brightness, 0.0f);
  EXPECT_EQ(p.params().ruddy, 0.0f);
  p.set_params({INFINITY, 0.5f, 0.25f});
  EXPECT_EQ(p.params().beauty, 0.0f);
  EXPECT_EQ(p.params().brightness, 0.5f);
}

TEST(BeautyProcessor, RadiusFollowsTheFrameSize) {
  EXPECT_EQ(BeautyProcessor::radius_for(640, 480), 3);
  EXPECT_EQ(BeautyProcessor::radius_for(1280, 720), 4);
  EXPECT_EQ(BeautyProcessor::radius_for(1920, 1080), 6);
  EXPECT_EQ(BeautyProcessor::radius_for(160, 120), 1);
  EXPECT_EQ(BeautyProcessor::radius_for(1, 1), 1);
}

TEST(BeautyProcessor, WhiteningLiftsMidTonesKeepsEndsAndOrder) {
  BeautyProcessor p;
  p.set_params({0.0f, 1.0f, 0.0f});
  int previous = -1;
  for (int level = 0; level < 256; ++level) {
    I420Image img(8, 8);
    std::fill(img.data.begin(), img.data.end(), static_cast<std::uint8_t>(level));
    p.process(img.frame());
    const int out = img.y(3, 3);
    const double expected = level + 0.5 * level * (255.0 - level) / 255.0;
    ASSERT_NEAR(out, expected, 0.5 + 1e-3) << level;
    ASSERT_GE(out, previous) << "not monotonic at " << level;
    ASSERT_EQ(img.u(1, 1), level) << "whitening must not touch chroma";
    previous = out;
  }
  I420Image mid(8, 8);
  std::fill(mid.data.begin(), mid.data.end(), 128);
  p.process(mid.frame());
  EXPECT_EQ(mid.y(0, 0), 160);  // 128 + 0.5·128·127/255 = 159.9
}

TEST(BeautyProcessor, RuddyTintsSkinOnly) {
  BeautyProcessor p;
  p.set_params({0.0f, 0.0f, 1.0f});
  I420Image skin(16, 16);
  std::fill(skin.data.begin(), skin.data.end(), 180);
  for (int j = 0; j < skin.ch(); ++j)
    for (int i = 0; i < skin.cw(); ++i) {
      skin.u(i, j) = 113;
      skin.v(i, j) = 146;
    }
  p.process(skin.frame());
  EXPECT_EQ(skin.v(3, 3), 156);  // Cr + 10
  EXPECT_EQ(skin.u(3, 3), 109);  // Cb − 4
  EXPECT_EQ(skin.y(5, 5), 180);  // luma untouched
  I420Image blue(16, 16);
  std::fill(blue.data.begin(), blue.data.end(), 90);
  for (int j = 0; j < blue.ch(); ++j)
    for (int i = 0; i < blue.cw(); ++i) {
      blue.u(i, j) = 200;
      blue.v(i, j) = 100;
    }
  const auto before = blue.data;
  p.process(blue.frame());
  EXPECT_EQ(blue.data, before);
}

// --- on the photograph -----------------------------------------------------------------------------------

struct Photo : ::testing::Test {
  void SetUp() override {
    img = trtc::test::load_i420("astronaut.ppm");
    ASSERT_EQ(img.width, 512);
    ASSERT_EQ(img.height, 512);
    BeautyProcessor p;
    p.set_params({0.0f, 0.0f, 1e-6f});  // computes the mask, changes nothing visible
    I420Image copy = img;
    p.process(copy.frame());
    mask = p.mask();
  }
  float mask_at(int x, int y) const { return mask[(y / 2) * img.cw() + x / 2]; }
  /// Mean of the mask over a square of full-resolution pixels.
  float mask_mean(int x0, int y0, int size) const {
    double s = 0;
    for (int y = y0; y < y0 + size; ++y)
      for (int x = x0; x < x0 + size; ++x) s += mask_at(x, y);
    return static_cast<float>(s / (size * size));
  }
  /// Whether no mask sample within `margin` half-resolution samples is above zero.
  bool far_from_skin(int x, int y, int margin) const {
    const int i0 = x / 2, j0 = y / 2;
    for (int j = std::max(0, j0 - margin); j <= std::min(img.ch() - 1, j0 + margin); ++j)
      for (int i = std::max(0, i0 - margin); i <= std::min(img.cw() - 1, i0 + margin); ++i)
        if (mask[j * img.cw() + i] > 0.0f) return false;
    return true;
  }
  /// Whether a strong edge (gradient > 40: an eye, a brow, the lips) is within 3 pixels.
  bool near_edge(int x, int y) {
    for (int yy = std::max(1, y - 3); yy <= std::min(img.height - 2, y + 3); ++yy)
      for (int xx = std::max(1, x - 3); xx <= std::min(img.width - 2, x + 3); ++xx)
        if (gradient(img, xx, yy) > 40.0) return true;
    return false;
  }
  static double laplacian(I420Image& im, int x, int y) {
    return 4.0 * im.y(x, y) - im.y(x - 1, y) - im.y(x + 1, y) - im.y(x, y - 1) - im.y(x, y + 1);
  }
  static double gradient(I420Image& im, int x, int y) {
    const double gx = im.y(x + 1, y) - im.y(x - 1, y), gy = im.y(x, y + 1) - im.y(x, y - 1);
    return std::sqrt(gx * gx + gy * gy);
  }
  I420Image img;
  std::vector<float> mask;
};

TEST_F(Photo, SkinMaskCoversTheFaceNotHairOrBackground) {
  // Patches (full-resolution x, y, size) picked by looking at the photograph.
  EXPECT_GT(mask_mean(196, 106, 16), 0.8f) << "left cheek";
  EXPECT_GT(mask_mean(248, 112, 16), 0.8f) << "right cheek";
  EXPECT_GT(mask_mean(216, 76, 16), 0.8f) << "forehead";
  EXPECT_LT(mask_mean(172, 66, 16), 0.3f) << "hair, left";
  EXPECT_LT(mask_mean(326, 56, 16), 0.1f) << "wall behind";
  EXPECT_LT(mask_mean(10, 140, 20), 0.1f) << "flag";
  EXPECT_LT(mask_mean(90, 290, 20), 0.1f) << "suit";
}

TEST_F(Photo, SmoothingRemovesSkinTextureAndKeepsEdgesElsewhere) {
  I420Image out = filtered(img, {1.0f, 0.0f, 0.0f}, KernelSet::kSimd);
  const int margin = BeautyProcessor::radius_for(img.width, img.height) + 2;
  double skin_before = 0, skin_after = 0, edge_before = 0, edge_after = 0, strong_before = 0, strong_after = 0;
  long skin_n = 0, outside_n = 0, outside_changed = 0, strong_n = 0;
  for (int y = 1; y < img.height - 1; ++y)
    for (int x = 1; x < img.width - 1; ++x) {
      if (mask_at(x, y) > 0.9f) {
        if (!near_edge(x, y)) {  // skin texture: pores, freckles, grain
          const double l0 = laplacian(img, x, y), l1 = laplacian(out, x, y);
          skin_before += l0 * l0;
          skin_after += l1 * l1;
          ++skin_n;
        }
        const double g0 = gradient(img, x, y);
        if (g0 > 40.0) {  // strong edges inside the skin: eyes, brows, teeth, lips
          strong_before += g0;
          strong_after += gradient(out, x, y);
          ++strong_n;
        }
      } else if (far_from_skin(x, y, margin)) {
        edge_before += gradient(img, x, y);
        edge_after += gradient(out, x, y);
        ++outside_n;
        if (out.y(x, y) != img.y(x, y)) ++outside_changed;
      }
    }
  ASSERT_GT(skin_n, 3000) << "the face's smooth skin should be a good part of the photograph";
  ASSERT_GT(outside_n, 100000);
  ASSERT_GT(strong_n, 200);
  const double skin_ratio = skin_after / skin_before;
  const double strong_ratio = strong_after / strong_before;
  std::printf(
      "astronaut, beauty 1: high-frequency energy of skin texture x%.3f (%ld px); strong edges on skin keep "
      "%.0f %% of their gradient (%ld px); %ld of %ld pixels away from skin changed\n",
      skin_ratio, skin_n, 100 * strong_ratio, strong_n, outside_changed, outside_n);
  EXPECT_LT(skin_ratio, 0.35) << "skin texture (Laplacian energy) should drop by at least 65 %";
  EXPECT_GT(strong_ratio, 0.75) << "eyes, brows and lips should keep most of their edges";
  EXPECT_EQ(outside_changed, 0) << "pixels away from skin must be untouched";
  EXPECT_DOUBLE_EQ(edge_after, edge_before);
}

TEST_F(Photo, StrongerBeautySmoothsMore) {
  double previous = 1e300;
  for (float beauty : {0.0f, 0.25f, 0.5f, 0.75f, 1.0f}) {
    I420Image out = filtered(img, {beauty, 0.0f, 0.0f}, KernelSet::kSimd);
    double energy = 0;
    for (int y = 1; y < img.height - 1; ++y)
      for (int x = 1; x < img.width - 1; ++x)
        if (mask_at(x, y) > 0.9f) energy += laplacian(out, x, y) * laplacian(out, x, y);
    EXPECT_LT(energy, previous) << "beauty " << beauty;
    previous = energy;
  }
}

TEST_F(Photo, SimdMatchesScalarBitForBit) {
  for (const BeautyParams& params : {BeautyParams{1, 0, 0}, BeautyParams{0.7f, 0.6f, 0.5f}}) {
    const I420Image a = filtered(img, params, KernelSet::kScalar);
    EXPECT_EQ(a.data, filtered(img, params, KernelSet::kSimd).data);
    EXPECT_NE(a.data, img.data);
  }
}

TEST_F(Photo, RuddyWarmsTheFace) {
  I420Image out = filtered(img, {0.0f, 0.0f, 1.0f}, KernelSet::kSimd);
  double face = 0, wall = 0;
  for (int j = 53; j < 61; ++j)
    for (int i = 98; i < 106; ++i) face += out.v(i, j) - img.v(i, j);
  for (int j = 28; j < 36; ++j)
    for (int i = 163; i < 171; ++i) wall += out.v(i, j) - img.v(i, j);
  EXPECT_GT(face / 64, 7.0) << "Cr on the cheek rises by up to 10";
  EXPECT_LT(wall / 64, 1.0) << "the wall behind (pinkish grey, at the edge of the skin ellipse) barely changes";
}

}  // namespace
