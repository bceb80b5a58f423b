// Proves the codec libraries this project links (Opus and libvpx: Debian's -dev packages natively,
// Debian's source packages built with Emscripten for WASM) work in both builds: each round-trips
// real media through its encoder and decoder.
#include <gtest/gtest.h>
#include <opus.h>
#include <vpx/vp8cx.h>
#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>
#include <vpx/vpx_encoder.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace {

constexpr double kPi = 3.14159265358979323846;

TEST(Codecs, OpusRoundTripKeepsA1kHzTone) {
  int err = 0;
  OpusEncoder* enc = opus_encoder_create(48000, 1, OPUS_APPLICATION_AUDIO, &err);
  ASSERT_EQ(err, OPUS_OK);
  OpusDecoder* dec = opus_decoder_create(48000, 1, &err);
  ASSERT_EQ(err, OPUS_OK);
  opus_encoder_ctl(enc, OPUS_SET_BITRATE(64000));

  constexpr int kFrame = 960;  // 20 ms
  std::vector<float> in(kFrame), out(kFrame);
  std::vector<unsigned char> packet(4000);
  double energy_in = 0, energy_out = 0;
  for (int f = 0; f < 50; ++f) {
    for (int i = 0; i < kFrame; ++i) {
      in[i] = 0.5f * static_cast<float>(std::sin(2 * kPi * 1000.0 * (f * kFrame + i) / 48000.0));
    }
    const int bytes = opus_encode_float(enc, in.data(), kFrame, packet.data(), static_cast<int>(packet.size()));
    ASSERT_GT(bytes, 0);
    ASSERT_EQ(opus_decode_float(dec, packet.data(), bytes, out.data(), kFrame, 0), kFrame);
    if (f >= 10) {  // skip the codec's start-up
      for (int i = 0; i < kFrame; ++i) {
        energy_in += in[i] * in[i];
        energy_out += out[i] * out[i];
      }
    }
  }
  // The decoded tone has the input's energy within 1 dB.
  EXPECT_NEAR(10 * std::log10(energy_out / energy_in), 0.0, 1.0);
  opus_encoder_destroy(enc);
  opus_decoder_destroy(dec);
}

TEST(Codecs, Vp8RoundTripKeepsAGradient) {
  constexpr int kW = 160, kH = 120;
  vpx_codec_enc_cfg_t cfg;
  ASSERT_EQ(vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &cfg, 0), VPX_CODEC_OK);
  cfg.g_w = kW;
  cfg.g_h = kH;
  cfg.rc_target_bitrate = 500;
  vpx_codec_ctx_t enc, dec;
  ASSERT_EQ(vpx_codec_enc_init(&enc, vpx_codec_vp8_cx(), &cfg, 0), VPX_CODEC_OK);
  ASSERT_EQ(vpx_codec_dec_init(&dec, vpx_codec_vp8_dx(), nullptr, 0), VPX_CODEC_OK);

  vpx_image_t img;
  ASSERT_NE(vpx_img_alloc(&img, VPX_IMG_FMT_I420, kW, kH, 1), nullptr);
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) img.planes[0][y * img.stride[0] + x] = static_cast<std::uint8_t>(x + y);
  for (int p = 1; p < 3; ++p)
    for (int y = 0; y < kH / 2; ++y)
      for (int x = 0; x < kW / 2; ++x) img.planes[p][y * img.stride[p] + x] = 128;

  ASSERT_EQ(vpx_codec_encode(&enc, &img, 0, 1, VPX_EFLAG_FORCE_KF, VPX_DL_REALTIME), VPX_CODEC_OK);
  vpx_codec_iter_t it = nullptr;
  const vpx_codec_cx_pkt_t* pkt = nullptr;
  int frames = 0;
  double abs_err = 0;
  while ((pkt = vpx_codec_get_cx_data(&enc, &it)) != nullptr) {
    if (pkt->kind != VPX_CODEC_CX_FRAME_PKT) continue;
    ASSERT_EQ(vpx_codec_decode(&dec, static_cast<const std::uint8_t*>(pkt->data.frame.buf),
                               static_cast<unsigned>(pkt->data.frame.sz), nullptr, 0),
              VPX_CODEC_OK);
    vpx_codec_iter_t dit = nullptr;
    vpx_image_t* out = vpx_codec_get_frame(&dec, &dit);
    ASSERT_NE(out, nullptr);
    ASSERT_EQ(static_cast<int>(out->d_w), kW);
    ASSERT_EQ(static_cast<int>(out->d_h), kH);
    for (int y = 0; y < kH; ++y)
      for (int x = 0; x < kW; ++x)
        abs_err += std::abs(out->planes[0][y * out->stride[0] + x] - img.planes[0][y * img.stride[0] + x]);
    ++frames;
  }
  EXPECT_EQ(frames, 1);
  EXPECT_LT(abs_err / (kW * kH), 3.0);  // mean luma error of a smooth gradient at 500 kbps
  vpx_img_free(&img);
  vpx_codec_destroy(&enc);
  vpx_codec_destroy(&dec);
}

}  // namespace
