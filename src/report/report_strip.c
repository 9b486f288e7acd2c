/* The timeline strip: one inline SVG of the whole input with the cut
 * segments coloured by reason, the waveform envelope (greyed where cut, via
 * a clip path of the kept segments), the short-term level as a line, and a
 * tick per filler word; the filler labels and the time axis are HTML laid
 * over it by percentage, so text stays readable at any width while the SVG
 * stretches (preserveAspectRatio="none", strokes non-scaling).
 * Assumes report_data's strip columns span the timeline's duration. */
#include <math.h>
#include <string.h>

#include "report/report.h"

#define VB_W 1000.0
#define VB_H 100.0
#define WAVE_HALF 40.0 /* envelope half-height in viewBox units */
#define LEVEL_TOP_DB 0.0
#define LEVEL_BOTTOM_DB -66.0
#define FLAG_MIN_GAP_PCT 4.0 /* closer filler labels are left out (ticks stay) */
#define FLAG_MAX 60
#define END_CLEAR_PCT 14.0 /* no tick this close to the end label (phone width) */

static double xpos(const report_data *d, double seconds)
{
    return d->input_s > 0 ? VB_W * fmin(1, fmax(0, seconds / d->input_s)) : 0;
}

static double level_y(float db)
{
    double f = (db - LEVEL_BOTTOM_DB) / (LEVEL_TOP_DB - LEVEL_BOTTOM_DB);
    return VB_H * (1 - fmin(1, fmax(0, f)));
}

static void envelope(dynbuf *b, const report_strip *s)
{
    double step = VB_W / (double)s->columns;
    dynbuf_adds(b, "M0 50");
    for (size_t c = 0; c < s->columns; c++)
        dynbuf_printf(b, "L%.1f %.1f", (c + 0.5) * step, 50 - WAVE_HALF * s->peak[c]);
    dynbuf_printf(b, "L%.0f 50", VB_W);
    for (size_t c = s->columns; c-- > 0;)
        dynbuf_printf(b, "L%.1f %.1f", (c + 0.5) * step, 50 + WAVE_HALF * s->peak[c]);
    dynbuf_adds(b, "Z");
}

static void segments(dynbuf *b, const report_data *d, int kept_only)
{
    const ave_timeline *tl = &d->job->timeline;
    for (size_t i = 0; i < tl->count; i++) {
        const ave_segment *s = &tl->segs[i];
        if (kept_only != !!s->keep)
            continue;
        double a = (double)s->start_us / 1e6, z = (double)s->end_us / 1e6;
        double x = xpos(d, a), w = fmax(0.6, xpos(d, z) - x);
        if (kept_only) {
            dynbuf_printf(b, "<rect x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"100\"/>", x, w);
            continue;
        }
        const char *why = ave_reason_name(s->reason);
        dynbuf_printf(
            b,
            "<g><title>%s: %.2f&#8211;%.2f s (%.2f s)</title>"
            "<rect x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"100\" "
            "style=\"fill:var(--%s);opacity:.26\"/>"
            "<rect x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"7\" style=\"fill:var(--%s)\"/>"
            "</g>",
            why, a, z, z - a, x, w, why, x, w, why);
    }
}

static void axis(dynbuf *b, double total)
{
    static const double steps[] = {0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600};
    double step = steps[sizeof(steps) / sizeof(steps[0]) - 1];
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (total / steps[i] <= 8) {
            step = steps[i];
            break;
        }
    dynbuf_adds(b, "<div class=\"axis\" aria-hidden=\"true\">");
    for (double t = 0; t <= total + 1e-9; t += step) {
        double pct = 100 * t / total;
        if (pct > 100 - END_CLEAR_PCT && t > 0)
            break; /* the end label takes this place */
        dynbuf_printf(b, "<span%s style=\"left:%.3f%%\">", t == 0 ? " class=\"first\"" : "", pct);
        rb_clock(b, t, step < 1 ? 1 : 0);
        dynbuf_adds(b, "</span>");
    }
    dynbuf_adds(b, "<span class=\"last\" style=\"left:100%\">");
    rb_clock(b, total, 1);
    dynbuf_adds(b, "</span></div>\n");
}

void report_strip_svg(dynbuf *b, const report_data *d)
{
    const ave_analysis *an = &d->job->analysis;
    const report_strip *s = &d->strip;

    dynbuf_adds(b, "<div class=\"strip\" id=\"strip\">\n");
    /* Filler labels first: HTML over the SVG, positioned by percentage. */
    double last_pct = -100;
    int flags = 0;
    for (size_t i = 0; i < an->word_count && d->input_s > 0; i++) {
        const ave_word *w = &an->words[i];
        if (!(w->flags & AVE_WORD_FILLER))
            continue;
        double pct = 100 * ((double)(w->start_us + w->end_us) / 2e6) / d->input_s;
        if (pct - last_pct < FLAG_MIN_GAP_PCT || flags >= FLAG_MAX)
            continue;
        last_pct = pct;
        flags++;
        dynbuf_printf(b, "<span class=\"flag\" data-time=\"%.3f\" style=\"left:%.3f%%\">",
                      (double)w->start_us / 1e6, fmin(98, fmax(2, pct)));
        rb_text(b, w->text);
        dynbuf_adds(b, "</span>");
    }
    dynbuf_printf(b,
                  "\n<svg viewBox=\"0 0 %.0f %.0f\" preserveAspectRatio=\"none\" role=\"img\" "
                  "aria-label=\"waveform and level of the whole input with the cuts\">\n",
                  VB_W, VB_H);
    dynbuf_adds(b, "<defs><clipPath id=\"kept\">");
    segments(b, d, 1);
    dynbuf_adds(b, "</clipPath></defs>\n");
    segments(b, d, 0);
    dynbuf_adds(b, "\n");
    if (s->columns) {
        dynbuf_adds(b, "<path fill=\"#c3c9d5\" d=\"");
        envelope(b, s);
        dynbuf_adds(b, "\"/>\n<path fill=\"#3a4560\" clip-path=\"url(#kept)\" d=\"");
        envelope(b, s);
        dynbuf_adds(b, "\"/>\n<polyline fill=\"none\" stroke=\"#4f46e5\" stroke-width=\"1.6\" "
                       "stroke-linejoin=\"round\" vector-effect=\"non-scaling-stroke\" points=\"");
        for (size_t c = 0; c < s->columns; c++)
            dynbuf_printf(b, "%s%.1f,%.1f", c ? " " : "", (c + 0.5) * VB_W / (double)s->columns,
                          level_y(s->level[c]));
        dynbuf_adds(b, "\"/>\n");
    }
    for (size_t i = 0; i < an->word_count; i++) {
        const ave_word *w = &an->words[i];
        if (!(w->flags & AVE_WORD_FILLER))
            continue;
        double x = xpos(d, (double)(w->start_us + w->end_us) / 2e6);
        dynbuf_printf(b,
                      "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"0\" y2=\"100\" stroke=\"#f0962e\" "
                      "stroke-width=\"2\" vector-effect=\"non-scaling-stroke\"/>",
                      x, x);
    }
    dynbuf_adds(b, "</svg>\n</div>\n");
    axis(b, d->input_s);
    dynbuf_adds(b, "<div class=\"legend\">");
    for (int r = 1; r < AVE_REASON_COUNT; r++)
        dynbuf_printf(b, "<span><span class=\"sw r-%s\"></span>%s</span>", ave_reason_name(r),
                      ave_reason_name(r));
    dynbuf_adds(
        b, "<span><span class=\"sw\" style=\"background:#3a4560\"></span>waveform (kept)</span>"
           "<span><span class=\"sw\" style=\"background:#4f46e5;height:3px\"></span>level, "
           "0 to &minus;66 dBFS</span>");
    if (!s->columns)
        dynbuf_adds(b, "<span>no analysis audio: waveform not drawn</span>");
    dynbuf_adds(b, "</div>\n");
}
