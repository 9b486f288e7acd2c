/* The "Loudness" section: integrated loudness and true peak of the audio
 * before and after the enhance stage, on a scale with the target drawn as a
 * dashed line, plus loudness range and noise floor. All figures are the
 * enhance stage's measurements from the metrics ("audio" section); without
 * that stage the section says why they are missing. Below them, the
 * loudness over time of the input and the result (report_lplot.c). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"

typedef struct gauge {
    const char *id;   /* prefix of the element ids */
    const char *name; /* shown */
    const char *unit;
    double before, after, target;
} gauge;

static double pct(double v, double lo, double hi)
{
    return 100 * fmin(1, fmax(0, (v - lo) / (hi - lo)));
}

static void marker(dynbuf *b, const char *id, const char *cls, const char *word, double v,
                   double lo, double hi, const char *unit)
{
    if (!isfinite(v))
        return;
    double p = pct(v, lo, hi);
    dynbuf_printf(b,
                  "<span class=\"m %s\" style=\"left:%.2f%%\"></span>"
                  "<span class=\"lab %s\" id=\"%s\" data-value=\"",
                  cls, p, cls, id);
    rb_num(b, v);
    dynbuf_printf(b, "\" style=\"left:%.2f%%\">%s %.1f %s</span>", fmin(90, fmax(10, p)), word, v,
                  unit);
}

static void draw_gauge(dynbuf *b, const gauge *g)
{
    double lo = fmin(fmin(g->before, g->after), g->target);
    double hi = fmax(fmax(g->before, g->after), g->target);
    if (!isfinite(lo))
        lo = isfinite(g->after) ? g->after : g->before;
    if (!isfinite(hi))
        hi = lo;
    /* Round the scale out to 6 dB steps with some air on both sides. */
    lo = 6 * floor((lo - 4) / 6);
    hi = fmax(0, 6 * ceil((hi + 2) / 6));
    char id[64];
    dynbuf_printf(b, "<div class=\"gauge\" id=\"gauge-%s\"><div class=\"name\">%s", g->id, g->name);
    if (isfinite(g->target)) {
        snprintf(id, sizeof(id), "%s-target", g->id);
        dynbuf_printf(b, " <small>&middot; target <span id=\"%s\" data-value=\"", id);
        rb_num(b, g->target);
        dynbuf_printf(b, "\">%.1f %s</span> (dashed line)</small>", g->target, g->unit);
    }
    dynbuf_adds(b, "</div>\n<div class=\"track\">");
    if (isfinite(g->target))
        dynbuf_printf(b, "<span class=\"tgt\" style=\"left:%.2f%%\"></span>",
                      pct(g->target, lo, hi));
    snprintf(id, sizeof(id), "%s-in", g->id);
    marker(b, id, "before", "before", g->before, lo, hi, g->unit);
    snprintf(id, sizeof(id), "%s-out", g->id);
    marker(b, id, "after", "after", g->after, lo, hi, g->unit);
    dynbuf_adds(b, "</div>\n<div class=\"scale\">");
    for (double v = lo; v <= hi + 1e-9; v += 6)
        dynbuf_printf(b, "<span style=\"left:%.2f%%\">%.0f</span>", pct(v, lo, hi), v);
    dynbuf_adds(b, "</div></div>\n");
}

static void small_stat(dynbuf *b, const char *id, const char *label, double before, double after,
                       const char *unit)
{
    if (!isfinite(before) && !isfinite(after))
        return;
    dynbuf_printf(b, "<div class=\"stat\"><div class=\"v\" id=\"%s\" data-before=\"", id);
    rb_num(b, before);
    dynbuf_adds(b, "\" data-after=\"");
    rb_num(b, after);
    dynbuf_adds(b, "\">");
    if (isfinite(before))
        dynbuf_printf(b, "%.1f", before);
    dynbuf_adds(b, " &rarr; ");
    if (isfinite(after))
        dynbuf_printf(b, "%.1f", after);
    dynbuf_printf(b, "</div><div class=\"l\">%s, %s</div></div>\n", label, unit);
}

void report_loudness(dynbuf *b, const report_data *d)
{
    const char *s = "audio";
    dynbuf_adds(b, "<section class=\"card\" id=\"loudness\">\n<h2>Loudness</h2>\n");
    double in = report_metric(d, s, "input_integrated_lufs");
    double out = report_metric(d, s, "output_integrated_lufs");
    if (!isfinite(in) && !isfinite(out)) {
        report_missing(b, d, "enhance", "No loudness measurements");
        report_loudness_plot(b, d);
        dynbuf_adds(b, "</section>\n");
        return;
    }
    dynbuf_adds(b,
                "<p class=\"lead\">The edited audio is levelled to the platform target "
                "(EBU R128 / ITU-R BS.1770 loudness) and kept under the true-peak ceiling.</p>\n");
    gauge lufs = {"loudness", "Integrated loudness",
                  "LUFS",     in,
                  out,        report_metric(d, s, "loudness_target_lufs")};
    gauge peak = {"true-peak",
                  "True peak",
                  "dBTP",
                  report_metric(d, s, "input_true_peak_dbtp"),
                  report_metric(d, s, "output_true_peak_dbtp"),
                  report_metric(d, s, "true_peak_target_dbtp")};
    draw_gauge(b, &lufs);
    if (isfinite(peak.before) || isfinite(peak.after))
        draw_gauge(b, &peak);
    dynbuf_adds(b, "<div class=\"stats\">\n");
    small_stat(b, "loudness-range", "loudness range",
               report_metric(d, s, "input_loudness_range_lu"),
               report_metric(d, s, "output_loudness_range_lu"), "LU");
    small_stat(b, "noise-floor", "noise floor", report_metric(d, s, "noise_floor_before_db"),
               report_metric(d, s, "noise_floor_after_db"), "dB");
    small_stat(b, "snr", "speech to noise", report_metric(d, s, "snr_before_db"),
               report_metric(d, s, "snr_after_db"), "dB");
    double gain = report_metric(d, s, "gain_db");
    if (isfinite(gain)) {
        dynbuf_adds(b, "<div class=\"stat\"><div class=\"v\" id=\"gain\" data-value=\"");
        rb_num(b, gain);
        dynbuf_printf(b, "\">%+.1f dB</div><div class=\"l\">gain applied</div></div>\n", gain);
    }
    dynbuf_adds(b, "</div>\n");
    const char *blocks = report_json_str(cJSON_GetObjectItemCaseSensitive(d->metrics, s), "blocks");
    if (blocks) {
        dynbuf_adds(b, "<p class=\"lead\">Processing chain: ");
        /* One <code> per block, so a narrow screen wraps between blocks. */
        for (const char *p = blocks; *p;) {
            size_t n = strcspn(p, ",");
            char name[32];
            snprintf(name, sizeof(name), "%.*s", (int)(n < sizeof(name) - 1 ? n : sizeof(name) - 1),
                     p);
            dynbuf_adds(b, p == blocks ? "<code>" : " &rarr; <code>");
            rb_text(b, name);
            dynbuf_adds(b, "</code>");
            p += n + (p[n] == ',');
        }
        dynbuf_adds(b, "</p>\n");
    }
    report_loudness_plot(b, d);
    dynbuf_adds(b, "</section>\n");
}
