/* The "gpu" stage (--enable-gpu-acceleration, AI_VIDEO_EDITOR_ENABLE_GPU):
 * finds out, before anything is decoded, which of FFmpeg's hardware paths
 * this machine can really use, and records it in job->gpu for the render
 * stage and in the metrics ("gpu": requested, device, decode, encode,
 * fallback_reason; what really ran is render's video_decode and
 * video_encoder).
 *
 * What can run on the GPU is the render stage's video decoding (NVDEC
 * through CUDA, or VAAPI, when the device can decode the input's codec; the
 * frames are copied back for the crossfades and overlays) and its H.264
 * encoder (NVENC or QSV; settings per --quality in docs/GPU.md). Analysis
 * decoding stays on the CPU (docs/GPU.md says why).
 *
 * A path counts only when it opens: a device context is created
 * (av_hwdevice_ctx_create: CUDA, then VAAPI, then QSV) and, for encoding,
 * an H.264 encoder for that device opens on a small test picture. A driver
 * library that is installed but finds no card, a card without an encoder
 * (data-centre GPUs such as the H100 have NVDEC but no NVENC), or a build
 * without the wrapper all fail here, once, with one warning line, and the
 * job runs on the CPU exactly as without the flag; asking for the GPU
 * never fails a job. */
#include <stdio.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/hwcontext.h>

#include "ave/ave.h"
#include "core/hw_codec.h"

#define STAGE "gpu"

typedef struct gpu_candidate {
    enum AVHWDeviceType type;
    const char *device;  /* the hwcontext's name */
    const char *encoder; /* its H.264 encoder taking system-memory frames, or NULL */
    int decodes;         /* FFmpeg's native decoders take it as a device (hwaccel) */
} gpu_candidate;

/* VAAPI's encoder wants frames in GPU surfaces (an upload the render pass
 * does not do), so a VAAPI device serves decoding only; QSV decodes through
 * separate decoders (h264_qsv) that the render pass does not use. */
static const gpu_candidate candidates[] = {
    {AV_HWDEVICE_TYPE_CUDA, "cuda", "h264_nvenc", 1},
    {AV_HWDEVICE_TYPE_VAAPI, "vaapi", NULL, 1},
    {AV_HWDEVICE_TYPE_QSV, "qsv", "h264_qsv", 0},
};

/* Whether the input's decoder has a hardware path on this device type. */
static int decodes_on(const char *codec_name, enum AVHWDeviceType type)
{
    const AVCodecDescriptor *d = avcodec_descriptor_get_by_name(codec_name);
    return ave_hw_decode_format(d ? avcodec_find_decoder(d->id) : NULL, type) !=
           AV_PIX_FMT_NONE;
}

/* Open the encoder on a 256x256 picture: installed is not usable. */
static int encoder_opens(const char *name, AVBufferRef *device, char *why, size_t len)
{
    const AVCodec *codec = avcodec_find_encoder_by_name(name);
    AVCodecContext *c;
    int ret;

    if (!codec) {
        snprintf(why, len, "this FFmpeg has no %s", name);
        return 0;
    }
    if (!(c = avcodec_alloc_context3(codec))) {
        snprintf(why, len, "out of memory");
        return 0;
    }
    c->width = c->height = 256;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->time_base = (AVRational){1, 25};
    c->framerate = (AVRational){25, 1};
    c->hw_device_ctx = av_buffer_ref(device);
    ret = avcodec_open2(c, codec, NULL);
    if (ret < 0)
        snprintf(why, len, "%s does not open: %s", name, av_err2str(ret));
    avcodec_free_context(&c);
    return ret >= 0;
}

/* The first device whose encoder opens encodes; the first that can decode
 * the input's codec decodes (the H100 case: CUDA decodes, libx264 encodes). */
static void probe(ave_gpu_info *g, const char *codec_name)
{
    char why[sizeof(g->fallback)] = "no CUDA, VAAPI or QSV device could be opened";
    char no_decode[sizeof(g->fallback)] = "";

    for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
        const gpu_candidate *c = &candidates[i];
        AVBufferRef *dev = NULL;
        int ret = av_hwdevice_ctx_create(&dev, c->type, NULL, NULL, 0);
        if (ret < 0)
            continue;
        if (!g->device[0]) {
            snprintf(g->device, sizeof(g->device), "%s", c->device);
            snprintf(why, sizeof(why), "%s has no usable H.264 encoder", c->device);
        }
        if (!g->decode[0] && c->decodes) {
            if (decodes_on(codec_name, c->type))
                snprintf(g->decode, sizeof(g->decode), "%s", c->device);
            else if (!no_decode[0])
                snprintf(no_decode, sizeof(no_decode), "%s cannot decode %s", c->device,
                         codec_name);
        }
        if (!g->encoder[0] && c->encoder && encoder_opens(c->encoder, dev, why, sizeof(why))) {
            snprintf(g->device, sizeof(g->device), "%s", c->device);
            snprintf(g->encoder, sizeof(g->encoder), "%s", c->encoder);
        }
        av_buffer_unref(&dev);
    }
    if (!g->encoder[0] && !g->decode[0] && no_decode[0])
        snprintf(g->fallback, sizeof(g->fallback), "%s; %s", why, no_decode);
    else if (!g->encoder[0])
        snprintf(g->fallback, sizeof(g->fallback), "%s", why);
    else if (!g->decode[0])
        snprintf(g->fallback, sizeof(g->fallback), "%s",
                 no_decode[0] ? no_decode : "no device decodes video");
    if (!g->encoder[0] && g->decode[0])
        snprintf(g->device, sizeof(g->device), "%s", g->decode);
}

static int gpu_enabled(const ave_job *job, const void *opts)
{
    (void)opts;
    return job->cfg->enable_gpu_acceleration;
}

static int gpu_run(void *priv, const void *opts, ave_job *job)
{
    ave_gpu_info *g = &job->gpu;
    (void)priv;
    (void)opts;
    memset(g, 0, sizeof(*g));
    g->requested = 1;
    probe(g, job->media.video_codec);
    if (!g->encoder[0] && !g->decode[0])
        ave_log(AVE_LOG_WARNING, STAGE,
                "GPU acceleration asked for, but %s: decoding and encoding on the CPU",
                g->fallback);
    else
        ave_log(g->encoder[0] && g->decode[0] ? AVE_LOG_INFO : AVE_LOG_WARNING, STAGE,
                "%s device: decoding on the %s, encoding with %s%s%s", g->device,
                g->decode[0] ? "GPU" : "CPU", g->encoder[0] ? g->encoder : "libx264 on the CPU",
                g->fallback[0] ? " (" : "", g->fallback[0] ? ")" : "");
    ave_job_metric_bool(job, STAGE, "requested", 1);
    ave_job_metric_string(job, STAGE, "device", g->device[0] ? g->device : "none");
    ave_job_metric_string(job, STAGE, "decode", g->decode[0] ? g->decode : "cpu");
    ave_job_metric_string(job, STAGE, "encode", g->encoder[0] ? g->encoder : "libx264");
    ave_job_metric_string(job, STAGE, "fallback_reason", g->fallback);
    /* The original tool's TensorFlow setting: FFmpeg's encoders allocate
     * their surfaces when they open, there is nothing to grow. */
    if (job->cfg->gpu_memory_growth) {
        ave_log(AVE_LOG_WARNING, STAGE,
                "--gpu-memory-growth has no effect: the GPU encoder "
                "allocates its surfaces when it opens (bound them with --gpu-memory-limit)");
        ave_job_metric_bool(job, STAGE, "memory_growth_applied", 0);
    }
    return 0;
}

const ave_stage ave_stage_gpu = {
    .name = STAGE,
    .description = "find a usable GPU decoder and encoder (--enable-gpu-acceleration)",
    .weight = 0.01,
    .enabled = gpu_enabled,
    .run = gpu_run,
};
