/* Fitted text for B-roll cards: Pango layouts wrapped to a box, shrunk step
 * by step until they fit in the allowed lines and height, and ellipsized at
 * the minimum size as a last resort, so no text ever leaves its card. Sizes
 * are absolute pixels (the card's scale is applied by the caller), fonts are
 * DejaVu (fonts-dejavu-core). Also the shared palette. */
#include <math.h>
#include <string.h>

#include "broll/broll_draw.h"

const broll_rgb broll_bg_top = {0.067, 0.106, 0.176};    /* #111B2D */
const broll_rgb broll_bg_bottom = {0.098, 0.157, 0.255}; /* #192841 */
const broll_rgb broll_panel = {0.133, 0.204, 0.322};     /* #223452 */
const broll_rgb broll_text_main = {0.957, 0.965, 0.980}; /* #F4F6FA */
const broll_rgb broll_text_dim = {0.690, 0.741, 0.816};  /* #B0BDD0 */
const broll_rgb broll_accent = {0.988, 0.706, 0.188};    /* #FCB430 amber */
const broll_rgb broll_accent2 = {0.251, 0.800, 0.722};   /* #40CCB8 teal */
const broll_rgb broll_track = {0.188, 0.263, 0.392};     /* #304364 */

void broll_set_rgb(cairo_t *cr, broll_rgb c, double alpha)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

void broll_round_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    r = fmin(r, fmin(w, h) / 2);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

/* A layout for text at size px, wrapped to w. Caller unrefs. */
static PangoLayout *make_layout(cairo_t *cr, const char *text, const broll_text_style *st,
                                double size, double w)
{
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(st->font);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(layout, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, st->align);
    if (st->spacing > 0) {
        PangoAttrList *attrs = pango_attr_list_new();
        pango_attr_list_insert(attrs, pango_attr_letter_spacing_new((int)(st->spacing * PANGO_SCALE)));
        pango_layout_set_attributes(layout, attrs);
        pango_attr_list_unref(attrs);
    }
    pango_layout_set_text(layout, text, -1);
    return layout;
}

/* 1 when the layout fits: few enough lines, within the height and width. */
static int layout_fits(PangoLayout *layout, const broll_text_style *st, double w, double h)
{
    PangoRectangle logical;
    pango_layout_get_pixel_extents(layout, NULL, &logical);
    return pango_layout_get_line_count(layout) <= st->max_lines && logical.height <= h &&
           logical.width <= w + 0.5;
}

/* Fewer lines are better than a word split in the middle: a size at which
 * some line breaks inside a word is rejected unless it is the minimum. */
static int splits_word(PangoLayout *layout)
{
    const char *text = pango_layout_get_text(layout);
    int n = pango_layout_get_line_count(layout);
    for (int i = 1; i < n; i++) {
        PangoLayoutLine *line = pango_layout_get_line_readonly(layout, i);
        int at = line->start_index;
        if (at > 0 && text[at - 1] != ' ' && text[at] != ' ' && text[at - 1] != '-')
            return 1;
    }
    return 0;
}

double broll_text_fit(cairo_t *cr, const char *text, const broll_text_style *st, double w,
                      double h)
{
    for (double size = st->size; size >= st->min_size - 1e-9; size *= 0.94) {
        PangoLayout *layout = make_layout(cr, text, st, size, w);
        int ok = layout_fits(layout, st, w, h) && !splits_word(layout);
        g_object_unref(layout);
        if (ok)
            return size;
    }
    return 0;
}

double broll_text_draw(broll_draw *d, const char *text, const broll_text_style *st, double x,
                       double y, double w, double h)
{
    double size = broll_text_fit(d->cr, text, st, w, h);
    PangoLayout *layout;
    PangoRectangle ink, logical;
    double top;

    if (!text || !*text || w <= 0 || h <= 0)
        return 0;
    if (size <= 0) {
        /* does not fit: minimum size, as many lines as the box holds, "..." */
        int lines;
        size = st->min_size;
        layout = make_layout(d->cr, text, st, size, w);
        pango_layout_get_pixel_extents(layout, NULL, &logical);
        lines = pango_layout_get_line_count(layout);
        lines = (int)floor(h / ((double)logical.height / (lines > 0 ? lines : 1)));
        if (lines > st->max_lines)
            lines = st->max_lines;
        pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
        pango_layout_set_height(layout, -(lines > 0 ? lines : 1));
        if (d->lay)
            d->lay->ellipsized = 1;
    } else {
        layout = make_layout(d->cr, text, st, size, w);
    }
    pango_layout_get_pixel_extents(layout, &ink, &logical);
    top = st->middle ? y + (h - logical.height) / 2 : y;
    cairo_save(d->cr);
    broll_set_rgb(d->cr, st->colour, 1);
    cairo_move_to(d->cr, x, top);
    pango_cairo_show_layout(d->cr, layout);
    cairo_restore(d->cr);
    if (d->lay && d->lay->text_count < BROLL_MAX_BOXES) {
        broll_box *b = &d->lay->text[d->lay->text_count++];
        b->x = x + ink.x;
        b->y = top + ink.y;
        b->w = ink.width;
        b->h = ink.height;
    }
    g_object_unref(layout);
    return logical.height;
}
