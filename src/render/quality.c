/* Output quality of the render, measured: PSNR of the encoded video against
 * the exact frames given to the encoder.
 *
 * With libx264 (the usual case) the encoder measures it itself: with
 * AV_CODEC_FLAG_PSNR x264 computes each frame's squared error against its
 * reconstruction (the decoder's picture, bit for bit) as it encodes, at no
 * measurable cost and without changing the stream (same bytes with and
 * without). FFmpeg 5.1's wrapper exports no squared errors in the packet
 * side data, but x264's debug line for each frame ("frame=... PSNR Y:a
 * U:b V:c", two decimals) reaches av_log, and an ave_log_tap on the encoder
 * context reads it. Every frame is counted; the two-decimal rounding moves
 * the mean by under 0.01 dB.
 *
 * Other encoders (NVENC, VAAPI): every Nth encoder input frame is kept by
 * reference (no copy: nothing writes into a frame's buffers once it is
 * decoded or converted, and the decoder's pool cannot reuse a buffer we
 * still reference), every packet the encoder produces goes to a second
 * H.264 decoder as it is made, and the decoded frame with a kept frame's pts
 * is compared with it, then both are dropped. Every reference frame must be
 * decoded (later frames depend on it); the unsampled non-reference B-frames
 * are skipped, so the cost is about half an H.264 decode of the output
 * (5-10% of an x264 render's CPU time, which is why x264's own figure is
 * preferred).
 *
 * Assumes 8-bit 4:2:0 encoder input (the render always encodes yuv420p),
 * strictly increasing input pts (video_path.c guarantees it) and packets
 * whose pts is their frame's pts (libx264 passes pts through). The decoder
 * returns frames in presentation order, so the kept frames form a FIFO and a
 * kept frame older than the frame just decoded will never match (its packet
 * failed to decode): it is counted as missed and released.
 *
 * A problem in the verifier never fails the render: it logs one warning and
 * stops measuring, and the metrics then say nothing about quality. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/pixdesc.h>
#include <libavutil/time.h>

#include "render/render_internal.h"

/* Kept frames waiting for their decoded twin. Normally a handful (encoder
 * delay / N); the cap only bounds memory if decoding falls behind. */
#define QUALITY_MAX_HELD 64
/* At least this many frames are measured when the clip has that many. */
#define QUALITY_MIN_FRAMES 10
/* PSNR reported for identical frames (the true value is infinite). */
#define QUALITY_PSNR_CAP 99.0

struct render_quality {
    AVCodecContext *dec;
    AVFrame *out; /* decoder output, reused */
    AVFrame *held[QUALITY_MAX_HELD];
    unsigned head, count;
    int64_t every, seen; /* keep frame k when k % every == phase */
    int64_t phase;
    int failed;
    int64_t frames, missed, dropped;
    int64_t skipped; /* packets not decoded (unreferenced, unsampled) */
    double sum_mse_y, sum_mse_c, max_mse_y;
    int64_t busy_us; /* time spent decoding and comparing */
    ave_log_tap tap;    /* from_encoder: on the encoder's opaque */
    int from_encoder;   /* x264 reports each frame's PSNR; no decoder */
};

static void release_held(render_quality *q)
{
    while (q->count) {
        av_frame_free(&q->held[q->head]);
        q->head = (q->head + 1) % QUALITY_MAX_HELD;
        q->count--;
    }
}

static void stop(render_quality *q, const char *why, int averr)
{
    if (!q->failed)
        ave_log(AVE_LOG_WARNING, RENDER_LOG, "quality measurement stopped: %s: %s", why,
                av_err2str(averr));
    q->failed = 1;
    release_held(q);
}

int render_quality_new(render_quality **out, const AVCodecContext *enc, int64_t expected_frames,
                       int threads)
{
    const AVCodec *codec = avcodec_find_decoder(AV_CODEC_ID_H264);
    render_quality *q = NULL;
    double fps = enc->framerate.num > 0 && enc->framerate.den > 0 ? av_q2d(enc->framerate) : 25;
    int ret = AVERROR(ENOMEM);

    *out = NULL;
    if (!codec) {
        ave_log(AVE_LOG_WARNING, RENDER_LOG, "no H.264 decoder: output quality not measured");
        return AVE_ERR_UNSUPPORTED;
    }
    if (!(q = calloc(1, sizeof(*q))) || !(q->dec = avcodec_alloc_context3(codec)) ||
        !(q->out = av_frame_alloc()))
        goto out;
    /* The encoder keeps SPS/PPS in extradata (global header for MP4). */
    if (enc->extradata_size > 0) {
        q->dec->extradata = av_mallocz(enc->extradata_size + AV_INPUT_BUFFER_PADDING_SIZE);
        if (!q->dec->extradata)
            goto out;
        memcpy(q->dec->extradata, enc->extradata, enc->extradata_size);
        q->dec->extradata_size = enc->extradata_size;
    }
    q->dec->pkt_timebase = enc->time_base;
    q->dec->thread_count = threads;
    q->dec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    if ((ret = avcodec_open2(q->dec, codec, NULL)) < 0)
        goto out;
    /* About one frame a second, but at least QUALITY_MIN_FRAMES when there
     * are that many. The phase skips frame 0, always a fresh IDR and so a
     * flattering sample. */
    q->every = (int64_t)(fps + 0.5);
    if (expected_frames / QUALITY_MIN_FRAMES < q->every)
        q->every = expected_frames / QUALITY_MIN_FRAMES;
    if (q->every < 1)
        q->every = 1;
    q->phase = q->every / 2;
    *out = q;
    return 0;
out:
    ave_log(AVE_LOG_WARNING, RENDER_LOG,
            "output quality not measured: cannot open the H.264 decoder: %s", av_err2str(ret));
    render_quality_free(&q);
    return ret == AVERROR(ENOMEM) ? AVE_ERR_NOMEM : AVE_ERR_UNSUPPORTED;
}

/* psnr (dB, x264's cap 100 for identical) back to an MSE in 8-bit units. */
static double db_to_mse(double db) { return 255.0 * 255.0 * pow(10.0, -db / 10.0); }

/* The tap on libx264's log: one "frame=... PSNR Y:a U:b V:c" line a frame. */
static void on_encoder_log(void *arg, const char *msg)
{
    render_quality *q = arg;
    const char *p;
    double y, u, v, mse_y;

    if (q->failed || strncmp(msg, "frame=", 6) != 0 || !(p = strstr(msg, " PSNR Y:")) ||
        sscanf(p, " PSNR Y:%lf U:%lf V:%lf", &y, &u, &v) != 3)
        return;
    mse_y = db_to_mse(y);
    q->frames++;
    q->sum_mse_y += mse_y;
    q->sum_mse_c += (db_to_mse(u) + db_to_mse(v)) / 2;
    if (mse_y > q->max_mse_y)
        q->max_mse_y = mse_y;
}

void render_quality_encoder_flags(AVCodecContext *enc, const AVCodec *codec)
{
    if (!strcmp(codec->name, "libx264"))
        enc->flags |= AV_CODEC_FLAG_PSNR;
}

int render_quality_from_encoder(render_quality **out, AVCodecContext *enc)
{
    render_quality *q;

    *out = NULL;
    if (!enc->codec || strcmp(enc->codec->name, "libx264") != 0 ||
        !(enc->flags & AV_CODEC_FLAG_PSNR))
        return AVE_ERR_UNSUPPORTED;
    if (!(q = calloc(1, sizeof(*q)))) {
        ave_log(AVE_LOG_WARNING, RENDER_LOG, "output quality not measured: out of memory");
        return AVE_ERR_NOMEM;
    }
    q->from_encoder = 1;
    q->every = 1;
    q->tap.magic = AVE_LOG_TAP_MAGIC;
    q->tap.fn = on_encoder_log;
    q->tap.arg = q;
    enc->opaque = &q->tap;
    *out = q;
    return 0;
}

void render_quality_frame(render_quality *q, const AVFrame *f)
{
    AVFrame *ref;

    if (!q || q->from_encoder || q->failed || q->seen++ % q->every != q->phase)
        return;
    if (q->count == QUALITY_MAX_HELD) { /* decoding fell behind: forget the oldest */
        if (!q->dropped)
            ave_log(AVE_LOG_WARNING, RENDER_LOG,
                    "quality check: more than %d sampled frames pending; dropping the oldest",
                    QUALITY_MAX_HELD);
        q->dropped++;
        av_frame_free(&q->held[q->head]);
        q->head = (q->head + 1) % QUALITY_MAX_HELD;
        q->count--;
    }
    if (!(ref = av_frame_clone(f))) {
        stop(q, "keeping a reference frame", AVERROR(ENOMEM));
        return;
    }
    q->held[(q->head + q->count) % QUALITY_MAX_HELD] = ref;
    q->count++;
}

/* Sum of squared differences of plane p (w x h 8-bit samples). */
static uint64_t plane_ssd(const AVFrame *a, const AVFrame *b, int p, int w, int h)
{
    const uint8_t *pa = a->data[p], *pb = b->data[p];
    uint64_t ssd = 0;
    int x, y;
    for (y = 0; y < h; y++, pa += a->linesize[p], pb += b->linesize[p]) {
        uint32_t row = 0; /* w * 255^2 fits for any w below 66000 */
        for (x = 0; x < w; x++) {
            int d = pa[x] - pb[x];
            row += (uint32_t)(d * d);
        }
        ssd += row;
    }
    return ssd;
}

static void compare(render_quality *q, const AVFrame *ref, const AVFrame *dec)
{
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(ref->format);
    int w = ref->width, h = ref->height, cw, ch;
    double mse_y, mse_c;

    if (!d || ref->format != dec->format || w != dec->width || h != dec->height ||
        d->comp[0].depth != 8 || d->nb_components < 3 || (d->flags & AV_PIX_FMT_FLAG_RGB)) {
        stop(q, "decoded frame does not match the encoder input", AVERROR(EINVAL));
        return;
    }
    cw = AV_CEIL_RSHIFT(w, d->log2_chroma_w);
    ch = AV_CEIL_RSHIFT(h, d->log2_chroma_h);
    mse_y = (double)plane_ssd(ref, dec, 0, w, h) / ((double)w * h);
    mse_c =
        (double)(plane_ssd(ref, dec, 1, cw, ch) + plane_ssd(ref, dec, 2, cw, ch)) / (2.0 * cw * ch);
    q->frames++;
    q->sum_mse_y += mse_y;
    q->sum_mse_c += mse_c;
    if (mse_y > q->max_mse_y)
        q->max_mse_y = mse_y;
}

/* Match the decoded frame q->out with the kept frames. */
static void match(render_quality *q)
{
    int64_t pts = q->out->pts != AV_NOPTS_VALUE ? q->out->pts : q->out->best_effort_timestamp;

    if (pts == AV_NOPTS_VALUE)
        return;
    while (q->count && !q->failed) {
        AVFrame *ref = q->held[q->head];
        if (ref->pts > pts)
            break;
        if (ref->pts == pts) {
            compare(q, ref, q->out);
            if (q->failed) /* stop() released every kept frame */
                return;
        } else
            q->missed++;
        av_frame_free(&q->held[q->head]);
        q->head = (q->head + 1) % QUALITY_MAX_HELD;
        q->count--;
    }
}

/* 1 when the Annex B packet holds a slice that later frames may reference
 * (nal_ref_idc != 0), or when that cannot be told (no slice found). */
static int is_reference(const uint8_t *p, int size)
{
    int i, slices = 0;
    for (i = 0; i + 3 < size; i++) {
        if (p[i] != 0 || p[i + 1] != 0 || p[i + 2] != 1)
            continue;
        i += 3;
        if ((p[i] & 0x1f) == 1 || (p[i] & 0x1f) == 5) {
            if (p[i] & 0x60)
                return 1;
            slices++;
        }
    }
    return slices == 0;
}

/* A frame no other frame references and that was not sampled need not be
 * decoded: about half of x264's frames are such B-frames. frame_num only
 * advances on reference pictures, so the decoder sees no gap. */
static int can_skip(const render_quality *q, const AVPacket *pkt)
{
    unsigned k;
    if (pkt->pts == AV_NOPTS_VALUE || is_reference(pkt->data, pkt->size))
        return 0;
    for (k = 0; k < q->count; k++)
        if (q->held[(q->head + k) % QUALITY_MAX_HELD]->pts == pkt->pts)
            return 0;
    return 1;
}

void render_quality_packet(render_quality *q, const AVPacket *pkt)
{
    int64_t t0;
    int ret, sent = 0;

    if (!q || q->from_encoder || q->failed)
        return;
    if (pkt && can_skip(q, pkt)) {
        q->skipped++;
        return;
    }
    t0 = av_gettime_relative();
    /* avcodec_send_packet makes its own reference, so the caller may hand
     * pkt to the muxer right after. EAGAIN cannot last: we drain below. */
    while (!sent && !q->failed) {
        ret = avcodec_send_packet(q->dec, pkt);
        if (ret == AVERROR(EAGAIN))
            ret = 0;
        else if (ret < 0 && ret != AVERROR_EOF) {
            stop(q, "decoding the output", ret);
            break;
        } else
            sent = 1;
        for (;;) {
            ret = avcodec_receive_frame(q->dec, q->out);
            if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
                break;
            if (ret < 0) {
                stop(q, "decoding the output", ret);
                break;
            }
            match(q);
            av_frame_unref(q->out);
        }
    }
    if (!pkt) /* flushed: whatever is still kept never came back */
        while (q->count) {
            q->missed++;
            av_frame_free(&q->held[q->head]);
            q->head = (q->head + 1) % QUALITY_MAX_HELD;
            q->count--;
        }
    q->busy_us += av_gettime_relative() - t0;
}

static double mse_to_db(double mse)
{
    double db = mse > 0 ? 10.0 * log10(255.0 * 255.0 / mse) : QUALITY_PSNR_CAP;
    return db > QUALITY_PSNR_CAP ? QUALITY_PSNR_CAP : db;
}

int render_quality_stats(const render_quality *q, render_quality_result *r)
{
    memset(r, 0, sizeof(*r));
    if (!q || q->failed || q->frames == 0)
        return AVE_ERR_UNSUPPORTED;
    r->frames = q->frames;
    r->missed = q->missed + q->dropped;
    r->every = q->every;
    r->psnr_y_db = mse_to_db(q->sum_mse_y / (double)q->frames);
    r->psnr_y_min_db = mse_to_db(q->max_mse_y);
    r->psnr_chroma_db = mse_to_db(q->sum_mse_c / (double)q->frames);
    r->seconds = q->busy_us / 1e6;
    r->skipped = q->skipped;
    return 0;
}

void render_quality_free(render_quality **pq)
{
    render_quality *q = *pq;

    if (!q)
        return;
    release_held(q);
    avcodec_free_context(&q->dec);
    av_frame_free(&q->out);
    free(q);
    *pq = NULL;
}
