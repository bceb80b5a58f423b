// Test-only WAV writer: RIFF chunks in any order (odd sizes padded), fmt chunks for PCM, IEEE float
// and WAVE_FORMAT_EXTENSIBLE, and sample encoders. Header-only; used by the tests and the benchmark.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace trtc::audio::testing {

struct RiffChunk {
  std::string id;  ///< four characters
  std::vector<std::uint8_t> body;
  std::int64_t declared_size = -1;  ///< size written in the header (-1: the body's size)
};

inline void wav_put_le(std::vector<std::uint8_t>& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

/// "RIFF" size "WAVE" and the chunks in the given order, each padded to an even size.
inline std::vector<std::uint8_t> riff_wave(const std::vector<RiffChunk>& chunks) {
  std::vector<std::uint8_t> out = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E'};
  for (const auto& c : chunks) {
    out.insert(out.end(), c.id.begin(), c.id.begin() + 4);
    wav_put_le(out, c.declared_size >= 0 ? static_cast<std::uint64_t>(c.declared_size) : c.body.size(), 4);
    out.insert(out.end(), c.body.begin(), c.body.end());
    if (c.body.size() % 2 != 0) out.push_back(0);
  }
  const auto riff_size = static_cast<std::uint32_t>(out.size() - 8);
  for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<std::uint8_t>(riff_size >> (8 * i));
  return out;
}

struct WavFormat {
  int tag = 1;  ///< 1 PCM, 3 IEEE float, anything else as given
  int channels = 2;
  int rate = 48000;
  int bits = 16;
  bool extensible = false;  ///< tag 0xFFFE with `tag` as the subformat GUID
  std::uint32_t channel_mask = 0;
};

inline RiffChunk fmt_chunk(const WavFormat& f) {
  RiffChunk c{"fmt ", {}, -1};
  auto& b = c.body;
  const int block_align = f.channels * f.bits / 8;
  wav_put_le(b, f.extensible ? 0xFFFEu : static_cast<std::uint32_t>(f.tag), 2);
  wav_put_le(b, static_cast<std::uint32_t>(f.channels), 2);
  wav_put_le(b, static_cast<std::uint32_t>(f.rate), 4);
  wav_put_le(b, static_cast<std::uint32_t>(f.rate * block_align), 4);
  wav_put_le(b, static_cast<std::uint32_t>(block_align), 2);
  wav_put_le(b, static_cast<std::uint32_t>(f.bits), 2);
  if (f.extensible) {
    wav_put_le(b, 22, 2);                                  // cbSize
    wav_put_le(b, static_cast<std::uint32_t>(f.bits), 2);  // valid bits
    wav_put_le(b, f.channel_mask, 4);
    wav_put_le(b, static_cast<std::uint32_t>(f.tag), 2);
    static constexpr std::uint8_t kTail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                               0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
    b.insert(b.end(), kTail, kTail + 14);
  } else if (f.tag == 3) {
    wav_put_le(b, 0, 2);  // cbSize, as float files usually carry it
  }
  return c;
}

/// Integer samples (already in the format's range; 8-bit given as signed -128..127) to bytes.
inline std::vector<std::uint8_t> pcm_int_bytes(const std::vector<std::int32_t>& samples, int bits) {
  std::vector<std::uint8_t> out;
  for (const std::int32_t s : samples) {
    if (bits == 8) {
      out.push_back(static_cast<std::uint8_t>(s + 128));
    } else {
      wav_put_le(out, static_cast<std::uint32_t>(s), bits / 8);
    }
  }
  return out;
}

inline std::vector<std::uint8_t> float32_bytes(const std::vector<float>& samples) {
  std::vector<std::uint8_t> out(samples.size() * 4);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    std::uint32_t u;
    std::memcpy(&u, &samples[i], 4);
    for (int b = 0; b < 4; ++b) out[i * 4 + static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(u >> (8 * b));
  }
  return out;
}

inline std::vector<std::uint8_t> float64_bytes(const std::vector<double>& samples) {
  std::vector<std::uint8_t> out(samples.size() * 8);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    std::uint64_t u;
    std::memcpy(&u, &samples[i], 8);
    for (int b = 0; b < 8; ++b) out[i * 8 + static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(u >> (8 * b));
  }
  return out;
}

/// A plain WAV: fmt then data.
inline std::vector<std::uint8_t> wav_file(const WavFormat& f, std::vector<std::uint8_t> data) {
  return riff_wave({fmt_chunk(f), RiffChunk{"data", std::move(data), -1}});
}

}  // namespace trtc::audio::testing
