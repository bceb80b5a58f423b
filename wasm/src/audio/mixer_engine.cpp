#include "trtc/audio/mixer_engine.h"

#include <algorithm>
#include <cmath>

#include "trtc/audio/ogg_opus.h"
#include "trtc/audio/pcm_source.h"
#include "trtc/audio/wav.h"

namespace trtc::audio {

namespace {
constexpr float kRampMs = 10.0f;

MixerOptions bus_options(int rate, int channels, int max_frames) {
  MixerOptions o;
  o.sample_rate = rate;
  o.channels = channels;
  o.max_frames = max_frames;
  o.ramp_ms = kRampMs;
  o.limiter_options.sample_rate = rate;
  return o;
}
}  // namespace

MixerEngine::MixerEngine(int sample_rate, int channels, int max_frames)
    : sample_rate_(std::clamp(sample_rate, 8000, 384000)),
      channels_(std::clamp(channels, 1, 2)),
      max_frames_(std::clamp(max_frames, 1, 16384)),
      fade_frames_(std::max(1L, std::lround(sample_rate_ * kRampMs / 1000.0f))),
      music_(bus_options(sample_rate_, channels_, max_frames_)),
      send_(bus_options(sample_rate_, channels_, max_frames_)),
      mic_(static_cast<std::size_t>(channels_), std::vector<float>(static_cast<std::size_t>(max_frames_))) {
  send_mic_ = send_.add_source();
  send_music_ = send_.add_source();
  for (auto& bus : out_)
    bus.assign(static_cast<std::size_t>(channels_), std::vector<float>(static_cast<std::size_t>(max_frames_)));
}

int MixerEngine::add(std::unique_ptr<DecodedSource> source) {
  Entry e;
  e.player = std::make_unique<SourcePlayer>(std::move(source), sample_rate_, channels_);
  e.bus_id = music_.add_source();
  music_.set_active(e.bus_id, false);
  const int id = next_id_++;
  sources_.emplace(id, std::move(e));
  last_error_.clear();
  return id;
}

int MixerEngine::open_ogg_opus(const std::uint8_t* data, std::size_t size) {
  OggOpusStatus status = OggOpusStatus::kOk;
  auto decoder = OggOpusDecoder::open(data, size, &status);
  if (!decoder) {
    last_error_ = std::string("cannot decode the Ogg Opus file: ") + to_string(status);
    return -1;
  }
  return add(std::move(decoder));
}

int MixerEngine::open_wav(const std::uint8_t* data, std::size_t size) {
  std::string error;
  auto reader = WavReader::open(data, size, &error);
  if (!reader) {
    last_error_ = "cannot read the WAV file: " + error;
    return -1;
  }
  return add(std::move(reader));
}

int MixerEngine::open_pcm(int sample_rate, int channels, std::int64_t frames) {
  if (sample_rate < 1 || sample_rate > 384000 || channels < 1 || channels > 8 || frames < 0) {
    last_error_ = "invalid PCM format";
    return -1;
  }
  auto pcm = std::make_unique<PcmSource>(sample_rate, channels, frames);
  PcmSource* raw = pcm.get();
  const int id = add(std::move(pcm));
  find(id)->pcm = raw;
  return id;
}

std::size_t MixerEngine::write_pcm(int id, int channel, std::int64_t offset, const float* samples, std::size_t count) {
  Entry* e = find(id);
  if (!e) return 0;
  // Only PCM sources accept writes.
  return e->pcm ? e->pcm->write(channel, offset, samples, count) : 0;
}

MixerEngine::Entry* MixerEngine::find(int id) {
  auto it = sources_.find(id);
  return it == sources_.end() ? nullptr : &it->second;
}

const MixerEngine::Entry* MixerEngine::find(int id) const {
  auto it = sources_.find(id);
  return it == sources_.end() ? nullptr : &it->second;
}

bool MixerEngine::remove(int id) {
  Entry* e = find(id);
  if (!e) return false;
  music_.remove_source(e->bus_id);
  sources_.erase(id);
  ended_.erase(std::remove(ended_.begin(), ended_.end(), id), ended_.end());
  return true;
}

bool MixerEngine::play(int id) {
  Entry* e = find(id);
  if (!e) return false;
  // After the end, or during the fade of a stop(): from the start.
  if (e->state == SourceState::kEnded || e->player->ended() || e->after == After::kStop) e->player->seek(0.0);
  e->state = SourceState::kPlaying;
  e->after = After::kNone;
  e->fade_left = 0;
  music_.set_muted(e->bus_id, false);
  music_.set_active(e->bus_id, true);
  return true;
}

bool MixerEngine::resume(int id) {
  Entry* e = find(id);
  if (!e) return false;
  if (e->state != SourceState::kPaused && !(e->state == SourceState::kPlaying && e->after == After::kPause))
    return false;
  return play(id);
}

void MixerEngine::fade_out(Entry& e, After after) {
  if (e.state != SourceState::kPlaying) {
    // Nothing audible: apply at once.
    if (after == After::kStop) {
      e.player->seek(0.0);
      e.state = SourceState::kIdle;
    } else if (e.state != SourceState::kIdle && e.state != SourceState::kEnded) {
      e.state = SourceState::kPaused;
    }
    return;
  }
  music_.set_muted(e.bus_id, true);
  e.after = after;
  e.fade_left = fade_frames_;
}

bool MixerEngine::pause(int id) {
  Entry* e = find(id);
  if (!e || e->state != SourceState::kPlaying) return false;
  fade_out(*e, After::kPause);
  return true;
}

bool MixerEngine::stop(int id) {
  Entry* e = find(id);
  if (!e) return false;
  fade_out(*e, After::kStop);
  return true;
}

bool MixerEngine::seek(int id, double seconds) {
  Entry* e = find(id);
  if (!e) return false;
  const bool ok = e->player->seek(seconds);
  if (ok && e->state == SourceState::kEnded) e->state = SourceState::kPaused;
  if (ok && e->after == After::kStop) e->after = After::kIdle;  // keep the sought position
  return ok;
}

bool MixerEngine::set_volume(int id, float volume) {
  Entry* e = find(id);
  if (!e || !(volume >= 0.0f)) return false;
  music_.set_volume(e->bus_id, std::min(volume, 10.0f));
  return true;
}

bool MixerEngine::set_loop(int id, bool loop) {
  Entry* e = find(id);
  if (!e) return false;
  e->player->set_loop(loop);
  return true;
}

double MixerEngine::position(int id) const {
  const Entry* e = find(id);
  return e ? e->player->position() : 0.0;
}

double MixerEngine::duration(int id) const {
  const Entry* e = find(id);
  return e ? e->player->duration() : -1.0;
}

int MixerEngine::state(int id) const {
  const Entry* e = find(id);
  return e ? static_cast<int>(e->state) : -1;
}

float* MixerEngine::mic_input(int channel) {
  if (channel < 0 || channel >= channels_) return nullptr;
  return mic_[static_cast<std::size_t>(channel)].data();
}

float* MixerEngine::output(int bus, int channel) {
  if (bus < 0 || bus > 1 || channel < 0 || channel >= channels_) return nullptr;
  return out_[bus][static_cast<std::size_t>(channel)].data();
}

int MixerEngine::active_count() const {
  int n = 0;
  for (const auto& [id, e] : sources_) n += e.state == SourceState::kPlaying ? 1 : 0;
  return n;
}

bool MixerEngine::process(std::size_t frames, bool mic_active) {
  if (frames > static_cast<std::size_t>(max_frames_)) return false;
  float* in[2];
  for (auto& [id, e] : sources_) {
    if (e.state != SourceState::kPlaying) {
      music_.set_active(e.bus_id, false);
      continue;
    }
    for (int c = 0; c < channels_; ++c) in[c] = music_.input(e.bus_id, c);
    e.player->render(in, frames);
    music_.set_active(e.bus_id, true);
    if (e.after != After::kNone) {
      e.fade_left -= static_cast<long>(frames);
      if (e.fade_left <= 0) {
        if (e.after == After::kStop) {
          e.player->seek(0.0);
          e.state = SourceState::kIdle;
        } else if (e.after == After::kIdle) {
          e.state = SourceState::kIdle;
        } else {
          e.state = SourceState::kPaused;
        }
        e.after = After::kNone;
      }
    } else if (e.player->ended()) {
      // The block is rendered (zero-padded); the source stops after it.
      e.state = SourceState::kEnded;
      ended_.push_back(id);
    }
  }
  float* music_out[2];
  for (int c = 0; c < channels_; ++c) music_out[c] = out_[1][static_cast<std::size_t>(c)].data();
  music_.mix(music_out, frames);
  for (int c = 0; c < channels_; ++c) {
    std::copy(music_out[c], music_out[c] + frames, send_.input(send_music_, c));
    if (mic_active)
      std::copy(mic_[static_cast<std::size_t>(c)].data(), mic_[static_cast<std::size_t>(c)].data() + frames,
                send_.input(send_mic_, c));
  }
  send_.set_active(send_mic_, mic_active);
  float* send_out[2];
  for (int c = 0; c < channels_; ++c) send_out[c] = out_[0][static_cast<std::size_t>(c)].data();
  send_.mix(send_out, frames);
  return true;
}

std::vector<int> MixerEngine::take_ended() {
  std::vector<int> out;
  out.swap(ended_);
  return out;
}

}  // namespace trtc::audio
