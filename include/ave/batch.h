/* Batch processing: many inputs, one child `process` per input, a resumable
 * job table.
 *
 * The batch runner keeps one row per input in a SQLite job table
 * (<output-root>/.ave-batch/jobs.sqlite, WAL mode) and runs each job as a
 * child process of the same binary, so a crash or a memory blow-up in one job
 * never takes the others down and the table always says what is finished.
 * Scheduling is bounded by a job count and by memory: a job starts only when
 * its estimated peak fits under the budget together with the running ones.
 * The policy parts (admission, retries, backoff, resume transitions, the
 * memory estimate) are pure functions, declared here so they can be tested.
 * The engine column and external ids leave room for other engines (Slurm)
 * that submit the same jobs elsewhere and record their ids. */
#ifndef AVE_BATCH_H
#define AVE_BATCH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "ave/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- job states ----------------------------------------------------- */

enum ave_batch_state {
    AVE_BATCH_QUEUED = 0,  /* waiting to run (new, requeued, or waiting for a retry) */
    AVE_BATCH_RUNNING = 1, /* a child is working on it (pid, engine, external id set) */
    AVE_BATCH_DONE = 2,    /* finished; its output folder holds the results */
    AVE_BATCH_FAILED = 3   /* failed after its allowed attempts */
};

/* "queued", "running", "done", "failed" ("?" for anything else). */
const char *ave_batch_state_name(int state);
/* The state for a name, or -1 when unknown. */
int ave_batch_state_parse(const char *name);

/* --- input discovery ---------------------------------------------------- */

/* 1 when path's extension names a video or audio container we accept
 * (mp4 mov mkv webm avi m4v mts ts flv wmv mpg mpeg 3gp, wav mp3 m4a aac flac
 * ogg opus wma aiff), case-insensitive; 0 otherwise. */
int ave_batch_is_media_name(const char *path);

/* Expand args (folders and files) into a list of inputs. A folder yields its
 * media files (by extension, sorted by name; hidden files skipped), including
 * subfolders when recursive; a file argument is taken as given, whatever its
 * extension (the child reports a bad one). Each folder's files are sorted;
 * arguments keep their order; duplicates (same path) are dropped. *paths_out
 * is a malloc'd array of malloc'd strings (free with ave_batch_free_list).
 * Returns AVE_ERR_INPUT with a one-line message in err for a missing
 * argument or a folder without media files. */
int ave_batch_discover(const char *const *args, size_t nargs, int recursive, char ***paths_out,
                       size_t *count_out, char *err, size_t errlen);
void ave_batch_free_list(char **list, size_t count);

/* The output folder name for input: its base name without extension
 * ("talk" for /x/talk.mp4), or "talk-2", "talk-3"... when a name in taken[]
 * already has it. Writes into buf. */
int ave_batch_output_name(const char *input, const char *const *taken, size_t ntaken, char *buf,
                          size_t len);

/* --- memory estimate and admission --------------------------------------- */

/* What the scheduler needs to know about an input. */
typedef struct ave_batch_probe {
    int ok;              /* 1 when the input could be opened */
    int64_t duration_us;
    int has_video;
    int width, height;   /* 0 without video */
    int has_audio;
} ave_batch_probe;

/* Open path with libavformat and read duration and picture size. An
 * unreadable input gives ok = 0 (not an error: the child will report it). */
int ave_batch_probe_file(const char *path, ave_batch_probe *out);

/* Estimated peak resident memory of `process` on this input with these
 * settings, in bytes: ave_estimate_job_memory (ave/resources.h), the one
 * model that --max-memory and the adaptive stage also use, on the probed
 * length, picture size and streams, with two recogniser decoders under
 * --parallel and one without. An unreadable input is estimated at the fixed
 * cost. docs/BATCH.md has the measurements behind it. */
int64_t ave_batch_estimate_peak(const ave_batch_probe *p, const ave_config *cfg);

/* Admission decision for one job. */
enum ave_batch_admit {
    AVE_BATCH_WAIT = 0,       /* not now: too many running or not enough memory */
    AVE_BATCH_START = 1,      /* fits */
    AVE_BATCH_START_ALONE = 2 /* over the whole budget by itself; runs with nothing else */
};

/* May a job estimated at est bytes start while `running` jobs with a total
 * estimate of running_bytes run, under max_parallel jobs and budget bytes?
 * A job that alone exceeds the budget starts only when nothing runs. */
int ave_batch_admit(int64_t budget, int max_parallel, int running, int64_t running_bytes,
                    int64_t est);

/* New calibration factor after a job estimated at est measured peak bytes:
 * the largest under-estimate seen so far (measured / est), never below 1 and
 * at most 4, so later estimates cover what was measured. */
double ave_batch_calibrate(double factor, int64_t est, int64_t peak);

/* --- retries ---------------------------------------------------------- */

/* 1 when a job that ended with exit_code (the child's exit status; one of
 * enum ave_exit) after `attempts` attempts should run again under
 * max_retries retries: only failures that may be transient are retried
 * (1 internal, 4 input/output, 5 timeout); never 0, 2 usage, 3 bad input,
 * 6 resource limit or 130 interrupted. */
int ave_batch_should_retry(int exit_code, int attempts, int max_retries);

/* Seconds to wait before attempt number `attempt` (2 = first retry):
 * base_s * 2^(attempt - 2), at most 300 s. */
double ave_batch_backoff_s(double base_s, int attempt);

/* The worse of two child exit codes for the batch's own exit code: 0 counts
 * as best, then 2 usage < 3 input < 4 io < 5 timeout < 6 limit < 1 internal;
 * 130 (interrupted) is worse than all. */
int ave_batch_exit_worse(int a, int b);

/* --- resume ----------------------------------------------------------- */

/* State of a reopened row for a new run of the same command:
 *  done    -> done when outputs_ok and input_unchanged, else queued
 *  running -> queued when the recorded process is gone (pid_alive 0);
 *             running when it is still alive (the caller must stop it first)
 *  failed  -> queued (a re-run retries failures)
 *  queued  -> queued
 * outputs_ok: the output folder and analytics/performance_metrics.json exist. */
int ave_batch_resume_state(int state, int pid_alive, int outputs_ok, int input_unchanged);

/* --- job table -------------------------------------------------------- */

typedef struct ave_batch_job {
    int64_t id;            /* row id; also names logs/<id>.log */
    char *input;           /* absolute input path (unique) */
    int64_t input_size;    /* bytes, at the time the row was (re)queued */
    int64_t input_mtime_ns;
    char *output_dir;      /* this input's output folder (unique) */
    int state;             /* enum ave_batch_state */
    int attempts;          /* attempts in this run of the command */
    int exit_code;         /* last child's exit code, -1 when none */
    char *last_error;      /* last line the child wrote on stderr, or NULL */
    double started_at;     /* Unix time of the last start, 0 when none */
    double finished_at;    /* Unix time of the last end, 0 when none */
    double duration_s;     /* wall time of the last attempt */
    int pid;               /* child pid while running (local engine), 0 otherwise */
    char *engine;          /* "local" (later "slurm") */
    char *external_job;    /* engine's job id (e.g. Slurm job id), or NULL */
    char *external_task;   /* engine's task id (e.g. Slurm array index), or NULL */
    int64_t est_peak_bytes;  /* estimate used for admission */
    int64_t peak_bytes;      /* measured peak of the last attempt (0 unknown) */
} ave_batch_job;

/* Free the strings of job and zero it. */
void ave_batch_job_clear(ave_batch_job *job);

typedef struct ave_batch_db ave_batch_db;

/* Open or create the job table at path (WAL mode, busy timeout 5 s). An
 * unreadable or corrupt file is an error (AVE_ERR_IO, message in err): the
 * table is the batch's memory and is never silently replaced. */
int ave_batch_db_open(const char *path, ave_batch_db **out, char *err, size_t errlen);
void ave_batch_db_close(ave_batch_db *db);

/* The batch's absolute output root. From then on rows store their output
 * folder by name and read it back as root/<name>, so a table copied with
 * its folder, or a tampered row, never makes the batch write outside the
 * root (an unusable name becomes job-<id>, with a warning). */
int ave_batch_db_set_root(ave_batch_db *db, const char *root);

/* The last failure of a call on db, one line ("job table: select: ..."),
 * or NULL; the caller reports it (nothing is logged). Borrowed. */
const char *ave_batch_db_errmsg(const ave_batch_db *db);

/* Row for input into *job (caller clears it). Returns 1 found, 0 absent, or
 * a negative AVE_ERR_*. */
int ave_batch_db_find(ave_batch_db *db, const char *input, ave_batch_job *job);
/* Insert job (input, output_dir and state at least); sets job->id. */
int ave_batch_db_insert(ave_batch_db *db, ave_batch_job *job);
/* Write every field of the row job->id. */
int ave_batch_db_update(ave_batch_db *db, const ave_batch_job *job);
/* All output folders already used, for naming new rows. *dirs_out as in
 * ave_batch_discover. */
int ave_batch_db_outputs(ave_batch_db *db, char ***dirs_out, size_t *count_out);
/* Batch-wide numbers kept between runs (e.g. the memory calibration). */
int ave_batch_db_get_meta(ave_batch_db *db, const char *key, double *value);
int ave_batch_db_set_meta(ave_batch_db *db, const char *key, double value);

/* --- running a batch ----------------------------------------------------- */

/* A line-level event for the front end: "start", "done", "retry", "failed",
 * "skip" (already done), "requeue" (interrupted earlier), "interrupt". */
typedef void (*ave_batch_event_fn)(void *opaque, const char *event, const ave_batch_job *job,
                                   size_t index, size_t total);

typedef struct ave_batch_config {
    const char *exe;              /* program run as `exe process IN --output DIR ...` */
    const char *const *forward;   /* process flags passed to every child (borrowed) */
    size_t forward_count;
    const char *output_root;      /* folder holding one output folder per input */
    const ave_config *cfg;        /* the validated process settings (for estimates) */
    int max_parallel;             /* >= 1 */
    double max_memory_gb;         /* budget for the running jobs' estimates */
    int retries;                  /* extra attempts for transient failures */
    double backoff_s;             /* first retry delay; doubles each retry */
    double timeout_s;             /* per job, 0 none: forwarded as --timeout */
    double kill_grace_s;          /* the hard kill comes at timeout + grace */
    const atomic_int *cancel_flag; /* set by SIGINT/SIGTERM (atomic store); children get SIGINT */
    ave_batch_event_fn on_event;  /* may be NULL */
    void *opaque;
} ave_batch_config;

/* Defaults: max_parallel = cores/2 (>= 1), 8 GB, 1 retry, 2 s backoff,
 * no timeout, 15 s grace. */
void ave_batch_config_init(ave_batch_config *cfg);

typedef struct ave_batch_result {
    ave_batch_job *jobs;   /* one per input, in input order (owned) */
    size_t count;
    int exit_code;         /* 0, the worst child exit code, or 130 */
    int interrupted;       /* 1 when the cancel flag stopped the batch */
    double wall_s;         /* wall time of this run */
    double calibration;    /* memory calibration factor at the end */
    char errmsg[512];      /* why ave_batch_run itself failed ("" otherwise) */
} ave_batch_result;

/* Run (or resume) the batch over inputs. Returns 0 when the batch ran (its
 * jobs may have failed: see res->exit_code), or a negative AVE_ERR_* when it
 * could not run at all (message in res->errmsg): output root not writable,
 * job table unreadable, another batch using the same root. Writes
 * <output_root>/batch_summary.json atomically. res is filled in both cases
 * and freed with ave_batch_result_free. */
int ave_batch_run(const ave_batch_config *cfg, const char *const *inputs, size_t count,
                  ave_batch_result *res);
void ave_batch_result_free(ave_batch_result *res);

/* Write the summary of res as JSON to path atomically (temp file + rename). */
int ave_batch_write_summary(const ave_batch_config *cfg, const ave_batch_result *res,
                            const char *path);

#ifdef __cplusplus
}
#endif
#endif
