#include "trtc/video/beauty.h"

#include <algorithm>
#include <cmath>

#include "common/simd_video.h"

namespace trtc::video {

namespace {

// Skin cluster in the Cb/Cr plane: an ellipse centred on (Cb 113, Cr 146). Its long axis runs
// along (−0.6, 0.8), the direction skin moves in as it gets more or less saturated (pale to ruddy,
// light to dark skin: all skin tones share this hue band). Its short axis is narrow, because hair
// (brown, blonde), wood and beige walls sit beside skin in that direction: more yellow (both Cb and
// Cr lower) or greyer. Semi-axes 15 and 7 levels.
constexpr float kCb0 = 113.0f, kCr0 = 146.0f;
constexpr float kAxisCb = -0.6f, kAxisCr = 0.8f;
constexpr float kInvA = 1.0f / 15.0f, kInvB = 1.0f / 7.0f;
// Soft edge: full weight inside d² ≤ 0.533, none beyond d² = 1.2 (linear in between).
constexpr float kMaskEdge = 1.2f, kMaskSlope = 1.5f;
// Dark pixels (pupils, brows, nostrils, deep shadow) get no smoothing: weight 0 at luma 40, 1 at 70.
constexpr float kDark0 = 40.0f, kInvDarkRamp = 1.0f / 30.0f;
// Ruddy: at ruddy = 1 a skin pixel's Cr rises by 10 and its Cb falls by 4 (a warm, rosy shift).
constexpr float kRuddyCr = 10.0f, kRuddyCb = -4.0f;

inline float clamp01(float x) { return std::min(std::max(x, 0.0f), 1.0f); }

inline float skin_weight(float p, float cb, float cr) {
  const float x = cb - kCb0, y = cr - kCr0;
  const float rx = kAxisCb * x + kAxisCr * y;  // along the skin axis
  const float ry = kAxisCr * x - kAxisCb * y;  // across it
  const float dx = rx * kInvA, dy = ry * kInvB;
  const float d2 = dx * dx + dy * dy;
  const float chroma = clamp01((kMaskEdge - d2) * kMaskSlope);
  const float light = clamp01((p - kDark0) * kInvDarkRamp);
  return chroma * light;
}

inline float whiten(float q, float wk) { return q + (q * (255.0f - q)) * wk; }

inline float clean(float x) { return std::isfinite(x) ? std::min(std::max(x, 0.0f), 1.0f) : 0.0f; }

}  // namespace

namespace kernels {

void BoxScratch::prepare(int width, int radius) {
  padded.assign(static_cast<std::size_t>(width + 2 * radius), 0.0f);
  colsum.assign(static_cast<std::size_t>(width), 0.0f);
  inv_x.resize(static_cast<std::size_t>(width));
  for (int x = 0; x < width; ++x) {
    const int n = std::min(x + radius, width - 1) - std::max(x - radius, 0) + 1;
    inv_x[static_cast<std::size_t>(x)] = 1.0f / static_cast<float>(n);
  }
}

// --- downsample_luma --------------------------------------------------------------------------------

void downsample_luma_scalar(const std::uint8_t* y, int stride, int width, int height, float* p, float* pp) {
  const int cw = chroma_size(width), ch = chroma_size(height);
  for (int j = 0; j < ch; ++j) {
    const std::uint8_t* r0 = y + static_cast<std::ptrdiff_t>(2 * j) * stride;
    const std::uint8_t* r1 = y + static_cast<std::ptrdiff_t>(std::min(2 * j + 1, height - 1)) * stride;
    for (int i = 0; i < cw; ++i) {
      const int x0 = 2 * i, x1 = std::min(2 * i + 1, width - 1);
      const float top = static_cast<float>(r0[x0]) + static_cast<float>(r0[x1]);
      const float bottom = static_cast<float>(r1[x0]) + static_cast<float>(r1[x1]);
      const float m = (top + bottom) * 0.25f;
      p[j * cw + i] = m;
      pp[j * cw + i] = m * m;
    }
  }
}

void downsample_luma_simd(const std::uint8_t* y, int stride, int width, int height, float* p, float* pp) {
#if TRTC_SIMD_F32X4
  using namespace trtc::simd;
  const int cw = chroma_size(width), ch = chroma_size(height);
  const f32x4 quarter = splat(0.25f);
  for (int j = 0; j < ch; ++j) {
    const std::uint8_t* r0 = y + static_cast<std::ptrdiff_t>(2 * j) * stride;
    const std::uint8_t* r1 = y + static_cast<std::ptrdiff_t>(std::min(2 * j + 1, height - 1)) * stride;
    float* po = p + j * cw;
    float* ppo = pp + j * cw;
    int i = 0;
    for (; 2 * i + 8 <= width; i += 4) {
      f32x4 a, b, c, d;
      load_u8x8(r0 + 2 * i, a, b);
      load_u8x8(r1 + 2 * i, c, d);
      const f32x4 m = mul(add(add(even(a, b), odd(a, b)), add(even(c, d), odd(c, d))), quarter);
      store(po + i, m);
      store(ppo + i, mul(m, m));
    }
    for (; i < cw; ++i) {
      const int x0 = 2 * i, x1 = std::min(2 * i + 1, width - 1);
      const float top = static_cast<float>(r0[x0]) + static_cast<float>(r0[x1]);
      const float bottom = static_cast<float>(r1[x0]) + static_cast<float>(r1[x1]);
      const float m = (top + bottom) * 0.25f;
      po[i] = m;
      ppo[i] = m * m;
    }
  }
#else
  downsample_luma_scalar(y, stride, width, height, p, pp);
#endif
}

// --- skin_mask ----------------------------------------------------------------------------------------

void skin_mask_scalar(const float* p, const std::uint8_t* u, int stride_u, const std::uint8_t* v, int stride_v, int cw,
                      int ch, float* mask) {
  for (int j = 0; j < ch; ++j) {
    const std::uint8_t* ur = u + static_cast<std::ptrdiff_t>(j) * stride_u;
    const std::uint8_t* vr = v + static_cast<std::ptrdiff_t>(j) * stride_v;
    for (int i = 0; i < cw; ++i) mask[j * cw + i] = skin_weight(p[j * cw + i], ur[i], vr[i]);
  }
}

void skin_mask_simd(const float* p, const std::uint8_t* u, int stride_u, const std::uint8_t* v, int stride_v, int cw,
                    int ch, float* mask) {
#if TRTC_SIMD_F32X4
  using namespace trtc::simd;
  const f32x4 cb0 = splat(kCb0), cr0 = splat(kCr0), ac = splat(kAxisCb), ar = splat(kAxisCr);
  const f32x4 ia = splat(kInvA), ib = splat(kInvB);
  const f32x4 edge = splat(kMaskEdge), slope = splat(kMaskSlope), dark = splat(kDark0), idark = splat(kInvDarkRamp);
  const f32x4 zero = splat(0.0f), one = splat(1.0f);
  // clamp01 as the scalar std::min(std::max(x, 0), 1): no NaN reaches here.
  auto clamp = [&](f32x4 x) { return min(max(x, zero), one); };
  for (int j = 0; j < ch; ++j) {
    const std::uint8_t* ur = u + static_cast<std::ptrdiff_t>(j) * stride_u;
    const std::uint8_t* vr = v + static_cast<std::ptrdiff_t>(j) * stride_v;
    const float* pr = p + j * cw;
    float* mr = mask + j * cw;
    int i = 0;
    for (; i + 4 <= cw; i += 4) {
      const f32x4 x = sub(load_u8x4(ur + i), cb0), y = sub(load_u8x4(vr + i), cr0);
      const f32x4 rx = add(mul(ac, x), mul(ar, y));
      const f32x4 ry = sub(mul(ar, x), mul(ac, y));
      const f32x4 dx = mul(rx, ia), dy = mul(ry, ib);
      const f32x4 d2 = add(mul(dx, dx), mul(dy, dy));
      const f32x4 chroma = clamp(mul(sub(edge, d2), slope));
      const f32x4 light = clamp(mul(sub(load(pr + i), dark), idark));
      store(mr + i, mul(chroma, light));
    }
    for (; i < cw; ++i) mr[i] = skin_weight(pr[i], ur[i], vr[i]);
  }
#else
  skin_mask_scalar(p, u, stride_u, v, stride_v, cw, ch, mask);
#endif
}

// --- box_filter -------------------------------------------------------------------------------------
// Vertical: running column sums (add the row entering the window, then subtract the one leaving).
// Horizontal: the 2r+1 column sums of each window added left to right, then scaled by the inverse
// window width and height. Both versions follow that order exactly.

namespace {
inline int window_rows(int y, int h, int r) { return std::min(y + r, h - 1) - std::max(y - r, 0) + 1; }
}  // namespace

void box_filter_scalar(const float* in, float* out, int w, int h, int r, BoxScratch& s) {
  s.prepare(w, r);
  float* col = s.padded.data() + r;
  for (int k = 0; k <= std::min(r, h - 1); ++k)
    for (int x = 0; x < w; ++x) col[x] += in[k * w + x];
  for (int y = 0; y < h; ++y) {
    if (y > 0) {
      if (y + r < h)
        for (int x = 0; x < w; ++x) col[x] += in[(y + r) * w + x];
      if (y - r - 1 >= 0)
        for (int x = 0; x < w; ++x) col[x] -= in[(y - r - 1) * w + x];
    }
    const float inv_y = 1.0f / static_cast<float>(window_rows(y, h, r));
    const float* pad = s.padded.data();
    for (int x = 0; x < w; ++x) {
      float sum = pad[x];
      for (int k = 1; k <= 2 * r; ++k) sum += pad[x + k];
      out[y * w + x] = (sum * s.inv_x[static_cast<std::size_t>(x)]) * inv_y;
    }
  }
}

void box_filter_simd(const float* in, float* out, int w, int h, int r, BoxScratch& s) {
#if TRTC_SIMD_F32X4
  using namespace trtc::simd;
  s.prepare(w, r);
  float* col = s.padded.data() + r;
  const int w4 = w - w % 4;
  auto add_row = [&](const float* row) {
    int x = 0;
    for (; x < w4; x += 4) store(col + x, add(load(col + x), load(row + x)));
    for (; x < w; ++x) col[x] += row[x];
  };
  for (int k = 0; k <= std::min(r, h - 1); ++k) add_row(in + k * w);
  for (int y = 0; y < h; ++y) {
    if (y > 0) {
      if (y + r < h) add_row(in + (y + r) * w);
      if (y - r - 1 >= 0) {
        const float* row = in + (y - r - 1) * w;
        int x = 0;
        for (; x < w4; x += 4) store(col + x, sub(load(col + x), load(row + x)));
        for (; x < w; ++x) col[x] -= row[x];
      }
    }
    const float inv_y = 1.0f / static_cast<float>(window_rows(y, h, r));
    const f32x4 vinv_y = splat(inv_y);
    const float* pad = s.padded.data();
    const float* inv_x = s.inv_x.data();
    float* o = out + y * w;
    int x = 0;
    for (; x < w4; x += 4) {
      f32x4 sum = load(pad + x);
      for (int k = 1; k <= 2 * r; ++k) sum = add(sum, load(pad + x + k));
      store(o + x, mul(mul(sum, load(inv_x + x)), vinv_y));
    }
    for (; x < w; ++x) {
      float sum = pad[x];
      for (int k = 1; k <= 2 * r; ++k) sum += pad[x + k];
      o[x] = (sum * inv_x[x]) * inv_y;
    }
  }
#else
  box_filter_scalar(in, out, w, h, r, s);
#endif
}

// --- guided_coefficients --------------------------------------------------------------------------------

void guided_coefficients_scalar(const float* mean_p, const float* mean_pp, const float* mask, int count, float strength,
                                float eps, float* a, float* b) {
  for (int i = 0; i < count; ++i) {
    const float m = mean_p[i];
    const float var = std::max(mean_pp[i] - m * m, 0.0f);
    const float keep = 1.0f - var / (var + eps);  // 1 − a of the plain guided filter
    const float k = strength * mask[i];
    a[i] = 1.0f - k * keep;
    b[i] = k * (m * keep);
  }
}

void guided_coefficients_simd(const float* mean_p, const float* mean_pp, const float* mask, int count, float strength,
                              float eps, float* a, float* b) {
#if TRTC_SIMD_F32X4
  using namespace trtc::simd;
  const f32x4 zero = splat(0.0f), one = splat(1.0f), veps = splat(eps), vs = splat(strength);
  int i = 0;
  for (; i + 4 <= count; i += 4) {
    const f32x4 m = load(mean_p + i);
    const f32x4 var = max(sub(load(mean_pp + i), mul(m, m)), zero);
    const f32x4 keep = sub(one, div(var, add(var, veps)));
    const f32x4 k = mul(vs, load(mask + i));
    store(a + i, sub(one, mul(k, keep)));
    store(b + i, mul(k, mul(m, keep)));
  }
  guided_coefficients_scalar(mean_p + i, mean_pp + i, mask + i, count - i, strength, eps, a + i, b + i);
#else
  guided_coefficients_scalar(mean_p, mean_pp, mask, count, strength, eps, a, b);
#endif
}

// --- apply_luma ---------------------------------------------------------------------------------------
// Bilinear 2x upsampling with the chroma-grid sample centres: output row y blends half-resolution
// rows y/2 (weight 0.75) and its neighbour above (even y) or below (odd y), clamped at the edges;
// columns likewise. `rows` holds the two vertically blended rows with one clamped sample of
// padding on each side.

namespace {
void blend_rows_scalar(const float* plane, int cw, int ch, int y, float* out) {
  const int j = y / 2;
  const int jn = (y % 2 == 0) ? std::max(j - 1, 0) : std::min(j + 1, ch - 1);
  const float* c = plane + j * cw;
  const float* n = plane + jn * cw;
  for (int i = 0; i < cw; ++i) out[i] = 0.75f * c[i] + 0.25f * n[i];
  out[-1] = out[0];
  out[cw] = out[cw - 1];
}

inline float upsample_at(const float* row, int x) {
  const int i = x / 2;
  return 0.75f * row[i] + 0.25f * row[(x % 2 == 0) ? i - 1 : i + 1];
}
}  // namespace

void apply_luma_scalar(const float* a, const float* b, std::uint8_t* y, int stride, int width, int height,
                       float whiten_amount, float* rows) {
  const int cw = chroma_size(width), ch = chroma_size(height);
  const float wk = whiten_amount / 255.0f;
  float* ra = rows + 1;
  float* rb = rows + cw + 3;
  for (int row = 0; row < height; ++row) {
    blend_rows_scalar(a, cw, ch, row, ra);
    blend_rows_scalar(b, cw, ch, row, rb);
    std::uint8_t* yr = y + static_cast<std::ptrdiff_t>(row) * stride;
    for (int x = 0; x < width; ++x) {
      const float q = upsample_at(ra, x) * static_cast<float>(yr[x]) + upsample_at(rb, x);
      yr[x] = simd::to_u8(whiten(q, wk));
    }
  }
}

void apply_luma_simd(const float* a, const float* b, std::uint8_t* y, int stride, int width, int height,
                     float whiten_amount, float* rows) {
#if TRTC_SIMD_F32X4
  using namespace trtc::simd;
  const int cw = chroma_size(width), ch = chroma_size(height);
  const float wk = whiten_amount / 255.0f;
  const f32x4 c75 = splat(0.75f), c25 = splat(0.25f), c255 = splat(255.0f), vwk = splat(wk);
  float* ra = rows + 1;
  float* rb = rows + cw + 3;
  auto blend = [&](const float* plane, int row, float* out) {
    const int j = row / 2;
    const int jn = (row % 2 == 0) ? std::max(j - 1, 0) : std::min(j + 1, ch - 1);
    const float* c = plane + j * cw;
    const float* n = plane + jn * cw;
    int i = 0;
    for (; i + 4 <= cw; i += 4) store(out + i, add(mul(c75, load(c + i)), mul(c25, load(n + i))));
    for (; i < cw; ++i) out[i] = 0.75f * c[i] + 0.25f * n[i];
    out[-1] = out[0];
    out[cw] = out[cw - 1];
  };
  // Four chroma columns → eight output pixels: even pixels lean left, odd pixels right.
  auto up = [&](const float* r, int i, f32x4& lo, f32x4& hi) {
    const f32x4 c = mul(c75, load(r + i));
    const f32x4 e = add(c, mul(c25, load(r + i - 1)));
    const f32x4 o = add(c, mul(c25, load(r + i + 1)));
    lo = interleave_lo(e, o);
    hi = interleave_hi(e, o);
  };
  auto finish = [&](f32x4 av, f32x4 bv, f32x4 yv) {
    const f32x4 q = add(mul(av, yv), bv);
    return add(q, mul(mul(q, sub(c255, q)), vwk));
  };
  for (int row = 0; row < height; ++row) {
    blend(a, row, ra);
    blend(b, row, rb);
    std::uint8_t* yr = y + static_cast<std::ptrdiff_t>(row) * stride;
    int x = 0;
    for (; x + 8 <= width; x += 8) {
      f32x4 alo, ahi, blo, bhi, ylo, yhi;
      up(ra, x / 2, alo, ahi);
      up(rb, x / 2, blo, bhi);
      load_u8x8(yr + x, ylo, yhi);
      store_u8x8(yr + x, finish(alo, blo, ylo), finish(ahi, bhi, yhi));
    }
    for (; x < width; ++x) {
      const float q = upsample_at(ra, x) * static_cast<float>(yr[x]) + upsample_at(rb, x);
      yr[x] = to_u8(whiten(q, wk));
    }
  }
#else
  apply_luma_scalar(a, b, y, stride, width, height, whiten_amount, rows);
#endif
}

// --- ruddy ---------------------------------------------------------------------------------------------

void ruddy_scalar(const float* mask, std::uint8_t* u, int stride_u, std::uint8_t* v, int stride_v, int cw, int ch,
                  float ruddy) {
  for (int j = 0; j < ch; ++j) {
    std::uint8_t* ur = u + static_cast<std::ptrdiff_t>(j) * stride_u;
    std::uint8_t* vr = v + static_cast<std::ptrdiff_t>(j) * stride_v;
    for (int i = 0; i < cw; ++i) {
      const float k = ruddy * mask[j * cw + i];
      ur[i] = simd::to_u8(static_cast<float>(ur[i]) + kRuddyCb * k);
      vr[i] = simd::to_u8(static_cast<float>(vr[i]) + kRuddyCr * k);
    }
  }
}

void ruddy_simd(const float* mask, std::uint8_t* u, int stride_u, std::uint8_t* v, int stride_v, int cw, int ch,
                float ruddy) {
#if TRTC_SIMD_F32X4
  using namespace trtc::simd;
  const f32x4 vr_ = splat(ruddy), kcb = splat(kRuddyCb), kcr = splat(kRuddyCr);
  for (int j = 0; j < ch; ++j) {
    std::uint8_t* ur = u + static_cast<std::ptrdiff_t>(j) * stride_u;
    std::uint8_t* vr = v + static_cast<std::ptrdiff_t>(j) * stride_v;
    const float* mr = mask + j * cw;
    int i = 0;
    for (; i + 4 <= cw; i += 4) {
      const f32x4 k = mul(vr_, load(mr + i));
      store_u8x4(ur + i, add(load_u8x4(ur + i), mul(kcb, k)));
      store_u8x4(vr + i, add(load_u8x4(vr + i), mul(kcr, k)));
    }
    for (; i < cw; ++i) {
      const float k = ruddy * mr[i];
      ur[i] = to_u8(static_cast<float>(ur[i]) + kRuddyCb * k);
      vr[i] = to_u8(static_cast<float>(vr[i]) + kRuddyCr * k);
    }
  }
#else
  ruddy_scalar(mask, u, stride_u, v, stride_v, cw, ch, ruddy);
#endif
}

}  // namespace kernels

// --- BeautyProcessor ---------------------------------------------------------------------------------

void BeautyProcessor::set_params(const BeautyParams& params) {
  params_.beauty = clean(params.beauty);
  params_.brightness = clean(params.brightness);
  params_.ruddy = clean(params.ruddy);
}

bool BeautyProcessor::is_identity() const {
  return params_.beauty == 0.0f && params_.brightness == 0.0f && params_.ruddy == 0.0f;
}

int BeautyProcessor::radius_for(int width, int height) {
  const int short_side = std::min(chroma_size(width), chroma_size(height));
  return std::clamp(static_cast<int>(std::lround(short_side / 90.0)), 1, 8);
}

float BeautyProcessor::eps_for(float beauty) {
  const float sigma = 4.0f + 20.0f * beauty;
  return sigma * sigma;
}

void BeautyProcessor::resize(int width, int height) {
  if (width == width_ && height == height_) return;
  width_ = width;
  height_ = height;
  const std::size_t n = static_cast<std::size_t>(chroma_size(width)) * static_cast<std::size_t>(chroma_size(height));
  for (auto* plane : {&p_, &pp_, &mask_, &mean_p_, &mean_pp_, &a_, &b_}) plane->assign(n, 0.0f);
  unit_coefficients_ = false;
  rows_.assign(static_cast<std::size_t>(4 * (chroma_size(width) + 2)), 0.0f);
}

namespace {
/// One of the two kernel sets, chosen once per frame.
struct Kernels {
  decltype(&kernels::downsample_luma_simd) downsample_luma;
  decltype(&kernels::skin_mask_simd) skin_mask;
  decltype(&kernels::box_filter_simd) box_filter;
  decltype(&kernels::guided_coefficients_simd) guided_coefficients;
  decltype(&kernels::apply_luma_simd) apply_luma;
  decltype(&kernels::ruddy_simd) ruddy;
};
constexpr Kernels kScalarKernels{kernels::downsample_luma_scalar, kernels::skin_mask_scalar,
                                 kernels::box_filter_scalar,      kernels::guided_coefficients_scalar,
                                 kernels::apply_luma_scalar,      kernels::ruddy_scalar};
constexpr Kernels kSimdKernels{kernels::downsample_luma_simd,     kernels::skin_mask_simd,  kernels::box_filter_simd,
                               kernels::guided_coefficients_simd, kernels::apply_luma_simd, kernels::ruddy_simd};
}  // namespace

void BeautyProcessor::process(const I420Frame& f) {
  if (is_identity() || f.width <= 0 || f.height <= 0) return;
  resize(f.width, f.height);
  const Kernels& k = kernels_ == KernelSet::kSimd ? kSimdKernels : kScalarKernels;
  const int cw = chroma_size(f.width), ch = chroma_size(f.height), n = cw * ch;
  const BeautyParams& q = params_;
  const float whiten = 0.5f * q.brightness;

  if (q.beauty > 0.0f || q.ruddy > 0.0f) {
    k.downsample_luma(f.y, f.stride_y, f.width, f.height, p_.data(), pp_.data());
    k.skin_mask(p_.data(), f.u, f.stride_u, f.v, f.stride_v, cw, ch, mask_.data());
  }
  if (q.beauty > 0.0f) {
    const int r = radius_for(f.width, f.height);
    k.box_filter(p_.data(), mean_p_.data(), cw, ch, r, box_);
    k.box_filter(pp_.data(), mean_pp_.data(), cw, ch, r, box_);
    k.guided_coefficients(mean_p_.data(), mean_pp_.data(), mask_.data(), n, q.beauty, eps_for(q.beauty), a_.data(),
                          b_.data());
    unit_coefficients_ = false;
    // The coefficients' means (smoothing the mask with them) go into the free mean planes.
    k.box_filter(a_.data(), mean_p_.data(), cw, ch, r, box_);
    k.box_filter(b_.data(), mean_pp_.data(), cw, ch, r, box_);
    k.apply_luma(mean_p_.data(), mean_pp_.data(), f.y, f.stride_y, f.width, f.height, whiten, rows_.data());
  } else if (q.brightness > 0.0f) {
    if (!unit_coefficients_) {  // a = 1, b = 0: whitening alone (kept across frames until smoothing reuses them)
      std::fill(a_.begin(), a_.end(), 1.0f);
      std::fill(b_.begin(), b_.end(), 0.0f);
      unit_coefficients_ = true;
    }
    k.apply_luma(a_.data(), b_.data(), f.y, f.stride_y, f.width, f.height, whiten, rows_.data());
  }
  if (q.ruddy > 0.0f) k.ruddy(mask_.data(), f.u, f.stride_u, f.v, f.stride_v, cw, ch, q.ruddy);
}

}  // namespace trtc::video
