/* An extra video file of the render pass: see side_output.h. The encoder
 * is set up like the main one (video_path.c's try_encoder says why each
 * setting) but always libx264: the extra files are small, and one GPU
 * session is all some cards allow. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ave/resources.h"
#include "render/render_internal.h"
#include "render/side_output.h"

struct render_side {
    char *relpath;
    const char *path; /* temporary file (owned by the job) */
    AVCodecContext *enc;
    AVFormatContext *oc;
    AVStream *vst, *ast;
    AVPacket *pkt;
    int64_t from_us, to_us;
    int64_t shift_v; /* from_us in the input video time base */
    int begun, committed;
    int64_t bytes; /* memory reserved for the encoder */
    int64_t frames;
    int64_t file_bytes;
    render_dur_ring ring;
};

static void ring_put(render_dur_ring *r, int64_t pts, int64_t dur)
{
    unsigned i;
    if (r->count == RENDER_DUR_RING) {
        r->head = (r->head + 1) % RENDER_DUR_RING;
        r->count--;
    }
    i = (r->head + r->count) % RENDER_DUR_RING;
    r->pts[i] = pts, r->dur[i] = dur;
    r->count++;
}

/* Packets come out in decode order; durations are looked up by pts. */
static int64_t ring_take(render_dur_ring *r, int64_t pts)
{
    for (unsigned k = 0; k < r->count; k++) {
        unsigned i = (r->head + k) % RENDER_DUR_RING;
        if (r->pts[i] == pts) {
            int64_t d = r->dur[i];
            r->pts[i] = AV_NOPTS_VALUE;
            while (r->count && r->pts[r->head] == AV_NOPTS_VALUE)
                r->head = (r->head + 1) % RENDER_DUR_RING, r->count--;
            return d;
        }
    }
    return 0;
}

static int fail(render_ctx *ctx, render_side *s, int averr, const char *what)
{
    int code = averr == AVERROR(ENOSPC) ? AVE_ERR_NOSPACE : AVE_ERR_IO;
    return ave_job_fail(ctx->job, code, "%s/%s: %s: %s", ctx->job->output_dir, s->relpath, what,
                        av_err2str(averr));
}

static int open_encoder(render_ctx *ctx, render_side *s, int width, int height, int flags)
{
    const AVCodecContext *e1 = ctx->v.enc;
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    AVDictionary *eopts = NULL;
    char crf[16];
    int ret;

    if (!codec || !(s->enc = avcodec_alloc_context3(codec)) || !(s->pkt = av_packet_alloc()))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: cannot set up the encoder of %s",
                            s->relpath);
    s->enc->width = width;
    s->enc->height = height;
    s->enc->pix_fmt = AV_PIX_FMT_YUV420P;
    s->enc->color_range = e1->color_range;
    s->enc->color_primaries = e1->color_primaries;
    s->enc->color_trc = e1->color_trc;
    s->enc->colorspace = e1->colorspace;
    s->enc->sample_aspect_ratio =
        flags & RENDER_SIDE_SAME_PICTURE ? e1->sample_aspect_ratio : (AVRational){1, 1};
    s->enc->time_base = e1->time_base;
    s->enc->framerate = e1->framerate;
    s->enc->thread_count = e1->thread_count;
    s->enc->flags = e1->flags & AV_CODEC_FLAG_GLOBAL_HEADER;
    snprintf(crf, sizeof(crf), "%d", ctx->crf);
    av_dict_set(&eopts, "preset", ctx->es.x264_preset, 0);
    av_dict_set(&eopts, "crf", crf, 0);
    av_dict_set(&eopts, "x264-params", "sync-lookahead=0", 0);
    ret = avcodec_open2(s->enc, codec, &eopts);
    av_dict_free(&eopts);
    if (ret < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "render: cannot open libx264 for %s: %s",
                            s->relpath, av_err2str(ret));
    return 0;
}

int render_side_open(render_ctx *ctx, const char *relpath, int width, int height, int64_t from_us,
                     int64_t to_us, int flags, render_side **out)
{
    const ave_media_info *m = &ctx->job->media;
    AVDictionary *mopts = NULL;
    render_side *s;
    int ret;

    *out = NULL;
    if (!(s = calloc(1, sizeof(*s))) || !(s->relpath = strdup(relpath))) {
        free(s);
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    }
    *out = s;
    s->from_us = from_us;
    s->to_us = to_us;
    s->shift_v = av_rescale_q(from_us, AV_TIME_BASE_Q, ctx->v.ist->time_base);
    /* the main encoder's estimate scaled by the picture's area */
    s->bytes = ave_estimate_render_bytes(m, ctx->job->cfg->quality);
    if (m->width > 0 && m->height > 0)
        s->bytes = (int64_t)((double)s->bytes * width * height / ((double)m->width * m->height));
    if ((ret = ave_job_mem_reserve(ctx->job, s->bytes)) < 0) {
        s->bytes = 0;
        return ret;
    }
    if ((ret = open_encoder(ctx, s, width, height, flags)) < 0)
        return ret;
    if ((ret = avformat_alloc_output_context2(&s->oc, NULL, "mp4", NULL)) < 0 || !s->oc ||
        !(s->vst = avformat_new_stream(s->oc, NULL)))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    if ((ret = avcodec_parameters_from_context(s->vst->codecpar, s->enc)) < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "render: video parameters: %s",
                            av_err2str(ret));
    s->vst->time_base = s->enc->time_base;
    s->vst->sample_aspect_ratio = s->enc->sample_aspect_ratio;
    s->vst->avg_frame_rate = s->enc->framerate;
    if (flags & RENDER_SIDE_SAME_PICTURE) { /* rotation is metadata: copy it */
        size_t size = 0;
        const uint8_t *matrix = av_stream_get_side_data(ctx->v.ost, AV_PKT_DATA_DISPLAYMATRIX, &size);
        uint8_t *dst;
        if (matrix) {
            if (!(dst = av_stream_new_side_data(s->vst, AV_PKT_DATA_DISPLAYMATRIX, size)))
                return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
            memcpy(dst, matrix, size);
        }
    }
    if (ctx->a.ost) {
        if (!(s->ast = avformat_new_stream(s->oc, NULL)) ||
            avcodec_parameters_copy(s->ast->codecpar, ctx->a.ost->codecpar) < 0)
            return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
        s->ast->time_base = ctx->a.ost->time_base;
    }
    if ((ret = ave_job_output_begin(ctx->job, relpath, &s->path)) < 0)
        return ret;
    s->begun = 1;
    if ((ret = avio_open(&s->oc->pb, s->path, AVIO_FLAG_WRITE)) < 0)
        return fail(ctx, s, ret, "cannot create");
    if (ctx->opts->faststart)
        av_dict_set(&mopts, "movflags", "+faststart", 0);
    ret = avformat_write_header(s->oc, &mopts);
    av_dict_free(&mopts);
    return ret < 0 ? fail(ctx, s, ret, "cannot write the header") : 0;
}

static int drain(render_ctx *ctx, render_side *s)
{
    for (;;) {
        int ret = avcodec_receive_packet(s->enc, s->pkt);
        int64_t d;
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "%s: encoder failed: %s", s->relpath,
                                av_err2str(ret));
        if ((d = ring_take(&s->ring, s->pkt->pts)) > 0)
            s->pkt->duration = d;
        av_packet_rescale_ts(s->pkt, s->enc->time_base, s->vst->time_base);
        s->pkt->stream_index = s->vst->index;
        if ((ret = av_interleaved_write_frame(s->oc, s->pkt)) < 0)
            return fail(ctx, s, ret, "write failed");
    }
}

int render_side_frame(render_ctx *ctx, render_side *s, const AVFrame *f, int64_t dur)
{
    int64_t t = av_rescale_q(f->pts, ctx->v.ist->time_base, AV_TIME_BASE_Q);
    AVFrame *g;
    int ret;

    if (t < s->from_us || t >= s->to_us)
        return 0;
    if (!(g = av_frame_clone(f)))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    g->pts -= s->shift_v;
    g->pict_type = AV_PICTURE_TYPE_NONE;
    ring_put(&s->ring, g->pts, dur);
    ret = avcodec_send_frame(s->enc, g);
    av_frame_free(&g);
    if (ret < 0)
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "%s: the encoder refused a frame: %s",
                            s->relpath, av_err2str(ret));
    s->frames++;
    return drain(ctx, s);
}

int render_side_audio(render_ctx *ctx, render_side *s, const AVPacket *pkt)
{
    int64_t t;
    AVPacket *p;
    int ret;

    if (!s->ast || pkt->pts == AV_NOPTS_VALUE)
        return 0;
    t = av_rescale_q(pkt->pts, ctx->a.ost->time_base, AV_TIME_BASE_Q);
    if (t < s->from_us || t >= s->to_us)
        return 0;
    if (!(p = av_packet_clone(pkt)))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    p->pts -= av_rescale_q(s->from_us, AV_TIME_BASE_Q, ctx->a.ost->time_base);
    if (p->dts != AV_NOPTS_VALUE)
        p->dts -= av_rescale_q(s->from_us, AV_TIME_BASE_Q, ctx->a.ost->time_base);
    av_packet_rescale_ts(p, ctx->a.ost->time_base, s->ast->time_base);
    p->stream_index = s->ast->index;
    ret = av_interleaved_write_frame(s->oc, p); /* takes the reference */
    av_packet_free(&p);
    return ret < 0 ? fail(ctx, s, ret, "write failed") : 0;
}

int render_side_finish(render_ctx *ctx, render_side *s)
{
    struct stat st;
    int ret;

    if ((ret = avcodec_send_frame(s->enc, NULL)) < 0 && ret != AVERROR_EOF)
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "%s: encoder flush: %s", s->relpath,
                            av_err2str(ret));
    if ((ret = drain(ctx, s)) < 0)
        return ret;
    if ((ret = av_write_trailer(s->oc)) < 0)
        return fail(ctx, s, ret, "cannot finish the file");
    if ((ret = avio_closep(&s->oc->pb)) < 0)
        return fail(ctx, s, ret, "cannot close");
    if (stat(s->path, &st) == 0)
        s->file_bytes = (int64_t)st.st_size;
    if ((ret = ave_job_output_commit(ctx->job, s->relpath)) < 0)
        return ret;
    s->committed = 1;
    return 0;
}

int64_t render_side_frames(const render_side *s)
{
    return s ? s->frames : 0;
}

int64_t render_side_file_bytes(const render_side *s)
{
    return s ? s->file_bytes : 0;
}

void render_side_free(render_ctx *ctx, render_side **ps)
{
    render_side *s = *ps;

    if (!s)
        return;
    avcodec_free_context(&s->enc);
    av_packet_free(&s->pkt);
    if (s->oc) {
        if (s->oc->pb)
            avio_closep(&s->oc->pb);
        avformat_free_context(s->oc);
    }
    if (s->begun && !s->committed)
        ave_job_output_abort(ctx->job, s->relpath);
    if (s->bytes)
        ave_job_mem_release(ctx->job, s->bytes);
    free(s->relpath);
    free(s);
    *ps = NULL;
}
