#include "trtc/audio/source_player.h"

#include <algorithm>
#include <cmath>

namespace trtc::audio {

namespace {
constexpr std::size_t kMaxRead = 4096;  // input frames decoded per step
}  // namespace

SourcePlayer::SourcePlayer(std::unique_ptr<DecodedSource> source, int out_rate, int out_channels,
                           ResamplerOptions resampler_options)
    : source_(std::move(source)),
      out_rate_(out_rate),
      out_channels_(std::clamp(out_channels, 1, 2)),
      resampler_(source_->sample_rate(), out_rate, std::clamp(out_channels, 1, 2), resampler_options),
      scratch_(static_cast<std::size_t>(out_channels_), std::vector<float>(kMaxRead)) {
  restart_pass(0);
}

void SourcePlayer::restart_pass(std::int64_t start_frame) {
  resampler_.reset();
  eof_ = false;
  flushed_ = false;
  pass_start_ = start_frame;
  pass_out_ = 0;
  const std::int64_t length = source_->length();
  pass_out_total_ = length < 0 ? -1
                               : static_cast<std::int64_t>(std::ceil(static_cast<double>(length - start_frame) *
                                                                     out_rate_ / source_->sample_rate()));
  // The filter delays its output: drop that much so the output lines up with the source.
  skip_out_ = static_cast<std::int64_t>(std::lround(resampler_.latency_frames()));
}

std::size_t SourcePlayer::render(float* const* out, std::size_t frames) {
  std::size_t produced = 0;
  float* ptrs[2] = {nullptr, nullptr};
  float* in_ptrs[2] = {scratch_[0].data(), scratch_[out_channels_ - 1].data()};
  while (!ended_ && produced < frames) {
    std::size_t avail = resampler_.available();
    if (skip_out_ > 0 && avail > 0) {
      const std::size_t n =
          std::min<std::size_t>(avail, std::min<std::size_t>(kMaxRead, static_cast<std::size_t>(skip_out_)));
      resampler_.pull(in_ptrs, n);  // discarded (scratch is refilled before its next use)
      skip_out_ -= static_cast<std::int64_t>(n);
      continue;
    }
    if (pass_out_total_ >= 0)
      avail = std::min<std::size_t>(avail,
                                    static_cast<std::size_t>(std::max<std::int64_t>(0, pass_out_total_ - pass_out_)));
    if (avail > 0) {
      const std::size_t n = std::min(avail, frames - produced);
      for (int c = 0; c < out_channels_; ++c) ptrs[c] = out[c] + produced;
      const std::size_t got = resampler_.pull(ptrs, n);
      produced += got;
      pass_out_ += static_cast<std::int64_t>(got);
      if (got == 0) break;  // cannot happen with a consistent resampler; never spin
      continue;
    }
    if (eof_) {
      const bool pass_done = pass_out_total_ >= 0 ? pass_out_ >= pass_out_total_ : flushed_;
      if (pass_done || flushed_) {
        if (pass_done || resampler_.available() == 0) {
          ended_ = true;
          break;
        }
      }
      // Push the filter's tail out with silence.
      const std::int64_t want = pass_out_total_ >= 0
                                    ? pass_out_total_ - pass_out_
                                    : static_cast<std::int64_t>(std::ceil(resampler_.latency_frames())) + 1;
      std::size_t zeros =
          resampler_.input_needed(static_cast<std::size_t>(std::max<std::int64_t>(1, want) + skip_out_)) + 1;
      for (auto& s : scratch_) std::fill(s.begin(), s.end(), 0.0f);
      while (zeros > 0) {
        const std::size_t n = std::min(zeros, kMaxRead);
        resampler_.push(in_ptrs, n);
        zeros -= n;
      }
      flushed_ = true;
      continue;
    }
    const std::size_t need = std::clamp<std::size_t>(
        resampler_.input_needed(frames - produced + static_cast<std::size_t>(skip_out_)), 1, kMaxRead);
    const long got = source_->read(in_ptrs, out_channels_, need);
    if (got < 0) {
      failed_ = ended_ = true;
      break;
    }
    if (got > 0) resampler_.push(in_ptrs, static_cast<std::size_t>(got));
    if (static_cast<std::size_t>(got) < need) {
      if (loop_ && source_->length() != 0 && source_->position() > 0) {
        // Wrap without a flush: the end and the start run through the filter as one signal.
        ++loops_;
        if (!source_->seek(0)) {
          failed_ = ended_ = true;
          break;
        }
        pass_out_total_ = -1;
      } else {
        eof_ = true;
      }
    }
  }
  for (int c = 0; c < out_channels_; ++c) std::fill(out[c] + produced, out[c] + frames, 0.0f);
  return produced;
}

bool SourcePlayer::seek(double seconds) {
  const double d = duration();
  if (!(seconds >= 0.0)) seconds = 0.0;
  if (d >= 0.0) seconds = std::min(seconds, d);
  const auto frame = static_cast<std::int64_t>(std::llround(seconds * source_->sample_rate()));
  if (!source_->seek(frame)) return false;
  ended_ = failed_ = false;
  restart_pass(source_->position());
  return true;
}

double SourcePlayer::position() const {
  const double in = static_cast<double>(source_->position()) / source_->sample_rate();
  const double buffered = static_cast<double>(resampler_.available()) / out_rate_;
  double pos = in - buffered;
  if (ended_) pos = duration() >= 0 ? duration() : in;
  const double d = duration();
  if (d >= 0.0) pos = std::min(pos, d);
  return std::max(0.0, pos);
}

double SourcePlayer::duration() const {
  const std::int64_t length = source_->length();
  return length < 0 ? -1.0 : static_cast<double>(length) / source_->sample_rate();
}

}  // namespace trtc::audio
