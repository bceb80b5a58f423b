// WAV (RIFF/WAVE, RF64 not supported) reader: PCM 8/16/24/32-bit integer and 32/64-bit float,
// WAVE_FORMAT_EXTENSIBLE included. Reads at the file's own rate; the resampler brings it to 48 kHz.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "trtc/audio/decoded_source.h"

namespace trtc::audio {

struct WavInfo {
  int sample_rate = 0;
  int channels = 0;
  int bits_per_sample = 0;
  bool is_float = false;
  std::int64_t frames = 0;
};

class WavReader : public DecodedSource {
 public:
  /// Parses a complete WAV file (copied). Null and `*error` set (a readable reason) on failure:
  /// not RIFF/WAVE, no fmt/data chunk, unsupported encoding (e.g. ADPCM), 0 or > 8 channels,
  /// rate outside 1–384000 Hz. A data chunk longer than the file is truncated to what is there.
  static std::unique_ptr<WavReader> open(const std::uint8_t* data, std::size_t size, std::string* error);

  const WavInfo& info() const { return info_; }
  int sample_rate() const override { return info_.sample_rate; }
  int channels() const override { return info_.channels; }
  std::int64_t length() const override { return info_.frames; }
  std::int64_t position() const override { return position_; }
  long read(float* const* out, int out_channels, std::size_t frames) override;
  bool seek(std::int64_t frame) override;

 private:
  WavReader() = default;
  WavInfo info_;
  std::vector<std::uint8_t> data_;  // the sample bytes only
  int bytes_per_frame_ = 0;
  std::uint32_t channel_mask_ = 0;  // WAVE_FORMAT_EXTENSIBLE speaker positions (0: default layout)
  std::int64_t position_ = 0;
};

}  // namespace trtc::audio
