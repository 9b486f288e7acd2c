/* The decode stage: decodes the audio stream once into mono 16 kHz signed
 * 16-bit PCM (job->analysis.audio), the shared input of every listening
 * stage (silence, beats, speech and its filler detection).
 *
 * Only the audio stream is demuxed: every other stream is discarded in the
 * demuxer, so video is never decoded. Time convention (shared with probe and
 * render): source time 0 is the container's start_time, so sample i is at
 * source time i / 16000 s. The first frame's timestamp decides the
 * alignment: audio that starts late is preceded by zeros, audio that starts
 * before time 0 (codec priming, edit lists) is trimmed; a later gap of more
 * than 50 ms in the timestamps is filled with zeros so speech stays in place.
 *
 * The buffer is sized from the probed duration and accounted with
 * ave_job_mem_reserve, so --max-memory is a real limit; it may grow to the
 * duration plus one minute and no further. Corrupt packets are skipped and
 * counted; if more than half fail, or nothing decodes, the input is rejected. */
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>

#include "ave/ave.h"

#define STAGE "decode"
#define RATE AVE_ANALYSIS_RATE
#define GAP_FILL_US 50000
#define MAX_CORRUPT_WARNINGS 5

typedef struct decoder {
    ave_job *job;
    AVFormatContext *fmt;
    AVCodecContext *dec;
    SwrContext *swr;
    AVPacket *pkt;
    AVFrame *frame;
    int stream;
    int64_t origin_us; /* container start_time */

    /* Swresample input format, to notice mid-stream changes. */
    AVChannelLayout in_layout;
    int in_rate, in_format;

    int16_t *buf;
    size_t count, cap, hard_cap;
    int64_t reserved; /* bytes accounted with ave_job_mem_reserve */
    size_t skip;      /* output samples still to drop (audio before time 0) */
    int aligned;      /* the first timestamp has been seen */

    int64_t packets, corrupt;
} decoder;

static void fmt_bytes(char *out, size_t len, double bytes)
{
    if (bytes >= 1e9)
        snprintf(out, len, "%.1f GB", bytes / 1e9);
    else
        snprintf(out, len, "%.0f MB", bytes / 1e6 + 0.5);
}

/* Make room for `need` samples, accounting memory against --max-memory. */
static int reserve_samples(decoder *d, size_t need)
{
    ave_job *job = d->job;
    size_t cap;
    int16_t *p;
    int64_t extra;
    int ret;

    if (need <= d->cap)
        return 0;
    if (need > d->hard_cap)
        return ave_job_fail(job, AVE_ERR_INPUT,
                            "%s: the audio runs far past the file's duration (corrupt "
                            "timestamps?)",
                            job->input_path);
    cap = d->cap ? d->cap + d->cap / 2 : need;
    if (cap < need)
        cap = need;
    if (cap > d->hard_cap)
        cap = d->hard_cap;
    extra = (int64_t)(cap - d->cap) * (int64_t)sizeof(int16_t);
    if (job->mem_limit_bytes > 0 && job->mem_reserved_bytes + extra > job->mem_limit_bytes) {
        char need_s[32];
        fmt_bytes(need_s, sizeof(need_s), (double)d->reserved + (double)extra);
        return ave_job_fail(job, AVE_ERR_LIMIT,
                            "%s: analysis audio needs %s, over --max-memory %g GB", job->input_path,
                            need_s, job->cfg ? job->cfg->max_memory_gb : 0.0);
    }
    if ((ret = ave_job_mem_reserve(job, extra)) < 0)
        return ret;
    d->reserved += extra;
    p = realloc(d->buf, cap * sizeof(*p));
    if (!p)
        return AVE_ERR_NOMEM;
    d->buf = p;
    d->cap = cap;
    return 0;
}

static int append_zeros(decoder *d, size_t n)
{
    int ret;

    if ((ret = reserve_samples(d, d->count + n)) < 0)
        return ret;
    memset(d->buf + d->count, 0, n * sizeof(*d->buf));
    d->count += n;
    return 0;
}

static int open_input(decoder *d)
{
    ave_job *job = d->job;
    const char *path = job->input_path;
    const AVCodec *codec;
    AVStream *st;
    int ret;

    if ((ret = avformat_open_input(&d->fmt, path, NULL, NULL)) < 0 ||
        (ret = avformat_find_stream_info(d->fmt, NULL)) < 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: cannot open for decoding (%s)", path,
                            av_err2str(ret));
    d->stream = job->media.audio_stream;
    if (d->stream < 0 || (unsigned)d->stream >= d->fmt->nb_streams)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "%s: audio stream %d not found", path,
                            d->stream);
    for (unsigned i = 0; i < d->fmt->nb_streams; i++)
        if ((int)i != d->stream)
            d->fmt->streams[i]->discard = AVDISCARD_ALL;
    st = d->fmt->streams[d->stream];
    d->origin_us = d->fmt->start_time != AV_NOPTS_VALUE ? d->fmt->start_time : 0;

    codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: no decoder for %s audio", path,
                            avcodec_get_name(st->codecpar->codec_id));
    d->dec = avcodec_alloc_context3(codec);
    d->pkt = av_packet_alloc();
    d->frame = av_frame_alloc();
    if (!d->dec || !d->pkt || !d->frame)
        return AVE_ERR_NOMEM;
    if ((ret = avcodec_parameters_to_context(d->dec, st->codecpar)) < 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: bad audio parameters (%s)", path,
                            av_err2str(ret));
    d->dec->pkt_timebase = st->time_base;
    d->dec->thread_count = job->threads > 0 ? job->threads : 0;
    if ((ret = avcodec_open2(d->dec, codec, NULL)) < 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: cannot open the %s decoder (%s)", path,
                            codec->name, av_err2str(ret));
    return 0;
}

static int flush_swr(decoder *d);

/* (Re)create the resampler when the decoded format changes. */
static int setup_swr(decoder *d, const AVFrame *f)
{
    AVChannelLayout in = {0}, mono = AV_CHANNEL_LAYOUT_MONO;
    int ret;

    if (d->swr && f->sample_rate == d->in_rate && f->format == d->in_format &&
        !av_channel_layout_compare(&f->ch_layout, &d->in_layout))
        return 0;
    if (d->swr && (ret = flush_swr(d)) < 0)
        return ret;
    swr_free(&d->swr);
    av_channel_layout_uninit(&d->in_layout);
    /* Swresample needs a known layout to build its downmix matrix. */
    if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
        av_channel_layout_default(&in, f->ch_layout.nb_channels);
    else if ((ret = av_channel_layout_copy(&in, &f->ch_layout)) < 0)
        return AVE_ERR_NOMEM;
    ret = swr_alloc_set_opts2(&d->swr, &mono, AV_SAMPLE_FMT_S16, RATE, &in, f->format,
                              f->sample_rate, 0, NULL);
    if (ret >= 0)
        ret = swr_init(d->swr);
    av_channel_layout_uninit(&in);
    if (ret < 0)
        return ave_job_fail(d->job, AVE_ERR_INPUT, "%s: cannot convert the audio (%s)",
                            d->job->input_path, av_err2str(ret));
    if (av_channel_layout_copy(&d->in_layout, &f->ch_layout) < 0)
        return AVE_ERR_NOMEM;
    d->in_rate = f->sample_rate;
    d->in_format = f->format;
    return 0;
}

/* Convert in_samples of f (NULL: flush) and append, dropping any samples
 * still owed to `skip`. */
static int convert(decoder *d, const AVFrame *f)
{
    int out_max = swr_get_out_samples(d->swr, f ? f->nb_samples : 0), got, ret;
    uint8_t *out;

    if (out_max < 0)
        return AVE_ERR_INTERNAL;
    if ((ret = reserve_samples(d, d->count + (size_t)out_max + 1)) < 0)
        return ret;
    out = (uint8_t *)(d->buf + d->count);
    got = swr_convert(d->swr, &out, out_max + 1, f ? (const uint8_t **)f->extended_data : NULL,
                      f ? f->nb_samples : 0);
    if (got < 0)
        return ave_job_fail(d->job, AVE_ERR_INPUT, "%s: audio conversion failed (%s)",
                            d->job->input_path, av_err2str(got));
    if (d->skip > 0) {
        size_t drop = d->skip < (size_t)got ? d->skip : (size_t)got;
        memmove(d->buf + d->count, d->buf + d->count + drop, ((size_t)got - drop) * 2);
        d->skip -= drop;
        got -= (int)drop;
    }
    d->count += (size_t)got;
    return 0;
}

static int flush_swr(decoder *d)
{
    return convert(d, NULL);
}

/* Place the frame on the source timeline: pad or trim at the start, fill
 * gaps later. */
static int align(decoder *d, const AVFrame *f)
{
    const AVStream *st = d->fmt->streams[d->stream];
    int64_t pts = f->best_effort_timestamp, t_us, pos, expect;

    if (pts == AV_NOPTS_VALUE)
        return 0;
    t_us = av_rescale_q(pts, st->time_base, AV_TIME_BASE_Q) - d->origin_us;
    pos = av_rescale(t_us, RATE, 1000000);
    if (!d->aligned) {
        d->aligned = 1;
        if (pos != 0)
            ave_log(AVE_LOG_VERBOSE, STAGE, "audio starts at %.3f s: %s %.3f s", t_us / 1e6,
                    pos > 0 ? "padded with" : "trimmed", (double)(pos > 0 ? pos : -pos) / RATE);
        if (pos > 0)
            return append_zeros(d, (size_t)pos);
        d->skip = (size_t)-pos;
        return 0;
    }
    expect = (int64_t)d->count + swr_get_delay(d->swr, RATE) - (int64_t)d->skip;
    if (pos - expect > av_rescale(GAP_FILL_US, RATE, 1000000))
        return append_zeros(d, (size_t)(pos - expect));
    return 0;
}

static int count_corrupt(decoder *d, int err)
{
    d->corrupt++;
    if (d->corrupt <= MAX_CORRUPT_WARNINGS)
        ave_log(AVE_LOG_WARNING, STAGE, "%s: skipping a corrupt audio packet (%s)%s",
                d->job->input_path, av_err2str(err),
                d->corrupt == MAX_CORRUPT_WARNINGS ? "; further ones are only counted" : "");
    return 0;
}

/* Drain decoded frames into the buffer. */
static int receive_frames(decoder *d)
{
    int ret;

    for (;;) {
        ret = avcodec_receive_frame(d->dec, d->frame);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            return count_corrupt(d, ret);
        if ((ret = setup_swr(d, d->frame)) < 0 || (ret = align(d, d->frame)) < 0 ||
            (ret = convert(d, d->frame)) < 0) {
            av_frame_unref(d->frame);
            return ret;
        }
        av_frame_unref(d->frame);
    }
}

static int decode_all(decoder *d)
{
    ave_job *job = d->job;
    const AVStream *st = d->fmt->streams[d->stream];
    int64_t dur = job->media.duration_us > 0 ? job->media.duration_us : 1;
    int ret;

    for (;;) {
        ret = av_read_frame(d->fmt, d->pkt);
        if (ret == AVERROR_EOF)
            break;
        if (ret < 0) {
            /* A truncated file ends early; keep what was read. */
            ave_log(AVE_LOG_WARNING, STAGE, "%s: reading stopped early (%s)", job->input_path,
                    av_err2str(ret));
            break;
        }
        if (d->pkt->stream_index != d->stream) {
            av_packet_unref(d->pkt);
            continue;
        }
        d->packets++;
        if (d->pkt->pts != AV_NOPTS_VALUE && d->packets % 64 == 0) {
            int64_t t = av_rescale_q(d->pkt->pts, st->time_base, AV_TIME_BASE_Q) - d->origin_us;
            double frac = (double)t / (double)dur;
            if ((ret = ave_job_progress(job, frac < 0 ? 0 : frac > 1 ? 1 : frac)) < 0) {
                av_packet_unref(d->pkt);
                return ret;
            }
        }
        ret = avcodec_send_packet(d->dec, d->pkt);
        av_packet_unref(d->pkt);
        if (ret < 0 && ret != AVERROR(EAGAIN)) {
            count_corrupt(d, ret);
            continue;
        }
        if ((ret = receive_frames(d)) < 0)
            return ret;
    }
    /* Drain the decoder and the resampler. */
    if ((ret = avcodec_send_packet(d->dec, NULL)) < 0 && ret != AVERROR_EOF)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: audio decoder failed (%s)", job->input_path,
                            av_err2str(ret));
    if ((ret = receive_frames(d)) < 0)
        return ret;
    if (d->swr && (ret = flush_swr(d)) < 0)
        return ret;
    return 0;
}

/* A file cut short (an interrupted copy or recording whose index survived,
 * e.g. a fast-start MP4) demuxes without error but its audio ends early.
 * Editing it would silently treat the missing part as trailing silence, so
 * it is refused when the audio track's declared length is known. */
static int check_complete(decoder *d)
{
    ave_job *job = d->job;
    int64_t declared = job->media.audio_duration_us;
    int64_t decoded = (int64_t)d->count * 1000000 / RATE;
    int64_t slack = declared / 50 > 1000000 ? declared / 50 : 1000000;

    if (declared <= 0 || decoded + slack >= declared)
        return 0;
    return ave_job_fail(job, AVE_ERR_INPUT,
                        "%s: truncated or corrupt: audio data ends at %.1f s of %.1f s",
                        job->input_path, (double)decoded / 1e6, (double)declared / 1e6);
}

static int decode_run(void *priv, const void *opts, ave_job *job)
{
    decoder d = {0};
    int ret;

    (void)priv;
    (void)opts;
    d.job = job;
    /* The buffer may exceed the probed duration by a minute (streams that
     * run a little past the container's duration), never more. */
    d.hard_cap = (size_t)av_rescale(job->media.duration_us + 60 * 1000000LL, RATE, 1000000);
    if ((ret = open_input(&d)) < 0)
        goto out;
    if ((ret = reserve_samples(&d, (size_t)av_rescale(job->media.duration_us, RATE, 1000000) +
                                       RATE)) < 0)
        goto out;
    if ((ret = decode_all(&d)) < 0)
        goto out;

    if (d.packets == 0 || d.count == 0 || d.corrupt >= d.packets) {
        ret = ave_job_fail(job, AVE_ERR_INPUT, "%s: no audio could be decoded", job->input_path);
        goto out;
    }
    if (d.corrupt * 2 > d.packets) {
        ret = ave_job_fail(job, AVE_ERR_INPUT,
                           "%s: %lld of %lld audio packets are corrupt; the audio is unusable",
                           job->input_path, (long long)d.corrupt, (long long)d.packets);
        goto out;
    }
    if ((ret = check_complete(&d)) < 0)
        goto out;
    if (d.corrupt > 0)
        ave_log(AVE_LOG_WARNING, STAGE, "%s: %lld of %lld audio packets were corrupt and skipped",
                job->input_path, (long long)d.corrupt, (long long)d.packets);

    free(job->analysis.audio.samples);
    job->analysis.audio.samples = d.buf;
    job->analysis.audio.count = d.count;
    job->analysis.audio.sample_rate = RATE;
    d.buf = NULL;
    d.reserved = 0; /* the job now owns the buffer and its reservation */

    ave_log(AVE_LOG_VERBOSE, STAGE, "%.2f s of analysis audio (%lld packets)",
            (double)d.count / RATE, (long long)d.packets);
    ave_job_metric_number(job, "decode", "audio_s", (double)d.count / RATE);
    ave_job_metric_number(job, "decode", "packets", (double)d.packets);
    ave_job_metric_number(job, "decode", "corrupt_packets", (double)d.corrupt);
    ret = ave_job_progress(job, 1.0);
out:
    if (d.reserved > 0)
        ave_job_mem_release(job, d.reserved);
    free(d.buf);
    swr_free(&d.swr);
    av_channel_layout_uninit(&d.in_layout);
    av_frame_free(&d.frame);
    av_packet_free(&d.pkt);
    avcodec_free_context(&d.dec);
    avformat_close_input(&d.fmt);
    return ret;
}

const ave_stage ave_stage_decode = {
    .name = "decode",
    .description = "decode the audio to mono 16 kHz for analysis (video is not decoded)",
    .flags = AVE_STAGE_NEEDS_AUDIO | AVE_STAGE_ANALYSIS,
    .weight = 0.1,
    .run = decode_run,
};
