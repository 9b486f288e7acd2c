/* The frames stage's single decoding pass: decodes the video stream once and
 * hands over the frames nearest a regular grid of sample times, each scaled
 * (swscale, area averaging) to a small packed RGB picture with luma, rotated
 * upright by the probed display rotation.
 *
 * Only the video stream is demuxed. Sample times come from each frame's own
 * timestamp (best_effort_timestamp, source time = pts * time_base -
 * start_time, as in docs/ARCHITECTURE.md), so variable frame rate input
 * gets exact times: a sample is the first frame at or after its grid point,
 * and the next grid point follows the frame actually taken. Frames between
 * samples are decoded only when the codec needs them (see skippable()) and
 * never converted. Frames flagged corrupt by the decoder are skipped and
 * counted. Nothing but the current picture and the previous one (kept by
 * the caller) is held, so memory does not grow with the video's length. */
#define _GNU_SOURCE /* pthread_setname_np */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/cpu.h>
#include <libavutil/mem.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "ave/ave.h"
#include "vision/frames_internal.h"

#define STAGE "frames"
#define MAX_CORRUPT_WARNINGS 5
#define GRID_SLACK_US 1000 /* a frame this close before a grid point is on it */
#define FED_RING 16        /* recent packets remembered, more than any reorder depth */

struct frame_sampler {
    ave_job *job;
    frame_sampler_config cfg;
    AVFormatContext *fmt;
    AVCodecContext *dec;
    AVPacket *pkt;
    AVFrame *frame;
    struct SwsContext *sws;
    int stream;
    int64_t origin_us, duration_us;

    /* Current scaler input, to rebuild it when the stream changes. */
    int src_w, src_h, src_fmt, src_cs, src_range;

    int rotation;       /* clockwise degrees */
    int scaled_w, scaled_h; /* before rotation */
    frame_picture pic;  /* after rotation */
    uint8_t *scaled;    /* scaler output when a rotation follows */
    int64_t reserved;

    int64_t next_us;    /* next grid point */
    int64_t sample_index;
    int64_t fed_pts[FED_RING]; /* source times of the last packets fed */
    int nfed, fed_pos;
    int flushing, done;
    frame_sampler_stats stats;
    char codec_threads[16]; /* the decoder threads' name, unique while this sampler lives */
};

static int open_decoder(frame_sampler *s)
{
    ave_job *job = s->job;
    const char *path = job->input_path;
    const AVCodec *codec;
    AVStream *st;
    int ret;

    if ((ret = avformat_open_input(&s->fmt, path, NULL, NULL)) < 0 ||
        (ret = avformat_find_stream_info(s->fmt, NULL)) < 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: cannot open for decoding (%s)", path,
                            av_err2str(ret));
    s->stream = job->media.video_stream;
    if (s->stream < 0 || (unsigned)s->stream >= s->fmt->nb_streams)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "%s: video stream %d not found", path,
                            s->stream);
    for (unsigned i = 0; i < s->fmt->nb_streams; i++)
        if ((int)i != s->stream)
            s->fmt->streams[i]->discard = AVDISCARD_ALL;
    st = s->fmt->streams[s->stream];
    s->origin_us = s->fmt->start_time != AV_NOPTS_VALUE ? s->fmt->start_time : 0;

    codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: no decoder for %s video", path,
                            avcodec_get_name(st->codecpar->codec_id));
    s->dec = avcodec_alloc_context3(codec);
    s->pkt = av_packet_alloc();
    s->frame = av_frame_alloc();
    if (!s->dec || !s->pkt || !s->frame)
        return AVE_ERR_NOMEM;
    if ((ret = avcodec_parameters_to_context(s->dec, st->codecpar)) < 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: bad video parameters (%s)", path,
                            av_err2str(ret));
    s->dec->pkt_timebase = st->time_base;
    s->dec->thread_count = s->cfg.threads > 0 ? s->cfg.threads : 0;
    /* The decoder's threads start inside avcodec_open2 and take the name
     * this thread has then, which is how their CPU time is found later
     * (frame_sampler_codec_cpu_s). */
    char old_name[16] = "";
    snprintf(s->codec_threads, sizeof(s->codec_threads), "avefd%08lx",
             (unsigned long)((uintptr_t)s & 0xffffffffu));
    int renamed = pthread_getname_np(pthread_self(), old_name, sizeof(old_name)) == 0 &&
                  pthread_setname_np(pthread_self(), s->codec_threads) == 0;
    ret = avcodec_open2(s->dec, codec, NULL);
    if (renamed)
        pthread_setname_np(pthread_self(), old_name);
    if (ret < 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: cannot open the %s decoder (%s)", path,
                            codec->name, av_err2str(ret));
    return 0;
}

/* Analysis size from the first frame: the displayed picture (sample aspect
 * ratio and rotation applied) with its long side cfg.long_side, never
 * enlarged, even dimensions. */
static int setup_picture(frame_sampler *s, const AVFrame *f)
{
    ave_job *job = s->job;
    double dw = f->width, dh = f->height, scale;
    int w, h, long_side = s->cfg.long_side;
    size_t bytes;
    int64_t decoder_bytes;
    int ret;

    if (f->sample_aspect_ratio.num > 0 && f->sample_aspect_ratio.den > 0)
        dw *= av_q2d(f->sample_aspect_ratio);
    if (s->rotation == 90 || s->rotation == 270) {
        double t = dw;
        dw = dh;
        dh = t;
    }
    scale = (double)long_side / (dw > dh ? dw : dh);
    if (scale > 1.0)
        scale = 1.0;
    w = 2 * (int)lround(dw * scale / 2);
    h = 2 * (int)lround(dh * scale / 2);
    if (w < 8 || h < 8)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: video too small to analyse (%dx%d)",
                            job->input_path, f->width, f->height);
    s->pic.width = w;
    s->pic.height = h;
    s->scaled_w = s->rotation == 90 || s->rotation == 270 ? h : w;
    s->scaled_h = s->rotation == 90 || s->rotation == 270 ? w : h;

    /* Our pictures, plus what the decoder holds: one frame per thread and
     * the reference frames, at the coded size. */
    bytes = (size_t)w * (size_t)h * (s->rotation ? 7 : 4);
    decoder_bytes = (int64_t)f->width * f->height * 3 / 2 *
                    ((s->dec->thread_count > 0 ? s->dec->thread_count : av_cpu_count()) + 8);
    if ((ret = ave_job_mem_reserve(job, (int64_t)bytes + decoder_bytes)) < 0)
        return ret;
    s->reserved = (int64_t)bytes + decoder_bytes;
    s->pic.rgb = av_malloc((size_t)w * (size_t)h * 3);
    s->pic.luma = av_malloc((size_t)w * (size_t)h);
    if (s->rotation)
        s->scaled = av_malloc((size_t)w * (size_t)h * 3);
    if (!s->pic.rgb || !s->pic.luma || (s->rotation && !s->scaled))
        return AVE_ERR_NOMEM;
    ave_log(AVE_LOG_VERBOSE, STAGE, "analysis picture %dx%d from %dx%d (rotation %d)", w, h,
            f->width, f->height, s->rotation);
    return 0;
}

/* Rebuild the scaler when the decoded format changes; honour the frame's
 * colour matrix and range so luma and colour measure the same on every
 * input. */
static int setup_scaler(frame_sampler *s, const AVFrame *f)
{
    int cs = f->colorspace, range = f->color_range == AVCOL_RANGE_JPEG;
    const int *coef;

    if (s->sws && f->width == s->src_w && f->height == s->src_h && f->format == s->src_fmt &&
        cs == s->src_cs && range == s->src_range)
        return 0;
    sws_freeContext(s->sws);
    s->sws = sws_getContext(f->width, f->height, f->format, s->scaled_w, s->scaled_h,
                            AV_PIX_FMT_RGB24, SWS_AREA, NULL, NULL, NULL);
    if (!s->sws)
        return ave_job_fail(s->job, AVE_ERR_INPUT, "%s: cannot scale %s video",
                            s->job->input_path, av_get_pix_fmt_name(f->format));
    /* Unspecified matrices: BT.709 for HD sizes, BT.601 below, as players do. */
    if (cs == AVCOL_SPC_UNSPECIFIED || cs == AVCOL_SPC_RESERVED)
        cs = f->height >= 720 ? AVCOL_SPC_BT709 : AVCOL_SPC_BT470BG;
    coef = sws_getCoefficients(cs);
    sws_setColorspaceDetails(s->sws, coef, range, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0,
                             1 << 16, 1 << 16);
    s->src_w = f->width;
    s->src_h = f->height;
    s->src_fmt = f->format;
    s->src_cs = f->colorspace;
    s->src_range = range;
    return 0;
}

/* Rotate the scaled picture clockwise into pic.rgb. */
static void rotate(frame_sampler *s)
{
    int sw = s->scaled_w, sh = s->scaled_h, w = s->pic.width;
    const uint8_t *src = s->scaled;
    uint8_t *dst = s->pic.rgb;

    for (int y = 0; y < sh; y++)
        for (int x = 0; x < sw; x++) {
            int dx, dy;
            if (s->rotation == 90) {
                dx = sh - 1 - y;
                dy = x;
            } else if (s->rotation == 180) {
                dx = sw - 1 - x;
                dy = sh - 1 - y;
            } else {
                dx = y;
                dy = sw - 1 - x;
            }
            memcpy(dst + ((size_t)dy * (size_t)w + (size_t)dx) * 3,
                   src + ((size_t)y * (size_t)sw + (size_t)x) * 3, 3);
        }
}

static int convert(frame_sampler *s, const AVFrame *f)
{
    uint8_t *dst[4] = {NULL};
    int dst_stride[4] = {0};
    int ret;

    if (!s->pic.rgb && (ret = setup_picture(s, f)) < 0)
        return ret;
    if ((ret = setup_scaler(s, f)) < 0)
        return ret;
    dst[0] = s->rotation ? s->scaled : s->pic.rgb;
    dst_stride[0] = s->scaled_w * 3;
    if (sws_scale(s->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, dst,
                  dst_stride) <= 0)
        return ave_job_fail(s->job, AVE_ERR_INPUT, "%s: cannot convert a video frame",
                            s->job->input_path);
    if (s->rotation)
        rotate(s);
    frame_picture_luma(&s->pic);
    return 0;
}

static void count_corrupt(frame_sampler *s, const char *what, int err)
{
    s->stats.corrupt++;
    if (s->stats.corrupt <= MAX_CORRUPT_WARNINGS)
        ave_log(AVE_LOG_WARNING, STAGE, "%s: skipping a corrupt video %s%s%s%s",
                s->job->input_path, what, err ? " (" : "", err ? av_err2str(err) : "",
                err ? ")" : "");
    if (s->stats.corrupt == MAX_CORRUPT_WARNINGS)
        ave_log(AVE_LOG_WARNING, STAGE, "further corrupt video frames are only counted");
}

/* Grid interval of a source time: the index of the last grid point at or
 * before it (frame_sampler_next's rule), and that point. */
static int64_t grid_index(const frame_sampler *s, int64_t t)
{
    return (int64_t)floor((double)(t + GRID_SLACK_US) * s->cfg.sample_fps / 1e6);
}

/* Whether the frame of a packet at source time t can never be a sample, so
 * that the decoder may drop it when nothing references it (with B-frames,
 * every other frame of typical H.264; frame threads pick skip_frame up per
 * packet). Two exact reasons: it shows before the next grid point (grid
 * points only move forward and frames before one are dropped), or an
 * earlier frame of its grid interval was already fed, and the first frame
 * of an interval is the one sampled. The second matters because packets
 * are fed several frames ahead of the decoder's output, before next_us
 * moves on (a corrupt first frame could thus leave an interval without a
 * sample). Packets without a timestamp and keyframes are decoded. */
static int skippable(frame_sampler *s, const AVPacket *pkt)
{
    const AVStream *st = s->fmt->streams[s->stream];
    int skip = 0;
    if (pkt->pts == AV_NOPTS_VALUE)
        return 0;
    int64_t t = av_rescale_q(pkt->pts, st->time_base, AV_TIME_BASE_Q) - s->origin_us;
    if (!(pkt->flags & AV_PKT_FLAG_KEY)) {
        int64_t k = grid_index(s, t);
        int64_t g = (int64_t)llround((double)k * 1e6 / s->cfg.sample_fps);
        skip = t + GRID_SLACK_US < s->next_us;
        for (int i = 0; i < s->nfed && !skip; i++) {
            int64_t p = s->fed_pts[i];
            skip = p < t && p + GRID_SLACK_US >= g && grid_index(s, p) == k;
        }
    }
    s->fed_pts[s->fed_pos] = t;
    s->fed_pos = (s->fed_pos + 1) % FED_RING;
    if (s->nfed < FED_RING)
        s->nfed++;
    return skip;
}

/* Feed the decoder one packet of our stream (or the flush packet at the
 * end). Returns 0, or a negative code (recorded). */
static int feed(frame_sampler *s)
{
    ave_job *job = s->job;
    int ret;

    for (;;) {
        ret = av_read_frame(s->fmt, s->pkt);
        if (ret < 0) {
            if (ret != AVERROR_EOF)
                ave_log(AVE_LOG_WARNING, STAGE, "%s: reading stopped early (%s)",
                        job->input_path, av_err2str(ret));
            s->flushing = 1;
            ret = avcodec_send_packet(s->dec, NULL);
            return ret < 0 && ret != AVERROR_EOF ? ave_job_fail(job, AVE_ERR_INPUT,
                                                                "%s: video decoder failed (%s)",
                                                                job->input_path, av_err2str(ret))
                                                 : 0;
        }
        if (s->pkt->stream_index != s->stream) {
            av_packet_unref(s->pkt);
            continue;
        }
        s->stats.packets++;
        s->dec->skip_frame = skippable(s, s->pkt) ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
        ret = avcodec_send_packet(s->dec, s->pkt);
        av_packet_unref(s->pkt);
        if (ret < 0 && ret != AVERROR(EAGAIN))
            count_corrupt(s, "packet", ret);
        return 0;
    }
}

int frame_sampler_next(frame_sampler *s, const frame_picture **pic, int64_t *pts_us)
{
    const AVStream *st = s->fmt->streams[s->stream];
    int ret;

    *pic = NULL;
    while (!s->done) {
        ret = avcodec_receive_frame(s->dec, s->frame);
        if (ret == AVERROR_EOF) {
            s->done = 1;
            break;
        }
        if (ret == AVERROR(EAGAIN)) {
            if (s->flushing) {
                s->done = 1;
                break;
            }
            if ((ret = feed(s)) < 0)
                return ret;
            continue;
        }
        if (ret < 0) {
            count_corrupt(s, "frame", ret);
            continue;
        }
        s->stats.decoded++;
        if (s->frame->decode_error_flags || (s->frame->flags & AV_FRAME_FLAG_CORRUPT)) {
            count_corrupt(s, "frame", 0);
            av_frame_unref(s->frame);
            continue;
        }
        int64_t ts = s->frame->best_effort_timestamp, t;
        if (ts != AV_NOPTS_VALUE)
            t = av_rescale_q(ts, st->time_base, AV_TIME_BASE_Q) - s->origin_us;
        else /* no timestamp at all: assume the nominal rate */
            t = s->stats.last_pts_us + (s->stats.last_duration_us > 0 ? s->stats.last_duration_us
                                                                       : 40000);
        if (s->stats.decoded > 1 && t > s->stats.last_pts_us)
            s->stats.last_duration_us = t - s->stats.last_pts_us;
        if (t > s->stats.last_pts_us || s->stats.decoded == 1)
            s->stats.last_pts_us = t;
        if (t + GRID_SLACK_US < s->next_us) {
            av_frame_unref(s->frame);
            continue;
        }
        ret = convert(s, s->frame);
        av_frame_unref(s->frame);
        if (ret < 0)
            return ret;
        /* The next grid point after this frame. */
        s->sample_index = grid_index(s, t) + 1;
        s->next_us = (int64_t)llround((double)s->sample_index * 1e6 / s->cfg.sample_fps);
        if (s->duration_us > 0 &&
            (ret = ave_job_progress(s->job, fmin(0.98, (double)t / (double)s->duration_us))) < 0)
            return ret;
        *pic = &s->pic;
        *pts_us = t;
        return 1;
    }
    return 0;
}

int frame_sampler_open(ave_job *job, const frame_sampler_config *cfg, frame_sampler **out)
{
    frame_sampler *s = calloc(1, sizeof(*s));
    int ret;

    *out = NULL;
    if (!s)
        return AVE_ERR_NOMEM;
    s->job = job;
    s->cfg = *cfg;
    s->rotation = job->media.rotation_deg;
    s->duration_us = job->media.video_duration_us > 0 ? job->media.video_duration_us
                                                      : job->media.duration_us;
    s->src_fmt = AV_PIX_FMT_NONE;
    if (s->cfg.sample_fps <= 0 || s->cfg.long_side < 16) {
        frame_sampler_free(s);
        return ave_job_fail(job, AVE_ERR_INTERNAL, "frames: bad sampler configuration");
    }
    if ((ret = open_decoder(s)) < 0) {
        frame_sampler_free(s);
        return ret;
    }
    *out = s;
    return 0;
}

void frame_sampler_get_stats(const frame_sampler *s, frame_sampler_stats *st)
{
    *st = s->stats;
}

void frame_sampler_size(const frame_sampler *s, int *width, int *height)
{
    *width = s->pic.width;
    *height = s->pic.height;
}

double frame_sampler_codec_cpu_s(const frame_sampler *s)
{
    return s->codec_threads[0] ? ave_named_threads_cpu_s(s->codec_threads) : 0;
}

void frame_sampler_free(frame_sampler *s)
{
    if (!s)
        return;
    if (s->reserved > 0)
        ave_job_mem_release(s->job, s->reserved);
    av_free(s->pic.rgb);
    av_free(s->pic.luma);
    av_free(s->scaled);
    sws_freeContext(s->sws);
    av_frame_free(&s->frame);
    av_packet_free(&s->pkt);
    avcodec_free_context(&s->dec);
    avformat_close_input(&s->fmt);
    free(s);
}
