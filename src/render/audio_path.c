/* Audio path of the render: decode, resample to the AAC encoder's format
 * (planar float; the input rate when AAC allows it, else 48 kHz; mono stays
 * mono, anything wider becomes a stereo downmix), cut and crossfade with the
 * streaming mixer, and encode 1024-sample AAC frames.
 *
 * Sample positions: the first decoded frame anchors the source sample index
 * (from its timestamp); after that samples are counted, so decoder timestamp
 * jitter cannot add or drop samples. Only a jump of more than 100 ms (a real
 * hole or overlap in the input) resynchronises, and the mixer then fills the
 * hole with silence or drops the overlap. Every kept boundary is converted
 * to samples from absolute source time (crossfade.h), so the output has
 * exactly the kept length, within a sample per segment. Words the speech
 * stage flagged AVE_WORD_MUTED are silenced in source positions before the
 * mixer (mute.h), so muting and cutting never interfere. */
#include <stdlib.h>

#include <libavutil/opt.h>

#include "render/render_internal.h"

/* Timestamp jumps larger than rate / RESYNC_DIV samples (100 ms) are real. */
#define RESYNC_DIV 10
#define MUTE_FADE_MS 5 /* fade at each side of a muted word, inside it */

static int choose_rate(const AVCodec *codec, int in_rate)
{
    const int *r = codec->supported_samplerates;
    if (!r)
        return in_rate > 0 ? in_rate : 48000;
    for (; *r; r++)
        if (*r == in_rate)
            return in_rate;
    return 48000;
}

/* Hand the encoder's packets on: to the render's muxer, or (audio thread,
 * audio_thread.c) to the cut-audio file that the audio post-processing
 * reads. */
static int drain(render_ctx *ctx)
{
    render_audio *a = &ctx->a;
    int ret;

    if (a->oc == ctx->oc)
        return render_mux_drain(ctx, a->enc, a->ost, 0);
    for (;;) {
        ret = avcodec_receive_packet(a->enc, a->pkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "%s: audio encoder failed: %s",
                                ctx->job->input_path, av_err2str(ret));
        av_packet_rescale_ts(a->pkt, a->enc->time_base, a->ost->time_base);
        a->pkt->stream_index = a->ost->index;
        /* takes the packet's reference, even on failure */
        if ((ret = av_interleaved_write_frame(a->oc, a->pkt)) < 0)
            return ave_job_fail(ctx->job, ret == AVERROR(ENOSPC) ? AVE_ERR_NOSPACE : AVE_ERR_IO,
                                "render: cannot write the cut audio to the temp folder: %s",
                                av_err2str(ret));
    }
}

static int encode_fifo(render_ctx *ctx, int n)
{
    render_audio *a = &ctx->a;
    AVFrame *f = av_frame_alloc();
    int ret;

    if (!f)
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    f->nb_samples = n;
    f->format = AV_SAMPLE_FMT_FLTP;
    f->sample_rate = a->rate;
    if ((ret = av_channel_layout_copy(&f->ch_layout, &a->enc->ch_layout)) < 0 ||
        (ret = av_frame_get_buffer(f, 0)) < 0) {
        av_frame_free(&f);
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    }
    if (av_audio_fifo_read(a->fifo, (void **)f->data, n) != n) {
        av_frame_free(&f);
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "render: audio FIFO underrun");
    }
    f->pts = a->samples_sent;
    a->samples_sent += n;
    ret = avcodec_send_frame(a->enc, f);
    av_frame_free(&f);
    if (ret < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "%s: audio encoder refused a frame: %s",
                            ctx->job->input_path, av_err2str(ret));
    return drain(ctx);
}

/* Mixer output -> FIFO -> whole encoder frames. */
static int on_mixed(void *opaque, const float *const *planes, int n)
{
    render_ctx *ctx = opaque;
    render_audio *a = &ctx->a;
    void *p[AVE_XFADE_MAX_CHANNELS];
    int c, ret;

    for (c = 0; c < a->channels; c++)
        p[c] = (void *)(uintptr_t)planes[c]; /* the FIFO only reads them */
    if (av_audio_fifo_write(a->fifo, p, n) != n)
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    while (av_audio_fifo_size(a->fifo) >= a->enc->frame_size)
        if ((ret = encode_fifo(ctx, a->enc->frame_size)) < 0)
            return ret;
    return 0;
}

/* The muter for the words flagged AVE_WORD_MUTED; a->mute stays NULL when
 * there are none. */
static int setup_mute(render_ctx *ctx)
{
    render_audio *a = &ctx->a;
    const ave_word *w = ctx->job->analysis.words;
    size_t n = ctx->job->analysis.word_count, k = 0;
    ave_xfade_range *spans;
    int ret;

    for (size_t i = 0; i < n; i++)
        k += !!(w[i].flags & AVE_WORD_MUTED);
    if (k == 0)
        return 0;
    if (!(spans = malloc(k * sizeof(*spans))))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    k = 0;
    for (size_t i = 0; i < n; i++)
        if (w[i].flags & AVE_WORD_MUTED) {
            spans[k].start = ave_xfade_us_to_samples(w[i].start_us, a->rate);
            spans[k++].end = ave_xfade_us_to_samples(w[i].end_us, a->rate);
        }
    ret = ave_mute_new(&a->mute, spans, k, MUTE_FADE_MS * a->rate / 1000);
    free(spans);
    if (ret < 0)
        return ave_job_fail(ctx->job, ret, "render: cannot set up muting");
    ave_log(AVE_LOG_VERBOSE, RENDER_LOG, "muting %zu span(s) of filler or stutter",
            ave_mute_span_count(a->mute));
    return 0;
}

int render_audio_open(render_ctx *ctx)
{
    render_audio *a = &ctx->a;
    const AVCodec *dcodec, *ecodec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    ave_xfade_range *kept = NULL;
    size_t k;
    int ret, fade;

    if (!a->ic)
        a->ic = ctx->ic;
    if (!a->oc)
        a->oc = ctx->oc;
    a->ist = a->ic->streams[a->index];
    dcodec = avcodec_find_decoder(a->ist->codecpar->codec_id);
    if (!dcodec)
        return ave_job_fail(ctx->job, AVE_ERR_INPUT, "%s: no decoder for audio codec %s",
                            ctx->job->input_path, avcodec_get_name(a->ist->codecpar->codec_id));
    if (!ecodec)
        return ave_job_fail(ctx->job, AVE_ERR_UNSUPPORTED, "render: no AAC encoder");
    if (!(a->dec = avcodec_alloc_context3(dcodec)) || !(a->enc = avcodec_alloc_context3(ecodec)) ||
        !(a->frame = av_frame_alloc()))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    if ((ret = avcodec_parameters_to_context(a->dec, a->ist->codecpar)) < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INPUT, "%s: bad audio parameters: %s",
                            ctx->job->input_path, av_err2str(ret));
    a->dec->pkt_timebase = a->ist->time_base;
    if ((ret = avcodec_open2(a->dec, dcodec, NULL)) < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INPUT, "%s: cannot open the audio decoder: %s",
                            ctx->job->input_path, av_err2str(ret));

    a->rate = choose_rate(ecodec, a->dec->sample_rate);
    a->channels = a->dec->ch_layout.nb_channels == 1 ? 1 : 2;
    av_channel_layout_default(&a->enc->ch_layout, a->channels);
    a->enc->sample_fmt = AV_SAMPLE_FMT_FLTP;
    a->enc->sample_rate = a->rate;
    a->enc->bit_rate = ctx->es.audio_bitrate;
    a->enc->time_base = (AVRational){ 1, a->rate };
    if (a->oc->oformat->flags & AVFMT_GLOBALHEADER)
        a->enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if ((ret = avcodec_open2(a->enc, ecodec, NULL)) < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "render: cannot open the AAC encoder: %s",
                            av_err2str(ret));
    if (!(a->ost = avformat_new_stream(a->oc, NULL)))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    if ((ret = avcodec_parameters_from_context(a->ost->codecpar, a->enc)) < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "render: audio parameters: %s",
                            av_err2str(ret));
    a->ost->time_base = a->enc->time_base;
    if (!(a->fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, a->channels, 4 * a->enc->frame_size)))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");

    if (!(kept = calloc(ctx->nspans, sizeof(*kept))))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    for (k = 0; k < ctx->nspans; k++) {
        kept[k].start = ave_xfade_us_to_samples(ctx->spans[k].start_us, a->rate);
        kept[k].end = ave_xfade_us_to_samples(ctx->spans[k].end_us, a->rate);
    }
    fade = (int)(ctx->opts->crossfade_ms * a->rate / 1000.0 + 0.5);
    ret = ave_xfade_new(&a->xfade, kept, ctx->nspans, a->channels, fade, AVE_XFADE_EQUAL_POWER,
                        on_mixed, ctx);
    free(kept);
    if (ret < 0)
        return ave_job_fail(ctx->job, ret, "render: cannot set up the audio crossfade");
    return setup_mute(ctx);
}

/* (Re)create the resampler for the frame's format. A format change mid-file
 * restarts it, losing at most its few buffered samples. */
static int setup_swr(render_ctx *ctx, const AVFrame *f)
{
    render_audio *a = &ctx->a;
    AVChannelLayout in = { 0 };
    int ret;

    if (a->swr && f->sample_rate == a->swr_in_rate && f->format == a->swr_in_fmt &&
        !av_channel_layout_compare(&f->ch_layout, &a->swr_in_layout))
        return 0;
    if (a->swr)
        ave_log(AVE_LOG_VERBOSE, RENDER_LOG, "audio format changed mid-stream; resampler restarted");
    swr_free(&a->swr);
    av_channel_layout_uninit(&a->swr_in_layout);
    if ((ret = av_channel_layout_copy(&a->swr_in_layout, &f->ch_layout)) < 0)
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    a->swr_in_rate = f->sample_rate;
    a->swr_in_fmt = f->format;
    /* An unordered layout (e.g. raw WAV) gets the default for its count. */
    if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
        av_channel_layout_default(&in, f->ch_layout.nb_channels);
    else if ((ret = av_channel_layout_copy(&in, &f->ch_layout)) < 0)
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    ret = swr_alloc_set_opts2(&a->swr, &a->enc->ch_layout, AV_SAMPLE_FMT_FLTP, a->rate, &in,
                              f->format, f->sample_rate, 0, NULL);
    av_channel_layout_uninit(&in);
    if (ret >= 0)
        ret = swr_init(a->swr);
    if (ret < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INPUT, "%s: cannot convert the audio (%d Hz, %d ch): %s",
                            ctx->job->input_path, f->sample_rate, f->ch_layout.nb_channels,
                            av_err2str(ret));
    return 0;
}

static int grow_buffers(render_ctx *ctx, int n)
{
    render_audio *a = &ctx->a;
    int c;
    if (n <= a->buf_cap)
        return 0;
    for (c = 0; c < a->channels; c++) {
        float *p = realloc(a->buf[c], (size_t)n * sizeof(float));
        if (!p)
            return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
        a->buf[c] = p;
    }
    a->buf_cap = n;
    return 0;
}

/* Resample f (NULL: flush the resampler) and push the result to the mixer. */
static int convert_push(render_ctx *ctx, const AVFrame *f)
{
    render_audio *a = &ctx->a;
    int64_t pts = f ? f->best_effort_timestamp : AV_NOPTS_VALUE;
    int n, ret, cap;

    if (f && (ret = setup_swr(ctx, f)) < 0)
        return ret;
    if (!a->swr)
        return 0;
    if (pts != AV_NOPTS_VALUE) {
        int64_t idx = av_rescale_q(pts, a->ist->time_base, (AVRational){ 1, a->rate }) -
                      ave_xfade_us_to_samples(ctx->src0_us, a->rate);
        int64_t expect = idx - swr_get_delay(a->swr, a->rate);
        if (!a->anchored) {
            a->next_idx = expect;
            a->anchored = 1;
        } else if (llabs(expect - a->next_idx) > a->rate / RESYNC_DIV) {
            ave_log(AVE_LOG_VERBOSE, RENDER_LOG, "audio timestamps jump by %lld samples; resyncing",
                    (long long)(expect - a->next_idx));
            a->next_idx = expect;
        }
    }
    cap = swr_get_out_samples(a->swr, f ? f->nb_samples : 0);
    if (cap <= 0)
        return 0;
    if ((ret = grow_buffers(ctx, cap)) < 0)
        return ret;
    n = swr_convert(a->swr, (uint8_t **)a->buf, cap, f ? (const uint8_t **)f->extended_data : NULL,
                    f ? f->nb_samples : 0);
    if (n < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "render: audio resampling failed: %s",
                            av_err2str(n));
    ave_mute_apply(a->mute, a->next_idx, a->buf, a->channels, n);
    if ((ret = ave_xfade_push(a->xfade, a->next_idx, (const float *const *)a->buf, n)) < 0)
        return ret;
    a->next_idx += n;
    return 0;
}

int render_audio_packet(render_ctx *ctx, const AVPacket *pkt)
{
    render_audio *a = &ctx->a;
    int ret = avcodec_send_packet(a->dec, pkt);

    if (ret == AVERROR(ENOMEM))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory decoding audio");
    if (ret < 0 && ret != AVERROR_EOF) {
        a->corrupt++;
        ave_log(AVE_LOG_WARNING, RENDER_LOG, "%s: skipping a corrupt audio packet: %s",
                ctx->job->input_path, av_err2str(ret));
    }
    for (;;) {
        ret = avcodec_receive_frame(a->dec, a->frame);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0) {
            a->corrupt++;
            ave_log(AVE_LOG_WARNING, RENDER_LOG, "%s: skipping undecodable audio: %s",
                    ctx->job->input_path, av_err2str(ret));
            return 0;
        }
        ret = convert_push(ctx, a->frame);
        av_frame_unref(a->frame);
        if (ret < 0)
            return ret;
    }
}

int render_audio_finish(render_ctx *ctx)
{
    render_audio *a = &ctx->a;
    int ret, left;

    if ((ret = render_audio_packet(ctx, NULL)) < 0 || (ret = convert_push(ctx, NULL)) < 0 ||
        (ret = ave_xfade_finish(a->xfade)) < 0)
        return ret;
    left = av_audio_fifo_size(a->fifo);
    if (left > 0 && (ret = encode_fifo(ctx, left)) < 0)
        return ret;
    if ((ret = avcodec_send_frame(a->enc, NULL)) < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "render: audio encoder flush: %s",
                            av_err2str(ret));
    return drain(ctx);
}

void render_audio_close(render_ctx *ctx)
{
    render_audio *a = &ctx->a;
    int c;
    avcodec_free_context(&a->dec);
    avcodec_free_context(&a->enc);
    swr_free(&a->swr);
    av_channel_layout_uninit(&a->swr_in_layout);
    av_frame_free(&a->frame);
    av_packet_free(&a->pkt);
    if (a->fifo)
        av_audio_fifo_free(a->fifo);
    a->fifo = NULL;
    ave_xfade_free(a->xfade);
    a->xfade = NULL;
    ave_mute_free(a->mute);
    a->mute = NULL;
    for (c = 0; c < AVE_XFADE_MAX_CHANNELS; c++) {
        free(a->buf[c]);
        a->buf[c] = NULL;
    }
}
