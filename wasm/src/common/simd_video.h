// Pixel helpers on top of simd_f32x4.h for the video kernels: 8-bit pixels in and out of float
// lanes, lane shuffles (even/odd, interleave, 4x4 transpose) and division. Same rule as the float
// header: each operation is one that SIMD128 and SSE2 both have, so a kernel written once compiles
// to either, and its scalar reference can reproduce it bit for bit.
//
// Rounding to 8 bits everywhere (here and in the scalar references) is "add 0.5, truncate, clamp to
// 0..255": see to_u8() below, which the scalar code uses.
#pragma once

#include <cstdint>
#include <cstring>

#include "common/simd_f32x4.h"

#if defined(__SSE2__) && !defined(__wasm_simd128__)
#include <emmintrin.h>
#endif

namespace trtc::simd {

/// The scalar form of the kernels' rounding: x + 0.5 truncated towards zero, then clamped to 0..255
/// (what the vector stores below do with a truncating convert and saturating narrows).
inline std::uint8_t to_u8(float x) {
  const float r = x + 0.5f;
  if (!(r > 0.0f)) return 0;  // also NaN
  if (r >= 255.0f) return 255;
  return static_cast<std::uint8_t>(static_cast<int>(r));
}

#if defined(__wasm_simd128__)

inline f32x4 div(f32x4 a, f32x4 b) { return wasm_f32x4_div(a, b); }
/// {a0, a2, b0, b2}
inline f32x4 even(f32x4 a, f32x4 b) { return wasm_i32x4_shuffle(a, b, 0, 2, 4, 6); }
/// {a1, a3, b1, b3}
inline f32x4 odd(f32x4 a, f32x4 b) { return wasm_i32x4_shuffle(a, b, 1, 3, 5, 7); }
/// {a0, b0, a1, b1}
inline f32x4 interleave_lo(f32x4 a, f32x4 b) { return wasm_i32x4_shuffle(a, b, 0, 4, 1, 5); }
/// {a2, b2, a3, b3}
inline f32x4 interleave_hi(f32x4 a, f32x4 b) { return wasm_i32x4_shuffle(a, b, 2, 6, 3, 7); }
/// {a0, a1, b0, b1}
inline f32x4 low_halves(f32x4 a, f32x4 b) { return wasm_i32x4_shuffle(a, b, 0, 1, 4, 5); }
/// {a2, a3, b2, b3}
inline f32x4 high_halves(f32x4 a, f32x4 b) { return wasm_i32x4_shuffle(a, b, 2, 3, 6, 7); }

// Bytes → floats without f32x4.convert: LLVM 14 folds extend + convert into a lane-by-lane
// scalar conversion (extract_lane/replace_lane, ~10x slower). Instead the integer goes into the
// mantissa of 2^23 (bits 0x4B000000 | n) and 2^23 is subtracted: exact for 0 ≤ n < 2^23.
inline f32x4 u32_to_f32(v128_t n) {
  return wasm_f32x4_sub(wasm_v128_or(n, wasm_i32x4_splat(0x4B000000)), wasm_f32x4_splat(8388608.0f));
}
/// Four bytes at p as floats.
inline f32x4 load_u8x4(const std::uint8_t* p) {
  const v128_t b = wasm_v128_load32_zero(p);
  return u32_to_f32(wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(b)));
}
/// Eight bytes at p as two float vectors (lo = bytes 0..3).
inline void load_u8x8(const std::uint8_t* p, f32x4& lo, f32x4& hi) {
  const v128_t w = wasm_u16x8_extend_low_u8x16(wasm_v128_load64_zero(p));
  lo = u32_to_f32(wasm_u32x4_extend_low_u16x8(w));
  hi = u32_to_f32(wasm_u32x4_extend_high_u16x8(w));
}
/// Sixteen bytes at p as four float vectors (a = bytes 0..3, …, d = bytes 12..15).
inline void load_u8x16(const std::uint8_t* p, f32x4& a, f32x4& b, f32x4& c, f32x4& d) {
  const v128_t v = wasm_v128_load(p);
  const v128_t lo = wasm_u16x8_extend_low_u8x16(v), hi = wasm_u16x8_extend_high_u8x16(v);
  a = u32_to_f32(wasm_u32x4_extend_low_u16x8(lo));
  b = u32_to_f32(wasm_u32x4_extend_high_u16x8(lo));
  c = u32_to_f32(wasm_u32x4_extend_low_u16x8(hi));
  d = u32_to_f32(wasm_u32x4_extend_high_u16x8(hi));
}
inline v128_t round_i32(f32x4 a) { return wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_add(a, wasm_f32x4_splat(0.5f))); }
/// Rounds four floats to bytes (to_u8 per lane) and stores them at p.
inline void store_u8x4(std::uint8_t* p, f32x4 a) {
  const v128_t w = wasm_i16x8_narrow_i32x4(round_i32(a), round_i32(a));
  const v128_t b = wasm_u8x16_narrow_i16x8(w, w);
  wasm_v128_store32_lane(p, b, 0);
}
inline void store_u8x8(std::uint8_t* p, f32x4 lo, f32x4 hi) {
  const v128_t w = wasm_i16x8_narrow_i32x4(round_i32(lo), round_i32(hi));
  wasm_v128_store64_lane(p, wasm_u8x16_narrow_i16x8(w, w), 0);
}
inline void store_u8x16(std::uint8_t* p, f32x4 a, f32x4 b, f32x4 c, f32x4 d) {
  const v128_t ab = wasm_i16x8_narrow_i32x4(round_i32(a), round_i32(b));
  const v128_t cd = wasm_i16x8_narrow_i32x4(round_i32(c), round_i32(d));
  wasm_v128_store(p, wasm_u8x16_narrow_i16x8(ab, cd));
}

#elif defined(__SSE2__)

inline f32x4 div(f32x4 a, f32x4 b) { return _mm_div_ps(a, b); }
inline f32x4 even(f32x4 a, f32x4 b) { return _mm_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)); }
inline f32x4 odd(f32x4 a, f32x4 b) { return _mm_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1)); }
inline f32x4 interleave_lo(f32x4 a, f32x4 b) { return _mm_unpacklo_ps(a, b); }
inline f32x4 interleave_hi(f32x4 a, f32x4 b) { return _mm_unpackhi_ps(a, b); }
inline f32x4 low_halves(f32x4 a, f32x4 b) { return _mm_movelh_ps(a, b); }
inline f32x4 high_halves(f32x4 a, f32x4 b) { return _mm_movehl_ps(b, a); }

inline f32x4 load_u8x4(const std::uint8_t* p) {
  std::int32_t bits;
  std::memcpy(&bits, p, 4);
  const __m128i z = _mm_setzero_si128();
  const __m128i w = _mm_unpacklo_epi8(_mm_cvtsi32_si128(bits), z);
  return _mm_cvtepi32_ps(_mm_unpacklo_epi16(w, z));
}
inline void load_u8x8(const std::uint8_t* p, f32x4& lo, f32x4& hi) {
  const __m128i z = _mm_setzero_si128();
  const __m128i w = _mm_unpacklo_epi8(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)), z);
  lo = _mm_cvtepi32_ps(_mm_unpacklo_epi16(w, z));
  hi = _mm_cvtepi32_ps(_mm_unpackhi_epi16(w, z));
}
inline void load_u8x16(const std::uint8_t* p, f32x4& a, f32x4& b, f32x4& c, f32x4& d) {
  const __m128i z = _mm_setzero_si128();
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i lo = _mm_unpacklo_epi8(v, z), hi = _mm_unpackhi_epi8(v, z);
  a = _mm_cvtepi32_ps(_mm_unpacklo_epi16(lo, z));
  b = _mm_cvtepi32_ps(_mm_unpackhi_epi16(lo, z));
  c = _mm_cvtepi32_ps(_mm_unpacklo_epi16(hi, z));
  d = _mm_cvtepi32_ps(_mm_unpackhi_epi16(hi, z));
}
// cvttps gives INT_MIN for out-of-range lanes; the kernels' values stay far inside int range.
inline __m128i round_i32(f32x4 a) { return _mm_cvttps_epi32(_mm_add_ps(a, _mm_set1_ps(0.5f))); }
inline void store_u8x4(std::uint8_t* p, f32x4 a) {
  const __m128i w = _mm_packs_epi32(round_i32(a), round_i32(a));
  const std::int32_t bits = _mm_cvtsi128_si32(_mm_packus_epi16(w, w));
  std::memcpy(p, &bits, 4);
}
inline void store_u8x8(std::uint8_t* p, f32x4 lo, f32x4 hi) {
  const __m128i w = _mm_packs_epi32(round_i32(lo), round_i32(hi));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(p), _mm_packus_epi16(w, w));
}
inline void store_u8x16(std::uint8_t* p, f32x4 a, f32x4 b, f32x4 c, f32x4 d) {
  const __m128i ab = _mm_packs_epi32(round_i32(a), round_i32(b));
  const __m128i cd = _mm_packs_epi32(round_i32(c), round_i32(d));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm_packus_epi16(ab, cd));
}

#endif

#if TRTC_SIMD_F32X4
/// Transposes the 4x4 matrix whose rows are a, b, c, d (e.g. four RGBA pixels → R, G, B, A).
inline void transpose4(f32x4& a, f32x4& b, f32x4& c, f32x4& d) {
  const f32x4 t0 = interleave_lo(a, b), t1 = interleave_lo(c, d);  // a0 b0 a1 b1 | c0 d0 c1 d1
  const f32x4 t2 = interleave_hi(a, b), t3 = interleave_hi(c, d);  // a2 b2 a3 b3 | c2 d2 c3 d3
  a = low_halves(t0, t1);                                          // a0 b0 c0 d0
  b = high_halves(t0, t1);                                         // a1 b1 c1 d1
  c = low_halves(t2, t3);                                          // a2 b2 c2 d2
  d = high_halves(t2, t3);                                         // a3 b3 c3 d3
}
#endif

}  // namespace trtc::simd
