// Test images: the photograph fixtures (scripts/fixtures.sh extracts them from Debian's
// python3-skimage at test time) and random frames, as owned I420 buffers.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "trtc/video/convert.h"
#include "trtc/video/frame.h"

#ifndef TRTC_FIXTURES_DIR
#define TRTC_FIXTURES_DIR ""
#endif

namespace trtc::test {

/// An owned, tightly packed I420 frame.
struct I420Image {
  int width = 0, height = 0;
  std::vector<std::uint8_t> data;
  I420Image() = default;
  I420Image(int w, int h) : width(w), height(h), data(video::i420_size(w, h)) {}
  video::I420Frame frame() { return video::packed_i420(data.data(), width, height); }
  int cw() const { return video::chroma_size(width); }
  int ch() const { return video::chroma_size(height); }
  std::uint8_t& y(int x, int row) { return data[static_cast<std::size_t>(row) * width + x]; }
  std::uint8_t& u(int i, int j) { return data[static_cast<std::size_t>(width) * height + j * cw() + i]; }
  std::uint8_t& v(int i, int j) {
    return data[static_cast<std::size_t>(width) * height + static_cast<std::size_t>(cw()) * ch() + j * cw() + i];
  }
};

/// RGB (3 bytes per pixel) image.
struct RgbImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;
};

/// Reads a binary PPM (P6, maxval 255). Fails the test (empty image) if it cannot.
inline RgbImage load_ppm(const std::string& path) {
  RgbImage img;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    ADD_FAILURE() << "cannot open " << path << ": run `bash scripts/fixtures.sh` (it extracts the test "
                  << "photographs from Debian's python3-skimage package)";
    return img;
  }
  int maxval = 0;
  if (std::fscanf(f, "P6 %d %d %d", &img.width, &img.height, &maxval) != 3 || maxval != 255) {
    ADD_FAILURE() << path << " is not an 8-bit binary PPM";
    std::fclose(f);
    return RgbImage{};
  }
  std::fgetc(f);
  img.rgb.resize(static_cast<std::size_t>(img.width) * img.height * 3);
  if (std::fread(img.rgb.data(), 1, img.rgb.size(), f) != img.rgb.size()) {
    ADD_FAILURE() << path << " is truncated";
    img = RgbImage{};
  }
  std::fclose(f);
  return img;
}

inline std::string fixture(const std::string& name) { return std::string(TRTC_FIXTURES_DIR) + "/" + name; }

/// RGB → RGBA (alpha 255).
inline std::vector<std::uint8_t> to_rgba(const RgbImage& img) {
  std::vector<std::uint8_t> out(static_cast<std::size_t>(img.width) * img.height * 4);
  for (std::size_t i = 0; i < out.size() / 4; ++i) {
    for (int k = 0; k < 3; ++k) out[4 * i + k] = img.rgb[3 * i + k];
    out[4 * i + 3] = 255;
  }
  return out;
}

/// The photograph as I420 (BT.601 limited range, the core's own conversion).
inline I420Image load_i420(const std::string& name) {
  const RgbImage rgb = load_ppm(fixture(name));
  I420Image out(rgb.width, rgb.height);
  if (rgb.width == 0) return out;
  const auto rgba = to_rgba(rgb);
  video::rgba_to_i420(rgba.data(), rgb.width * 4, video::PixelOrder::kRGBA, out.frame());
  return out;
}

inline void fill_random(std::vector<std::uint8_t>& bytes, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(0, 255);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(dist(rng));
}

inline I420Image random_i420(int w, int h, unsigned seed) {
  I420Image img(w, h);
  fill_random(img.data, seed);
  return img;
}

}  // namespace trtc::test
