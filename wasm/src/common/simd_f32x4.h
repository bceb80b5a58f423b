// Four-lane float vectors for the SIMD kernels, so each kernel is written once and compiles to
// WebAssembly SIMD128 (Emscripten with -msimd128) or SSE2 (native x86-64). Every kernel written
// on this header keeps a plain scalar reference beside it, and tests compare the two.
#pragma once

#include <cstddef>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define TRTC_SIMD_F32X4 1
#define TRTC_SIMD_NAME "wasm-simd128"
#elif defined(__SSE2__)
#include <emmintrin.h>
#define TRTC_SIMD_F32X4 1
#define TRTC_SIMD_NAME "sse2"
#else
#define TRTC_SIMD_F32X4 0
#define TRTC_SIMD_NAME "none"
#endif

namespace trtc::simd {

/// Whether the SIMD kernels run on real vector instructions in this build.
constexpr bool kAvailable = TRTC_SIMD_F32X4 != 0;
constexpr const char* kName = TRTC_SIMD_NAME;

#if defined(__wasm_simd128__)
using f32x4 = v128_t;
inline f32x4 load(const float* p) { return wasm_v128_load(p); }
inline void store(float* p, f32x4 a) { wasm_v128_store(p, a); }
inline f32x4 splat(float v) { return wasm_f32x4_splat(v); }
/// {a, b, c, d}: lane 0 is a.
inline f32x4 make(float a, float b, float c, float d) { return wasm_f32x4_make(a, b, c, d); }
inline f32x4 add(f32x4 a, f32x4 b) { return wasm_f32x4_add(a, b); }
inline f32x4 sub(f32x4 a, f32x4 b) { return wasm_f32x4_sub(a, b); }
inline f32x4 mul(f32x4 a, f32x4 b) { return wasm_f32x4_mul(a, b); }
inline f32x4 abs(f32x4 a) { return wasm_f32x4_abs(a); }
// pmax is the IEEE-agnostic (b < a ? a : b) form; it maps to one instruction.
inline f32x4 max(f32x4 a, f32x4 b) { return wasm_f32x4_pmax(a, b); }
// pmin is (b < a ? b : a): the same as SSE2 minps for lanes without NaN.
inline f32x4 min(f32x4 a, f32x4 b) { return wasm_f32x4_pmin(a, b); }
inline float lane(f32x4 a, int i) {
  switch (i) {
    case 0:
      return wasm_f32x4_extract_lane(a, 0);
    case 1:
      return wasm_f32x4_extract_lane(a, 1);
    case 2:
      return wasm_f32x4_extract_lane(a, 2);
    default:
      return wasm_f32x4_extract_lane(a, 3);
  }
}
#elif defined(__SSE2__)
using f32x4 = __m128;
inline f32x4 load(const float* p) { return _mm_loadu_ps(p); }
inline void store(float* p, f32x4 a) { _mm_storeu_ps(p, a); }
inline f32x4 splat(float v) { return _mm_set1_ps(v); }
inline f32x4 make(float a, float b, float c, float d) { return _mm_setr_ps(a, b, c, d); }
inline f32x4 add(f32x4 a, f32x4 b) { return _mm_add_ps(a, b); }
inline f32x4 sub(f32x4 a, f32x4 b) { return _mm_sub_ps(a, b); }
inline f32x4 mul(f32x4 a, f32x4 b) { return _mm_mul_ps(a, b); }
inline f32x4 abs(f32x4 a) { return _mm_andnot_ps(_mm_set1_ps(-0.0f), a); }
inline f32x4 max(f32x4 a, f32x4 b) { return _mm_max_ps(a, b); }
inline f32x4 min(f32x4 a, f32x4 b) { return _mm_min_ps(a, b); }
inline float lane(f32x4 a, int i) {
  alignas(16) float out[4];
  _mm_store_ps(out, a);
  return out[i];
}
#endif

#if defined(__SSE2__) && !defined(__wasm_simd128__)
// (a0 + a1) + (a2 + a3) with shuffles instead of four trips through memory; the same order of
// additions (and so the same result) as the lane-wise form below.
inline float horizontal_add(f32x4 a) {
  const f32x4 pairs = _mm_add_ps(a, _mm_shuffle_ps(a, a, _MM_SHUFFLE(2, 3, 0, 1)));  // a0+a1, _, a2+a3, _
  return _mm_cvtss_f32(_mm_add_ss(pairs, _mm_movehl_ps(pairs, pairs)));
}
#elif TRTC_SIMD_F32X4
inline float horizontal_add(f32x4 a) { return (lane(a, 0) + lane(a, 1)) + (lane(a, 2) + lane(a, 3)); }
#endif

#if TRTC_SIMD_F32X4
inline float horizontal_max(f32x4 a) {
  const float m01 = lane(a, 0) > lane(a, 1) ? lane(a, 0) : lane(a, 1);
  const float m23 = lane(a, 2) > lane(a, 3) ? lane(a, 2) : lane(a, 3);
  return m01 > m23 ? m01 : m23;
}
#endif

}  // namespace trtc::simd
