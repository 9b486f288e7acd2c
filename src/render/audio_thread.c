/* The render's audio on a thread of its own, with the job's audio
 * post-processing (job->audio_post: the enhance stage's chain), while the
 * video encodes on the render's thread.
 *
 * Why: the edited audio is known as soon as the plan is, and the chain needs
 * all of it before it can write anything (loudness is measured over the
 * whole edit). Run after the render, it cost a few seconds on one core
 * while the other idled, plus a second pass that copied the finished file's
 * video into a new file beside the enhanced audio. Here the thread demuxes
 * the input's audio on a demuxer of its own, cuts, crossfades and encodes it
 * exactly as the in-line path does (audio_path.c) into a scratch MP4, hands
 * that file to the chain, which writes the enhanced audio into another
 * scratch MP4, and the render's thread copies those AAC packets into the
 * output beside its video packets: one file, written once.
 *
 * The samples are those of the old two-pass order: the chain reads the same
 * AAC packets (the cut audio was encoded by the same encoder with the same
 * input) and writes the same packets, now copied rather than written by the
 * chain's own muxer. The container differs only in how the two streams'
 * packets are grouped into chunks (docs/ENHANCE.md "Chain").
 *
 * The output's header needs the audio stream's parameters, known only when
 * the chain is done, so video packets wait in memory until then (a few
 * seconds of encoding at the start; past QUEUE_CAP the video thread waits
 * instead). From then on each video packet is written after every audio
 * packet due before it, and av_interleaved_write_frame orders them. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "render/render_internal.h"

#define QUEUE_CAP (48 << 20)   /* bytes of video packets held before the header */
/* What the audio post-processing reserves itself beside the render's budget
 * (the enhance chain: 4 MB a channel, rendered audio has at most 2) */
#define POST_HEADROOM (16 << 20)
#define WAIT_SLICE_MS 50       /* video thread waiting: re-check --timeout this often */
#define CUT_NAME "render-audio-cut.mp4"
#define ENHANCED_NAME "render-audio-post.mp4"

enum { AT_RUNNING = 1 }; /* state: AT_RUNNING, 0 done, or the failure's code (< 0) */

typedef struct render_athread render_athread;

struct render_athread {
    render_ctx *ctx;
    pthread_t thread;
    int started;
    atomic_int state;
    atomic_int stop;        /* the render failed: stop between packets */
    pthread_mutex_t lock;   /* with cond: the video thread waiting for state */
    pthread_cond_t cond;
    char *cut_path, *post_path;
    AVFormatContext *ic;    /* the thread's demuxer */
    AVFormatContext *oc;    /* the cut audio */
    /* the post-processed audio, read by the render's thread once state is 0 */
    AVFormatContext *pic;
    int pidx;
    AVStream *ost;          /* its stream in the output */
    AVPacket *apkt;         /* next audio packet, read ahead */
    int apkt_valid, aeof;
    /* video packets before the header, in the encoder's time base */
    AVPacket **queue;
    size_t nq, capq;
    int64_t queued_bytes;
    AVRational vtb;         /* the video encoder's time base */
    double cpu_s, post_t0, post_s, post_cpu_s;
    int64_t mem;            /* reserved for the queue */
};

static char *scratch_path(const ave_job *job, const char *name)
{
    size_t n = strlen(job->scratch_dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", job->scratch_dir, name);
    return p;
}

/* Demux the input's audio, cut, crossfade and encode it into at->cut_path. */
static int cut_audio(render_athread *at)
{
    render_ctx *ctx = at->ctx;
    render_audio *a = &ctx->a;
    ave_job *job = ctx->job;
    AVPacket *pkt = NULL;
    int ret;

    if ((ret = avformat_open_input(&at->ic, job->input_path, NULL, NULL)) < 0 ||
        (ret = avformat_find_stream_info(at->ic, NULL)) < 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: cannot open for the audio: %s",
                            job->input_path, av_err2str(ret));
    if (a->index >= (int)at->ic->nb_streams)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "%s: audio stream index does not match",
                            job->input_path);
    for (unsigned i = 0; i < at->ic->nb_streams; i++)
        if ((int)i != a->index)
            at->ic->streams[i]->discard = AVDISCARD_ALL;
    ret = avformat_alloc_output_context2(&at->oc, NULL, "mp4", at->cut_path);
    if (ret < 0 || !at->oc)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "render: no mp4 muxer for the cut audio");
    a->ic = at->ic;
    a->oc = at->oc;
    if (!(a->pkt = av_packet_alloc()) || !(pkt = av_packet_alloc()))
        return ave_job_fail(job, AVE_ERR_NOMEM, "render: out of memory");
    if ((ret = render_audio_open(ctx)) < 0)
        goto out;
    if ((ret = avio_open(&at->oc->pb, at->cut_path, AVIO_FLAG_WRITE)) < 0 ||
        (ret = avformat_write_header(at->oc, NULL)) < 0) {
        ret = ave_job_fail(job, AVE_ERR_IO, "%s: cannot create: %s", at->cut_path,
                           av_err2str(ret));
        goto out;
    }
    for (;;) {
        int64_t ts, t;
        if (atomic_load(&at->stop)) {
            ret = AVE_ERR_CANCELLED;
            goto out;
        }
        /* --timeout, cancel, a failure elsewhere (a check, not a report) */
        if ((ret = ave_job_progress(job, 0)) != 0)
            goto out;
        ret = av_read_frame(at->ic, pkt);
        if (ret == AVERROR_EOF)
            break;
        if (ret == AVERROR(EAGAIN))
            continue;
        if (ret < 0) {
            ret = ave_job_fail(job, AVE_ERR_INPUT, "%s: read error: %s", job->input_path,
                               av_err2str(ret));
            goto out;
        }
        if (pkt->stream_index != a->index) {
            av_packet_unref(pkt);
            continue;
        }
        /* the same end as the render's own demux loop */
        ts = pkt->dts != AV_NOPTS_VALUE ? pkt->dts : pkt->pts;
        t = ts == AV_NOPTS_VALUE
                ? AV_NOPTS_VALUE
                : av_rescale_q(ts, a->ist->time_base, AV_TIME_BASE_Q) - ctx->src0_us;
        if (t != AV_NOPTS_VALUE && t > ctx->stop_us + 100000) {
            av_packet_unref(pkt);
            break;
        }
        ret = render_audio_packet(ctx, pkt);
        av_packet_unref(pkt);
        if (ret < 0)
            goto out;
    }
    if ((ret = render_audio_finish(ctx)) < 0)
        goto out;
    if ((ret = av_write_trailer(at->oc)) < 0 || (ret = avio_closep(&at->oc->pb)) < 0)
        ret = ave_job_fail(job, ret == AVERROR(ENOSPC) ? AVE_ERR_NOSPACE : AVE_ERR_IO,
                           "%s: cannot finish: %s", at->cut_path, av_err2str(ret));
out:
    av_packet_free(&pkt);
    avformat_close_input(&at->ic);
    return ret;
}

/* Open the post-processed file for the render's thread to copy from. */
static int open_post(render_athread *at)
{
    ave_job *job = at->ctx->job;
    int ret;

    if ((ret = avformat_open_input(&at->pic, at->post_path, NULL, NULL)) < 0 ||
        (ret = avformat_find_stream_info(at->pic, NULL)) < 0)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "%s: cannot read the processed audio: %s",
                            at->post_path, av_err2str(ret));
    at->pidx = av_find_best_stream(at->pic, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    if (at->pidx < 0)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "%s: no audio in the processed file",
                            at->post_path);
    if (!(at->apkt = av_packet_alloc()))
        return ave_job_fail(job, AVE_ERR_NOMEM, "render: out of memory");
    return 0;
}

static void *athread_main(void *arg)
{
    render_athread *at = arg;
    ave_job *job = at->ctx->job;
    const ave_audio_post *post = &job->audio_post;
    double cpu0 = ave_thread_cpu_s();
    int ret = cut_audio(at);

    if (ret == 0 && !atomic_load(&at->stop)) {
        double c0 = ave_thread_cpu_s();
        at->post_t0 = ave_now();
        ret = post->run(job, post->opts, at->cut_path, at->post_path);
        at->post_s = ave_now() - at->post_t0;
        at->post_cpu_s = ave_thread_cpu_s() - c0;
        unlink(at->cut_path); /* done with; the scratch folder goes at the end anyway */
        if (ret == 0)
            ret = open_post(at);
    }
    at->cpu_s = ave_thread_cpu_s() - cpu0;
    pthread_mutex_lock(&at->lock);
    atomic_store(&at->state, ret < 0 ? ret : 0);
    pthread_cond_broadcast(&at->cond);
    pthread_mutex_unlock(&at->lock);
    return NULL;
}

/* The audio's packets go to the render's file as they are, so nothing else
 * may need the render's own audio packets: the captioned copy (--captions
 * both), the reframed versions and shorts take them from the encoder. Those
 * keep the in-line audio and the enhance stage's own pass. */
static int eligible(const render_ctx *ctx)
{
    const ave_job *job = ctx->job;

    if (!job->audio_post.run || ctx->v.index < 0 || ctx->a.index < 0 || !job->scratch_dir)
        return 0;
    if (!job->cfg->parallel || job->threads == 1)
        return 0;
    if (ctx->opts->captions == RENDER_CAPTIONS_BOTH)
        return 0;
    if ((ctx->opts->aspect && ctx->opts->aspect[0]) || job->analysis.highlight_count > 0)
        return 0;
    /* Run after the render, the chain had the render's memory to itself; beside
     * it, the two and the held video packets must fit --max-memory together. */
    if (job->mem_limit_bytes > 0 &&
        job->mem_reserved_bytes + QUEUE_CAP + POST_HEADROOM > job->mem_limit_bytes) {
        ave_log(AVE_LOG_VERBOSE, RENDER_LOG,
                "audio in line: --max-memory leaves no room for the audio thread");
        return 0;
    }
    return 1;
}

int render_athread_start(render_ctx *ctx)
{
    render_athread *at;
    int ret;

    if (!eligible(ctx))
        return 0;
    if (!(at = calloc(1, sizeof(*at))))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    ctx->at = at;
    at->ctx = ctx;
    at->vtb = ctx->v.enc->time_base;
    atomic_init(&at->state, AT_RUNNING);
    atomic_init(&at->stop, 0);
    pthread_mutex_init(&at->lock, NULL);
    pthread_cond_init(&at->cond, NULL);
    if ((ret = ave_job_mem_reserve(ctx->job, QUEUE_CAP)) < 0)
        return ret;
    at->mem = QUEUE_CAP;
    if (!(at->cut_path = scratch_path(ctx->job, CUT_NAME)) ||
        !(at->post_path = scratch_path(ctx->job, ENHANCED_NAME)))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    /* the render's demuxer leaves the audio to the thread */
    ctx->ic->streams[ctx->a.index]->discard = AVDISCARD_ALL;
    ctx->a.done = 1;
    if (pthread_create(&at->thread, NULL, athread_main, at) != 0)
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: cannot start the audio thread");
    at->started = 1;
    ave_log(AVE_LOG_VERBOSE, RENDER_LOG, "audio and its %s on their own thread",
            ctx->job->audio_post.stage);
    return 0;
}

int render_athread_check(render_ctx *ctx)
{
    int s = ctx->at ? atomic_load(&ctx->at->state) : 0;
    return s < 0 ? s : 0;
}

/* 1 when the audio is ready, 0 when not yet (only without block), or the
 * thread's failure or the job's stop code. */
static int audio_ready(render_ctx *ctx, int block)
{
    render_athread *at = ctx->at;
    int s, ret;

    for (;;) {
        struct timespec ts;
        if ((s = atomic_load(&at->state)) != AT_RUNNING)
            return s < 0 ? s : 1;
        if (!block)
            return 0;
        if ((ret = render_check(ctx)) != 0)
            return ret;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += WAIT_SLICE_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&at->lock);
        if (atomic_load(&at->state) == AT_RUNNING)
            pthread_cond_timedwait(&at->cond, &at->lock, &ts);
        pthread_mutex_unlock(&at->lock);
    }
}

static void note_end(render_ctx *ctx, const AVPacket *pkt, AVRational tb)
{
    if (pkt->pts != AV_NOPTS_VALUE) {
        int64_t end = av_rescale_q(pkt->pts + pkt->duration, tb, AV_TIME_BASE_Q);
        if (end > ctx->out_end_us)
            ctx->out_end_us = end;
    }
}

/* Copy the processed audio's packets up to decode time until_us (INT64_MAX:
 * all of them) into the output. */
static int write_audio_until(render_ctx *ctx, int64_t until_us)
{
    render_athread *at = ctx->at;
    AVRational itb = at->pic->streams[at->pidx]->time_base;
    int ret;

    for (;;) {
        while (!at->apkt_valid && !at->aeof) {
            ret = av_read_frame(at->pic, at->apkt);
            if (ret == AVERROR_EOF) {
                at->aeof = 1;
            } else if (ret < 0) {
                return ave_job_fail(ctx->job, AVE_ERR_INTERNAL,
                                    "%s: cannot read the processed audio: %s", at->post_path,
                                    av_err2str(ret));
            } else if (at->apkt->stream_index == at->pidx) {
                at->apkt_valid = 1;
            } else {
                av_packet_unref(at->apkt);
            }
        }
        if (!at->apkt_valid)
            return 0;
        if (until_us != INT64_MAX && at->apkt->dts != AV_NOPTS_VALUE &&
            av_rescale_q(at->apkt->dts, itb, AV_TIME_BASE_Q) > until_us)
            return 0;
        av_packet_rescale_ts(at->apkt, itb, at->ost->time_base);
        at->apkt->stream_index = at->ost->index;
        at->apkt->pos = -1;
        note_end(ctx, at->apkt, at->ost->time_base);
        at->apkt_valid = 0;
        /* takes the packet's reference, even on failure */
        if ((ret = av_interleaved_write_frame(ctx->oc, at->apkt)) < 0)
            return render_fail_write(ctx, ret, "write failed");
    }
}

/* A video packet in the encoder's time base, after the header. */
static int write_video(render_ctx *ctx, AVPacket *pkt)
{
    render_video *v = &ctx->v;
    int64_t t;
    int ret;

    av_packet_rescale_ts(pkt, ctx->at->vtb, v->ost->time_base);
    pkt->stream_index = v->ost->index;
    t = pkt->dts != AV_NOPTS_VALUE ? av_rescale_q(pkt->dts, v->ost->time_base, AV_TIME_BASE_Q)
                                   : INT64_MIN;
    if (t != INT64_MIN && (ret = write_audio_until(ctx, t)) < 0) {
        av_packet_unref(pkt);
        return ret;
    }
    note_end(ctx, pkt, v->ost->time_base);
    if ((ret = av_interleaved_write_frame(ctx->oc, pkt)) < 0)
        return render_fail_write(ctx, ret, "write failed");
    return 0;
}

/* The audio is ready: its stream, the header, the video held so far. */
static int start_output(render_ctx *ctx)
{
    render_athread *at = ctx->at;
    AVStream *ist = at->pic->streams[at->pidx];
    int ret;

    if (!(at->ost = avformat_new_stream(ctx->oc, NULL)))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    if ((ret = avcodec_parameters_copy(at->ost->codecpar, ist->codecpar)) < 0)
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    at->ost->codecpar->codec_tag = 0;
    /* the demuxer gives the measured average; the header records the
     * nominal rate the chain encoded at, as its own file did */
    if (ctx->job->audio_post.bit_rate > 0)
        at->ost->codecpar->bit_rate = ctx->job->audio_post.bit_rate;
    at->ost->time_base = ist->time_base;
    if ((ret = render_mux_header(ctx)) < 0)
        return ret;
    for (size_t i = 0; i < at->nq; i++) {
        ret = write_video(ctx, at->queue[i]);
        av_packet_free(&at->queue[i]);
        if (ret < 0)
            return ret;
    }
    at->nq = 0;
    at->queued_bytes = 0;
    return 0;
}

static int enqueue(render_ctx *ctx, AVPacket *pkt)
{
    render_athread *at = ctx->at;
    AVPacket *copy;

    if (at->nq == at->capq) {
        size_t cap = at->capq ? at->capq * 2 : 256;
        AVPacket **q = realloc(at->queue, cap * sizeof(*q));
        if (!q) {
            av_packet_unref(pkt);
            return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
        }
        at->queue = q;
        at->capq = cap;
    }
    if (!(copy = av_packet_alloc())) {
        av_packet_unref(pkt);
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    }
    av_packet_move_ref(copy, pkt);
    at->queue[at->nq++] = copy;
    at->queued_bytes += copy->size;
    return 0;
}

int render_athread_video_packet(render_ctx *ctx, AVPacket *pkt)
{
    render_athread *at = ctx->at;
    int ret;

    if (!ctx->header_written) {
        if ((ret = audio_ready(ctx, at->queued_bytes >= QUEUE_CAP)) < 0) {
            av_packet_unref(pkt);
            return ret;
        }
        if (ret == 0)
            return enqueue(ctx, pkt);
        if ((ret = start_output(ctx)) < 0) {
            av_packet_unref(pkt);
            return ret;
        }
    }
    return write_video(ctx, pkt);
}

int render_athread_finish(render_ctx *ctx)
{
    render_athread *at = ctx->at;
    ave_audio_post *post = &ctx->job->audio_post;
    int ret;

    if ((ret = audio_ready(ctx, 1)) < 0)
        return ret;
    if (!ctx->header_written && (ret = start_output(ctx)) < 0)
        return ret;
    if ((ret = write_audio_until(ctx, INT64_MAX)) < 0)
        return ret;
    pthread_join(at->thread, NULL);
    at->started = 0;
    post->ran = 1;
    post->t0 = at->post_t0;
    post->seconds = at->post_s;
    ave_job_add_stage_cpu(ctx->job, post->stage, at->post_cpu_s);
    ave_job_add_stage_cpu(ctx->job, "render", at->cpu_s - at->post_cpu_s);
    ave_job_metric_string(ctx->job, "render", "audio_post", post->stage);
    ave_job_metric_number(ctx->job, "render", "audio_thread_cpu_s",
                          (double)(int64_t)(at->cpu_s * 1000) / 1000);
    return 0;
}

void render_athread_free(render_ctx *ctx)
{
    render_athread *at = ctx->at;

    if (!at)
        return;
    atomic_store(&at->stop, 1);
    if (at->started)
        pthread_join(at->thread, NULL);
    for (size_t i = 0; i < at->nq; i++)
        av_packet_free(&at->queue[i]);
    free(at->queue);
    av_packet_free(&at->apkt);
    avformat_close_input(&at->pic);
    avformat_close_input(&at->ic);
    if (at->oc) {
        if (at->oc->pb)
            avio_closep(&at->oc->pb);
        avformat_free_context(at->oc);
    }
    if (at->cut_path)
        unlink(at->cut_path);
    if (at->post_path)
        unlink(at->post_path);
    free(at->cut_path);
    free(at->post_path);
    if (at->mem)
        ave_job_mem_release(ctx->job, at->mem);
    pthread_mutex_destroy(&at->lock);
    pthread_cond_destroy(&at->cond);
    free(at);
    ctx->a.ic = ctx->a.oc = NULL;
    ctx->at = NULL;
}
