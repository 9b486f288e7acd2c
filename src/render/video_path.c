/* Video path of the render: decode every frame (references need it), keep
 * the frames whose timestamp lies in a kept span, retime them and encode
 * them with libx264.
 *
 * Timing: out_pts = pts - src0 + delta[k], where delta[k] is the span's
 * output offset minus its source start, rounded once per span in the input
 * time base. Offsets never accumulate rounding, and VFR spacing inside a span
 * is kept as is. Each frame is held until the next kept frame arrives so its
 * duration (the gap to that frame) is known; the last frame lasts until the
 * end of the edit, so video and audio end together. Decoded frames carry
 * best_effort_timestamp in presentation order, so B-frame reordering needs
 * nothing special. Frames go to the encoder without a copy when they are
 * already 4:2:0 8-bit (yuvj420p is relabelled yuv420p + full range); others
 * go through swscale. --zoom-cuts crops and scales the punched-in frames
 * (zoom.c) before B-roll cards (job->analysis.overlays) are blended into
 * the kept frames by overlay.c at their source time, so cards are never
 * zoomed; burned-in captions (--captions) by captions.c just before each
 * frame is encoded, on the output clock. Assumes the input time base is
 * fine enough to express the frame rate (true for every real container). */
#include <stdlib.h>
#include <string.h>

#include <libavutil/display.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>

#include "render/render_internal.h"

/* A frame counts as inside a span when it starts no more than this before
 * the span: boundaries are microsecond roundings of frame-grid times, so a
 * frame exactly on a cut may land a microsecond either side of it. */
#define RENDER_EDGE_US 500

static void ring_push(render_dur_ring *r, int64_t pts, int64_t dur)
{
    unsigned i;
    if (r->count == RENDER_DUR_RING) { /* forget the oldest */
        r->head = (r->head + 1) % RENDER_DUR_RING;
        r->count--;
    }
    i = (r->head + r->count) % RENDER_DUR_RING;
    r->pts[i] = pts;
    r->dur[i] = dur;
    r->count++;
}

int64_t render_video_take_duration(render_video *v, int64_t pts)
{
    render_dur_ring *r = &v->ring;
    int64_t d = 0;
    unsigned k;
    for (k = 0; k < r->count; k++) {
        unsigned i = (r->head + k) % RENDER_DUR_RING;
        if (r->pts[i] == pts) {
            d = r->dur[i];
            r->pts[i] = AV_NOPTS_VALUE;
            break;
        }
    }
    while (r->count && r->pts[r->head] == AV_NOPTS_VALUE) {
        r->head = (r->head + 1) % RENDER_DUR_RING;
        r->count--;
    }
    return d;
}

static int open_decoder(render_ctx *ctx)
{
    render_video *v = &ctx->v;
    const AVCodec *codec = avcodec_find_decoder(v->ist->codecpar->codec_id);
    int ret;

    if (!codec)
        return ave_job_fail(ctx->job, AVE_ERR_INPUT, "%s: no decoder for video codec %s",
                            ctx->job->input_path, avcodec_get_name(v->ist->codecpar->codec_id));
    if (!(v->dec = avcodec_alloc_context3(codec)))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    if ((ret = avcodec_parameters_to_context(v->dec, v->ist->codecpar)) < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INPUT, "%s: bad video parameters: %s",
                            ctx->job->input_path, av_err2str(ret));
    v->dec->pkt_timebase = v->ist->time_base;
    v->dec->thread_count = ctx->job->threads;
    v->dec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    if (ctx->job->gpu.decode[0]) {
        char why[160];
        ret = render_hwdec_attach(&v->hw, v->dec, ctx->job->gpu.decode,
                                  ctx->job->cfg->gpu_memory_limit_gb * 1073741824.0, why,
                                  sizeof(why));
        if (ret == AVE_ERR_NOMEM)
            return ave_job_fail(ctx->job, ret, "render: out of memory");
        if (ret < 0)
            ave_log(AVE_LOG_WARNING, RENDER_LOG, "%s: decoding the video on the CPU", why);
        else /* the device does the work; CPU threads would only wait on it */
            v->dec->thread_count = 1;
    }
    if ((ret = avcodec_open2(v->dec, codec, NULL)) < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INPUT, "%s: cannot open the video decoder: %s",
                            ctx->job->input_path, av_err2str(ret));
    return 0;
}

/* NVENC presets for --quality low..ultra: p1 is the fastest, p7 the
 * slowest and best; each is the one whose speed relative to the others
 * matches the x264 preset of that quality (veryfast, faster, medium, slow). */
static const char *const nvenc_presets[] = {"p2", "p3", "p5", "p7"};

/* The encoder's options: x264's preset and CRF, or for NVENC the matching
 * preset with variable bit rate aimed at a constant quality of the same
 * number (cq, NVENC's counterpart of CRF; docs/GPU.md). */
static void encoder_options(const render_ctx *ctx, const char *name, AVDictionary **eopts)
{
    char crf[16];
    int q = ctx->job->cfg->quality;
    snprintf(crf, sizeof(crf), "%d", ctx->crf);
    if (!strcmp(name, "h264_nvenc")) {
        av_dict_set(eopts, "preset", nvenc_presets[q >= 0 && q <= 3 ? q : 2], 0);
        av_dict_set(eopts, "rc", "vbr", 0);
        av_dict_set(eopts, "cq", crf, 0);
        av_dict_set(eopts, "b", "0", 0);
        /* --gpu-memory-limit: what NVENC lets us bound is its count of
         * input surfaces; each holds a 4:2:0 frame, and its references take
         * about as much again, so two frames' bytes per surface. An NVDEC
         * decoder, on the same CUDA device, has taken its share first. */
        if (ctx->job->cfg->gpu_memory_limit_gb > 0) {
            const render_hwdec *hw = ctx->v.hw;
            double frame = 1.5 * ctx->v.dec->width * ctx->v.dec->height;
            double left = ctx->job->cfg->gpu_memory_limit_gb * 1073741824.0 -
                          (hw && !strcmp(render_hwdec_device(hw), "cuda") ? render_hwdec_bytes(hw)
                                                                           : 0);
            double n = left / (2 * frame);
            char surfaces[16];
            snprintf(surfaces, sizeof(surfaces), "%d", n < 1 ? 1 : n > 64 ? 64 : (int)n);
            av_dict_set(eopts, "surfaces", surfaces, 0);
        }
        return;
    }
    av_dict_set(eopts, "preset", ctx->es.x264_preset, 0);
    av_dict_set(eopts, "crf", crf, 0);
    /* Above 1440p no lookahead thread: closing the encoder joins it, and it
     * finishes its analysis first, which on an 8K input took 0.9-1.8 s after
     * a --timeout or Ctrl-C (with it off: under 0.04 s). Smaller frames keep
     * x264's default, as the ffmpeg CLI does: the thread takes the frame-type
     * decisions and mb-tree off the thread that also decodes, and at 720p
     * the join costs a tenth of 8K's. The stream is bit-identical either way
     * (8K: same 29436621 bytes; 720p medium: same video md5). */
    if ((int64_t)ctx->v.dec->width * ctx->v.dec->height > 2560 * 1440)
        av_dict_set(eopts, "x264-params", "sync-lookahead=0", 0);
}

/* Set up and open encoder `name` for the decoded stream; *averr gets
 * FFmpeg's error when it does not open. */
static int try_encoder(render_ctx *ctx, const AVCodec *codec, int *averr)
{
    render_video *v = &ctx->v;
    AVDictionary *eopts = NULL;
    AVRational fr = v->ist->avg_frame_rate;
    enum AVPixelFormat in_fmt = v->dec->pix_fmt;

    avcodec_free_context(&v->enc);
    if (!(v->enc = avcodec_alloc_context3(codec)))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    /* 4:2:0 needs even sizes; an odd line or column is scaled away. */
    v->enc->width = v->dec->width & ~1;
    v->enc->height = v->dec->height & ~1;
    if (v->enc->width <= 0 || v->enc->height <= 0)
        return ave_job_fail(ctx->job, AVE_ERR_INPUT, "%s: video size %dx%d is unusable",
                            ctx->job->input_path, v->dec->width, v->dec->height);
    v->enc->pix_fmt = AV_PIX_FMT_YUV420P;
    /* Frames passed through untouched keep their range; swscale output is
     * always limited range. */
    if (in_fmt == AV_PIX_FMT_YUVJ420P ||
        (in_fmt == AV_PIX_FMT_YUV420P && v->dec->color_range == AVCOL_RANGE_JPEG))
        v->enc->color_range = AVCOL_RANGE_JPEG;
    else
        v->enc->color_range = AVCOL_RANGE_MPEG;
    v->enc->color_primaries = v->dec->color_primaries;
    v->enc->color_trc = v->dec->color_trc;
    v->enc->colorspace = v->dec->colorspace;
    v->enc->sample_aspect_ratio = av_guess_sample_aspect_ratio(ctx->ic, v->ist, NULL);
    v->enc->time_base = v->ist->time_base;
    if (fr.num <= 0 || fr.den <= 0)
        fr = v->ist->r_frame_rate;
    if (fr.num > 0 && fr.den > 0)
        v->enc->framerate = fr; /* x264's rate control wants a nominal rate */
    v->enc->thread_count = ctx->job->threads;
    if (ctx->oc->oformat->flags & AVFMT_GLOBALHEADER)
        v->enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (ctx->measure_quality)
        render_quality_encoder_flags(v->enc, codec);
    encoder_options(ctx, codec->name, &eopts);
    *averr = avcodec_open2(v->enc, codec, &eopts);
    av_dict_free(&eopts);
    v->nominal = fr.num > 0 ? av_rescale_q(1, av_inv_q(fr), v->ist->time_base) : 1;
    if (v->nominal < 1)
        v->nominal = 1;
    return 0;
}

/* The GPU encoder the gpu stage found (--enable-gpu-acceleration), else
 * libx264. A GPU encoder that fails here (a driver that opened a 256x256
 * test picture but refuses this size, say) gives way to libx264 with a
 * warning: asking for the GPU never fails a job. */
static int open_encoder(render_ctx *ctx)
{
    const char *gpu = ctx->job->gpu.encoder;
    const AVCodec *codec = gpu[0] ? avcodec_find_encoder_by_name(gpu) : NULL;
    int ret, averr = 0;

    if (codec) {
        if ((ret = try_encoder(ctx, codec, &averr)) < 0)
            return ret;
        if (averr >= 0) {
            ave_job_metric_string(ctx->job, RENDER_LOG, "video_encoder", codec->name);
            return 0;
        }
        ave_log(AVE_LOG_WARNING, RENDER_LOG, "%s does not open for this video (%s): encoding "
                "with libx264", gpu, av_err2str(averr));
    }
    if (!(codec = avcodec_find_encoder_by_name("libx264")))
        return ave_job_fail(ctx->job, AVE_ERR_UNSUPPORTED,
                            "render: this FFmpeg build has no libx264 encoder");
    if ((ret = try_encoder(ctx, codec, &averr)) < 0)
        return ret;
    if (averr < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "render: cannot open libx264: %s",
                            av_err2str(averr));
    ave_job_metric_string(ctx->job, RENDER_LOG, "video_encoder", "libx264");
    return 0;
}

static int open_stream(render_ctx *ctx)
{
    render_video *v = &ctx->v;
    size_t size = 0;
    const uint8_t *matrix;
    int ret;

    if (!(v->ost = avformat_new_stream(ctx->oc, NULL)))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    if ((ret = avcodec_parameters_from_context(v->ost->codecpar, v->enc)) < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "render: video parameters: %s",
                            av_err2str(ret));
    v->ost->time_base = v->enc->time_base;
    v->ost->sample_aspect_ratio = v->enc->sample_aspect_ratio;
    v->ost->avg_frame_rate = v->enc->framerate;
    /* Rotation is metadata: copy the display matrix, leave pixels alone. */
    matrix = av_stream_get_side_data(v->ist, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (matrix && size >= 9 * sizeof(int32_t)) {
        uint8_t *dst = av_stream_new_side_data(v->ost, AV_PKT_DATA_DISPLAYMATRIX, size);
        if (!dst)
            return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
        memcpy(dst, matrix, size);
    }
    return 0;
}

int render_video_open(render_ctx *ctx)
{
    render_video *v = &ctx->v;
    AVRational tb;
    size_t k;
    int ret;

    v->ist = ctx->ic->streams[v->index];
    tb = v->ist->time_base;
    v->last_out = -1;
    v->last_src = AV_NOPTS_VALUE;
    if ((ret = open_decoder(ctx)) < 0 || (ret = open_encoder(ctx)) < 0 ||
        (ret = open_stream(ctx)) < 0)
        return ret;
    if (!(v->frame = av_frame_alloc()) ||
        !(v->delta = calloc(ctx->nspans, sizeof(*v->delta))))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    for (k = 0; k < ctx->nspans; k++)
        v->delta[k] = av_rescale_q(ctx->spans[k].out_us - ctx->spans[k].start_us,
                                   AV_TIME_BASE_Q, tb);
    v->src0 = av_rescale_q(ctx->src0_us, AV_TIME_BASE_Q, tb);
    v->end_out = av_rescale_q(ctx->kept_us, AV_TIME_BASE_Q, tb);
    if ((ret = render_overlays_new(&v->overlays, ctx->job, ctx->job->analysis.overlays,
                                   ctx->job->analysis.overlay_count, v->enc->width,
                                   v->enc->height, ctx->job->media.rotation_deg)) < 0)
        return ret;
    if ((ret = render_zoom_new(&v->zoom, ctx->job, ctx->opts, ctx->spans, ctx->nspans,
                               v->enc->width, v->enc->height)) < 0)
        return ret;
    /* Optional: failing to set up the verifier only loses the measurement. */
    if (ctx->measure_quality &&
        render_quality_from_encoder(&v->quality, v->enc) == AVE_ERR_UNSUPPORTED)
        (void)render_quality_new(&v->quality, v->enc, v->end_out / v->nominal, ctx->job->threads);
    return 0;
}

/* Hand frame f (ownership taken) to the encoder with duration dur. */
static int encode_frame(render_ctx *ctx, AVFrame *f, int64_t dur)
{
    render_video *v = &ctx->v;
    int ret;

    if ((ret = render_captions_frame(ctx, f, dur)) < 0) { /* --captions burn|both */
        av_frame_free(&f);
        return ret;
    }
    ring_push(&v->ring, f->pts, dur);
    render_quality_frame(v->quality, f);
    ret = avcodec_send_frame(v->enc, f);
    av_frame_free(&f);
    if (ret < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "%s: video encoder refused a frame: %s",
                            ctx->job->input_path, av_err2str(ret));
    v->frames_encoded++;
    if ((ret = render_mux_drain(ctx, v->enc, v->ost, 1)) < 0)
        return ret;
    /* also reached from the decoder's flush, outside the demux loop */
    return render_check(ctx);
}

/* Make the encoder's copy of the decoded frame: a move when the format fits,
 * a swscale conversion otherwise. *out is a new frame owned by the caller. */
static int prepare_frame(render_ctx *ctx, AVFrame **out)
{
    render_video *v = &ctx->v;
    AVFrame *src = v->frame, *dst = av_frame_alloc();
    int ret;

    if (!dst)
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    if ((src->format == AV_PIX_FMT_YUV420P || src->format == AV_PIX_FMT_YUVJ420P) &&
        src->width == v->enc->width && src->height == v->enc->height) {
        av_frame_move_ref(dst, src);
        if (dst->format == AV_PIX_FMT_YUVJ420P) {
            dst->format = AV_PIX_FMT_YUV420P;
            dst->color_range = AVCOL_RANGE_JPEG;
        }
    } else {
        const int *coefs = sws_getCoefficients(SWS_CS_DEFAULT);
        int full = src->color_range == AVCOL_RANGE_JPEG;
        const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(src->format);
        v->sws = sws_getCachedContext(v->sws, src->width, src->height, src->format,
                                      v->enc->width, v->enc->height, AV_PIX_FMT_YUV420P,
                                      SWS_BICUBIC, NULL, NULL, NULL);
        if (!v->sws) {
            av_frame_free(&dst);
            return ave_job_fail(ctx->job, AVE_ERR_UNSUPPORTED,
                                "%s: cannot convert pixel format %s to yuv420p",
                                ctx->job->input_path, d ? d->name : "?");
        }
        /* yuvj* formats already imply full range; plain ones carry it as a tag. */
        if (full && d && !(d->flags & AV_PIX_FMT_FLAG_RGB))
            sws_setColorspaceDetails(v->sws, coefs, 1, coefs, 0, 0, 1 << 16, 1 << 16);
        dst->format = AV_PIX_FMT_YUV420P;
        dst->width = v->enc->width;
        dst->height = v->enc->height;
        if ((ret = av_frame_get_buffer(dst, 0)) < 0 ||
            (ret = sws_scale(v->sws, (const uint8_t *const *)src->data, src->linesize, 0,
                             src->height, dst->data, dst->linesize)) < 0) {
            av_frame_free(&dst);
            return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "render: pixel conversion failed: %s",
                                av_err2str(ret));
        }
        av_frame_copy_props(dst, src);
        dst->color_range = AVCOL_RANGE_MPEG;
        av_frame_unref(src);
    }
    /* Let x264 place keyframes; the source's picture types mean nothing here. */
    dst->pict_type = AV_PICTURE_TYPE_NONE;
    *out = dst;
    return 0;
}

static int handle_frame(render_ctx *ctx)
{
    render_video *v = &ctx->v;
    AVFrame *f = NULL, *raw = NULL;
    int64_t pts = v->frame->best_effort_timestamp, out, t_us;
    long k;
    int ret;

    v->frames_in++;
    if (pts == AV_NOPTS_VALUE)
        pts = v->last_src == AV_NOPTS_VALUE ? v->src0 : v->last_src + v->nominal;
    v->last_src = pts;
    t_us = av_rescale_q(pts, v->ist->time_base, AV_TIME_BASE_Q) - ctx->src0_us;
    k = render_span_find(ctx, t_us + RENDER_EDGE_US, &v->cursor);
    if (k < 0) {
        av_frame_unref(v->frame);
        return 0;
    }
    out = pts - v->src0 + v->delta[k];
    if (out <= v->last_out)
        out = v->last_out + 1;
    v->last_out = out;
    if ((ret = prepare_frame(ctx, &f)) < 0)
        return ret;
    /* the --aspect versions crop the frame before the punch-in */
    if (ctx->reframe && !(raw = av_frame_clone(f))) {
        av_frame_free(&f);
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    }
    if ((ret = render_zoom_apply(v->zoom, &f, t_us, k)) < 0 ||
        (ret = render_overlays_apply(v->overlays, f, t_us)) < 0 ||
        (ret = render_reframe_frame(ctx, raw, f, t_us, out)) < 0) {
        av_frame_free(&raw);
        av_frame_free(&f);
        return ret;
    }
    av_frame_free(&raw);
    f->pts = out;
    if (v->pending_set) {
        AVFrame *p = v->pending;
        v->pending = NULL;
        v->pending_set = 0;
        if ((ret = encode_frame(ctx, p, out - p->pts)) < 0) {
            av_frame_free(&f);
            return ret;
        }
    }
    v->pending = f;
    v->pending_set = 1;
    return 0;
}

/* Receive every frame the decoder has ready. A decoding error is a warning:
 * the damaged frame is dropped and the neighbours carry on. */
static int receive_frames(render_ctx *ctx)
{
    render_video *v = &ctx->v;
    int ret;
    for (;;) {
        ret = avcodec_receive_frame(v->dec, v->frame);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret == AVERROR(ENOMEM))
            return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory decoding video");
        if (ret < 0) {
            v->corrupt++;
            ave_log(AVE_LOG_WARNING, RENDER_LOG, "%s: skipping an undecodable video frame: %s",
                    ctx->job->input_path, av_err2str(ret));
            return 0;
        }
        if (v->hw && (ret = render_hwdec_download(v->hw, v->frame)) < 0)
            return ave_job_fail(ctx->job, ret == AVE_ERR_NOMEM ? ret : AVE_ERR_INTERNAL,
                                "render: cannot copy a decoded frame from the %s device",
                                render_hwdec_device(v->hw));
        if ((ret = handle_frame(ctx)) < 0)
            return ret;
    }
}

/* A packet whose picture lies in a cut and that no other picture references
 * need not be decoded: handle_frame would drop it. The decoder skips
 * non-reference pictures (AVDISCARD_NONREF) for such packets only; the
 * decision is handle_frame's own test on the same timestamp, so every kept
 * frame decodes exactly as before. Packets without pts are always decoded. */
static void skip_in_cuts(render_ctx *ctx, const AVPacket *pkt)
{
    render_video *v = &ctx->v;
    int cut = 0;

    if (pkt && pkt->pts != AV_NOPTS_VALUE) {
        int64_t t_us = av_rescale_q(pkt->pts, v->ist->time_base, AV_TIME_BASE_Q) - ctx->src0_us;
        cut = render_span_find(ctx, t_us + RENDER_EDGE_US, &v->pkt_cursor) < 0;
    }
    v->dec->skip_frame = cut ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
}

int render_video_packet(render_ctx *ctx, const AVPacket *pkt)
{
    render_video *v = &ctx->v;
    int ret;

    skip_in_cuts(ctx, pkt);
    ret = avcodec_send_packet(v->dec, pkt);
    if (ret == AVERROR(ENOMEM))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory decoding video");
    if (ret < 0 && ret != AVERROR_EOF) {
        v->corrupt++;
        ave_log(AVE_LOG_WARNING, RENDER_LOG, "%s: skipping a corrupt video packet: %s",
                ctx->job->input_path, av_err2str(ret));
    }
    return receive_frames(ctx);
}

/* What decoded the video (--enable-gpu-acceleration): the device only
 * when its frames really came through; FFmpeg falls back to its software
 * decoder by itself when the device refuses the stream at the first frame. */
static void report_decode(render_ctx *ctx)
{
    render_video *v = &ctx->v;
    int64_t hw = render_hwdec_frames(v->hw);

    if (v->hw && hw == 0)
        ave_log(AVE_LOG_WARNING, RENDER_LOG, "the %s device decoded no frame of this video "
                "(FFmpeg fell back to its software decoder)", render_hwdec_device(v->hw));
    ave_job_metric_string(ctx->job, RENDER_LOG, "video_decode",
                          hw > 0 ? render_hwdec_device(v->hw) : "cpu");
    ave_job_metric_number(ctx->job, RENDER_LOG, "video_frames_decoded_on_gpu", (double)hw);
}

int render_video_finish(render_ctx *ctx)
{
    render_video *v = &ctx->v;
    int ret;

    if ((ret = render_video_packet(ctx, NULL)) < 0)
        return ret;
    if (v->pending_set) {
        AVFrame *p = v->pending;
        int64_t dur = v->end_out - p->pts;
        v->pending = NULL;
        v->pending_set = 0;
        if ((ret = encode_frame(ctx, p, dur > 0 ? dur : v->nominal)) < 0)
            return ret;
    }
    if (v->frames_encoded == 0)
        return ave_job_fail(ctx->job, AVE_ERR_INPUT, "%s: no decodable video frame in the kept parts",
                            ctx->job->input_path);
    if ((ret = avcodec_send_frame(v->enc, NULL)) < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "render: video encoder flush: %s",
                            av_err2str(ret));
    if ((ret = render_mux_drain(ctx, v->enc, v->ost, 1)) < 0)
        return ret;
    render_quality_packet(v->quality, NULL);
    if (ctx->job->gpu.requested)
        report_decode(ctx);
    if (v->overlays)
        ave_job_metric_number(ctx->job, "render", "overlay_frames",
                              (double)render_overlays_frames(v->overlays));
    return 0;
}

void render_video_close(render_ctx *ctx)
{
    render_video *v = &ctx->v;
    avcodec_free_context(&v->dec);
    render_hwdec_free(&v->hw); /* after the decoder, which holds the device */
    avcodec_free_context(&v->enc);
    render_quality_free(&v->quality);
    render_overlays_free(&v->overlays);
    render_zoom_free(&v->zoom);
    sws_freeContext(v->sws);
    v->sws = NULL;
    av_frame_free(&v->frame);
    av_frame_free(&v->pending);
    av_frame_free(&v->conv);
    free(v->delta);
    v->delta = NULL;
}
