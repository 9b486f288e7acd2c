/* The render stage: one pass over the input that demuxes, decodes, keeps
 * only what lies in the timeline's kept segments and re-encodes it as H.264 +
 * AAC in MP4 ("video/edited.mp4"), or AAC in M4A ("audio/edited.m4a") when
 * the input has no video. It dominates the job's run time (weight 0.7).
 * With --captions both it also writes video/edited.captioned.mp4 in the
 * same pass (captions.c).
 *
 * Why re-encode rather than copy untouched GOPs: a copied part must start on
 * a keyframe, so the frames from each cut to the next keyframe must be
 * re-encoded, and mixing copied and re-encoded frames in one MP4 track needs
 * one sample description (SPS/PPS in avcC) valid for both; x264's parameter
 * sets differ from the source encoder's (profile, refs, POC type, ...), so
 * that only works by re-encoding with the source's exact settings or by
 * in-band parameter sets (avc3), which many players reject.
 *
 * Source time: the timeline's 0 is the container's start_time (0 for almost
 * every MP4), the same origin the probe and decode stages use.
 * Threads: job->threads (0 = auto) for the video decoder and for x264.
 * Quality: see ave_quality_encoder_settings (ave/config.h); `crf` overrides.
 * PSNR (`measure-quality`, on by default): x264 measures each frame against
 * its reconstruction as it encodes and quality.c reads the figures from its
 * log (no measurable cost, same stream); other encoders get a second decode
 * of the output as it is produced, on about one frame a second (one more
 * decode of the reference frames: on a 720p clip about 9% of the render with
 * preset veryfast and 5% with slow). */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/time.h>

#include "ave/log.h"
#include "ave/resources.h"
#include "render/render_internal.h"

#define QUALITY_MEM_FRAMES 16 /* verifier decoder pictures + kept frames */

static const char *const captions_choices[] = {"file", "burn", "both", NULL};
static const char *const caption_style_choices[] = {"clean", "bold", "karaoke", NULL};
static const char *const aspect_choices[] = {"9:16", "1:1", "4:5", NULL};

static const ave_option render_options[] = {
    { .name = "crossfade-ms",
      .type = AVE_OPT_DOUBLE,
      .offset = offsetof(ave_render_opts, crossfade_ms),
      .def.d = 20,
      .min = 0,
      .max = 200,
      .help = "length of the audio crossfade at each cut",
      .stage = "render" },
    { .name = "crf",
      .type = AVE_OPT_INT,
      .offset = offsetof(ave_render_opts, crf),
      .def.i = -1,
      .min = -1,
      .max = 51,
      .help = "x264 constant rate factor (lower is better and bigger); -1: from --quality",
      .stage = "render" },
    { .name = "faststart",
      .type = AVE_OPT_BOOL,
      .offset = offsetof(ave_render_opts, faststart),
      .def.i = 0,
      .help = "put the MP4 index first for web streaming (rewrites the file once more)",
      .stage = "render" },
    { .name = "measure-quality",
      .type = AVE_OPT_BOOL,
      .offset = offsetof(ave_render_opts, measure_quality),
      .def.i = 1,
      .help = "measure the output's PSNR (x264 reports it per frame at no cost; other "
              "encoders decode the output again, 5-10% more CPU time)",
      .stage = "render" },
    { .name = "zoom-cuts",
      .type = AVE_OPT_BOOL,
      .offset = offsetof(ave_render_opts, zoom_cuts),
      .def.i = 0,
      .help = "alternate full frame and a punch-in on the speaker's face at each jump cut",
      .stage = "render" },
    { .name = "zoom-amount",
      .type = AVE_OPT_DOUBLE,
      .offset = offsetof(ave_render_opts, zoom_amount),
      .def.d = 115,
      .min = 100,
      .max = 200,
      .help = "the --zoom-cuts punch-in, percent (lowered where the face would not fit)",
      .stage = "render" },
    { .name = "zoom-motion",
      .type = AVE_OPT_BOOL,
      .offset = offsetof(ave_render_opts, zoom_motion),
      .def.i = 0,
      .help = "--zoom-cuts punch-ins push in slowly (2 % a second, at most 8 %)",
      .stage = "render" },
    { .name = "captions",
      .type = AVE_OPT_ENUM,
      .offset = offsetof(ave_render_opts, captions),
      .def.i = 0,
      .choices = captions_choices,
      .help = "file: subtitle files only; burn: captions drawn into video/edited.mp4; "
              "both: edited.mp4 clean plus video/edited.captioned.mp4 (docs/CAPTIONS.md)",
      .stage = "render",
      .flags = AVE_OPTF_NO_RESULT },
    { .name = "caption-style",
      .type = AVE_OPT_ENUM,
      .offset = offsetof(ave_render_opts, caption_style),
      .def.i = 0,
      .choices = caption_style_choices,
      .help = "burned-in captions: clean (white on a dark box), bold (outlined), "
              "karaoke (the spoken word highlighted)",
      .stage = "render",
      .flags = AVE_OPTF_NO_RESULT },
    { .name = "aspect",
      .type = AVE_OPT_STRING,
      .offset = offsetof(ave_render_opts, aspect),
      .choices = aspect_choices,
      .help = "also write the edit reframed on the speaker: 9:16, 1:1, 4:5 (repeatable): "
              "video/edited_9x16.mp4 ... (docs/ASPECT.md)",
      .stage = "render",
      .flags = AVE_OPTF_NO_RESULT | AVE_OPTF_LIST },
    { .name = NULL }
};

static int render_init(void *priv, const void *opts, ave_job *job)
{
    render_ctx *ctx = priv;
    const ave_render_opts *o = opts;

    ctx->job = job;
    ctx->opts = o;
    ctx->v.index = ctx->a.index = -1;
    if (!o)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "render: options missing");
    if (!job->media.has_video && !job->media.has_audio)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: no audio or video stream to render",
                            job->input_path);
    if (ave_quality_encoder_settings(job->cfg->quality, &ctx->es) < 0)
        return ave_job_fail(job, AVE_ERR_USAGE, "render: unknown quality level %d",
                            job->cfg->quality);
    ctx->crf = o->crf >= 0 ? (int)o->crf : ctx->es.crf;
    ctx->measure_quality = o->measure_quality;
    ctx->relpath = job->media.has_video ? "video/edited.mp4" : "audio/edited.m4a";
    return 0;
}

static int open_input(render_ctx *ctx)
{
    ave_job *job = ctx->job;
    unsigned i;
    int ret;

    if ((ret = avformat_open_input(&ctx->ic, job->input_path, NULL, NULL)) < 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: cannot open: %s", job->input_path,
                            av_err2str(ret));
    if ((ret = avformat_find_stream_info(ctx->ic, NULL)) < 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: cannot read stream info: %s",
                            job->input_path, av_err2str(ret));
    ctx->src0_us = ctx->ic->start_time != AV_NOPTS_VALUE ? ctx->ic->start_time : 0;
    if (job->media.has_video)
        ctx->v.index = job->media.video_stream;
    if (job->media.has_audio)
        ctx->a.index = job->media.audio_stream;
    if (ctx->v.index >= (int)ctx->ic->nb_streams || ctx->a.index >= (int)ctx->ic->nb_streams)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "%s: stream indexes do not match the probe",
                            job->input_path);
    /* Skip demuxing work for streams we do not use (subtitles, data, ...). */
    for (i = 0; i < ctx->ic->nb_streams; i++)
        if ((int)i != ctx->v.index && (int)i != ctx->a.index)
            ctx->ic->streams[i]->discard = AVDISCARD_ALL;
    return 0;
}

/* The big buffers (x264 lookahead and references, decoder frames),
 * accounted against --max-memory with the same estimate the adaptive stage
 * planned with (ave/resources.h). */
static int reserve_memory(render_ctx *ctx)
{
    const ave_media_info *m = &ctx->job->media;
    int64_t frame = (int64_t)m->width * m->height * 3 / 2;
    int64_t bytes = ave_estimate_render_bytes(m, ctx->job->cfg->quality);
    int ret;

    if (!m->has_video)
        return 0;
    if ((ret = ave_job_mem_reserve(ctx->job, bytes)) < 0)
        return ret;
    ctx->mem_reserved = bytes;
    /* The quality check's decoder (references + threads) and its few kept
     * frames, needed only with a GPU encoder (x264 reports PSNR itself). It
     * is optional, so a tight budget turns it off instead of failing the job. */
    if (ctx->measure_quality && ctx->job->gpu.encoder[0]) {
        int64_t q = frame * QUALITY_MEM_FRAMES;
        const ave_job *job = ctx->job;
        if (job->mem_limit_bytes > 0 && job->mem_reserved_bytes + q > job->mem_limit_bytes) {
            ave_log(AVE_LOG_WARNING, RENDER_LOG,
                    "not measuring output quality: it needs %.0f MB more than --max-memory allows",
                    (double)(job->mem_reserved_bytes + q - job->mem_limit_bytes) / (1024.0 * 1024));
            ctx->measure_quality = 0;
        } else if ((ret = ave_job_mem_reserve(ctx->job, q)) < 0) {
            return ret;
        } else {
            ctx->mem_reserved += q;
        }
    }
    return 0;
}

/* Source time of a packet in microseconds (dts for video: once it passes the
 * end, so have all later presentation times). */
static int64_t packet_us(const render_ctx *ctx, const AVPacket *pkt)
{
    int64_t ts = pkt->dts != AV_NOPTS_VALUE ? pkt->dts : pkt->pts;
    if (ts == AV_NOPTS_VALUE)
        return AV_NOPTS_VALUE;
    return av_rescale_q(ts, ctx->ic->streams[pkt->stream_index]->time_base, AV_TIME_BASE_Q) -
           ctx->src0_us;
}

/* A video-only file cut short (its index intact) demuxes without error; the
 * decode stage catches this for audio, so here only inputs without audio
 * are checked: data ending well before the declared length is refused
 * rather than silently rendered short. */
static int check_complete(render_ctx *ctx)
{
    const ave_media_info *m = &ctx->job->media;
    int64_t declared = m->video_duration_us;
    int64_t slack = declared / 50 > 1000000 ? declared / 50 : 1000000;

    if (m->has_audio || ctx->v.index < 0 || declared <= 0 || ctx->last_video_us + slack >= declared)
        return 0;
    return ave_job_fail(ctx->job, AVE_ERR_INPUT,
                        "%s: truncated or corrupt: video data ends at %.1f s of %.1f s",
                        ctx->job->input_path, (double)ctx->last_video_us / 1e6,
                        (double)declared / 1e6);
}

int render_check(render_ctx *ctx)
{
    int ret = render_athread_check(ctx);
    return ret ? ret : ave_job_progress(ctx->job, ctx->done);
}

static int demux_loop(render_ctx *ctx)
{
    AVPacket *pkt = av_packet_alloc();
    int ret = 0;

    if (!pkt)
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    for (;;) {
        int64_t t;
        ret = av_read_frame(ctx->ic, pkt);
        if (ret == AVERROR_EOF) {
            ret = check_complete(ctx);
            break;
        }
        if (ret == AVERROR(EAGAIN))
            continue;
        if (ret < 0) {
            ret = ave_job_fail(ctx->job, AVE_ERR_INPUT, "%s: read error: %s",
                               ctx->job->input_path, av_err2str(ret));
            break;
        }
        t = packet_us(ctx, pkt);
        if (pkt->stream_index == ctx->v.index && t != AV_NOPTS_VALUE && t > ctx->last_video_us)
            ctx->last_video_us = t;
        /* Nothing after the last kept instant matters: stop reading there. */
        if (pkt->stream_index == ctx->v.index && !ctx->v.done) {
            if (t != AV_NOPTS_VALUE && t > ctx->stop_us + 100000)
                ctx->v.done = 1;
            else
                ret = render_video_packet(ctx, pkt);
        } else if (pkt->stream_index == ctx->a.index && !ctx->a.done) {
            if (t != AV_NOPTS_VALUE && t > ctx->stop_us + 100000)
                ctx->a.done = 1;
            else
                ret = render_audio_packet(ctx, pkt);
        }
        av_packet_unref(pkt);
        if (ret < 0)
            break;
        if ((ctx->v.index < 0 || ctx->v.done) && (ctx->a.index < 0 || ctx->a.done))
            break;
        /* Every packet: the check is a clock read (reports are throttled). */
        if (t != AV_NOPTS_VALUE && ctx->stop_us > 0) {
            double f = (double)t / (double)ctx->stop_us;
            ctx->done = f < 0 ? 0 : f > 1 ? 1 : f;
        }
        if ((ret = render_check(ctx)) != 0)
            break;
    }
    av_packet_free(&pkt);
    return ret;
}

/* PSNR figures under "render" and the job's output_quality_score, a 0..1
 * reading of the luma PSNR: score = (psnr - 25 dB) / 20 dB, clamped, rounded
 * to 3 decimals. 25 dB is visibly poor (blocking, smeared detail), 45 dB is
 * transparent (no visible difference), so the score is linear in dB between
 * the two. Audio-only output has no score: AAC has no cheap objective
 * measure comparable to PSNR (SNR of a perceptual codec says little), so the
 * key stays null rather than holding an invented figure. */
static void publish_quality(render_ctx *ctx)
{
    ave_job *job = ctx->job;
    render_quality_result r;
    double score;
    int measured = ctx->v.quality && render_quality_stats(ctx->v.quality, &r) == 0;

    ave_job_metric_bool(job, "render", "quality_measured", measured);
    if (!measured)
        return;
    ave_job_metric_number(job, "render", "video_psnr_db", round(r.psnr_y_db * 100) / 100);
    ave_job_metric_number(job, "render", "video_psnr_min_db", round(r.psnr_y_min_db * 100) / 100);
    ave_job_metric_number(job, "render", "video_psnr_chroma_db",
                          round(r.psnr_chroma_db * 100) / 100);
    ave_job_metric_number(job, "render", "quality_frames_measured", (double)r.frames);
    ave_job_metric_number(job, "render", "quality_sample_every", (double)r.every);
    ave_job_metric_number(job, "render", "quality_frames_missed", (double)r.missed);
    ave_job_metric_number(job, "render", "quality_packets_skipped", (double)r.skipped);
    ave_job_metric_number(job, "render", "quality_seconds", round(r.seconds * 1000) / 1000);
    score = (r.psnr_y_db - 25.0) / 20.0;
    score = score < 0 ? 0 : score > 1 ? 1 : score;
    ave_job_metric_number(job, NULL, "output_quality_score", round(score * 1000) / 1000);
    ave_log(AVE_LOG_VERBOSE, RENDER_LOG, "PSNR %.2f dB (worst frame %.2f dB) over %lld frames",
            r.psnr_y_db, r.psnr_y_min_db, (long long)r.frames);
}

static int publish_metrics(render_ctx *ctx, double seconds)
{
    ave_job *job = ctx->job;
    render_video *v = &ctx->v;

    ave_job_metric_string(job, "render", "encoder_preset", ctx->es.x264_preset);
    ave_job_metric_number(job, "render", "crf", ctx->crf);
    ave_job_metric_number(job, "render", "audio_bitrate", ctx->es.audio_bitrate);
    ave_job_metric_number(job, "render", "video_frames_encoded", (double)v->frames_encoded);
    ave_job_metric_number(job, "render", "video_frames_decoded", (double)v->frames_in);
    ave_job_metric_number(job, "render", "audio_samples_written",
                          ctx->a.xfade ? (double)ave_xfade_emitted(ctx->a.xfade) : 0);
    ave_job_metric_number(job, "render", "audio_crossfades",
                          ctx->a.xfade ? (double)ave_xfade_join_count(ctx->a.xfade) : 0);
    ave_job_metric_number(job, "render", "crossfade_ms", ctx->opts->crossfade_ms);
    ave_job_metric_number(job, "render", "corrupt_packets_skipped",
                          (double)(v->corrupt + ctx->a.corrupt));
    ave_job_metric_number(job, "render", "output_bytes", (double)ctx->bytes);
    ave_job_metric_number(job, "render", "output_duration_s", ctx->out_end_us / 1e6);
    ave_job_metric_number(job, "render", "expected_duration_s", ctx->kept_us / 1e6);
    if (seconds > 0 && v->frames_encoded > 0)
        ave_job_metric_number(job, "render", "encode_fps", v->frames_encoded / seconds);
    publish_quality(ctx);
    return render_zoom_publish(v->zoom);
}

static int render_run(void *priv, const void *opts, ave_job *job)
{
    render_ctx *ctx = priv;
    int64_t t0 = av_gettime_relative();
    int ret;

    (void)opts;
    if ((ret = open_input(ctx)) < 0 || (ret = render_spans_build(ctx)) < 0 ||
        (ret = reserve_memory(ctx)) < 0 || (ret = render_mux_alloc(ctx)) < 0)
        return ret;
    if (ctx->v.index >= 0 && (ret = render_video_open(ctx)) < 0)
        return ret;
    if (ctx->a.index >= 0 && (ret = render_athread_start(ctx)) < 0)
        return ret;
    if (ctx->a.index >= 0 && !ctx->at && (ret = render_audio_open(ctx)) < 0)
        return ret;
    if ((ret = render_mux_start(ctx)) < 0 || (ret = demux_loop(ctx)) < 0)
        return ret;
    if (ret > 0) /* progress asked to stop */
        return ret;
    if (ctx->v.index >= 0 && (ret = render_video_finish(ctx)) < 0)
        return ret;
    if (ctx->a.index >= 0 && !ctx->at && (ret = render_audio_finish(ctx)) < 0)
        return ret;
    if ((ret = render_mux_finish(ctx)) < 0)
        return ret;
    job->output_duration_us = ctx->out_end_us;
    if ((ret = publish_metrics(ctx, (av_gettime_relative() - t0) / 1e6)) < 0)
        return ret;
    ave_log(AVE_LOG_VERBOSE, RENDER_LOG, "%s: %.3f s written (%.3f s kept), %lld frames",
            ctx->relpath, ctx->out_end_us / 1e6, ctx->kept_us / 1e6,
            (long long)ctx->v.frames_encoded);
    return 0;
}

static void render_uninit(void *priv, ave_job *job)
{
    render_ctx *ctx = priv;

    render_athread_free(ctx); /* joins the thread, which uses ctx->a */
    render_captions_free(ctx);
    render_reframe_free(ctx);
    render_video_close(ctx);
    render_audio_close(ctx);
    if (ctx->oc) {
        if (ctx->oc->pb)
            avio_closep(&ctx->oc->pb);
        avformat_free_context(ctx->oc);
        ctx->oc = NULL;
    }
    if (ctx->output_begun && !ctx->committed)
        ave_job_output_abort(job, ctx->relpath);
    avformat_close_input(&ctx->ic);
    av_packet_free(&ctx->opkt);
    free(ctx->spans);
    ctx->spans = NULL;
    if (ctx->mem_reserved)
        ave_job_mem_release(job, ctx->mem_reserved);
    ctx->mem_reserved = 0;
}

/* --export-only hands the edit to an NLE instead of encoding it. */
static int render_enabled(const ave_job *job, const void *opts)
{
    (void)opts;
    return !job->cfg || !job->cfg->export_only;
}

const ave_stage ave_stage_render = {
    .name = "render",
    .description = "cut the kept segments and re-encode them (H.264 + AAC in MP4)",
    .flags = 0,
    .weight = 0.7,
    .options = render_options,
    .opts_size = sizeof(ave_render_opts),
    .priv_size = sizeof(render_ctx),
    .enabled = render_enabled,
    .init = render_init,
    .run = render_run,
    .uninit = render_uninit,
};
