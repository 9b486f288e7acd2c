/* The plan stage: finalises the edit timeline and writes timeline.json.
 *
 * Analysis stages mark cuts freely; here the result is made watchable: no
 * kept piece shorter than min-keep (a flash of picture), no cut shorter than
 * min-cut (a visible jump for almost no time saved), and every boundary on
 * the video frame grid so audio and video cut at the same instant. For VFR
 * input there is no single grid (frame times are irregular), so boundaries
 * stay where analysis put them and render cuts at the nearest frame.
 * Times in timeline.json are seconds on the source timeline (0 = the
 * container's start_time), with microsecond precision. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ave/ave.h"
#include "plan/beat_sync.h"

#define STAGE "plan"

typedef struct plan_opts {
    double min_keep; /* s */
    double min_cut;  /* s */
} plan_opts;

static const ave_option plan_options[] = {
    {.name = "min-keep",
     .type = AVE_OPT_DOUBLE,
     .offset = offsetof(plan_opts, min_keep),
     .def.d = 0.4,
     .min = 0,
     .max = 10,
     .stage = "plan",
     .help = "shortest piece kept between two cuts, seconds; shorter ones grow into the cuts"},
    {.name = "min-cut",
     .type = AVE_OPT_DOUBLE,
     .offset = offsetof(plan_opts, min_cut),
     .def.d = 0.3,
     .min = 0,
     .max = 10,
     .stage = "plan",
     .help = "shortest cut made, seconds; shorter ones are kept"},
    {.name = NULL},
};

static double sec(int64_t us)
{
    return (double)us / 1e6;
}

static int plan_run(void *priv, const void *opts, ave_job *job)
{
    const plan_opts *o = opts;
    const ave_media_info *mi = &job->media;
    ave_timeline *tl = &job->timeline;
    char *text = NULL;
    int64_t kept_us;
    int ret;

    (void)priv;
    if (!o || tl->count == 0)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "%s: no timeline to plan", job->input_path);
    if ((ret = ave_timeline_enforce_minimums(tl, (int64_t)(o->min_keep * 1e6 + 0.5),
                                             (int64_t)(o->min_cut * 1e6 + 0.5))) < 0)
        return ave_job_fail(job, ret, "%s: cannot finalise the timeline: %s", job->input_path,
                            ave_strerror(ret));
    /* One frame lasts fps_den/fps_num seconds. */
    if (mi->has_video && !mi->vfr && mi->fps_num > 0 && mi->fps_den > 0) {
        if ((ret = ave_timeline_snap(tl, mi->fps_den, mi->fps_num)) < 0)
            return ave_job_fail(job, ret, "%s: cannot snap the timeline: %s", job->input_path,
                                ave_strerror(ret));
    } else if (mi->has_video) {
        ave_log(AVE_LOG_VERBOSE, STAGE, "variable frame rate: cuts are not snapped to a grid");
    }
    /* Music: trim to --target-duration and move cuts onto beats (on frames). */
    if ((ret = beat_sync_apply(job)) < 0)
        return ret;

    kept_us = ave_timeline_kept_duration(tl);
    text = ave_timeline_json_words(tl, job->input_path, job->input_fingerprint,
                                   job->analysis.words, job->analysis.word_count);
    if (!text)
        return AVE_ERR_NOMEM;
    ret = ave_job_write_file(job, "timeline.json", text, strlen(text));
    free(text);
    if (ret < 0)
        return ret;

    ave_log(AVE_LOG_INFO, STAGE, "%zu cut(s) remove %.2f s: %.2f s -> %.2f s",
            ave_timeline_removed_count(tl), sec(tl->duration_us - kept_us), sec(tl->duration_us),
            sec(kept_us));
    ave_job_metric_number(job, "timeline", "cut_count", (double)ave_timeline_removed_count(tl));
    ave_job_metric_number(job, "timeline", "kept_segments", (double)ave_timeline_kept_count(tl));
    ave_job_metric_number(job, "timeline", "time_removed_s", sec(tl->duration_us - kept_us));
    ave_job_metric_number(job, "timeline", "edited_duration_s", sec(kept_us));
    return 0;
}

const ave_stage ave_stage_plan = {
    .name = "plan",
    .description = "finalise the cuts (minimum lengths, frame grid) and write timeline.json",
    .flags = 0,
    .weight = 0.01,
    .options = plan_options,
    .opts_size = sizeof(plan_opts),
    .run = plan_run,
};
