/* Audio input of the enhancement chain: demux the best audio stream of a
 * file, decode it and convert it to planar float at its own sample rate and
 * channel count (no resampling: every block of the chain works at any rate
 * from 8 to 192 kHz, and keeping the rate keeps the file's character).
 * Other streams are discarded at the demuxer. Samples are counted from the
 * first decoded frame; the stream's start (start_us) lets the writer place
 * the enhanced audio where the original was.
 *
 * Exact length: AAC (and MP3, Opus) code whole frames, so the decoder's
 * last frame carries up to a frame of padding after the real end (1023
 * samples for AAC: 64 ms at 16 kHz). An MP4 knows the real length (its
 * sample table and edit list; FFmpeg trims the priming at the start
 * itself), so the reader stops there; re-encoding the padding made each
 * enhanced file longer than its video by up to a frame. Other containers
 * are read to the end as before. */
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>

#include "enhance/enhance_internal.h"

struct enh_reader {
    ave_job *job;
    const char *path;
    AVFormatContext *ic;
    AVCodecContext *dec;
    SwrContext *swr;
    AVPacket *pkt;
    AVFrame *frame;
    int index;
    enh_reader_info info;
    AVChannelLayout layout; /* of the decoded audio (ordered) */
    float *buf[ENH_MAX_CHANNELS];
    int cap;
    int64_t pos_us; /* last timestamp seen, for progress */
    int64_t corrupt;
    int64_t emitted; /* samples returned so far */
    int draining, eof;
};

static int role_of(enum AVChannel ch)
{
    switch (ch) {
    case AV_CHAN_LOW_FREQUENCY:
    case AV_CHAN_LOW_FREQUENCY_2:
        return AVE_LROLE_UNUSED;
    case AV_CHAN_BACK_LEFT:
    case AV_CHAN_BACK_RIGHT:
    case AV_CHAN_BACK_CENTER:
    case AV_CHAN_SIDE_LEFT:
    case AV_CHAN_SIDE_RIGHT:
    case AV_CHAN_SURROUND_DIRECT_LEFT:
    case AV_CHAN_SURROUND_DIRECT_RIGHT:
        return AVE_LROLE_SURROUND;
    default:
        return AVE_LROLE_FRONT;
    }
}

static int open_decoder(enh_reader *r)
{
    AVStream *st = r->ic->streams[r->index];
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    int ret;

    if (!codec)
        return ave_job_fail(r->job, AVE_ERR_INPUT, "%s: no decoder for audio codec %s", r->path,
                            avcodec_get_name(st->codecpar->codec_id));
    if (!(r->dec = avcodec_alloc_context3(codec)))
        return ave_job_fail(r->job, AVE_ERR_NOMEM, "enhance: out of memory");
    if ((ret = avcodec_parameters_to_context(r->dec, st->codecpar)) < 0)
        return ave_job_fail(r->job, AVE_ERR_INPUT, "%s: bad audio parameters: %s", r->path,
                            av_err2str(ret));
    r->dec->pkt_timebase = st->time_base;
    if ((ret = avcodec_open2(r->dec, codec, NULL)) < 0)
        return ave_job_fail(r->job, AVE_ERR_INPUT, "%s: cannot open the audio decoder: %s",
                            r->path, av_err2str(ret));
    if (r->dec->sample_rate <= 0 || r->dec->ch_layout.nb_channels <= 0)
        return ave_job_fail(r->job, AVE_ERR_INPUT, "%s: audio stream without rate or channels",
                            r->path);
    if (r->dec->ch_layout.nb_channels > ENH_MAX_CHANNELS)
        return ave_job_fail(r->job, AVE_ERR_UNSUPPORTED,
                            "%s: %d audio channels; enhancement handles up to %d", r->path,
                            r->dec->ch_layout.nb_channels, ENH_MAX_CHANNELS);
    return 0;
}

static void describe(enh_reader *r)
{
    AVStream *st = r->ic->streams[r->index];
    enh_reader_info *in = &r->info;

    in->rate = r->dec->sample_rate;
    in->channels = r->dec->ch_layout.nb_channels;
    /* an unordered layout (raw WAV, some MKV) gets the default for its count */
    if (r->dec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC ||
        av_channel_layout_copy(&r->layout, &r->dec->ch_layout) < 0)
        av_channel_layout_default(&r->layout, in->channels);
    for (int c = 0; c < in->channels; c++)
        in->roles[c] = in->channels <= 2 ? AVE_LROLE_FRONT
                                          : role_of(av_channel_layout_channel_from_index(
                                                &r->layout, (unsigned)c));
    in->frames = -1;
    if (st->duration != AV_NOPTS_VALUE && st->duration > 0) {
        in->duration_us = av_rescale_q(st->duration, st->time_base, AV_TIME_BASE_Q);
        /* MP4/MOV state the length in samples (stts, the edit list), and
         * what render writes is MP4/M4A; other containers' durations (Ogg's
         * granules, estimates) are not trusted to the sample */
        if (strstr(r->ic->iformat->name, "mp4") &&
            r->ic->duration_estimation_method != AVFMT_DURATION_FROM_BITRATE)
            in->frames = av_rescale_q(st->duration, st->time_base, (AVRational){1, in->rate});
    } else if (r->ic->duration != AV_NOPTS_VALUE && r->ic->duration > 0) {
        in->duration_us = r->ic->duration;
    }
    /* A negative start is priming the decoder drops; it is output time 0. */
    if (st->start_time != AV_NOPTS_VALUE && st->start_time > 0)
        in->start_us = av_rescale_q(st->start_time, st->time_base, AV_TIME_BASE_Q);
    snprintf(in->codec, sizeof(in->codec), "%s", avcodec_get_name(st->codecpar->codec_id));
    for (unsigned i = 0; i < r->ic->nb_streams; i++) {
        const AVStream *s = r->ic->streams[i];
        if (s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
            !(s->disposition & AV_DISPOSITION_ATTACHED_PIC))
            in->has_video = 1;
    }
}

int enh_reader_open(enh_reader **out, ave_job *job, const char *path)
{
    enh_reader *r = calloc(1, sizeof(*r));
    int ret;

    *out = r;
    if (!r)
        return ave_job_fail(job, AVE_ERR_NOMEM, "enhance: out of memory");
    r->job = job;
    r->path = path;
    if ((ret = avformat_open_input(&r->ic, path, NULL, NULL)) < 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: cannot open: %s", path, av_err2str(ret));
    if ((ret = avformat_find_stream_info(r->ic, NULL)) < 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: cannot read stream info: %s", path,
                            av_err2str(ret));
    r->index = av_find_best_stream(r->ic, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    if (r->index < 0)
        return ave_job_fail(job, AVE_ERR_INPUT, "%s: no audio stream", path);
    for (unsigned i = 0; i < r->ic->nb_streams; i++)
        if ((int)i != r->index)
            r->ic->streams[i]->discard = AVDISCARD_ALL;
    if ((ret = open_decoder(r)) < 0)
        return ret;
    describe(r);
    if (!(r->pkt = av_packet_alloc()) || !(r->frame = av_frame_alloc()))
        return ave_job_fail(job, AVE_ERR_NOMEM, "enhance: out of memory");
    return 0;
}

void enh_reader_info_get(const enh_reader *r, enh_reader_info *info)
{
    *info = r->info;
}

static int setup_swr(enh_reader *r, const AVFrame *f)
{
    AVChannelLayout in = {0};
    int ret;

    if (r->swr)
        return 0;
    if (f->ch_layout.nb_channels != r->info.channels || f->sample_rate != r->info.rate)
        return ave_job_fail(r->job, AVE_ERR_INPUT,
                            "%s: the audio format changes mid-stream (%d Hz, %d ch)", r->path,
                            f->sample_rate, f->ch_layout.nb_channels);
    if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
        av_channel_layout_default(&in, f->ch_layout.nb_channels);
    else if (av_channel_layout_copy(&in, &f->ch_layout) < 0)
        return ave_job_fail(r->job, AVE_ERR_NOMEM, "enhance: out of memory");
    ret = swr_alloc_set_opts2(&r->swr, &r->layout, AV_SAMPLE_FMT_FLTP, r->info.rate, &in,
                              f->format, f->sample_rate, 0, NULL);
    av_channel_layout_uninit(&in);
    if (ret >= 0)
        ret = swr_init(r->swr);
    if (ret < 0)
        return ave_job_fail(r->job, AVE_ERR_INPUT, "%s: cannot convert the audio: %s", r->path,
                            av_err2str(ret));
    return 0;
}

static int convert(enh_reader *r, const AVFrame *f, size_t *n)
{
    int cap, got, ret;

    *n = 0;
    if (f && (ret = setup_swr(r, f)) < 0)
        return ret;
    if (!r->swr)
        return 0;
    cap = swr_get_out_samples(r->swr, f ? f->nb_samples : 0);
    if (cap <= 0)
        return 0;
    if (cap > r->cap) {
        for (int c = 0; c < r->info.channels; c++) {
            float *p = realloc(r->buf[c], (size_t)cap * sizeof(float));
            if (!p)
                return ave_job_fail(r->job, AVE_ERR_NOMEM, "enhance: out of memory");
            r->buf[c] = p;
        }
        r->cap = cap;
    }
    got = swr_convert(r->swr, (uint8_t **)r->buf, cap,
                      f ? (const uint8_t **)f->extended_data : NULL, f ? f->nb_samples : 0);
    if (got < 0)
        return ave_job_fail(r->job, AVE_ERR_INTERNAL, "enhance: audio conversion failed: %s",
                            av_err2str(got));
    *n = (size_t)got;
    return 0;
}

static int read_decoded(enh_reader *r, float *const **planes, size_t *n)
{
    AVStream *st = r->ic->streams[r->index];
    int ret;

    *planes = r->buf;
    *n = 0;
    while (!r->eof) {
        ret = avcodec_receive_frame(r->dec, r->frame);
        if (ret == 0) {
            if (r->frame->best_effort_timestamp != AV_NOPTS_VALUE)
                r->pos_us = av_rescale_q(r->frame->best_effort_timestamp, st->time_base,
                                         AV_TIME_BASE_Q);
            ret = convert(r, r->frame, n);
            av_frame_unref(r->frame);
            if (ret < 0 || *n > 0)
                return ret;
            continue;
        }
        if (ret == AVERROR_EOF) {
            r->eof = 1;
            break;
        }
        if (ret != AVERROR(EAGAIN)) {
            r->corrupt++;
            ave_log(AVE_LOG_WARNING, ENH_LOG, "%s: skipping undecodable audio: %s", r->path,
                    av_err2str(ret));
            continue;
        }
        if (r->draining)
            return ave_job_fail(r->job, AVE_ERR_INTERNAL, "%s: audio decoder stalled", r->path);
        ret = av_read_frame(r->ic, r->pkt);
        if (ret == AVERROR_EOF) {
            r->draining = 1;
            avcodec_send_packet(r->dec, NULL);
            continue;
        }
        if (ret == AVERROR(EAGAIN))
            continue;
        if (ret < 0)
            return ave_job_fail(r->job, AVE_ERR_INPUT, "%s: read error: %s", r->path,
                                av_err2str(ret));
        if (r->pkt->stream_index == r->index) {
            ret = avcodec_send_packet(r->dec, r->pkt);
            if (ret == AVERROR(ENOMEM)) {
                av_packet_unref(r->pkt);
                return ave_job_fail(r->job, AVE_ERR_NOMEM, "enhance: out of memory decoding");
            }
            if (ret < 0) {
                r->corrupt++;
                ave_log(AVE_LOG_WARNING, ENH_LOG, "%s: skipping a corrupt audio packet: %s",
                        r->path, av_err2str(ret));
            }
        }
        av_packet_unref(r->pkt);
    }
    /* the resampler's last few samples */
    return convert(r, NULL, n);
}

int enh_reader_read(enh_reader *r, float *const **planes, size_t *n)
{
    const int64_t limit = r->info.frames;
    int ret;

    if (limit >= 0 && r->emitted >= limit) {
        *planes = r->buf;
        *n = 0;
        r->eof = 1;
        return 0;
    }
    if ((ret = read_decoded(r, planes, n)) < 0)
        return ret;
    if (limit >= 0 && r->emitted + (int64_t)*n > limit)
        *n = (size_t)(limit - r->emitted); /* the codec's padding */
    r->emitted += (int64_t)*n;
    return 0;
}

double enh_reader_progress(const enh_reader *r)
{
    double f;
    if (r->eof)
        return 1;
    if (r->info.duration_us <= 0)
        return 0;
    f = (double)r->pos_us / (double)r->info.duration_us;
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

void enh_reader_free(enh_reader *r)
{
    if (!r)
        return;
    avcodec_free_context(&r->dec);
    avformat_close_input(&r->ic);
    swr_free(&r->swr);
    av_packet_free(&r->pkt);
    av_frame_free(&r->frame);
    av_channel_layout_uninit(&r->layout);
    for (int c = 0; c < ENH_MAX_CHANNELS; c++)
        free(r->buf[c]);
    free(r);
}
