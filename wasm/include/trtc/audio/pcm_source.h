// PCM the browser decoded (MP3, AAC, ... through decodeAudioData), kept as 16-bit interleaved
// samples so a few minutes of background music cost half the memory of float.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "trtc/audio/decoded_source.h"

namespace trtc::audio {

class PcmSource : public DecodedSource {
 public:
  /// Silence of `frames` frames; fill it with write(). Rates 1–384000, channels 1–8, frames >= 0.
  PcmSource(int sample_rate, int channels, std::int64_t frames);

  /// Copies `count` float samples (clamped to [-1, 1]) into `channel` from frame `offset`.
  /// Out-of-range parts are ignored; returns the number of samples stored.
  std::size_t write(int channel, std::int64_t offset, const float* samples, std::size_t count);

  int sample_rate() const override { return sample_rate_; }
  int channels() const override { return channels_; }
  std::int64_t length() const override { return frames_; }
  std::int64_t position() const override { return position_; }
  long read(float* const* out, int out_channels, std::size_t frames) override;
  bool seek(std::int64_t frame) override;

 private:
  int sample_rate_;
  int channels_;
  std::int64_t frames_;
  std::int64_t position_ = 0;
  std::vector<std::int16_t> samples_;  // interleaved
};

}  // namespace trtc::audio
