// Test-only Ogg Opus writer: encodes a generated tone with libopus and wraps the packets in Ogg
// pages (RFC 3533 framing, RFC 7845 headers) with its own bit-by-bit CRC, independent of the
// table-driven one in the decoder. Header-only; used by the tests and the benchmark.
#pragma once

#include <opus.h>
#include <opus_multistream.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace trtc::audio::testing {

/// Ogg's CRC-32 (polynomial 0x04c11db7, MSB first, initial 0, no final xor), one bit at a time.
inline std::uint32_t ogg_crc_bitwise(const std::uint8_t* p, std::size_t n) {
  std::uint32_t crc = 0;
  for (std::size_t i = 0; i < n; ++i) {
    crc ^= static_cast<std::uint32_t>(p[i]) << 24;
    for (int b = 0; b < 8; ++b) crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04c11db7u : crc << 1;
  }
  return crc;
}

inline void put_le(std::vector<std::uint8_t>& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

/// Writes one logical Ogg stream's pages into `sink` (several writers may share a sink to
/// multiplex or chain streams). Pages are cut on flush, at 255 segments, or when the body would
/// exceed `max_body` bytes (0: no limit); a packet cut that way continues on the next page.
class OggWriter {
 public:
  OggWriter(std::vector<std::uint8_t>* sink, std::uint32_t serial, std::size_t max_body = 0)
      : sink_(sink), serial_(serial), max_body_(max_body) {}

  void packet(const std::uint8_t* data, std::size_t size, std::int64_t granule, bool flush_after = false,
              bool eos = false) {
    const std::size_t segments = size / 255 + 1;
    std::size_t offset = 0;
    for (std::size_t s = 0; s < segments; ++s) {
      const std::size_t lace = s + 1 < segments ? 255 : size % 255;
      if (lacing_.size() == 255 || (max_body_ != 0 && !lacing_.empty() && body_.size() + lace > max_body_)) {
        emit(false, /*mid_packet=*/s > 0);
      }
      lacing_.push_back(static_cast<std::uint8_t>(lace));
      body_.insert(body_.end(), data + offset, data + offset + lace);
      offset += lace;
    }
    granule_ = granule;
    if (flush_after || eos) emit(eos, false);
  }
  void packet(const std::vector<std::uint8_t>& p, std::int64_t granule, bool flush_after = false, bool eos = false) {
    packet(p.data(), p.size(), granule, flush_after, eos);
  }
  void flush(bool eos = false) {
    if (!lacing_.empty() || eos) emit(eos, false);
  }
  /// Page sequence numbers to jump over (simulates lost pages).
  void skip_sequence(std::uint32_t n) { seq_ += n; }

 private:
  void emit(bool eos, bool mid_packet) {
    std::vector<std::uint8_t> page = {'O', 'g', 'g', 'S', 0};
    page.push_back(static_cast<std::uint8_t>((continued_ ? 1 : 0) | (first_ ? 2 : 0) | (eos ? 4 : 0)));
    put_le(page, static_cast<std::uint64_t>(granule_), 8);
    put_le(page, serial_, 4);
    put_le(page, seq_++, 4);
    put_le(page, 0, 4);
    page.push_back(static_cast<std::uint8_t>(lacing_.size()));
    page.insert(page.end(), lacing_.begin(), lacing_.end());
    page.insert(page.end(), body_.begin(), body_.end());
    const std::uint32_t crc = ogg_crc_bitwise(page.data(), page.size());
    for (int i = 0; i < 4; ++i) page[22 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    sink_->insert(sink_->end(), page.begin(), page.end());
    lacing_.clear();
    body_.clear();
    granule_ = -1;
    first_ = false;
    continued_ = mid_packet;
  }

  std::vector<std::uint8_t>* sink_;
  std::uint32_t serial_;
  std::size_t max_body_;
  std::uint32_t seq_ = 0;
  bool first_ = true;
  bool continued_ = false;
  std::int64_t granule_ = -1;
  std::vector<std::uint8_t> lacing_, body_;
};

struct OpusEncodeOptions {
  int channels = 1;  ///< 1–2 with family 0; up to 8 with family 1
  int family = 0;    ///< 0, or 1 (multistream surround encoder)
  double seconds = 2.0;
  double hz = 1000.0;
  float amplitude = 0.5f;
  int tone_channel = -1;  ///< the only channel carrying the tone (-1: all channels)
  int bitrate = 64000;
  bool vbr = true;       ///< false: CBR, every packet bitrate * frame / 8 / 48000 bytes
  int frame_size = 960;  ///< 20 ms
  int gain_q8 = 0;       ///< OpusHead output gain, Q7.8 dB
  std::string vendor = "trtc test writer";
};

struct EncodedOpus {
  std::vector<std::uint8_t> head, tags;
  std::vector<std::vector<std::uint8_t>> packets;
  std::vector<float> input;  ///< interleaved, `samples` frames
  int channels = 0;
  int pre_skip = 0;
  std::int64_t samples = 0;  ///< input frames (the file's length after trimming)
  int frame_size = 960;
};

/// Encodes a sine (zeros after the input, so the last packet is trimmed by the final granule).
inline EncodedOpus encode_opus(const OpusEncodeOptions& o) {
  constexpr double kPi = 3.14159265358979323846;
  EncodedOpus e;
  e.channels = o.channels;
  e.frame_size = o.frame_size;
  e.samples = static_cast<std::int64_t>(o.seconds * 48000.0);
  int err = 0, streams = 1, coupled = o.channels - 1;
  unsigned char mapping[8] = {0, 1, 0, 0, 0, 0, 0, 0};
  OpusMSEncoder* enc = nullptr;
  if (o.family == 0) {
    enc = opus_multistream_encoder_create(48000, o.channels, 1, o.channels - 1, mapping, OPUS_APPLICATION_AUDIO, &err);
  } else {
    enc = opus_multistream_surround_encoder_create(48000, o.channels, o.family, &streams, &coupled, mapping,
                                                   OPUS_APPLICATION_AUDIO, &err);
  }
  if (err != OPUS_OK || enc == nullptr) return e;
  opus_multistream_encoder_ctl(enc, OPUS_SET_BITRATE(o.bitrate));
  opus_multistream_encoder_ctl(enc, OPUS_SET_VBR(o.vbr ? 1 : 0));
  opus_int32 lookahead = 0;
  opus_multistream_encoder_ctl(enc, OPUS_GET_LOOKAHEAD(&lookahead));
  e.pre_skip = lookahead;

  // OpusHead (RFC 7845 §5.1) and OpusTags (§5.2).
  const char* magic = "OpusHead";
  e.head.assign(magic, magic + 8);
  e.head.push_back(1);
  e.head.push_back(static_cast<std::uint8_t>(o.channels));
  put_le(e.head, static_cast<std::uint64_t>(e.pre_skip), 2);
  put_le(e.head, 48000, 4);
  put_le(e.head, static_cast<std::uint16_t>(static_cast<std::int16_t>(o.gain_q8)), 2);
  e.head.push_back(static_cast<std::uint8_t>(o.family));
  if (o.family != 0) {
    e.head.push_back(static_cast<std::uint8_t>(streams));
    e.head.push_back(static_cast<std::uint8_t>(coupled));
    e.head.insert(e.head.end(), mapping, mapping + o.channels);
  }
  const char* tags = "OpusTags";
  e.tags.assign(tags, tags + 8);
  put_le(e.tags, o.vendor.size(), 4);
  e.tags.insert(e.tags.end(), o.vendor.begin(), o.vendor.end());
  put_le(e.tags, 1, 4);
  const std::string comment = "TITLE=tone";
  put_le(e.tags, comment.size(), 4);
  e.tags.insert(e.tags.end(), comment.begin(), comment.end());

  const auto channels = static_cast<std::size_t>(o.channels);
  e.input.assign(static_cast<std::size_t>(e.samples) * channels, 0.0f);
  for (std::int64_t i = 0; i < e.samples; ++i) {
    const float v = o.amplitude * static_cast<float>(std::sin(2.0 * kPi * o.hz * static_cast<double>(i) / 48000.0));
    for (std::size_t c = 0; c < channels; ++c) {
      if (o.tone_channel < 0 || static_cast<std::size_t>(o.tone_channel) == c) {
        e.input[static_cast<std::size_t>(i) * channels + c] = v;
      }
    }
  }
  const std::int64_t total = e.samples + e.pre_skip;
  std::vector<float> frame(static_cast<std::size_t>(o.frame_size) * channels);
  std::vector<unsigned char> packet(1275 * 3 * 8 + 64);
  for (std::int64_t start = 0; start < total; start += o.frame_size) {
    for (int i = 0; i < o.frame_size; ++i) {
      const std::int64_t s = start + i;
      for (std::size_t c = 0; c < channels; ++c) {
        frame[static_cast<std::size_t>(i) * channels + c] =
            s < e.samples ? e.input[static_cast<std::size_t>(s) * channels + c] : 0.0f;
      }
    }
    const int bytes = opus_multistream_encode_float(enc, frame.data(), o.frame_size, packet.data(),
                                                    static_cast<opus_int32>(packet.size()));
    if (bytes <= 0) break;
    e.packets.emplace_back(packet.begin(), packet.begin() + bytes);
  }
  opus_multistream_encoder_destroy(enc);
  return e;
}

struct OggLayout {
  std::uint32_t serial = 0x5452'5443;
  int packets_per_page = 10;        ///< audio packets per page (flushes)
  std::size_t max_body = 0;         ///< also cut pages by size (packets then span pages)
  bool trim_end = true;             ///< final granule = pre-skip + input samples
  std::int64_t granule_offset = 0;  ///< added to every audio granule (a stream starting later)
};

/// Writes `e` as a complete Ogg Opus stream appended to `sink`.
inline void write_ogg_opus(const EncodedOpus& e, const OggLayout& layout, std::vector<std::uint8_t>* sink) {
  OggWriter w(sink, layout.serial, layout.max_body);
  w.packet(e.head, 0, true);
  w.packet(e.tags, 0, true);
  std::int64_t granule = 0;
  const std::int64_t final_granule = e.pre_skip + e.samples;
  for (std::size_t i = 0; i < e.packets.size(); ++i) {
    granule += e.frame_size;
    const bool last = i + 1 == e.packets.size();
    const std::int64_t g = (last && layout.trim_end) ? final_granule : granule;
    const bool flush = layout.packets_per_page > 0 && (i + 1) % static_cast<std::size_t>(layout.packets_per_page) == 0;
    w.packet(e.packets[i], g + layout.granule_offset, flush, last);
  }
}

inline std::vector<std::uint8_t> write_ogg_opus(const EncodedOpus& e, const OggLayout& layout = {}) {
  std::vector<std::uint8_t> out;
  write_ogg_opus(e, layout, &out);
  return out;
}

/// Positions of every page ("OggS" followed by version 0) in a file the writer produced.
inline std::vector<std::size_t> page_offsets(const std::vector<std::uint8_t>& file) {
  std::vector<std::size_t> out;
  std::size_t pos = 0;
  while (pos + 27 <= file.size() && std::memcmp(file.data() + pos, "OggS", 4) == 0) {
    out.push_back(pos);
    std::size_t size = 27 + file[pos + 26];
    for (std::size_t i = 0; i < file[pos + 26]; ++i) size += file[pos + 27 + i];
    pos += size;
  }
  return out;
}

}  // namespace trtc::audio::testing
