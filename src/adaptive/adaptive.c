/* The adaptive stage: fits the job's settings to the machine, the input and
 * the memory budget, right after probe and before any large buffer exists.
 *
 * Always: the peak memory of the chosen settings is estimated
 * (ave/resources.h); when it exceeds --max-memory, cheaper settings are
 * chosen (a lower --quality means a shorter x264 lookahead, then one
 * recogniser thread) and each change is recorded with its reason. If even
 * the cheapest settings do not fit, the job stops here with one clear line,
 * before minutes of analysis are spent.
 *
 * With --adaptive-processing, also picks --mode, --quality and the thread
 * count from the cores and the input's length and pixel rate (rules in
 * docs/RESOURCES.md). A value the user set by flag or environment is never
 * changed for speed, only for the memory limit. */
#include <stdio.h>
#include <string.h>

#include "ave/ave.h"
#include "ave/resources.h"

#define STAGE "adaptive"
#define MB (1024.0 * 1024.0)

/* Encoder pixel rate one core sustains at each preset in real time,
 * measured on this project's 2-core machines (720p30 = 27.6 Mpx/s). */
#define FAST_PRESET_PX_PER_CORE 30e6
#define DEFAULT_PRESET_PX_PER_CORE 12e6
#define LONG_INPUT_S (60 * 60)
#define SHORT_INPUT_S (10 * 60)

static const char *const quality_names[] = {"low", "medium", "high", "ultra"};
static const char *const mode_names[] = {"fast", "balanced", "high_quality"};

static int user_chose(const ave_job *job, const char *name)
{
    return ave_settings_source(job->settings, name) >= AVE_SRC_ENV;
}

static void estimate(const ave_job *job, ave_memory_estimate *e)
{
    ave_estimate_job_memory(&job->media, job->cfg, job->threads, e);
}

static void choose_for_machine(ave_job *job, const ave_machine *mach)
{
    const ave_media_info *m = &job->media;
    double seconds = (double)m->duration_us / 1e6;
    double fps = m->fps_den > 0 ? (double)m->fps_num / m->fps_den : 30.0;
    double px_per_core = (double)m->width * m->height * fps / mach->cores;
    char why[160];
    int mode = AVE_MODE_BALANCED, quality = job->cfg->quality;

    if (seconds > LONG_INPUT_S && mach->cores <= 2)
        mode = AVE_MODE_FAST;
    else if (seconds <= SHORT_INPUT_S && mach->cores >= 8)
        mode = AVE_MODE_HIGH_QUALITY;
    if (!user_chose(job, "mode")) {
        snprintf(why, sizeof(why), "%.0f min of input on %d cores", seconds / 60, mach->cores);
        ave_job_override(job, "mode", mode_names[mode], why);
    }
    if (m->has_video && !user_chose(job, "quality")) {
        if (px_per_core > FAST_PRESET_PX_PER_CORE)
            quality = AVE_QUALITY_LOW;
        else if (px_per_core > DEFAULT_PRESET_PX_PER_CORE)
            quality = AVE_QUALITY_MEDIUM;
        snprintf(why, sizeof(why), "%.1f Mpixel/s per core to encode", px_per_core / 1e6);
        if (quality < job->cfg->quality)
            ave_job_override(job, "quality", quality_names[quality], why);
    }
    if (job->cfg->parallel)
        job->threads = mach->cores;
    /* A budget above what is free would only move the failure to the OOM
     * killer: keep a quarter of the free memory for the rest of the system. */
    if (mach->mem_available_bytes > 0 && job->mem_limit_bytes > mach->mem_available_bytes / 4 * 3)
        job->mem_limit_bytes = mach->mem_available_bytes / 4 * 3;
}

/* The estimate runs up to 3% under the measured peak (docs/SCALE-OUT.md);
 * a 720p clip estimated at 250 MB under a 256 MB budget peaked at 245 MB
 * and once over 256. So settings must fit with this much to spare. */
#define ESTIMATE_MARGIN 1.05

/* Cheaper settings until the estimate fits; the job's first failure
 * otherwise. */
static int fit_memory(ave_job *job)
{
    ave_memory_estimate e;
    char why[160];

    estimate(job, &e);
    while (job->mem_limit_bytes > 0 && e.total * ESTIMATE_MARGIN > job->mem_limit_bytes) {
        snprintf(why, sizeof(why),
                 "estimated peak %.0f MB, +5%% for the estimate's error, is "
                 "over the %.0f MB budget",
                 (double)e.total / MB, (double)job->mem_limit_bytes / MB);
        if (e.render >= e.speech && job->cfg->quality > AVE_QUALITY_LOW)
            ave_job_override(job, "quality", quality_names[job->cfg->quality - 1], why);
        else if (e.speech > 0 && job->threads != 1) {
            ave_log(AVE_LOG_INFO, STAGE, "one recogniser thread: %s", why);
            job->threads = 1;
        } else {
            return ave_job_fail(job, AVE_ERR_LIMIT,
                                "%s: needs about %.0f MB even with the cheapest settings, over "
                                "--max-memory %g GB",
                                job->input_path, (double)e.total / MB, job->cfg->max_memory_gb);
        }
        estimate(job, &e);
    }
    ave_job_metric_number(job, STAGE, "estimated_peak_mb", (double)(e.total >> 20));
    ave_job_metric_number(job, STAGE, "estimated_render_mb", (double)(e.render >> 20));
    ave_job_metric_number(job, STAGE, "estimated_speech_mb", (double)(e.speech >> 20));
    ave_job_metric_number(job, STAGE, "memory_budget_mb", (double)(job->mem_limit_bytes >> 20));
    return 0;
}

static int adaptive_run(void *priv, const void *opts, ave_job *job)
{
    ave_machine mach;
    (void)priv;
    (void)opts;
    ave_machine_probe(&mach);
    ave_job_metric_bool(job, STAGE, "enabled", job->cfg->adaptive_processing);
    ave_job_metric_number(job, STAGE, "cores", mach.cores);
    ave_job_metric_number(job, STAGE, "online_cores", mach.online_cores);
    if (mach.mem_limit_bytes > 0)
        ave_job_metric_number(job, STAGE, "memory_limit_mb", (double)(mach.mem_limit_bytes >> 20));
    ave_job_metric_number(job, STAGE, "memory_available_mb",
                          (double)(mach.mem_available_bytes >> 20));
    if (job->cfg->adaptive_processing)
        choose_for_machine(job, &mach);
    int ret = fit_memory(job);
    ave_job_metric_number(job, STAGE, "threads", job->threads); /* 0: the libraries' auto */
    return ret;
}

const ave_stage ave_stage_adaptive = {
    .name = STAGE,
    .description = "fit mode, quality and threads to the machine, input and --max-memory",
    .weight = 0.01,
    .run = adaptive_run,
};
