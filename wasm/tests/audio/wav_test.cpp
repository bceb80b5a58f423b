#include "trtc/audio/wav.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../support/wav_writer.h"

namespace trtc::audio {
namespace {

using testing::fmt_chunk;
using testing::riff_wave;
using testing::RiffChunk;
using testing::wav_file;
using testing::WavFormat;

// Random integer samples covering the format's full range, extremes included.
std::vector<std::int32_t> random_ints(std::size_t n, int bits, std::uint32_t seed) {
  const std::int64_t lo = -(std::int64_t{1} << (bits - 1));
  const std::int64_t hi = (std::int64_t{1} << (bits - 1)) - 1;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::int64_t> dist(lo, hi);
  std::vector<std::int32_t> out(n);
  for (auto& s : out) s = static_cast<std::int32_t>(dist(rng));
  if (n >= 3) {
    out[0] = static_cast<std::int32_t>(lo);
    out[1] = static_cast<std::int32_t>(hi);
    out[2] = 0;
  }
  return out;
}

std::vector<std::vector<float>> read_all(WavReader& r, int out_channels, std::size_t block = 4096) {
  std::vector<std::vector<float>> out(static_cast<std::size_t>(out_channels));
  std::vector<std::vector<float>> buf(static_cast<std::size_t>(out_channels), std::vector<float>(block));
  float* ptrs[2] = {buf[0].data(), out_channels == 2 ? buf[1].data() : nullptr};
  for (;;) {
    const long n = r.read(ptrs, out_channels, block);
    EXPECT_GE(n, 0);
    if (n <= 0) break;
    for (int c = 0; c < out_channels; ++c) {
      out[static_cast<std::size_t>(c)].insert(out[static_cast<std::size_t>(c)].end(),
                                              buf[static_cast<std::size_t>(c)].begin(),
                                              buf[static_cast<std::size_t>(c)].begin() + n);
    }
  }
  return out;
}

std::unique_ptr<WavReader> open_ok(const std::vector<std::uint8_t>& file) {
  std::string error = "unset";
  auto r = WavReader::open(file.data(), file.size(), &error);
  EXPECT_NE(r, nullptr) << error;
  if (r != nullptr) {
    EXPECT_TRUE(error.empty());
  }
  return r;
}

std::string open_error(const std::vector<std::uint8_t>& file) {
  std::string error;
  auto r = WavReader::open(file.data(), file.size(), &error);
  EXPECT_EQ(r, nullptr);
  EXPECT_FALSE(error.empty());
  return error;
}

TEST(WavReader, IntegerPcmEveryWidthRateAndChannelCountIsExact) {
  for (const int bits : {8, 16, 24, 32}) {
    for (const int channels : {1, 2}) {
      for (const int rate : {16000, 44100, 48000}) {
        SCOPED_TRACE("bits " + std::to_string(bits) + " channels " + std::to_string(channels) + " rate " +
                     std::to_string(rate));
        const std::size_t frames = 1001;
        const auto ints =
            random_ints(frames * static_cast<std::size_t>(channels), bits, static_cast<std::uint32_t>(bits + rate));
        const auto file = wav_file({1, channels, rate, bits, false, 0}, testing::pcm_int_bytes(ints, bits));
        auto r = open_ok(file);
        ASSERT_NE(r, nullptr);
        EXPECT_EQ(r->info().sample_rate, rate);
        EXPECT_EQ(r->sample_rate(), rate);
        EXPECT_EQ(r->info().channels, channels);
        EXPECT_EQ(r->channels(), channels);
        EXPECT_EQ(r->info().bits_per_sample, bits);
        EXPECT_FALSE(r->info().is_float);
        EXPECT_EQ(r->info().frames, static_cast<std::int64_t>(frames));
        EXPECT_EQ(r->length(), static_cast<std::int64_t>(frames));
        const auto out = read_all(*r, channels);
        ASSERT_EQ(out[0].size(), frames);
        const double scale = 1.0 / static_cast<double>(std::int64_t{1} << (bits - 1));
        for (std::size_t i = 0; i < frames; ++i) {
          for (int c = 0; c < channels; ++c) {
            const auto expected = static_cast<float>(
                static_cast<double>(ints[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)]) *
                scale);
            ASSERT_EQ(out[static_cast<std::size_t>(c)][i], expected) << "frame " << i << " channel " << c;
          }
        }
        EXPECT_EQ(r->position(), static_cast<std::int64_t>(frames));
      }
    }
  }
}

TEST(WavReader, SixteenBitScalingIsSampleOver32768) {
  const std::vector<std::int32_t> ints = {-32768, -16384, -1, 0, 1, 16384, 32767};
  auto r = open_ok(wav_file({1, 1, 48000, 16, false, 0}, testing::pcm_int_bytes(ints, 16)));
  ASSERT_NE(r, nullptr);
  const auto out = read_all(*r, 1);
  ASSERT_EQ(out[0].size(), ints.size());
  EXPECT_EQ(out[0][0], -1.0f);
  EXPECT_EQ(out[0][1], -0.5f);
  EXPECT_EQ(out[0][2], -1.0f / 32768.0f);
  EXPECT_EQ(out[0][3], 0.0f);
  EXPECT_EQ(out[0][5], 0.5f);
  EXPECT_EQ(out[0][6], 32767.0f / 32768.0f);
}

TEST(WavReader, EightBitIsUnsignedAroundMidpoint) {
  // Raw bytes 0, 128, 255: -1, 0, 127/128.
  auto r = open_ok(wav_file({1, 1, 8000, 8, false, 0}, {0, 128, 255}));
  ASSERT_NE(r, nullptr);
  const auto out = read_all(*r, 1);
  ASSERT_EQ(out[0].size(), 3u);
  EXPECT_EQ(out[0][0], -1.0f);
  EXPECT_EQ(out[0][1], 0.0f);
  EXPECT_EQ(out[0][2], 127.0f / 128.0f);
}

TEST(WavReader, FloatFormatsAreExact) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> dist(-1.5, 1.5);  // float WAV may exceed full scale
  for (const int channels : {1, 2}) {
    const std::size_t n = 777 * static_cast<std::size_t>(channels);
    std::vector<float> f32(n);
    std::vector<double> f64(n);
    for (std::size_t i = 0; i < n; ++i) {
      f64[i] = dist(rng);
      f32[i] = static_cast<float>(f64[i]);
    }
    {
      auto r = open_ok(wav_file({3, channels, 44100, 32, false, 0}, testing::float32_bytes(f32)));
      ASSERT_NE(r, nullptr);
      EXPECT_TRUE(r->info().is_float);
      EXPECT_EQ(r->info().bits_per_sample, 32);
      const auto out = read_all(*r, channels);
      ASSERT_EQ(out[0].size(), 777u);
      for (std::size_t i = 0; i < 777; ++i) {
        for (int c = 0; c < channels; ++c) {
          ASSERT_EQ(out[static_cast<std::size_t>(c)][i],
                    f32[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)]);
        }
      }
    }
    {
      auto r = open_ok(wav_file({3, channels, 16000, 64, false, 0}, testing::float64_bytes(f64)));
      ASSERT_NE(r, nullptr);
      EXPECT_TRUE(r->info().is_float);
      EXPECT_EQ(r->info().bits_per_sample, 64);
      EXPECT_EQ(r->sample_rate(), 16000);
      const auto out = read_all(*r, channels);
      ASSERT_EQ(out[0].size(), 777u);
      for (std::size_t i = 0; i < 777; ++i) {
        for (int c = 0; c < channels; ++c) {
          ASSERT_EQ(out[static_cast<std::size_t>(c)][i],
                    static_cast<float>(f64[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)]));
        }
      }
    }
  }
}

TEST(WavReader, ExtensibleWithPcmAndFloatSubformats) {
  struct Case {
    int tag, bits;
  };
  for (const Case k : {Case{1, 16}, Case{1, 24}, Case{1, 32}, Case{3, 32}, Case{3, 64}, Case{1, 8}}) {
    SCOPED_TRACE("tag " + std::to_string(k.tag) + " bits " + std::to_string(k.bits));
    const WavFormat f{k.tag, 2, 48000, k.bits, true, 0x3};
    std::vector<float> expected;
    std::vector<std::uint8_t> bytes;
    if (k.tag == 1) {
      const auto ints = random_ints(2 * 300, k.bits, 99);
      bytes = testing::pcm_int_bytes(ints, k.bits);
      for (const auto s : ints) {
        expected.push_back(
            static_cast<float>(static_cast<double>(s) / static_cast<double>(std::int64_t{1} << (k.bits - 1))));
      }
    } else {
      std::vector<double> v(600);
      for (std::size_t i = 0; i < v.size(); ++i) v[i] = 0.001 * static_cast<double>(i) - 0.3;
      if (k.bits == 32) {
        std::vector<float> f32(v.begin(), v.end());
        bytes = testing::float32_bytes(f32);
      } else {
        bytes = testing::float64_bytes(v);
      }
      for (const double d : v) expected.push_back(static_cast<float>(d));
    }
    auto r = open_ok(wav_file(f, bytes));
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->info().is_float, k.tag == 3);
    EXPECT_EQ(r->info().bits_per_sample, k.bits);
    EXPECT_EQ(r->length(), 300);
    const auto out = read_all(*r, 2);
    ASSERT_EQ(out[0].size(), 300u);
    for (std::size_t i = 0; i < 300; ++i) {
      ASSERT_EQ(out[0][i], expected[2 * i]);
      ASSERT_EQ(out[1][i], expected[2 * i + 1]);
    }
  }
}

TEST(WavReader, ExtensibleWithUnknownSubformatIsRejected) {
  auto file = wav_file({1, 2, 48000, 16, true, 0x3}, std::vector<std::uint8_t>(40));
  // Corrupt the GUID tail (fmt body starts at 20; GUID tail at body offset 26).
  file[20 + 30] ^= 0xFF;
  EXPECT_NE(open_error(file).find("subformat"), std::string::npos);
}

TEST(WavReader, ChunksInAnyOrderWithOddSizesArePadded) {
  const auto ints = random_ints(2 * 64, 16, 5);
  const auto data = testing::pcm_int_bytes(ints, 16);
  const RiffChunk list{"LIST", {'I', 'N', 'F', 'O', 'I', 'N', 'A', 'M', 3, 0, 0, 0, 'a', 'b', 'c'}, -1};  // 15 bytes
  const RiffChunk odd{"junk", {1, 2, 3}, -1};
  for (const auto& file : {riff_wave({list, fmt_chunk({1, 2, 22050, 16, false, 0}), odd, {"data", data, -1}}),
                           riff_wave({{"data", data, -1}, odd, list, fmt_chunk({1, 2, 22050, 16, false, 0})}),
                           riff_wave({odd, {"data", data, -1}, fmt_chunk({1, 2, 22050, 16, false, 0}), list})}) {
    auto r = open_ok(file);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->sample_rate(), 22050);
    EXPECT_EQ(r->length(), 64);
    const auto out = read_all(*r, 2);
    ASSERT_EQ(out[0].size(), 64u);
    for (std::size_t i = 0; i < 64; ++i) {
      ASSERT_EQ(out[0][i], static_cast<float>(ints[2 * i]) / 32768.0f);
      ASSERT_EQ(out[1][i], static_cast<float>(ints[2 * i + 1]) / 32768.0f);
    }
  }
}

TEST(WavReader, OddSizedDataChunkIsPaddedBeforeTheNextChunk) {
  // 8-bit mono, 101 frames: a data chunk of odd size, followed by the fmt chunk.
  std::vector<std::uint8_t> data(101);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 2);
  auto r = open_ok(riff_wave({{"data", data, -1}, fmt_chunk({1, 1, 8000, 8, false, 0})}));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->length(), 101);
  const auto out = read_all(*r, 1);
  ASSERT_EQ(out[0].size(), 101u);
  EXPECT_EQ(out[0][100], static_cast<float>(200 - 128) / 128.0f);
}

TEST(WavReader, ErrorsAreReadable) {
  EXPECT_NE(open_error({}).find("not a WAV"), std::string::npos);
  std::string error;
  EXPECT_EQ(WavReader::open(nullptr, 0, &error), nullptr);
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(WavReader::open(nullptr, 0, nullptr), nullptr);  // no error string: still no crash

  std::vector<std::uint8_t> random(1000);
  std::mt19937 rng(1);
  for (auto& b : random) b = static_cast<std::uint8_t>(rng());
  EXPECT_NE(open_error(random).find("RIFF"), std::string::npos);

  auto not_wave = wav_file({1, 1, 8000, 16, false, 0}, {0, 0});
  not_wave[8] = 'A';  // "AVE "
  EXPECT_NE(open_error(not_wave).find("RIFF/WAVE"), std::string::npos);

  EXPECT_NE(open_error(riff_wave({fmt_chunk({1, 2, 48000, 16, false, 0})})).find("no data"), std::string::npos);
  EXPECT_NE(open_error(riff_wave({{"data", {0, 0}, -1}})).find("no fmt"), std::string::npos);

  const auto adpcm = open_error(wav_file({2, 1, 8000, 4, false, 0}, {0, 0}));
  EXPECT_NE(adpcm.find("ADPCM"), std::string::npos) << adpcm;
  EXPECT_NE(adpcm.find("format tag 2"), std::string::npos) << adpcm;

  EXPECT_NE(open_error(wav_file({1, 0, 8000, 16, false, 0}, {0, 0})).find("channel"), std::string::npos);
  EXPECT_NE(open_error(wav_file({1, 9, 8000, 16, false, 0}, std::vector<std::uint8_t>(18))).find("channel"),
            std::string::npos);
  EXPECT_NE(open_error(wav_file({1, 1, 0, 16, false, 0}, {0, 0})).find("sample rate"), std::string::npos);
  EXPECT_NE(open_error(wav_file({1, 1, 400000, 16, false, 0}, {0, 0})).find("sample rate"), std::string::npos);
  EXPECT_NE(open_error(wav_file({1, 1, 8000, 12, false, 0}, {0, 0})).find("12 bits"), std::string::npos);
  EXPECT_NE(open_error(wav_file({3, 1, 8000, 16, false, 0}, {0, 0})).find("float"), std::string::npos);

  auto rf64 = wav_file({1, 1, 8000, 16, false, 0}, {0, 0});
  std::memcpy(rf64.data(), "RF64", 4);
  EXPECT_NE(open_error(rf64).find("RF64"), std::string::npos);

  // A fmt chunk shorter than 16 bytes, and one cut off by the end of the file.
  EXPECT_NE(open_error(riff_wave({{"fmt ", {1, 0, 1, 0}, -1}, {"data", {0, 0}, -1}})).find("fmt"), std::string::npos);
  auto cut = riff_wave({fmt_chunk({1, 1, 8000, 16, false, 0})});
  cut.resize(cut.size() - 4);
  EXPECT_NE(open_error(cut).find("fmt"), std::string::npos);
}

TEST(WavReader, TruncatedDataGivesTheFramesPresent) {
  const auto ints = random_ints(2 * 1000, 16, 3);
  auto file = wav_file({1, 2, 48000, 16, false, 0}, testing::pcm_int_bytes(ints, 16));
  file.resize(file.size() - 4 * 100 - 3);  // 100.75 frames (4 bytes each) missing: 899 remain
  auto r = open_ok(file);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->length(), 899);
  const auto out = read_all(*r, 2);
  ASSERT_EQ(out[0].size(), 899u);
  EXPECT_EQ(out[1][898], static_cast<float>(ints[2 * 898 + 1]) / 32768.0f);

  // A data chunk declaring more than the file holds (a writer that never finalised the header).
  RiffChunk data{"data", testing::pcm_int_bytes(ints, 16), 0x7FFFFFF0};
  auto r2 = open_ok(riff_wave({fmt_chunk({1, 2, 48000, 16, false, 0}), data}));
  ASSERT_NE(r2, nullptr);
  EXPECT_EQ(r2->length(), 1000);
}

TEST(WavReader, SeekAndBlockReadsMatchOneRead) {
  const auto ints = random_ints(2 * 5000, 24, 11);
  const auto file = wav_file({1, 2, 44100, 24, false, 0}, testing::pcm_int_bytes(ints, 24));
  auto r = open_ok(file);
  ASSERT_NE(r, nullptr);
  const auto all = read_all(*r, 2);
  ASSERT_EQ(all[0].size(), 5000u);
  {
    float a[10], b[10];
    float* ptrs[2] = {a, b};
    EXPECT_EQ(r->read(ptrs, 2, 10), 0);  // at the end
  }

  ASSERT_TRUE(r->seek(0));
  const std::size_t blocks[] = {1, 7, 333, 1000, 4097};
  std::vector<float> l(5000), rr(5000);
  std::size_t got = 0;
  for (std::size_t i = 0; got < 5000; ++i) {
    float* ptrs[2] = {l.data() + got, rr.data() + got};
    const long n = r->read(ptrs, 2, blocks[i % 5]);
    ASSERT_GT(n, 0);
    got += static_cast<std::size_t>(n);
    EXPECT_EQ(r->position(), static_cast<std::int64_t>(got));
  }
  EXPECT_EQ(l, all[0]);
  EXPECT_EQ(rr, all[1]);

  for (const std::int64_t pos : {0, 1, 2499, 4999}) {
    ASSERT_TRUE(r->seek(pos));
    EXPECT_EQ(r->position(), pos);
    float a[16], b[16];
    float* ptrs[2] = {a, b};
    const long n = r->read(ptrs, 2, 16);
    ASSERT_EQ(n, std::min<long>(16, 5000 - static_cast<long>(pos)));
    for (long i = 0; i < n; ++i) {
      ASSERT_EQ(a[i], all[0][static_cast<std::size_t>(pos + i)]);
      ASSERT_EQ(b[i], all[1][static_cast<std::size_t>(pos + i)]);
    }
  }
  ASSERT_TRUE(r->seek(123456));
  EXPECT_EQ(r->position(), 5000);
  ASSERT_TRUE(r->seek(-5));
  EXPECT_EQ(r->position(), 0);

  float x[4];
  float* one[1] = {x};
  EXPECT_EQ(r->read(one, 3, 4), -1);
  EXPECT_EQ(r->read(nullptr, 1, 4), -1);
  EXPECT_EQ(r->read(one, 1, 0), 0);
}

TEST(WavReader, MonoIsCopiedToBothAndStereoAveragedToMono) {
  const auto ints = random_ints(2 * 200, 16, 21);
  {
    auto r = open_ok(wav_file({1, 1, 48000, 16, false, 0}, testing::pcm_int_bytes(ints, 16)));
    ASSERT_NE(r, nullptr);
    const auto out = read_all(*r, 2);
    ASSERT_EQ(out[0].size(), 400u);
    EXPECT_EQ(out[0], out[1]);
    EXPECT_EQ(out[0][5], static_cast<float>(ints[5]) / 32768.0f);
  }
  {
    auto r = open_ok(wav_file({1, 2, 48000, 16, false, 0}, testing::pcm_int_bytes(ints, 16)));
    ASSERT_NE(r, nullptr);
    const auto out = read_all(*r, 1);
    ASSERT_EQ(out[0].size(), 200u);
    for (std::size_t i = 0; i < 200; ++i) {
      ASSERT_FLOAT_EQ(out[0][i],
                      0.5f * (static_cast<float>(ints[2 * i]) + static_cast<float>(ints[2 * i + 1])) / 32768.0f);
    }
  }
}

// 5.1 in the default WAV order (FL FR FC LFE BL BR) and with an explicit extensible mask.
TEST(WavReader, SurroundIsDownmixedToStereoByChannelLayout) {
  auto frame_file = [](const WavFormat& f, int channel, float value) {
    std::vector<float> s(static_cast<std::size_t>(f.channels) * 10, 0.0f);
    for (std::size_t i = 0; i < 10; ++i)
      s[i * static_cast<std::size_t>(f.channels) + static_cast<std::size_t>(channel)] = value;
    return wav_file(f, testing::float32_bytes(s));
  };
  const float norm = 1.0f / (1.0f + 2.0f * 0.70710678f);  // each side: front + centre + back
  for (const bool extensible : {false, true}) {
    const WavFormat f{3, 6, 48000, 32, extensible, extensible ? 0x3Fu : 0u};
    struct Expect {
      int channel;
      float l, r;
    };
    for (const Expect e :
         {Expect{0, norm, 0.0f}, Expect{1, 0.0f, norm}, Expect{2, 0.70710678f * norm, 0.70710678f * norm},
          Expect{3, 0.0f, 0.0f}, Expect{4, 0.70710678f * norm, 0.0f}, Expect{5, 0.0f, 0.70710678f * norm}}) {
      auto r = open_ok(frame_file(f, e.channel, 1.0f));
      ASSERT_NE(r, nullptr);
      EXPECT_EQ(r->channels(), 6);
      const auto out = read_all(*r, 2);
      ASSERT_EQ(out[0].size(), 10u);
      EXPECT_NEAR(out[0][3], e.l, 1e-6) << "channel " << e.channel;
      EXPECT_NEAR(out[1][3], e.r, 1e-6) << "channel " << e.channel;
      ASSERT_TRUE(r->seek(0));
      const auto mono = read_all(*r, 1);
      EXPECT_NEAR(mono[0][3], 0.5f * (e.l + e.r), 1e-6);
    }
  }
  // A mask with the channels in another order: side left/right (bits 9, 10) with front left/right.
  const WavFormat quad{3, 4, 48000, 32, true, 0x603};
  auto r = open_ok(frame_file(quad, 2, 1.0f));  // third channel = side left
  ASSERT_NE(r, nullptr);
  const auto out = read_all(*r, 2);
  EXPECT_GT(out[0][0], 0.1f);
  EXPECT_EQ(out[1][0], 0.0f);
}

}  // namespace
}  // namespace trtc::audio
