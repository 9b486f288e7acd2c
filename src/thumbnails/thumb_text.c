/* Hook text: where the text goes, and drawing it so it reads at phone size
 * (the text itself is chosen by the stage; the file-name fallback is core/name_words.c).
 *
 * Placement compares four regions (left and right halves, top and bottom
 * bands): text over a face is the worst mistake, so overlap with any face
 * decides first; among clear regions the one far from faces and over a calm
 * part of the picture (low mean luma gradient) wins, since busy detail
 * behind letters hurts legibility more than plain colour. Drawing uses
 * DejaVu Sans Bold (fonts-dejavu-core) with a wide outline and a drop
 * shadow, at the largest size that fits the region in at most 3 lines. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "thumbnails/thumb.h"

#define MARGIN 40.0

static double overlap(const thumb_rect *a, const thumb_rect *b)
{
    double w = fmin(a->x + a->w, b->x + b->w) - fmax(a->x, b->x);
    double h = fmin(a->y + a->h, b->y + b->h) - fmax(a->y, b->y);
    return w > 0 && h > 0 ? w * h : 0;
}

/* Mean absolute luma gradient in r, 0..1 (sampled every 4th pixel). */
static double busyness(const thumb_image *img, const thumb_rect *r)
{
    double sum = 0, n = 0;
    int x0 = (int)r->x, y0 = (int)r->y, x1 = (int)(r->x + r->w), y1 = (int)(r->y + r->h);
    if (!img || !img->px)
        return 0;
    x1 = x1 > img->width - 1 ? img->width - 1 : x1;
    y1 = y1 > img->height - 1 ? img->height - 1 : y1;
    for (int y = y0 < 0 ? 0 : y0; y < y1; y += 4)
        for (int x = x0 < 0 ? 0 : x0; x < x1; x += 4) {
            const uint32_t *p = &img->px[(size_t)y * img->width + x];
            int l = (int)((p[0] >> 8) & 255), r1 = (int)((p[1] >> 8) & 255);
            int d = (int)((p[img->width] >> 8) & 255);
            sum += abs(l - r1) + abs(l - d);
            n++;
        }
    return n ? fmin(1.0, sum / n / 60.0) : 0;
}

int thumb_text_region(const thumb_image *img, const thumb_rect *faces, size_t face_count,
                      thumb_rect *out)
{
    double W = img->width, H = img->height;
    const thumb_rect regions[4] = {
        [THUMB_ALIGN_LEFT] = {MARGIN, MARGIN, 0.5 * W - 1.5 * MARGIN, H - 2 * MARGIN},
        [THUMB_ALIGN_RIGHT] = {0.5 * W + 0.5 * MARGIN, MARGIN, 0.5 * W - 1.5 * MARGIN, H - 2 * MARGIN},
        [THUMB_ALIGN_TOP] = {MARGIN, MARGIN, W - 2 * MARGIN, 0.34 * H},
        [THUMB_ALIGN_BOTTOM] = {MARGIN, 0.66 * H - MARGIN, W - 2 * MARGIN, 0.34 * H},
    };
    double best_ov = 0, best_score = 0;
    int best = -1;

    for (int r = 0; r < 4; r++) {
        const thumb_rect *g = &regions[r];
        double ov = 0, dist = 1, score;
        for (size_t f = 0; f < face_count; f++) {
            const thumb_rect *fc = &faces[f];
            /* the hair and chin belong to the face too */
            thumb_rect grown = {fc->x - 0.15 * fc->w, fc->y - 0.25 * fc->h, 1.3 * fc->w,
                                1.45 * fc->h};
            double dx = (g->x + g->w / 2 - (fc->x + fc->w / 2)) / W;
            double dy = (g->y + g->h / 2 - (fc->y + fc->h / 2)) / H;
            ov += overlap(g, &grown) / (grown.w * grown.h);
            dist = fmin(dist, sqrt(dx * dx + dy * dy));
        }
        /* bands hold more text per line, so they win ties with the sides */
        score = dist - 0.6 * busyness(img, g) + (r >= THUMB_ALIGN_TOP ? 0.05 : 0) +
                (r == THUMB_ALIGN_BOTTOM ? 0.02 : 0);
        if (best < 0 || ov < best_ov - 0.02 || (fabs(ov - best_ov) <= 0.02 && score > best_score)) {
            best = r;
            best_ov = ov;
            best_score = score;
        }
    }
    *out = regions[best];
    return best;
}

static void set_rgb(cairo_t *cr, uint32_t rgb, double alpha)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
                          (rgb & 255) / 255.0, alpha);
}

/* Lay out text at px size in width; returns its pixel extents. */
static void layout_at(PangoLayout *layout, double px, double width, PangoRectangle *ink,
                      PangoRectangle *logical)
{
    PangoFontDescription *fd = pango_font_description_from_string("DejaVu Sans Bold");
    pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
    pango_layout_get_pixel_extents(layout, ink, logical);
}

int thumb_text_draw(cairo_t *cr, const char *text, const thumb_rect *box, int align,
                    const struct thumb_style *style, int draw, thumb_rect *ink_out)
{
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoRectangle ink, logical;
    double px = 144, x, y, lw;

    if (!layout)
        return AVE_ERR_NOMEM;
    pango_layout_set_text(layout, text, -1);
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD);
    pango_layout_set_spacing(layout, 0);
    pango_layout_set_alignment(layout, align == THUMB_ALIGN_RIGHT  ? PANGO_ALIGN_RIGHT
                                       : align == THUMB_ALIGN_LEFT ? PANGO_ALIGN_LEFT
                                                                   : PANGO_ALIGN_CENTER);
    for (;; px -= 6) {
        layout_at(layout, px, box->w, &ink, &logical);
        if (px <= 40 || (pango_layout_get_line_count(layout) <= 3 && logical.height <= box->h &&
                         ink.x >= 0 && ink.x + ink.width <= box->w))
            break;
    }
    if (pango_layout_get_line_count(layout) > 3 || logical.height > box->h) {
        /* a very long text: keep 3 lines and end with an ellipsis */
        pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
        pango_layout_set_height(layout, -3);
        layout_at(layout, px, box->w, &ink, &logical);
    }
    x = box->x;
    y = align == THUMB_ALIGN_TOP      ? box->y
        : align == THUMB_ALIGN_BOTTOM ? box->y + box->h - logical.height
                                      : box->y + (box->h - logical.height) / 2;
    lw = fmax(4.0, px * 0.14);
    if (!draw)
        goto done;

    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    /* shadow: the outlined shape, offset down-right, translucent */
    cairo_move_to(cr, x + px * 0.06, y + px * 0.08);
    pango_cairo_layout_path(cr, layout);
    cairo_set_line_width(cr, lw);
    cairo_set_source_rgba(cr, 0, 0, 0, 0.55);
    cairo_stroke_preserve(cr);
    cairo_fill(cr);
    /* outline, then the fill on top */
    cairo_move_to(cr, x, y);
    pango_cairo_layout_path(cr, layout);
    cairo_set_line_width(cr, lw);
    set_rgb(cr, style->outline_rgb, 1);
    cairo_stroke_preserve(cr);
    set_rgb(cr, style->text_rgb, 1);
    cairo_fill(cr);
    cairo_restore(cr);
done:
    if (ink_out)
        *ink_out = (thumb_rect){x + ink.x - lw / 2, y + ink.y - lw / 2, ink.width + lw,
                                ink.height + lw};
    g_object_unref(layout);
    return 0;
}
