/* Internal pieces of the Slurm engine: running the Slurm commands, the
 * cluster checks, the array script, and refreshing rows from what Slurm and
 * the shared folder say. All return 0 or a negative AVE_ERR_* unless stated. */
#ifndef AVE_SLURM_INTERNAL_H
#define AVE_SLURM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ave/batch_slurm.h"

/* Run argv (argv[0] looked up in PATH) with stdin on /dev/null; *out gets its
 * stdout (malloc'd, NUL-terminated, caller frees), *status its exit status
 * (127 when it could not start). The last stderr line goes into err. A
 * missing program returns AVE_ERR_USAGE; more than timeout_s seconds kills it
 * and returns AVE_ERR_IO. */
int slurm_run(const char *const argv[], double timeout_s, char **out, int *status, char *err,
              size_t errlen);

/* JobCompLoc when JobCompType is jobcomp/filetxt, else "" (from
 * `scontrol show config`). */
void slurm_jobcomp_path(char *buf, size_t len);

/* One array task of a submission. */
typedef struct slurm_task {
    int64_t id;             /* job table row (names the log) */
    const char *input;      /* borrowed */
    const char *output_dir; /* borrowed */
} slurm_task;

/* The sbatch script for tasks[0..n): #SBATCH lines (array, resources,
 * partition, output), a visibility check (the script's own copy at
 * script_path must be readable on the node, or the task stops with exit 4),
 * then `exe process IN --output DIR <forward> [--timeout=S] --no-progress`
 * for this task's input, its exit code written to
 * <state_dir>/slurm/<job>_<task>.exit. *script_out is malloc'd; errors:
 * AVE_ERR_USAGE (a path sbatch cannot carry), AVE_ERR_NOMEM, AVE_ERR_LIMIT. */
int slurm_script_build(const ave_slurm_config *cfg, const char *state_dir, const char *script_path,
                       const slurm_task *tasks, size_t n, const ave_slurm_resources *res,
                       const char *array_spec, char **script_out);

/* What the submit host learnt about the cluster. */
typedef struct slurm_cluster {
    char partition[128]; /* the one jobs go to (the default when none given) */
    int node_cpus;       /* CPUs of its smallest node, 0 unknown */
    int64_t node_mem_mb; /* memory of its smallest node, 0 unknown */
    int total_nodes;
    int single_local_node;   /* 1: one node, and it is this machine */
    int private_tmp;         /* job_container/tmpfs: /tmp is private to each job */
    char jobcomp_path[1024]; /* jobcomp/filetxt file, "" when none */
} slurm_cluster;

/* sbatch present, partition (or a default one) exists; fills cl. */
int slurm_cluster_check(const char *partition, slurm_cluster *cl, char *err, size_t errlen);

/* Refuse a path the partition's nodes cannot see: on tmpfs/ramfs, or under
 * /tmp, /var/tmp, /dev/shm or /run, unless the partition is one node that is
 * this machine without private /tmp. what names the path in the message. */
int slurm_path_visible(const slurm_cluster *cl, const char *path, const char *what, char *err,
                       size_t errlen);

/* A growable list of records. */
typedef struct slurm_records {
    ave_slurm_record *r;
    size_t count, cap;
} slurm_records;

/* Cached `scontrol show job` records and the tail of the jobcomp file. */
typedef struct slurm_view {
    slurm_records ctl;  /* from scontrol */
    slurm_records comp; /* from the jobcomp file */
    char **jobs_seen;   /* job ids already asked for */
    size_t njobs;
    int jobcomp_loaded;
    int unreachable; /* scontrol missing or failing: Slurm state unknown */
} slurm_view;

void slurm_view_free(slurm_view *v);

/* ---- parsers of Slurm's output, pure (exposed for tests/fuzz) ---- */

/* Value of "Key=" in the Key=Value line starting at line into buf ("" when
 * absent); the search stops at the end of the line. */
void slurm_kv(const char *line, const char *key, char *buf, size_t len);

/* Value of "Key = value" in `scontrol show config` output ("" when absent). */
void slurm_config_value(const char *text, const char *key, char *buf, size_t len);

/* Smallest CPUs and memory (MB) over the lines "CPUS MEM" of `sinfo -N -o
 * "%c %m"` into cl->node_cpus and cl->node_mem_mb (left alone when none). */
void slurm_node_sizes_parse(const char *text, slurm_cluster *cl);

/* Parse every record line of text (`scontrol show job -o`, jobcomp/filetxt)
 * into rs; lines that are not records are skipped. 0 or AVE_ERR_NOMEM. */
int slurm_records_add(slurm_records *rs, const char *text);

/* The record of task of array job, latest first; a jobcomp record without
 * array ids (the never-started rest) only when nothing better matches. */
const ave_slurm_record *slurm_records_find(const slurm_records *rs, const char *job, long task);

/* A task's result file, "<exit code> <start unix> <end unix>": returns the
 * exit code (AVE_EXIT_INTERNAL when unreadable) and the two times (0 when
 * absent). */
int slurm_result_parse(const char *text, double *t0, double *t1);

/* Update row j (engine "slurm", external ids set) from the record of its
 * task, its result file in state_dir/slurm/ and its outputs. *changed is 1
 * when a field changed (the caller writes the row). */
int slurm_refresh_row(slurm_view *v, const char *state_dir, ave_batch_job *j, int *changed);

#endif
