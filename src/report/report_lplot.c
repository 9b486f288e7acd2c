/* "Loudness over time": the input's and the result's short-term loudness
 * (3 s, the line people level by) and momentary loudness (400 ms, faint),
 * each over its own length, one above the other on the same LUFS scale,
 * with the loudness target dashed across both and the noise floor before
 * (input) and after (result) dotted. Inline SVG; every plotted series is
 * also in data attributes for tests. */
#include <math.h>
#include <stdio.h>

#include "report/report.h"

#define PW 1000.0 /* plot width, SVG units */
#define RH 120.0  /* one row's height */
#define TOP 14.0  /* room for a row's title */
#define GAP 34.0  /* between rows: the time labels */
#define LEFT 44.0 /* the LUFS labels */

typedef struct scale {
    double lo, hi; /* LUFS at the bottom and top of a row */
} scale;

static double ypos(const scale *s, double row_top, double v)
{
    double f = (v - s->lo) / (s->hi - s->lo);
    return row_top + TOP + RH * (1 - fmin(1, fmax(0, f)));
}

/* One series as an SVG path, at most one point per plot unit (the loudest
 * of the samples it covers, so a short peak still shows). */
static void series(dynbuf *b, const float *v, size_t n, double step_s, double dur_s, const scale *s,
                   double row_top, const char *cls)
{
    double last_x = -1, acc = -HUGE_VAL;
    int open = 0;

    dynbuf_printf(b, "<path class=\"%s\" d=\"", cls);
    for (size_t i = 0; i < n; i++) {
        double x = LEFT + (PW - LEFT) * fmin(1, (double)(i + 1) * step_s / dur_s);
        acc = fmax(acc, v[i]);
        if (x - last_x < 1 && i + 1 < n)
            continue;
        dynbuf_printf(b, "%s%.1f %.1f", open ? " L" : "M", x, ypos(s, row_top, acc));
        open = 1;
        last_x = x;
        acc = -HUGE_VAL;
    }
    dynbuf_adds(b, "\"/>\n");
}

static void hline(dynbuf *b, const scale *s, double row_top, double v, const char *cls,
                  const char *label)
{
    if (!isfinite(v))
        return;
    double y = ypos(s, row_top, v);
    dynbuf_printf(b, "<line class=\"%s\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>", cls,
                  LEFT, PW, y, y);
    dynbuf_printf(b, "<text class=\"%s\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", cls, PW - 4,
                  y - 3);
    rb_text(b, label);
    dynbuf_printf(b, " %.1f</text>\n", v);
}

static void row(dynbuf *b, const report_lcurve *c, const scale *s, double top, const char *name,
                const char *id, double target, double floor_db, const char *floor_label)
{
    double dur = (double)c->count * c->step_s;
    char label[64];

    dynbuf_printf(b, "<g id=\"%s\" data-points=\"%zu\" data-step=\"", id, c->count);
    rb_num(b, c->step_s);
    dynbuf_adds(b, "\" data-shortterm-max=\"");
    float mx = -70;
    for (size_t i = 0; i < c->count; i++)
        mx = c->shortterm[i] > mx ? c->shortterm[i] : mx;
    rb_num(b, mx);
    dynbuf_printf(b, "\">\n<text class=\"rt\" x=\"%.0f\" y=\"%.0f\">", LEFT, top + 10);
    rb_text(b, name);
    dynbuf_adds(b, "</text>\n");
    for (double v = s->lo; v <= s->hi + 1e-9; v += 12) {
        double y = ypos(s, top, v);
        dynbuf_printf(b,
                      "<line class=\"grid\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                      "<text class=\"ax\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n",
                      LEFT, PW, y, y, LEFT - 4, y + 4, v);
    }
    series(b, c->momentary, c->count, c->step_s, dur, s, top, "mom");
    series(b, c->shortterm, c->count, c->step_s, dur, s, top, "st");
    hline(b, s, top, target, "tgt", "target");
    snprintf(label, sizeof(label), "%s", floor_label);
    hline(b, s, top, floor_db, "nf", label);
    for (int k = 0; k <= 4; k++) {
        double x = LEFT + (PW - LEFT) * k / 4.0;
        char clock[32];
        double t = dur * k / 4.0;
        snprintf(clock, sizeof(clock), "%d:%04.1f", (int)(t / 60), fmod(t, 60));
        dynbuf_printf(b, "<text class=\"ax\" x=\"%.0f\" y=\"%.0f\" text-anchor=\"%s\">%s</text>", x,
                      top + TOP + RH + 14,
                      k == 0   ? "start"
                      : k == 4 ? "end"
                               : "middle",
                      clock);
    }
    dynbuf_adds(b, "</g>\n");
}

void report_loudness_plot(dynbuf *b, const report_data *d)
{
    const report_lcurve *in = &d->loud_in, *out = &d->loud_out;
    double target = report_metric(d, "audio", "loudness_target_lufs");
    double nf_in = report_metric(d, "audio", "noise_floor_before_db");
    double nf_out = report_metric(d, "audio", "noise_floor_after_db");
    scale s = {-60, 0};
    int rows = (in->count > 0) + (out->count > 0);

    if (!rows)
        return;
    /* Room for a quiet noise floor below -60. */
    double low = fmin(isfinite(nf_in) ? nf_in : 0, isfinite(nf_out) ? nf_out : 0);
    if (low < s.lo + 3)
        s.lo = 12 * floor((low - 3) / 12);
    if (s.lo < -96)
        s.lo = -96;
    double h = rows * (TOP + RH + GAP);
    dynbuf_adds(b, "<h3>Loudness over time</h3>\n<p class=\"lead\">Short-term loudness (3 s, dark) "
                   "and momentary loudness (400 ms, light) in LUFS; the dashed line is the target, "
                   "the dotted one the noise floor (dBFS) before and after enhancement.</p>\n");
    dynbuf_printf(b,
                  "<div class=\"lplot\"><svg id=\"loudness-plot\" viewBox=\"0 0 %.0f %.0f\" "
                  "role=\"img\" aria-label=\"loudness over time\" "
                  "data-target=\"",
                  PW, h);
    rb_num(b, target);
    dynbuf_adds(b, "\" data-noise-before=\"");
    rb_num(b, nf_in);
    dynbuf_adds(b, "\" data-noise-after=\"");
    rb_num(b, nf_out);
    dynbuf_adds(b, "\">\n");
    double top = 0;
    if (in->count) {
        row(b, in, &s, top, "Input", "loudness-curve-in", target, nf_in, "noise floor before");
        top += TOP + RH + GAP;
    }
    if (out->count)
        row(b, out, &s, top, "Result (edited)", "loudness-curve-out", target, nf_out,
            "noise floor after");
    dynbuf_adds(b, "</svg></div>\n");
}
