/* Job lifetime, errors, progress/timeout/cancel checks and memory budget.
 * A job owns everything it allocates; stages only borrow. The first error
 * message wins because later failures are usually consequences of it. */
#include <errno.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "ave/error.h"
#include "ave/log.h"
#include "ave/resources.h"
#include "core/fsutil.h"
#include "core/job_internal.h"

double ave_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int64_t ave_peak_rss_bytes(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) < 0)
        return 0;
    return (int64_t)ru.ru_maxrss * 1024;
}

/* "talk" from "/a/b/talk.mp4"; caller frees. */
static char *input_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *stem = strdup(*base ? base : "input");
    if (!stem)
        return NULL;
    char *dot = strrchr(stem, '.');
    if (dot && dot != stem)
        *dot = '\0';
    return stem;
}

static char *default_output_dir(const char *stem)
{
    size_t len = strlen("output/") + strlen(stem) + 1;
    char *dir = malloc(len);
    if (dir)
        snprintf(dir, len, "output/%s", stem);
    return dir;
}

int ave_job_new(ave_job **out, const ave_settings *settings, const char *input_path,
                const char *output_dir, const ave_job_callbacks *cb)
{
    *out = NULL;
    ave_job *job = calloc(1, sizeof(*job));
    if (!job)
        return AVE_ERR_NOMEM;
    job->internal = calloc(1, sizeof(*job->internal));
    if (!job->internal) {
        free(job);
        return AVE_ERR_NOMEM;
    }
    {
        pthread_mutexattr_t attr;
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
        pthread_mutex_init(&job->internal->lock, &attr);
        pthread_mutexattr_destroy(&attr);
        job->internal->owner = pthread_self();
    }
    job->settings = settings;
    job->internal->cfg = *ave_settings_config(settings);
    job->cfg = &job->internal->cfg;
    job->media.video_stream = -1;
    job->media.audio_stream = -1;
    if (cb)
        job->internal->cb = *cb;

    job->input_path = strdup(input_path);
    job->input_name = input_stem(input_path);
    if (output_dir)
        job->output_dir = strdup(output_dir);
    else if (job->cfg->output)
        job->output_dir = strdup(job->cfg->output);
    else if (job->input_name)
        job->output_dir = default_output_dir(job->input_name);
    job->internal->metrics = cJSON_CreateObject();
    if (!job->input_path || !job->input_name || !job->output_dir || !job->internal->metrics) {
        ave_job_free(job);
        return AVE_ERR_NOMEM;
    }

    job->mem_limit_bytes = (int64_t)(job->cfg->max_memory_gb * 1024.0 * 1024.0 * 1024.0);
    /* Threads and the default budget follow what this process may use, not
     * the machine's size: under taskset or a container quota "auto" would
     * start a thread per online processor. Left at auto (0) otherwise, so
     * FFmpeg and x264 pick as they always have. */
    ave_machine mach;
    ave_machine_probe(&mach);
    job->threads = !job->cfg->parallel            ? 1
                   : mach.cores < mach.online_cores ? mach.cores
                                                   : 0;
    if (mach.mem_limit_bytes > 0 &&
        ave_settings_source(settings, "max-memory") == AVE_SRC_DEFAULT &&
        job->mem_limit_bytes > mach.mem_limit_bytes / 4 * 3)
        job->mem_limit_bytes = mach.mem_limit_bytes / 4 * 3;
    *out = job;
    return 0;
}

void ave_job_free(ave_job *job)
{
    if (!job)
        return;
    if (job->internal) {
        ave_job_watchdog_stop(job);
        ave_job_monitor_stop(job, 0);
        ave_job_outputs_discard(job);
        ave_job_outputs_release(job);
        for (size_t i = 0; i < job->internal->output_count; i++) {
            free(job->internal->outputs[i].relpath);
            free(job->internal->outputs[i].staged);
        }
        free(job->internal->outputs);
        free(job->internal->staging_dir);
        cJSON_Delete(job->internal->metrics);
        pthread_mutex_destroy(&job->internal->lock);
        free(job->internal);
    }
    if (job->scratch_dir) {
        ave_fs_remove_tree(job->scratch_dir);
        free(job->scratch_dir);
    }
    free(job->analysis.audio.samples);
    free(job->analysis.silences);
    free(job->analysis.words);
    free(job->analysis.frames);
    free(job->analysis.scenes);
    free(job->analysis.headline);
    free(job->analysis.beats.beats_us);
    free(job->analysis.beats.downbeats_us);
    free(job->analysis.beats.sections);
    free(job->analysis.keyphrases);
    free(job->analysis.concepts);
    free(job->analysis.chapters);
    free(job->analysis.highlights);
    for (size_t i = 0; i < job->analysis.overlay_count; i++) {
        free(job->analysis.overlays[i].image_path);
        for (int k = 0; k < AVE_ASPECT_COUNT; k++)
            free(job->analysis.overlays[i].aspect_image[k]);
    }
    free(job->analysis.overlays);
    ave_timeline_free(&job->timeline);
    free(job->input_path);
    free(job->input_name);
    free(job->output_dir);
    free(job);
}

const char *ave_job_errmsg(const ave_job *job)
{
    return job && job->internal ? job->internal->errmsg : "";
}

void ave_job_lock(const ave_job *job)
{
    pthread_mutex_lock(&job->internal->lock);
}

void ave_job_unlock(const ave_job *job)
{
    pthread_mutex_unlock(&job->internal->lock);
}

/* Messages read "<what>: <why>", so one too long for buf (a huge path or
 * quoted value) keeps its head and its end, the cause, and drops the middle. */
__attribute__((format(printf, 3, 0))) static void set_message(char *buf, size_t size,
                                                               const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(buf, size, fmt, ap);
    char *full = n >= (int)size ? malloc((size_t)n + 1) : NULL;
    if (full) {
        vsnprintf(full, (size_t)n + 1, fmt, again);
        size_t head = size / 3, tail = size - head - 16;
        snprintf(buf, size, "%.*s [...] %s", (int)head, full, full + (size_t)n - tail);
        free(full);
    }
    va_end(again);
}

int ave_job_fail(ave_job *job, int code, const char *fmt, ...)
{
    struct ave_job_internal *in = job->internal;
    ave_job_lock(job);
    if (in->errcode == 0) {
        va_list ap;
        va_start(ap, fmt);
        set_message(in->errmsg, sizeof(in->errmsg), fmt, ap);
        va_end(ap);
        in->errcode = code;
    }
    ave_job_unlock(job);
    return code;
}

static int cancel_requested(const struct ave_job_internal *in)
{
    return in->cb.cancel_flag && atomic_load(in->cb.cancel_flag);
}

int ave_job_errcode(const ave_job *job)
{
    ave_job_lock(job);
    int code = job->internal->errcode;
    ave_job_unlock(job);
    return code;
}

/* On a worker thread: stop when the job is cancelled, out of time or failed
 * elsewhere; the progress bar belongs to the pipeline's thread. */
static int worker_progress(ave_job *job)
{
    struct ave_job_internal *in = job->internal;
    int code;
    if (cancel_requested(in))
        return ave_job_fail(job, AVE_ERR_CANCELLED, "%s: interrupted", job->input_path);
    if (in->deadline > 0 && ave_now() > in->deadline)
        return ave_job_fail(job, AVE_ERR_TIMEOUT, "%s: stopped after --timeout %g s",
                            job->input_path, job->cfg->timeout_s);
    code = ave_job_errcode(job);
    return code < 0 ? code : 0;
}

int ave_job_progress(ave_job *job, double stage_fraction)
{
    struct ave_job_internal *in = job->internal;
    double now = ave_now();

    if (!pthread_equal(pthread_self(), in->owner))
        return worker_progress(job);
    if (__atomic_load_n(&in->workers, __ATOMIC_ACQUIRE) > 0) {
        /* a stage on a worker thread failed: stop this one too */
        int code = ave_job_errcode(job);
        if (code < 0)
            return code;
    }
    if (cancel_requested(in))
        return ave_job_fail(job, AVE_ERR_CANCELLED, "%s: interrupted", job->input_path);
    if (in->deadline > 0 && now > in->deadline)
        return ave_job_fail(job, AVE_ERR_TIMEOUT, "%s: stopped after --timeout %g s (in stage %s)",
                            job->input_path, job->cfg->timeout_s,
                            in->stage_name ? in->stage_name : "start");

    if (!in->cb.progress)
        return 0;
    /* Throttled: callers may report per frame. */
    if (stage_fraction < 1.0 && now - in->last_report_time < 0.1)
        return 0;
    in->last_report_time = now;
    if (stage_fraction < 0)
        stage_fraction = 0;
    if (stage_fraction > 1)
        stage_fraction = 1;
    double total = in->stage_base + in->stage_span * stage_fraction;
    /* A stage with several passes may restart its own count. */
    if (total < in->last_fraction)
        total = in->last_fraction;
    in->last_fraction = total;
    double elapsed = now - in->start_time;
    double eta = total > 0.02 ? elapsed / total * (1.0 - total) : -1.0;
    if (in->cb.progress(in->cb.opaque, in->stage_name ? in->stage_name : "", total, eta))
        return ave_job_fail(job, AVE_ERR_CANCELLED, "%s: cancelled", job->input_path);
    return 0;
}

int ave_job_mem_reserve(ave_job *job, int64_t bytes)
{
    int r = 0;
    if (bytes < 0)
        return AVE_ERR_INTERNAL;
    ave_job_lock(job);
    if (job->mem_limit_bytes > 0 && job->mem_reserved_bytes + bytes > job->mem_limit_bytes)
        r = ave_job_fail(job, AVE_ERR_LIMIT,
                         "%s: needs %.2f GB of working memory, over --max-memory %g GB",
                         job->input_path,
                         (double)(job->mem_reserved_bytes + bytes) / (1024.0 * 1024 * 1024),
                         job->cfg->max_memory_gb);
    else
        job->mem_reserved_bytes += bytes;
    ave_job_unlock(job);
    return r;
}

void ave_job_mem_release(ave_job *job, int64_t bytes)
{
    ave_job_lock(job);
    job->mem_reserved_bytes -= bytes;
    if (job->mem_reserved_bytes < 0)
        job->mem_reserved_bytes = 0;
    ave_job_unlock(job);
}

void ave_job_sample_temp_bytes(ave_job *job)
{
    int64_t bytes = 0;
    if (job->scratch_dir)
        bytes += ave_fs_tree_bytes(job->scratch_dir);
    if (job->internal->staging_dir)
        bytes += ave_fs_tree_bytes(job->internal->staging_dir);
    if (bytes > job->internal->temp_bytes_peak)
        job->internal->temp_bytes_peak = bytes;
}
