/* B-roll card rendering with cairo + pango: one consistent style (deep navy
 * panel, white DejaVu Sans text, amber accent) laid out relative to the
 * card panel, so a picture-in-picture card is the full card scaled down with
 * a floor on text sizes. Every text is fitted into its box (broll_text.c).
 *
 * Kinds: title (chapter starts: "CHAPTER n" + title, centred), list
 * (numbered rows), comparison (two columns with "vs"), definition (term +
 * quoted definition) and stat (broll_chart.c). The picture is the video's
 * display size with alpha: opaque for FULL cards, transparent around a PIP
 * card. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ave/error.h"
#include "broll/broll_draw.h"

/* Never below this many pixels, whatever the card's scale. */
#define MIN_PX 13.0

static double px(const broll_draw *d, double at720, double floor_px)
{
    double v = at720 * d->s;
    return v < floor_px ? floor_px : v;
}

static void draw_panel(broll_draw *d, int placement)
{
    cairo_t *cr = d->cr;
    cairo_pattern_t *pat;
    double r = placement == AVE_OVERLAY_PIP ? 18 * d->s + 4 : 0;

    if (placement == AVE_OVERLAY_PIP) { /* soft shadow under the card */
        for (int i = 3; i >= 1; i--) {
            broll_round_rect(cr, d->x - i * 2 + 3, d->y - i * 2 + 6, d->w + i * 4, d->h + i * 4,
                             r + i * 2);
            cairo_set_source_rgba(cr, 0, 0, 0, 0.12);
            cairo_fill(cr);
        }
    }
    pat = cairo_pattern_create_linear(0, d->y, 0, d->y + d->h);
    cairo_pattern_add_color_stop_rgb(pat, 0, broll_bg_top.r, broll_bg_top.g, broll_bg_top.b);
    cairo_pattern_add_color_stop_rgb(pat, 1, broll_bg_bottom.r, broll_bg_bottom.g,
                                     broll_bg_bottom.b);
    broll_round_rect(cr, d->x, d->y, d->w, d->h, r);
    cairo_set_source(cr, pat);
    cairo_fill(cr);
    cairo_pattern_destroy(pat);
    /* a thin accent line along the left edge ties the cards together */
    broll_set_rgb(cr, broll_accent, 1);
    cairo_save(cr);
    broll_round_rect(cr, d->x, d->y, d->w, d->h, r);
    cairo_clip(cr);
    cairo_rectangle(cr, d->x, d->y, px(d, 10, 4), d->h);
    cairo_fill(cr);
    cairo_restore(cr);
}

static broll_text_style style(const char *font, double size, double min_size, int lines,
                              broll_rgb colour)
{
    broll_text_style st = {font, size, min_size, lines, PANGO_ALIGN_LEFT, 0, colour, 0};
    return st;
}

/* Tag and heading at the top; returns where the body starts. */
static double draw_header(broll_draw *d, const broll_card *card, double pad)
{
    double x = d->x + pad, w = d->w - 2 * pad, y = d->y + pad;
    broll_text_style tag = style("DejaVu Sans Bold", px(d, 24, MIN_PX - 1), MIN_PX - 1, 1,
                                 broll_accent);
    broll_text_style head = style("DejaVu Sans Bold", px(d, 54, 18), px(d, 30, MIN_PX + 2), 2,
                                  broll_text_main);
    tag.spacing = px(d, 3, 1);
    if (card->tag[0])
        y += broll_text_draw(d, card->tag, &tag, x, y, w, px(d, 40, 18)) + px(d, 10, 4);
    if (card->heading[0])
        y += broll_text_draw(d, card->heading, &head, x, y, w, px(d, 150, 44));
    return y + px(d, 30, 8);
}

static void draw_title(broll_draw *d, const broll_card *card)
{
    broll_text_style tag = style("DejaVu Sans Bold", px(d, 28, MIN_PX), MIN_PX, 1, broll_accent);
    broll_text_style head = style("DejaVu Sans Bold", px(d, 76, 20), px(d, 36, MIN_PX + 3), 3,
                                  broll_text_main);
    double pad = 0.12 * d->w, w = d->w - 2 * pad, tag_h = px(d, 44, 18), gap = px(d, 22, 8);
    double head_h, fit, block, y;
    PangoLayout *l;
    PangoRectangle lr;

    tag.align = head.align = PANGO_ALIGN_CENTER;
    tag.spacing = px(d, 5, 1);
    /* measure the title to centre the whole block */
    fit = broll_text_fit(d->cr, card->heading, &head, w, 0.5 * d->h);
    l = pango_cairo_create_layout(d->cr);
    {
        PangoFontDescription *fd = pango_font_description_from_string(head.font);
        pango_font_description_set_absolute_size(fd, (fit > 0 ? fit : head.min_size) * PANGO_SCALE);
        pango_layout_set_font_description(l, fd);
        pango_font_description_free(fd);
    }
    pango_layout_set_width(l, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(l, card->heading, -1);
    pango_layout_get_pixel_extents(l, NULL, &lr);
    g_object_unref(l);
    head_h = fmin(lr.height, 0.5 * d->h);
    block = tag_h + gap + head_h + 1.6 * gap + px(d, 8, 3);
    y = d->y + (d->h - block) / 2;
    broll_text_draw(d, card->tag, &tag, d->x + pad, y, w, tag_h);
    y += tag_h + gap;
    broll_text_draw(d, card->heading, &head, d->x + pad, y, w, head_h + 1);
    y += head_h + 1.6 * gap;
    broll_set_rgb(d->cr, broll_accent, 1);
    cairo_rectangle(d->cr, d->x + d->w / 2 - px(d, 70, 24), y, px(d, 140, 48), px(d, 8, 3));
    cairo_fill(d->cr);
}

static void draw_list(broll_draw *d, const broll_card *card, double pad)
{
    double top = draw_header(d, card, pad), bottom = d->y + d->h - pad;
    int n = card->item_count > AVE_CONCEPT_MAX_ITEMS ? AVE_CONCEPT_MAX_ITEMS : card->item_count;
    double row = n > 0 ? fmin((bottom - top) / n, px(d, 110, 30)) : 0;
    double disc = fmin(row * 0.72, px(d, 56, 20));
    double tx = d->x + pad + disc + px(d, 24, 8), tw = d->x + d->w - pad - tx;
    broll_text_style item = style("DejaVu Sans", px(d, 42, MIN_PX), MIN_PX, 2, broll_text_main);
    broll_text_style num = style("DejaVu Sans Bold", disc * 0.5, MIN_PX - 3, 1, broll_bg_top);
    double size = item.size;

    /* one size for every row: the largest at which all of them fit */
    for (int i = 0; i < n; i++) {
        double f = broll_text_fit(d->cr, card->items[i], &item, tw, row * 0.92);
        size = fmin(size, f > 0 ? f : item.min_size);
    }
    item.size = item.min_size = size;
    item.middle = num.middle = 1;
    top += (bottom - top - n * row) / 3; /* a short list sits a little lower, not glued on */
    num.align = PANGO_ALIGN_CENTER;
    for (int i = 0; i < n; i++) {
        double y = top + i * row, cy = y + row / 2;
        char label[8];
        broll_set_rgb(d->cr, i == 0 ? broll_accent : broll_accent2, 1);
        cairo_new_path(d->cr);
        cairo_arc(d->cr, d->x + pad + disc / 2, cy, disc / 2, 0, 2 * M_PI);
        cairo_fill(d->cr);
        snprintf(label, sizeof(label), "%d", i + 1);
        broll_text_draw(d, label, &num, d->x + pad, cy - disc / 2, disc, disc);
        broll_text_draw(d, card->items[i], &item, tx, y + row * 0.04, tw, row * 0.92);
    }
}

static void draw_compare(broll_draw *d, const broll_card *card, double pad)
{
    double top = draw_header(d, card, pad), bottom = d->y + d->h - pad;
    double vs = fmin(px(d, 84, 30), d->w * 0.1), gap = vs + px(d, 24, 8);
    double colw = (d->w - 2 * pad - gap) / 2, h = bottom - top;
    /* On a portrait frame the columns are narrow: full-height panels would
     * be tall empty boxes, so they stay near square and sit mid-card. */
    if (h > colw * 1.25) {
        top += (h - colw * 1.25) / 2;
        h = colw * 1.25;
    }
    broll_text_style item = style("DejaVu Sans Bold", px(d, 46, MIN_PX + 2), MIN_PX, 3,
                                  broll_text_main);
    broll_text_style vst = style("DejaVu Sans Bold", vs * 0.36, MIN_PX - 3, 1, broll_bg_top);
    double size = item.size, inner = px(d, 24, 8);

    if (h < 2 * inner)
        return;
    for (int i = 0; i < 2; i++) {
        double f = broll_text_fit(d->cr, card->items[i], &item, colw - 2 * inner, h - 2 * inner);
        size = fmin(size, f > 0 ? f : item.min_size);
    }
    item.size = item.min_size = size;
    item.align = vst.align = PANGO_ALIGN_CENTER;
    item.middle = vst.middle = 1;
    for (int i = 0; i < 2; i++) {
        double x = d->x + pad + i * (colw + gap);
        broll_set_rgb(d->cr, broll_panel, 1);
        broll_round_rect(d->cr, x, top, colw, h, px(d, 16, 6));
        cairo_fill(d->cr);
        broll_set_rgb(d->cr, i == 0 ? broll_accent : broll_accent2, 1);
        cairo_rectangle(d->cr, x + px(d, 16, 6), top, colw - 2 * px(d, 16, 6), px(d, 8, 3));
        cairo_fill(d->cr);
        broll_text_draw(d, card->items[i], &item, x + inner, top + inner, colw - 2 * inner,
                        h - 2 * inner);
    }
    broll_set_rgb(d->cr, broll_text_main, 1);
    cairo_new_path(d->cr);
    cairo_arc(d->cr, d->x + d->w / 2, top + h / 2, vs / 2, 0, 2 * M_PI);
    cairo_fill(d->cr);
    broll_text_draw(d, "vs", &vst, d->x + d->w / 2 - vs / 2, top + h / 2 - vs / 2, vs, vs);
}

static void draw_definition(broll_draw *d, const broll_card *card, double pad)
{
    broll_card term = *card;
    double top, bar = px(d, 8, 3), x, bottom = d->y + d->h - pad;
    broll_text_style body = style("DejaVu Serif", px(d, 46, MIN_PX + 1), MIN_PX, 5,
                                  broll_text_main);
    double used;

    term.heading[0] = '\0'; /* the term is drawn in the accent colour instead */
    top = draw_header(d, &term, pad);
    {
        broll_text_style head = style("DejaVu Sans Bold", px(d, 66, 20), px(d, 32, MIN_PX + 3), 2,
                                      broll_accent);
        top += broll_text_draw(d, card->heading, &head, d->x + pad, top - px(d, 20, 6),
                               d->w - 2 * pad, px(d, 170, 50)) + px(d, 10, 4);
    }
    if (!card->body[0] || bottom - top < body.min_size * 1.5)
        return;
    x = d->x + pad + bar + px(d, 24, 8);
    used = broll_text_draw(d, card->body, &body, x, top, d->x + d->w - pad - x, bottom - top);
    broll_set_rgb(d->cr, broll_accent2, 1);
    cairo_rectangle(d->cr, d->x + pad, top, bar, used);
    cairo_fill(d->cr);
}

int broll_card_render(const broll_card *card, int width, int height, int placement, int corner,
                      const char *png_path, broll_card_layout *layout)
{
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    broll_card_layout local;
    broll_draw d;
    double pad;
    int ret = 0;

    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return AVE_ERR_NOMEM;
    }
    memset(&local, 0, sizeof(local));
    memset(&d, 0, sizeof(d));
    d.cr = cairo_create(surf);
    d.lay = layout ? layout : &local;
    memset(d.lay, 0, sizeof(*d.lay));
    if (placement == AVE_OVERLAY_PIP)
        broll_pip_rect(width, height, corner, &d.x, &d.y, &d.w, &d.h);
    else
        d.w = width, d.h = height;
    d.s = fmin(d.h / 720.0, d.w / 1280.0 * 1.15);
    d.lay->card = (broll_box){d.x, d.y, d.w, d.h};
    draw_panel(&d, placement);
    pad = fmax(0.075 * d.h, 10);
    if (placement == AVE_OVERLAY_FULL)
        pad = fmax(pad, 0.05 * d.w);
    switch (card->kind) {
    case BROLL_TITLE: draw_title(&d, card); break;
    case BROLL_STAT: { /* the heading goes beside the chart, not above it */
        broll_card tag_only = *card;
        tag_only.heading[0] = '\0';
        broll_draw_stat(&d, card, draw_header(&d, &tag_only, pad));
        break;
    }
    case BROLL_LIST: draw_list(&d, card, pad); break;
    case BROLL_COMPARE: draw_compare(&d, card, pad); break;
    default: draw_definition(&d, card, pad); break;
    }
    cairo_destroy(d.cr);
    cairo_surface_flush(surf);
    if (cairo_surface_write_to_png(surf, png_path) != CAIRO_STATUS_SUCCESS)
        ret = AVE_ERR_IO;
    cairo_surface_destroy(surf);
    return ret;
}
