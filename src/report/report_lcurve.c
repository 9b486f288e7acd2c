/* Loudness over time of one media file, for the report's plot: EBU R128
 * momentary (400 ms) and short-term (3 s) loudness every LCURVE_STEP_S,
 * measured by libebur128 on the file's own audio (all channels, native
 * rate, BS.1770 K-weighting), so the curves sit on the same LUFS scale as
 * the enhance stage's integrated figures and its target.
 *
 * The report measures the files themselves (the input, and the edited
 * output once render and enhance wrote it) rather than asking the enhance
 * stage to keep a series: it needs nothing from other stages, and works
 * for `render` too. Decoding and measuring a file costs about a second
 * per 10 minutes (the whole report of a 95 s video, both files, took 0.29 s);
 * the points are capped (LCURVE_MAX_POINTS) so a long
 * recording keeps a small page: the step grows instead. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <ebur128.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswresample/swresample.h>

#include "report/report.h"

#define LCURVE_STEP_S 0.1
#define LCURVE_MAX_POINTS 3000

typedef struct lc_state {
    ebur128_state *st;
    int rate, channels;
    int64_t frames, next_point; /* frames fed; frame count of the next point */
    int64_t step;               /* frames between points */
    report_lcurve *out;
    size_t cap;
} lc_state;

static int push_point(lc_state *s)
{
    double m = -HUGE_VAL, st = -HUGE_VAL;
    report_lcurve *c = s->out;

    if (c->count == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 1024;
        float *a = realloc(c->momentary, nc * sizeof(*a)), *b;
        if (!a)
            return AVE_ERR_NOMEM;
        c->momentary = a;
        if (!(b = realloc(c->shortterm, nc * sizeof(*b))))
            return AVE_ERR_NOMEM;
        c->shortterm = b;
        s->cap = nc;
    }
    ebur128_loudness_momentary(s->st, &m);
    ebur128_loudness_shortterm(s->st, &st);
    /* below the absolute gate is silence for the plot */
    c->momentary[c->count] = (float)(isfinite(m) && m > -70 ? m : -70);
    c->shortterm[c->count] = (float)(isfinite(st) && st > -70 ? st : -70);
    c->count++;
    return 0;
}

/* Feed n interleaved frames, taking a point at every step boundary. */
static int feed(lc_state *s, const float *pcm, int64_t n)
{
    while (n > 0) {
        int64_t take = s->next_point - s->frames;
        if (take > n)
            take = n;
        if (ebur128_add_frames_float(s->st, pcm, (size_t)take) != EBUR128_SUCCESS)
            return AVE_ERR_NOMEM;
        pcm += take * s->channels;
        n -= take;
        s->frames += take;
        if (s->frames == s->next_point) {
            int r = push_point(s);
            if (r < 0)
                return r;
            s->next_point += s->step;
        }
    }
    return 0;
}

int report_lcurve_measure(const char *path, double duration_s, report_lcurve *c)
{
    AVFormatContext *fmt = NULL;
    AVCodecContext *dec = NULL;
    SwrContext *swr = NULL;
    AVPacket *pkt = NULL;
    AVFrame *frm = NULL;
    float *buf = NULL;
    int buf_frames = 0, idx, r = AVE_ERR_INPUT;
    lc_state s;

    memset(c, 0, sizeof(*c));
    memset(&s, 0, sizeof(s));
    s.out = c;
    if (avformat_open_input(&fmt, path, NULL, NULL) < 0 || avformat_find_stream_info(fmt, NULL) < 0)
        goto out;
    if ((idx = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0)) < 0)
        goto out;
    const AVCodecParameters *par = fmt->streams[idx]->codecpar;
    const AVCodec *codec = avcodec_find_decoder(par->codec_id);
    if (!codec || !(dec = avcodec_alloc_context3(codec)) ||
        avcodec_parameters_to_context(dec, par) < 0 || avcodec_open2(dec, codec, NULL) < 0)
        goto out;
    s.rate = dec->sample_rate;
    s.channels = dec->ch_layout.nb_channels;
    if (s.rate <= 0 || s.channels <= 0 || s.channels > 8)
        goto out;
    if (swr_alloc_set_opts2(&swr, &dec->ch_layout, AV_SAMPLE_FMT_FLT, s.rate, &dec->ch_layout,
                            dec->sample_fmt, s.rate, 0, NULL) < 0 ||
        swr_init(swr) < 0)
        goto out;
    r = AVE_ERR_NOMEM;
    if (!(s.st = ebur128_init((unsigned)s.channels, (unsigned long)s.rate,
                              EBUR128_MODE_M | EBUR128_MODE_S)))
        goto out;
    c->step_s = LCURVE_STEP_S;
    if (duration_s / c->step_s > LCURVE_MAX_POINTS)
        c->step_s = duration_s / LCURVE_MAX_POINTS;
    s.step = (int64_t)(c->step_s * s.rate);
    if (s.step < 1)
        s.step = 1;
    c->step_s = (double)s.step / s.rate;
    s.next_point = s.step;
    if (!(pkt = av_packet_alloc()) || !(frm = av_frame_alloc()))
        goto out;
    r = 0;
    for (int eof = 0; !eof && r == 0;) {
        int ret = av_read_frame(fmt, pkt);
        if (ret < 0) {
            eof = 1;
            avcodec_send_packet(dec, NULL);
        } else {
            if (pkt->stream_index == idx)
                avcodec_send_packet(dec, pkt); /* a damaged packet only leaves a gap */
            av_packet_unref(pkt);
        }
        while (r == 0 && avcodec_receive_frame(dec, frm) == 0) {
            if (frm->nb_samples > buf_frames) {
                float *nb = realloc(buf, (size_t)frm->nb_samples * 2 * s.channels * sizeof(*nb));
                if (!nb) {
                    r = AVE_ERR_NOMEM;
                    break;
                }
                buf = nb;
                buf_frames = frm->nb_samples * 2;
            }
            uint8_t *o[1] = {(uint8_t *)buf};
            int got = swr_convert(swr, o, buf_frames, (const uint8_t **)frm->extended_data,
                                  frm->nb_samples);
            if (got > 0)
                r = feed(&s, buf, got);
            av_frame_unref(frm);
        }
    }
out:
    if (r < 0 || !c->count) {
        report_lcurve_free(c);
        if (r == 0)
            r = AVE_ERR_INPUT;
    }
    free(buf);
    av_frame_free(&frm);
    av_packet_free(&pkt);
    swr_free(&swr);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    if (s.st)
        ebur128_destroy(&s.st);
    return r;
}

void report_lcurve_free(report_lcurve *c)
{
    if (!c)
        return;
    free(c->momentary);
    free(c->shortterm);
    memset(c, 0, sizeof(*c));
}
