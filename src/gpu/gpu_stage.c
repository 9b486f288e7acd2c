/* The "gpu" stage (--enable-gpu-acceleration, AI_VIDEO_EDITOR_ENABLE_GPU):
 * finds out, before anything is decoded, which of FFmpeg's hardware paths
 * this machine can really use, and records it in job->gpu for the render
 * stage and in the metrics ("gpu": requested, device, decode, encode,
 * fallback_reason).
 *
 * What runs on the GPU today is the render stage's H.264 encoder (NVENC;
 * settings per --quality in docs/GPU.md). Decoding stays on the CPU: the
 * render pass crossfades, overlays and scales frames in system memory, and
 * a hardware decoder would need each frame copied back; that path is not
 * built (and was not measurable here: no GPU with NVENC was lent).
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

#define STAGE "gpu"

typedef struct gpu_candidate {
    enum AVHWDeviceType type;
    const char *device;  /* the hwcontext's name */
    const char *encoder; /* its H.264 encoder taking system-memory frames, or NULL */
} gpu_candidate;

/* VAAPI's encoder wants frames in GPU surfaces (an upload the render pass
 * does not do), so a VAAPI device serves decoding only. */
static const gpu_candidate candidates[] = {
    {AV_HWDEVICE_TYPE_CUDA, "cuda", "h264_nvenc"},
    {AV_HWDEVICE_TYPE_VAAPI, "vaapi", NULL},
    {AV_HWDEVICE_TYPE_QSV, "qsv", "h264_qsv"},
};

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

static void probe(ave_gpu_info *g)
{
    char why[sizeof(g->fallback)] = "no CUDA, VAAPI or QSV device could be opened";

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
        if (c->encoder && encoder_opens(c->encoder, dev, why, sizeof(why))) {
            snprintf(g->device, sizeof(g->device), "%s", c->device);
            snprintf(g->encoder, sizeof(g->encoder), "%s", c->encoder);
            av_buffer_unref(&dev);
            g->fallback[0] = '\0';
            return;
        }
        av_buffer_unref(&dev);
    }
    snprintf(g->fallback, sizeof(g->fallback), "%s", why);
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
    probe(g);
    if (!g->encoder[0])
        ave_log(AVE_LOG_WARNING, STAGE, "GPU acceleration asked for, but %s: encoding on the CPU",
                g->fallback);
    else
        ave_log(AVE_LOG_INFO, STAGE, "%s device: encoding with %s (decoding on the CPU)",
                g->device, g->encoder);
    ave_job_metric_bool(job, STAGE, "requested", 1);
    ave_job_metric_string(job, STAGE, "device", g->device[0] ? g->device : "none");
    ave_job_metric_string(job, STAGE, "decode", "cpu");
    ave_job_metric_string(job, STAGE, "encode", g->encoder[0] ? g->encoder : "libx264");
    ave_job_metric_string(job, STAGE, "fallback_reason", g->fallback);
    /* The original tool's TensorFlow setting: FFmpeg's encoders allocate
     * their surfaces when they open, there is nothing to grow. */
    if (job->cfg->gpu_memory_growth) {
        ave_log(AVE_LOG_WARNING, STAGE, "--gpu-memory-growth has no effect: the GPU encoder "
                "allocates its surfaces when it opens (bound them with --gpu-memory-limit)");
        ave_job_metric_bool(job, STAGE, "memory_growth_applied", 0);
    }
    return 0;
}

const ave_stage ave_stage_gpu = {
    .name = STAGE,
    .description = "find a usable GPU encoder (--enable-gpu-acceleration)",
    .weight = 0.01,
    .enabled = gpu_enabled,
    .run = gpu_run,
};
