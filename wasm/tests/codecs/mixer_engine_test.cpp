#include "trtc/audio/mixer_engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "../support/ogg_opus_writer.h"
#include "../support/signals.h"
#include "../support/wav_writer.h"

namespace trtc::audio {
namespace {

using testing::kPi;
constexpr int kRate = 48000;
constexpr std::size_t kBlock = 128;

struct Rendered {
  std::vector<float> send, monitor;  // left channel
};

// Runs `blocks` render quanta. With mic_amplitude >= 0 the microphone input is active and carries a
// 440 Hz tone of that amplitude (0: a muted microphone, i.e. zeros); below 0 it is not connected.
Rendered run(MixerEngine& e, int blocks, float mic_amplitude = -1.0f, std::size_t* frame = nullptr) {
  const bool mic = mic_amplitude >= 0.0f;
  Rendered r;
  std::size_t f0 = frame ? *frame : 0;
  for (int b = 0; b < blocks; ++b) {
    if (mic) {
      for (int c = 0; c < e.channels(); ++c) {
        float* in = e.mic_input(c);
        for (std::size_t i = 0; i < kBlock; ++i) {
          in[i] = mic_amplitude * static_cast<float>(std::sin(2.0 * kPi * 440.0 * static_cast<double>(f0 + i) / kRate));
        }
      }
    }
    EXPECT_TRUE(e.process(kBlock, mic));
    r.send.insert(r.send.end(), e.output(0, 0), e.output(0, 0) + kBlock);
    r.monitor.insert(r.monitor.end(), e.output(1, 0), e.output(1, 0) + kBlock);
    f0 += kBlock;
  }
  if (frame) *frame = f0;
  return r;
}

double rms(const std::vector<float>& x, std::size_t from, std::size_t to) {
  return testing::rms(x.data() + from, to - from);
}

std::vector<std::uint8_t> wav_sine(int rate, double seconds, double hz, float amp) {
  const auto n = static_cast<std::size_t>(seconds * rate);
  std::vector<std::int32_t> s(n);
  for (std::size_t i = 0; i < n; ++i) {
    s[i] = static_cast<std::int32_t>(
        std::lround(32767.0 * amp * std::sin(2.0 * kPi * hz * static_cast<double>(i) / rate)));
  }
  testing::WavFormat f;
  f.channels = 1;
  f.rate = rate;
  f.bits = 16;
  return testing::wav_file(f, testing::pcm_int_bytes(s, 16));
}

TEST(MixerEngine, MicrophonePassesThroughWithoutSources) {
  MixerEngine e(kRate, 2, 1024);
  const auto r = run(e, 100, 0.25f);
  EXPECT_NEAR(rms(r.send, 2000, r.send.size()), 0.25 / std::sqrt(2.0), 0.005);
  EXPECT_EQ(rms(r.monitor, 0, r.monitor.size()), 0.0);  // the microphone is never played locally
}

TEST(MixerEngine, PlaysAWavSourceOnBothBuses) {
  MixerEngine e(kRate, 2, 1024);
  const auto wav = wav_sine(16000, 0.5, 1000.0, 0.5f);
  const int id = e.open_wav(wav.data(), wav.size());
  ASSERT_GE(id, 0) << e.last_error();
  EXPECT_NEAR(e.duration(id), 0.5, 1e-9);
  EXPECT_EQ(e.state(id), static_cast<int>(SourceState::kIdle));
  ASSERT_TRUE(e.play(id));
  EXPECT_EQ(e.active_count(), 1);
  const auto r = run(e, 100);  // 0.267 s
  EXPECT_NEAR(rms(r.monitor, 1000, r.monitor.size()), 0.5 / std::sqrt(2.0), 0.01);
  EXPECT_NEAR(rms(r.send, 1000, r.send.size()), 0.5 / std::sqrt(2.0), 0.01);
  EXPECT_NEAR(e.position(id), 100.0 * kBlock / kRate, 0.01);
  // To the end: exactly one `ended`, then silence.
  run(e, 100);
  EXPECT_EQ(e.state(id), static_cast<int>(SourceState::kEnded));
  EXPECT_EQ(e.take_ended(), std::vector<int>{id});
  EXPECT_TRUE(e.take_ended().empty());
  const auto after = run(e, 10);
  EXPECT_EQ(rms(after.monitor, 0, after.monitor.size()), 0.0);
  // play() after the end starts again from the beginning.
  ASSERT_TRUE(e.play(id));
  EXPECT_LT(e.position(id), 0.01);
}

TEST(MixerEngine, MusicKeepsGoingWhenTheMicrophoneIsSilent) {
  MixerEngine e(kRate, 2, 1024);
  const auto wav = wav_sine(44100, 1.0, 1000.0, 0.5f);
  const int id = e.open_wav(wav.data(), wav.size());
  ASSERT_GE(id, 0);
  e.play(id);
  // A muted microphone delivers zeros: the send bus is the music.
  const auto r = run(e, 60, 0.0f);
  EXPECT_NEAR(rms(r.send, 1000, r.send.size()), 0.5 / std::sqrt(2.0), 0.01);
  // And with the voice back, the send bus carries both (music 0.5, voice 0.25 peak).
  const auto both = run(e, 60, 0.25f);
  EXPECT_NEAR(rms(both.send, 1000, both.send.size()), std::sqrt((0.25 + 0.0625) / 2.0), 0.01);
  EXPECT_NEAR(rms(both.monitor, 1000, both.monitor.size()), 0.5 / std::sqrt(2.0), 0.01);
}

TEST(MixerEngine, PlayDuringTheStopFadeStartsFromTheBeginning) {
  MixerEngine e(kRate, 1, 1024);
  const auto wav = wav_sine(48000, 2.0, 500.0, 0.5f);
  const int id = e.open_wav(wav.data(), wav.size());
  e.play(id);
  run(e, 100);  // 0.27 s in
  e.stop(id);
  run(e, 1);  // inside the 10 ms fade
  ASSERT_TRUE(e.play(id));
  EXPECT_LT(e.position(id), 0.01);
  run(e, 10);
  EXPECT_EQ(e.state(id), static_cast<int>(SourceState::kPlaying));
  EXPECT_NEAR(e.position(id), 10.0 * kBlock / kRate, 0.005);
}

TEST(MixerEngine, SeekDuringTheStopFadeKeepsThePosition) {
  MixerEngine e(kRate, 1, 1024);
  const auto wav = wav_sine(48000, 2.0, 500.0, 0.5f);
  const int id = e.open_wav(wav.data(), wav.size());
  e.play(id);
  run(e, 20);
  e.stop(id);
  ASSERT_TRUE(e.seek(id, 1.5));
  run(e, 10);
  EXPECT_EQ(e.state(id), static_cast<int>(SourceState::kIdle));
  EXPECT_NEAR(e.position(id), 1.5, 0.02);
}

TEST(MixerEngine, LoopPlaysPastTheEndWithoutEnding) {
  MixerEngine e(kRate, 2, 1024);
  const auto wav = wav_sine(44100, 0.1, 1000.0, 0.5f);
  const int id = e.open_wav(wav.data(), wav.size());
  ASSERT_TRUE(e.set_loop(id, true));
  e.play(id);
  const auto r = run(e, 150);  // 0.4 s: four times the file
  EXPECT_TRUE(e.take_ended().empty());
  EXPECT_EQ(e.state(id), static_cast<int>(SourceState::kPlaying));
  EXPECT_NEAR(rms(r.monitor, 1000, r.monitor.size()), 0.5 / std::sqrt(2.0), 0.01);
}

TEST(MixerEngine, PauseFadesOutAndResumeContinues) {
  MixerEngine e(kRate, 2, 1024);
  const auto wav = wav_sine(48000, 2.0, 500.0, 0.5f);
  const int id = e.open_wav(wav.data(), wav.size());
  e.play(id);
  run(e, 50);
  ASSERT_TRUE(e.pause(id));
  const auto fade = run(e, 10);
  EXPECT_EQ(e.state(id), static_cast<int>(SourceState::kPaused));
  // No click: the fade never steps by more than the tone's own slope allows.
  float step = 0.0f;
  for (std::size_t i = 1; i < fade.monitor.size(); ++i)
    step = std::max(step, std::fabs(fade.monitor[i] - fade.monitor[i - 1]));
  EXPECT_LT(step, 0.5f * 2.0f * static_cast<float>(kPi) * 500.0f / kRate * 1.1f);
  // Silence after the fade (10 ms = 480 frames), the position held.
  EXPECT_EQ(rms(fade.monitor, 600, fade.monitor.size()), 0.0);
  const double held = e.position(id);
  run(e, 20);
  EXPECT_DOUBLE_EQ(e.position(id), held);
  ASSERT_TRUE(e.resume(id));
  const auto back = run(e, 40);
  EXPECT_NEAR(rms(back.monitor, 1000, back.monitor.size()), 0.5 / std::sqrt(2.0), 0.01);
  EXPECT_GT(e.position(id), held);
  EXPECT_FALSE(e.resume(id));  // not paused
}

TEST(MixerEngine, StopReturnsToTheStart) {
  MixerEngine e(kRate, 1, 1024);
  const auto wav = wav_sine(48000, 1.0, 500.0, 0.5f);
  const int id = e.open_wav(wav.data(), wav.size());
  e.play(id);
  run(e, 50);
  e.stop(id);
  run(e, 10);
  EXPECT_EQ(e.state(id), static_cast<int>(SourceState::kIdle));
  EXPECT_EQ(e.position(id), 0.0);
  EXPECT_TRUE(e.take_ended().empty());  // stopping is not ending
}

TEST(MixerEngine, OggOpusAndSeveralSourcesNeverClip) {
  MixerEngine e(kRate, 2, 1024);
  testing::OpusEncodeOptions o;
  o.channels = 2;
  o.seconds = 1.0;
  o.amplitude = 0.9f;
  const auto ogg = testing::write_ogg_opus(testing::encode_opus(o));
  std::vector<int> ids;
  for (int i = 0; i < 4; ++i) {
    const int id = e.open_ogg_opus(ogg.data(), ogg.size());
    ASSERT_GE(id, 0) << e.last_error();
    ids.push_back(id);
  }
  const auto wav = wav_sine(22050, 1.0, 1000.0, 0.9f);
  ids.push_back(e.open_wav(wav.data(), wav.size()));
  for (int id : ids) {
    e.set_volume(id, 2.0f);
    e.play(id);
  }
  const auto r = run(e, 300, 0.25f);
  float peak = 0.0f;
  for (float s : r.send) peak = std::max(peak, std::fabs(s));
  for (float s : r.monitor) peak = std::max(peak, std::fabs(s));
  EXPECT_LE(peak, 0.966f + 1e-6f);
  EXPECT_GT(rms(r.monitor, 4800, r.monitor.size()), 0.5);  // loud, limited, not silenced
  EXPECT_NEAR(e.duration(ids[0]), 1.0, 1e-3);
}

TEST(MixerEngine, BadInputIsAnErrorNotACrash) {
  MixerEngine e(kRate, 2, 1024);
  const std::uint8_t junk[] = {'O', 'g', 'g', 'S', 1, 2, 3};
  EXPECT_EQ(e.open_ogg_opus(junk, sizeof junk), -1);
  EXPECT_NE(e.last_error().find("Ogg Opus"), std::string::npos);
  EXPECT_EQ(e.open_wav(junk, sizeof junk), -1);
  EXPECT_NE(e.last_error().find("WAV"), std::string::npos);
  EXPECT_EQ(e.open_ogg_opus(nullptr, 0), -1);
  EXPECT_EQ(e.open_pcm(0, 1, 10), -1);
  EXPECT_FALSE(e.play(42));
  EXPECT_FALSE(e.seek(42, 1.0));
  EXPECT_EQ(e.state(42), -1);
  EXPECT_FALSE(e.process(4096, false));  // larger than max_frames
  const int pcm = e.open_pcm(48000, 1, 480);
  ASSERT_GE(pcm, 0);
  std::vector<float> tone(480, 0.5f);
  EXPECT_EQ(e.write_pcm(pcm, 0, 0, tone.data(), tone.size()), 480u);
  EXPECT_EQ(e.write_pcm(pcm, 3, 0, tone.data(), tone.size()), 0u);
  EXPECT_TRUE(e.remove(pcm));
  EXPECT_FALSE(e.remove(pcm));
  EXPECT_EQ(e.size(), 0u);
}

}  // namespace
}  // namespace trtc::audio
