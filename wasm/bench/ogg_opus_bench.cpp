// File decoding cost per 10 ms block (480 frames at 48 kHz) as the mixer pulls it: Ogg Opus
// (64 kbit/s stereo, decoded by libopus) and 16-bit stereo WAV. The files are generated at setup;
// at the end of a file the reader seeks back to 0 outside the timed region.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "../tests/support/ogg_opus_writer.h"
#include "../tests/support/wav_writer.h"
#include "trtc/audio/ogg_opus.h"
#include "trtc/audio/wav.h"

namespace {

constexpr std::size_t kBlock = 480;

template <typename Source>
void pull_blocks(benchmark::State& state, Source& source) {
  std::vector<float> l(kBlock), r(kBlock);
  float* out[2] = {l.data(), r.data()};
  for (auto _ : state) {
    const long n = source.read(out, 2, kBlock);
    benchmark::DoNotOptimize(l.data());
    benchmark::DoNotOptimize(r.data());
    if (n < static_cast<long>(kBlock)) {
      state.PauseTiming();
      source.seek(0);
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(kBlock));
  state.SetLabel("ns per 10 ms block (480 stereo frames)");
}

void BM_OggOpusDecodeStereo(benchmark::State& state) {
  trtc::audio::testing::OpusEncodeOptions o;
  o.channels = 2;
  o.seconds = 10.0;
  o.bitrate = 64000;
  const auto file = trtc::audio::testing::write_ogg_opus(trtc::audio::testing::encode_opus(o));
  trtc::audio::OggOpusStatus status;
  auto decoder = trtc::audio::OggOpusDecoder::open(file.data(), file.size(), &status);
  if (decoder == nullptr) {
    state.SkipWithError(trtc::audio::to_string(status));
    return;
  }
  pull_blocks(state, *decoder);
}

void BM_WavReadStereo16(benchmark::State& state) {
  constexpr double kPi = 3.14159265358979323846;
  std::vector<std::int32_t> samples(2 * 48000 * 10);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    samples[i] =
        static_cast<std::int32_t>(16000.0 * std::sin(2.0 * kPi * 1000.0 * static_cast<double>(i / 2) / 48000.0));
  }
  const auto file =
      trtc::audio::testing::wav_file({1, 2, 48000, 16, false, 0}, trtc::audio::testing::pcm_int_bytes(samples, 16));
  std::string error;
  auto reader = trtc::audio::WavReader::open(file.data(), file.size(), &error);
  if (reader == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  pull_blocks(state, *reader);
}

BENCHMARK(BM_OggOpusDecodeStereo)->Name("ogg_opus_decode/stereo/480");
BENCHMARK(BM_WavReadStereo16)->Name("wav_read/stereo16/480");

}  // namespace
