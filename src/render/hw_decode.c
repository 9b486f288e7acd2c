/* Hardware video decoding for the render pass (hw_decode.h). */
#include <stdio.h>
#include <stdlib.h>

#include <libavutil/hwcontext.h>
#include <libavutil/pixdesc.h>

#include "ave/error.h"
#include "core/hw_codec.h"
#include "render/hw_decode.h"

struct render_hwdec {
    enum AVPixelFormat hw_fmt; /* first: dec->opaque points here */
    AVBufferRef *device;
    AVFrame *download; /* the device frame's copy, in the device's layout */
    AVFrame *planar;   /* its yuv420p unpacking */
    double bytes;      /* charged against --gpu-memory-limit */
    struct SwsContext *sws;
    int64_t frames;
    char name[16];
};

enum AVPixelFormat render_hwdec_get_format(AVCodecContext *dec, const enum AVPixelFormat *fmts)
{
    const enum AVPixelFormat *want = dec->opaque;
    for (const enum AVPixelFormat *p = fmts; want && *p != AV_PIX_FMT_NONE; p++)
        if (*p == *want)
            return *p;
    return avcodec_default_get_format(dec, fmts);
}

/* The largest pool any decoder FFmpeg runs on these devices allocates. */
enum { MAX_REFERENCES = 16, SURFACES_IN_FLIGHT = 2 };

double render_hwdec_bound_bytes(int width, int height)
{
    double w = (width + 15) & ~15, h = (height + 15) & ~15;
    return (MAX_REFERENCES + SURFACES_IN_FLIGHT) * 1.5 * w * h;
}

double render_hwdec_bytes(const render_hwdec *h)
{
    return h ? h->bytes : 0;
}

int render_hwdec_attach(render_hwdec **out, AVCodecContext *dec, const char *device,
                        double limit_bytes, char *why, size_t whylen)
{
    double bytes = render_hwdec_bound_bytes(dec->width, dec->height);
    enum AVHWDeviceType type = av_hwdevice_find_type_by_name(device);
    enum AVPixelFormat hw_fmt;
    render_hwdec *h;
    int ret;

    *out = NULL;
    if (dec->pix_fmt != AV_PIX_FMT_YUV420P && dec->pix_fmt != AV_PIX_FMT_YUVJ420P) {
        snprintf(why, whylen, "the source is %s, only 8-bit 4:2:0 is decoded on the GPU",
                 av_get_pix_fmt_name(dec->pix_fmt) ? av_get_pix_fmt_name(dec->pix_fmt) : "?");
        return AVE_ERR_UNSUPPORTED;
    }
    if (type == AV_HWDEVICE_TYPE_NONE) {
        snprintf(why, whylen, "this FFmpeg has no %s support", device);
        return AVE_ERR_UNSUPPORTED;
    }
    if ((hw_fmt = ave_hw_decode_format(dec->codec, type)) == AV_PIX_FMT_NONE) {
        snprintf(why, whylen, "%s cannot decode %s", device, dec->codec->name);
        return AVE_ERR_UNSUPPORTED;
    }
    if (limit_bytes > 0 && bytes > limit_bytes) {
        snprintf(why, whylen,
                 "the %s decoder's surfaces for %dx%d may take %.0f MB, over --gpu-memory-limit "
                 "(%.0f MB)", device, dec->width, dec->height, bytes / 1048576.0,
                 limit_bytes / 1048576.0);
        return AVE_ERR_UNSUPPORTED;
    }
    if (!(h = calloc(1, sizeof(*h))))
        return AVE_ERR_NOMEM;
    h->hw_fmt = hw_fmt;
    h->bytes = bytes;
    snprintf(h->name, sizeof(h->name), "%s", device);
    if ((ret = av_hwdevice_ctx_create(&h->device, type, NULL, NULL, 0)) < 0) {
        snprintf(why, whylen, "the %s device does not open: %s", device, av_err2str(ret));
        render_hwdec_free(&h);
        return AVE_ERR_UNSUPPORTED;
    }
    if (!(h->download = av_frame_alloc()) || !(h->planar = av_frame_alloc()) ||
        !(dec->hw_device_ctx = av_buffer_ref(h->device))) {
        render_hwdec_free(&h);
        return AVE_ERR_NOMEM;
    }
    dec->opaque = &h->hw_fmt;
    dec->get_format = render_hwdec_get_format;
    *out = h;
    return 0;
}

int render_frame_to_yuv420p(struct SwsContext **sws, const AVFrame *src, AVFrame *dst)
{
    int ret;

    if (src->format == AV_PIX_FMT_YUV420P)
        return av_frame_ref(dst, src) < 0 ? AVE_ERR_NOMEM : 0;
    /* Same size and depth: swscale's unscaled path only moves samples (the
     * range is left alone: both formats are "limited" to it). */
    *sws = sws_getCachedContext(*sws, src->width, src->height, src->format, src->width, src->height,
                                AV_PIX_FMT_YUV420P, SWS_POINT, NULL, NULL, NULL);
    if (!*sws)
        return AVE_ERR_UNSUPPORTED;
    dst->format = AV_PIX_FMT_YUV420P;
    dst->width = src->width;
    dst->height = src->height;
    if (av_frame_get_buffer(dst, 0) < 0)
        return AVE_ERR_NOMEM;
    ret = sws_scale(*sws, (const uint8_t *const *)src->data, src->linesize, 0, src->height,
                    dst->data, dst->linesize);
    if (ret < 0 || av_frame_copy_props(dst, src) < 0) {
        av_frame_unref(dst);
        return ret < 0 ? AVE_ERR_INTERNAL : AVE_ERR_NOMEM;
    }
    return 0;
}

int render_hwdec_download(render_hwdec *h, AVFrame *frame)
{
    int ret;

    if (frame->format != h->hw_fmt)
        return 0;
    av_frame_unref(h->download);
    if (av_hwframe_transfer_data(h->download, frame, 0) < 0)
        return AVE_ERR_INTERNAL;
    /* The device's pool may hold padded pictures (1088 lines for 1080). */
    h->download->width = frame->width;
    h->download->height = frame->height;
    if (av_frame_copy_props(h->download, frame) < 0)
        return AVE_ERR_NOMEM;
    av_frame_unref(h->planar);
    if ((ret = render_frame_to_yuv420p(&h->sws, h->download, h->planar)) < 0)
        return ret;
    av_frame_unref(frame);
    av_frame_move_ref(frame, h->planar);
    h->frames++;
    return 1;
}

int64_t render_hwdec_frames(const render_hwdec *h)
{
    return h ? h->frames : 0;
}

const char *render_hwdec_device(const render_hwdec *h)
{
    return h->name;
}

void render_hwdec_free(render_hwdec **h)
{
    if (!*h)
        return;
    av_frame_free(&(*h)->download);
    av_frame_free(&(*h)->planar);
    sws_freeContext((*h)->sws);
    av_buffer_unref(&(*h)->device);
    free(*h);
    *h = NULL;
}
