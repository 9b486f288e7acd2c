/* "Resources over time": the stage timeline (one bar per stage at the time
 * it ran, overlapping where stages ran on worker threads) above the
 * resource monitor's samples, resident memory and CPU use, on one time
 * axis, as inline SVG. Shows where memory peaks and which stage kept the
 * cores busy. Reads the metrics' stage_timeline and resource_monitor. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"

#define W 760.0     /* plot width in SVG units, after the label column */
#define LABEL 110.0 /* stage names */
#define ROW 14.0
#define CHART 110.0 /* height of the memory and CPU chart */

static void polyline(dynbuf *b, const cJSON *samples, const char *key, double t_max, double v_max,
                     double y0, const char *colour, const char *id)
{
    const cJSON *s;
    dynbuf_printf(b,
                  "<polyline id=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"",
                  id, colour);
    cJSON_ArrayForEach(s, samples)
    {
        double t = report_json_num(s, "t"), v = report_json_num(s, key);
        if (isfinite(t) && isfinite(v))
            dynbuf_printf(b, "%.1f,%.1f ", LABEL + W * t / t_max, y0 + CHART - CHART * v / v_max);
    }
    dynbuf_adds(b, "\"/>\n");
}

void report_resources(dynbuf *b, const report_data *d)
{
    const cJSON *spans = cJSON_GetObjectItemCaseSensitive(d->metrics, "stage_timeline");
    const cJSON *mon = cJSON_GetObjectItemCaseSensitive(d->metrics, "resource_monitor");
    const cJSON *samples = cJSON_GetObjectItemCaseSensitive(mon, "samples"), *s;
    double t_max = 0, rss_max = 0, cpu_max = 100;
    int rows = 0;

    cJSON_ArrayForEach(s, spans)
    {
        t_max = fmax(t_max, report_json_num(s, "end_s"));
        rows++;
    }
    cJSON_ArrayForEach(s, samples)
    {
        t_max = fmax(t_max, report_json_num(s, "t"));
        rss_max = fmax(rss_max, report_json_num(s, "rss_mb"));
        cpu_max = fmax(cpu_max, report_json_num(s, "cpu_percent"));
    }
    dynbuf_adds(b, "<h3>Resources over time</h3>\n");
    if (!isfinite(t_max) || t_max <= 0 || (!rows && !cJSON_GetArraySize(samples))) {
        dynbuf_adds(
            b, "<p class=\"missing\">No stage timeline or resource samples in the metrics.</p>\n");
        return;
    }
    double height = rows * ROW + 24 + CHART + 20;
    dynbuf_printf(b,
                  "<svg id=\"resources\" viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" role=\"img\" "
                  "aria-label=\"stages, memory and CPU over the run\" "
                  "style=\"font:11px sans-serif\">\n",
                  LABEL + W + 10, height);
    int row = 0;
    cJSON_ArrayForEach(s, spans)
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(s, "stage");
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(s, "status");
        double a = report_json_num(s, "start_s"), e = report_json_num(s, "end_s");
        if (!cJSON_IsString(name) || !isfinite(a) || !isfinite(e))
            continue;
        double y = row++ * ROW;
        dynbuf_printf(b, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", LABEL - 6,
                      y + ROW - 3);
        rb_text(b, name->valuestring);
        dynbuf_printf(b, "</text><rect class=\"span\" data-stage=\"");
        rb_text(b, name->valuestring);
        dynbuf_printf(b,
                      "\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\">"
                      "<title>",
                      LABEL + W * a / t_max, y + 2, fmax(1.0, W * (e - a) / t_max), ROW - 4,
                      cJSON_IsString(st) && !strcmp(st->valuestring, "cached") ? "#16a34a"
                                                                               : "#4f46e5");
        rb_text(b, name->valuestring);
        dynbuf_printf(b, ": %.2f - %.2f s</title></rect>\n", a, e);
    }
    double y0 = rows * ROW + 16;
    dynbuf_printf(b,
                  "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
                  "stroke=\"#ccc\"/>\n",
                  LABEL, y0, W, CHART);
    if (cJSON_GetArraySize(samples) > 0) {
        polyline(b, samples, "rss_mb", t_max, rss_max > 0 ? rss_max : 1, y0, "#dc2626", "rss-line");
        polyline(b, samples, "cpu_percent", t_max, cpu_max, y0, "#2563eb", "cpu-line");
    }
    dynbuf_printf(
        b, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#dc2626\">%.0f MB</text>\n",
        LABEL - 6, y0 + 10, rss_max);
    dynbuf_printf(
        b, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#2563eb\">%.0f%% CPU</text>\n",
        LABEL - 6, y0 + 24, cpu_max);
    dynbuf_printf(b,
                  "<text x=\"%.0f\" y=\"%.1f\">0 s</text><text x=\"%.0f\" y=\"%.1f\" "
                  "text-anchor=\"end\">%.1f s</text>\n",
                  LABEL, y0 + CHART + 14, LABEL + W, y0 + CHART + 14, t_max);
    dynbuf_adds(
        b, "</svg>\n<div class=\"legend\"><span><span class=\"sw\" style=\"background:#dc2626\">"
           "</span>resident memory</span><span><span class=\"sw\" style=\"background:#2563eb\">"
           "</span>CPU (100% = one core), sampled every second</span></div>\n");
}
