// Plays one DecodedSource at the mixer's rate and channel count: resampling (resampler.h), loop,
// seek, position and the end of the file. One per AudioMixer source.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "trtc/audio/decoded_source.h"
#include "trtc/audio/resampler.h"

namespace trtc::audio {

class SourcePlayer {
 public:
  /// `out_channels` is 1 or 2.
  SourcePlayer(std::unique_ptr<DecodedSource> source, int out_rate, int out_channels,
               ResamplerOptions resampler_options = {});

  /// Renders `frames` frames into `out` (planar). After the end (no loop) the rest is zero.
  /// Returns the frames of audio rendered: fewer than `frames` only in the block where it ended.
  std::size_t render(float* const* out, std::size_t frames);

  void set_loop(bool loop) { loop_ = loop; }
  bool loop() const { return loop_; }
  /// The end was reached (without loop) or decoding failed.
  bool ended() const { return ended_; }
  bool failed() const { return failed_; }
  /// Times the source wrapped around in loop mode.
  std::uint32_t loops() const { return loops_; }

  /// Moves to `seconds` (clamped to [0, duration]); clears ended(). False if the source cannot seek.
  bool seek(double seconds);
  /// Seconds from the start of the source of the next frame to render.
  double position() const;
  /// Length in seconds, or -1 if unknown.
  double duration() const;
  const DecodedSource& source() const { return *source_; }

 private:
  void restart_pass(std::int64_t start_frame);

  std::unique_ptr<DecodedSource> source_;
  int out_rate_;
  int out_channels_;
  Resampler resampler_;
  std::vector<std::vector<float>> scratch_;
  bool loop_ = false;
  bool ended_ = false;
  bool failed_ = false;
  bool eof_ = false;      // the source has no more input for this pass
  bool flushed_ = false;  // the resampler's tail was pushed after eof_
  std::uint32_t loops_ = 0;
  std::int64_t pass_start_ = 0;       // source frame the current pass started at
  std::int64_t pass_out_ = 0;         // output frames rendered in this pass
  std::int64_t pass_out_total_ = -1;  // output frames this pass will produce (-1 unknown)
  std::int64_t skip_out_ = 0;         // filter delay still to drop after a (re)start
};

}  // namespace trtc::audio
