// Beauty filter for video calls: skin smoothing, whitening and ruddiness on I420 frames, each
// driven by a 0–1 parameter where 0 leaves the frame untouched.
//
// How it works (all in YUV, no RGB round trip):
//  1. Luma is averaged 2x2 down to the chroma grid (so every half-resolution sample has its own
//     U and V), giving p and p².
//  2. A skin-likelihood mask m (0–1) at that resolution: an ellipse around the skin cluster in the
//     Cb/Cr plane (skin of any tone sits there; hair, eyes, lips, clothes and most backgrounds do
//     not), times a ramp that drops dark pixels (pupils, brows, shadows).
//  3. An edge-preserving guided filter (He et al., self-guided, computed at half resolution as in
//     "Fast Guided Filter") on luma: per window a = var / (var + eps), b = mean·(1 − a). Where the
//     window holds an edge, var ≫ eps and a ≈ 1 keeps it; on smooth skin texture a ≈ 0 flattens it.
//     The coefficients are blended towards identity by beauty · m before they are box-filtered, so
//     the mask is smoothed along with them: outside the skin the output equals the input.
//  4. Full resolution: out = A·Y + B with A, B bilinearly upsampled, then the whitening curve
//     y + w·y(255 − y)/255 (w = 0.5·brightness: a lift of the mid-tones that keeps 0 and 255 and
//     stays monotonic), rounded once.
//  5. Ruddy: Cr up and Cb slightly down, by ruddy · m, so only skin gets the warm tint.
//
// Every stage is a kernel with a scalar reference (`_scalar`) and a SIMD version (`_simd`:
// WebAssembly SIMD128 in the browser, SSE2 natively). They do the same float operations in the
// same order and agree bit for bit; tests compare them on random and real images.
#pragma once

#include <cstdint>
#include <vector>

#include "trtc/video/frame.h"

namespace trtc::video {

/// The plugin's options, each 0–1 (0 = off). Values outside are clamped, NaN counts as 0.
struct BeautyParams {
  float beauty = 0.0f;      ///< Skin smoothing.
  float brightness = 0.0f;  ///< Whitening (brightens mid-tones).
  float ruddy = 0.0f;       ///< Rosy tint on skin.
};

/// Which kernels to run: scalar references or SIMD (the default).
enum class KernelSet { kScalar, kSimd };

namespace kernels {

/// Scratch for box_filter: rows of the image width plus the radius padding.
struct BoxScratch {
  std::vector<float> colsum;  // running column sums, width
  std::vector<float> padded;  // one row of column sums with `radius` zeros on each side
  std::vector<float> inv_x;   // 1 / (window width at x), clipped at the edges
  void prepare(int width, int radius);
};

/// p = 2x2 mean of luma, pp = p², both cw x ch (chroma_size of width and height), edges clamped.
void downsample_luma_scalar(const std::uint8_t* y, int stride, int width, int height, float* p, float* pp);
void downsample_luma_simd(const std::uint8_t* y, int stride, int width, int height, float* p, float* pp);

/// Skin likelihood (0–1) per chroma sample, from its U, V and the half-resolution luma p.
void skin_mask_scalar(const float* p, const std::uint8_t* u, int stride_u, const std::uint8_t* v, int stride_v, int cw,
                      int ch, float* mask);
void skin_mask_simd(const float* p, const std::uint8_t* u, int stride_u, const std::uint8_t* v, int stride_v, int cw,
                    int ch, float* mask);

/// Mean over the (2r+1)² window clipped to the image (so edges average fewer samples). `in` and
/// `out` are w x h, tightly packed, and must not overlap.
void box_filter_scalar(const float* in, float* out, int w, int h, int radius, BoxScratch& scratch);
void box_filter_simd(const float* in, float* out, int w, int h, int radius, BoxScratch& scratch);

/// Guided-filter coefficients, blended towards identity by k = strength · mask:
/// a = 1 − k·(1 − var/(var + eps)), b = k·mean_p·(1 − var/(var + eps)), var = max(mean_pp − mean_p², 0).
void guided_coefficients_scalar(const float* mean_p, const float* mean_pp, const float* mask, int count, float strength,
                                float eps, float* a, float* b);
void guided_coefficients_simd(const float* mean_p, const float* mean_pp, const float* mask, int count, float strength,
                              float eps, float* a, float* b);

/// Full-resolution luma: y ← whiten(A↑·y + B↑) in place, A↑/B↑ the bilinear 2x upsampling of the
/// cw x ch coefficient planes; whiten(q) = q + w·q·(255 − q)/255. `rows` is scratch of 4·(cw + 2).
void apply_luma_scalar(const float* a, const float* b, std::uint8_t* y, int stride, int width, int height, float whiten,
                       float* rows);
void apply_luma_simd(const float* a, const float* b, std::uint8_t* y, int stride, int width, int height, float whiten,
                     float* rows);

/// Ruddy tint on the chroma planes: Cr += 10·k, Cb −= 4·k with k = ruddy · mask.
void ruddy_scalar(const float* mask, std::uint8_t* u, int stride_u, std::uint8_t* v, int stride_v, int cw, int ch,
                  float ruddy);
void ruddy_simd(const float* mask, std::uint8_t* u, int stride_u, std::uint8_t* v, int stride_v, int cw, int ch,
                float ruddy);

}  // namespace kernels

/// The beauty filter with its buffers (reused across frames of the same size).
class BeautyProcessor {
 public:
  explicit BeautyProcessor(KernelSet kernels = KernelSet::kSimd) : kernels_(kernels) {}

  void set_params(const BeautyParams& params);
  const BeautyParams& params() const { return params_; }
  /// True when every parameter is 0: process() leaves frames untouched (and does no work).
  bool is_identity() const;
  void set_kernels(KernelSet kernels) { kernels_ = kernels; }

  /// Filters the frame in place. Frames of any size ≥ 1x1 (odd sizes too).
  void process(const I420Frame& frame);

  /// The skin mask of the last frame (chroma_size(width) x chroma_size(height)), for tests and
  /// the demo's debugging view. Empty until a frame with beauty or ruddy > 0 was processed.
  const std::vector<float>& mask() const { return mask_; }
  /// Box-filter radius at half resolution for a frame size: about 1/90 of the short side, 1–8
  /// (3 at 640x480, 4 at 1280x720), so the smoothing covers the same share of a face at any size.
  static int radius_for(int width, int height);
  /// The guided filter's eps (in luma levels²) for a beauty value: skin texture below about
  /// sqrt(eps) is smoothed, edges above it are kept.
  static float eps_for(float beauty);

 private:
  void resize(int width, int height);

  KernelSet kernels_;
  BeautyParams params_;
  int width_ = 0, height_ = 0;
  std::vector<float> p_, pp_, mask_, mean_p_, mean_pp_, a_, b_, rows_;
  bool unit_coefficients_ = false;  // a_ = 1 and b_ = 0 (whitening without smoothing)
  kernels::BoxScratch box_;
};

}  // namespace trtc::video
