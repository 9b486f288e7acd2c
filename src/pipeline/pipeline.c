/* The pipeline runner: prepares scratch space, runs every registered stage in
 * order (skipping those whose input is missing or that declare themselves
 * disabled, and loading from the results cache those with cache hooks whose
 * result is already known: stage_cache.c), times them, and on success writes
 * the metrics and publishes the staged outputs. Failure at any point
 * discards everything staged.
 *
 * With --parallel, stages flagged AVE_STAGE_CONCURRENT (frames, beats) start
 * on a worker thread and the pipeline goes on with the next stages (speech)
 * meanwhile; all workers are joined before the first stage that is not an
 * analysis stage (plan), which is where their results are first read. Cache
 * lookups and stores stay on the pipeline's thread. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ave/ave.h"
#include "core/fsutil.h"
#include "core/job_internal.h"
#include "pipeline/stage_cache.h"

#define SCRATCH_PREFIX "ave-"

static int make_scratch(ave_job *job)
{
    const char *base = job->cfg->temp_dir;
    if (!base || !*base)
        base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    int r = ave_fs_mkdir_p(base);
    if (r < 0)
        return ave_job_fail(job, r == -ENOSPC ? AVE_ERR_NOSPACE : AVE_ERR_IO,
                            "%s: cannot create temp folder: %s", base, strerror(-r));
    int stale = ave_fs_remove_stale(base, SCRATCH_PREFIX);
    if (stale > 0)
        ave_log(AVE_LOG_INFO, NULL, "removed %d temp folder(s) left by an interrupted run in %s",
                stale, base);

    char name[64];
    snprintf(name, sizeof(name), SCRATCH_PREFIX "%ld-XXXXXX", (long)getpid());
    char *tmpl = ave_fs_join(base, name);
    if (!tmpl)
        return AVE_ERR_NOMEM;
    if (!mkdtemp(tmpl)) {
        r = ave_job_fail(job, errno == ENOSPC ? AVE_ERR_NOSPACE : AVE_ERR_IO,
                         "%s: cannot create temp folder: %s", base, strerror(errno));
        free(tmpl);
        return r;
    }
    job->scratch_dir = tmpl;
    return 0;
}

/* Flags such as --enable-beat-sync are accepted before their stage exists;
 * the metrics say they were requested but could not be honoured. */
struct unavailable_ctx {
    cJSON *list;
};

static int note_unavailable(void *opaque, const char *owner, const ave_option *opt,
                            const void *target, int source)
{
    struct unavailable_ctx *ctx = opaque;
    (void)owner;
    if (!opt->stage || ave_stage_find(opt->stage) || !ave_option_is_set(opt, target))
        return 0;
    cJSON *item = cJSON_CreateObject();
    if (!item)
        return 0;
    cJSON_AddStringToObject(item, "option", opt->name);
    cJSON_AddStringToObject(item, "stage", opt->stage);
    cJSON_AddItemToArray(ctx->list, item);
    ave_log(AVE_LOG_WARNING, NULL, "--%s was requested, but the '%s' stage is not available in this build",
            opt->name, opt->stage);
    (void)source;
    return 0;
}

static int record_configuration(void *opaque, const char *owner, const ave_option *opt,
                                const void *target, int source)
{
    static const char *const source_names[] = {"default", "profile", "environment", "flag"};
    cJSON *config = opaque;
    char value[512], key[160];
    if (ave_option_format(opt, target, value, sizeof(value)) < 0)
        return 0;
    snprintf(key, sizeof(key), "%s%s%s", owner ? owner : "", owner ? "." : "", opt->name);
    cJSON *item = cJSON_AddObjectToObject(config, key);
    if (item) {
        cJSON_AddStringToObject(item, "value", value);
        cJSON_AddStringToObject(item, "source",
                                source >= 0 && source <= AVE_SRC_FLAG ? source_names[source] : "?");
    }
    return 0;
}

static int run_stage(ave_job *job, const ave_stage *stage, const void *opts)
{
    void *priv = NULL;
    if (stage->priv_size) {
        priv = calloc(1, stage->priv_size);
        if (!priv)
            return AVE_ERR_NOMEM;
    }
    double cpu0 = ave_thread_cpu_s();
    int r = stage->init ? stage->init(priv, opts, job) : 0;
    if (r >= 0 && stage->run)
        r = stage->run(priv, opts, job);
    if (stage->uninit)
        stage->uninit(priv, job);
    free(priv);
    ave_job_add_stage_cpu(job, stage->name, ave_thread_cpu_s() - cpu0);
    if (r < 0 && !ave_job_errcode(job))
        ave_job_fail(job, r, "%s: stage %s failed: %s", job->input_path, stage->name, ave_strerror(r));
    return r < 0 ? r : 0;
}

/* A stage running on a worker thread. */
typedef struct stage_worker {
    pthread_t thread;
    ave_job *job;
    const ave_stage *stage;
    const void *opts;
    char key[AVE_CACHE_HEX_LEN];
    double t0, t1;
    int result;
} stage_worker;

#define MAX_WORKERS 4

static void *worker_main(void *arg)
{
    stage_worker *w = arg;
    w->result = run_stage(w->job, w->stage, w->opts);
    w->t1 = ave_now();
    return NULL;
}

/* A stage's time and status, and its span on the job's clock for the
 * report's timeline (stages on worker threads overlap others). */
static void record_stage(ave_job *job, cJSON *times, cJSON *status, const ave_stage *stage,
                         double t0, double seconds, const char *state)
{
    cJSON *root = job->internal->metrics, *timeline, *span;
    ave_job_lock(job); /* workers may be adding their own metrics */
    cJSON_AddNumberToObject(times, stage->name, seconds);
    cJSON_AddStringToObject(status, stage->name, state);
    if (!(timeline = cJSON_GetObjectItemCaseSensitive(root, "stage_timeline")))
        timeline = cJSON_AddArrayToObject(root, "stage_timeline");
    if (timeline && (span = cJSON_CreateObject()) && cJSON_AddItemToArray(timeline, span)) {
        cJSON_AddStringToObject(span, "stage", stage->name);
        double a = t0 - job->internal->start_time;
        cJSON_AddNumberToObject(span, "start_s", round(a * 1000) / 1000);
        cJSON_AddNumberToObject(span, "end_s", round((a + seconds) * 1000) / 1000);
        cJSON_AddStringToObject(span, "status", state);
    }
    ave_job_unlock(job);
}

/* Wait for every worker; the first failure (in start order) is returned. */
static int join_workers(ave_job *job, stage_worker *workers, size_t *count, cJSON *times,
                        cJSON *status, stage_cache *sc)
{
    int first = 0;
    for (size_t i = 0; i < *count; i++) {
        stage_worker *w = &workers[i];
        pthread_join(w->thread, NULL);
        __atomic_sub_fetch(&job->internal->workers, 1, __ATOMIC_RELEASE);
        double dt = w->t1 - w->t0;
        if (w->result >= 0)
            stage_cache_store(job, sc, w->stage, w->key);
        record_stage(job, times, status, w->stage, w->t0, dt, w->result < 0 ? "failed" : "ok");
        if (w->result < 0 && !first)
            first = w->result;
        else if (w->result >= 0)
            ave_log(AVE_LOG_VERBOSE, w->stage->name, "done in %.2f s (alongside other stages)", dt);
    }
    *count = 0;
    return first;
}

/* List a stage whose time overlapped other stages' in the metrics
 * (pipeline.concurrent_stages): its time is not part of the total's sum. */
static void note_concurrent(ave_job *job, const char *name)
{
    ave_job_lock(job);
    cJSON *section = ave_job_metrics_section(job, "pipeline");
    cJSON *list = section ? cJSON_GetObjectItemCaseSensitive(section, "concurrent_stages") : NULL;
    if (section && !list)
        list = cJSON_AddArrayToObject(section, "concurrent_stages");
    if (list)
        cJSON_AddItemToArray(list, cJSON_CreateString(name));
    ave_job_unlock(job);
}

/* Start the stage on a worker thread; 0 when it could not be (then the
 * caller runs it in line). */
static int start_worker(ave_job *job, const ave_stage *stage, const void *opts, const char *key,
                        stage_worker *workers, size_t *count)
{
    if (*count >= MAX_WORKERS)
        return 0;
    stage_worker *w = &workers[*count];
    memset(w, 0, sizeof(*w));
    w->job = job;
    w->stage = stage;
    w->opts = opts;
    memcpy(w->key, key, sizeof(w->key));
    w->t0 = ave_now();
    __atomic_add_fetch(&job->internal->workers, 1, __ATOMIC_RELEASE);
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        __atomic_sub_fetch(&job->internal->workers, 1, __ATOMIC_RELEASE);
        return 0;
    }
    (*count)++;
    ave_log(AVE_LOG_VERBOSE, stage->name, "started alongside the next stages");
    note_concurrent(job, stage->name);
    return 1;
}

static int runs_concurrently(const ave_job *job, const ave_stage *stage, int after_metrics)
{
    return !after_metrics && (stage->flags & AVE_STAGE_CONCURRENT) && job->threads != 1 &&
           job->cfg->parallel;
}

static int listed(const char *const *names, const char *name)
{
    for (; *names; names++)
        if (!strcmp(*names, name))
            return 1;
    return 0;
}

static const char *skip_reason(const ave_job *job, const ave_stage *stage, const void *opts)
{
    if (job->internal->only_stages && !listed(job->internal->only_stages, stage->name))
        return "not part of this command";
    if ((stage->flags & AVE_STAGE_NEEDS_AUDIO) && !job->media.has_audio)
        return "skipped: no audio stream";
    if ((stage->flags & AVE_STAGE_NEEDS_VIDEO) && !job->media.has_video)
        return "skipped: no video stream";
    if (stage->enabled && !stage->enabled(job, opts))
        return "disabled";
    return NULL;
}

/* Offer the stage after i that processes the rendered audio (enhance) to
 * the stages before it, while it has not been run: the first later stage
 * with audio_post that will run. Render takes it or not. */
static void offer_audio_post(ave_job *job, const ave_stage *const *stages, size_t i,
                             size_t count)
{
    if (job->audio_post.ran)
        return;
    memset(&job->audio_post, 0, sizeof(job->audio_post));
    for (size_t j = i + 1; j < count; j++) {
        const void *opts = ave_settings_stage_opts(job->settings, stages[j]->name);
        if (!stages[j]->audio_post || (stages[j]->flags & AVE_STAGE_AFTER_METRICS) ||
            skip_reason(job, stages[j], opts))
            continue;
        job->audio_post.run = stages[j]->audio_post;
        job->audio_post.opts = opts;
        job->audio_post.stage = stages[j]->name;
        return;
    }
}

/* A stage whose work an earlier stage already did through job->audio_post:
 * its time is the one measured there (its CPU time was added there). */
static int audio_post_done(ave_job *job, const ave_stage *stage, cJSON *times, cJSON *status)
{
    ave_audio_post *p = &job->audio_post;
    if (!p->ran || !p->stage || strcmp(p->stage, stage->name))
        return 0;
    record_stage(job, times, status, stage, p->t0, p->seconds, "ok");
    note_concurrent(job, stage->name); /* its time lies inside the render's */
    ave_log(AVE_LOG_VERBOSE, stage->name, "done in %.2f s (on the render's audio thread)",
            p->seconds);
    memset(p, 0, sizeof(*p));
    return 1;
}

/* One pass over the registry: the stages flagged AVE_STAGE_AFTER_METRICS
 * when after_metrics, else all the others. Progress spans are laid out over
 * the whole registry either way. */
static int run_stages(ave_job *job, cJSON *times, cJSON *status, stage_cache *sc,
                      int after_metrics)
{
    struct ave_job_internal *in = job->internal;
    stage_worker workers[MAX_WORKERS];
    size_t nworkers = 0;
    int r = 0;
    size_t count;
    const ave_stage *const *stages = ave_stage_registry(&count);
    const char *const *only = in->only_stages;
    double total_weight = 0;
    for (size_t i = 0; i < count; i++)
        if (!only || listed(only, stages[i]->name))
            total_weight += stages[i]->weight > 0 ? stages[i]->weight : 0.01;

    double base = 0;
    for (size_t i = 0; i < count; i++) {
        const ave_stage *stage = stages[i];
        const void *opts = ave_settings_stage_opts(job->settings, stage->name);
        double span = only && !listed(only, stage->name)
                          ? 0
                          : (stage->weight > 0 ? stage->weight : 0.01) / total_weight;
        if (!(stage->flags & AVE_STAGE_AFTER_METRICS) != !after_metrics) {
            base += span;
            continue;
        }
        /* the workers' results are read from here on */
        if (nworkers && !(stage->flags & AVE_STAGE_ANALYSIS) &&
            (r = join_workers(job, workers, &nworkers, times, status, sc)) < 0)
            goto out;
        in->stage_name = stage->name;
        in->stage_base = base;
        in->stage_span = span;
        base += span;

        const char *skip = skip_reason(job, stage, opts);
        if (skip) {
            ave_log(AVE_LOG_VERBOSE, stage->name, "%s", skip);
            ave_job_lock(job);
            cJSON_AddStringToObject(status, stage->name, skip);
            ave_job_unlock(job);
            continue;
        }
        if ((r = ave_job_progress(job, 0)) < 0)
            goto out;
        if (audio_post_done(job, stage, times, status)) {
            stage_cache_note_ran(sc, stage->name);
            if ((r = ave_job_progress(job, 1)) < 0)
                goto out;
            continue;
        }
        offer_audio_post(job, stages, i, count);
        double t0 = ave_now();
        char key[AVE_CACHE_HEX_LEN];
        int cached = stage_cache_lookup(job, sc, stage, key);
        if (!cached && runs_concurrently(job, stage, after_metrics) &&
            start_worker(job, stage, opts, key, workers, &nworkers)) {
            /* noted now, in registry order, as a cached or serial run would:
             * later stages' cache keys name the stages before them */
            stage_cache_note_ran(sc, stage->name);
            continue;
        }
        if (!cached) {
            r = run_stage(job, stage, opts);
            if (r >= 0)
                stage_cache_store(job, sc, stage, key);
        }
        stage_cache_note_ran(sc, stage->name);
        double dt = ave_now() - t0;
        record_stage(job, times, status, stage, t0, dt,
                     r < 0 ? "failed" : cached ? "cached" : "ok");
        ave_job_sample_temp_bytes(job);
        if (r < 0)
            goto out;
        ave_log(AVE_LOG_VERBOSE, stage->name, "done in %.2f s", dt);
        if ((r = ave_job_progress(job, 1)) < 0)
            goto out;
    }
out:
    if (nworkers) {
        int w = join_workers(job, workers, &nworkers, times, status, sc);
        if (r >= 0)
            r = w;
    }
    in->stage_name = NULL;
    return r < 0 ? r : 0;
}

static double seconds(int64_t us) { return (double)us / 1e6; }

static int64_t removed_duration(const ave_timeline *tl)
{
    return tl->count ? tl->duration_us - ave_timeline_kept_duration(tl) : 0;
}

static void add_summary(ave_job *job, cJSON *root)
{
    struct ave_job_internal *in = job->internal;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));

    cJSON_AddNumberToObject(root, "total_processing_time", ave_now() - in->start_time);
    /* The whole process, every thread: what module_cpu_times is part of. */
    cJSON_AddNumberToObject(root, "total_cpu_time", ave_process_cpu_s());
    cJSON_AddNumberToObject(root, "memory_peak_usage", (double)ave_peak_rss_bytes());
    if (!cJSON_GetObjectItemCaseSensitive(root, "api_calls_made"))
        cJSON_AddObjectToObject(root, "api_calls_made");
    if (!cJSON_GetObjectItemCaseSensitive(root, "total_api_cost"))
        cJSON_AddNumberToObject(root, "total_api_cost", 0);
    if (!cJSON_GetObjectItemCaseSensitive(root, "output_quality_score"))
        cJSON_AddNullToObject(root, "output_quality_score");
    cJSON_AddNumberToObject(root, "input_duration", seconds(job->timeline.duration_us));
    cJSON_AddNumberToObject(root, "output_duration", seconds(job->output_duration_us));
    cJSON_AddNumberToObject(root, "time_removed", seconds(removed_duration(&job->timeline)));
    cJSON_AddNumberToObject(root, "cut_count", (double)ave_timeline_removed_count(&job->timeline));
    cJSON_AddNumberToObject(root, "temp_bytes_peak", (double)in->temp_bytes_peak);
    cJSON_AddStringToObject(root, "input_path", job->input_path);
    cJSON_AddStringToObject(root, "finished_at", stamp);
    cJSON_AddStringToObject(root, "version", AVE_VERSION_STRING);
}

static int write_metrics(ave_job *job)
{
    cJSON *root = job->internal->metrics;
    char *text = cJSON_Print(root);
    if (!text)
        return AVE_ERR_NOMEM;
    int r = ave_job_write_file(job, "analytics/performance_metrics.json", text, strlen(text));
    cJSON_free(text);
    return r;
}

/* Clock, deadline and scratch folder: what every way of running a job needs. */
static int job_begin(ave_job *job)
{
    struct ave_job_internal *in = job->internal;
    in->start_time = ave_now();
    in->deadline = job->cfg->timeout_s > 0 ? in->start_time + job->cfg->timeout_s : 0;
    int r = make_scratch(job);
    if (r == 0)
        ave_job_watchdog_start(job);
    return r;
}

static int job_end(ave_job *job, int r)
{
    ave_job_watchdog_stop(job);
    ave_job_monitor_stop(job, 0);
    ave_job_outputs_discard(job);
    ave_job_outputs_release(job);
    if (job->scratch_dir) {
        ave_fs_remove_tree(job->scratch_dir);
        free(job->scratch_dir);
        job->scratch_dir = NULL;
    }
    if (r < 0 && !ave_job_errcode(job))
        ave_job_fail(job, r, "%s: %s", job->input_path, ave_strerror(r));
    return r;
}

int ave_job_run(ave_job *job)
{
    cJSON *root = job->internal->metrics;

    int r = ave_fs_check_writable_dir(job->output_dir);
    if (r < 0) {
        r = ave_job_fail(job, AVE_ERR_IO, "%s: output folder is not writable: %s", job->output_dir,
                         strerror(-r));
        return job_end(job, r);
    }
    if ((r = ave_job_outputs_claim(job)) < 0 || (r = job_begin(job)) < 0)
        return job_end(job, r);
    int is_full;
    if (ave_cache_fingerprint(job->input_path, job->input_fingerprint, &is_full) < 0)
        job->input_fingerprint[0] = '\0';
    ave_job_monitor_start(job);

    struct unavailable_ctx unavailable = {cJSON_AddArrayToObject(root, "requested_unavailable")};
    cJSON *config = cJSON_AddObjectToObject(root, "configuration");
    cJSON *times = cJSON_AddObjectToObject(root, "module_processing_times");
    cJSON_AddObjectToObject(root, "module_cpu_times"); /* filled by ave_job_add_stage_cpu */
    cJSON *status = cJSON_AddObjectToObject(root, "stage_status");
    if (!unavailable.list || !config || !times || !status)
        return job_end(job, AVE_ERR_NOMEM);
    ave_settings_foreach(job->settings, note_unavailable, &unavailable);
    ave_settings_foreach(job->settings, record_configuration, config);

    stage_cache sc;
    stage_cache_begin(job, &sc);
    r = run_stages(job, times, status, &sc, 0);
    stage_cache_end(job, &sc);
    if (r < 0)
        return job_end(job, r);
    /* The summary is final before the stages that report on the run (the
     * HTML report) see the metrics; their own times are added after. */
    ave_job_monitor_stop(job, 1);
    add_summary(job, root);
    if ((r = run_stages(job, times, status, &sc, 1)) < 0)
        return job_end(job, r);
    if ((r = write_metrics(job)) < 0)
        return job_end(job, r);
    return job_end(job, ave_job_outputs_publish(job));
}

int ave_job_run_only(ave_job *job, const char *const *stage_names)
{
    for (const char *const *n = stage_names; *n; n++)
        if (!ave_stage_find(*n))
            return ave_job_fail(job, AVE_ERR_UNSUPPORTED, "no stage named '%s' in this build", *n);
    job->internal->only_stages = stage_names;
    int r = ave_job_run(job);
    job->internal->only_stages = NULL;
    return r;
}

int ave_job_run_task(ave_job *job, const char *name, ave_job_task_fn fn, void *opaque)
{
    struct ave_job_internal *in = job->internal;
    int r = job_begin(job);
    if (r < 0)
        return job_end(job, r);
    in->stage_name = name;
    in->stage_base = 0;
    in->stage_span = 1;
    if ((r = ave_job_progress(job, 0)) == 0 && (r = fn(job, opaque)) == 0)
        r = ave_job_progress(job, 1);
    in->stage_name = NULL;
    return job_end(job, r < 0 ? r : 0);
}
