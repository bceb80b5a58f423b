// WAV (RIFF/WAVE) reader: chunks in any order, odd-size chunks padded to even, PCM 8 (unsigned),
// 16, 24, 32-bit integer, IEEE float 32/64, and WAVE_FORMAT_EXTENSIBLE with those subformats.
// Integer samples are scaled by 1/2^(bits-1) (16-bit: s/32768), so full scale maps to [-1, 1).
#include "trtc/audio/wav.h"

#include <algorithm>
#include <climits>
#include <cstring>

namespace trtc::audio {
namespace {

constexpr int kMaxChannels = 8;
constexpr std::uint32_t kMaxRate = 384000;
constexpr std::uint16_t kTagPcm = 0x0001;
constexpr std::uint16_t kTagFloat = 0x0003;
constexpr std::uint16_t kTagExtensible = 0xFFFE;
// KSDATAFORMAT_SUBTYPE_* GUIDs: the format tag in the first two bytes, then this fixed tail.
constexpr std::uint8_t kGuidTail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                        0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};

std::uint16_t le16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint32_t le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

const char* tag_name(std::uint16_t tag) {
  switch (tag) {
    case 0x0002:
      return " (Microsoft ADPCM)";
    case 0x0006:
      return " (A-law)";
    case 0x0007:
      return " (mu-law)";
    case 0x0011:
      return " (IMA ADPCM)";
    case 0x0031:
      return " (GSM 6.10)";
    case 0x0050:
      return " (MPEG)";
    case 0x0055:
      return " (MP3)";
    default:
      return "";
  }
}

void set_error(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
}

// One sample of the given encoding as float: integers scaled by 1/2^(bits-1), 8-bit unsigned.
template <int kBits, bool kFloat>
float sample_at(const std::uint8_t* p) {
  if constexpr (kFloat && kBits == 32) {
    const std::uint32_t u = le32(p);
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
  } else if constexpr (kFloat) {
    const std::uint64_t u = static_cast<std::uint64_t>(le32(p)) | (static_cast<std::uint64_t>(le32(p + 4)) << 32);
    double v;
    std::memcpy(&v, &u, sizeof v);
    return static_cast<float>(v);
  } else if constexpr (kBits == 8) {
    return static_cast<float>(static_cast<int>(p[0]) - 128) * (1.0f / 128.0f);
  } else if constexpr (kBits == 16) {
    return static_cast<float>(static_cast<std::int16_t>(le16(p))) * (1.0f / 32768.0f);
  } else if constexpr (kBits == 24) {
    const std::uint32_t u = static_cast<std::uint32_t>(p[0]) << 8 | static_cast<std::uint32_t>(p[1]) << 16 |
                            static_cast<std::uint32_t>(p[2]) << 24;
    return static_cast<float>(static_cast<std::int32_t>(u) >> 8) * (1.0f / 8388608.0f);
  } else {
    return static_cast<float>(static_cast<double>(static_cast<std::int32_t>(le32(p))) * (1.0 / 2147483648.0));
  }
}

// Converts n frames to planar output: mono/stereo directly (mono copied to both, stereo averaged
// to mono), more channels through the stereo gains gl/gr.
template <int kBits, bool kFloat>
void convert(const std::uint8_t* p, std::size_t n, int channels, float* l, float* r, const float* gl, const float* gr) {
  constexpr std::size_t kBytes = kBits / 8;
  if (channels == 1) {
    for (std::size_t i = 0; i < n; ++i, p += kBytes) {
      const float a = sample_at<kBits, kFloat>(p);
      l[i] = a;
      if (r != nullptr) r[i] = a;
    }
  } else if (channels == 2) {
    if (r != nullptr) {
      for (std::size_t i = 0; i < n; ++i, p += 2 * kBytes) {
        l[i] = sample_at<kBits, kFloat>(p);
        r[i] = sample_at<kBits, kFloat>(p + kBytes);
      }
    } else {
      for (std::size_t i = 0; i < n; ++i, p += 2 * kBytes) {
        l[i] = 0.5f * (sample_at<kBits, kFloat>(p) + sample_at<kBits, kFloat>(p + kBytes));
      }
    }
  } else {
    const auto c = static_cast<std::size_t>(channels);
    for (std::size_t i = 0; i < n; ++i, p += c * kBytes) {
      float a = 0.0f, b = 0.0f;
      for (std::size_t k = 0; k < c; ++k) {
        const float v = sample_at<kBits, kFloat>(p + k * kBytes);
        a += gl[k] * v;
        b += gr[k] * v;
      }
      if (r != nullptr) {
        l[i] = a;
        r[i] = b;
      } else {
        l[i] = 0.5f * (a + b);
      }
    }
  }
}

// Speaker positions of WAVEFORMATEXTENSIBLE dwChannelMask bits, folded to stereo gains: front
// left/right 1, centres -3 dB to both sides, side/back/top -3 dB to their side, LFE dropped.
void speaker_gains(int bit, float* l, float* r) {
  constexpr float kC = 0.70710678f;
  switch (bit) {
    case 0:  // front left
      *l = 1.0f, *r = 0.0f;
      return;
    case 1:  // front right
      *l = 0.0f, *r = 1.0f;
      return;
    case 3:  // LFE
      *l = 0.0f, *r = 0.0f;
      return;
    case 2:   // front centre
    case 8:   // back centre
    case 11:  // top centre
    case 13:  // top front centre
    case 16:  // top back centre
      *l = kC, *r = kC;
      return;
    case 4:   // back left
    case 6:   // front left of centre
    case 9:   // side left
    case 12:  // top front left
    case 15:  // top back left
      *l = kC, *r = 0.0f;
      return;
    default:  // 5 back right, 7 front right of centre, 10 side right, 14 top front right, 17 top back right
      *l = 0.0f, *r = kC;
      return;
  }
}

// Stereo gains for each channel: the channel mask's speakers in bit order, else (no mask, or too
// few bits for the channel count) the default Microsoft layout; each side normalised to sum 1.
void mixdown_gains(std::uint32_t mask, int channels, float* gl, float* gr) {
  static constexpr std::uint32_t kDefaultMasks[kMaxChannels + 1] = {0, 0x4, 0x3, 0x7, 0x33, 0x37, 0x3F, 0x70F, 0x63F};
  int bits_set = 0;
  for (std::uint32_t m = mask & 0x3FFFFu; m != 0; m &= m - 1) ++bits_set;
  if (bits_set < channels) mask = kDefaultMasks[channels];
  float sum_l = 0.0f, sum_r = 0.0f;
  int bit = 0;
  for (int c = 0; c < channels; ++c) {
    while (bit < 18 && (mask & (1u << bit)) == 0) ++bit;
    speaker_gains(bit, &gl[c], &gr[c]);
    ++bit;
    sum_l += gl[c];
    sum_r += gr[c];
  }
  for (int c = 0; c < channels; ++c) {
    gl[c] = sum_l > 0.0f ? gl[c] / sum_l : 0.0f;
    gr[c] = sum_r > 0.0f ? gr[c] / sum_r : 0.0f;
  }
}

}  // namespace

std::unique_ptr<WavReader> WavReader::open(const std::uint8_t* data, std::size_t size, std::string* error) {
  if (data == nullptr || size < 12) {
    set_error(error, "not a WAV file: shorter than a RIFF header");
    return nullptr;
  }
  if (std::memcmp(data, "RF64", 4) == 0 || std::memcmp(data, "BW64", 4) == 0) {
    set_error(error, "RF64/BW64 WAV files are not supported");
    return nullptr;
  }
  if (std::memcmp(data, "RIFX", 4) == 0) {
    set_error(error, "big-endian (RIFX) WAV files are not supported");
    return nullptr;
  }
  if (std::memcmp(data, "RIFF", 4) != 0 || std::memcmp(data + 8, "WAVE", 4) != 0) {
    set_error(error, "not a WAV file: no RIFF/WAVE header");
    return nullptr;
  }

  const std::uint8_t* fmt = nullptr;
  std::size_t fmt_size = 0;
  const std::uint8_t* samples = nullptr;
  std::size_t samples_size = 0;
  std::size_t pos = 12;
  while (size - pos >= 8) {
    const std::uint8_t* chunk = data + pos;
    const std::size_t declared = le32(chunk + 4);
    const std::size_t body = pos + 8;
    const std::size_t available = std::min(declared, size - body);
    if (std::memcmp(chunk, "fmt ", 4) == 0 && fmt == nullptr) {
      if (available < declared) {
        set_error(error, "truncated fmt chunk");
        return nullptr;
      }
      fmt = data + body;
      fmt_size = declared;
    } else if (std::memcmp(chunk, "data", 4) == 0 && samples == nullptr) {
      samples = data + body;
      samples_size = available;  // a data chunk longer than the file: what is there
    }
    if (available < declared) break;
    const std::size_t next = body + declared + (declared & 1);
    if (next > size) break;
    pos = next;
  }
  if (fmt == nullptr) {
    set_error(error, "no fmt chunk");
    return nullptr;
  }
  if (fmt_size < 16) {
    set_error(error, "fmt chunk too short (" + std::to_string(fmt_size) + " bytes)");
    return nullptr;
  }
  std::uint16_t tag = le16(fmt);
  const int channels = le16(fmt + 2);
  const std::uint32_t rate = le32(fmt + 4);
  const int bits = le16(fmt + 14);
  std::uint32_t channel_mask = 0;
  if (tag == kTagExtensible) {
    if (fmt_size < 40 || le16(fmt + 16) < 22) {
      set_error(error, "WAVE_FORMAT_EXTENSIBLE fmt chunk too short");
      return nullptr;
    }
    channel_mask = le32(fmt + 20);
    if (std::memcmp(fmt + 26, kGuidTail, sizeof kGuidTail) != 0) {
      set_error(error, "unsupported WAVE_FORMAT_EXTENSIBLE subformat (unknown GUID)");
      return nullptr;
    }
    tag = le16(fmt + 24);
  }
  bool is_float = false;
  if (tag == kTagPcm) {
    if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
      set_error(error, "unsupported PCM sample size: " + std::to_string(bits) + " bits");
      return nullptr;
    }
  } else if (tag == kTagFloat) {
    if (bits != 32 && bits != 64) {
      set_error(error, "unsupported IEEE float sample size: " + std::to_string(bits) + " bits");
      return nullptr;
    }
    is_float = true;
  } else {
    set_error(error, "unsupported WAV encoding: format tag " + std::to_string(tag) + tag_name(tag) +
                         "; only PCM and IEEE float are supported");
    return nullptr;
  }
  if (channels < 1 || channels > kMaxChannels) {
    set_error(error, "unsupported channel count: " + std::to_string(channels) + " (1 to 8 supported)");
    return nullptr;
  }
  if (rate < 1 || rate > kMaxRate) {
    set_error(error, "unsupported sample rate: " + std::to_string(rate) + " Hz (1 to 384000 supported)");
    return nullptr;
  }
  if (samples == nullptr) {
    set_error(error, "no data chunk");
    return nullptr;
  }

  auto reader = std::unique_ptr<WavReader>(new WavReader());
  reader->bytes_per_frame_ = channels * (bits / 8);
  const std::size_t frames = samples_size / static_cast<std::size_t>(reader->bytes_per_frame_);
  reader->data_.assign(samples, samples + frames * static_cast<std::size_t>(reader->bytes_per_frame_));
  reader->info_.sample_rate = static_cast<int>(rate);
  reader->info_.channels = channels;
  reader->info_.bits_per_sample = bits;
  reader->info_.is_float = is_float;
  reader->info_.frames = static_cast<std::int64_t>(frames);
  reader->channel_mask_ = channel_mask;
  if (error != nullptr) error->clear();
  return reader;
}

long WavReader::read(float* const* out, int out_channels, std::size_t frames) {
  if (out == nullptr || (out_channels != 1 && out_channels != 2)) return -1;
  for (int ch = 0; ch < out_channels; ++ch) {
    if (out[ch] == nullptr) return -1;
  }
  const auto left = static_cast<std::size_t>(info_.frames - position_);
  const std::size_t n = std::min({frames, left, static_cast<std::size_t>(LONG_MAX)});
  const int channels = info_.channels;
  const std::uint8_t* p =
      data_.data() + static_cast<std::size_t>(position_) * static_cast<std::size_t>(bytes_per_frame_);
  float* l = out[0];
  float* r = out_channels == 2 ? out[1] : nullptr;
  // More than two channels: down-mixed to stereo by the channel layout (the extensible channel
  // mask, else the default Microsoft layout for the channel count).
  float gl[kMaxChannels] = {}, gr[kMaxChannels] = {};
  if (channels > 2) mixdown_gains(channel_mask_, channels, gl, gr);
  if (info_.is_float) {
    if (info_.bits_per_sample == 32) {
      convert<32, true>(p, n, channels, l, r, gl, gr);
    } else {
      convert<64, true>(p, n, channels, l, r, gl, gr);
    }
  } else {
    switch (info_.bits_per_sample) {
      case 8:
        convert<8, false>(p, n, channels, l, r, gl, gr);
        break;
      case 16:
        convert<16, false>(p, n, channels, l, r, gl, gr);
        break;
      case 24:
        convert<24, false>(p, n, channels, l, r, gl, gr);
        break;
      default:
        convert<32, false>(p, n, channels, l, r, gl, gr);
        break;
    }
  }
  position_ += static_cast<std::int64_t>(n);
  return static_cast<long>(n);
}

bool WavReader::seek(std::int64_t frame) {
  position_ = std::clamp<std::int64_t>(frame, 0, info_.frames);
  return true;
}

}  // namespace trtc::audio
