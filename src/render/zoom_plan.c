/* Punch-in zoom planning: see zoom_plan.h for the rules. Everything here is
 * fractions of the frame and source microseconds; nothing allocates. */
#include <math.h>
#include <stdlib.h>

#include "ave/error.h"
#include "render/zoom_plan.h"

void ave_zoom_params_default(ave_zoom_params *p)
{
    p->scale = 1.15;
    p->motion_per_s = 0;
    p->motion_max = 0;
    /* Under 4 % the change reads as a wobble of the camera, not as a new
     * framing, so a span whose face only allows that stays full frame. */
    p->min_scale = 1.04;
    /* The frames stage's Haar boxes run from the eyebrows to just under the
     * mouth: hair and forehead take about another half box above, the chin
     * a quarter below, ears a quarter at each side. */
    p->margin_side = 0.25;
    p->margin_top = 0.5;
    p->margin_bottom = 0.3;
    /* Faces are sampled 2-5 times a second (0.2-0.5 s apart): the samples up
     * to one interval outside a span bound the face at the span's edges
     * (where its position is interpolated between them). */
    p->hold_us = 600000;
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static ave_zoom_box box_union(ave_zoom_box a, ave_zoom_box b)
{
    double x0 = fmin(a.x, b.x), y0 = fmin(a.y, b.y);
    double x1 = fmax(a.x + a.w, b.x + b.w), y1 = fmax(a.y + a.h, b.y + b.h);
    return (ave_zoom_box){x0, y0, x1 - x0, y1 - y0};
}

ave_zoom_box ave_zoom_box_to_coded(ave_zoom_box d, int rotation_deg)
{
    /* Display = coded turned clockwise, so the coded point under display
     * (u, v) is (v, 1 - u) at 90, (1 - u, 1 - v) at 180, (1 - v, u) at 270
     * (the same turn src/render/overlay.c gives the B-roll cards). */
    switch (((rotation_deg % 360) + 360) % 360) {
    case 90:
        return (ave_zoom_box){d.y, 1 - (d.x + d.w), d.h, d.w};
    case 180:
        return (ave_zoom_box){1 - (d.x + d.w), 1 - (d.y + d.h), d.w, d.h};
    case 270:
        return (ave_zoom_box){1 - (d.y + d.h), d.x, d.h, d.w};
    default:
        return d;
    }
}

int ave_zoom_speakers(const ave_zoom_box *faces, size_t n, ave_zoom_box *out)
{
    double big;

    if (!n)
        return -1;
    *out = faces[0];
    big = faces[0].w * faces[0].h;
    for (size_t i = 1; i < n; i++)
        if (faces[i].w * faces[i].h >= 0.5 * big)
            *out = box_union(*out, faces[i]);
    return 0;
}

/* One axis: start of a crop of size s centred on c, holding [k0, k1] when
 * keep is given, inside [0, 1]. s >= k1 - k0 and 0 <= k0 <= k1 <= 1, so the
 * two ranges always meet. */
static double place_axis(double s, double c, int keep, double k0, double k1)
{
    double a = c - s / 2;
    if (keep)
        a = clampd(a, k1 - s, k0);
    return clampd(a, 0, 1 - s);
}

double ave_zoom_place(double scale, double cx, double cy, const ave_zoom_box *keep,
                      ave_zoom_box *crop)
{
    double s = 1 / (scale > 1 ? scale : 1);

    if (keep && (keep->w > s || keep->h > s)) {
        s = fmin(1, fmax(keep->w, keep->h));
        scale = 1 / s;
    }
    crop->w = crop->h = s;
    crop->x = place_axis(s, cx, keep != NULL, keep ? keep->x : 0, keep ? keep->x + keep->w : 0);
    crop->y = place_axis(s, cy, keep != NULL, keep ? keep->y : 0, keep ? keep->y + keep->h : 0);
    return scale > 1 ? scale : 1;
}

/* The span's face box: the union of the samples with a face in
 * [a - hold, b + hold]. Returns 1 when there is one. Samples are sorted, so
 * a binary search finds the first. */
static int span_faces(const ave_zoom_face_sample *f, size_t nf, int64_t a, int64_t b, int64_t hold,
                      ave_zoom_box *out)
{
    size_t lo = 0, hi = nf;
    int found = 0;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f[mid].t_us < a - hold)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < nf && f[i].t_us <= b + hold; i++) {
        if (!f[i].has_face)
            continue;
        *out = found ? box_union(*out, f[i].box) : f[i].box;
        found = 1;
    }
    return found;
}

static ave_zoom_box with_margin(ave_zoom_box f, const ave_zoom_params *p)
{
    double x0 = clampd(f.x - p->margin_side * f.w, 0, 1);
    double x1 = clampd(f.x + f.w + p->margin_side * f.w, 0, 1);
    double y0 = clampd(f.y - p->margin_top * f.h, 0, 1);
    double y1 = clampd(f.y + f.h + p->margin_bottom * f.h, 0, 1);
    return (ave_zoom_box){x0, y0, x1 - x0, y1 - y0};
}

static void plan_punch(ave_zoom_span *s, const ave_zoom_face_sample *faces, size_t nf,
                       const ave_zoom_params *p)
{
    double grow = p->motion_per_s * (double)(s->end_us - s->start_us) / 1e6;
    double target1 = p->scale * (1 + fmin(grow, p->motion_max));
    ave_zoom_box face;

    s->framing = AVE_ZOOM_PUNCH;
    if (!span_faces(faces, nf, s->start_us, s->end_us, p->hold_us, &face)) {
        s->anchor = AVE_ZOOM_ANCHOR_POINT;
        s->scale0 = ave_zoom_place(p->scale, 0.5, 0.5, NULL, &s->crop0);
        s->scale1 = ave_zoom_place(target1, 0.5, 0.5, NULL, &s->crop1);
        return;
    }
    s->anchor = AVE_ZOOM_ANCHOR_FACE;
    s->face = face;
    s->keep = with_margin(face, p);
    {
        double cx = s->keep.x + s->keep.w / 2, cy = s->keep.y + s->keep.h / 2;
        s->scale0 = ave_zoom_place(p->scale, cx, cy, &s->keep, &s->crop0);
        s->scale1 = ave_zoom_place(fmax(target1, s->scale0), cx, cy, &s->keep, &s->crop1);
    }
    s->limited = s->scale0 < p->scale - 1e-9;
    if (s->scale0 < p->min_scale) { /* the face fills the frame: leave it */
        s->framing = AVE_ZOOM_FULL;
        s->scale0 = s->scale1 = 1;
        s->crop0 = s->crop1 = (ave_zoom_box){0, 0, 1, 1};
    }
}

int ave_zoom_plan(const int64_t (*spans)[2], size_t n, const ave_zoom_face_sample *faces, size_t nf,
                  const ave_zoom_params *p, ave_zoom_span *out)
{
    if (!p || !(p->scale >= 1) || !(p->motion_per_s >= 0) || !(p->motion_max >= 0) ||
        (n && (!spans || !out)) || (nf && !faces))
        return AVE_ERR_USAGE;
    for (size_t k = 0; k < n; k++) {
        ave_zoom_span *s = &out[k];
        *s = (ave_zoom_span){.start_us = spans[k][0],
                             .end_us = spans[k][1],
                             .framing = AVE_ZOOM_FULL,
                             .anchor = AVE_ZOOM_ANCHOR_NONE,
                             .scale0 = 1,
                             .scale1 = 1,
                             .crop0 = {0, 0, 1, 1},
                             .crop1 = {0, 0, 1, 1}};
        /* Odd spans punch in: the video opens on the full frame, and every
         * jump cut changes the framing. */
        if ((k & 1) && p->scale > 1)
            plan_punch(s, faces, nf, p);
    }
    return 0;
}

void ave_zoom_span_recentre(ave_zoom_span *s, double cx, double cy)
{
    if (s->framing != AVE_ZOOM_PUNCH || s->anchor != AVE_ZOOM_ANCHOR_POINT)
        return;
    ave_zoom_place(s->scale0, cx, cy, NULL, &s->crop0);
    ave_zoom_place(s->scale1, cx, cy, NULL, &s->crop1);
}

int ave_zoom_crop_at(const ave_zoom_span *s, int64_t t_us, ave_zoom_box *crop)
{
    double u = 0;

    if (s->framing != AVE_ZOOM_PUNCH) {
        *crop = (ave_zoom_box){0, 0, 1, 1};
        return 0;
    }
    if (s->end_us > s->start_us)
        u = clampd((double)(t_us - s->start_us) / (double)(s->end_us - s->start_us), 0, 1);
    /* Both ends hold the keep box, so every blend of them does too. */
    crop->x = s->crop0.x + u * (s->crop1.x - s->crop0.x);
    crop->y = s->crop0.y + u * (s->crop1.y - s->crop0.y);
    crop->w = s->crop0.w + u * (s->crop1.w - s->crop0.w);
    crop->h = s->crop0.h + u * (s->crop1.h - s->crop0.h);
    return 1;
}

/* Saliency: edges are where the detail is (a face the detector missed,
 * text, an object held up), so the gradient's centroid says where the
 * picture's subject is; pulling it halfway to the centre keeps one busy
 * corner from dragging the framing off the subject. The grid (about
 * 160 x 90 points at 16:9, whatever the resolution) costs one pass over
 * ~14 400 samples per punched span. */
#define SALIENCY_COLUMNS 160

void ave_zoom_saliency(const uint8_t *luma, ptrdiff_t stride, int w, int h, double *cx, double *cy)
{
    int step = w / SALIENCY_COLUMNS > 1 ? w / SALIENCY_COLUMNS : 1;
    double sw = 0, sx = 0, sy = 0;

    for (int y = 0; y + step < h; y += step) {
        const uint8_t *row = luma + (ptrdiff_t)y * stride, *below = row + (ptrdiff_t)step * stride;
        for (int x = 0; x + step < w; x += step) {
            double g = abs(row[x + step] - row[x]) + abs(below[x] - row[x]);
            sw += g, sx += g * (x + 0.5 * step), sy += g * (y + 0.5 * step);
        }
    }
    *cx = *cy = 0.5;
    if (sw <= 0)
        return;
    *cx = 0.5 + 0.5 * (sx / sw / w - 0.5);
    *cy = 0.5 + 0.5 * (sy / sw / h - 0.5);
}
