// What runs inside the AudioMixer plugin's AudioWorklet: the sources (Ogg Opus and WAV decoded
// here, MP3/AAC as PCM from the browser), their play/pause/seek/loop state, the music bus that is
// played locally, and the send bus (microphone + music) that is published. One block at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "trtc/audio/mixer.h"
#include "trtc/audio/source_player.h"

namespace trtc::audio {

class PcmSource;

enum class SourceState { kIdle = 0, kPlaying = 1, kPaused = 2, kEnded = 3 };

class MixerEngine {
 public:
  /// `channels` 1 or 2; `max_frames` is the largest block process() accepts.
  MixerEngine(int sample_rate, int channels, int max_frames);

  /// Opens a source; returns its id (>= 0) or -1 with last_error() set.
  int open_ogg_opus(const std::uint8_t* data, std::size_t size);
  int open_wav(const std::uint8_t* data, std::size_t size);
  /// A PCM source of `frames` frames, filled with write_pcm().
  int open_pcm(int sample_rate, int channels, std::int64_t frames);
  std::size_t write_pcm(int id, int channel, std::int64_t offset, const float* samples, std::size_t count);
  bool remove(int id);
  bool has(int id) const { return sources_.count(id) != 0; }
  std::size_t size() const { return sources_.size(); }

  /// Starts playing (from the start if it had ended). Also resumes a paused source.
  bool play(int id);
  /// Fades out over the ramp time, then holds the position.
  bool pause(int id);
  bool resume(int id);
  /// Fades out, then goes back to the start (state idle).
  bool stop(int id);
  bool seek(int id, double seconds);
  /// Linear volume 0–10 (1 = as decoded). Ramped.
  bool set_volume(int id, float volume);
  bool set_loop(int id, bool loop);
  double position(int id) const;
  double duration(int id) const;
  /// SourceState as int; -1 for an unknown id.
  int state(int id) const;

  /// Planar input buffers for the microphone (max_frames each).
  float* mic_input(int channel);
  /// Output buffers: bus 0 = send (microphone + music, limited), bus 1 = music only (limited).
  float* output(int bus, int channel);
  /// Renders `frames` (<= max_frames). `mic_active`: mic_input holds this block's samples.
  bool process(std::size_t frames, bool mic_active);
  /// Ids of sources that reached their end (no loop) or failed since the last call.
  std::vector<int> take_ended();

  /// Sources playing (or fading) right now.
  int active_count() const;
  const std::string& last_error() const { return last_error_; }
  int sample_rate() const { return sample_rate_; }
  int channels() const { return channels_; }
  int max_frames() const { return max_frames_; }

 private:
  // What to do when a fade-out ends: hold (pause), rewind and go idle (stop), or go idle where a
  // seek during the stop fade put it.
  enum class After { kNone, kPause, kStop, kIdle };
  struct Entry {
    std::unique_ptr<SourcePlayer> player;
    PcmSource* pcm = nullptr;  // set for PCM sources (owned by player)
    int bus_id = -1;           // source id in music_
    SourceState state = SourceState::kIdle;
    After after = After::kNone;  // what to do when the fade-out ends
    long fade_left = 0;          // frames of fade-out still to render
  };
  int add(std::unique_ptr<DecodedSource> source);
  Entry* find(int id);
  const Entry* find(int id) const;
  void fade_out(Entry& e, After after);

  int sample_rate_;
  int channels_;
  int max_frames_;
  long fade_frames_;
  Mixer music_;
  Mixer send_;
  int send_mic_ = -1;
  int send_music_ = -1;
  std::map<int, Entry> sources_;
  int next_id_ = 0;
  std::vector<std::vector<float>> mic_;
  std::vector<std::vector<float>> out_[2];
  std::vector<int> ended_;
  std::string last_error_;
};

}  // namespace trtc::audio
