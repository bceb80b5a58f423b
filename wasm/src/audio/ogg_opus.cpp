// Ogg Opus file decoder: our own Ogg page reader (RFC 3533) and Opus mapping (RFC 7845), libopus
// for the packets.
//
// Open scans the whole file once: every page is framed and its CRC checked (bad pages are skipped
// by searching for the next capture pattern), the first Opus logical stream is selected, its
// headers are parsed, and a packet pass (TOC bytes only, no decoding) builds the timeline: for each
// page the stream sample at which the first packet beginning on that page starts. Reading decodes
// packet by packet; pre-skip, seek pre-roll and end trimming are all "discard output before/after
// a timeline position", so they share one code path and stay sample-exact.
#include "trtc/audio/ogg_opus.h"

#include <opus.h>
#include <opus_multistream.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <limits>

namespace trtc::audio {

const char* to_string(OggOpusStatus status) {
  switch (status) {
    case OggOpusStatus::kOk:
      return "ok";
    case OggOpusStatus::kNotOgg:
      return "not an Ogg file (no \"OggS\" capture pattern at the start)";
    case OggOpusStatus::kNotOpus:
      return "the Ogg file has no Opus stream (the first packet is not an OpusHead)";
    case OggOpusStatus::kBadHeader:
      return "malformed or unsupported OpusHead/OpusTags header";
    case OggOpusStatus::kUnsupported:
      return "unsupported Opus channel mapping (only families 0 and 1, up to 8 channels)";
    case OggOpusStatus::kCorrupt:
      return "corrupt Ogg data before the audio (bad page CRC, truncated page or broken lacing)";
    case OggOpusStatus::kDecoderError:
      return "the Opus decoder refused the stream configuration";
  }
  return "unknown Ogg Opus status";
}

namespace {

constexpr int kRate = 48000;
constexpr int kMaxPacketSamples = 5760;  // 120 ms, the longest Opus packet
constexpr int kPlcQuantum = 120;         // 2.5 ms: concealment comes in multiples of this
// Seek pre-roll. RFC 7845 §4.6 asks for at least 80 ms; measured with libopus 1.3.1 on tones the
// decoder after a reset still differs from a linear decode by up to 0.15 (of 0.5) after 80 ms,
// about 1e-2 after 160 ms, 1e-3 after 240 ms and 3e-6 after 400 ms (the error falls ~10x per
// 80 ms), so seeks decode 400 ms before the target: 20 packets of 20 ms, well under a millisecond.
constexpr std::int64_t kPreRoll = 19200;
constexpr std::int64_t kMaxGranule = std::int64_t{1} << 62;
constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

constexpr std::uint8_t kFlagContinued = 0x01;
constexpr std::uint8_t kFlagBos = 0x02;
constexpr std::uint8_t kFlagEos = 0x04;

// --- Ogg CRC-32: polynomial 0x04c11db7, MSB first, initial value 0, no final xor (RFC 3533 §6). ---
constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t r = i << 24;
    for (int b = 0; b < 8; ++b) r = (r & 0x80000000u) ? (r << 1) ^ 0x04c11db7u : r << 1;
    table[i] = r;
  }
  return table;
}
constexpr std::array<std::uint32_t, 256> kCrcTable = make_crc_table();

std::uint32_t crc_update(std::uint32_t crc, const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) crc = (crc << 8) ^ kCrcTable[((crc >> 24) ^ p[i]) & 0xffu];
  return crc;
}

std::uint16_t le16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint32_t le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint64_t le64(const std::uint8_t* p) {
  return static_cast<std::uint64_t>(le32(p)) | (static_cast<std::uint64_t>(le32(p + 4)) << 32);
}

struct Page {
  std::size_t offset = 0;  // of the capture pattern
  std::size_t body = 0;    // of the first body byte
  std::size_t end = 0;     // one past the last body byte
  std::uint32_t serial = 0;
  std::uint32_t seq = 0;
  std::int64_t granule = -1;  // -1: no packet ends on this page (or an invalid value)
  std::uint8_t flags = 0;
  std::uint8_t segments = 0;
  bool discontinuity = false;  // pages of this stream are missing right before this one
  std::int64_t start_t = -1;   // stream sample where the first packet beginning here starts
};

enum class PageParse { kOk, kTruncated, kInvalid };

PageParse parse_page(const std::uint8_t* d, std::size_t size, std::size_t pos, Page* pg) {
  if (size - pos < 27) return PageParse::kTruncated;
  const std::uint8_t* h = d + pos;
  if (std::memcmp(h, "OggS", 4) != 0 || h[4] != 0) return PageParse::kInvalid;
  const std::size_t segments = h[26];
  if (size - pos < 27 + segments) return PageParse::kTruncated;
  std::size_t body_size = 0;
  for (std::size_t i = 0; i < segments; ++i) body_size += h[27 + i];
  const std::size_t header_size = 27 + segments;
  if (size - pos - header_size < body_size) return PageParse::kTruncated;
  static constexpr std::uint8_t kZero[4] = {0, 0, 0, 0};
  std::uint32_t crc = crc_update(0, h, 22);
  crc = crc_update(crc, kZero, 4);
  crc = crc_update(crc, h + 26, header_size - 26 + body_size);
  if (crc != le32(h + 22)) return PageParse::kInvalid;
  pg->offset = pos;
  pg->body = pos + header_size;
  pg->end = pg->body + body_size;
  pg->flags = h[5];
  const auto granule = static_cast<std::int64_t>(le64(h + 6));
  pg->granule = (granule >= 0 && granule < kMaxGranule) ? granule : -1;
  pg->serial = le32(h + 14);
  pg->seq = le32(h + 18);
  pg->segments = static_cast<std::uint8_t>(segments);
  return PageParse::kOk;
}

std::size_t find_capture(const std::uint8_t* d, std::size_t size, std::size_t from) {
  while (from + 4 <= size) {
    const void* hit = std::memchr(d + from, 'O', size - from - 3);
    if (hit == nullptr) return size;
    const auto at = static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - d);
    if (std::memcmp(d + at, "OggS", 4) == 0) return at;
    from = at + 1;
  }
  return size;
}

const std::uint8_t* lacing(const std::uint8_t* d, const Page& pg) { return d + pg.offset + 27; }

// Duration in samples at 48 kHz of an Opus packet (the first stream's TOC for multistream packets,
// all streams share it); 0 for an invalid packet.
int packet_duration(const std::uint8_t* p, std::size_t n) {
  if (n == 0 || n > static_cast<std::size_t>(INT_MAX)) return 0;
  const int samples = opus_packet_get_nb_samples(p, static_cast<opus_int32>(n), kRate);
  return (samples > 0 && samples <= kMaxPacketSamples) ? samples : 0;
}

struct PacketRef {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
  std::size_t begin_page = 0;  // index (into the stream's pages) where the packet starts
};

// Reassembles packets from the stream's pages. Packets continued across a missing page, or the
// tail of a packet whose beginning was not read (after a seek), are dropped.
class PacketReader {
 public:
  PacketReader(const std::vector<std::uint8_t>* data, const std::vector<Page>* pages) : data_(data), pages_(pages) {}

  void start_at(std::size_t page) {
    page_ = page;
    seg_ = 0;
    entered_ = false;
    in_packet_ = false;
    spanning_ = false;
    discard_ = false;
    partial_.clear();
  }

  std::size_t page() const { return page_; }
  // True when the last packet returned ended its page (no further segments on it).
  bool at_page_end() const { return page_ < pages_->size() && seg_ == (*pages_)[page_].segments; }
  // True when no further packet ends on the page of the last packet returned.
  bool last_on_page() const {
    if (page_ >= pages_->size()) return false;
    const Page& pg = (*pages_)[page_];
    const std::uint8_t* lace = lacing(data_->data(), pg);
    for (int s = seg_; s < pg.segments; ++s) {
      if (lace[s] != 255) return false;
    }
    return true;
  }

  bool next(PacketRef* out) {
    const std::uint8_t* d = data_->data();
    while (page_ < pages_->size()) {
      const Page& pg = (*pages_)[page_];
      if (!entered_) {
        entered_ = true;
        pos_ = pg.body;
        const bool continued = (pg.flags & kFlagContinued) != 0;
        if (in_packet_ && (!continued || pg.discontinuity)) {
          in_packet_ = false;  // the rest of the pending packet is lost
          spanning_ = false;
          partial_.clear();
        }
        if (continued && !in_packet_) {
          in_packet_ = true;  // the tail of a packet whose start we do not have: skip it
          discard_ = true;
        }
        seg_start_ = pos_;
      }
      const std::uint8_t* lace = lacing(d, pg);
      while (seg_ < pg.segments) {
        const std::uint8_t v = lace[seg_++];
        if (!in_packet_) {
          in_packet_ = true;
          discard_ = false;
          spanning_ = false;
          partial_.clear();
          begin_page_ = page_;
          seg_start_ = pos_;
        }
        pos_ += v;
        if (v == 255) continue;
        in_packet_ = false;
        if (discard_) {
          discard_ = false;
          continue;
        }
        out->begin_page = begin_page_;
        if (spanning_) {
          partial_.insert(partial_.end(), d + seg_start_, d + pos_);
          spanning_ = false;
          out->data = partial_.data();
          out->size = partial_.size();
        } else {
          out->data = d + seg_start_;
          out->size = pos_ - seg_start_;
        }
        return true;
      }
      if (in_packet_ && !discard_) {
        partial_.insert(partial_.end(), d + seg_start_, d + pos_);
        spanning_ = true;
      }
      ++page_;
      seg_ = 0;
      entered_ = false;
    }
    return false;
  }

 private:
  const std::vector<std::uint8_t>* data_;
  const std::vector<Page>* pages_;
  std::size_t page_ = 0;
  int seg_ = 0;
  bool entered_ = false;
  std::size_t pos_ = 0;
  std::size_t seg_start_ = 0;
  bool in_packet_ = false;
  bool spanning_ = false;
  bool discard_ = false;
  std::size_t begin_page_ = 0;
  std::vector<std::uint8_t> partial_;
};

struct Head {
  int channels = 0;
  int pre_skip = 0;
  std::uint32_t input_rate = 0;
  int gain_q8 = 0;
  int family = 0;
  int streams = 1;
  int coupled = 0;
  unsigned char mapping[255] = {};
};

OggOpusStatus parse_head(const std::uint8_t* p, std::size_t n, Head* h) {
  if (n < 8 || std::memcmp(p, "OpusHead", 8) != 0) return OggOpusStatus::kNotOpus;
  if (n < 19) return OggOpusStatus::kBadHeader;
  if ((p[8] >> 4) != 0) return OggOpusStatus::kBadHeader;  // incompatible major version
  h->channels = p[9];
  h->pre_skip = le16(p + 10);
  h->input_rate = le32(p + 12);
  h->gain_q8 = static_cast<std::int16_t>(le16(p + 16));
  h->family = p[18];
  if (h->channels == 0) return OggOpusStatus::kBadHeader;
  if (h->family == 0) {
    if (h->channels > 2) return OggOpusStatus::kBadHeader;
    h->streams = 1;
    h->coupled = h->channels - 1;
    h->mapping[0] = 0;
    h->mapping[1] = 1;
    return OggOpusStatus::kOk;
  }
  if (h->family != 1) return OggOpusStatus::kUnsupported;
  if (h->channels > 8) return OggOpusStatus::kUnsupported;
  if (n < 21 + static_cast<std::size_t>(h->channels)) return OggOpusStatus::kBadHeader;
  h->streams = p[19];
  h->coupled = p[20];
  if (h->streams == 0) return OggOpusStatus::kBadHeader;
  // The stream counts and the mapping table are checked by libopus (kDecoderError when refused).
  std::memcpy(h->mapping, p + 21, static_cast<std::size_t>(h->channels));
  return OggOpusStatus::kOk;
}

bool parse_tags(const std::uint8_t* p, std::size_t n, std::string* vendor) {
  if (n < 16 || std::memcmp(p, "OpusTags", 8) != 0) return false;
  const std::size_t vendor_len = le32(p + 8);
  if (vendor_len > n - 16) return false;
  vendor->assign(reinterpret_cast<const char*>(p + 12), vendor_len);
  std::size_t pos = 12 + vendor_len;
  const std::uint32_t count = le32(p + pos);
  pos += 4;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (n - pos < 4) return false;
    const std::size_t len = le32(p + pos);
    pos += 4;
    if (len > n - pos) return false;
    pos += len;
  }
  return true;
}

// Down-mix of Vorbis-order channels (RFC 7845 §5.1.1.2) to stereo: front left/right at 1, centre
// at -3 dB to both sides, surround/rear at -3 dB to their side, rear centre at -6 dB to both, LFE
// dropped; each output row is normalised to a gain sum of 1 so the mix cannot clip.
void make_downmix(int channels, float* left, float* right) {
  constexpr float kC = 0.70710678f;
  // Speaker kinds: 0 front left, 1 front right, 2 centre, 3 side/rear left, 4 side/rear right,
  // 5 rear centre, 6 LFE.
  static constexpr int kLayouts[9][8] = {{},
                                         {2},
                                         {0, 1},
                                         {0, 2, 1},
                                         {0, 1, 3, 4},
                                         {0, 2, 1, 3, 4},
                                         {0, 2, 1, 3, 4, 6},
                                         {0, 2, 1, 3, 4, 5, 6},
                                         {0, 2, 1, 3, 4, 3, 4, 6}};
  static constexpr float kLeft[7] = {1.0f, 0.0f, kC, kC, 0.0f, 0.5f, 0.0f};
  static constexpr float kRight[7] = {0.0f, 1.0f, kC, 0.0f, kC, 0.5f, 0.0f};
  float sum_l = 0.0f, sum_r = 0.0f;
  for (int c = 0; c < channels; ++c) {
    left[c] = kLeft[kLayouts[channels][c]];
    right[c] = kRight[kLayouts[channels][c]];
    sum_l += left[c];
    sum_r += right[c];
  }
  for (int c = 0; c < channels; ++c) {
    left[c] /= sum_l;
    right[c] /= sum_r;
  }
}

// libopus behind one interface: the plain decoder for mapping family 0 (mono/stereo), the
// multistream one for family 1. (Besides being simpler, the plain decoder avoids a cost of the
// multistream one: every opus_multistream_decode call sizes its sub-decoders, which in libopus
// builds with custom modes, such as Debian's, runs CPU detection (cpuid, slow in virtual
// machines) twice per packet; measured here it tripled the native decode time.)
class Codec {
 public:
  ~Codec() {
    if (single_ != nullptr) opus_decoder_destroy(single_);
    if (multi_ != nullptr) opus_multistream_decoder_destroy(multi_);
  }
  int create(const Head& h) {
    int err = OPUS_OK;
    if (h.family == 0) {
      single_ = opus_decoder_create(kRate, h.channels, &err);
      if (err == OPUS_OK) err = opus_decoder_ctl(single_, OPUS_SET_GAIN(h.gain_q8));
    } else {
      multi_ = opus_multistream_decoder_create(kRate, h.channels, h.streams, h.coupled, h.mapping, &err);
      if (err == OPUS_OK) err = opus_multistream_decoder_ctl(multi_, OPUS_SET_GAIN(h.gain_q8));
    }
    return err;
  }
  // A packet, or concealment when `data` is null. Samples per channel, or a negative error.
  int decode(const std::uint8_t* data, std::size_t size, float* pcm, int frame_size) {
    const auto len = static_cast<opus_int32>(data == nullptr ? 0 : size);
    if (single_ != nullptr) return opus_decode_float(single_, data, len, pcm, frame_size, 0);
    return opus_multistream_decode_float(multi_, data, len, pcm, frame_size, 0);
  }
  void reset() {
    if (single_ != nullptr) opus_decoder_ctl(single_, OPUS_RESET_STATE);
    if (multi_ != nullptr) opus_multistream_decoder_ctl(multi_, OPUS_RESET_STATE);
  }

 private:
  OpusDecoder* single_ = nullptr;
  OpusMSDecoder* multi_ = nullptr;
};

}  // namespace

struct OggOpusDecoder::Impl {
  std::vector<std::uint8_t> data;
  std::vector<Page> pages;  // the selected logical stream only, headers included
  std::size_t audio_first = 0;
  std::vector<std::pair<std::int64_t, std::size_t>> seek_points;  // (start_t, page), ascending
  Codec codec;
  int channels = 0;
  std::int64_t pre_skip = 0;
  std::int64_t end_t = 0;  // stream sample where output ends (pre-skip + length)
  float mix_l[8] = {}, mix_r[8] = {};

  PacketReader reader{&data, &pages};
  std::vector<float> pcm;        // interleaved, one packet
  std::int64_t pcm_t = 0;        // stream sample of pcm[0]
  std::int64_t pcm_n = 0;        // samples in pcm
  std::int64_t dec_t = 0;        // stream sample the decoder produces next
  std::int64_t out_t = 0;        // stream sample read() returns next
  std::int64_t plc_pending = 0;  // concealment to produce before the held packet
  bool have_held = false;
  PacketRef held;
  std::size_t last_begin = kNone;

  void restart(std::size_t page, std::int64_t start_t, std::int64_t target) {
    reader.start_at(page);
    dec_t = start_t;
    out_t = target;
    pcm_t = start_t;
    pcm_n = 0;
    plc_pending = 0;
    have_held = false;
    last_begin = kNone;
  }

  // Decodes the next block into pcm. False at the end of the stream.
  bool refill(std::uint64_t* errors) {
    if (!have_held) {
      if (!reader.next(&held)) return false;
      have_held = true;
      if (held.begin_page != last_begin) {
        last_begin = held.begin_page;
        const std::int64_t start = pages[held.begin_page].start_t;
        if (start > dec_t) plc_pending = start - dec_t;  // pages were lost: conceal the gap
        if (start >= 0 && start < dec_t) dec_t = start;
      }
    }
    float* out = pcm.data();
    if (plc_pending > 0) {
      int n = static_cast<int>(std::min<std::int64_t>(plc_pending, kMaxPacketSamples));
      if (n >= kPlcQuantum) {
        n -= n % kPlcQuantum;
        if (codec.decode(nullptr, 0, out, n) != n) {
          std::fill(out, out + static_cast<std::size_t>(n) * channels, 0.0f);
        }
      } else {
        std::fill(out, out + static_cast<std::size_t>(n) * channels, 0.0f);
      }
      pcm_t = dec_t;
      pcm_n = n;
      dec_t += n;
      plc_pending -= n;
      return true;
    }
    have_held = false;
    const int duration = packet_duration(held.data, held.size);
    pcm_t = dec_t;
    pcm_n = duration;
    if (duration == 0) {
      ++*errors;
      return true;
    }
    if (dec_t + duration <= out_t - kPreRoll) {
      // After a seek, packets ending more than the pre-roll before the target are not decoded:
      // the decoder starts (reset) at a packet boundary inside the seek page.
      pcm_n = 0;
      dec_t += duration;
      return true;
    }
    int got = codec.decode(held.data, held.size, out, kMaxPacketSamples);
    if (got < 0) {
      ++*errors;
      got = codec.decode(nullptr, 0, out, duration);
      if (got < 0) got = 0;
    }
    if (got < duration) {
      std::fill(out + static_cast<std::size_t>(got) * channels, out + static_cast<std::size_t>(duration) * channels,
                0.0f);
    }
    dec_t += duration;
    return true;
  }

  void mix(const float* src, std::size_t n, float* const* out, int out_channels, std::size_t at) const {
    float* l = out[0] + at;
    if (channels == 1) {
      std::memcpy(l, src, n * sizeof(float));
      if (out_channels == 2) std::memcpy(out[1] + at, src, n * sizeof(float));
      return;
    }
    if (channels == 2) {
      if (out_channels == 2) {
        float* r = out[1] + at;
        for (std::size_t i = 0; i < n; ++i) {
          l[i] = src[2 * i];
          r[i] = src[2 * i + 1];
        }
      } else {
        for (std::size_t i = 0; i < n; ++i) l[i] = 0.5f * (src[2 * i] + src[2 * i + 1]);
      }
      return;
    }
    const std::size_t c = static_cast<std::size_t>(channels);
    for (std::size_t i = 0; i < n; ++i) {
      const float* s = src + i * c;
      float a = 0.0f, b = 0.0f;
      for (std::size_t k = 0; k < c; ++k) {
        a += mix_l[k] * s[k];
        b += mix_r[k] * s[k];
      }
      if (out_channels == 2) {
        l[i] = a;
        out[1][at + i] = b;
      } else {
        l[i] = 0.5f * (a + b);
      }
    }
  }

  std::size_t read(float* const* out, int out_channels, std::size_t frames, std::uint64_t* errors) {
    std::size_t done = 0;
    while (done < frames && out_t < end_t) {
      if (pcm_t + pcm_n <= out_t) {
        if (!refill(errors)) {
          end_t = out_t;  // the stream ended early (cannot happen with a consistent index)
          break;
        }
        continue;
      }
      std::size_t n = std::min<std::size_t>(frames - done, static_cast<std::size_t>(end_t - out_t));
      if (pcm_t > out_t) {  // defensive: never leave a hole in the output
        n = std::min<std::size_t>(n, static_cast<std::size_t>(pcm_t - out_t));
        for (int ch = 0; ch < out_channels; ++ch) std::fill(out[ch] + done, out[ch] + done + n, 0.0f);
      } else {
        const auto from = static_cast<std::size_t>(out_t - pcm_t);
        n = std::min<std::size_t>(n, static_cast<std::size_t>(pcm_n) - from);
        mix(pcm.data() + from * static_cast<std::size_t>(channels), n, out, out_channels, done);
      }
      done += n;
      out_t += static_cast<std::int64_t>(n);
    }
    return done;
  }
};

std::unique_ptr<OggOpusDecoder> OggOpusDecoder::open(const std::uint8_t* data, std::size_t size,
                                                     OggOpusStatus* status) {
  OggOpusStatus dummy;
  if (status == nullptr) status = &dummy;
  *status = OggOpusStatus::kNotOgg;
  if (data == nullptr || size < 4 || std::memcmp(data, "OggS", 4) != 0) return nullptr;

  auto impl = std::make_unique<Impl>();
  impl->data.assign(data, data + size);
  const std::uint8_t* d = impl->data.data();

  // 1. Frame every page; skip invalid ones by searching for the next capture pattern.
  std::vector<Page> all;
  std::size_t pos = 0;
  while (pos < size) {
    Page pg;
    if (parse_page(d, size, pos, &pg) == PageParse::kOk) {
      all.push_back(pg);
      pos = pg.end;
    } else {
      pos = find_capture(d, size, pos + 1);
    }
  }
  if (all.empty() || all[0].offset != 0) {
    *status = OggOpusStatus::kCorrupt;
    return nullptr;
  }

  // 2. The first Opus stream among the beginning-of-stream pages.
  auto is_opus_head = [&](const Page& pg) {
    return pg.end - pg.body >= 8 && std::memcmp(d + pg.body, "OpusHead", 8) == 0;
  };
  std::size_t first = kNone;
  for (std::size_t i = 0; i < all.size() && (i == 0 || (all[i].flags & kFlagBos)); ++i) {
    if (is_opus_head(all[i])) {
      first = i;
      break;
    }
  }
  if (first == kNone) {
    *status = OggOpusStatus::kNotOpus;
    return nullptr;
  }
  const std::uint32_t serial = all[first].serial;
  for (std::size_t i = first; i < all.size(); ++i) {
    Page& pg = all[i];
    if (pg.serial != serial) continue;
    if (i != first && (pg.flags & kFlagBos)) break;  // a chained stream reusing the serial number
    // A gap in the page sequence numbers: pages of this stream were lost (bad CRC, damage).
    if (!impl->pages.empty()) pg.discontinuity = pg.seq != impl->pages.back().seq + 1;
    impl->pages.push_back(pg);
    if (pg.flags & kFlagEos) break;
  }
  std::vector<Page>& pages = impl->pages;

  // 3. Headers: OpusHead alone on the first page, OpusTags ending its page.
  PacketReader hr(&impl->data, &pages);
  hr.start_at(0);
  PacketRef pkt;
  if (!hr.next(&pkt)) {
    *status = OggOpusStatus::kCorrupt;
    return nullptr;
  }
  Head head;
  *status = parse_head(pkt.data, pkt.size, &head);
  if (*status != OggOpusStatus::kOk) return nullptr;
  if (pkt.begin_page != 0 || hr.page() != 0 || !hr.at_page_end()) {
    *status = OggOpusStatus::kBadHeader;
    return nullptr;
  }
  if (!hr.next(&pkt)) {
    *status = OggOpusStatus::kCorrupt;
    return nullptr;
  }
  for (std::size_t i = 1; i <= hr.page(); ++i) {
    if (pages[i].discontinuity) {
      *status = OggOpusStatus::kCorrupt;
      return nullptr;
    }
  }
  OggOpusInfo info;
  if (!parse_tags(pkt.data, pkt.size, &info.vendor) || !hr.at_page_end()) {
    *status = OggOpusStatus::kBadHeader;
    return nullptr;
  }
  impl->audio_first = hr.page() + 1;
  info.channels = head.channels;
  info.pre_skip = head.pre_skip;
  info.input_sample_rate = head.input_rate;
  info.output_gain_db = static_cast<float>(head.gain_q8) / 256.0f;
  info.mapping_family = head.family;

  // 4. The decoder. The header's output gain is applied by libopus (OPUS_SET_GAIN), only there.
  if (impl->codec.create(head) != OPUS_OK) {
    *status = OggOpusStatus::kDecoderError;
    return nullptr;
  }
  impl->channels = head.channels;
  impl->pre_skip = head.pre_skip;
  impl->pcm.assign(static_cast<std::size_t>(kMaxPacketSamples) * static_cast<std::size_t>(head.channels), 0.0f);
  if (head.channels > 2) make_downmix(head.channels, impl->mix_l, impl->mix_r);

  // 5. Timeline: a packet pass over the audio pages (TOC bytes only).
  auto decoder = std::unique_ptr<OggOpusDecoder>(new OggOpusDecoder());
  std::int64_t t = 0, g0 = 0, final_granule = -1;
  bool g0_known = false;
  std::size_t last_begin = kNone;
  // The longest duration between consecutive intact pages (at least 1 s, at most what a page can
  // hold): the most a lost page is assumed to have carried when a gap is concealed.
  std::int64_t page_allowance = kRate;
  std::int64_t prev_granule = -1;
  for (std::size_t i = impl->audio_first; i < pages.size(); ++i) {
    if (pages[i].discontinuity) {
      ++decoder->decode_errors_;  // lost or damaged pages count as decode errors
      prev_granule = -1;
    }
    if (pages[i].granule >= 0) {
      if (prev_granule >= 0 && pages[i].granule > prev_granule) {
        page_allowance =
            std::max(page_allowance, std::min<std::int64_t>(pages[i].granule - prev_granule, 255 * kMaxPacketSamples));
      }
      prev_granule = pages[i].granule;
      final_granule = pages[i].granule;
    }
  }
  PacketReader fr(&impl->data, &pages);
  fr.start_at(impl->audio_first);
  while (fr.next(&pkt)) {
    if (pkt.begin_page != last_begin) {
      last_begin = pkt.begin_page;
      Page& b = pages[pkt.begin_page];
      if (b.discontinuity && g0_known && b.granule >= 0) {
        // Lost pages before b: place b's packets by its granule position (the end of the last
        // packet completing on b), so the gap is concealed and later positions stay right.
        const std::uint8_t* lace = lacing(d, b);
        std::size_t p = b.body, start = b.body;
        int k = 0;
        bool skipping = (b.flags & kFlagContinued) != 0;
        std::int64_t sum = 0, complete = 0;
        for (; k < b.segments; ++k) {
          p += lace[k];
          if (lace[k] == 255) continue;
          if (!skipping) {
            sum += packet_duration(d + start, p - start);
            ++complete;
          }
          skipping = false;
          start = p;
        }
        if (complete > 0) {
          const std::int64_t anchor = b.granule - g0 - sum;
          // At most the allowance per missing page, for at most 64 pages: a damaged granule
          // position or sequence number cannot add hours of silence.
          const std::uint32_t missing = b.seq - pages[pkt.begin_page - 1].seq - 1;
          const std::int64_t cap = std::int64_t{std::min<std::uint32_t>(missing, 64)} * page_allowance;
          if (anchor > t) t += std::min(anchor - t, cap);
        }
      }
      b.start_t = t;
      impl->seek_points.emplace_back(t, pkt.begin_page);
    }
    t += packet_duration(pkt.data, pkt.size);
    const Page& e = pages[fr.page()];
    if (!g0_known && e.granule >= 0 && fr.last_on_page()) {
      // The first page where a packet ends: its granule position fixes the stream's start.
      g0 = std::max<std::int64_t>(0, e.granule - t);
      g0_known = true;
    }
  }
  std::int64_t end_t = t;
  if (final_granule >= 0) end_t = std::min(end_t, std::max<std::int64_t>(0, final_granule - g0));
  impl->end_t = std::max(end_t, impl->pre_skip);

  decoder->info_ = std::move(info);
  decoder->length_ = impl->end_t - impl->pre_skip;
  decoder->impl_ = std::move(impl);
  decoder->impl_->restart(decoder->impl_->audio_first, 0, decoder->impl_->pre_skip);
  decoder->position_ = 0;
  *status = OggOpusStatus::kOk;
  return decoder;
}

OggOpusDecoder::~OggOpusDecoder() = default;

long OggOpusDecoder::read(float* const* out, int out_channels, std::size_t frames) {
  if (out == nullptr || (out_channels != 1 && out_channels != 2)) return -1;
  for (int ch = 0; ch < out_channels; ++ch) {
    if (out[ch] == nullptr) return -1;
  }
  frames = std::min<std::size_t>(frames, static_cast<std::size_t>(LONG_MAX));
  const std::size_t done = impl_->read(out, out_channels, frames, &decode_errors_);
  position_ = impl_->out_t - impl_->pre_skip;
  return static_cast<long>(done);
}

bool OggOpusDecoder::seek(std::int64_t frame) {
  Impl& im = *impl_;
  frame = std::clamp<std::int64_t>(frame, 0, length_);
  const std::int64_t target = frame + im.pre_skip;
  const std::int64_t preroll = std::max<std::int64_t>(0, target - kPreRoll);
  // The last page whose first new packet starts at or before the pre-roll point.
  auto it =
      std::upper_bound(im.seek_points.begin(), im.seek_points.end(), preroll,
                       [](std::int64_t v, const std::pair<std::int64_t, std::size_t>& sp) { return v < sp.first; });
  std::size_t page = im.audio_first;
  std::int64_t start = 0;
  if (it != im.seek_points.begin()) {
    --it;
    page = it->second;
    start = it->first;
  }
  im.codec.reset();
  im.restart(page, start, target);
  position_ = frame;
  return true;
}

}  // namespace trtc::audio
