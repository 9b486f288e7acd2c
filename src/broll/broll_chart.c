/* The stat card's body: a spoken percentage as a donut (the share filled in
 * the accent colour over a dark track, clockwise from 12 o'clock, the value
 * in the middle), other numbers as the value in large type, and what it
 * measures beside it. A donut reads at a glance where a lone bar needs an
 * axis; numbers without a known whole get no chart, since any bar length
 * would be invented. */
#include <math.h>

#include "broll/broll_draw.h"

void broll_draw_stat(broll_draw *d, const broll_card *card, double top)
{
    double pad = fmax(0.075 * d->h, 10), bottom = d->y + d->h - pad;
    double h = bottom - top, left = d->x + pad, avail = d->w - 2 * pad;
    double chart = fmin(h, 0.40 * avail), gap = fmax(40 * d->s, 10);
    double rx = left + chart + gap, rw = d->x + d->w - pad - rx;
    broll_text_style value = {"DejaVu Sans Bold", chart * 0.30, 12, 1, PANGO_ALIGN_CENTER, 1,
                              broll_text_main, 0};
    broll_text_style label = {"DejaVu Sans Bold", fmax(52 * d->s, 17), fmax(28 * d->s, 14), 4,
                              PANGO_ALIGN_LEFT, 1, broll_text_main, 0};

    if (h <= 0)
        return;
    if (card->fraction >= 0) {
        double cx = left + chart / 2, cy = top + h / 2, r = chart / 2 * 0.92;
        double thick = r * 0.24, f = fmin(fmax(card->fraction, 0), 1);
        double inner = 2 * (r - thick) * 0.86;
        cairo_set_line_width(d->cr, thick);
        cairo_set_line_cap(d->cr, CAIRO_LINE_CAP_BUTT);
        broll_set_rgb(d->cr, broll_track, 1);
        cairo_new_path(d->cr); /* text drawing leaves a current point */
        cairo_arc(d->cr, cx, cy, r - thick / 2, 0, 2 * M_PI);
        cairo_stroke(d->cr);
        if (f > 0) {
            broll_set_rgb(d->cr, broll_accent, 1);
            cairo_new_path(d->cr);
            cairo_arc(d->cr, cx, cy, r - thick / 2, -M_PI / 2, -M_PI / 2 + 2 * M_PI * f);
            cairo_stroke(d->cr);
        }
        d->lay->chart = (broll_box){cx - r, cy - r, 2 * r, 2 * r};
        broll_text_draw(d, card->value, &value, cx - inner / 2, cy - inner / 2, inner, inner);
    } else {
        /* the number itself is the picture */
        value.size = fmin(h * 0.45, 150 * d->s + 20);
        value.colour = broll_accent;
        chart = fmin(0.5 * avail, avail - 0.35 * avail);
        rx = left + chart + gap;
        rw = d->x + d->w - pad - rx;
        broll_text_draw(d, card->value, &value, left, top, chart, h);
    }
    broll_text_draw(d, card->heading[0] ? card->heading : card->body, &label, rx, top, rw, h);
}
