/* The punch-in zoom in the render pass (--zoom-cuts, docs/ZOOM.md).
 *
 * At open, the kept spans and the frames stage's faces (display-oriented,
 * turned into the coded orientation here) go to the planner (zoom_plan.c).
 * Per kept frame: a frame of a full-frame span, or one shown while a
 * full-frame B-roll card is up, is passed on untouched (so those frames are
 * bit-exact with --no-zoom-cuts, and a card is never zoomed: cards are
 * composited after this). A punched frame is cropped by moving the plane
 * pointers (the crop is even-aligned, so 4:2:0 chroma stays in step) and
 * scaled back to the frame size by swscale's Lanczos filter, sharper than
 * bicubic on the 15 % enlargement, into pooled buffers.
 *
 * Spans without a face are centred on the saliency point of their first
 * frame (ave_zoom_saliency).
 *
 * Cost: one swscale pass per punched frame; the context is reinitialised
 * only when the crop size changes (each span, or every frame with
 * --zoom-motion). bench/bench_zoom.sh measures it against a plain render. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <libavutil/buffer.h>
#include <libavutil/time.h>
#include <libswscale/swscale.h>

#include "ave/error.h"
#include "ave/log.h"
#include "core/fsutil.h"
#include "render/render_internal.h"
#include "render/zoom.h"
#include "render/zoom_plan.h"

#define ZOOM_LOG "render"
/* --zoom-motion: the punch-in grows 2 % a second, at most 8 % in a span:
 * slow enough to read as a deliberate push-in, not as a zoom effect. */
#define ZOOM_MOTION_PER_S 0.02
#define ZOOM_MOTION_MAX 0.08
#define PLAN_FILE "video/zoom_plan.json"

struct render_zoom {
    ave_job *job;
    const render_span *spans;
    ave_zoom_span *plan;
    unsigned char *centred; /* per span: saliency point applied */
    size_t n;
    int width, height, rotation;
    double amount;
    int motion;
    int on; /* 0: --zoom-cuts off, planned only to replace an earlier run's plan */
    struct SwsContext *sws;
    int sws_w, sws_h;
    AVBufferPool *pool[2];
    int linesize[2];
    int64_t reserved;
    int64_t frames, card_frames, us; /* punched frames, frames left full for a card, time */
};

/* The crop in pixels: even position and size (4:2:0), inside the frame. */
static void to_pixels(const render_zoom *z, const ave_zoom_box *b, int r[4])
{
    int w = (int)lrint(b->w * z->width) & ~1, h = (int)lrint(b->h * z->height) & ~1;

    w = w < 2 ? 2 : w > z->width ? z->width : w;
    h = h < 2 ? 2 : h > z->height ? z->height : h;
    r[0] = (int)lrint(b->x * z->width) & ~1;
    r[1] = (int)lrint(b->y * z->height) & ~1;
    if (r[0] + w > z->width)
        r[0] = z->width - w;
    if (r[1] + h > z->height)
        r[1] = z->height - h;
    r[2] = w;
    r[3] = h;
}

/* Face samples in coded orientation, one per sampled frame (the speakers'
 * union). *out is malloc'd; NULL with *n 0 when there are none. */
static int face_samples(const ave_job *job, ave_zoom_face_sample **out, size_t *n)
{
    const ave_analysis *a = &job->analysis;
    ave_zoom_face_sample *s;

    *out = NULL;
    *n = 0;
    if (!a->frame_count)
        return 0;
    if (!(s = calloc(a->frame_count, sizeof(*s))))
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < a->frame_count; i++) {
        const ave_frame_features *f = &a->frames[i];
        ave_zoom_box boxes[AVE_FRAME_MAX_FACES];
        int nb = f->face_count < AVE_FRAME_MAX_FACES ? f->face_count : AVE_FRAME_MAX_FACES;

        s[i].t_us = f->pts_us;
        for (int j = 0; j < nb; j++)
            boxes[j] = ave_zoom_box_to_coded(
                (ave_zoom_box){f->faces[j].x, f->faces[j].y, f->faces[j].w, f->faces[j].h},
                job->media.rotation_deg);
        s[i].has_face = nb > 0 && ave_zoom_speakers(boxes, (size_t)nb, &s[i].box) == 0;
    }
    *out = s;
    *n = a->frame_count;
    return 0;
}

/* Whether the output folder holds a zoom plan from an earlier run. A
 * re-render (`render`) keeps earlier results it does not replace, so with
 * --zoom-cuts now off that plan would describe a zoom the new video lacks:
 * it is replaced by one saying every span is full frame. */
static int old_plan(const ave_job *job)
{
    char *path = job->output_dir ? ave_fs_join(job->output_dir, PLAN_FILE) : NULL;
    int found = path && access(path, F_OK) == 0;
    free(path);
    return found;
}

int render_zoom_new(render_zoom **out, ave_job *job, const ave_render_opts *o,
                    const struct render_span *spans, size_t n, int width, int height)
{
    ave_zoom_face_sample *faces = NULL;
    int64_t(*times)[2] = NULL;
    ave_zoom_params p;
    render_zoom *z;
    size_t nf = 0;
    int ret;

    *out = NULL;
    if (!n || (!o->zoom_cuts && !old_plan(job)))
        return 0;
    if (!(z = calloc(1, sizeof(*z))))
        return ave_job_fail(job, AVE_ERR_NOMEM, "render: out of memory");
    z->job = job;
    z->spans = spans;
    z->n = n;
    z->width = width & ~1;
    z->height = height & ~1;
    z->rotation = job->media.rotation_deg;
    z->amount = o->zoom_amount;
    z->motion = o->zoom_motion;
    z->on = o->zoom_cuts;
    ave_zoom_params_default(&p);
    p.scale = z->on ? o->zoom_amount / 100 : 1; /* off: every span full frame */
    if (o->zoom_motion) {
        p.motion_per_s = ZOOM_MOTION_PER_S;
        p.motion_max = ZOOM_MOTION_MAX;
    }
    /* Output buffers (luma + chroma) for the frames in flight, and the plan. */
    z->reserved = (int64_t)n * sizeof(ave_zoom_span) +
                  (z->on ? (int64_t)z->width * z->height * 3 / 2 * 4 : 0);
    if ((ret = ave_job_mem_reserve(job, z->reserved)) < 0) {
        z->reserved = 0;
        goto out;
    }
    if (!(z->plan = calloc(n, sizeof(*z->plan))) || !(z->centred = calloc(n, 1)) ||
        !(times = calloc(n, sizeof(*times))) || face_samples(job, &faces, &nf) < 0) {
        ret = ave_job_fail(job, AVE_ERR_NOMEM, "render: out of memory");
        goto out;
    }
    for (size_t k = 0; k < n; k++) {
        times[k][0] = spans[k].start_us;
        times[k][1] = spans[k].end_us;
    }
    if ((ret = ave_zoom_plan((const int64_t(*)[2])times, n, faces, nf, &p, z->plan)) < 0) {
        ret =
            ave_job_fail(job, ret, "render: --zoom-amount %.1f is not a punch-in", o->zoom_amount);
        goto out;
    }
    ave_log(AVE_LOG_VERBOSE, ZOOM_LOG, "zoom: %zu span(s), faces in %zu sampled frame(s)", n, nf);
out:
    free(faces);
    free(times);
    if (ret < 0)
        render_zoom_free(&z);
    *out = z;
    return ret;
}

static int alloc_output(render_zoom *z, AVFrame *dst, const AVFrame *src)
{
    if (!z->pool[0]) {
        z->linesize[0] = FFALIGN(z->width, 64);
        z->linesize[1] = FFALIGN(z->width / 2, 64);
        z->pool[0] = av_buffer_pool_init((size_t)z->linesize[0] * z->height, NULL);
        z->pool[1] = av_buffer_pool_init((size_t)z->linesize[1] * (z->height / 2), NULL);
        if (!z->pool[0] || !z->pool[1])
            return AVERROR(ENOMEM);
    }
    for (int p = 0; p < 3; p++) {
        if (!(dst->buf[p] = av_buffer_pool_get(z->pool[p ? 1 : 0])))
            return AVERROR(ENOMEM);
        dst->data[p] = dst->buf[p]->data;
        dst->linesize[p] = z->linesize[p ? 1 : 0];
    }
    dst->format = src->format;
    dst->width = src->width;
    dst->height = src->height;
    return av_frame_copy_props(dst, src);
}

/* Is a full-frame card up at t? Then the picture under it stays full. */
static int card_up(const render_zoom *z, int64_t t_us)
{
    const ave_analysis *a = &z->job->analysis;
    for (size_t i = 0; i < a->overlay_count && a->overlays[i].start_us <= t_us; i++)
        if (a->overlays[i].placement == AVE_OVERLAY_FULL && t_us < a->overlays[i].end_us)
            return 1;
    return 0;
}

int render_zoom_apply(render_zoom *z, AVFrame **pf, int64_t t_us, long k)
{
    AVFrame *src = *pf, *dst = NULL;
    const uint8_t *planes[3];
    ave_zoom_box box;
    int64_t t0;
    int r[4], ret;

    if (!z || !z->on || k < 0 || (size_t)k >= z->n || src->format != AV_PIX_FMT_YUV420P ||
        src->width != z->width || src->height != z->height)
        return 0;
    if (!ave_zoom_crop_at(&z->plan[k], t_us, &box))
        return 0;
    if (card_up(z, t_us)) {
        z->card_frames++;
        return 0;
    }
    t0 = av_gettime_relative();
    if (!z->centred[k]) {
        double cx, cy;
        ave_zoom_saliency(src->data[0], src->linesize[0], z->width, z->height, &cx, &cy);
        ave_zoom_span_recentre(&z->plan[k], cx, cy); /* no-op for face spans */
        z->centred[k] = 1;
        ave_zoom_crop_at(&z->plan[k], t_us, &box);
    }
    to_pixels(z, &box, r);
    if (!z->sws || z->sws_w != r[2] || z->sws_h != r[3]) {
        z->sws = sws_getCachedContext(z->sws, r[2], r[3], AV_PIX_FMT_YUV420P, z->width, z->height,
                                      AV_PIX_FMT_YUV420P, SWS_LANCZOS, NULL, NULL, NULL);
        if (!z->sws)
            return ave_job_fail(z->job, AVE_ERR_NOMEM, "render: cannot set up the zoom scaler");
        z->sws_w = r[2];
        z->sws_h = r[3];
    }
    planes[0] = src->data[0] + (ptrdiff_t)r[1] * src->linesize[0] + r[0];
    planes[1] = src->data[1] + (ptrdiff_t)(r[1] / 2) * src->linesize[1] + r[0] / 2;
    planes[2] = src->data[2] + (ptrdiff_t)(r[1] / 2) * src->linesize[2] + r[0] / 2;
    if (!(dst = av_frame_alloc()) || (ret = alloc_output(z, dst, src)) < 0) {
        av_frame_free(&dst);
        return ave_job_fail(z->job, AVE_ERR_NOMEM, "render: out of memory");
    }
    if ((ret = sws_scale(z->sws, planes, src->linesize, 0, r[3], dst->data, dst->linesize)) < 0) {
        av_frame_free(&dst);
        return ave_job_fail(z->job, AVE_ERR_INTERNAL, "render: zoom scaling failed: %s",
                            av_err2str(ret));
    }
    av_frame_free(pf);
    *pf = dst;
    z->frames++;
    z->us += av_gettime_relative() - t0;
    return 0;
}

static cJSON *rect_json(cJSON *o, const char *name, const int r[4])
{
    cJSON *c = cJSON_AddObjectToObject(o, name);
    if (c && cJSON_AddNumberToObject(c, "x", r[0]) && cJSON_AddNumberToObject(c, "y", r[1]) &&
        cJSON_AddNumberToObject(c, "w", r[2]) && cJSON_AddNumberToObject(c, "h", r[3]))
        return c;
    return NULL;
}

static double rnd(double v, double unit)
{
    return round(v / unit) * unit;
}

static const char *anchor_name(int a)
{
    return a == AVE_ZOOM_ANCHOR_FACE ? "face" : a == AVE_ZOOM_ANCHOR_POINT ? "saliency" : "none";
}

static int span_json(const render_zoom *z, cJSON *arr, size_t k)
{
    const ave_zoom_span *s = &z->plan[k];
    const render_span *rs = &z->spans[k];
    cJSON *o = cJSON_CreateObject();
    int r0[4], r1[4];

    if (!o)
        return -1;
    cJSON_AddItemToArray(arr, o);
    to_pixels(z, &s->crop0, r0);
    to_pixels(z, &s->crop1, r1);
    if (!cJSON_AddNumberToObject(o, "source_start", rs->start_us / 1e6) ||
        !cJSON_AddNumberToObject(o, "source_end", rs->end_us / 1e6) ||
        !cJSON_AddNumberToObject(o, "edited_start", rs->out_us / 1e6) ||
        !cJSON_AddNumberToObject(o, "edited_end", (rs->out_us + rs->end_us - rs->start_us) / 1e6) ||
        !cJSON_AddStringToObject(o, "framing", s->framing == AVE_ZOOM_PUNCH ? "punch" : "full") ||
        !cJSON_AddStringToObject(o, "anchor", anchor_name(s->anchor)) ||
        !cJSON_AddBoolToObject(o, "limited", s->limited) ||
        !cJSON_AddNumberToObject(o, "scale_start", rnd(s->scale0, 1e-4)) ||
        !cJSON_AddNumberToObject(o, "scale_end", rnd(s->scale1, 1e-4)) ||
        !rect_json(o, "crop_start", r0) || !rect_json(o, "crop_end", r1))
        return -1;
    if (s->anchor == AVE_ZOOM_ANCHOR_FACE) {
        int f[4] = {(int)lrint(s->face.x * z->width), (int)lrint(s->face.y * z->height),
                    (int)lrint(s->face.w * z->width), (int)lrint(s->face.h * z->height)};
        int m[4] = {(int)lrint(s->keep.x * z->width), (int)lrint(s->keep.y * z->height),
                    (int)lrint(s->keep.w * z->width), (int)lrint(s->keep.h * z->height)};
        if (!rect_json(o, "face", f) || !rect_json(o, "face_with_margin", m))
            return -1;
    }
    return 0;
}

static char *plan_json(const render_zoom *z)
{
    const ave_analysis *a = &z->job->analysis;
    cJSON *root = cJSON_CreateObject(), *spans, *cards;
    char *text = NULL;

    if (!root || !cJSON_AddNumberToObject(root, "version", 1) ||
        !cJSON_AddBoolToObject(root, "zoom_cuts", z->on) ||
        !cJSON_AddNumberToObject(root, "zoom_amount", z->amount) ||
        !cJSON_AddBoolToObject(root, "zoom_motion", z->motion) ||
        !cJSON_AddNumberToObject(root, "width", z->width) ||
        !cJSON_AddNumberToObject(root, "height", z->height) ||
        !cJSON_AddNumberToObject(root, "rotation", z->rotation) ||
        !(spans = cJSON_AddArrayToObject(root, "spans")) ||
        !(cards = cJSON_AddArrayToObject(root, "full_frame_cards")))
        goto out;
    for (size_t k = 0; k < z->n; k++)
        if (span_json(z, spans, k) < 0)
            goto out;
    for (size_t i = 0; i < a->overlay_count; i++) {
        cJSON *c;
        if (a->overlays[i].placement != AVE_OVERLAY_FULL)
            continue;
        if (!(c = cJSON_CreateObject()))
            goto out;
        cJSON_AddItemToArray(cards, c);
        if (!cJSON_AddNumberToObject(c, "source_start", a->overlays[i].start_us / 1e6) ||
            !cJSON_AddNumberToObject(c, "source_end", a->overlays[i].end_us / 1e6))
            goto out;
    }
    text = cJSON_Print(root);
out:
    cJSON_Delete(root);
    return text;
}

int render_zoom_publish(render_zoom *z)
{
    size_t punched = 0, faced = 0, limited = 0;
    char *text;
    int ret;

    if (!z)
        return 0;
    for (size_t k = 0; k < z->n; k++) {
        punched += z->plan[k].framing == AVE_ZOOM_PUNCH;
        faced += z->plan[k].framing == AVE_ZOOM_PUNCH && z->plan[k].anchor == AVE_ZOOM_ANCHOR_FACE;
        limited += z->plan[k].limited;
    }
    if (!(text = plan_json(z)))
        return ave_job_fail(z->job, AVE_ERR_NOMEM, "render: out of memory");
    ret = ave_job_write_file(z->job, PLAN_FILE, text, strlen(text));
    free(text);
    if (ret < 0 || !z->on)
        return ret;
    ave_job_metric_number(z->job, "render", "zoom_spans_punched", (double)punched);
    ave_job_metric_number(z->job, "render", "zoom_spans_on_face", (double)faced);
    ave_job_metric_number(z->job, "render", "zoom_spans_limited_by_face", (double)limited);
    ave_job_metric_number(z->job, "render", "zoom_frames", (double)z->frames);
    ave_job_metric_number(z->job, "render", "zoom_frames_under_cards", (double)z->card_frames);
    ave_job_metric_number(z->job, "render", "zoom_seconds", rnd(z->us / 1e6, 1e-3));
    ave_log(AVE_LOG_VERBOSE, ZOOM_LOG,
            "zoom: %zu of %zu span(s) punched in (%zu on a face), "
            "%lld frames, %.2f s",
            punched, z->n, faced, (long long)z->frames, z->us / 1e6);
    return 0;
}

void render_zoom_free(render_zoom **pz)
{
    render_zoom *z = *pz;
    if (!z)
        return;
    sws_freeContext(z->sws);
    av_buffer_pool_uninit(&z->pool[0]);
    av_buffer_pool_uninit(&z->pool[1]);
    if (z->reserved)
        ave_job_mem_release(z->job, z->reserved);
    free(z->plan);
    free(z->centred);
    free(z);
    *pz = NULL;
}
