#include "trtc/video/convert.h"

#include <algorithm>
#include <cstring>

#include "common/simd_video.h"

namespace trtc::video {

namespace {

// BT.601 limited range. The scalar code groups every sum as the SIMD code does, ((a + b) + c) + d,
// so the two round identically.
constexpr float kYR = 0.256788f, kYG = 0.504129f, kYB = 0.097906f;
constexpr float kUR = -0.148223f, kUG = -0.290993f, kUB = 0.439216f;
constexpr float kVR = 0.439216f, kVG = -0.367788f, kVB = -0.071427f;
constexpr float kYScale = 1.164383f, kRV = 1.596027f, kGU = -0.391762f, kGV = -0.812968f, kBU = 2.017232f;

inline float luma(float r, float g, float b) { return ((kYR * r + kYG * g) + kYB * b) + 16.0f; }
inline float cb(float r, float g, float b) { return ((kUR * r + kUG * g) + kUB * b) + 128.0f; }
inline float cr(float r, float g, float b) { return ((kVR * r + kVG * g) + kVB * b) + 128.0f; }

struct Rgb {
  float r, g, b;
};
inline Rgb pixel(const std::uint8_t* p, PixelOrder order) {
  const float c0 = p[0], c1 = p[1], c2 = p[2];
  return order == PixelOrder::kRGBA ? Rgb{c0, c1, c2} : Rgb{c2, c1, c0};
}

// One output chroma sample (U, V) at (i, j) from the 2x2 block, clamped at odd edges.
inline void chroma_at(const std::uint8_t* rgba, int stride, PixelOrder order, int width, int height, int i, int j,
                      std::uint8_t* u, std::uint8_t* v) {
  const int x0 = 2 * i, x1 = std::min(2 * i + 1, width - 1);
  const int y0 = 2 * j, y1 = std::min(2 * j + 1, height - 1);
  const std::uint8_t* r0 = rgba + static_cast<std::ptrdiff_t>(y0) * stride;
  const std::uint8_t* r1 = rgba + static_cast<std::ptrdiff_t>(y1) * stride;
  const Rgb a = pixel(r0 + 4 * x0, order), b = pixel(r0 + 4 * x1, order);
  const Rgb c = pixel(r1 + 4 * x0, order), d = pixel(r1 + 4 * x1, order);
  const float r = ((a.r + b.r) + (c.r + d.r)) * 0.25f;
  const float g = ((a.g + b.g) + (c.g + d.g)) * 0.25f;
  const float bl = ((a.b + b.b) + (c.b + d.b)) * 0.25f;
  *u = simd::to_u8(cb(r, g, bl));
  *v = simd::to_u8(cr(r, g, bl));
}

inline void yuv_to_rgb(float y, float u, float v, std::uint8_t* out) {
  const float c = (y - 16.0f) * kYScale, d = u - 128.0f, e = v - 128.0f;
  out[0] = simd::to_u8(c + kRV * e);
  out[1] = simd::to_u8((c + kGU * d) + kGV * e);
  out[2] = simd::to_u8(c + kBU * d);
  out[3] = 255;
}

// NV12's Y plane is I420's: a row-by-row copy (strides may differ).
void copy_luma(const std::uint8_t* y, int stride_y, const I420Frame& out) {
  for (int row = 0; row < out.height; ++row)
    std::memcpy(out.y + static_cast<std::ptrdiff_t>(row) * out.stride_y,
                y + static_cast<std::ptrdiff_t>(row) * stride_y, static_cast<std::size_t>(out.width));
}

}  // namespace

// --- NV12 → I420 ----------------------------------------------------------------------------------

void nv12_to_i420_scalar(const std::uint8_t* y, int stride_y, const std::uint8_t* uv, int stride_uv,
                         const I420Frame& out) {
  copy_luma(y, stride_y, out);
  const int cw = chroma_size(out.width), ch = chroma_size(out.height);
  for (int j = 0; j < ch; ++j) {
    const std::uint8_t* s = uv + static_cast<std::ptrdiff_t>(j) * stride_uv;
    std::uint8_t* u = out.u + static_cast<std::ptrdiff_t>(j) * out.stride_u;
    std::uint8_t* v = out.v + static_cast<std::ptrdiff_t>(j) * out.stride_v;
    for (int i = 0; i < cw; ++i) {
      u[i] = s[2 * i];
      v[i] = s[2 * i + 1];
    }
  }
}

void nv12_to_i420_simd(const std::uint8_t* y, int stride_y, const std::uint8_t* uv, int stride_uv,
                       const I420Frame& out) {
#if defined(__wasm_simd128__) || defined(__SSE2__)
  copy_luma(y, stride_y, out);
  const int cw = chroma_size(out.width), ch = chroma_size(out.height);
  for (int j = 0; j < ch; ++j) {
    const std::uint8_t* s = uv + static_cast<std::ptrdiff_t>(j) * stride_uv;
    std::uint8_t* u = out.u + static_cast<std::ptrdiff_t>(j) * out.stride_u;
    std::uint8_t* v = out.v + static_cast<std::ptrdiff_t>(j) * out.stride_v;
    int i = 0;
    for (; i + 8 <= cw; i += 8) {  // 16 bytes UVUV… → 8 U + 8 V
#if defined(__wasm_simd128__)
      const v128_t p = wasm_v128_load(s + 2 * i);
      const v128_t us = wasm_i8x16_shuffle(p, p, 0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14);
      const v128_t vs = wasm_i8x16_shuffle(p, p, 1, 3, 5, 7, 9, 11, 13, 15, 1, 3, 5, 7, 9, 11, 13, 15);
      wasm_v128_store64_lane(u + i, us, 0);
      wasm_v128_store64_lane(v + i, vs, 0);
#else
      const __m128i p = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 2 * i));
      const __m128i lo = _mm_and_si128(p, _mm_set1_epi16(0x00ff));
      const __m128i hi = _mm_srli_epi16(p, 8);
      _mm_storel_epi64(reinterpret_cast<__m128i*>(u + i), _mm_packus_epi16(lo, lo));
      _mm_storel_epi64(reinterpret_cast<__m128i*>(v + i), _mm_packus_epi16(hi, hi));
#endif
    }
    for (; i < cw; ++i) {
      u[i] = s[2 * i];
      v[i] = s[2 * i + 1];
    }
  }
#else
  nv12_to_i420_scalar(y, stride_y, uv, stride_uv, out);
#endif
}

void nv12_to_i420(const std::uint8_t* y, int stride_y, const std::uint8_t* uv, int stride_uv, const I420Frame& out) {
  nv12_to_i420_simd(y, stride_y, uv, stride_uv, out);
}

// --- RGBA → I420 ----------------------------------------------------------------------------------

void rgba_to_i420_scalar(const std::uint8_t* rgba, int stride, PixelOrder order, const I420Frame& out) {
  for (int row = 0; row < out.height; ++row) {
    const std::uint8_t* s = rgba + static_cast<std::ptrdiff_t>(row) * stride;
    std::uint8_t* yo = out.y + static_cast<std::ptrdiff_t>(row) * out.stride_y;
    for (int x = 0; x < out.width; ++x) {
      const Rgb p = pixel(s + 4 * x, order);
      yo[x] = simd::to_u8(luma(p.r, p.g, p.b));
    }
  }
  const int cw = chroma_size(out.width), ch = chroma_size(out.height);
  for (int j = 0; j < ch; ++j)
    for (int i = 0; i < cw; ++i)
      chroma_at(rgba, stride, order, out.width, out.height, i, j,
                out.u + static_cast<std::ptrdiff_t>(j) * out.stride_u + i,
                out.v + static_cast<std::ptrdiff_t>(j) * out.stride_v + i);
}

void rgba_to_i420_simd(const std::uint8_t* rgba, int stride, PixelOrder order, const I420Frame& out) {
#if TRTC_SIMD_F32X4
  using namespace trtc::simd;
  const int width = out.width, height = out.height;
  const int cw = chroma_size(width), ch = chroma_size(height);
  const f32x4 yr = splat(kYR), yg = splat(kYG), yb = splat(kYB), y16 = splat(16.0f);
  const f32x4 ur = splat(kUR), ug = splat(kUG), ub = splat(kUB);
  const f32x4 vr = splat(kVR), vg = splat(kVG), vb = splat(kVB), c128 = splat(128.0f), quarter = splat(0.25f);
  const bool bgr = order == PixelOrder::kBGRA;
  // Eight pixels of one row as R, G, B vectors (pixels 0–3 in [0], 4–7 in [1]).
  auto load8 = [&](const std::uint8_t* p, f32x4(&r)[2], f32x4(&g)[2], f32x4(&b)[2]) {
    for (int h = 0; h < 2; ++h) {
      f32x4 p0, p1, p2, p3;
      load_u8x16(p + 16 * h, p0, p1, p2, p3);
      transpose4(p0, p1, p2, p3);
      r[h] = bgr ? p2 : p0;
      g[h] = p1;
      b[h] = bgr ? p0 : p2;
    }
  };
  auto y_of = [&](f32x4 r, f32x4 g, f32x4 b) { return add(add(add(mul(yr, r), mul(yg, g)), mul(yb, b)), y16); };
  for (int j = 0; j < ch; ++j) {
    const int y0 = 2 * j, y1 = std::min(2 * j + 1, height - 1);
    const std::uint8_t* s0 = rgba + static_cast<std::ptrdiff_t>(y0) * stride;
    const std::uint8_t* s1 = rgba + static_cast<std::ptrdiff_t>(y1) * stride;
    std::uint8_t* o0 = out.y + static_cast<std::ptrdiff_t>(y0) * out.stride_y;
    std::uint8_t* o1 = out.y + static_cast<std::ptrdiff_t>(y1) * out.stride_y;
    std::uint8_t* uo = out.u + static_cast<std::ptrdiff_t>(j) * out.stride_u;
    std::uint8_t* vo = out.v + static_cast<std::ptrdiff_t>(j) * out.stride_v;
    int x = 0;
    for (; x + 8 <= width; x += 8) {
      f32x4 r0[2], g0[2], b0[2], r1[2], g1[2], b1[2];
      load8(s0 + 4 * x, r0, g0, b0);
      load8(s1 + 4 * x, r1, g1, b1);
      store_u8x8(o0 + x, y_of(r0[0], g0[0], b0[0]), y_of(r0[1], g0[1], b0[1]));
      if (y1 != y0) store_u8x8(o1 + x, y_of(r1[0], g1[0], b1[0]), y_of(r1[1], g1[1], b1[1]));
      // 2x2 averages: ((top pair) + (bottom pair)) * 0.25, as chroma_at().
      auto avg = [&](const f32x4(&t)[2], const f32x4(&b)[2]) {
        const f32x4 top = add(even(t[0], t[1]), odd(t[0], t[1]));
        const f32x4 bottom = add(even(b[0], b[1]), odd(b[0], b[1]));
        return mul(add(top, bottom), quarter);
      };
      const f32x4 r = avg(r0, r1), g = avg(g0, g1), b = avg(b0, b1);
      store_u8x4(uo + x / 2, add(add(add(mul(ur, r), mul(ug, g)), mul(ub, b)), c128));
      store_u8x4(vo + x / 2, add(add(add(mul(vr, r), mul(vg, g)), mul(vb, b)), c128));
    }
    for (int xx = x; xx < width; ++xx) {
      const Rgb p = pixel(s0 + 4 * xx, order);
      o0[xx] = to_u8(luma(p.r, p.g, p.b));
      if (y1 != y0) {
        const Rgb q = pixel(s1 + 4 * xx, order);
        o1[xx] = to_u8(luma(q.r, q.g, q.b));
      }
    }
    for (int i = x / 2; i < cw; ++i) chroma_at(rgba, stride, order, width, height, i, j, uo + i, vo + i);
  }
#else
  rgba_to_i420_scalar(rgba, stride, order, out);
#endif
}

void rgba_to_i420(const std::uint8_t* rgba, int stride, PixelOrder order, const I420Frame& out) {
  rgba_to_i420_simd(rgba, stride, order, out);
}

// --- I420 → RGBA ----------------------------------------------------------------------------------

void i420_to_rgba_scalar(const I420Frame& in, std::uint8_t* rgba, int stride) {
  for (int row = 0; row < in.height; ++row) {
    const std::uint8_t* y = in.y + static_cast<std::ptrdiff_t>(row) * in.stride_y;
    const std::uint8_t* u = in.u + static_cast<std::ptrdiff_t>(row / 2) * in.stride_u;
    const std::uint8_t* v = in.v + static_cast<std::ptrdiff_t>(row / 2) * in.stride_v;
    std::uint8_t* o = rgba + static_cast<std::ptrdiff_t>(row) * stride;
    for (int x = 0; x < in.width; ++x) yuv_to_rgb(y[x], u[x / 2], v[x / 2], o + 4 * x);
  }
}

void i420_to_rgba_simd(const I420Frame& in, std::uint8_t* rgba, int stride) {
#if TRTC_SIMD_F32X4
  using namespace trtc::simd;
  const f32x4 scale = splat(kYScale), rv = splat(kRV), gu = splat(kGU), gv = splat(kGV), bu = splat(kBU);
  const f32x4 y16 = splat(16.0f), c128 = splat(128.0f), alpha = splat(255.0f);
  for (int row = 0; row < in.height; ++row) {
    const std::uint8_t* y = in.y + static_cast<std::ptrdiff_t>(row) * in.stride_y;
    const std::uint8_t* u = in.u + static_cast<std::ptrdiff_t>(row / 2) * in.stride_u;
    const std::uint8_t* v = in.v + static_cast<std::ptrdiff_t>(row / 2) * in.stride_v;
    std::uint8_t* o = rgba + static_cast<std::ptrdiff_t>(row) * stride;
    int x = 0;
    for (; x + 8 <= in.width; x += 8) {
      f32x4 ys[2];
      load_u8x8(y + x, ys[0], ys[1]);
      const f32x4 u4 = sub(load_u8x4(u + x / 2), c128), v4 = sub(load_u8x4(v + x / 2), c128);
      const f32x4 us[2] = {interleave_lo(u4, u4), interleave_hi(u4, u4)};
      const f32x4 vs[2] = {interleave_lo(v4, v4), interleave_hi(v4, v4)};
      for (int h = 0; h < 2; ++h) {
        const f32x4 c = mul(sub(ys[h], y16), scale);
        f32x4 r = add(c, mul(rv, vs[h]));
        f32x4 g = add(add(c, mul(gu, us[h])), mul(gv, vs[h]));
        f32x4 b = add(c, mul(bu, us[h]));
        f32x4 a = alpha;
        transpose4(r, g, b, a);  // → four RGBA pixels
        store_u8x16(o + 4 * (x + 4 * h), r, g, b, a);
      }
    }
    for (; x < in.width; ++x) yuv_to_rgb(y[x], u[x / 2], v[x / 2], o + 4 * x);
  }
#else
  i420_to_rgba_scalar(in, rgba, stride);
#endif
}

void i420_to_rgba(const I420Frame& in, std::uint8_t* rgba, int stride) { i420_to_rgba_simd(in, rgba, stride); }

}  // namespace trtc::video
