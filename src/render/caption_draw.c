/* Drawing one caption and turning it into planes to blend.
 *
 * Text is laid out by pango (any script; fontconfig falls back per glyph,
 * so emoji come from Noto Color Emoji when a word holds one) and drawn by
 * cairo into a picture only as large as the caption, in display
 * orientation; for rotated video that small picture is turned into the
 * coded orientation. Then it is converted once to Y, U, V and alpha in the
 * frame's matrix and range, with chroma the alpha-weighted mean of each 2x2
 * block so the edges of the letters get no dark fringe. A frame then costs
 * one integer blend per covered sample and nothing else.
 *
 * Styles: clean = white text on a rounded box of black at 62% (readable on
 * any picture without hiding much of it); bold = larger text, white with a
 * black outline of 14% of the font size and no box (the social-video look);
 * karaoke = bold, with the word being spoken in yellow. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "ave/error.h"
#include "render/caption_draw.h"

#define BOX_ALPHA 0.62
#define OUTLINE_EM 0.14
#define WRAP_SHARE 0.9 /* pango wraps only past 90% of the width: the budget decides */

static void pads(const render_caption_req *r, double *px, double *py)
{
    double f = r->font_px;
    if (r->style == RENDER_CAPTION_CLEAN) {
        *px = 0.45 * f;
        *py = 0.2 * f;
    } else {
        *px = *py = OUTLINE_EM * f + 2;
    }
}

/* A layout of the text on cr; NULL when out of memory. */
static PangoLayout *make_layout(cairo_t *cr, const render_caption_req *r)
{
    PangoLayout *lay = pango_cairo_create_layout(cr);
    PangoFontDescription *fd;

    if (!lay)
        return NULL;
    fd = pango_font_description_from_string("Sans Bold");
    pango_font_description_set_absolute_size(fd, r->font_px * PANGO_SCALE);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_alignment(lay, PANGO_ALIGN_CENTER);
    pango_layout_set_width(lay, (int)(WRAP_SHARE * r->display_w * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(lay, r->text, -1);
    if (r->hl_start >= 0 && r->hl_end > r->hl_start) {
        PangoAttrList *al = pango_attr_list_new();
        PangoAttribute *a = pango_attr_foreground_new(0xffff, 0xd2d2, 0x1f1f);
        a->start_index = (guint)r->hl_start;
        a->end_index = (guint)r->hl_end;
        pango_attr_list_insert(al, a);
        pango_layout_set_attributes(lay, al);
        pango_attr_list_unref(al);
    }
    return lay;
}

double render_caption_scale(int style)
{
    return style == RENDER_CAPTION_CLEAN ? 1.0 : 1.3;
}

int render_caption_measure(const render_caption_req *r, int *w, int *h)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(s);
    PangoLayout *lay = make_layout(cr, r);
    PangoRectangle ink, logical;
    double px, py;

    if (lay) {
        pango_layout_get_pixel_extents(lay, &ink, &logical);
        pads(r, &px, &py);
        *w = (int)ceil(logical.width + 2 * px);
        *h = (int)ceil(logical.height + 2 * py);
        g_object_unref(lay);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return lay ? 0 : AVE_ERR_NOMEM;
}

static void rounded_rect(cairo_t *cr, double w, double h, double rad)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, w - rad, rad, rad, -M_PI / 2, 0);
    cairo_arc(cr, w - rad, h - rad, rad, 0, M_PI / 2);
    cairo_arc(cr, rad, h - rad, rad, M_PI / 2, M_PI);
    cairo_arc(cr, rad, rad, rad, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

/* The caption in display orientation, w x h. NULL on failure. */
static cairo_surface_t *draw_display(const render_caption_req *r, int w, int h)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(s);
    PangoLayout *lay = make_layout(cr, r);
    PangoRectangle ink, logical;
    double px, py, f = r->font_px;

    if (!lay) {
        cairo_destroy(cr);
        cairo_surface_destroy(s);
        return NULL;
    }
    pango_layout_get_pixel_extents(lay, &ink, &logical);
    pads(r, &px, &py);
    if (r->style == RENDER_CAPTION_CLEAN) {
        cairo_set_source_rgba(cr, 0, 0, 0, BOX_ALPHA);
        rounded_rect(cr, w, h, 0.25 * f);
        cairo_fill(cr);
    }
    cairo_move_to(cr, px - logical.x, py - logical.y);
    if (r->style != RENDER_CAPTION_CLEAN) {
        pango_cairo_layout_path(cr, lay);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 2 * OUTLINE_EM * f);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        cairo_move_to(cr, px - logical.x, py - logical.y);
    }
    cairo_set_source_rgb(cr, 1, 1, 1);
    pango_cairo_show_layout(cr, lay);
    g_object_unref(lay);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

typedef struct yuv_coef {
    double kr, kb;
    int full;
} yuv_coef;

static uint8_t clip8(double x)
{
    return (uint8_t)(x < 0 ? 0 : x > 255 ? 255 : lrint(x));
}

/* One premultiplied ARGB pixel to Y, U, V (alpha returned separately). */
static void pixel_yuv(const yuv_coef *m, uint32_t px, double *y, double *u, double *v)
{
    double a = px >> 24, r, g, b, yy, cb, cr;
    if (!a) {
        *y = 0, *u = *v = 128;
        return;
    }
    r = ((px >> 16) & 255) * 255.0 / a;
    g = ((px >> 8) & 255) * 255.0 / a;
    b = (px & 255) * 255.0 / a;
    yy = m->kr * r + (1 - m->kr - m->kb) * g + m->kb * b;
    cb = (b - yy) / (2 * (1 - m->kb));
    cr = (r - yy) / (2 * (1 - m->kr));
    if (m->full) {
        *y = yy, *u = 128 + cb, *v = 128 + cr;
    } else {
        *y = 16 + yy * 219 / 255, *u = 128 + cb * 224 / 255, *v = 128 + cr * 224 / 255;
    }
}

/* s (coded orientation, even box at pic->x, pic->y of pic->w x pic->h) to planes. */
static int to_planes(cairo_surface_t *s, const yuv_coef *m, render_caption_pic *pic)
{
    const uint8_t *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s), cw = pic->w / 2, ch = pic->h / 2;
    size_t n = (size_t)pic->w * pic->h, nc = (size_t)cw * ch;

    if (!(pic->py = malloc(n)) || !(pic->pa = malloc(n)) || !(pic->pu = malloc(nc)) ||
        !(pic->pv = malloc(nc)) || !(pic->pac = malloc(nc)))
        return AVE_ERR_NOMEM;
    for (int cy = 0; cy < ch; cy++) {
        for (int cx = 0; cx < cw; cx++) {
            double su = 0, sv = 0, sa = 0;
            for (int k = 0; k < 4; k++) {
                int x = 2 * cx + (k & 1), y = 2 * cy + (k >> 1);
                uint32_t px = ((const uint32_t *)(data + (size_t)y * stride))[x];
                double yy, uu, vv, a = px >> 24;
                pixel_yuv(m, px, &yy, &uu, &vv);
                pic->py[(size_t)y * pic->w + x] = clip8(yy);
                pic->pa[(size_t)y * pic->w + x] = (uint8_t)a;
                su += a * uu, sv += a * vv, sa += a;
            }
            pic->pu[(size_t)cy * cw + cx] = sa > 0 ? clip8(su / sa) : 128;
            pic->pv[(size_t)cy * cw + cx] = sa > 0 ? clip8(sv / sa) : 128;
            pic->pac[(size_t)cy * cw + cx] = (uint8_t)lrint(sa / 4);
        }
    }
    return 0;
}

int render_caption_draw(const render_caption_req *r, int dx, int dy, int width, int height,
                        int rotation_deg, int bt601, int full_range, render_caption_pic *pic)
{
    yuv_coef m = {bt601 ? 0.299 : 0.2126, bt601 ? 0.114 : 0.0722, full_range};
    cairo_surface_t *disp = NULL, *coded = NULL;
    int w, h, cx, cy, cw, chh, x0, y0, x1, y1, ret;
    cairo_t *cr;

    memset(pic, 0, sizeof(*pic));
    if ((ret = render_caption_measure(r, &w, &h)) < 0)
        return ret;
    if (!(disp = draw_display(r, w, h)))
        return AVE_ERR_INTERNAL;
    /* where the display box lands in the coded frame (see overlay.c for
     * the same rotations applied to whole cards) */
    switch (rotation_deg) {
    case 90: cx = dy, cy = height - (dx + w), cw = h, chh = w; break;
    case 180: cx = width - (dx + w), cy = height - (dy + h), cw = w, chh = h; break;
    case 270: cx = width - (dy + h), cy = dx, cw = h, chh = w; break;
    default: cx = dx, cy = dy, cw = w, chh = h; break;
    }
    /* even box inside the frame */
    x0 = cx < 0 ? 0 : cx & ~1, y0 = cy < 0 ? 0 : cy & ~1;
    x1 = cx + cw > width ? width : cx + cw, y1 = cy + chh > height ? height : cy + chh;
    x1 = (x1 + 1) & ~1, y1 = (y1 + 1) & ~1;
    if (x1 > (width & ~1))
        x1 = width & ~1;
    if (y1 > (height & ~1))
        y1 = height & ~1;
    if (x1 <= x0 || y1 <= y0) {
        cairo_surface_destroy(disp);
        return 0; /* off the picture: nothing to blend */
    }
    pic->x = x0, pic->y = y0, pic->w = x1 - x0, pic->h = y1 - y0;
    coded = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pic->w, pic->h);
    cr = cairo_create(coded);
    cairo_translate(cr, cx - x0, cy - y0);
    if (rotation_deg == 90) {
        cairo_translate(cr, 0, w);
        cairo_rotate(cr, -M_PI / 2);
    } else if (rotation_deg == 180) {
        cairo_translate(cr, w, h);
        cairo_rotate(cr, M_PI);
    } else if (rotation_deg == 270) {
        cairo_translate(cr, h, 0);
        cairo_rotate(cr, M_PI / 2);
    }
    cairo_set_source_surface(cr, disp, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(coded);
    ret = cairo_surface_status(coded) == CAIRO_STATUS_SUCCESS ? to_planes(coded, &m, pic)
                                                              : AVE_ERR_INTERNAL;
    cairo_surface_destroy(coded);
    cairo_surface_destroy(disp);
    if (ret < 0)
        render_caption_pic_free(pic);
    return ret;
}

int64_t render_caption_pic_bytes(const render_caption_pic *pic)
{
    return (int64_t)pic->w * pic->h * 2 + (int64_t)(pic->w / 2) * (pic->h / 2) * 3;
}

static void blend(uint8_t *dst, int ls, const uint8_t *src, const uint8_t *alpha, int w, int h)
{
    for (int y = 0; y < h; y++) {
        uint8_t *d = dst + (ptrdiff_t)y * ls;
        const uint8_t *c = src + (size_t)y * w, *a = alpha + (size_t)y * w;
        for (int x = 0; x < w; x++)
            if (a[x])
                d[x] = (uint8_t)((c[x] * a[x] + d[x] * (255 - a[x]) + 127) / 255);
    }
}

void render_caption_pic_blend(const render_caption_pic *pic, AVFrame *f)
{
    if (!pic->w)
        return;
    blend(f->data[0] + (ptrdiff_t)pic->y * f->linesize[0] + pic->x, f->linesize[0], pic->py,
          pic->pa, pic->w, pic->h);
    for (int c = 1; c < 3; c++)
        blend(f->data[c] + (ptrdiff_t)(pic->y / 2) * f->linesize[c] + pic->x / 2, f->linesize[c],
              c == 1 ? pic->pu : pic->pv, pic->pac, pic->w / 2, pic->h / 2);
}

void render_caption_pic_free(render_caption_pic *pic)
{
    free(pic->py);
    free(pic->pa);
    free(pic->pu);
    free(pic->pv);
    free(pic->pac);
    memset(pic, 0, sizeof(*pic));
}
