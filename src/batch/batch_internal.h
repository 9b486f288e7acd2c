/* Internal helpers of the batch runner: child processes, their logs, and
 * what a finished job left on disk. All return 0 or a negative AVE_ERR_*
 * unless stated otherwise. */
#ifndef AVE_BATCH_INTERNAL_H
#define AVE_BATCH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ave/batch.h"
#include "ave/job.h"

/* One input of the running batch: its row and what only this run knows. */
typedef struct batch_slot {
    ave_batch_job job;     /* mirror of the row (owned) */
    ave_batch_probe probe;
    int64_t raw_est;       /* uncalibrated estimate */
    double not_before;     /* monotonic time before which a retry waits */
    double t_start;        /* monotonic start of the running attempt */
    int64_t log_offset;    /* log size when the attempt started */
    int running;
    int killed;            /* stopped by the timeout backstop */
    int in_run;            /* 0 when skipped at start (already done) */
} batch_slot;

typedef struct batch_runner {
    const ave_batch_config *cfg;
    ave_batch_db *db;
    batch_slot *slots;
    size_t count;
    char *root;            /* absolute output root */
    char *state_dir;       /* root/.ave-batch */
    double calibration;
    int running;
    int64_t running_bytes;
} batch_runner;

/* Create the output root and its .ave-batch/logs/ folder, set rn->root
 * (absolute) and rn->state_dir, and take the exclusive flock on
 * .ave-batch/lock (*lock_fd; the caller closes it). A second batch on the
 * same root gets AVE_ERR_IO with the message in err. */
int batch_open_root(batch_runner *rn, const char *root, int *lock_fd, char *err, size_t len);

/* Every row of the table, ordered by id (*rows_out malloc'd; clear each row
 * and free the array). */
int batch_db_list(ave_batch_db *db, ave_batch_job **rows_out, size_t *count_out);

/* Fill the runner's slots from inputs: find or create each row, reconcile
 * rows left by an earlier run (skip verified done jobs, requeue interrupted
 * and failed ones, stop orphaned children) and estimate the queued ones. */
int batch_prepare(batch_runner *rn, const char *const *inputs, size_t count, char *err,
                  size_t errlen);

/* Run queued jobs until none is left or the cancel flag is set (then
 * *interrupted = 1, running children are stopped and requeued). */
int batch_loop(batch_runner *rn, int *interrupted);

/* Path of job id's log: state_dir/logs/<id>.log, into buf. */
void batch_log_path(const batch_runner *rn, int64_t id, char *buf, size_t len);

/* Start argv[0]-style program exe with argv (NULL-terminated) in its own
 * process group, stdin and stdout on /dev/null, stderr appended to log_path.
 * *log_offset receives the log's size before the child wrote anything. */
int batch_spawn(const char *exe, char *const argv[], const char *log_path, pid_t *pid_out,
                int64_t *log_offset);

/* The last non-empty line written to log_path after offset, without the
 * "ai-video-editor: error: " prefix, into buf ("" when none). */
void batch_last_line(const char *log_path, int64_t offset, char *buf, size_t len);

/* 1 when pid is alive and is `... process <input> ...` (an orphaned child of
 * an earlier batch), 0 otherwise. */
int batch_pid_runs_input(int pid, const char *input);

/* 1 when output_dir/analytics/performance_metrics.json exists. */
int batch_outputs_ok(const char *output_dir);

/* memory_peak_usage (bytes) from output_dir's metrics; 0 when unknown. */
int64_t batch_metrics_peak(const char *output_dir);

/* Wall-clock (Unix) seconds (monotonic: ave_now in ave/job.h). */
double batch_unix_now(void);

#endif
