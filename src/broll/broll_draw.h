/* Private to the card renderer: the palette and fitted text (broll_text.c). */
#ifndef AVE_BROLL_DRAW_H
#define AVE_BROLL_DRAW_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "broll/broll.h"

typedef struct broll_rgb {
    double r, g, b;
} broll_rgb;

/* One palette for every card: light text on deep navy, amber accent. */
extern const broll_rgb broll_bg_top, broll_bg_bottom, broll_panel, broll_text_main,
    broll_text_dim, broll_accent, broll_accent2, broll_track;

/* Drawing state of one card. */
typedef struct broll_draw {
    cairo_t *cr;
    broll_card_layout *lay;
    double x, y, w, h; /* the card panel */
    double s;          /* scale: panel height / 720 */
} broll_draw;

typedef struct broll_text_style {
    const char *font;   /* Pango family + weight, e.g. "DejaVu Sans Bold" */
    double size;        /* wished pixel size */
    double min_size;    /* never smaller (then ellipsis) */
    int max_lines;
    PangoAlignment align;
    int middle;         /* 1: centre vertically in the box */
    broll_rgb colour;
    double spacing;     /* letter spacing in pixels (tags) */
} broll_text_style;

/* The largest size (<= st->size, >= st->min_size) at which text fits a
 * w x h box in at most st->max_lines lines, or 0 when none does. */
double broll_text_fit(cairo_t *cr, const char *text, const broll_text_style *st, double w,
                      double h);

/* Draw text fitted into the box (shrinking, then ellipsizing at min_size);
 * records its ink box in d->lay. Returns the height used. */
double broll_text_draw(broll_draw *d, const char *text, const broll_text_style *st, double x,
                       double y, double w, double h);

void broll_set_rgb(cairo_t *cr, broll_rgb c, double alpha);
void broll_round_rect(cairo_t *cr, double x, double y, double w, double h, double r);

/* broll_chart.c: the STAT card body. */
void broll_draw_stat(broll_draw *d, const broll_card *card, double top);

#endif
