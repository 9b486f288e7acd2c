/* The Slurm batch engine: the same batch (one job table row per input, one
 * `process` per input, one output folder each) submitted to a Slurm cluster
 * as ONE job array instead of run as local children.
 *
 * The submit host keeps the job table; array tasks never touch it (SQLite in
 * WAL mode must not be shared over a network filesystem). Each task writes its
 * own output folder, its own log (.ave-batch/logs/<row id>.log) and a one-line
 * result file (.ave-batch/slurm/<job>_<task>.exit); `batch --status` and every
 * re-run read those together with `scontrol show job` (accounting may be off)
 * and the jobcomp file to bring the table up to date. Re-running submits only
 * inputs that are not done and not still queued or running in Slurm.
 * See docs/SCALE-OUT.md. */
#ifndef AVE_BATCH_SLURM_H
#define AVE_BATCH_SLURM_H

#include <stddef.h>
#include <stdint.h>
#include "ave/batch.h"
#include "ave/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- resources (pure) ------------------------------------------------- */

typedef struct ave_slurm_resources {
    int cpus;         /* --cpus-per-task */
    int64_t mem_mb;   /* --mem, MiB per task */
    int64_t time_min; /* --time in minutes, 0: none (the partition's default) */
    int mem_capped;   /* 1 when the estimate was cut to --max-memory or the node size */
} ave_slurm_resources;

/* Resources for one array task from the process settings:
 *   cpus = 1 with --no-parallel, else min(4, node_cpus) (node_cpus <= 0: 4);
 *   mem  = est_peak_bytes (the largest calibrated estimate of the array's
 *          inputs) x 1.25, rounded up to 64 MiB, at least 256 MiB, at most
 *          --max-memory and node_mem_mb (when > 0);
 *   time = ceil((timeout_s + grace_s) / 60) minutes when timeout_s > 0.
 * Returns AVE_ERR_USAGE for a NULL argument. */
int ave_slurm_derive_resources(const ave_config *cfg, int64_t est_peak_bytes, double timeout_s,
                               double grace_s, int node_cpus, int64_t node_mem_mb,
                               ave_slurm_resources *out);

/* "0-K" for count tasks, with "%N" appended when max_parallel > 0 (a
 * throttle), into buf. AVE_ERR_USAGE when count is 0 or buf too small. */
int ave_slurm_array_spec(size_t count, int max_parallel, char *buf, size_t len);

/* --- what Slurm says (pure) --------------------------------------------- */

/* One job record: a line of `scontrol show job -o` or of a jobcomp/filetxt
 * file (both are space-separated Key=Value pairs). Missing keys stay "". */
typedef struct ave_slurm_record {
    char job_id[32];
    char array_job_id[32];
    char array_task[128]; /* "3", or a range of pending tasks "2-5%2", "0,4-6" */
    char state[32];       /* JobState, e.g. PENDING RUNNING COMPLETED FAILED CANCELLED */
    char reason[64];
    char nodes[128]; /* NodeList */
    int exit_code;   /* ExitCode=N:S -> N, -1 when absent */
    int exit_signal; /* -> S, -1 when absent */
} ave_slurm_record;

/* Parse one record line. Returns 0, or AVE_ERR_INPUT when the line has no
 * JobId= or JobState=. */
int ave_slurm_parse_record(const char *line, ave_slurm_record *out);

/* 1 when task is in spec ("7", "2-5", "0,3,5-9%2": the "%N" throttle is
 * ignored), 0 when not or when spec is not a task list. */
int ave_slurm_task_in_spec(const char *spec, long task);

/* 1 when the record describes array task `task` of array job `job` (its
 * ArrayJobId is job and its ArrayTaskId covers task); 2 for a record of job
 * itself without array ids (jobcomp's record of the tasks of an array that
 * never started), which applies only when no record gives 1; 0 otherwise. */
int ave_slurm_record_matches(const ave_slurm_record *r, const char *job, long task);

/* The table state of one array task from what is known about it:
 *   slurm_state  JobState of its record, NULL when Slurm has none (purged);
 *   exit_file    the task's result file: the exit code of `process`, or -1
 *                when the file does not exist (the task never finished it);
 *   rec_exit     the record's exit code (-1 unknown);
 *   outputs_ok   its output folder holds analytics/performance_metrics.json.
 * Returns an enum ave_batch_state; for AVE_BATCH_FAILED *exit_code gets the
 * batch exit code (the process's own, or 130 cancelled, 5 time limit, 6 out
 * of memory, 1 node failure / lost) and *why a short reason (static text, ""
 * when the log says more). Non-terminal Slurm states give queued or running. */
int ave_slurm_task_state(const char *slurm_state, int exit_file, int rec_exit, int outputs_ok,
                         int *exit_code, const char **why);

/* --- submitting and status ---------------------------------------------- */

typedef struct ave_slurm_config {
    const char *exe;            /* absolute path of ai-video-editor on every node */
    const char *const *forward; /* process flags for every task (borrowed) */
    size_t forward_count;
    const char *output_root;     /* shared folder: one output folder per input */
    const ave_config *cfg;       /* validated process settings (estimates, resources) */
    const char *partition;       /* NULL: the cluster's default partition */
    int max_parallel;            /* array throttle %N; 0: none */
    double timeout_s;            /* per task (forwarded as --timeout), 0: none */
    double kill_grace_s;         /* added to --time beyond the timeout */
    int dry_run;                 /* build the script, submit nothing */
    ave_batch_event_fn on_event; /* "skip", "pending" (still in Slurm), "submit"; may be NULL */
    void *opaque;
} ave_slurm_config;

/* What a submission did. */
typedef struct ave_slurm_submission {
    char job_id[32];  /* Slurm array job id, "" when nothing was submitted */
    size_t submitted; /* array tasks */
    size_t done;      /* inputs already done (skipped) */
    size_t in_flight; /* inputs still queued/running in an earlier array */
    ave_slurm_resources res;
    char array_spec[64];
    char script_path[4200]; /* where the script was written ("" on --dry-run) */
    char *script;           /* the script text, malloc'd (NULL when nothing to submit) */
} ave_slurm_submission;

void ave_slurm_submission_free(ave_slurm_submission *sub);

/* Check the cluster (sbatch present, partition exists, output and inputs
 * visible to the partition's nodes), record the inputs in the job table,
 * bring earlier Slurm rows up to date, and submit one array with a task per
 * input that is neither done nor still in Slurm. On dry_run nothing is
 * submitted or checked against the cluster, and sub->script holds the script.
 * res receives every input's row (in input order; free with
 * ave_batch_result_free). Returns 0, or a negative AVE_ERR_* with one line in
 * res->errmsg: AVE_ERR_USAGE (Slurm missing, unknown partition, sbatch
 * refused the job), AVE_ERR_IO (output not writable, locked, or not visible
 * to the nodes; controller unreachable), AVE_ERR_INPUT (an input missing). */
int ave_slurm_submit(const ave_slurm_config *cfg, const char *const *inputs, size_t count,
                     ave_slurm_submission *sub, ave_batch_result *res);

/* Bring every row of the job table under output_root up to date (Slurm rows
 * from scontrol / jobcomp / result files / outputs; local rows as recorded),
 * write batch_summary.json, and return all rows in res (ordered by row id).
 * res->exit_code: 0 unless some row failed (then the worst exit code).
 * AVE_ERR_INPUT when output_root holds no job table. */
int ave_batch_status(const char *output_root, ave_batch_result *res);

#ifdef __cplusplus
}
#endif
#endif
