#include "trtc/audio/pcm_source.h"

#include <algorithm>
#include <cmath>

namespace trtc::audio {

PcmSource::PcmSource(int sample_rate, int channels, std::int64_t frames)
    : sample_rate_(std::clamp(sample_rate, 1, 384000)),
      channels_(std::clamp(channels, 1, 8)),
      frames_(std::max<std::int64_t>(0, frames)),
      samples_(static_cast<std::size_t>(frames_) * static_cast<std::size_t>(channels_), 0) {}

std::size_t PcmSource::write(int channel, std::int64_t offset, const float* samples, std::size_t count) {
  if (channel < 0 || channel >= channels_ || offset < 0 || offset >= frames_ || samples == nullptr) return 0;
  const auto n = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(count), frames_ - offset));
  std::int16_t* dst = samples_.data() + static_cast<std::size_t>(offset) * static_cast<std::size_t>(channels_) +
                      static_cast<std::size_t>(channel);
  for (std::size_t i = 0; i < n; ++i) {
    float s = samples[i];
    if (!(s == s)) s = 0.0f;  // NaN
    s = std::clamp(s, -1.0f, 1.0f);
    dst[i * static_cast<std::size_t>(channels_)] = static_cast<std::int16_t>(std::lrint(s * 32767.0f));
  }
  return n;
}

long PcmSource::read(float* const* out, int out_channels, std::size_t frames) {
  if (out_channels < 1 || out_channels > 2) return -1;
  const auto n =
      static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(frames), frames_ - position_));
  const std::int16_t* src = samples_.data() + static_cast<std::size_t>(position_) * static_cast<std::size_t>(channels_);
  constexpr float kScale = 1.0f / 32767.0f;
  const auto ch = static_cast<std::size_t>(channels_);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int16_t* f = src + i * ch;
    if (out_channels == 1) {
      float sum = 0.0f;
      for (std::size_t c = 0; c < ch; ++c) sum += static_cast<float>(f[c]);
      out[0][i] = sum * kScale / static_cast<float>(ch);
    } else if (ch == 1) {
      out[0][i] = out[1][i] = static_cast<float>(f[0]) * kScale;
    } else if (ch == 2) {
      out[0][i] = static_cast<float>(f[0]) * kScale;
      out[1][i] = static_cast<float>(f[1]) * kScale;
    } else {
      // More than two channels: even channels left, odd channels right, averaged.
      float l = 0.0f, r = 0.0f;
      for (std::size_t c = 0; c < ch; ++c) (c % 2 == 0 ? l : r) += static_cast<float>(f[c]);
      out[0][i] = l * kScale / static_cast<float>((ch + 1) / 2);
      out[1][i] = r * kScale / static_cast<float>(ch / 2);
    }
  }
  position_ += static_cast<std::int64_t>(n);
  return static_cast<long>(n);
}

bool PcmSource::seek(std::int64_t frame) {
  position_ = std::clamp<std::int64_t>(frame, 0, frames_);
  return true;
}

}  // namespace trtc::audio
