/* The "report" stage: analytics/report.html, the page a person opens after a
 * run to see what was cut and why, check loudness, transcript, thumbnails
 * and metadata, and learn how to fix the edit (docs/REPORT.md).
 *
 * It is flagged AVE_STAGE_AFTER_METRICS, so the pipeline runs it after every
 * other stage, once the stage times, cache statistics, peak memory and
 * durations are final: the page shows the numbers performance_metrics.json
 * holds. It only reads the job and the outputs; any section whose stage did
 * not run says so instead of failing. The page is written through the
 * atomic output staging like every other output. */
#include <stddef.h>

#include "report/report.h"

#define REPORT_PATH "analytics/report.html"
#define REPORT_LIMIT ((size_t)64 << 20) /* far above a multi-hour run's page */

typedef struct report_opts {
    int enabled; /* --report */
} report_opts;

static const ave_option report_options[] = {
    {.name = "report",
     .type = AVE_OPT_BOOL,
     .offset = offsetof(report_opts, enabled),
     .def.i = 1,
     .stage = REPORT_STAGE,
     .help = "write analytics/report.html, a page showing the edit, loudness, transcript, "
             "thumbnails, metadata and timings",
     .flags = AVE_OPTF_NO_RESULT},
    {.name = NULL},
};

static int report_enabled(const ave_job *job, const void *opts)
{
    const report_opts *o = opts;
    (void)job;
    return o ? o->enabled : 1;
}

static int report_run(void *priv, const void *opts, ave_job *job)
{
    report_data d;
    dynbuf b;
    int r;
    (void)priv;
    (void)opts;

    dynbuf_init(&b, REPORT_LIMIT);
    if ((r = report_gather(job, &d)) < 0)
        goto out;
    report_page_begin(&b, &d);
    report_summary(&b, &d);
    report_editor(&b, &d);
    report_timeline(&b, &d);
    report_loudness(&b, &d);
    report_transcript(&b, &d);
    report_thumbnails(&b, &d);
    report_metadata(&b, &d);
    report_highlights(&b, &d);
    report_performance(&b, &d);
    report_fix(&b, &d);
    report_page_end(&b);
    if ((r = ave_job_progress(job, 0.9)) < 0)
        goto out;
    if (b.err) {
        r = ave_job_fail(job, b.err, "%s: report not written: %s", REPORT_PATH,
                         b.err == AVE_ERR_LIMIT ? "the page would exceed 64 MB"
                                                : ave_strerror(b.err));
        goto out;
    }
    if ((r = ave_job_write_file(job, REPORT_PATH, b.data, b.len)) < 0)
        goto out;
    ave_job_metric_number(job, REPORT_STAGE, "bytes", (double)b.len);
    ave_log(AVE_LOG_INFO, REPORT_STAGE, "%s written (%zu KB)", REPORT_PATH, b.len / 1024);
out:
    report_data_free(&d);
    dynbuf_free(&b);
    return r;
}

const ave_stage ave_stage_report = {
    .name = REPORT_STAGE,
    .description = "HTML report of the run (analytics/report.html)",
    .flags = AVE_STAGE_AFTER_METRICS,
    .weight = 0.05,
    .options = report_options,
    .opts_size = sizeof(report_opts),
    .enabled = report_enabled,
    .run = report_run,
};
