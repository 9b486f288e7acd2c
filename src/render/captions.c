/* Burned-in captions in the render pass (issue 21).
 *
 * At the start the kept words (not cut, not muted, not acoustic-only) are
 * mapped onto the output clock through the render's own spans, a cut's join
 * is noted where two neighbouring words lie in different spans, and
 * caption_lines.c groups them. Frames then arrive in output order, so one
 * cursor finds the caption on screen. Its picture is drawn once when it
 * first shows (karaoke: once per spoken word, when that word first shows)
 * and kept until the caption is gone, so a frame costs only the blend of a
 * box of a few hundred thousand pixels (see bench/bench_captions.sh).
 *
 * Placement: centred, its bottom 8% of the height above the bottom of the
 * display picture (inside the 90% title-safe area; 15% for portrait video). When a face found by
 * the frames stage in the caption's stretch of source time (0.5 s either
 * side) would be covered, the caption moves to just above the lowest such
 * face, or to the top of the safe area when there is no room there.
 *
 * `both`: the frame the main encoder gets stays clean; a captioned copy
 * (pooled buffers, only while a caption shows; otherwise the same frame by
 * reference) goes to a second libx264 encoder with the main one's settings
 * (side_output.c, as the --aspect versions do),
 * muxed with copies of the main file's audio packets. Decoding, cutting
 * and audio encoding are shared; only the video encode is done twice. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/imgutils.h>

#include "ave/resources.h"

#include "render/caption_draw.h"
#include "render/caption_lines.h"
#include "render/captions.h"
#include "render/render_internal.h"
#include "render/side_output.h"

#define SAFE_BOTTOM 0.08  /* of the display height, below the caption */
/* Portrait video is mostly watched in apps whose buttons and description
 * cover the bottom of the picture: keep clear of more of it. */
#define SAFE_BOTTOM_PORTRAIT 0.15
#define SAFE_TOP 0.08
#define FACE_MARGIN 0.02  /* of the display height, between a face and the caption */
#define FACE_SLACK_US 500000
#define FACE_CHIN 0.15    /* of a face box's height, added below it */

typedef struct render_captions {
    int mode, style, rotation;
    int avoid_faces;         /* 0 for a reframed layout: the source's faces are elsewhere */
    int width, height;       /* coded */
    int dw, dh;              /* display */
    double font_px;
    ave_caption_params params;
    ave_caption_word *words;
    size_t nwords;
    int64_t *src_start, *src_end; /* source times of the words, for faces */
    ave_caption *caps;
    size_t ncaps, cur;
    /* the caption on screen: its text and the picture per state */
    size_t shown;             /* index into caps, or ncaps when none drawn */
    char *text;
    int *word_at;             /* byte offset of each word in text */
    int dy;                   /* top of the box, display pixels */
    render_caption_pic *pics; /* one, or one per word for karaoke */
    size_t npics;
    int64_t pic_bytes;
    AVBufferPool *pool[2];
    int linesize[2];
    /* stats */
    int64_t frames, drawn, moved;
    double draw_s;  /* drawing pictures (inside frame_s) */
    double frame_s; /* all the captions' work on frames, the second encoder's excluded */
    render_side *side; /* `both`: the second encoder and file */
} render_captions;

/* Output time of source time t: the span holding it, else the join after
 * the last span before it (so a word's edge in cut time lands on the join). */
static int64_t map_out(const render_ctx *ctx, int64_t t, size_t *span)
{
    size_t k = 0;
    while (k + 1 < ctx->nspans && ctx->spans[k + 1].start_us <= t)
        k++;
    *span = k;
    if (!ctx->nspans)
        return t;
    if (t <= ctx->spans[k].start_us)
        return ctx->spans[k].out_us;
    if (t >= ctx->spans[k].end_us)
        return ctx->spans[k].out_us + ctx->spans[k].end_us - ctx->spans[k].start_us;
    return ctx->spans[k].out_us + t - ctx->spans[k].start_us;
}

static int shown_word(const ave_word *w)
{
    return !(w->flags & (AVE_WORD_CUT | AVE_WORD_MUTED | AVE_WORD_ACOUSTIC)) && w->text[0] &&
           w->end_us >= w->start_us;
}

static int build(render_ctx *ctx, render_captions *rc)
{
    const ave_analysis *an = &ctx->job->analysis;
    size_t n = 0, prev_span = 0;
    int line_chars;

    if (an->word_count &&
        (!(rc->words = calloc(an->word_count, sizeof(*rc->words))) ||
         !(rc->src_start = calloc(an->word_count, sizeof(*rc->src_start))) ||
         !(rc->src_end = calloc(an->word_count, sizeof(*rc->src_end)))))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    for (size_t i = 0; i < an->word_count; i++) {
        const ave_word *w = &an->words[i];
        ave_caption_word *cw = &rc->words[n];
        size_t s0, s1;
        if (!shown_word(w))
            continue;
        cw->text = w->text;
        cw->start_us = map_out(ctx, w->start_us, &s0);
        cw->end_us = map_out(ctx, w->end_us, &s1);
        /* the same word again (overlapping recogniser output) or time run
         * backwards: keep the words sorted for the builder */
        if (n && cw->start_us < rc->words[n - 1].start_us)
            continue;
        cw->cut_us = n && s0 != prev_span ? ctx->spans[s0].out_us : -1;
        if (cw->end_us < cw->start_us)
            cw->end_us = cw->start_us;
        rc->src_start[n] = w->start_us;
        rc->src_end[n] = w->end_us;
        prev_span = s1;
        n++;
    }
    rc->nwords = n;
    ave_caption_params_default(&rc->params);
    ave_caption_fit(rc->dw, rc->dh, render_caption_scale(rc->style), &rc->font_px, &line_chars);
    rc->params.max_line_chars = line_chars;
    if (ave_caption_build(rc->words, n, &rc->params, ctx->kept_us, &rc->caps, &rc->ncaps) < 0)
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory laying out captions");
    rc->shown = rc->ncaps;
    ave_log(AVE_LOG_VERBOSE, RENDER_LOG, "%zu caption(s) from %zu word(s), %d characters a line",
            rc->ncaps, n, line_chars);
    return 0;
}

int render_captions_start(render_ctx *ctx)
{
    render_captions *rc;
    int mode = ctx->opts ? (int)ctx->opts->captions : RENDER_CAPTIONS_FILE;

    if (mode == RENDER_CAPTIONS_FILE)
        return 0;
    if (ctx->v.index < 0 || !ctx->v.enc) {
        ave_log(AVE_LOG_WARNING, RENDER_LOG, "--captions %s: no video to caption; subtitle files only",
                mode == RENDER_CAPTIONS_BURN ? "burn" : "both");
        return 0;
    }
    if (!(rc = ctx->captions = calloc(1, sizeof(*rc))))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    rc->mode = mode;
    rc->avoid_faces = 1;
    rc->style = (int)ctx->opts->caption_style;
    rc->width = ctx->v.enc->width;
    rc->height = ctx->v.enc->height;
    rc->rotation = ((ctx->job->media.rotation_deg % 360) + 360) % 360;
    rc->dw = rc->rotation == 90 || rc->rotation == 270 ? rc->height : rc->width;
    rc->dh = rc->rotation == 90 || rc->rotation == 270 ? rc->width : rc->height;
    if (!ctx->job->analysis.word_count)
        ave_log(AVE_LOG_WARNING, RENDER_LOG, "--captions: no words were recognised; nothing to burn in");
    {
        int ret = build(ctx, rc);
        if (ret < 0)
            return ret;
    }
    return mode == RENDER_CAPTIONS_BOTH
               ? render_side_open(ctx, RENDER_CAPTIONED_PATH, rc->width, rc->height, 0, INT64_MAX,
                                  RENDER_SIDE_SAME_PICTURE, &rc->side)
               : 0;
}

static int overlaps(double a0, double a1, double b0, double b1)
{
    return a0 < b1 && b0 < a1;
}

/* Top of caption k's box (display pixels) for a box of w x h, clear of the
 * faces seen while it is up when possible. */
static int place(const render_ctx *ctx, render_captions *rc, const ave_caption *cap, int w, int h)
{
    const ave_analysis *an = &ctx->job->analysis;
    int64_t t0 = rc->src_start[cap->first] - FACE_SLACK_US;
    int64_t t1 = rc->src_end[cap->first + cap->count - 1] + FACE_SLACK_US;
    double x0 = (rc->dw - w) / 2.0, x1 = x0 + w, margin = FACE_MARGIN * rc->dh;
    double bottom = rc->dh > rc->dw ? SAFE_BOTTOM_PORTRAIT : SAFE_BOTTOM;
    double y = rc->dh * (1 - bottom) - h, top = rc->dh * SAFE_TOP, face_top = rc->dh;
    int hit = 0;

    for (size_t i = 0; rc->avoid_faces && i < an->frame_count; i++) {
        const ave_frame_features *fr = &an->frames[i];
        if (fr->pts_us < t0 || fr->pts_us > t1)
            continue;
        for (int k = 0; k < fr->face_count && k < AVE_FRAME_MAX_FACES; k++) {
            const ave_face *fc = &fr->faces[k];
            double fx0 = fc->x * rc->dw, fx1 = (fc->x + fc->w) * rc->dw;
            /* a detector's box ends about at the mouth: reach to the chin */
            double fy0 = fc->y * rc->dh, fy1 = (fc->y + fc->h * (1 + FACE_CHIN)) * rc->dh;
            if (overlaps(x0, x1, fx0, fx1) && overlaps(y - margin, y + h + margin, fy0, fy1)) {
                hit = 1;
                if (fy0 < face_top)
                    face_top = fy0;
            }
        }
    }
    if (!hit)
        return (int)lrint(y);
    rc->moved++;
    y = face_top - margin - h;
    return (int)lrint(y >= top ? y : top);
}

static void drop_pics(render_captions *rc, ave_job *job)
{
    for (size_t i = 0; i < rc->npics; i++)
        render_caption_pic_free(&rc->pics[i]);
    free(rc->pics);
    rc->pics = NULL;
    rc->npics = 0;
    free(rc->text);
    rc->text = NULL;
    free(rc->word_at);
    rc->word_at = NULL;
    if (rc->pic_bytes)
        ave_job_mem_release(job, rc->pic_bytes);
    rc->pic_bytes = 0;
    rc->shown = rc->ncaps;
}

/* Shown as heard, except the pronoun "I" (the recogniser writes lower case). */
static void append_word(char *dst, size_t *len, const char *w)
{
    size_t n = strlen(w);
    memcpy(dst + *len, w, n);
    if (w[0] == 'i' && (w[1] == '\0' || w[1] == '\''))
        dst[*len] = 'I';
    *len += n;
}

/* Make caption k the one on screen: its text, its place, empty pictures. */
static int show(render_ctx *ctx, render_captions *rc, size_t k)
{
    const ave_caption *cap = &rc->caps[k];
    size_t len = 0, cap_len = 1;
    render_caption_req req;
    int w = 0, h = 0, ret;

    drop_pics(rc, ctx->job);
    for (size_t i = 0; i < cap->count; i++)
        cap_len += strlen(rc->words[cap->first + i].text) + 1;
    rc->npics = rc->style == RENDER_CAPTION_KARAOKE ? cap->count : 1;
    if (!(rc->text = malloc(cap_len)) || !(rc->word_at = calloc(cap->count + 1, sizeof(int))) ||
        !(rc->pics = calloc(rc->npics, sizeof(*rc->pics))))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    for (size_t i = 0; i < cap->count; i++) {
        if (i)
            rc->text[len++] = i == cap->line1 ? '\n' : ' ';
        rc->word_at[i] = (int)len;
        append_word(rc->text, &len, rc->words[cap->first + i].text);
    }
    rc->word_at[cap->count] = (int)len;
    rc->text[len] = '\0';
    req = (render_caption_req){rc->text, -1, -1, rc->style, rc->font_px, rc->dw, rc->dh};
    if ((ret = render_caption_measure(&req, &w, &h)) < 0)
        return ave_job_fail(ctx->job, ret, "render: out of memory drawing a caption");
    rc->dy = place(ctx, rc, cap, w, h);
    rc->shown = k;
    return 0;
}

/* The picture for state s of the caption on screen, drawn on first use. */
static int picture(render_ctx *ctx, render_captions *rc, size_t s, const AVFrame *f,
                   render_caption_pic **out)
{
    render_caption_pic *pic = &rc->pics[s];
    render_caption_req req = {rc->text, -1, -1, rc->style, rc->font_px, rc->dw, rc->dh};
    int w, h, ret, bt601;
    double t0;

    *out = pic;
    if (pic->w)
        return 0;
    if (rc->style == RENDER_CAPTION_KARAOKE)
        req.hl_start = rc->word_at[s], req.hl_end = rc->word_at[s] + (int)strlen(rc->words[rc->caps[rc->shown].first + s].text);
    t0 = ave_now();
    if ((ret = render_caption_measure(&req, &w, &h)) < 0)
        return ave_job_fail(ctx->job, ret, "render: out of memory drawing a caption");
    bt601 = f->colorspace == AVCOL_SPC_BT470BG || f->colorspace == AVCOL_SPC_SMPTE170M ||
            (f->colorspace != AVCOL_SPC_BT709 && rc->height < 720);
    ret = render_caption_draw(&req, (rc->dw - w) / 2, rc->dy, rc->width, rc->height, rc->rotation,
                              bt601, f->color_range == AVCOL_RANGE_JPEG, pic);
    if (ret < 0)
        return ave_job_fail(ctx->job, ret, "render: cannot draw a caption");
    rc->draw_s += ave_now() - t0;
    rc->drawn++;
    if ((ret = ave_job_mem_reserve(ctx->job, render_caption_pic_bytes(pic))) < 0) {
        render_caption_pic_free(pic);
        return ret;
    }
    rc->pic_bytes += render_caption_pic_bytes(pic);
    return 0;
}

/* A writable frame with f's picture: f itself when its buffers are its
 * own, else a copy into pooled buffers (the decoder may still reference
 * them). *out is a new reference owned by the caller. */
static int writable_copy(render_ctx *ctx, render_captions *rc, const AVFrame *f, int force_copy,
                         AVFrame **out)
{
    AVFrame *g = av_frame_alloc();
    int ret = 0;

    if (!g)
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    if (!force_copy && av_frame_is_writable((AVFrame *)f)) {
        if (av_frame_ref(g, f) < 0)
            ret = AVE_ERR_NOMEM;
        goto out;
    }
    if (!rc->pool[0]) {
        rc->linesize[0] = FFALIGN(rc->width, 64);
        rc->linesize[1] = FFALIGN(rc->width / 2, 64);
        rc->pool[0] = av_buffer_pool_init((size_t)rc->linesize[0] * rc->height, NULL);
        rc->pool[1] = av_buffer_pool_init((size_t)rc->linesize[1] * (rc->height / 2), NULL);
        if (!rc->pool[0] || !rc->pool[1]) {
            ret = AVE_ERR_NOMEM;
            goto out;
        }
    }
    for (int p = 0; p < 3; p++) {
        if (!(g->buf[p] = av_buffer_pool_get(rc->pool[p ? 1 : 0]))) {
            ret = AVE_ERR_NOMEM;
            goto out;
        }
        g->data[p] = g->buf[p]->data;
        g->linesize[p] = rc->linesize[p ? 1 : 0];
    }
    g->format = f->format;
    g->width = f->width;
    g->height = f->height;
    av_image_copy(g->data, g->linesize, (const uint8_t **)f->data, f->linesize,
                  (enum AVPixelFormat)f->format, f->width, f->height);
    if (av_frame_copy_props(g, f) < 0)
        ret = AVE_ERR_NOMEM;
out:
    if (ret < 0) {
        av_frame_free(&g);
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    }
    *out = g;
    return 0;
}

/* The state picture to blend at output time t, or NULL when no caption shows. */
static int active(render_ctx *ctx, render_captions *rc, const AVFrame *f, int64_t t,
                  render_caption_pic **pic)
{
    const ave_caption *cap;
    size_t s = 0;
    int ret;

    *pic = NULL;
    while (rc->cur < rc->ncaps && rc->caps[rc->cur].end_us <= t)
        rc->cur++;
    if (rc->cur >= rc->ncaps || rc->caps[rc->cur].start_us > t) {
        if (rc->shown < rc->ncaps)
            drop_pics(rc, ctx->job); /* gone for good: frames come in output order */
        return 0;
    }
    cap = &rc->caps[rc->cur];
    if (rc->shown != rc->cur && (ret = show(ctx, rc, rc->cur)) < 0)
        return ret;
    if (rc->style == RENDER_CAPTION_KARAOKE) /* the last word begun is the one spoken */
        while (s + 1 < cap->count && rc->words[cap->first + s + 1].start_us <= t)
            s++;
    return picture(ctx, rc, s, f, pic);
}

int render_captions_frame(render_ctx *ctx, AVFrame *f, int64_t dur)
{
    render_captions *rc = ctx->captions;
    render_caption_pic *pic;
    AVFrame *g = NULL;
    double t0;
    int64_t t;
    int ret;

    if (!rc)
        return 0;
    t0 = ave_now();
    t = av_rescale_q(f->pts, ctx->v.ist->time_base, AV_TIME_BASE_Q);
    if ((ret = active(ctx, rc, f, t, &pic)) < 0)
        return ret;
    if (rc->mode == RENDER_CAPTIONS_BURN) {
        if (pic && pic->w) {
            if ((ret = writable_copy(ctx, rc, f, 0, &g)) < 0)
                return ret;
            render_caption_pic_blend(pic, g);
            av_frame_unref(f);
            av_frame_move_ref(f, g);
            av_frame_free(&g);
            rc->frames++;
        }
        rc->frame_s += ave_now() - t0;
        return 0;
    }
    /* both: the main encoder keeps the clean frame */
    if (pic && pic->w) {
        if ((ret = writable_copy(ctx, rc, f, 1, &g)) < 0)
            return ret;
        render_caption_pic_blend(pic, g);
        rc->frames++;
    } else if (!(g = av_frame_clone(f))) {
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    }
    rc->frame_s += ave_now() - t0;
    ret = render_side_frame(ctx, rc->side, g, dur);
    av_frame_free(&g);
    return ret;
}

int render_captions_audio_packet(render_ctx *ctx, const AVPacket *pkt)
{
    render_captions *rc = ctx->captions;
    return rc && rc->side ? render_side_audio(ctx, rc->side, pkt) : 0;
}

int render_captions_finish(render_ctx *ctx)
{
    render_captions *rc = ctx->captions;
    int ret;

    if (!rc)
        return 0;
    ave_job_metric_string(ctx->job, "render", "captions",
                          rc->mode == RENDER_CAPTIONS_BURN ? "burn" : "both");
    ave_job_metric_number(ctx->job, "render", "captions_count", (double)rc->ncaps);
    ave_job_metric_number(ctx->job, "render", "caption_line_chars", rc->params.max_line_chars);
    ave_job_metric_number(ctx->job, "render", "caption_frames", (double)rc->frames);
    ave_job_metric_number(ctx->job, "render", "caption_pictures_drawn", (double)rc->drawn);
    ave_job_metric_number(ctx->job, "render", "caption_draw_seconds", round(rc->draw_s * 1000) / 1000);
    ave_job_metric_number(ctx->job, "render", "caption_seconds", round(rc->frame_s * 1000) / 1000);
    ave_job_metric_number(ctx->job, "render", "captions_moved_for_faces", (double)rc->moved);
    if (!rc->side)
        return 0;
    if ((ret = render_side_finish(ctx, rc->side)) < 0)
        return ret;
    ave_job_metric_number(ctx->job, "render", "captioned_output_bytes",
                          (double)render_side_file_bytes(rc->side));
    return 0;
}

static void free_rc(render_ctx *ctx, render_captions *rc)
{
    if (!rc)
        return;
    drop_pics(rc, ctx->job);
    av_buffer_pool_uninit(&rc->pool[0]);
    av_buffer_pool_uninit(&rc->pool[1]);
    render_side_free(ctx, &rc->side);
    free(rc->words);
    free(rc->src_start);
    free(rc->src_end);
    free(rc->caps);
    free(rc);
}

void render_captions_free(render_ctx *ctx)
{
    free_rc(ctx, ctx->captions);
    ctx->captions = NULL;
}

int render_captions_layout(render_ctx *ctx, int width, int height, render_captions **out)
{
    render_captions *rc;
    int ret;

    *out = NULL;
    if (!(rc = calloc(1, sizeof(*rc))))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    rc->mode = RENDER_CAPTIONS_BURN;
    rc->style = (int)ctx->opts->caption_style;
    rc->width = rc->dw = width;
    rc->height = rc->dh = height;
    if ((ret = build(ctx, rc)) < 0) {
        free_rc(ctx, rc);
        return ret;
    }
    *out = rc;
    return 0;
}

int render_captions_burn(render_ctx *ctx, render_captions *rc, const AVFrame *f, AVFrame **out)
{
    render_caption_pic *pic;
    double t0 = ave_now();
    int64_t t = av_rescale_q(f->pts, ctx->v.ist->time_base, AV_TIME_BASE_Q);
    int ret;

    *out = NULL;
    if ((ret = active(ctx, rc, f, t, &pic)) < 0)
        return ret;
    if (pic && pic->w) {
        if ((ret = writable_copy(ctx, rc, f, 1, out)) < 0)
            return ret;
        render_caption_pic_blend(pic, *out);
        rc->frames++;
    }
    rc->frame_s += ave_now() - t0;
    return 0;
}

void render_captions_layout_free(render_ctx *ctx, render_captions **rc)
{
    free_rc(ctx, *rc);
    *rc = NULL;
}
