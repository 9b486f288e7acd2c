/* Reading what Slurm says about array tasks, and what it means for the job
 * table. Pure functions, unit-tested on captured Slurm 22.05 output.
 *
 * `scontrol show job -o` and jobcomp/filetxt both print one record per line
 * as space-separated Key=Value pairs; the keys we need (JobId, ArrayJobId,
 * ArrayTaskId, JobState, Reason, NodeList, ExitCode) never hold spaces. A
 * pending part of an array is one record whose ArrayTaskId is a range
 * ("2-5%2"); a task that started has its own record. The task's own result
 * file (the exit code of `process`) is more precise than Slurm's ExitCode,
 * which the batch shell may mask, so it wins whenever it exists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/batch_slurm.h"
#include "ave/error.h"

static void copy_value(const char *v, size_t n, char *dst, size_t len)
{
    if (n >= len)
        n = len - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

int ave_slurm_parse_record(const char *line, ave_slurm_record *out)
{
    memset(out, 0, sizeof(*out));
    out->exit_code = -1;
    out->exit_signal = -1;
    const char *p = line;
    while (p && *p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        const char *eq = strchr(p, '=');
        size_t tok = strcspn(p, " \t\r\n");
        if (!*p || !eq || (size_t)(eq - p) > tok) {
            p += tok;
            continue;
        }
        size_t klen = (size_t)(eq - p);
        const char *v = eq + 1;
        size_t vlen = tok - klen - 1;
        if (klen == 5 && !strncmp(p, "JobId", 5))
            copy_value(v, vlen, out->job_id, sizeof(out->job_id));
        else if (klen == 10 && !strncmp(p, "ArrayJobId", 10))
            copy_value(v, vlen, out->array_job_id, sizeof(out->array_job_id));
        else if (klen == 11 && !strncmp(p, "ArrayTaskId", 11))
            copy_value(v, vlen, out->array_task, sizeof(out->array_task));
        else if (klen == 8 && !strncmp(p, "JobState", 8))
            copy_value(v, vlen, out->state, sizeof(out->state));
        else if (klen == 6 && !strncmp(p, "Reason", 6))
            copy_value(v, vlen, out->reason, sizeof(out->reason));
        else if (klen == 8 && !strncmp(p, "NodeList", 8))
            copy_value(v, vlen, out->nodes, sizeof(out->nodes));
        else if (klen == 8 && !strncmp(p, "ExitCode", 8)) {
            int code, sig;
            if (sscanf(v, "%d:%d", &code, &sig) == 2) {
                out->exit_code = code;
                out->exit_signal = sig;
            }
        }
        p += tok;
    }
    return out->job_id[0] && out->state[0] ? 0 : AVE_ERR_INPUT;
}

int ave_slurm_task_in_spec(const char *spec, long task)
{
    const char *p = spec;
    if (!p || !*p)
        return 0;
    while (*p && *p != '%') {
        char *end;
        long lo = strtol(p, &end, 10), hi = lo;
        if (end == p)
            return 0;
        p = end;
        if (*p == '-') {
            hi = strtol(p + 1, &end, 10);
            if (end == p + 1)
                return 0;
            p = end;
        }
        if (task >= lo && task <= hi)
            return 1;
        if (*p == ',')
            p++;
        else if (*p && *p != '%')
            return 0;
    }
    return 0;
}

int ave_slurm_record_matches(const ave_slurm_record *r, const char *job, long task)
{
    if (!r || !job)
        return 0;
    if (r->array_job_id[0] && strcmp(r->array_job_id, "0") != 0)
        return !strcmp(r->array_job_id, job) && ave_slurm_task_in_spec(r->array_task, task);
    /* No array ids: jobcomp's record of the array's never-started rest. */
    return !strcmp(r->job_id, job) && task >= 0 ? 2 : 0;
}

static int state_is(const char *s, const char *name)
{
    size_t n = strlen(name);
    /* scontrol may add a flag after the state ("CANCELLED by 0"). */
    return !strncmp(s, name, n) && (s[n] == '\0' || s[n] == ' ' || s[n] == '+');
}

int ave_slurm_task_state(const char *slurm_state, int exit_file, int rec_exit, int outputs_ok,
                         int *exit_code, const char **why)
{
    *exit_code = -1;
    *why = "";
    if (exit_file == 0 && outputs_ok)
        return AVE_BATCH_DONE;
    if (exit_file > 0) {
        *exit_code = exit_file;
        return AVE_BATCH_FAILED;
    }
    if (exit_file == 0) {
        *exit_code = AVE_EXIT_INTERNAL;
        *why = "finished without analytics/performance_metrics.json";
        return AVE_BATCH_FAILED;
    }
    if (!slurm_state) {
        if (outputs_ok)
            return AVE_BATCH_DONE;
        *exit_code = AVE_EXIT_INTERNAL;
        *why = "lost: Slurm has no record of the task and it left no result";
        return AVE_BATCH_FAILED;
    }
    static const char *const queued[] = {"PENDING",      "REQUEUED",    "REQUEUE_FED",
                                         "REQUEUE_HOLD", "CONFIGURING", "RESV_DEL_HOLD",
                                         "SPECIAL_EXIT", NULL};
    static const char *const running[] = {"RUNNING",   "COMPLETING", "SUSPENDED", "STAGE_OUT",
                                          "SIGNALING", "RESIZING",   "STOPPED",   NULL};
    for (int i = 0; queued[i]; i++)
        if (state_is(slurm_state, queued[i]))
            return AVE_BATCH_QUEUED;
    for (int i = 0; running[i]; i++)
        if (state_is(slurm_state, running[i]))
            return AVE_BATCH_RUNNING;
    if (state_is(slurm_state, "COMPLETED") && outputs_ok)
        return AVE_BATCH_DONE;
    if (state_is(slurm_state, "CANCELLED")) {
        *exit_code = AVE_EXIT_CANCELLED;
        *why = "cancelled in Slurm (scancel)";
    } else if (state_is(slurm_state, "TIMEOUT") || state_is(slurm_state, "DEADLINE")) {
        *exit_code = AVE_EXIT_TIMEOUT;
        *why = "killed by Slurm at its --time limit";
    } else if (state_is(slurm_state, "OUT_OF_MEMORY")) {
        *exit_code = AVE_EXIT_LIMIT;
        *why = "killed by Slurm: over its --mem limit";
    } else if (state_is(slurm_state, "NODE_FAIL") || state_is(slurm_state, "BOOT_FAIL") ||
               state_is(slurm_state, "PREEMPTED") || state_is(slurm_state, "LAUNCH_FAILED")) {
        *exit_code = AVE_EXIT_INTERNAL;
        *why = "its node failed or it was preempted";
    } else if (state_is(slurm_state, "COMPLETED")) {
        *exit_code = AVE_EXIT_INTERNAL;
        *why = "finished without analytics/performance_metrics.json";
    } else {
        /* FAILED and anything unknown: the batch shell's exit code. */
        *exit_code = rec_exit > 0 ? rec_exit : AVE_EXIT_INTERNAL;
        *why = "the task failed before recording a result (see .ave-batch/slurm/<job>_<task>.out)";
    }
    return AVE_BATCH_FAILED;
}
