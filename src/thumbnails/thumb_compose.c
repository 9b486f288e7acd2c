/* Composition: one grabbed frame becomes a finished 1280x720 thumbnail.
 *
 * The frame is scaled to cover 16:9; the crop window is placed so faces stay
 * in view (the eyes about 40% down), and strategies with a face zoom crop
 * tighter (at most 2x upscaling) with the face on the right third, leaving
 * the left for text. Then a colour grade, an optional vignette, a band or
 * gradient behind the text for contrast, and the text itself in the region
 * thumb_text_region picks. Strategies differ visibly on purpose: a user
 * chooses between looks, not between near-identical files. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "thumbnails/thumb.h"

static const thumb_style educational_styles[] = {
    {.name = "educational", .band = 1, .band_rgb = 0x1565C0, .text_rgb = 0xFFFFFF,
     .outline_rgb = 0x0B2545, .saturation = 1.05, .contrast = 1.05},
    {.name = "authority", .face_zoom = 0.42, .band_rgb = 0x000000, .text_rgb = 0xFFFFFF,
     .outline_rgb = 0x000000, .saturation = 0.9, .contrast = 1.15, .vignette = 1, .uppercase = 1},
    {.name = "curiosity", .face_zoom = 0.32, .band_rgb = 0x000000, .text_rgb = 0xFFE000,
     .outline_rgb = 0x000000, .saturation = 1.25, .contrast = 1.1, .vignette = 1, .uppercase = 1},
};

static const thumb_style music_styles[] = {
    {.name = "emotional", .face_zoom = 0.36, .band_rgb = 0x2A0A1E, .text_rgb = 0xFFFFFF,
     .outline_rgb = 0x5A1030, .saturation = 1.1, .contrast = 1.05, .warmth = 0.06, .vignette = 1},
    {.name = "performance", .band = 1, .band_rgb = 0xD81B60, .text_rgb = 0xFFFFFF,
     .outline_rgb = 0x3A0020, .saturation = 1.3, .contrast = 1.2, .uppercase = 1},
};

static const thumb_style general_styles[] = {
    {.name = "curiosity", .face_zoom = 0.32, .band_rgb = 0x000000, .text_rgb = 0xFFE000,
     .outline_rgb = 0x000000, .saturation = 1.25, .contrast = 1.1, .vignette = 1, .uppercase = 1},
    {.name = "emotional", .face_zoom = 0.36, .band_rgb = 0x2A0A1E, .text_rgb = 0xFFFFFF,
     .outline_rgb = 0x5A1030, .saturation = 1.1, .contrast = 1.05, .warmth = 0.06, .vignette = 1},
    {.name = "authority", .face_zoom = 0.42, .band_rgb = 0x000000, .text_rgb = 0xFFFFFF,
     .outline_rgb = 0x000000, .saturation = 0.9, .contrast = 1.15, .vignette = 1, .uppercase = 1},
};

const thumb_style *thumb_styles_for(int content_type, size_t *count)
{
    switch (content_type) {
    case AVE_TYPE_EDUCATIONAL:
        *count = sizeof(educational_styles) / sizeof(educational_styles[0]);
        return educational_styles;
    case AVE_TYPE_MUSIC:
        *count = sizeof(music_styles) / sizeof(music_styles[0]);
        return music_styles;
    default:
        *count = sizeof(general_styles) / sizeof(general_styles[0]);
        return general_styles;
    }
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The crop window (source pixels) for the frame. */
static void crop_window(const thumb_image *f, const ave_face *faces, int nf, double zoom,
                        thumb_rect *c)
{
    double W = f->width, H = f->height, ch = fmin(H, W * 9 / 16), cw;
    double ux0 = W, uy0 = H, ux1 = 0, uy1 = 0, cx = W / 2, cy = H / 2;

    for (int i = 0; i < nf; i++) {
        ux0 = fmin(ux0, faces[i].x * W);
        uy0 = fmin(uy0, faces[i].y * H);
        ux1 = fmax(ux1, (faces[i].x + faces[i].w) * W);
        uy1 = fmax(uy1, (faces[i].y + faces[i].h) * H);
    }
    if (nf > 0 && zoom > 0) /* tighter, never upscaled more than 2.5x */
        ch = clampd(faces[0].h * H / zoom, fmin(ch, THUMB_H / 2.5), ch);
    cw = ch * 16 / 9;
    if (nf > 0) {
        double fx = (faces[0].x + faces[0].w / 2) * W;
        double ey = (faces[0].y + 0.4 * faces[0].h) * H;
        /* zoomed: the main face on the right third, text space on the left */
        cx = zoom > 0 ? fx - (0.68 - 0.5) * cw : (ux0 + ux1) / 2;
        cy = ey + (0.5 - 0.4) * ch;
        /* keep every face inside when the window allows it */
        if (ux1 - ux0 <= cw)
            cx = clampd(cx, ux1 - cw / 2, ux0 + cw / 2);
        if (uy1 - uy0 <= ch)
            cy = clampd(cy, uy1 - ch / 2, uy0 + ch / 2);
    }
    c->w = cw;
    c->h = ch;
    c->x = clampd(cx - cw / 2, 0, W - cw);
    c->y = clampd(cy - ch / 2, 0, H - ch);
}

/* Contrast around mid grey, saturation around luma, warmth red-up/blue-down. */
static void grade(thumb_image *img, const thumb_style *st)
{
    size_t n = (size_t)img->width * img->height;
    for (size_t i = 0; i < n; i++) {
        uint32_t p = img->px[i];
        double r = ((p >> 16) & 255) / 255.0, g = ((p >> 8) & 255) / 255.0, b = (p & 255) / 255.0;
        double l = 0.299 * r + 0.587 * g + 0.114 * b;
        r = l + (r - l) * st->saturation;
        g = l + (g - l) * st->saturation;
        b = l + (b - l) * st->saturation;
        r = (r - 0.5) * st->contrast + 0.5 + st->warmth;
        g = (g - 0.5) * st->contrast + 0.5;
        b = (b - 0.5) * st->contrast + 0.5 - st->warmth;
        img->px[i] = (uint32_t)lround(clampd(r, 0, 1) * 255) << 16 |
                     (uint32_t)lround(clampd(g, 0, 1) * 255) << 8 |
                     (uint32_t)lround(clampd(b, 0, 1) * 255);
    }
}

static void rgb_source(cairo_t *cr, uint32_t rgb, double a)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
                          (rgb & 255) / 255.0, a);
}

/* A solid band around the text (ink), or a soft gradient from the edge
 * behind the text region (box). */
static void backdrop(cairo_t *cr, const thumb_style *st, int align, const thumb_rect *box,
                     const thumb_rect *ink)
{
    cairo_pattern_t *pat = NULL;
    double pad = 28;

    if (st->band && (align == THUMB_ALIGN_TOP || align == THUMB_ALIGN_BOTTOM)) {
        double y0 = fmax(0, ink->y - pad), y1 = fmin(THUMB_H, ink->y + ink->h + pad);
        /* the band runs to the picture edge it sits on */
        if (align == THUMB_ALIGN_TOP)
            y0 = 0;
        else
            y1 = THUMB_H;
        rgb_source(cr, st->band_rgb, 0.88);
        cairo_rectangle(cr, 0, y0, THUMB_W, y1 - y0);
        cairo_fill(cr);
        return;
    }
    switch (align) {
    case THUMB_ALIGN_LEFT:
        pat = cairo_pattern_create_linear(0, 0, box->x + box->w + 2 * pad, 0);
        break;
    case THUMB_ALIGN_RIGHT:
        pat = cairo_pattern_create_linear(THUMB_W, 0, box->x - 2 * pad, 0);
        break;
    case THUMB_ALIGN_TOP:
        pat = cairo_pattern_create_linear(0, 0, 0, box->y + box->h + 2 * pad);
        break;
    default:
        pat = cairo_pattern_create_linear(0, THUMB_H, 0, box->y - 2 * pad);
        break;
    }
    cairo_pattern_add_color_stop_rgba(pat, 0, ((st->band_rgb >> 16) & 255) / 255.0,
                                      ((st->band_rgb >> 8) & 255) / 255.0,
                                      (st->band_rgb & 255) / 255.0, st->band ? 0.9 : 0.6);
    cairo_pattern_add_color_stop_rgba(pat, 1, ((st->band_rgb >> 16) & 255) / 255.0,
                                      ((st->band_rgb >> 8) & 255) / 255.0,
                                      (st->band_rgb & 255) / 255.0, 0);
    cairo_set_source(cr, pat);
    cairo_paint(cr);
    cairo_pattern_destroy(pat);
}

static void vignette(cairo_t *cr)
{
    cairo_pattern_t *pat = cairo_pattern_create_radial(THUMB_W / 2.0, THUMB_H / 2.0, THUMB_H * 0.45,
                                                       THUMB_W / 2.0, THUMB_H / 2.0, THUMB_W * 0.62);
    cairo_pattern_add_color_stop_rgba(pat, 0, 0, 0, 0, 0);
    cairo_pattern_add_color_stop_rgba(pat, 1, 0, 0, 0, 0.55);
    cairo_set_source(cr, pat);
    cairo_paint(cr);
    cairo_pattern_destroy(pat);
}

int thumb_compose(const thumb_image *frame, const ave_face *faces, int face_count,
                  const thumb_style *style, const char *text, thumb_image *out,
                  thumb_rect *text_box)
{
    cairo_surface_t *src = NULL, *dst = NULL;
    cairo_t *cr = NULL;
    thumb_rect crop, box, ink, fr[AVE_FRAME_MAX_FACES];
    thumb_image view;
    char *upper = NULL;
    double s;
    int ret = AVE_ERR_NOMEM, align, nf = face_count < AVE_FRAME_MAX_FACES ? face_count : AVE_FRAME_MAX_FACES;

    memset(out, 0, sizeof(*out));
    if (!(out->px = calloc((size_t)THUMB_W * THUMB_H, sizeof(*out->px))))
        goto out;
    out->width = THUMB_W;
    out->height = THUMB_H;
    crop_window(frame, faces, nf, style->face_zoom, &crop);
    s = THUMB_W / crop.w;
    src = cairo_image_surface_create_for_data((unsigned char *)frame->px, CAIRO_FORMAT_RGB24,
                                              frame->width, frame->height, frame->width * 4);
    dst = cairo_image_surface_create_for_data((unsigned char *)out->px, CAIRO_FORMAT_RGB24,
                                              THUMB_W, THUMB_H, THUMB_W * 4);
    ret = AVE_ERR_INTERNAL;
    if (cairo_surface_status(src) || cairo_surface_status(dst))
        goto out;
    cr = cairo_create(dst);
    cairo_save(cr);
    cairo_scale(cr, s, s);
    cairo_set_source_surface(cr, src, -crop.x, -crop.y);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_flush(dst);
    grade(out, style);
    cairo_surface_mark_dirty(dst);
    if (style->vignette)
        vignette(cr);

    for (int i = 0; i < nf; i++)
        fr[i] = (thumb_rect){(faces[i].x * frame->width - crop.x) * s,
                             (faces[i].y * frame->height - crop.y) * s,
                             faces[i].w * frame->width * s, faces[i].h * frame->height * s};
    cairo_surface_flush(dst);
    view = *out;
    align = thumb_text_region(&view, fr, (size_t)nf, &box);
    ret = AVE_ERR_NOMEM;
    memset(text_box, 0, sizeof(*text_box));
    /* No text (nothing reliable to say): the picture alone, no band. */
    if (text && *text) {
        if (style->uppercase && !(text = upper = g_utf8_strup(text, -1)))
            goto out;
        if ((ret = thumb_text_draw(cr, text, &box, align, style, 0, &ink)) < 0)
            goto out;
        backdrop(cr, style, align, &box, &ink);
        if ((ret = thumb_text_draw(cr, text, &box, align, style, 1, text_box)) < 0)
            goto out;
    }
    cairo_surface_flush(dst);
    ret = cairo_status(cr) ? AVE_ERR_INTERNAL : 0;
out:
    g_free(upper);
    if (cr)
        cairo_destroy(cr);
    if (src)
        cairo_surface_destroy(src);
    if (dst)
        cairo_surface_destroy(dst);
    if (ret < 0)
        thumb_image_free(out);
    return ret;
}

const thumb_style *thumb_style_find(const char *name)
{
    const int types[] = {AVE_TYPE_EDUCATIONAL, AVE_TYPE_MUSIC, AVE_TYPE_GENERAL};
    for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
        size_t n;
        const thumb_style *st = thumb_styles_for(types[t], &n);
        for (size_t i = 0; i < n; i++)
            if (!strcmp(st[i].name, name))
                return &st[i];
    }
    return NULL;
}
