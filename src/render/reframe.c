/* --aspect versions and highlight shorts in the render pass (issue 22).
 *
 * At the start each asked aspect (and 9:16 when the content stage picked
 * highlights) gets a camera plan from reframe_plan.c over the source time,
 * one key per output frame, from the frames stage's faces (turned into
 * coded orientation and chosen among by ave_reframe_subject) and scene
 * changes. The crop is the largest window of the aspect inside the frame,
 * at the source's resolution (a 1080p source gives a 608x1080 9:16), so a
 * cropped frame is the decoded picture itself with moved plane pointers:
 * no copy, no scaling. A shot without a face is letterboxed: the whole
 * frame scaled to the width, over the centre crop shrunk twelve times and
 * grown back (a blur that costs two small swscale passes) and darkened.
 * B-roll cards that the broll stage drew again at the aspect's size
 * (ave_overlay.aspect_image) are blended over the reframed picture by
 * overlay.c, fades included, so they fill it. A full-frame card without
 * such a picture (a card list from review) is letterboxed like a shot
 * without a face, so the card keeps its layout rather than being cut.
 *
 * Captions are laid out again for the new picture (captions.c,
 * render_captions_layout): burned into the aspect file under --captions
 * burn|both, and always into the shorts. Each short is the 9:16 frames and
 * the audio packets of its highlight's stretch of the output clock
 * (shorts/highlights.json's edit_start..edit_end), shifted to start at 0,
 * with its title over the top for the first 3 s. Shorts are opened when
 * their first frame or audio packet arrives and finished once both have
 * passed their end, so at most one or two encoders run at a time. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <libavutil/time.h>

#include "ave/aspect.h"
#include "render/caption_draw.h"
#include "render/caption_lines.h"
#include "render/overlay.h"
#include "render/reframe.h"
#include "render/reframe_plan.h"
#include "render/render_internal.h"
#include "render/side_output.h"

#define TITLE_US 3000000  /* the short's title shows this long */
#define TITLE_TOP 0.10    /* its top, fraction of the height */
#define TITLE_SCALE 1.25  /* relative to the caption's size */
#define BLUR_SHRINK 12    /* the letterbox background is shrunk this much and grown back */
#define BLUR_DIM 0.55     /* and its luma above black scaled by this */

typedef struct short_clip {
    int64_t from_us, to_us; /* output clock */
    const char *title;      /* borrowed from the highlight */
    render_side *out;
    int opened, done, video_past, audio_past;
    char relpath[32];
} short_clip;

typedef struct aspect {
    char tag[8];   /* "9x16" */
    char label[8]; /* "9:16" */
    int index;     /* of ave_aspect_get */
    int w, h;      /* output = crop size, even (ave_aspect_size) */
    ave_reframe_params p;
    ave_reframe_key *keys;
    size_t nkeys, cursor;
    render_side *file;
    struct render_captions *caps; /* NULL when nothing is burned */
    int asked;     /* --aspect named it: write video/edited_WxH.mp4 */
    int burn_file; /* captions into that file (--captions burn|both) */
    short_clip *shorts;
    size_t nshorts;
    render_caption_pic title;
    size_t title_of; /* the short the title picture belongs to; nshorts: none */
    AVFrame *pending;
    ave_overlay *cards;         /* the overlays with a picture of this aspect, sorted;
                                   shallow copies (paths borrowed from the job) */
    size_t ncards;
    render_overlays *card_ovl;  /* blends cards[] onto the reframed frames */
    struct SwsContext *sws_small, *sws_big, *sws_fg;
    AVFrame *small;
    int64_t frames, fit_frames, card_frames;
    int64_t prev_t;
    int prev_x, prev_y, prev_crop;
    int max_jump_px;
    double seconds;
} aspect;

struct render_reframe {
    aspect *a;
    size_t n;
};

/* Face samples in coded orientation (the frames stage's are upright). */
static int samples_from_frames(const ave_job *job, ave_reframe_sample **out, size_t *n)
{
    const ave_analysis *an = &job->analysis;
    ave_reframe_sample *s;

    *out = NULL;
    *n = 0;
    if (!an->frame_count)
        return 0;
    if (!(s = calloc(an->frame_count, sizeof(*s))))
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < an->frame_count; i++) {
        const ave_frame_features *f = &an->frames[i];
        int nb = f->face_count < AVE_REFRAME_MAX_FACES ? f->face_count : AVE_REFRAME_MAX_FACES;
        s[i].t_us = f->pts_us;
        s[i].nfaces = nb;
        for (int j = 0; j < nb; j++) {
            s[i].faces[j] = ave_zoom_box_to_coded(
                (ave_zoom_box){f->faces[j].x, f->faces[j].y, f->faces[j].w, f->faces[j].h},
                job->media.rotation_deg);
            /* who speaks: mouth movement (the frames stage's); the louder
             * side of a stereo recording does not reach the render */
            s[i].activity[j] = f->faces[j].mouth_motion >= 0 ? f->faces[j].mouth_motion : -1;
        }
    }
    *out = s;
    *n = an->frame_count;
    return 0;
}

static int plan_aspect(render_ctx *ctx, aspect *a, int num, int den)
{
    const ave_analysis *an = &ctx->job->analysis;
    int W = ctx->v.enc->width, H = ctx->v.enc->height;
    ave_reframe_sample *samples = NULL;
    int64_t *cuts = NULL;
    size_t ns = 0, nc = 0;
    int ret;

    ave_aspect_size(W, H, num, den, &a->w, &a->h);
    ave_reframe_params_default(&a->p);
    a->p.frame_aspect = (double)W / H;
    a->p.out_aspect = (double)a->w / a->h;
    a->p.step_us = av_rescale_q(ctx->v.nominal, ctx->v.ist->time_base, AV_TIME_BASE_Q);
    if (a->p.step_us <= 0)
        a->p.step_us = 33333;
    if (samples_from_frames(ctx->job, &samples, &ns) < 0 ||
        (an->scene_count > 1 && !(cuts = calloc(an->scene_count - 1, sizeof(*cuts)))))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    for (size_t i = 1; i < an->scene_count; i++)
        cuts[nc++] = an->scenes[i].start_us;
    ret = ave_reframe_plan(samples, ns, cuts, nc, 0, ctx->stop_us + a->p.step_us, &a->p, &a->keys,
                           &a->nkeys);
    free(samples);
    free(cuts);
    if (ret < 0)
        return ave_job_fail(ctx->job, ret, "render: cannot plan the %s camera", a->label);
    ave_log(AVE_LOG_VERBOSE, RENDER_LOG, "--aspect %s: %dx%d crop, %zu keys, %zu scene change(s)",
            a->label, a->w, a->h, a->nkeys, nc);
    return 0;
}

/* The job's cards that have a picture of a's aspect, for overlay.c. */
static int aspect_cards(render_ctx *ctx, aspect *a)
{
    const ave_analysis *an = &ctx->job->analysis;

    for (size_t i = 0; i < an->overlay_count; i++)
        if (an->overlays[i].aspect_image[a->index])
            a->ncards++;
    if (!a->ncards)
        return 0;
    if (!(a->cards = calloc(a->ncards, sizeof(*a->cards))))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    a->ncards = 0;
    for (size_t i = 0; i < an->overlay_count; i++)
        if (an->overlays[i].aspect_image[a->index]) {
            ave_overlay *c = &a->cards[a->ncards++];
            *c = an->overlays[i];
            c->image_path = an->overlays[i].aspect_image[a->index];
        }
    return render_overlays_new(&a->card_ovl, ctx->job, a->cards, a->ncards, a->w, a->h, 0);
}

static int add_aspect(render_ctx *ctx, render_reframe *r, int which, int file)
{
    const ave_aspect_info *known = ave_aspect_get(which);
    aspect *a;
    void *grown;
    int ret;

    for (size_t i = 0; i < r->n; i++)
        if (r->a[i].index == which) {
            r->a[i].asked |= file;
            return 0;
        }
    if (!(grown = realloc(r->a, (r->n + 1) * sizeof(*r->a))))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    r->a = grown;
    a = &r->a[r->n++];
    memset(a, 0, sizeof(*a));
    a->index = which;
    snprintf(a->label, sizeof(a->label), "%s", known->label);
    snprintf(a->tag, sizeof(a->tag), "%s", known->tag);
    a->asked = file;
    a->prev_t = INT64_MIN;
    if ((ret = plan_aspect(ctx, a, known->num, known->den)) < 0)
        return ret;
    return aspect_cards(ctx, a);
}

static int parse_aspects(render_ctx *ctx, render_reframe *r)
{
    const char *list = ctx->opts->aspect;
    int ret;

    while (list && *list) {
        size_t len = strcspn(list, ",");
        int which = ave_aspect_find(list, len);
        if (which < 0)
            return ave_job_fail(ctx->job, AVE_ERR_USAGE, "--aspect %.*s: use 9:16, 1:1 or 4:5",
                                (int)len, list);
        if ((ret = add_aspect(ctx, r, which, 1)) < 0)
            return ret;
        list += len + (list[len] == ',');
    }
    return 0;
}

static int setup_shorts(render_ctx *ctx, aspect *a)
{
    const ave_analysis *an = &ctx->job->analysis;

    if (!(a->shorts = calloc(an->highlight_count, sizeof(*a->shorts))))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    a->nshorts = an->highlight_count;
    a->title_of = a->nshorts;
    for (size_t i = 0; i < a->nshorts; i++) {
        short_clip *c = &a->shorts[i];
        c->from_us = an->highlights[i].edit_start_us;
        c->to_us = an->highlights[i].edit_end_us;
        c->title = an->highlights[i].title;
        snprintf(c->relpath, sizeof(c->relpath), "shorts/%02zu.mp4", i + 1);
    }
    return 0;
}

int render_reframe_start(render_ctx *ctx)
{
    const ave_analysis *an = &ctx->job->analysis;
    int shorts = an->highlight_count > 0;
    render_reframe *r;
    int ret;

    if (ctx->v.index < 0 || !ctx->v.enc || ((!ctx->opts->aspect || !ctx->opts->aspect[0]) && !shorts))
        return 0;
    if (ctx->job->media.rotation_deg % 360) {
        ave_log(AVE_LOG_WARNING, RENDER_LOG,
                "--aspect and shorts are not made for rotated (phone) video yet; skipped");
        return 0;
    }
    if (!(r = ctx->reframe = calloc(1, sizeof(*r))))
        return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
    if ((ret = parse_aspects(ctx, r)) < 0 || (shorts && (ret = add_aspect(ctx, r, 0, 0)) < 0))
        return ret;
    for (size_t i = 0; i < r->n; i++) {
        aspect *a = &r->a[i];
        a->burn_file = ctx->opts->captions != RENDER_CAPTIONS_FILE;
        if (a->asked) {
            char rel[48];
            snprintf(rel, sizeof(rel), "video/edited_%s.mp4", a->tag);
            if ((ret = render_side_open(ctx, rel, a->w, a->h, 0, INT64_MAX, 0, &a->file)) < 0)
                return ret;
        }
        if (shorts && !strcmp(a->label, "9:16") && (ret = setup_shorts(ctx, a)) < 0)
            return ret;
        if (((a->asked && a->burn_file) || a->nshorts) &&
            (ret = render_captions_layout(ctx, a->w, a->h, &a->caps)) < 0)
            return ret;
    }
    return 0;
}

/* A new yuv420p frame of w x h with f's properties. */
static AVFrame *new_frame(const AVFrame *f, int w, int h)
{
    AVFrame *g = av_frame_alloc();
    if (!g)
        return NULL;
    g->format = AV_PIX_FMT_YUV420P;
    g->width = w;
    g->height = h;
    if (av_frame_get_buffer(g, 0) < 0 || av_frame_copy_props(g, f) < 0)
        av_frame_free(&g);
    return g;
}

/* A reference to src cropped to w x h at (x, y) (even): no copy. */
static AVFrame *crop_ref(const AVFrame *src, int x, int y, int w, int h)
{
    AVFrame *g = av_frame_clone(src);
    if (!g)
        return NULL;
    g->crop_left = (size_t)x;
    g->crop_right = (size_t)(src->width - x - w);
    g->crop_top = (size_t)y;
    g->crop_bottom = (size_t)(src->height - y - h);
    if (av_frame_apply_cropping(g, AV_FRAME_CROP_UNALIGNED) < 0)
        av_frame_free(&g);
    return g;
}

static int sws_into(struct SwsContext **c, const AVFrame *src, int dw, int dh, uint8_t *const dst[3],
                    const int dls[3], int flags)
{
    *c = sws_getCachedContext(*c, src->width, src->height, AV_PIX_FMT_YUV420P, dw, dh,
                              AV_PIX_FMT_YUV420P, flags, NULL, NULL, NULL);
    if (!*c)
        return AVERROR(EINVAL);
    return sws_scale(*c, (const uint8_t *const *)src->data, src->linesize, 0, src->height, dst,
                     dls);
}

/* The letterbox: src whole, scaled to the width, over a blurred, darkened
 * copy of its centre crop. */
static int make_fit(aspect *a, const AVFrame *src, AVFrame **out)
{
    int sw = a->w / BLUR_SHRINK & ~1, sh = a->h / BLUR_SHRINK & ~1;
    double s = fmin((double)a->w / src->width, (double)a->h / src->height);
    int fw = (int)(src->width * s) & ~1, fh = (int)(src->height * s) & ~1;
    int x0 = (a->w - fw) / 2 & ~1, y0 = (a->h - fh) / 2 & ~1;
    int lo = src->color_range == AVCOL_RANGE_JPEG ? 0 : 16;
    AVFrame *g = new_frame(src, a->w, a->h), *centre = NULL;
    uint8_t *dst[3];
    int ret = AVERROR(ENOMEM);

    if (!g)
        goto fail;
    if (!a->small && !(a->small = new_frame(src, sw < 2 ? 2 : sw, sh < 2 ? 2 : sh)))
        goto fail;
    if (!(centre = crop_ref(src, (src->width - a->w) / 2 & ~1, (src->height - a->h) / 2 & ~1,
                            a->w, a->h)))
        goto fail;
    if ((ret = sws_into(&a->sws_small, centre, a->small->width, a->small->height, a->small->data,
                        a->small->linesize, SWS_AREA)) < 0 ||
        (ret = sws_into(&a->sws_big, a->small, a->w, a->h, g->data, g->linesize, SWS_BILINEAR)) < 0)
        goto fail;
    for (int y = 0; y < a->h; y++) {
        uint8_t *row = g->data[0] + (ptrdiff_t)y * g->linesize[0];
        for (int x = 0; x < a->w; x++)
            row[x] = (uint8_t)(lo + (row[x] - lo) * BLUR_DIM);
    }
    dst[0] = g->data[0] + (ptrdiff_t)y0 * g->linesize[0] + x0;
    dst[1] = g->data[1] + (ptrdiff_t)(y0 / 2) * g->linesize[1] + x0 / 2;
    dst[2] = g->data[2] + (ptrdiff_t)(y0 / 2) * g->linesize[2] + x0 / 2;
    if ((ret = sws_into(&a->sws_fg, src, fw, fh, dst, g->linesize, SWS_BICUBIC)) < 0)
        goto fail;
    av_frame_free(&centre);
    *out = g;
    return 0;
fail:
    av_frame_free(&centre);
    av_frame_free(&g);
    return ret < 0 ? ret : AVERROR(ENOMEM);
}

enum { CARD_NONE, CARD_LETTERBOX, CARD_OWN };

/* What B-roll card shows at source time t in aspect k: one drawn for the
 * aspect (CARD_OWN), a full-frame one drawn only for the source
 * (CARD_LETTERBOX), or none (a PIP card without a picture of the aspect
 * is left out: in the crop it would cover the speaker). */
static int card_at(const ave_analysis *an, int k, int64_t t)
{
    int what = CARD_NONE;
    for (size_t i = 0; i < an->overlay_count; i++) {
        const ave_overlay *ov = &an->overlays[i];
        if (ov->start_us > t || t >= ov->end_us)
            continue;
        if (ov->aspect_image[k])
            return CARD_OWN;
        if (ov->placement == AVE_OVERLAY_FULL)
            what = CARD_LETTERBOX;
    }
    return what;
}

/* The short's title picture, drawn once per short. */
static int title_pic(render_ctx *ctx, aspect *a, size_t k, const AVFrame *f)
{
    render_caption_req req;
    double font;
    int lines, w = 0, h = 0, ret, bt601;

    if (a->title_of == k)
        return 0;
    render_caption_pic_free(&a->title);
    a->title_of = k;
    if (!a->shorts[k].title[0])
        return 0;
    ave_caption_fit(a->w, a->h, render_caption_scale(RENDER_CAPTION_BOLD), &font, &lines);
    req = (render_caption_req){a->shorts[k].title, -1, -1, RENDER_CAPTION_BOLD,
                               font * TITLE_SCALE, a->w, a->h};
    if ((ret = render_caption_measure(&req, &w, &h)) < 0)
        return ave_job_fail(ctx->job, ret, "render: out of memory drawing a title");
    bt601 = f->colorspace == AVCOL_SPC_BT470BG || f->colorspace == AVCOL_SPC_SMPTE170M ||
            (f->colorspace != AVCOL_SPC_BT709 && ctx->v.enc->height < 720);
    if ((ret = render_caption_draw(&req, (a->w - w) / 2, (int)(a->h * TITLE_TOP), a->w, a->h, 0,
                                   bt601, f->color_range == AVCOL_RANGE_JPEG, &a->title)) < 0)
        return ave_job_fail(ctx->job, ret, "render: cannot draw a short's title");
    return 0;
}

static int finish_short(render_ctx *ctx, short_clip *c)
{
    int ret;
    if (c->done || !c->out)
        return 0;
    c->done = 1;
    ret = render_side_finish(ctx, c->out);
    render_side_free(ctx, &c->out);
    return ret;
}

static int open_short(render_ctx *ctx, aspect *a, short_clip *c)
{
    if (c->opened)
        return 0;
    c->opened = 1;
    return render_side_open(ctx, c->relpath, a->w, a->h, c->from_us, c->to_us, 0, &c->out);
}

/* Frame f of the aspect (owned by the caller) lasting dur: to the file
 * and to the short whose stretch holds it. */
static int emit(render_ctx *ctx, aspect *a, const AVFrame *f, int64_t dur)
{
    int64_t t = av_rescale_q(f->pts, ctx->v.ist->time_base, AV_TIME_BASE_Q);
    AVFrame *cap = NULL;
    int ret = 0;

    if (a->caps && (ret = render_captions_burn(ctx, a->caps, f, &cap)) < 0)
        return ret;
    if (a->file && (ret = render_side_frame(ctx, a->file, a->burn_file && cap ? cap : f, dur)) < 0)
        goto out;
    for (size_t k = 0; k < a->nshorts; k++) {
        short_clip *c = &a->shorts[k];
        const AVFrame *use = cap ? cap : f;
        AVFrame *titled = NULL;
        if (c->done)
            continue;
        if (t >= c->to_us) {
            c->video_past = 1;
            if (c->audio_past && (ret = finish_short(ctx, c)) < 0)
                goto out;
            continue;
        }
        if (t < c->from_us)
            continue;
        if ((ret = open_short(ctx, a, c)) < 0)
            goto out;
        if (t - c->from_us < TITLE_US) {
            if ((ret = title_pic(ctx, a, k, f)) < 0)
                goto out;
            if (a->title.w) {
                if (!(titled = new_frame(use, a->w, a->h)) || av_frame_copy(titled, use) < 0) {
                    av_frame_free(&titled);
                    ret = ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
                    goto out;
                }
                render_caption_pic_blend(&a->title, titled);
                use = titled;
            }
        }
        ret = render_side_frame(ctx, c->out, use, dur);
        av_frame_free(&titled);
        if (ret < 0)
            goto out;
    }
out:
    av_frame_free(&cap);
    return ret;
}

static int aspect_frame(render_ctx *ctx, aspect *a, const AVFrame *raw, const AVFrame *shown,
                        int64_t t_us, int64_t out)
{
    const ave_reframe_key *k = ave_reframe_at(a->keys, a->nkeys, t_us, &a->cursor);
    AVFrame *g = NULL;
    int ret = 0, crop = 0, x = 0, y = 0, card = card_at(&ctx->job->analysis, a->index, t_us);

    if (card == CARD_LETTERBOX) {
        ret = make_fit(a, shown, &g);
        a->card_frames++;
    } else if (!k || k->mode == AVE_REFRAME_FIT) {
        ret = make_fit(a, raw, &g);
        a->fit_frames++;
    } else {
        x = (int)lrint(k->x * raw->width) & ~1;
        y = (int)lrint(k->y * raw->height) & ~1;
        x = x + a->w > raw->width ? raw->width - a->w : x;
        y = y + a->h > raw->height ? raw->height - a->h : y;
        crop = 1;
        if (!(g = crop_ref(raw, x, y, a->w, a->h)))
            ret = AVERROR(ENOMEM);
    }
    if (ret < 0 || !g) {
        av_frame_free(&g);
        return ave_job_fail(ctx->job, AVE_ERR_INTERNAL, "render: cannot reframe a frame to %s",
                            a->label);
    }
    if (card == CARD_OWN) {
        a->card_frames++;
        if ((ret = render_overlays_apply(a->card_ovl, g, t_us)) < 0) {
            av_frame_free(&g);
            return ret;
        }
    }
    /* the largest move of the window between neighbouring frames of one
     * shot and one kept span */
    if (crop && a->prev_crop && !k->cut && t_us - a->prev_t < 2 * a->p.step_us) {
        int j = abs(x - a->prev_x) > abs(y - a->prev_y) ? abs(x - a->prev_x) : abs(y - a->prev_y);
        if (j > a->max_jump_px)
            a->max_jump_px = j;
    }
    a->prev_crop = crop, a->prev_x = x, a->prev_y = y, a->prev_t = t_us;
    g->pts = out;
    a->frames++;
    if (a->pending) {
        AVFrame *p = a->pending;
        a->pending = NULL;
        ret = emit(ctx, a, p, out - p->pts);
        av_frame_free(&p);
    }
    a->pending = g;
    return ret;
}

int render_reframe_frame(render_ctx *ctx, const AVFrame *raw, const AVFrame *shown, int64_t t_us,
                         int64_t out)
{
    render_reframe *r = ctx->reframe;
    int64_t t0;
    int ret;

    if (!r)
        return 0;
    for (size_t i = 0; i < r->n; i++) {
        t0 = av_gettime_relative();
        ret = aspect_frame(ctx, &r->a[i], raw, shown, t_us, out);
        r->a[i].seconds += (av_gettime_relative() - t0) / 1e6;
        if (ret < 0)
            return ret;
    }
    return 0;
}

int render_reframe_audio(render_ctx *ctx, const AVPacket *pkt)
{
    render_reframe *r = ctx->reframe;
    int64_t t;
    int ret;

    if (!r || pkt->pts == AV_NOPTS_VALUE)
        return 0;
    t = av_rescale_q(pkt->pts, ctx->a.ost->time_base, AV_TIME_BASE_Q);
    for (size_t i = 0; i < r->n; i++) {
        aspect *a = &r->a[i];
        if (a->file && (ret = render_side_audio(ctx, a->file, pkt)) < 0)
            return ret;
        for (size_t k = 0; k < a->nshorts; k++) {
            short_clip *c = &a->shorts[k];
            if (c->done)
                continue;
            if (t >= c->to_us) {
                c->audio_past = 1;
                if (c->video_past && (ret = finish_short(ctx, c)) < 0)
                    return ret;
            } else if (t >= c->from_us) {
                if ((ret = open_short(ctx, a, c)) < 0 || (ret = render_side_audio(ctx, c->out, pkt)) < 0)
                    return ret;
            }
        }
    }
    return 0;
}

static double rnd(double v, double step)
{
    return round(v / step) * step;
}

/* video/reframe_WxH.json: the crop (pixels of the source) at every planned
 * frame that the edit keeps. */
static int write_plan(render_ctx *ctx, const aspect *a)
{
    cJSON *root = cJSON_CreateObject(), *keys, *cols;
    char rel[48], *text = NULL;
    int W = ctx->v.enc->width, H = ctx->v.enc->height, ret;
    size_t cursor = 0;
    static const char *const names[] = {"source_s", "mode", "x", "y", "cut", "subject_x",
                                        "subject_y"};

    if (!root || !cJSON_AddStringToObject(root, "aspect", a->label) ||
        !cJSON_AddNumberToObject(root, "width", a->w) ||
        !cJSON_AddNumberToObject(root, "height", a->h) ||
        !cJSON_AddNumberToObject(root, "source_width", W) ||
        !cJSON_AddNumberToObject(root, "source_height", H) ||
        !cJSON_AddNumberToObject(root, "face_y", a->p.face_y) ||
        !cJSON_AddNumberToObject(root, "dead_zone", a->p.dead_zone) ||
        !cJSON_AddNumberToObject(root, "max_speed", a->p.max_speed) ||
        !cJSON_AddNumberToObject(root, "max_accel", a->p.max_accel) ||
        !cJSON_AddNumberToObject(root, "max_jump_px", a->max_jump_px) ||
        !(cols = cJSON_AddArrayToObject(root, "columns")) ||
        !(keys = cJSON_AddArrayToObject(root, "keys")))
        goto nomem;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        cJSON_AddItemToArray(cols, cJSON_CreateString(names[i]));
    for (size_t i = 0; i < a->nkeys; i++) {
        const ave_reframe_key *k = &a->keys[i];
        cJSON *row;
        if (render_span_find(ctx, k->t_us, &cursor) < 0)
            continue;
        if (!(row = cJSON_CreateArray()))
            goto nomem;
        cJSON_AddItemToArray(keys, row);
        cJSON_AddItemToArray(row, cJSON_CreateNumber(rnd(k->t_us / 1e6, 1e-6)));
        cJSON_AddItemToArray(row, cJSON_CreateString(k->mode == AVE_REFRAME_FIT ? "fit" : "crop"));
        cJSON_AddItemToArray(row, cJSON_CreateNumber((int)lrint(k->x * W) & ~1));
        cJSON_AddItemToArray(row, cJSON_CreateNumber((int)lrint(k->y * H) & ~1));
        cJSON_AddItemToArray(row, cJSON_CreateBool(k->cut));
        cJSON_AddItemToArray(row, cJSON_CreateNumber(k->has_subject ? rnd(k->sx * W, 0.1) : -1));
        cJSON_AddItemToArray(row, cJSON_CreateNumber(k->has_subject ? rnd(k->sy * H, 0.1) : -1));
    }
    if (!(text = cJSON_PrintUnformatted(root)))
        goto nomem;
    cJSON_Delete(root);
    snprintf(rel, sizeof(rel), "video/reframe_%s.json", a->tag);
    ret = ave_job_write_file(ctx->job, rel, text, strlen(text));
    free(text);
    return ret;
nomem:
    cJSON_Delete(root);
    return ave_job_fail(ctx->job, AVE_ERR_NOMEM, "render: out of memory");
}

static void metrics(render_ctx *ctx, const aspect *a)
{
    char key[64];
    size_t made = 0;
#define M(name, v)                                                                                 \
    do {                                                                                           \
        snprintf(key, sizeof(key), "aspect_%s_" name, a->tag);                                     \
        ave_job_metric_number(ctx->job, "render", key, (double)(v));                               \
    } while (0)
    M("frames", a->frames);
    M("letterboxed_frames", a->fit_frames);
    M("card_frames", a->card_frames);
    M("max_jump_px", a->max_jump_px);
    M("seconds", rnd(a->seconds, 1e-3));
#undef M
    for (size_t k = 0; k < a->nshorts; k++)
        made += a->shorts[k].done;
    if (a->nshorts)
        ave_job_metric_number(ctx->job, "render", "shorts", (double)made);
}

int render_reframe_finish(render_ctx *ctx, int64_t end_out)
{
    render_reframe *r = ctx->reframe;
    int ret;

    if (!r)
        return 0;
    for (size_t i = 0; i < r->n; i++) {
        aspect *a = &r->a[i];
        if (a->pending) {
            AVFrame *p = a->pending;
            int64_t dur = end_out - p->pts;
            a->pending = NULL;
            ret = emit(ctx, a, p, dur > 0 ? dur : ctx->v.nominal);
            av_frame_free(&p);
            if (ret < 0)
                return ret;
        }
        for (size_t k = 0; k < a->nshorts; k++) {
            if ((ret = finish_short(ctx, &a->shorts[k])) < 0)
                return ret;
            if (!a->shorts[k].done)
                ave_log(AVE_LOG_WARNING, RENDER_LOG, "%s: no frame of the highlight was kept",
                        a->shorts[k].relpath);
        }
        if (a->file && (ret = render_side_finish(ctx, a->file)) < 0)
            return ret;
        if ((ret = write_plan(ctx, a)) < 0)
            return ret;
        metrics(ctx, a);
    }
    return 0;
}

void render_reframe_free(render_ctx *ctx)
{
    render_reframe *r = ctx->reframe;

    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        aspect *a = &r->a[i];
        for (size_t k = 0; k < a->nshorts; k++)
            render_side_free(ctx, &a->shorts[k].out);
        free(a->shorts);
        render_side_free(ctx, &a->file);
        render_captions_layout_free(ctx, &a->caps);
        render_caption_pic_free(&a->title);
        av_frame_free(&a->pending);
        av_frame_free(&a->small);
        sws_freeContext(a->sws_small);
        sws_freeContext(a->sws_big);
        sws_freeContext(a->sws_fg);
        free(a->keys);
        render_overlays_free(&a->card_ovl);
        free(a->cards);
    }
    free(r->a);
    free(r);
    ctx->reframe = NULL;
}
