// Writes an Ogg Opus file of a sine, for the browser tests and benchmarks (which need an Ogg Opus
// fixture and have no encoder of their own): make_ogg_opus <out.opus> [seconds] [hz] [channels] [bitrate]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "../support/ogg_opus_writer.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <out.opus> [seconds=3] [hz=1000] [channels=2] [bitrate=64000]\n", argv[0]);
    return 2;
  }
  trtc::audio::testing::OpusEncodeOptions o;
  o.seconds = argc > 2 ? std::atof(argv[2]) : 3.0;
  o.hz = argc > 3 ? std::atof(argv[3]) : 1000.0;
  o.channels = argc > 4 ? std::atoi(argv[4]) : 2;
  o.bitrate = argc > 5 ? std::atoi(argv[5]) : 64000;
  o.amplitude = 0.5f;
  if (o.seconds <= 0 || o.seconds > 600 || o.channels < 1 || o.channels > 2) {
    std::fprintf(stderr, "bad arguments\n");
    return 2;
  }
  const auto file = trtc::audio::testing::write_ogg_opus(trtc::audio::testing::encode_opus(o));
  std::FILE* f = std::fopen(argv[1], "wb");
  if (!f || std::fwrite(file.data(), 1, file.size(), f) != file.size() || std::fclose(f) != 0) {
    std::perror(argv[1]);
    return 1;
  }
  return 0;
}
