/* Output of the enhancement chain: encode planar float audio by the output
 * path's extension (AAC in MP4/MOV/Matroska, 24-bit PCM WAV, 24-bit FLAC)
 * and, when asked, copy the input's video stream packet for packet (never
 * decoded, so it is bit-identical). Audio goes through a resampler/format
 * converter (only the sample format changes, unless AAC cannot take the
 * rate) and a FIFO that cuts the encoder's fixed frame size. Video packets
 * are read just ahead of the audio time being written, which keeps the
 * file interleaved without queueing. The audio starts where the input's
 * did (start_us; 0 for what the render stage writes), so a copied video
 * keeps its place against it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>

#include "ave/enhance.h"
#include "enhance/enhance_internal.h"

enum out_kind { OUT_AAC, OUT_WAV, OUT_FLAC };

typedef struct out_format {
    const char *ext;
    const char *muxer;
    int kind;
    int video; /* the container can hold the copied video */
} out_format;

static const out_format formats[] = {
    {".m4a", "ipod", OUT_AAC, 0},     {".mp4", "mp4", OUT_AAC, 1},
    {".m4v", "mp4", OUT_AAC, 1},      {".mov", "mov", OUT_AAC, 1},
    {".mkv", "matroska", OUT_AAC, 1}, {".wav", "wav", OUT_WAV, 0},
    {".flac", "flac", OUT_FLAC, 0},
};

struct enh_writer {
    ave_job *job;
    const char *path;
    const out_format *fmt;
    AVFormatContext *oc;
    AVCodecContext *enc;
    AVStream *aost;
    SwrContext *swr;
    AVAudioFifo *fifo;
    AVPacket *pkt;
    int channels, in_rate, frame_size;
    int64_t samples_sent; /* encoder input samples, in the encoder's rate */
    int64_t start_us;     /* the first sample's time on the output's clock */
    int64_t start_pts;    /* the same in the encoder's time base */
    int64_t in_frames;    /* frames received, at the input rate */
    uint8_t **conv;       /* swr output planes */
    int conv_cap;
    /* video copy */
    AVFormatContext *vic;
    AVStream *vist, *vost;
    AVPacket *vpkt;
    int vindex, vpending, veof;
    int created, finished;
};

static const out_format *find_format(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return NULL;
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (!strcasecmp(dot, formats[i].ext))
            return &formats[i];
    return NULL;
}

int ave_enhance_output_supported(const char *out_path)
{
    return find_format(out_path) != NULL;
}

int enh_writer_check_path(ave_job *job, const char *out_path, int *can_hold_video, int *lossy)
{
    const out_format *f = find_format(out_path);
    if (!f)
        return ave_job_fail(job, AVE_ERR_USAGE,
                            "%s: unsupported output type; use .m4a, .mp4, .m4v, .mov, .mkv, "
                            ".wav or .flac",
                            out_path);
    if (can_hold_video)
        *can_hold_video = f->video;
    if (lossy)
        *lossy = f->kind == OUT_AAC;
    return 0;
}

static int fail_write(enh_writer *w, int averr, const char *what)
{
    int code = averr == AVERROR(ENOSPC) ? AVE_ERR_NOSPACE : AVE_ERR_IO;
    return ave_job_fail(w->job, code, "%s: %s: %s", w->path, what, av_err2str(averr));
}

static int open_video_source(enh_writer *w, const char *src)
{
    int ret;

    if ((ret = avformat_open_input(&w->vic, src, NULL, NULL)) < 0 ||
        (ret = avformat_find_stream_info(w->vic, NULL)) < 0)
        return ave_job_fail(w->job, AVE_ERR_INPUT, "%s: cannot reopen for the video copy: %s",
                            src, av_err2str(ret));
    w->vindex = -1;
    for (unsigned i = 0; i < w->vic->nb_streams; i++) {
        AVStream *s = w->vic->streams[i];
        if (w->vindex < 0 && s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
            !(s->disposition & AV_DISPOSITION_ATTACHED_PIC))
            w->vindex = (int)i;
        else
            s->discard = AVDISCARD_ALL;
    }
    if (w->vindex < 0)
        return 0;
    w->vist = w->vic->streams[w->vindex];
    if (!(w->vost = avformat_new_stream(w->oc, NULL)) || !(w->vpkt = av_packet_alloc()))
        return ave_job_fail(w->job, AVE_ERR_NOMEM, "enhance: out of memory");
    if ((ret = avcodec_parameters_copy(w->vost->codecpar, w->vist->codecpar)) < 0)
        return ave_job_fail(w->job, AVE_ERR_NOMEM, "enhance: out of memory");
    w->vost->codecpar->codec_tag = 0; /* let the muxer pick its own tag */
    w->vost->time_base = w->vist->time_base;
    w->vost->avg_frame_rate = w->vist->avg_frame_rate;
    w->vost->r_frame_rate = w->vist->r_frame_rate;
    w->vost->disposition = w->vist->disposition;
    /* display matrix (rotation) and similar stream-level side data */
    for (int i = 0; i < w->vist->nb_side_data; i++) {
        const AVPacketSideData *sd = &w->vist->side_data[i];
        uint8_t *dst = av_stream_new_side_data(w->vost, sd->type, sd->size);
        if (!dst)
            return ave_job_fail(w->job, AVE_ERR_NOMEM, "enhance: out of memory");
        memcpy(dst, sd->data, sd->size);
    }
    return 0;
}

static int choose_rate(const AVCodec *codec, int rate)
{
    const int *r = codec->supported_samplerates;
    if (!r)
        return rate;
    for (; *r; r++)
        if (*r == rate)
            return rate;
    return 48000;
}

static int open_encoder(enh_writer *w, int rate, int channels, int aac_bitrate)
{
    enum AVCodecID id = w->fmt->kind == OUT_AAC ? AV_CODEC_ID_AAC
                        : w->fmt->kind == OUT_WAV ? AV_CODEC_ID_PCM_S24LE
                                                  : AV_CODEC_ID_FLAC;
    const AVCodec *codec = avcodec_find_encoder(id);
    int ret;

    if (!codec)
        return ave_job_fail(w->job, AVE_ERR_UNSUPPORTED, "enhance: no %s encoder in this FFmpeg",
                            avcodec_get_name(id));
    if (!(w->enc = avcodec_alloc_context3(codec)))
        return ave_job_fail(w->job, AVE_ERR_NOMEM, "enhance: out of memory");
    av_channel_layout_default(&w->enc->ch_layout, channels);
    if (codec->ch_layouts) /* AAC: 5.1 is the "back" variant, 7.1 the "wide" one */
        for (const AVChannelLayout *l = codec->ch_layouts; l->nb_channels; l++)
            if (l->nb_channels == channels) {
                av_channel_layout_uninit(&w->enc->ch_layout);
                av_channel_layout_copy(&w->enc->ch_layout, l);
                break;
            }
    w->enc->sample_rate = choose_rate(codec, rate);
    w->enc->time_base = (AVRational){1, w->enc->sample_rate};
    if (w->fmt->kind == OUT_AAC) {
        w->enc->sample_fmt = AV_SAMPLE_FMT_FLTP;
        w->enc->bit_rate = (int64_t)aac_bitrate * (channels > 1 ? (channels + 1) / 2 : 1);
        /* AAC carries at most 6144 bits per channel per 1024-sample frame;
         * stay under it at low rates (16 kHz mono: 96 kb/s at most) */
        if (w->enc->bit_rate > (int64_t)5 * w->enc->sample_rate * channels)
            w->enc->bit_rate = (int64_t)5 * w->enc->sample_rate * channels;
    } else {
        w->enc->sample_fmt = AV_SAMPLE_FMT_S32;
        w->enc->bits_per_raw_sample = 24;
    }
    if (w->oc->oformat->flags & AVFMT_GLOBALHEADER)
        w->enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if ((ret = avcodec_open2(w->enc, codec, NULL)) < 0)
        return ave_job_fail(w->job, AVE_ERR_UNSUPPORTED,
                            "%s: cannot open the %s encoder (%d Hz, %d channels): %s", w->path,
                            codec->name, w->enc->sample_rate, channels, av_err2str(ret));
    w->frame_size = w->enc->frame_size > 0 ? w->enc->frame_size : 4096;
    if (!(w->aost = avformat_new_stream(w->oc, NULL)))
        return ave_job_fail(w->job, AVE_ERR_NOMEM, "enhance: out of memory");
    if ((ret = avcodec_parameters_from_context(w->aost->codecpar, w->enc)) < 0)
        return ave_job_fail(w->job, AVE_ERR_INTERNAL, "enhance: audio parameters: %s",
                            av_err2str(ret));
    w->aost->time_base = w->enc->time_base;
    {
        AVChannelLayout in = {0};
        av_channel_layout_default(&in, channels);
        ret = swr_alloc_set_opts2(&w->swr, &w->enc->ch_layout, w->enc->sample_fmt,
                                  w->enc->sample_rate, &in, AV_SAMPLE_FMT_FLTP, rate, 0, NULL);
        av_channel_layout_uninit(&in);
    }
    if (ret >= 0)
        ret = swr_init(w->swr);
    if (ret < 0)
        return ave_job_fail(w->job, AVE_ERR_INTERNAL, "enhance: audio converter: %s",
                            av_err2str(ret));
    if (!(w->fifo = av_audio_fifo_alloc(w->enc->sample_fmt, channels, 4 * w->frame_size)))
        return ave_job_fail(w->job, AVE_ERR_NOMEM, "enhance: out of memory");
    return 0;
}

int enh_writer_open(enh_writer **out, ave_job *job, const char *out_path, int rate, int channels,
                    int64_t start_us, int aac_bitrate, const char *video_from)
{
    enh_writer *w = calloc(1, sizeof(*w));
    int ret;

    *out = w;
    if (!w)
        return ave_job_fail(job, AVE_ERR_NOMEM, "enhance: out of memory");
    w->job = job;
    w->path = out_path;
    w->channels = channels;
    w->in_rate = rate;
    w->start_us = start_us > 0 ? start_us : 0;
    if (!(w->fmt = find_format(out_path)))
        return enh_writer_check_path(job, out_path, NULL, NULL);
    ret = avformat_alloc_output_context2(&w->oc, NULL, w->fmt->muxer, out_path);
    if (ret < 0 || !w->oc)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "enhance: no %s muxer", w->fmt->muxer);
    if (!(w->pkt = av_packet_alloc()))
        return ave_job_fail(job, AVE_ERR_NOMEM, "enhance: out of memory");
    if (video_from && w->fmt->video && (ret = open_video_source(w, video_from)) < 0)
        return ret;
    if ((ret = open_encoder(w, rate, channels, aac_bitrate)) < 0)
        return ret;
    w->start_pts = av_rescale_q(w->start_us, AV_TIME_BASE_Q, w->enc->time_base);
    if ((ret = avio_open(&w->oc->pb, out_path, AVIO_FLAG_WRITE)) < 0)
        return fail_write(w, ret, "cannot create");
    w->created = 1;
    if ((ret = avformat_write_header(w->oc, NULL)) < 0)
        return fail_write(w, ret, "cannot write the header");
    return 0;
}

static int drain(enh_writer *w)
{
    int ret;
    for (;;) {
        ret = avcodec_receive_packet(w->enc, w->pkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            return ave_job_fail(w->job, AVE_ERR_INTERNAL, "%s: audio encoder failed: %s", w->path,
                                av_err2str(ret));
        av_packet_rescale_ts(w->pkt, w->enc->time_base, w->aost->time_base);
        w->pkt->stream_index = w->aost->index;
        if ((ret = av_interleaved_write_frame(w->oc, w->pkt)) < 0)
            return fail_write(w, ret, "write failed");
    }
}

static int encode_fifo(enh_writer *w, int n)
{
    AVFrame *f = av_frame_alloc();
    int ret;

    if (!f)
        return ave_job_fail(w->job, AVE_ERR_NOMEM, "enhance: out of memory");
    f->nb_samples = n;
    f->format = w->enc->sample_fmt;
    f->sample_rate = w->enc->sample_rate;
    if (av_channel_layout_copy(&f->ch_layout, &w->enc->ch_layout) < 0 ||
        av_frame_get_buffer(f, 0) < 0) {
        av_frame_free(&f);
        return ave_job_fail(w->job, AVE_ERR_NOMEM, "enhance: out of memory");
    }
    av_audio_fifo_read(w->fifo, (void **)f->data, n);
    f->pts = w->start_pts + w->samples_sent;
    w->samples_sent += n;
    ret = avcodec_send_frame(w->enc, f);
    av_frame_free(&f);
    if (ret < 0)
        return ave_job_fail(w->job, AVE_ERR_INTERNAL, "%s: audio encoder refused a frame: %s",
                            w->path, av_err2str(ret));
    return drain(w);
}

/* Write copied video packets whose decode time is before t_us. */
static int copy_video_until(enh_writer *w, int64_t t_us)
{
    int ret;

    while (w->vist && !w->veof) {
        if (!w->vpending) {
            ret = av_read_frame(w->vic, w->vpkt);
            if (ret == AVERROR_EOF) {
                w->veof = 1;
                break;
            }
            if (ret < 0)
                return ave_job_fail(w->job, AVE_ERR_INPUT, "%s: read error in the video: %s",
                                    w->vic->url, av_err2str(ret));
            if (w->vpkt->stream_index != w->vindex) {
                av_packet_unref(w->vpkt);
                continue;
            }
            w->vpending = 1;
        }
        {
            int64_t ts = w->vpkt->dts != AV_NOPTS_VALUE ? w->vpkt->dts : w->vpkt->pts;
            if (ts != AV_NOPTS_VALUE && t_us != INT64_MAX &&
                av_rescale_q(ts, w->vist->time_base, AV_TIME_BASE_Q) > t_us)
                break;
        }
        w->vpkt->stream_index = w->vost->index;
        av_packet_rescale_ts(w->vpkt, w->vist->time_base, w->vost->time_base);
        w->vpkt->pos = -1;
        w->vpending = 0;
        /* takes the packet's reference, even on failure */
        if ((ret = av_interleaved_write_frame(w->oc, w->vpkt)) < 0)
            return fail_write(w, ret, "write failed");
    }
    return 0;
}

int enh_writer_audio(enh_writer *w, const float *const *planes, size_t n)
{
    int cap, got, ret;

    w->in_frames += (int64_t)n;
    if ((ret = copy_video_until(w, w->start_us + av_rescale(w->in_frames, 1000000, w->in_rate))) <
        0)
        return ret;
    cap = swr_get_out_samples(w->swr, (int)n);
    if (cap > w->conv_cap) {
        if (w->conv)
            av_freep(&w->conv[0]);
        av_freep(&w->conv);
        if (av_samples_alloc_array_and_samples(&w->conv, NULL, w->channels, cap,
                                               w->enc->sample_fmt, 0) < 0)
            return ave_job_fail(w->job, AVE_ERR_NOMEM, "enhance: out of memory");
        w->conv_cap = cap;
    }
    got = swr_convert(w->swr, w->conv, cap, planes ? (const uint8_t **)planes : NULL, (int)n);
    if (got < 0)
        return ave_job_fail(w->job, AVE_ERR_INTERNAL, "enhance: audio conversion failed: %s",
                            av_err2str(got));
    if (got > 0 && av_audio_fifo_write(w->fifo, (void **)w->conv, got) != got)
        return ave_job_fail(w->job, AVE_ERR_NOMEM, "enhance: out of memory");
    while (av_audio_fifo_size(w->fifo) >= w->frame_size)
        if ((ret = encode_fifo(w, w->frame_size)) < 0)
            return ret;
    return 0;
}

int enh_writer_finish(enh_writer *w)
{
    int ret, left;

    if ((ret = enh_writer_audio(w, NULL, 0)) < 0) /* flush the converter */
        return ret;
    left = av_audio_fifo_size(w->fifo);
    if (left > 0 && (ret = encode_fifo(w, left)) < 0)
        return ret;
    if ((ret = avcodec_send_frame(w->enc, NULL)) < 0)
        return ave_job_fail(w->job, AVE_ERR_INTERNAL, "%s: audio encoder flush: %s", w->path,
                            av_err2str(ret));
    if ((ret = drain(w)) < 0 || (ret = copy_video_until(w, INT64_MAX)) < 0)
        return ret;
    if ((ret = av_write_trailer(w->oc)) < 0)
        return fail_write(w, ret, "cannot finish the file");
    if ((ret = avio_closep(&w->oc->pb)) < 0)
        return fail_write(w, ret, "cannot close");
    w->finished = 1;
    return 0;
}

const char *enh_writer_codec(const enh_writer *w)
{
    return w && w->enc ? w->enc->codec->name : "";
}

int64_t enh_writer_bit_rate(const enh_writer *w)
{
    return w && w->enc ? w->enc->bit_rate : 0;
}

void enh_writer_free(enh_writer *w)
{
    if (!w)
        return;
    if (w->oc) {
        if (w->oc->pb)
            avio_closep(&w->oc->pb);
        avformat_free_context(w->oc);
    }
    if (w->created && !w->finished)
        unlink(w->path);
    avcodec_free_context(&w->enc);
    swr_free(&w->swr);
    if (w->fifo)
        av_audio_fifo_free(w->fifo);
    if (w->conv)
        av_freep(&w->conv[0]);
    av_freep(&w->conv);
    av_packet_free(&w->pkt);
    av_packet_free(&w->vpkt);
    avformat_close_input(&w->vic);
    free(w);
}
