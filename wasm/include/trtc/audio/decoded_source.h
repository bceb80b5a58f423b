// Decoded audio sources the mixer plays: a file decoded block by block (Ogg Opus, WAV) or PCM the
// browser decoded (MP3, AAC). Each reads planar float at its own native rate.
#pragma once

#include <cstddef>
#include <cstdint>

namespace trtc::audio {

class DecodedSource {
 public:
  virtual ~DecodedSource() = default;
  /// Native sample rate in Hz.
  virtual int sample_rate() const = 0;
  /// Channels in the file (reads up- or down-mix to what the caller asks for).
  virtual int channels() const = 0;
  /// Length in frames at sample_rate(); -1 if unknown.
  virtual std::int64_t length() const = 0;
  /// Current read position in frames.
  virtual std::int64_t position() const = 0;
  /// Reads up to `frames` frames into `out_channels` planar buffers (1 or 2). Mono sources are
  /// copied to both channels; sources with more channels are down-mixed (stereo: averaged to mono).
  /// Returns frames written: fewer than asked only at the end; -1 on a decode error.
  virtual long read(float* const* out, int out_channels, std::size_t frames) = 0;
  /// Moves the read position to `frame` (clamped to the length); false on failure.
  virtual bool seek(std::int64_t frame) = 0;
};

}  // namespace trtc::audio
