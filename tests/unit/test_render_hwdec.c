/* The render pass's GPU decoding (src/render/hw_decode.c), on any machine:
 * the unpacking of a device frame's NV12 copy must give exactly the planes
 * the CPU decoder gives (or the GPU edit would differ from the CPU edit),
 * the decoder must pick the device's format only when it is offered, and
 * attaching must refuse what it cannot do with a reason. */
#include <string.h>

#include <libavutil/frame.h>
#include <libavutil/hwcontext.h>

#include "check.h"
#include "core/hw_codec.h"
#include "render/hw_decode.h"

/* An odd-sized picture (chroma rounding) with every byte value in use. */
static AVFrame *test_picture(int w, int h)
{
    AVFrame *f = av_frame_alloc();
    f->format = AV_PIX_FMT_YUV420P;
    f->width = w;
    f->height = h;
    if (av_frame_get_buffer(f, 0) < 0)
        return NULL;
    for (int p = 0; p < 3; p++) {
        int pw = p ? (w + 1) / 2 : w, ph = p ? (h + 1) / 2 : h;
        for (int y = 0; y < ph; y++)
            for (int x = 0; x < pw; x++)
                f->data[p][y * f->linesize[p] + x] = (uint8_t)(x * 7 + y * 13 + p * 101);
    }
    f->pts = 1234;
    f->color_range = AVCOL_RANGE_JPEG;
    return f;
}

static int same_planes(const AVFrame *a, const AVFrame *b)
{
    for (int p = 0; p < 3; p++) {
        int pw = p ? (a->width + 1) / 2 : a->width, ph = p ? (a->height + 1) / 2 : a->height;
        for (int y = 0; y < ph; y++)
            if (memcmp(a->data[p] + y * a->linesize[p], b->data[p] + y * b->linesize[p], pw))
                return 0;
    }
    return 1;
}

static void test_nv12_unpack_is_exact(void)
{
    AVFrame *ref = test_picture(333, 187), *nv12 = av_frame_alloc(), *out = av_frame_alloc();
    struct SwsContext *pack = NULL, *unpack = NULL;

    CHECK(ref != NULL);
    /* What av_hwframe_transfer_data gives for an 8-bit CUDA/VAAPI frame. */
    nv12->format = AV_PIX_FMT_NV12;
    nv12->width = ref->width;
    nv12->height = ref->height;
    CHECK(av_frame_get_buffer(nv12, 0) == 0);
    pack = sws_getContext(ref->width, ref->height, AV_PIX_FMT_YUV420P, ref->width, ref->height,
                          AV_PIX_FMT_NV12, SWS_POINT, NULL, NULL, NULL);
    CHECK(sws_scale(pack, (const uint8_t *const *)ref->data, ref->linesize, 0, ref->height,
                    nv12->data, nv12->linesize) == ref->height);
    CHECK(av_frame_copy_props(nv12, ref) == 0);

    CHECK_EQ_INT(render_frame_to_yuv420p(&unpack, nv12, out), 0);
    CHECK_EQ_INT(out->format, AV_PIX_FMT_YUV420P);
    CHECK_EQ_INT(out->width, 333);
    CHECK_EQ_INT(out->height, 187);
    CHECK(same_planes(ref, out));
    CHECK_EQ_INT(out->pts, 1234);
    CHECK_EQ_INT(out->color_range, AVCOL_RANGE_JPEG); /* tag kept, samples untouched */

    /* Already planar: a reference, no conversion. */
    av_frame_unref(out);
    CHECK_EQ_INT(render_frame_to_yuv420p(&unpack, ref, out), 0);
    CHECK(out->data[0] == ref->data[0]);

    sws_freeContext(pack);
    sws_freeContext(unpack);
    av_frame_free(&ref);
    av_frame_free(&nv12);
    av_frame_free(&out);
}

static void test_get_format(void)
{
    const AVCodec *h264 = avcodec_find_decoder(AV_CODEC_ID_H264);
    AVCodecContext *dec = avcodec_alloc_context3(h264);
    enum AVPixelFormat cuda = AV_PIX_FMT_CUDA;
    const enum AVPixelFormat with_cuda[] = {AV_PIX_FMT_CUDA, AV_PIX_FMT_YUV420P, AV_PIX_FMT_NONE};
    const enum AVPixelFormat without[] = {AV_PIX_FMT_VAAPI, AV_PIX_FMT_YUV420P, AV_PIX_FMT_NONE};

    dec->opaque = &cuda;
    CHECK_EQ_INT(render_hwdec_get_format(dec, with_cuda), AV_PIX_FMT_CUDA);
    /* The device's format not offered (FFmpeg's fallback after a failed
     * hardware setup): the software format, never another device's. */
    CHECK_EQ_INT(render_hwdec_get_format(dec, without), AV_PIX_FMT_YUV420P);
    avcodec_free_context(&dec);
}

static void test_attach(void)
{
    const AVCodec *h264 = avcodec_find_decoder(AV_CODEC_ID_H264);
    AVCodecContext *dec = avcodec_alloc_context3(h264);
    render_hwdec *h = (render_hwdec *)&h; /* must be reset */
    char why[160] = "";

    dec->pix_fmt = AV_PIX_FMT_YUV420P;
    CHECK(render_hwdec_attach(&h, dec, "no-such-device", 0, why, sizeof(why)) < 0);
    CHECK(h == NULL);
    CHECK(strstr(why, "no-such-device") != NULL);

    /* A 10-bit source stays on the CPU, whatever the machine has. */
    dec->pix_fmt = AV_PIX_FMT_YUV420P10LE;
    CHECK(render_hwdec_attach(&h, dec, "cuda", 0, why, sizeof(why)) < 0);
    CHECK(strstr(why, "8-bit") != NULL);
    CHECK(dec->hw_device_ctx == NULL && dec->get_format != render_hwdec_get_format);

    /* An 8-bit source: a GPU machine attaches, this one says why not. */
    dec->pix_fmt = AV_PIX_FMT_YUV420P;
    why[0] = '\0';
    if (render_hwdec_attach(&h, dec, "cuda", 0, why, sizeof(why)) == 0) {
        CHECK(dec->hw_device_ctx != NULL && dec->get_format == render_hwdec_get_format);
        CHECK_EQ_INT(*(enum AVPixelFormat *)dec->opaque, AV_PIX_FMT_CUDA);
        CHECK_EQ_INT(render_hwdec_frames(h), 0);
        CHECK(strcmp(render_hwdec_device(h), "cuda") == 0);
    } else {
        CHECK(h == NULL && strlen(why) > 10 && dec->hw_device_ctx == NULL);
        fprintf(stderr, "no CUDA here: %s\n", why);
    }
    avcodec_free_context(&dec);
    render_hwdec_free(&h);
    render_hwdec_free(&h); /* idempotent */
}

/* --gpu-memory-limit decides whether the device decodes at all: the pool
 * cannot shrink below the stream's references. */
static void test_memory_limit(void)
{
    const AVCodec *h264 = avcodec_find_decoder(AV_CODEC_ID_H264);
    AVCodecContext *dec = avcodec_alloc_context3(h264);
    render_hwdec *h = NULL;
    char why[160] = "";
    /* 1080p pads to 1088 lines: 18 NV12 pictures of 1920x1088. */
    double full_hd = 18 * 1.5 * 1920 * 1088;

    CHECK(render_hwdec_bound_bytes(1920, 1080) == full_hd);
    CHECK(render_hwdec_bound_bytes(1918, 1080) == full_hd);
    CHECK(render_hwdec_bound_bytes(3840, 2160) == 4 * 18 * 1.5 * 1920 * 1080);
    CHECK(render_hwdec_bytes(NULL) == 0);

    dec->pix_fmt = AV_PIX_FMT_YUV420P;
    dec->width = 1920;
    dec->height = 1080;
    if (ave_hw_decode_format(h264, AV_HWDEVICE_TYPE_CUDA) == AV_PIX_FMT_NONE) {
        fprintf(stderr, "this FFmpeg has no NVDEC path for H.264: limit not reached\n");
    } else {
        CHECK(render_hwdec_attach(&h, dec, "cuda", full_hd - 1, why, sizeof(why)) < 0);
        CHECK(h == NULL && dec->hw_device_ctx == NULL);
        CHECK(strstr(why, "--gpu-memory-limit") != NULL && strstr(why, "1920x1080") != NULL);
        /* At the bound the limit lets it through to the device (which this
         * machine may not have). */
        why[0] = '\0';
        if (render_hwdec_attach(&h, dec, "cuda", full_hd, why, sizeof(why)) == 0)
            CHECK(render_hwdec_bytes(h) == full_hd);
        else
            CHECK(strstr(why, "--gpu-memory-limit") == NULL);
    }
    avcodec_free_context(&dec);
    render_hwdec_free(&h);
}

int main(void)
{
    test_nv12_unpack_is_exact();
    test_get_format();
    test_attach();
    test_memory_limit();
    return CHECK_DONE();
}
