/* The job's private bookkeeping, shared by src/core and src/pipeline only.
 * Stages never include this: they use the functions in ave/job.h. */
#ifndef AVE_CORE_JOB_INTERNAL_H
#define AVE_CORE_JOB_INTERNAL_H

#include <pthread.h>

#include <cjson/cJSON.h>

#include "ave/job.h"

typedef struct ave_output_file {
    char *relpath;    /* relative to the output folder */
    char *staged;     /* path inside the staging folder */
    int committed;
    int published;    /* moved into place by this job */
} ave_output_file;

struct ave_job_internal {
    /* job->cfg points here: the settings' config, copied so that adaptive
     * processing can change it for this job (strings stay borrowed). */
    ave_config cfg;
    ave_job_callbacks cb;
    int errcode;
    char errmsg[1024];

    double start_time;      /* monotonic seconds */
    double deadline;        /* monotonic seconds; 0: none */

    /* Progress: the running stage covers [stage_base, stage_base+stage_span)
     * of the whole job. */
    const char *stage_name;
    double stage_base, stage_span;
    double last_report_time;
    double last_fraction;   /* reported fractions never go backwards */

    char *staging_dir;      /* <output>/.ave-partial-<pid>, created lazily */
    int publishing;         /* results are being moved into place: too late to abandon */
    int abandoned;          /* ave_job_outputs_abandon ran: every later output is refused */
    int created_output_dir; /* we made the output folder: remove it if left empty */
    int output_lock_fd;     /* 1 + descriptor holding the folder's flock; 0: none */
    ave_output_file *outputs;
    size_t output_count, output_cap;

    cJSON *metrics;         /* root object of performance_metrics.json */
    struct ave_job_monitor *monitor; /* resource sampler while the job runs (monitor.c) */
    struct ave_job_watchdog *watchdog; /* hard --timeout (watchdog.c) */
    const char *const *only_stages; /* NULL: all; else run just these */
    int64_t temp_bytes_peak;

    /* Analysis stages may run on worker threads (--parallel): everything a
     * stage can reach through ave/job.h that is shared (errors, metrics,
     * outputs, memory budget) takes this lock. Recursive, because
     * ave_job_write_file calls begin and commit. */
    pthread_mutex_t lock;
    pthread_t owner;        /* the thread running the pipeline; it alone draws progress */
    int workers;            /* stages running on worker threads now */
};

void ave_job_lock(const ave_job *job);
void ave_job_unlock(const ave_job *job);

/* The job's first error code (0: none), read under the lock: a stage on a
 * worker thread may be failing the job at the same moment. */
int ave_job_errcode(const ave_job *job);

/* Peak resident set size of this process in bytes. */
int64_t ave_peak_rss_bytes(void);

/* Sample scratch + staging usage and keep the peak. */
void ave_job_sample_temp_bytes(ave_job *job);

/* Create the output folder, take its exclusive lock (a second job on the
 * same folder fails with AVE_ERR_IO) and refuse an input that lies among the
 * job's own result paths (AVE_ERR_USAGE). Released by
 * ave_job_outputs_release, which ave_job_free also calls. */
int ave_job_outputs_claim(ave_job *job);
void ave_job_outputs_release(ave_job *job);

/* 1 when final_path is the input file itself (same device and inode). */
int ave_job_output_is_input(const ave_job *job, const char *final_path);

/* Move every committed output into place (called once, on success): refuses
 * (AVE_ERR_USAGE) when one would replace the input, writes the folder's
 * manifest, then removes the earlier run's results that this run did not
 * replace (src/core/output_manifest.c). */
int ave_job_outputs_publish(ave_job *job);

/* The manifest: stage the new one as the last output (*old gets the previous
 * one or NULL; caller frees with cJSON_Delete), and after publishing remove
 * what the old one lists and this job did not write. */
int ave_job_manifest_stage(ave_job *job, cJSON **old);
void ave_job_manifest_remove_stale(ave_job *job, const cJSON *old);

/* Remove the staging folder and everything uncommitted (on failure, or after
 * publishing). */
void ave_job_outputs_discard(ave_job *job);

/* Remove the staging folder, the scratch folder and an output folder the
 * job created, from any thread while the job still runs, and refuse every
 * later output. Returns 0, or 1 (nothing done) when publishing has begun. */
int ave_job_outputs_abandon(ave_job *job);

/* The hard --timeout (src/core/watchdog.c): with a deadline and an overdue
 * callback, a thread that abandons the job's outputs and calls the callback
 * AVE_JOB_OVERDUE_GRACE_S after the deadline unless stopped first. Stop
 * (idempotent) joins it. */
void ave_job_watchdog_start(ave_job *job);
void ave_job_watchdog_stop(ave_job *job);

/* The resource monitor (src/core/monitor.c): start sampling RSS and CPU use
 * once a second (a failure only means no samples); stop it, and with record
 * write the samples to the metrics' "resource_monitor" section. Stop is
 * idempotent. */
void ave_job_monitor_start(ave_job *job);
void ave_job_monitor_stop(ave_job *job, int record);

/* The metrics root, creating sections on demand. */
cJSON *ave_job_metrics_section(ave_job *job, const char *section);

#endif
