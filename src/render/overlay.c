/* Compositing B-roll cards onto the kept video frames.
 *
 * Each card (a display-sized ARGB PNG from the broll stage) is loaded once,
 * when it first becomes active: cairo draws it into a frame-sized picture
 * (scaled, and rotated into the coded orientation for rotated video), the
 * bounding box of its non-transparent pixels is found (even-aligned for
 * 4:2:0) and only that box is converted to Y, U, V and alpha planes in the
 * frame's matrix (BT.709, or BT.601 for SD) and range. Chroma is the
 * alpha-weighted mean of each 2x2 block so card edges get no dark fringe.
 * Per frame the work is then one integer blend per covered sample,
 *   a' = (A * g + 128) >> 8, out = (C * a' + in * (255 - a') + 127) / 255,
 * with g the fade gain (0..256) from the frame's source time -- no
 * allocation, nothing outside the box touched. A card is freed once its end
 * has passed (frames arrive in source order). Frames whose buffers the
 * decoder still references are copied into pooled buffers first. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <libavutil/buffer.h>
#include <libavutil/imgutils.h>

#include "ave/error.h"
#include "ave/log.h"
#include "render/overlay.h"

#define OVL_LOG "render"

typedef struct overlay_pic {
    int x, y, w, h;           /* covered box, luma pixels, even */
    uint8_t *py, *pa;         /* w*h */
    uint8_t *pu, *pv, *pac;   /* (w/2)*(h/2) */
    int64_t bytes;            /* reserved for it */
} overlay_pic;

enum { OVL_WAITING, OVL_LOADED, OVL_DONE };

struct render_overlays {
    ave_job *job;
    const ave_overlay *ov;
    size_t n, first;          /* overlays before first are finished */
    overlay_pic *pics;
    int *state;
    int width, height, rotation;
    AVBufferPool *pool[2];    /* luma and chroma planes of copied frames */
    int linesize[2];
    int64_t frames;
};

int render_overlays_new(render_overlays **out, ave_job *job, const ave_overlay *ov, size_t n,
                        int width, int height, int rotation_deg)
{
    render_overlays *ro;

    *out = NULL;
    if (!n)
        return 0;
    if (!(ro = calloc(1, sizeof(*ro))) || !(ro->pics = calloc(n, sizeof(*ro->pics))) ||
        !(ro->state = calloc(n, sizeof(*ro->state)))) {
        render_overlays_free(&ro);
        return ave_job_fail(job, AVE_ERR_NOMEM, "render: out of memory");
    }
    ro->job = job;
    ro->ov = ov;
    ro->n = n;
    ro->width = width & ~1;
    ro->height = height & ~1;
    ro->rotation = ((rotation_deg % 360) + 360) % 360;
    *out = ro;
    return 0;
}

static void pic_free(render_overlays *ro, overlay_pic *p)
{
    free(p->py);
    free(p->pa);
    free(p->pu);
    free(p->pv);
    free(p->pac);
    if (p->bytes)
        ave_job_mem_release(ro->job, p->bytes);
    memset(p, 0, sizeof(*p));
}

void render_overlays_free(render_overlays **pro)
{
    render_overlays *ro = *pro;
    if (!ro)
        return;
    for (size_t i = 0; ro->pics && i < ro->n; i++)
        pic_free(ro, &ro->pics[i]);
    av_buffer_pool_uninit(&ro->pool[0]);
    av_buffer_pool_uninit(&ro->pool[1]);
    free(ro->pics);
    free(ro->state);
    free(ro);
    *pro = NULL;
}

int64_t render_overlays_frames(const render_overlays *ro)
{
    return ro ? ro->frames : 0;
}

/* The card drawn into a frame-sized ARGB picture in coded orientation.
 * NULL (with a warning) when the PNG cannot be read. */
static cairo_surface_t *draw_card(const render_overlays *ro, const char *path)
{
    cairo_surface_t *png = cairo_image_surface_create_from_png(path), *dst = NULL;
    int swap = ro->rotation == 90 || ro->rotation == 270;
    double dw = swap ? ro->height : ro->width, dh = swap ? ro->width : ro->height;
    cairo_t *cr;

    if (cairo_surface_status(png) != CAIRO_STATUS_SUCCESS) {
        ave_log(AVE_LOG_WARNING, OVL_LOG, "%s: cannot read the overlay (%s); not shown", path,
                cairo_status_to_string(cairo_surface_status(png)));
        goto out;
    }
    dst = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, ro->width, ro->height);
    cr = cairo_create(dst);
    /* display -> coded: undo the clockwise display rotation */
    if (ro->rotation == 90) {
        cairo_translate(cr, 0, ro->height);
        cairo_rotate(cr, -M_PI / 2);
    } else if (ro->rotation == 180) {
        cairo_translate(cr, ro->width, ro->height);
        cairo_rotate(cr, M_PI);
    } else if (ro->rotation == 270) {
        cairo_translate(cr, ro->width, 0);
        cairo_rotate(cr, M_PI / 2);
    }
    cairo_scale(cr, dw / cairo_image_surface_get_width(png),
                dh / cairo_image_surface_get_height(png));
    cairo_set_source_surface(cr, png, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(dst);
    if (cairo_surface_status(dst) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(dst);
        dst = NULL;
    }
out:
    cairo_surface_destroy(png);
    return dst;
}

typedef struct yuv_matrix {
    double kr, kb;
    int full;
} yuv_matrix;

static void to_yuv(const yuv_matrix *m, double r, double g, double b, double *y, double *u,
                   double *v)
{
    double yy = m->kr * r + (1 - m->kr - m->kb) * g + m->kb * b; /* 0..255 */
    double cb = (b - yy) / (2 * (1 - m->kb)), cr = (r - yy) / (2 * (1 - m->kr));
    if (m->full) {
        *y = yy, *u = 128 + cb, *v = 128 + cr;
    } else {
        *y = 16 + yy * 219 / 255, *u = 128 + cb * 224 / 255, *v = 128 + cr * 224 / 255;
    }
}

static uint8_t clip8(double x)
{
    return (uint8_t)(x < 0 ? 0 : x > 255 ? 255 : lrint(x));
}

/* Convert surface s into p's planes over its non-transparent box. */
static int convert(render_overlays *ro, overlay_pic *p, cairo_surface_t *s, const yuv_matrix *m)
{
    const uint8_t *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s), x0 = ro->width, y0 = ro->height, x1 = -1,
        y1 = -1, cw, ret;

    for (int y = 0; y < ro->height; y++) {
        const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
        for (int x = 0; x < ro->width; x++)
            if (row[x] >> 24) {
                x0 = x < x0 ? x : x0, x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0, y1 = y > y1 ? y : y1;
            }
    }
    if (x1 < 0)
        return 0; /* fully transparent: nothing to blend */
    p->x = x0 & ~1, p->y = y0 & ~1;
    p->w = ((x1 + 2) & ~1) - p->x, p->h = ((y1 + 2) & ~1) - p->y;
    cw = p->w / 2;
    p->bytes = (int64_t)p->w * p->h * 2 + (int64_t)cw * (p->h / 2) * 3;
    if ((ret = ave_job_mem_reserve(ro->job, p->bytes)) < 0) {
        p->bytes = 0;
        return ret;
    }
    if (!(p->py = malloc((size_t)p->w * p->h)) || !(p->pa = malloc((size_t)p->w * p->h)) ||
        !(p->pu = malloc((size_t)cw * p->h / 2)) || !(p->pv = malloc((size_t)cw * p->h / 2)) ||
        !(p->pac = malloc((size_t)cw * p->h / 2)))
        return ave_job_fail(ro->job, AVE_ERR_NOMEM, "render: out of memory loading an overlay");
    for (int cy = 0; cy < p->h / 2; cy++) {
        for (int cx = 0; cx < cw; cx++) {
            double su = 0, sv = 0, sa = 0;
            for (int k = 0; k < 4; k++) {
                int lx = 2 * cx + (k & 1), ly = 2 * cy + (k >> 1);
                uint32_t px = ((const uint32_t *)(data + (size_t)(p->y + ly) * stride))[p->x + lx];
                double a = px >> 24, yv = 0, uv = 128, vv = 128;
                if (a > 0) { /* cairo stores premultiplied colour */
                    to_yuv(m, ((px >> 16) & 255) * 255.0 / a, ((px >> 8) & 255) * 255.0 / a,
                           (px & 255) * 255.0 / a, &yv, &uv, &vv);
                }
                p->py[(size_t)ly * p->w + lx] = clip8(yv);
                p->pa[(size_t)ly * p->w + lx] = (uint8_t)a;
                su += a * uv, sv += a * vv, sa += a;
            }
            p->pu[(size_t)cy * cw + cx] = sa > 0 ? clip8(su / sa) : 128;
            p->pv[(size_t)cy * cw + cx] = sa > 0 ? clip8(sv / sa) : 128;
            p->pac[(size_t)cy * cw + cx] = (uint8_t)lrint(sa / 4);
        }
    }
    return 0;
}

static int load(render_overlays *ro, size_t i, const AVFrame *f)
{
    yuv_matrix m = {0.2126, 0.0722, f->color_range == AVCOL_RANGE_JPEG};
    cairo_surface_t *s;
    int ret;

    if (f->colorspace == AVCOL_SPC_BT470BG || f->colorspace == AVCOL_SPC_SMPTE170M ||
        (f->colorspace != AVCOL_SPC_BT709 && ro->height < 720))
        m.kr = 0.299, m.kb = 0.114;
    ro->state[i] = OVL_DONE; /* unless it loads */
    if (!(s = draw_card(ro, ro->ov[i].image_path)))
        return 0;
    ret = convert(ro, &ro->pics[i], s, &m);
    cairo_surface_destroy(s);
    if (ret < 0) {
        pic_free(ro, &ro->pics[i]);
        return ret;
    }
    if (ro->pics[i].w > 0)
        ro->state[i] = OVL_LOADED;
    return 0;
}

/* Give f buffers of its own (from the pools) when they are shared. */
static int make_writable(render_overlays *ro, AVFrame *f)
{
    AVFrame *tmp;
    int ret = 0;

    if (av_frame_is_writable(f))
        return 0;
    if (!ro->pool[0]) {
        ro->linesize[0] = FFALIGN(ro->width, 64);
        ro->linesize[1] = FFALIGN(ro->width / 2, 64);
        ro->pool[0] = av_buffer_pool_init((size_t)ro->linesize[0] * ro->height, NULL);
        ro->pool[1] = av_buffer_pool_init((size_t)ro->linesize[1] * (ro->height / 2), NULL);
        if (!ro->pool[0] || !ro->pool[1])
            return ave_job_fail(ro->job, AVE_ERR_NOMEM, "render: out of memory");
    }
    if (!(tmp = av_frame_alloc()))
        return ave_job_fail(ro->job, AVE_ERR_NOMEM, "render: out of memory");
    for (int p = 0; p < 3; p++) {
        if (!(tmp->buf[p] = av_buffer_pool_get(ro->pool[p ? 1 : 0]))) {
            ret = ave_job_fail(ro->job, AVE_ERR_NOMEM, "render: out of memory");
            goto out;
        }
        tmp->data[p] = tmp->buf[p]->data;
        tmp->linesize[p] = ro->linesize[p ? 1 : 0];
    }
    tmp->format = f->format;
    tmp->width = f->width;
    tmp->height = f->height;
    av_image_copy(tmp->data, tmp->linesize, (const uint8_t **)f->data, f->linesize,
                  (enum AVPixelFormat)f->format, f->width, f->height);
    if (av_frame_copy_props(tmp, f) < 0) {
        ret = ave_job_fail(ro->job, AVE_ERR_NOMEM, "render: out of memory");
        goto out;
    }
    av_frame_unref(f);
    av_frame_move_ref(f, tmp);
out:
    av_frame_free(&tmp);
    return ret;
}

static void blend_plane(uint8_t *dst, int dst_ls, const uint8_t *src, const uint8_t *alpha,
                        int w, int h, int gain)
{
    for (int y = 0; y < h; y++) {
        uint8_t *d = dst + (ptrdiff_t)y * dst_ls;
        const uint8_t *c = src + (size_t)y * w, *a = alpha + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            unsigned aa = (a[x] * (unsigned)gain + 128) >> 8;
            d[x] = (uint8_t)((c[x] * aa + d[x] * (255 - aa) + 127) / 255);
        }
    }
}

static int gain_at(const ave_overlay *ov, int64_t t)
{
    double f = 1, fade = ov->fade_ms * 1000.0;
    if (fade > 0) {
        f = fmin(f, (t - ov->start_us) / fade);
        f = fmin(f, (ov->end_us - t) / fade);
    }
    return f <= 0 ? 0 : (int)lrint(fmin(f, 1) * 256);
}

int render_overlays_apply(render_overlays *ro, AVFrame *f, int64_t t_us)
{
    int ret, written = 0;

    if (!ro || f->format != AV_PIX_FMT_YUV420P || f->width != ro->width ||
        f->height != ro->height)
        return 0;
    for (size_t i = ro->first; i < ro->n && ro->ov[i].start_us <= t_us; i++) {
        const ave_overlay *ov = &ro->ov[i];
        overlay_pic *p = &ro->pics[i];
        int g;
        if (ro->state[i] != OVL_DONE && t_us >= ov->end_us) { /* passed: free it */
            pic_free(ro, p);
            ro->state[i] = OVL_DONE;
        }
        if (ro->state[i] == OVL_DONE) {
            if (i == ro->first)
                ro->first++;
            continue;
        }
        if (ro->state[i] == OVL_WAITING && (ret = load(ro, i, f)) < 0)
            return ret;
        if (ro->state[i] != OVL_LOADED || (g = gain_at(ov, t_us)) <= 0)
            continue;
        if (!written && (ret = make_writable(ro, f)) < 0)
            return ret;
        written = 1;
        blend_plane(f->data[0] + (ptrdiff_t)p->y * f->linesize[0] + p->x, f->linesize[0], p->py,
                    p->pa, p->w, p->h, g);
        for (int c = 1; c < 3; c++)
            blend_plane(f->data[c] + (ptrdiff_t)(p->y / 2) * f->linesize[c] + p->x / 2,
                        f->linesize[c], c == 1 ? p->pu : p->pv, p->pac, p->w / 2, p->h / 2, g);
    }
    ro->frames += written;
    return 0;
}
