// Ogg Opus decoding (our Ogg reader + libopus): files are generated here by encoding a tone with
// libopus and framing it with the test writer (tests/support/ogg_opus_writer.h).
#include "trtc/audio/ogg_opus.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "../support/ogg_opus_writer.h"
#include "../support/signals.h"

namespace trtc::audio {
namespace {

using testing::rms;
using testing::tone_amplitude;

using testing::encode_opus;
using testing::EncodedOpus;
using testing::OggLayout;
using testing::OggWriter;
using testing::OpusEncodeOptions;
using testing::page_offsets;
using testing::write_ogg_opus;

constexpr double kPi = 3.14159265358979323846;
using Planar = std::vector<std::vector<float>>;

const EncodedOpus& mono_tone() {
  static const EncodedOpus e = encode_opus({});
  return e;
}

const EncodedOpus& stereo_tone() {
  static const EncodedOpus e = [] {
    OpusEncodeOptions o;
    o.channels = 2;
    return encode_opus(o);
  }();
  return e;
}

std::unique_ptr<OggOpusDecoder> open_ok(const std::vector<std::uint8_t>& file) {
  OggOpusStatus status = OggOpusStatus::kDecoderError;
  auto d = OggOpusDecoder::open(file.data(), file.size(), &status);
  EXPECT_EQ(status, OggOpusStatus::kOk) << to_string(status);
  EXPECT_NE(d, nullptr);
  return d;
}

OggOpusStatus open_status(const std::vector<std::uint8_t>& file) {
  OggOpusStatus status = OggOpusStatus::kOk;
  auto d = OggOpusDecoder::open(file.data(), file.size(), &status);
  EXPECT_EQ(d == nullptr, status != OggOpusStatus::kOk);
  return status;
}

// Reads to the end in blocks of the given sizes (cycled).
Planar decode_all(OggOpusDecoder& d, int out_channels, std::vector<std::size_t> blocks = {4096}) {
  Planar out(static_cast<std::size_t>(out_channels));
  const std::size_t largest = *std::max_element(blocks.begin(), blocks.end());
  std::vector<float> a(largest), b(largest);
  float* ptrs[2] = {a.data(), b.data()};
  for (std::size_t i = 0;; ++i) {
    const std::size_t want = blocks[i % blocks.size()];
    const long n = d.read(ptrs, out_channels, want);
    EXPECT_GE(n, 0);
    if (n <= 0) break;
    for (int c = 0; c < out_channels; ++c) {
      out[static_cast<std::size_t>(c)].insert(out[static_cast<std::size_t>(c)].end(), ptrs[c], ptrs[c] + n);
    }
    if (static_cast<std::size_t>(n) < want) {
      EXPECT_EQ(d.read(ptrs, out_channels, want), 0);  // fewer than asked only at the end
      break;
    }
  }
  return out;
}

// Amplitude of the `hz` component over x[0, n) (a single-bin DFT; n should span whole periods).

double max_abs_diff(const float* a, const float* b, std::size_t n) {
  double m = 0;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, static_cast<double>(std::fabs(a[i] - b[i])));
  return m;
}

std::vector<std::uint8_t> with_head_byte(const EncodedOpus& e, std::size_t index, std::uint8_t value,
                                         std::size_t head_size = 0) {
  EncodedOpus copy = e;
  if (head_size != 0) copy.head.resize(head_size);
  if (index < copy.head.size()) copy.head[index] = value;
  return write_ogg_opus(copy);
}

TEST(OggOpus, CrcIsTheOggPolynomialWithoutReflectionOrXor) {
  // Known answer for CRC-32 with polynomial 0x04c11db7, initial value 0, no final xor ("123456789").
  const char* check = "123456789";
  EXPECT_EQ(testing::ogg_crc_bitwise(reinterpret_cast<const std::uint8_t*>(check), 9), 0x89A1897Fu);
}

TEST(OggOpus, OpensAndReportsInfo) {
  for (const EncodedOpus* e : {&mono_tone(), &stereo_tone()}) {
    ASSERT_FALSE(e->packets.empty());
    ASSERT_EQ(e->pre_skip, 312);
    const auto file = write_ogg_opus(*e);
    auto d = open_ok(file);
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->info().channels, e->channels);
    EXPECT_EQ(d->channels(), e->channels);
    EXPECT_EQ(d->info().pre_skip, 312);
    EXPECT_EQ(d->info().input_sample_rate, 48000u);
    EXPECT_EQ(d->info().output_gain_db, 0.0f);
    EXPECT_EQ(d->info().mapping_family, 0);
    EXPECT_EQ(d->info().vendor, "trtc test writer");
    EXPECT_EQ(d->sample_rate(), 48000);
    // 2 s of input; the final granule (312 + 96000) trims the last 20 ms packet.
    EXPECT_EQ(static_cast<std::int64_t>(e->packets.size()) * 960, 101 * 960);
    EXPECT_EQ(d->length(), 96000);
    EXPECT_EQ(d->position(), 0);
    EXPECT_EQ(d->decode_errors(), 0u);
  }
}

TEST(OggOpus, DecodesTheToneWithExactLengthAlignedWithTheInput) {
  for (const EncodedOpus* e : {&mono_tone(), &stereo_tone()}) {
    SCOPED_TRACE(std::to_string(e->channels) + " channel(s)");
    auto d = open_ok(write_ogg_opus(*e));
    ASSERT_NE(d, nullptr);
    const Planar out = decode_all(*d, e->channels);
    ASSERT_EQ(static_cast<std::int64_t>(out[0].size()), d->length());
    EXPECT_EQ(d->position(), d->length());
    // After 100 ms of codec start-up: the 1 kHz tone at its 0.5 amplitude within 1 dB, and (pre-skip
    // applied exactly) in phase with the input: the residual is far below the signal.
    const std::size_t from = 4800, n = 96000 - 2 * 4800;
    for (std::size_t c = 0; c < out.size(); ++c) {
      const double amp = tone_amplitude(out[c].data() + from, n, 1000.0);
      EXPECT_NEAR(20 * std::log10(amp / 0.5), 0.0, 1.0);
      std::vector<float> input(n);
      for (std::size_t i = 0; i < n; ++i) input[i] = e->input[(from + i) * out.size() + c];
      std::vector<float> residual(n);
      for (std::size_t i = 0; i < n; ++i) residual[i] = out[c][from + i] - input[i];
      EXPECT_LT(rms(residual.data(), n), 0.1 * rms(input.data(), n));
    }
    // Mono read of stereo (averaged) and stereo read of mono (copied).
    ASSERT_TRUE(d->seek(0));
    const Planar other = decode_all(*d, e->channels == 1 ? 2 : 1);
    ASSERT_EQ(static_cast<std::int64_t>(other[0].size()), d->length());
    if (e->channels == 1) {
      EXPECT_EQ(other[0], out[0]);
      EXPECT_EQ(other[1], out[0]);
    } else {
      for (std::size_t i = 0; i < other[0].size(); i += 97) {
        ASSERT_FLOAT_EQ(other[0][i], 0.5f * (out[0][i] + out[1][i]));
      }
    }
  }
}

TEST(OggOpus, OddBlockSizesReadTheSameAsOneRead) {
  auto d = open_ok(write_ogg_opus(stereo_tone()));
  ASSERT_NE(d, nullptr);
  const Planar whole = decode_all(*d, 2, {200000});
  ASSERT_TRUE(d->seek(0));
  const Planar blocks = decode_all(*d, 2, {1, 7, 333, 1000, 4097, 480, 959, 961});
  EXPECT_EQ(whole, blocks);
  float x[4];
  float* one[1] = {x};
  EXPECT_EQ(d->read(one, 1, 4), 0);  // at the end
  EXPECT_EQ(d->read(one, 3, 4), -1);
  EXPECT_EQ(d->read(nullptr, 1, 4), -1);
}

void expect_seeks_match_linear(OggOpusDecoder& d, int out_channels) {
  ASSERT_TRUE(d.seek(0));
  const Planar linear = decode_all(d, out_channels);
  const std::int64_t len = d.length();
  ASSERT_EQ(static_cast<std::int64_t>(linear[0].size()), len);
  double worst = 0;
  for (const std::int64_t pos :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{959}, std::int64_t{3000}, std::int64_t{3840}, std::int64_t{5000},
        std::int64_t{48000}, std::int64_t{48017}, std::int64_t{77777}, len - 2000, len - 1, len, std::int64_t{20000},
        std::int64_t{10}}) {
    ASSERT_TRUE(d.seek(pos));
    EXPECT_EQ(d.position(), pos);
    std::vector<float> a(2000), b(2000);
    float* ptrs[2] = {a.data(), b.data()};
    const long n = d.read(ptrs, out_channels, 2000);
    ASSERT_EQ(n, std::min<long>(2000, static_cast<long>(len - pos))) << "at " << pos;
    for (int c = 0; c < out_channels; ++c) {
      const double diff =
          max_abs_diff(ptrs[c], linear[static_cast<std::size_t>(c)].data() + pos, static_cast<std::size_t>(n));
      if (pos + 312 <= 19200) {
        EXPECT_EQ(diff, 0.0) << "at " << pos;  // within the pre-roll of the start: decoded from it
      }
      EXPECT_LT(diff, 1e-4) << "at " << pos << " channel " << c;
      worst = std::max(worst, diff);
    }
    EXPECT_EQ(d.position(), pos + n);
  }
  ::testing::Test::RecordProperty("worst_seek_diff", std::to_string(worst));
  std::printf("worst seek difference after pre-roll: %g\n", worst);
}

TEST(OggOpus, SeekGivesTheSamplesOfALinearDecode) {
  auto mono = open_ok(write_ogg_opus(mono_tone()));
  ASSERT_NE(mono, nullptr);
  expect_seeks_match_linear(*mono, 1);
  auto stereo = open_ok(write_ogg_opus(stereo_tone()));
  ASSERT_NE(stereo, nullptr);
  expect_seeks_match_linear(*stereo, 2);
  // One-second pages (as opusenc writes them): decoding starts inside the page, 400 ms before.
  OggLayout long_pages;
  long_pages.packets_per_page = 50;
  auto paged = open_ok(write_ogg_opus(stereo_tone(), long_pages));
  ASSERT_NE(paged, nullptr);
  expect_seeks_match_linear(*paged, 2);
}

TEST(OggOpus, SeekClampsToTheLength) {
  auto d = open_ok(write_ogg_opus(mono_tone()));
  ASSERT_NE(d, nullptr);
  ASSERT_TRUE(d->seek(10'000'000));
  EXPECT_EQ(d->position(), d->length());
  float x[8];
  float* one[1] = {x};
  EXPECT_EQ(d->read(one, 1, 8), 0);
  ASSERT_TRUE(d->seek(-100));
  EXPECT_EQ(d->position(), 0);
  EXPECT_EQ(d->read(one, 1, 8), 8);
  EXPECT_EQ(d->position(), 8);
}

TEST(OggOpus, OutputGainFromTheHeaderIsAppliedOnce) {
  const EncodedOpus& e = mono_tone();
  auto plain = open_ok(write_ogg_opus(e));
  // -6 dB in Q7.8: -1536 (0xFA00, little-endian at offset 16).
  auto quiet = open_ok([&] {
    EncodedOpus g = e;
    g.head[16] = 0x00;
    g.head[17] = 0xFA;
    return write_ogg_opus(g);
  }());
  ASSERT_NE(plain, nullptr);
  ASSERT_NE(quiet, nullptr);
  EXPECT_EQ(quiet->info().output_gain_db, -6.0f);
  const Planar a = decode_all(*plain, 1);
  const Planar b = decode_all(*quiet, 1);
  ASSERT_EQ(a[0].size(), b[0].size());
  const double ratio_db = 20 * std::log10(rms(b[0].data() + 4800, 86400) / rms(a[0].data() + 4800, 86400));
  EXPECT_NEAR(ratio_db, -6.0, 0.05);  // applied twice would be -12 dB

  // The same through the multistream decoder (mapping family 1, one mono stream).
  EncodedOpus f1 = e;
  f1.head[16] = 0x00;
  f1.head[17] = 0xFA;
  f1.head[18] = 1;
  f1.head.insert(f1.head.end(), {1, 0, 0});
  auto quiet_f1 = open_ok(write_ogg_opus(f1));
  ASSERT_NE(quiet_f1, nullptr);
  EXPECT_EQ(quiet_f1->info().mapping_family, 1);
  const Planar c = decode_all(*quiet_f1, 1);
  ASSERT_EQ(c[0].size(), a[0].size());
  EXPECT_EQ(max_abs_diff(c[0].data(), b[0].data(), c[0].size()), 0.0);
}

TEST(OggOpus, OpenErrorsHaveTheRightStatus) {
  const EncodedOpus& e = mono_tone();
  const auto good = write_ogg_opus(e);
  const auto pages = page_offsets(good);
  ASSERT_GE(pages.size(), 4u);

  OggOpusStatus status = OggOpusStatus::kOk;
  EXPECT_EQ(OggOpusDecoder::open(nullptr, 0, &status), nullptr);
  EXPECT_EQ(status, OggOpusStatus::kNotOgg);
  EXPECT_EQ(OggOpusDecoder::open(good.data(), 0, &status), nullptr);
  EXPECT_EQ(status, OggOpusStatus::kNotOgg);
  EXPECT_EQ(OggOpusDecoder::open(good.data(), 3, nullptr), nullptr);  // a null status is allowed

  std::mt19937 rng(3);
  std::vector<std::uint8_t> random(5000);
  for (auto& b : random) b = static_cast<std::uint8_t>(rng());
  EXPECT_EQ(open_status(random), OggOpusStatus::kNotOgg);

  std::vector<std::uint8_t> garbage = random;
  std::memcpy(garbage.data(), "OggS", 4);
  EXPECT_EQ(open_status(garbage), OggOpusStatus::kCorrupt);

  // Truncated anywhere inside the two header pages.
  for (std::size_t cut = 4; cut < pages[2]; cut += 3) {
    EXPECT_EQ(open_status(std::vector<std::uint8_t>(good.begin(), good.begin() + static_cast<long>(cut))),
              OggOpusStatus::kCorrupt)
        << "cut at " << cut;
  }
  // A bad CRC on the OpusTags page.
  auto bad_tags = good;
  bad_tags[pages[1] + 40] ^= 0x20;
  EXPECT_EQ(open_status(bad_tags), OggOpusStatus::kCorrupt);

  // Not Opus: a first packet that is not an OpusHead.
  {
    std::vector<std::uint8_t> f;
    OggWriter w(&f, 1);
    const std::uint8_t vorbis[] = {1, 'v', 'o', 'r', 'b', 'i', 's', 0, 0, 0, 0, 2, 0x44, 0xAC, 0, 0};
    w.packet(vorbis, sizeof vorbis, 0, true);
    w.packet(vorbis, sizeof vorbis, 0, true, true);
    EXPECT_EQ(open_status(f), OggOpusStatus::kNotOpus);
  }
  EXPECT_EQ(open_status(with_head_byte(e, 8, 0x10)), OggOpusStatus::kBadHeader);  // version 16
  EXPECT_EQ(open_status(with_head_byte(e, 9, 0)), OggOpusStatus::kBadHeader);     // 0 channels
  EXPECT_EQ(open_status(with_head_byte(e, 9, 3)), OggOpusStatus::kBadHeader);     // family 0, 3 channels
  EXPECT_EQ(open_status(with_head_byte(e, 18, 2)), OggOpusStatus::kUnsupported);  // ambisonics
  EXPECT_EQ(open_status(with_head_byte(e, 18, 255)), OggOpusStatus::kUnsupported);
  EXPECT_EQ(open_status(with_head_byte(e, 0, 'O', 18)), OggOpusStatus::kBadHeader);  // short OpusHead
  {
    // Family 1 with 9 channels; and family 1 whose mapping names a stream that does not exist.
    EncodedOpus f1 = e;
    f1.head[9] = 9;
    f1.head[18] = 1;
    f1.head.insert(f1.head.end(), {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    EXPECT_EQ(open_status(write_ogg_opus(f1)), OggOpusStatus::kUnsupported);
    f1 = e;
    f1.head[18] = 1;
    f1.head.insert(f1.head.end(), {1, 0, 5});  // 1 stream, 0 coupled, channel 0 -> stream 5
    EXPECT_EQ(open_status(write_ogg_opus(f1)), OggOpusStatus::kDecoderError);
    f1.head.back() = 0;
    EXPECT_EQ(open_status(write_ogg_opus(f1)), OggOpusStatus::kOk);
  }
  {
    EncodedOpus t = e;  // vendor length beyond the packet
    t.tags[11] = 0x7F;
    EXPECT_EQ(open_status(write_ogg_opus(t)), OggOpusStatus::kBadHeader);
    t = e;  // comment count beyond the packet
    t.tags.resize(12 + 16 + 4);
    t.tags[28] = 5;
    EXPECT_EQ(open_status(write_ogg_opus(t)), OggOpusStatus::kBadHeader);
    t = e;
    t.tags[0] = 'X';
    EXPECT_EQ(open_status(write_ogg_opus(t)), OggOpusStatus::kBadHeader);
  }
  {
    // OpusHead sharing its page with OpusTags (RFC 7845: it must be alone on the first page).
    std::vector<std::uint8_t> f;
    OggWriter w(&f, 7);
    w.packet(e.head, 0);
    w.packet(e.tags, 0, true);
    for (std::size_t i = 0; i < 10; ++i)
      w.packet(e.packets[i], static_cast<std::int64_t>(960 * (i + 1)), false, i == 9);
    EXPECT_EQ(open_status(f), OggOpusStatus::kBadHeader);
  }
}

TEST(OggOpus, EveryStatusHasADistinctExplanation) {
  std::set<std::string> seen;
  for (const OggOpusStatus s :
       {OggOpusStatus::kOk, OggOpusStatus::kNotOgg, OggOpusStatus::kNotOpus, OggOpusStatus::kBadHeader,
        OggOpusStatus::kUnsupported, OggOpusStatus::kCorrupt, OggOpusStatus::kDecoderError}) {
    const std::string text = to_string(s);
    EXPECT_FALSE(text.empty());
    EXPECT_TRUE(seen.insert(text).second) << text;
  }
  EXPECT_NE(std::string(to_string(OggOpusStatus::kNotOgg)).find("Ogg"), std::string::npos);
  EXPECT_NE(std::string(to_string(static_cast<OggOpusStatus>(99))).size(), 0u);
}

TEST(OggOpus, TruncatedMidAudioDecodesWhatIsThere) {
  const auto good = write_ogg_opus(stereo_tone());
  auto full = open_ok(good);
  ASSERT_NE(full, nullptr);
  const Planar reference = decode_all(*full, 2);
  for (const double fraction : {0.3, 0.6, 0.95}) {
    const auto cut = static_cast<std::size_t>(static_cast<double>(good.size()) * fraction);
    auto d = open_ok(std::vector<std::uint8_t>(good.begin(), good.begin() + static_cast<long>(cut)));
    ASSERT_NE(d, nullptr);
    EXPECT_GT(d->length(), 0);
    EXPECT_LT(d->length(), full->length());
    EXPECT_EQ(d->length() % 960, 960 - 312);  // ends at a page boundary (whole 20 ms packets)
    const Planar out = decode_all(*d, 2);
    ASSERT_EQ(static_cast<std::int64_t>(out[0].size()), d->length());
    for (int c = 0; c < 2; ++c) {
      EXPECT_EQ(max_abs_diff(out[static_cast<std::size_t>(c)].data(), reference[static_cast<std::size_t>(c)].data(),
                             out[0].size()),
                0.0);
    }
    EXPECT_EQ(d->decode_errors(), 0u);
  }
}

TEST(OggOpus, DamagedPageIsSkippedConcealedAndCounted) {
  const EncodedOpus& e = mono_tone();
  const auto good = write_ogg_opus(e);
  const auto pages = page_offsets(good);
  auto clean = open_ok(good);
  ASSERT_NE(clean, nullptr);
  const Planar reference = decode_all(*clean, 1);
  // Audio pages hold 10 packets (200 ms) each; damage the body of the fourth one (0.6 to 0.8 s).
  auto bad = good;
  bad[pages[5] + 100] ^= 0x5A;
  auto d = open_ok(bad);
  ASSERT_NE(d, nullptr);
  EXPECT_GE(d->decode_errors(), 1u);
  EXPECT_EQ(d->length(), clean->length());  // the gap is concealed: the timeline is kept
  const Planar out = decode_all(*d, 1);
  ASSERT_EQ(static_cast<std::int64_t>(out[0].size()), d->length());
  // Identical before the damaged page; the tone continues in phase 200 ms after it.
  const std::size_t gap_start = 3 * 9600 - 312, gap_end = 4 * 9600 - 312;
  EXPECT_EQ(max_abs_diff(out[0].data(), reference[0].data(), gap_start), 0.0);
  const std::size_t after = gap_end + 9600;
  EXPECT_LT(max_abs_diff(out[0].data() + after, reference[0].data() + after, 9600), 0.05);
  for (const float s : out[0]) ASSERT_TRUE(std::isfinite(s));
}

TEST(OggOpus, LostPageKeepsTheTimeline) {
  const EncodedOpus& e = stereo_tone();
  const auto good = write_ogg_opus(e);
  const auto pages = page_offsets(good);
  auto clean = open_ok(good);
  ASSERT_NE(clean, nullptr);
  const Planar reference = decode_all(*clean, 2);
  auto lost = good;
  lost.erase(lost.begin() + static_cast<long>(pages[5]), lost.begin() + static_cast<long>(pages[6]));
  auto d = open_ok(lost);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->decode_errors(), 1u);
  EXPECT_EQ(d->length(), clean->length());
  const Planar out = decode_all(*d, 2);
  ASSERT_EQ(static_cast<std::int64_t>(out[0].size()), d->length());
  const std::size_t after = 4 * 9600 - 312 + 9600;
  EXPECT_LT(max_abs_diff(out[1].data() + after, reference[1].data() + after, 9600), 0.05);
  // Seeking past the gap lands on the same timeline.
  ASSERT_TRUE(d->seek(60000));
  std::vector<float> a(1000), b(1000);
  float* ptrs[2] = {a.data(), b.data()};
  ASSERT_EQ(d->read(ptrs, 2, 1000), 1000);
  EXPECT_LT(max_abs_diff(a.data(), reference[0].data() + 60000, 1000), 1e-3);
}

TEST(OggOpus, PacketsSpanningPagesDecodeIdentically) {
  // 256 kbit/s stereo: 640-byte packets, three lacing segments (255, 255, 130) each. Pages of at
  // most 300 body bytes hold one segment: packets span three pages, the middle one ending none.
  OpusEncodeOptions o;
  o.channels = 2;
  o.bitrate = 256000;
  o.vbr = false;
  const EncodedOpus e = encode_opus(o);
  ASSERT_FALSE(e.packets.empty());
  EXPECT_EQ(e.packets[5].size(), 640u);
  OggLayout spanning;
  spanning.max_body = 300;
  spanning.packets_per_page = 0;
  const auto file = write_ogg_opus(e, spanning);
  // The layout really has continued pages and pages on which no packet ends.
  int continued = 0, no_granule = 0;
  for (const std::size_t p : page_offsets(file)) {
    continued += (file[p + 5] & 1) != 0;
    std::int64_t g;
    std::memcpy(&g, &file[p + 6], 8);
    no_granule += g == -1;
  }
  EXPECT_GT(continued, 50);
  EXPECT_GT(no_granule, 10);

  auto reference = open_ok(write_ogg_opus(e));
  auto d = open_ok(file);
  ASSERT_NE(reference, nullptr);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->length(), reference->length());
  EXPECT_EQ(decode_all(*d, 2), decode_all(*reference, 2));
  expect_seeks_match_linear(*d, 2);
}

TEST(OggOpus, PacketsOf255BytesEndWithAZeroLacingValue) {
  OpusEncodeOptions o;
  o.vbr = false;
  o.bitrate = 102000;  // CBR: 102000 * 0.02 / 8 = 255 bytes per packet
  o.seconds = 1.0;
  const EncodedOpus e = encode_opus(o);
  ASSERT_FALSE(e.packets.empty());
  EXPECT_EQ(e.packets[10].size(), 255u);
  for (const std::size_t max_body : {std::size_t{0}, std::size_t{255}, std::size_t{510}}) {
    OggLayout layout;
    layout.max_body = max_body;
    auto d = open_ok(write_ogg_opus(e, layout));
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->length(), 48000);
    const Planar out = decode_all(*d, 1);
    ASSERT_EQ(out[0].size(), 48000u);
    EXPECT_NEAR(20 * std::log10(tone_amplitude(out[0].data() + 4800, 38400, 1000.0) / 0.5), 0.0, 1.0);
    EXPECT_EQ(d->decode_errors(), 0u);
  }
}

TEST(OggOpus, SixChannelFamily1IsDownmixedToStereo) {
  OpusEncodeOptions o;
  o.channels = 6;
  o.family = 1;
  o.bitrate = 256000;
  o.tone_channel = 0;  // front left only (Vorbis order: FL C FR RL RR LFE)
  const EncodedOpus e = encode_opus(o);
  ASSERT_FALSE(e.packets.empty());
  auto d = open_ok(write_ogg_opus(e));
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->channels(), 6);
  EXPECT_EQ(d->info().mapping_family, 1);
  EXPECT_EQ(d->length(), 96000);
  const Planar out = decode_all(*d, 2);
  ASSERT_EQ(out[0].size(), 96000u);
  const double left = tone_amplitude(out[0].data() + 4800, 86400, 1000.0);
  const double right = tone_amplitude(out[1].data() + 4800, 86400, 1000.0);
  const double expected = 0.5 / (1.0 + 2.0 * 0.70710678);  // front left's share of the left mix
  EXPECT_NEAR(20 * std::log10(left / expected), 0.0, 1.0);
  EXPECT_LT(right, 0.05 * left);
  ASSERT_TRUE(d->seek(0));
  const Planar mono = decode_all(*d, 1);
  ASSERT_EQ(mono[0].size(), 96000u);
  EXPECT_NEAR(tone_amplitude(mono[0].data() + 4800, 86400, 1000.0), 0.5 * (left + right), 0.01 * left);

  // The centre channel reaches both sides equally.
  o.tone_channel = 1;
  auto centre = open_ok(write_ogg_opus(encode_opus(o)));
  ASSERT_NE(centre, nullptr);
  const Planar c = decode_all(*centre, 2);
  const double cl = tone_amplitude(c[0].data() + 4800, 86400, 1000.0);
  const double cr = tone_amplitude(c[1].data() + 4800, 86400, 1000.0);
  EXPECT_GT(cl, 0.05);
  EXPECT_NEAR(cl / cr, 1.0, 0.05);
}

TEST(OggOpus, ChainedFilePlaysTheFirstStreamOnly) {
  OpusEncodeOptions o;
  o.seconds = 1.0;
  const EncodedOpus first = encode_opus(o);
  o.hz = 440.0;
  o.seconds = 1.5;
  const EncodedOpus second = encode_opus(o);
  std::vector<std::uint8_t> file;
  OggLayout a, b;
  a.serial = 100;
  b.serial = 200;
  write_ogg_opus(first, a, &file);
  write_ogg_opus(second, b, &file);
  auto d = open_ok(file);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->length(), 48000);
  const Planar out = decode_all(*d, 1);
  ASSERT_EQ(out[0].size(), 48000u);
  EXPECT_GT(tone_amplitude(out[0].data() + 9600, 28800, 1000.0), 0.4);

  // The same when the second link reuses the serial number.
  file.clear();
  b.serial = 100;
  write_ogg_opus(first, a, &file);
  write_ogg_opus(second, b, &file);
  auto same = open_ok(file);
  ASSERT_NE(same, nullptr);
  EXPECT_EQ(same->length(), 48000);
  EXPECT_EQ(decode_all(*same, 1)[0].size(), 48000u);
}

TEST(OggOpus, MultiplexedStreamsPlayTheOpusOne) {
  const EncodedOpus& e = mono_tone();
  std::vector<std::uint8_t> file;
  OggWriter other(&file, 11), opus(&file, 22);
  const std::uint8_t theora_head[] = {0x80, 't', 'h', 'e', 'o', 'r', 'a', 3, 2, 1, 0, 0, 0, 0};
  other.packet(theora_head, sizeof theora_head, 0, true);  // BOS pages first, the other stream's first
  opus.packet(e.head, 0, true);
  opus.packet(e.tags, 0, true);
  std::mt19937 rng(5);
  std::vector<std::uint8_t> junk(300);
  for (std::size_t i = 0; i < e.packets.size(); ++i) {
    const bool last = i + 1 == e.packets.size();
    opus.packet(e.packets[i], last ? e.pre_skip + e.samples : static_cast<std::int64_t>(960 * (i + 1)), i % 7 == 6,
                last);
    if (i % 5 == 0) {
      for (auto& b : junk) b = static_cast<std::uint8_t>(rng());
      other.packet(junk, static_cast<std::int64_t>(i), true, last);
    }
  }
  auto d = open_ok(file);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->length(), 96000);
  auto reference = open_ok(write_ogg_opus(e));
  ASSERT_NE(reference, nullptr);
  EXPECT_EQ(decode_all(*d, 1), decode_all(*reference, 1));
}

TEST(OggOpus, StreamStartingAtALaterGranuleHasTheSameLengthAndSamples) {
  // A stream cut from a longer one: its granule positions start at 10 s, not 0 (RFC 7845 §4.3).
  const EncodedOpus& e = mono_tone();
  OggLayout later;
  later.granule_offset = 480000;
  auto d = open_ok(write_ogg_opus(e, later));
  auto reference = open_ok(write_ogg_opus(e));
  ASSERT_NE(d, nullptr);
  ASSERT_NE(reference, nullptr);
  EXPECT_EQ(d->length(), 96000);
  EXPECT_EQ(decode_all(*d, 1), decode_all(*reference, 1));
  ASSERT_TRUE(d->seek(50000));
  ASSERT_TRUE(reference->seek(50000));
  float a[100], b[100];
  float* pa[1] = {a};
  float* pb[1] = {b};
  ASSERT_EQ(d->read(pa, 1, 100), 100);
  ASSERT_EQ(reference->read(pb, 1, 100), 100);
  EXPECT_EQ(max_abs_diff(a, b, 100), 0.0);
}

TEST(OggOpus, RandomDamageNeverCrashesOrHangs) {
  OpusEncodeOptions o;
  o.channels = 2;
  o.seconds = 0.6;
  const EncodedOpus e = encode_opus(o);
  OggLayout layout;
  layout.packets_per_page = 4;
  layout.max_body = 500;
  const auto good = write_ogg_opus(e, layout);
  std::mt19937 rng(2024);
  std::vector<float> a(3000), b(3000);
  float* ptrs[2] = {a.data(), b.data()};
  int opened = 0;
  for (int iter = 0; iter < 300; ++iter) {
    auto f = good;
    switch (iter % 4) {
      case 0:  // flipped bytes anywhere
        for (int k = 0; k < 1 + iter % 5; ++k) f[rng() % f.size()] ^= static_cast<std::uint8_t>(1 + rng() % 255);
        break;
      case 1:  // truncation
        f.resize(rng() % f.size());
        break;
      case 2:  // a random range overwritten with noise
      {
        const std::size_t at = rng() % f.size(), n = std::min<std::size_t>(f.size() - at, rng() % 200);
        for (std::size_t i = 0; i < n; ++i) f[at + i] = static_cast<std::uint8_t>(rng());
        break;
      }
      default:  // a range duplicated (pages repeated out of sequence)
      {
        const std::size_t at = rng() % f.size(), n = std::min<std::size_t>(f.size() - at, rng() % 2000);
        f.insert(f.begin() + static_cast<long>(rng() % f.size()), good.begin() + static_cast<long>(at),
                 good.begin() + static_cast<long>(at + n));
        break;
      }
    }
    OggOpusStatus status;
    auto d = OggOpusDecoder::open(f.data(), f.size(), &status);
    if (d == nullptr) {
      EXPECT_NE(status, OggOpusStatus::kOk);
      continue;
    }
    ++opened;
    ASSERT_GE(d->length(), 0);
    ASSERT_LE(d->length(), 60 * 48000);
    std::int64_t total = 0;
    for (int guard = 0; guard < 10000; ++guard) {
      const long n = d->read(ptrs, 1 + iter % 2, 1 + rng() % 3000);
      ASSERT_GE(n, 0);
      if (n == 0) break;
      for (long i = 0; i < n; ++i) ASSERT_TRUE(std::isfinite(a[static_cast<std::size_t>(i)]));
      total += n;
    }
    EXPECT_EQ(total, d->length());
    ASSERT_TRUE(d->seek(static_cast<std::int64_t>(rng() % 40000)));
    ASSERT_GE(d->read(ptrs, 2, 3000), 0);
  }
  EXPECT_GT(opened, 100);
}

}  // namespace
}  // namespace trtc::audio
