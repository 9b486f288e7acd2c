/* The "Performance" section: a bar per stage in pipeline order (time from
 * module_processing_times, or why it did not run from stage_status), total
 * time, peak memory and temp space, results-cache hit rates, and AI-service
 * calls with their cost. The report sees the metrics after the pipeline
 * finalised them, so these are the figures of performance_metrics.json;
 * only the report's own time is missing (it is still running). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"

static void stage_bars(dynbuf *b, const report_data *d)
{
    const cJSON *times = cJSON_GetObjectItemCaseSensitive(d->metrics, "module_processing_times");
    size_t count;
    const ave_stage *const *stages = ave_settings_stages(d->job->settings, &count);
    double max = 0;
    for (size_t i = 0; i < count; i++)
        max = fmax(max, report_json_num(times, stages[i]->name));
    dynbuf_adds(b, "<h3>Time per stage</h3>\n<div class=\"bars\" id=\"stage-times\">\n");
    for (size_t i = 0; i < count; i++) {
        const char *name = stages[i]->name;
        if (!strcmp(name, REPORT_STAGE))
            continue;
        double t = report_json_num(times, name);
        const char *st = report_stage_status(d, name);
        dynbuf_printf(b, "<span class=\"n\">%s</span>", name);
        if (!isfinite(t)) {
            dynbuf_adds(b, "<span class=\"off\">");
            rb_text(b, st ? st : "not run");
            dynbuf_adds(b, "</span><span></span>\n");
            continue;
        }
        int cached = st && !strcmp(st, "cached");
        dynbuf_printf(b, "<div><div class=\"bar%s\" data-stage=\"%s\" data-seconds=\"",
                      cached ? " cached" : "", name);
        rb_num(b, t);
        dynbuf_printf(b, "\" style=\"width:%.2f%%\" title=\"%s: %.3f s%s\"></div></div>",
                      max > 0 ? 100 * t / max : 0, name, t,
                      cached ? " (loaded from the cache)" : "");
        if (t >= 10)
            dynbuf_printf(b, "<span class=\"t\">%.0f s</span>\n", t);
        else if (t >= 0.1)
            dynbuf_printf(b, "<span class=\"t\">%.1f s</span>\n", t);
        else
            dynbuf_printf(b, "<span class=\"t\">%.0f ms</span>\n", t * 1000);
    }
    dynbuf_adds(
        b, "</div>\n<div class=\"legend\"><span><span class=\"sw\" style=\"background:#4f46e5\">"
           "</span>ran</span><span><span class=\"sw\" style=\"background:var(--good)\"></span>"
           "loaded from the results cache</span></div>\n");
}

static void stat(dynbuf *b, const char *id, double value, const char *shown, const char *label)
{
    dynbuf_printf(b, "<div class=\"stat\"><div class=\"v\" id=\"%s\" data-value=\"", id);
    rb_num(b, value);
    dynbuf_printf(b, "\">%s</div><div class=\"l\">%s</div></div>\n", shown, label);
}

static void cache_rates(dynbuf *b, const report_data *d)
{
    static const char *const kinds[] = {"audio", "thumbnail", "api", "trend"};
    const cJSON *cs = cJSON_GetObjectItemCaseSensitive(d->metrics, "cache_statistics");
    const cJSON *enabled = cJSON_GetObjectItemCaseSensitive(cs, "enabled");
    dynbuf_adds(b, "<h3>Results cache</h3>\n");
    if (!cs || !cJSON_IsTrue(enabled)) {
        dynbuf_adds(b,
                    "<p class=\"missing\" id=\"cache-off\">The results cache was off for this run "
                    "(--no-cache or enable_caching: false).</p>\n");
        return;
    }
    dynbuf_adds(b, "<div class=\"stats\">\n");
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        char key[48], id[48], shown[48], label[96];
        snprintf(key, sizeof(key), "%s_hit_rate", kinds[k]);
        snprintf(id, sizeof(id), "cache-%s", kinds[k]);
        double rate = report_json_num(cs, key);
        double hits = report_json_num(cJSON_GetObjectItemCaseSensitive(cs, "hits"), kinds[k]);
        double misses = report_json_num(cJSON_GetObjectItemCaseSensitive(cs, "misses"), kinds[k]);
        if (isfinite(rate))
            snprintf(shown, sizeof(shown), "%.0f%%", 100 * rate);
        else
            snprintf(shown, sizeof(shown), "&ndash;");
        hits = isfinite(hits) ? hits : 0;
        misses = isfinite(misses) ? misses : 0;
        if (hits + misses > 0)
            snprintf(label, sizeof(label), "%s hit rate (%.0f of %.0f lookups)", kinds[k], hits,
                     hits + misses);
        else
            snprintf(label, sizeof(label), "%s: no lookups", kinds[k]);
        stat(b, id, rate, shown, label);
    }
    dynbuf_adds(b, "</div>\n");
}

static void api_calls(dynbuf *b, const report_data *d)
{
    const cJSON *calls = cJSON_GetObjectItemCaseSensitive(d->metrics, "api_calls_made"), *it;
    double cost = report_metric(d, NULL, "total_api_cost"), total = 0;
    cJSON_ArrayForEach(it, calls)
    {
        if (cJSON_IsNumber(it))
            total += it->valuedouble;
    }
    dynbuf_adds(b, "<h3>AI services</h3>\n<div class=\"stats\">\n");
    char shown[48];
    snprintf(shown, sizeof(shown), "%.0f", total);
    stat(b, "api-calls", total, shown, "API calls");
    snprintf(shown, sizeof(shown), "$%.2f", isfinite(cost) ? cost : 0);
    stat(b, "api-cost", cost, shown, "total cost (USD)");
    dynbuf_adds(b, "</div>\n");
    if (total > 0) {
        dynbuf_adds(b, "<div class=\"legend\" id=\"api-services\">");
        cJSON_ArrayForEach(it, calls)
        {
            if (!cJSON_IsNumber(it))
                continue;
            dynbuf_adds(b, "<span><b>");
            rb_text(b, it->string);
            dynbuf_printf(b, "</b> %.0f call%s</span>", it->valuedouble,
                          it->valuedouble == 1 ? "" : "s");
        }
        dynbuf_adds(b, "</div>\n");
    } else {
        dynbuf_adds(
            b, "<p class=\"lead\">Everything ran on this machine: no API calls, no cost.</p>\n");
    }
}

void report_performance(dynbuf *b, const report_data *d)
{
    char shown[64], label[96];
    dynbuf_adds(b, "<section class=\"card\" id=\"performance\">\n<h2>Performance</h2>\n");
    double total = report_metric(d, NULL, "total_processing_time");
    double peak = report_metric(d, NULL, "memory_peak_usage");
    double temp = report_metric(d, NULL, "temp_bytes_peak");
    double in_s = report_metric(d, NULL, "input_duration");
    dynbuf_adds(b, "<div class=\"stats\">\n");
    snprintf(shown, sizeof(shown), "%.1f s", isfinite(total) ? total : 0);
    if (isfinite(total) && total > 0 && isfinite(in_s))
        snprintf(label, sizeof(label), "total time (%.2f&times; real time)", in_s / total);
    else
        snprintf(label, sizeof(label), "total time");
    stat(b, "total-time", total, shown, label);
    snprintf(shown, sizeof(shown), "%.0f MB", isfinite(peak) ? peak / 1048576.0 : 0);
    stat(b, "peak-memory", peak, shown, "peak memory (resident)");
    snprintf(shown, sizeof(shown), "%.1f MB", isfinite(temp) ? temp / 1048576.0 : 0);
    stat(b, "temp-peak", temp, shown, "peak temporary disk space");
    dynbuf_adds(b, "</div>\n");
    stage_bars(b, d);
    report_resources(b, d);
    cache_rates(b, d);
    api_calls(b, d);
    dynbuf_adds(b, "</section>\n");
}
