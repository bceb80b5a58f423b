#include "trtc/audio/mixer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace trtc::audio {

namespace {

// Mixer channel counts above this are clamped (Web Audio's own limit is 32).
constexpr int kMaxChannels = 32;
// The limiter works in chunks of this many frames (stack buffers; the pass-through fast path is
// decided per chunk).
constexpr std::size_t kChunk = 64;
// A remaining gain reduction below this (-0.0000087 dB) ends the release: the gain is 1 again.
constexpr float kReleaseDone = 1e-6f;

LimiterOptions sanitize(LimiterOptions o) {
  if (o.sample_rate <= 0) o.sample_rate = 48000;
  if (!(o.threshold > 0.0f) || !std::isfinite(o.threshold)) o.threshold = LimiterOptions{}.threshold;
  if (std::isnan(o.lookahead_ms)) o.lookahead_ms = LimiterOptions{}.lookahead_ms;
  o.lookahead_ms = std::clamp(o.lookahead_ms, 0.0f, 1000.0f);
  if (std::isnan(o.release_ms)) o.release_ms = LimiterOptions{}.release_ms;
  o.release_ms = std::clamp(o.release_ms, 0.0f, 60000.0f);
  return o;
}

int lookahead_frames(const LimiterOptions& o) {
  return static_cast<int>(std::lround(static_cast<double>(o.sample_rate) * o.lookahead_ms / 1000.0));
}

float release_coefficient(const LimiterOptions& o) {
  const double frames = static_cast<double>(o.sample_rate) * o.release_ms / 1000.0;
  return frames > 0.0 ? static_cast<float>(std::exp(-1.0 / frames)) : 0.0f;
}

MixerOptions sanitize(MixerOptions o) {
  if (o.sample_rate <= 0) o.sample_rate = 48000;
  o.channels = std::clamp(o.channels, 1, kMaxChannels);
  o.max_frames = std::clamp(o.max_frames, 1, 1 << 20);
  o.limiter_options.sample_rate = o.sample_rate;  // the limiter runs at the mixer's rate
  return o;
}

}  // namespace

// ---- Limiter --------------------------------------------------------------------------------------
//
// With L = lookahead_ frames, at input frame t:
//   need[t] = threshold / peak[t] where the frame's peak (max |x| over channels) exceeds the
//             threshold, else 1;
//   held[t] = min(need[t - L .. t])                     (sliding minimum, a monotonic queue);
//   smooth[t] = mean(held[t - L + 1 .. t])              (moving average over L frames);
//   gain[t] = min(smooth[t], 1 - (1 - gain[t - 1]) * release_coeff)   (exponential release);
//   (computed on the reduction 1 - gain, which ends the release at exactly 0 below 1e-6)
// and the output frame is x[t - L] * gain[t]. Every held value in the average covers frame t - L,
// so smooth[t] <= need[t - L]: the gain has reached the reduction that the delayed frame needs, by
// a linear ramp over the L frames before it. The hard clamp afterwards only catches rounding.
// The average is kept as a running sum of deficits 1 - held (in peaks_) with a count of the
// non-zero ones: when the count is 0 the gain is exactly 1 and the sum is reset to exactly 0, so
// the output after a loud passage returns to being the bit-exact delayed input.

Limiter::Limiter(int channels, LimiterOptions options)
    : channels_(std::max(1, channels)),
      options_(sanitize(options)),
      lookahead_(lookahead_frames(options_)),
      release_coeff_(release_coefficient(options_)) {
  reset();
}

void Limiter::reset() {
  gain_ = 1.0f;
  min_gain_ = 1.0f;
  delay_.assign(static_cast<std::size_t>(channels_), std::vector<float>(static_cast<std::size_t>(lookahead_), 0.0f));
  peaks_.assign(static_cast<std::size_t>(std::max(1, lookahead_)), 0.0f);
  pos_ = 0;
  hold_frame_.assign(static_cast<std::size_t>(lookahead_) + 1, 0);
  hold_gain_.assign(static_cast<std::size_t>(lookahead_) + 1, 1.0f);
  hold_head_ = 0;
  hold_size_ = 0;
  frame_ = 0;
  deficit_sum_ = 0.0;
  deficit_nonzero_ = 0;
  reduction_ = 0.0f;
}

void Limiter::process(float* const* channels, std::size_t frames) {
  const float threshold = options_.threshold;
  const std::size_t lookahead = static_cast<std::size_t>(lookahead_);
  const std::size_t window = peaks_.size();  // max(1, lookahead)
  const std::size_t capacity = hold_gain_.size();
  const double inverse_window = 1.0 / static_cast<double>(window);
  // Ring index `k` places after the queue's head (wraps at most once).
  auto at = [&](std::size_t k) { return hold_head_ + k < capacity ? hold_head_ + k : hold_head_ + k - capacity; };
  float peak[kChunk];
  float gain[kChunk];

  for (std::size_t i = 0; i < frames; i += kChunk) {
    const std::size_t n = std::min(kChunk, frames - i);

    // 1. NaN and infinities become 0; the peak of each frame over the channels.
    std::fill(peak, peak + n, 0.0f);
    for (int c = 0; c < channels_; ++c) {
      float* x = channels[c] + i;
      for (std::size_t k = 0; k < n; ++k) {
        const float v = std::fabs(x[k]) <= std::numeric_limits<float>::max() ? x[k] : 0.0f;
        x[k] = v;
        peak[k] = std::max(peak[k], std::fabs(v));
      }
    }
    int loud = 0;  // an integer OR (not a float max chain) so that the compiler vectorizes it
    for (std::size_t k = 0; k < n; ++k) loud |= peak[k] > threshold;

    // 2. The gain of each output frame. Fast path: no reduction in progress and nothing above the
    // threshold: the gain stays exactly 1 (the queue stays empty, the deficits 0).
    const bool unity = hold_size_ == 0 && deficit_nonzero_ == 0 && reduction_ == 0.0f && loud == 0;
    if (unity) {
      frame_ += n;
    } else {
      std::size_t pos = pos_;
      for (std::size_t k = 0; k < n; ++k) {
        const float need = peak[k] > threshold ? threshold / peak[k] : 1.0f;
        const std::uint64_t f = frame_++;
        // Sliding minimum of `need` over frames f - L .. f. Frames that need no reduction are not
        // queued: an empty queue means 1.
        while (hold_size_ > 0 && hold_frame_[hold_head_] + lookahead < f) {
          hold_head_ = hold_head_ + 1 == capacity ? 0 : hold_head_ + 1;
          --hold_size_;
        }
        if (need < 1.0f) {
          while (hold_size_ > 0 && hold_gain_[at(hold_size_ - 1)] >= need) --hold_size_;
          const std::size_t back = at(hold_size_);
          hold_frame_[back] = f;
          hold_gain_[back] = need;
          ++hold_size_;
        }
        const float held = hold_size_ > 0 ? hold_gain_[hold_head_] : 1.0f;

        // Moving average of the held gain over `window` frames, as deficits.
        const float deficit = 1.0f - held;
        float& slot = peaks_[pos];
        if (slot != 0.0f) --deficit_nonzero_;
        if (deficit != 0.0f) ++deficit_nonzero_;
        deficit_sum_ += static_cast<double>(deficit) - static_cast<double>(slot);
        slot = deficit;
        if (++pos == window) pos = 0;
        float needed = 0.0f;  // 1 - the average
        if (deficit_nonzero_ == 0) {
          deficit_sum_ = 0.0;
        } else {
          needed = static_cast<float>(std::clamp(deficit_sum_ * inverse_window, 0.0, 1.0));
        }

        // The reduction itself (not the gain) decays, so it reaches 0 instead of sticking a few
        // float steps below a gain of 1.
        float released = reduction_ * release_coeff_;
        if (released < kReleaseDone) released = 0.0f;
        reduction_ = std::max(needed, released);
        gain[k] = 1.0f - reduction_;
        min_gain_ = std::min(min_gain_, gain[k]);
      }
      gain_ = gain[n - 1];
    }

    // 3. The delay line (swap each sample with the one `lookahead` frames older), then the gain
    // and the hard clamp that guarantees the threshold against rounding.
    std::size_t pos = pos_;
    for (int c = 0; c < channels_; ++c) {
      float* x = channels[c] + i;
      if (lookahead > 0) {
        float* ring = delay_[static_cast<std::size_t>(c)].data();
        pos = pos_;
        for (std::size_t k = 0; k < n;) {
          const std::size_t segment = std::min(n - k, lookahead - pos);
          std::swap_ranges(x + k, x + k + segment, ring + pos);
          k += segment;
          pos += segment;
          if (pos == lookahead) pos = 0;
        }
      }
      if (!unity) {
        for (std::size_t k = 0; k < n; ++k) x[k] = std::min(std::max(x[k] * gain[k], -threshold), threshold);
      }
    }
    if (lookahead > 0) pos_ = pos;  // the deficits ring has the same length and position
  }
}

// ---- Mixer ----------------------------------------------------------------------------------------

Mixer::Mixer(MixerOptions options)
    : options_(sanitize(options)),
      limiter_enabled_(options_.limiter),
      limiter_(options_.channels, options_.limiter_options) {}

int Mixer::add_source() {
  Source source{
      next_id_++,
      std::vector<std::vector<float>>(static_cast<std::size_t>(options_.channels),
                                      std::vector<float>(static_cast<std::size_t>(options_.max_frames), 0.0f)),
      GainStage(options_.sample_rate, options_.ramp_ms, 1.0f)};
  sources_.push_back(std::move(source));
  return sources_.back().id;
}

bool Mixer::remove_source(int id) {
  const auto it = std::find_if(sources_.begin(), sources_.end(), [id](const Source& s) { return s.id == id; });
  if (it == sources_.end()) return false;
  sources_.erase(it);  // the other sources' buffers move with their vectors: their pointers stay valid
  return true;
}

bool Mixer::has_source(int id) const { return find(id) != nullptr; }

std::size_t Mixer::source_count() const { return sources_.size(); }

Mixer::Source* Mixer::find(int id) {
  for (auto& s : sources_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

const Mixer::Source* Mixer::find(int id) const {
  for (const auto& s : sources_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

float* Mixer::input(int id, int channel) {
  Source* s = find(id);
  if (s == nullptr || channel < 0 || channel >= options_.channels) return nullptr;
  return s->buffers[static_cast<std::size_t>(channel)].data();
}

void Mixer::set_volume(int id, float volume) {
  Source* s = find(id);
  if (s == nullptr) return;
  s->volume = std::isnan(volume) ? 0.0f : std::clamp(volume, 0.0f, 10.0f);
  if (!s->muted) s->gain.set_gain(s->volume);
}

void Mixer::set_muted(int id, bool muted) {
  Source* s = find(id);
  if (s == nullptr || s->muted == muted) return;
  s->muted = muted;
  s->gain.set_gain(muted ? 0.0f : s->volume);
}

void Mixer::set_active(int id, bool active) {
  Source* s = find(id);
  if (s != nullptr) s->active = active;
}

bool Mixer::mix(float* const* out, std::size_t frames) {
  if (frames > static_cast<std::size_t>(options_.max_frames)) return false;
  const int channels = options_.channels;
  for (int c = 0; c < channels; ++c) std::fill(out[c], out[c] + frames, 0.0f);
  const float* src[kMaxChannels];
  for (auto& s : sources_) {
    if (!s.active) continue;
    if (!s.gain.ramping() && s.gain.gain() == 0.0f) continue;  // muted (or volume 0) and silent
    for (int c = 0; c < channels; ++c) src[c] = s.buffers[static_cast<std::size_t>(c)].data();
    s.gain.mix_into(out, src, channels, frames);
  }
  if (limiter_enabled_) limiter_.process(out, frames);
  return true;
}

int Mixer::latency_frames() const { return limiter_enabled_ ? limiter_.latency_frames() : 0; }

}  // namespace trtc::audio
