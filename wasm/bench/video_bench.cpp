// Video benchmarks: the beauty filter per frame at 640x480 and 1280x720 with the scalar reference
// kernels and the SIMD kernels (SSE2 natively), and the pixel-format conversions at 1280x720.
// The same workload runs in Chromium as WASM (scripts/bench-browser.mjs).
#include <benchmark/benchmark.h>

#include <vector>

#include "trtc/video/beauty.h"
#include "trtc/video/convert.h"
#include "video_workload.h"

namespace {

using namespace trtc::video;

void BM_Beauty(benchmark::State& state, KernelSet kernels, int width, int height) {
  const std::vector<std::uint8_t> source = trtc::bench::make_video_frame(width, height);
  std::vector<std::uint8_t> frame = source;
  BeautyProcessor p(kernels);
  p.set_params(trtc::bench::kBeautyBenchParams);
  for (auto _ : state) {
    frame = source;  // a fresh camera frame each time (the copy is ~1 % of the work)
    p.process(packed_i420(frame.data(), width, height));
    benchmark::DoNotOptimize(frame.data());
  }
}

void BM_RgbaToI420(benchmark::State& state, bool simd) {
  const int w = 1280, h = 720;
  std::vector<std::uint8_t> rgba(static_cast<std::size_t>(w) * h * 4, 0);
  for (std::size_t i = 0; i < rgba.size(); ++i) rgba[i] = static_cast<std::uint8_t>(i * 31 % 251);
  std::vector<std::uint8_t> out(i420_size(w, h));
  for (auto _ : state) {
    (simd ? rgba_to_i420_simd : rgba_to_i420_scalar)(rgba.data(), w * 4, PixelOrder::kRGBA,
                                                     packed_i420(out.data(), w, h));
    benchmark::DoNotOptimize(out.data());
  }
}

void BM_I420ToRgba(benchmark::State& state, bool simd) {
  const int w = 1280, h = 720;
  std::vector<std::uint8_t> in = trtc::bench::make_video_frame(w, h);
  std::vector<std::uint8_t> rgba(static_cast<std::size_t>(w) * h * 4);
  for (auto _ : state) {
    (simd ? i420_to_rgba_simd : i420_to_rgba_scalar)(packed_i420(in.data(), w, h), rgba.data(), w * 4);
    benchmark::DoNotOptimize(rgba.data());
  }
}

void BM_Nv12ToI420(benchmark::State& state, bool simd) {
  const int w = 1280, h = 720;
  std::vector<std::uint8_t> nv12 = trtc::bench::make_video_frame(w, h);  // same size as NV12
  std::vector<std::uint8_t> out(i420_size(w, h));
  for (auto _ : state) {
    (simd ? nv12_to_i420_simd : nv12_to_i420_scalar)(nv12.data(), w, nv12.data() + w * h, w,
                                                     packed_i420(out.data(), w, h));
    benchmark::DoNotOptimize(out.data());
  }
}

}  // namespace

BENCHMARK_CAPTURE(BM_Beauty, scalar_480, KernelSet::kScalar, 640, 480)
    ->Name("beauty/scalar/640x480")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Beauty, simd_480, KernelSet::kSimd, 640, 480)
    ->Name("beauty/simd/640x480")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Beauty, scalar_720, KernelSet::kScalar, 1280, 720)
    ->Name("beauty/scalar/1280x720")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Beauty, simd_720, KernelSet::kSimd, 1280, 720)
    ->Name("beauty/simd/1280x720")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_RgbaToI420, scalar, false)->Name("rgba_to_i420/scalar/1280x720")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_RgbaToI420, simd, true)->Name("rgba_to_i420/simd/1280x720")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_I420ToRgba, scalar, false)->Name("i420_to_rgba/scalar/1280x720")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_I420ToRgba, simd, true)->Name("i420_to_rgba/simd/1280x720")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Nv12ToI420, scalar, false)->Name("nv12_to_i420/scalar/1280x720")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Nv12ToI420, simd, true)->Name("nv12_to_i420/simd/1280x720")->Unit(benchmark::kMillisecond);
