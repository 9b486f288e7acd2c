/* The stage interface and registry.
 *
 * A stage is a small declared object, like an FFmpeg filter: a private
 * context size, an options table and init/run/uninit callbacks. The pipeline
 * allocates (zeroed) and frees the private context. uninit is always called,
 * even when init failed, so init never cleans up after itself. */
#ifndef AVE_STAGE_H
#define AVE_STAGE_H

#include <stddef.h>
#include "ave/job.h"
#include "ave/options.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ave_stage_flags {
    AVE_STAGE_NEEDS_AUDIO = 1 << 0, /* skipped (with a warning) without audio */
    AVE_STAGE_NEEDS_VIDEO = 1 << 1, /* skipped without video */
    AVE_STAGE_ANALYSIS = 1 << 2,    /* an analysis stage (listed as such in docs) */
    /* Runs after every other stage, once the metrics are final (stage times,
     * cache statistics, peak memory, durations): for stages that report on
     * the run, like "report". Its own time is added to the metrics after it. */
    AVE_STAGE_AFTER_METRICS = 1 << 3,
    /* With --parallel, may run on a worker thread alongside the next stages
     * (which must not read what it produces) until the pipeline reaches the
     * first stage that is not an analysis stage. Such a stage touches the job
     * only through ave/job.h calls and its own analysis fields. */
    AVE_STAGE_CONCURRENT = 1 << 4
};

typedef struct ave_stage {
    const char *name;        /* short, unique: "probe", "silence", "render" */
    const char *description; /* one line for --help and docs */
    unsigned flags;          /* enum ave_stage_flags */
    double weight;           /* share of the progress bar (relative) */

    const ave_option *options; /* NULL or NULL-name terminated, into opts */
    size_t opts_size;          /* size of the stage's options struct */
    size_t priv_size;          /* size of the private context */

    /* Optional: return 0 to skip the stage for this job (e.g. a flag is off). */
    int (*enabled)(const ave_job *job, const void *opts);
    int (*init)(void *priv, const void *opts, ave_job *job);
    int (*run)(void *priv, const void *opts, ave_job *job);
    void (*uninit)(void *priv, ave_job *job);

    /* Optional result caching (include/ave/cache.h, docs/ARCHITECTURE.md
     * "Caching a stage"). When cache_kind ("audio", "thumbnail", "api",
     * "trend") and both hooks are set, the pipeline looks the stage's result
     * up before running it and, on a hit, calls cache_load instead of
     * init/run/uninit; on a miss it runs the stage, then calls cache_save.
     * The key covers the input's content, the stage name, cache_version
     * (bump it whenever the stage's results change) and the options that can
     * change them. The pipeline itself saves and restores the stage's own
     * metrics section. */
    const char *cache_kind;
    int cache_version;
    /* Optional, for a stage that reads the input itself rather than what
     * earlier stages found: the global options its result depends on
     * (NULL-terminated). With --cache-aggressive its key then covers only
     * these and its own options, so its result is reused when anything else
     * changes. */
    const char *const *cache_globals;
    /* Serialise everything run did to the job (analysis fields, the whole
     * timeline) into *blob (malloc'd, the caller frees) of *size bytes. */
    int (*cache_save)(const ave_job *job, void **blob, size_t *size);
    /* Apply a blob from cache_save to the job, exactly as run would have.
     * All or nothing: on failure (a damaged blob) the job is left unchanged
     * and the pipeline runs the stage instead. blob is borrowed. */
    int (*cache_load)(ave_job *job, const void *blob, size_t size);

    /* Optional, for a stage that processes the rendered audio file (enhance):
     * the same work as a function from an audio file to an audio file
     * (in_path and out_path in the scratch folder, same container family),
     * offered to the render stage through job->audio_post so that it can
     * run beside the video encode (see ave_audio_post in ave/job.h). When
     * render took it, the stage's run is not called. */
    ave_audio_post_fn audio_post;
} ave_stage;

/* The registered stages in pipeline order; *count receives the number.
 * The array and stages are static. */
const ave_stage *const *ave_stage_registry(size_t *count);

/* Registered stage by name, or NULL. */
const ave_stage *ave_stage_find(const char *name);

#ifdef __cplusplus
}
#endif
#endif
