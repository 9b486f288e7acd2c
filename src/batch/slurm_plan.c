/* The Slurm submission plan: per-task resources derived from the process
 * flags, the array spec, and the bash script every array task runs.
 *
 * Resources: one `process` uses every core it sees with --parallel (x264 and
 * decode threads), but the bench shows little gain past 2-4 cores for one
 * job, so a task asks for at most 4 CPUs (1 with --no-parallel) and a node
 * with more cores runs several tasks. Memory comes from the same estimate as
 * the local batch (ave_batch_estimate_peak, calibrated on finished jobs) with
 * a 25% margin, because Slurm kills a task that goes over --mem where the
 * local batch only delays the next job.
 *
 * The script maps $SLURM_ARRAY_TASK_ID to one input with a `case` of quoted
 * literals, so it is self-contained (what --dry-run prints is exactly what
 * runs) and needs no list file on the nodes. Assumes bash on the nodes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "core/dynbuf.h"
#include "slurm_internal.h"

#define MIB (1024.0 * 1024.0)
#define MAX_CPUS 4
#define MEM_MARGIN 1.25
#define MEM_STEP_MB 64
#define MIN_MEM_MB 256

int ave_slurm_derive_resources(const ave_config *cfg, int64_t est_peak_bytes, double timeout_s,
                               double grace_s, int node_cpus, int64_t node_mem_mb,
                               ave_slurm_resources *out)
{
    if (!cfg || !out)
        return AVE_ERR_USAGE;
    memset(out, 0, sizeof(*out));
    out->cpus = cfg->parallel ? MAX_CPUS : 1;
    if (node_cpus > 0 && out->cpus > node_cpus)
        out->cpus = node_cpus;
    double mb = ceil((double)(est_peak_bytes > 0 ? est_peak_bytes : 0) * MEM_MARGIN / MIB);
    int64_t mem = (int64_t)ceil(mb / MEM_STEP_MB) * MEM_STEP_MB;
    if (mem < MIN_MEM_MB)
        mem = MIN_MEM_MB;
    int64_t cap = cfg->max_memory_gb > 0 ? (int64_t)(cfg->max_memory_gb * 1024.0) : 0;
    if (node_mem_mb > 0 && (cap == 0 || node_mem_mb < cap))
        cap = node_mem_mb;
    if (cap > 0 && mem > cap) {
        mem = cap;
        out->mem_capped = 1;
    }
    out->mem_mb = mem;
    if (timeout_s > 0)
        out->time_min = (int64_t)ceil((timeout_s + (grace_s > 0 ? grace_s : 0)) / 60.0);
    return 0;
}

int ave_slurm_array_spec(size_t count, int max_parallel, char *buf, size_t len)
{
    if (count == 0 || !buf)
        return AVE_ERR_USAGE;
    int n = max_parallel > 0 ? snprintf(buf, len, "0-%zu%%%d", count - 1, max_parallel)
                             : snprintf(buf, len, "0-%zu", count - 1);
    return n < 0 || (size_t)n >= len ? AVE_ERR_USAGE : 0;
}

/* The script of a very large array (every input is one line) stays far
 * below this; a runaway list must not take the submit host's memory. */
#define SCRIPT_MAX (256u << 20)

/* Shell single quotes: 'it'\''s' */
static void shell_quote(dynbuf *b, const char *s)
{
    dynbuf_add(b, "'", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            dynbuf_add(b, "'\\''", 4);
        else
            dynbuf_add(b, p, 1);
    }
    dynbuf_add(b, "'", 1);
}

/* sbatch reads #SBATCH values with double quotes only: refuse what they
 * cannot carry. */
static int sbatch_safe(const char *s)
{
    return !strpbrk(s, "\"\n\r");
}

int slurm_script_build(const ave_slurm_config *cfg, const char *state_dir, const char *script_path,
                       const slurm_task *tasks, size_t n, const ave_slurm_resources *res,
                       const char *array_spec, char **script_out)
{
    dynbuf b = DYNBUF_INIT(SCRIPT_MAX);
    *script_out = NULL;
    if (!sbatch_safe(state_dir) || (cfg->partition && !sbatch_safe(cfg->partition)))
        return AVE_ERR_USAGE;
    dynbuf_printf(&b,
                  "#!/bin/bash\n"
                  "# Written by `ai-video-editor batch --engine slurm`: one array task per "
                  "input.\n"
                  "#SBATCH --job-name=ave-batch\n"
                  "#SBATCH --array=%s\n"
                  "#SBATCH --ntasks=1\n"
                  "#SBATCH --cpus-per-task=%d\n"
                  "#SBATCH --mem=%lldM\n",
                  array_spec, res->cpus, (long long)res->mem_mb);
    if (res->time_min > 0)
        dynbuf_printf(&b, "#SBATCH --time=%lld\n", (long long)res->time_min);
    if (cfg->partition)
        dynbuf_printf(&b, "#SBATCH --partition=%s\n", cfg->partition);
    dynbuf_printf(&b, "#SBATCH --output=\"%s/slurm/%%A_%%a.out\"\n", state_dir);
    dynbuf_adds(&b, "set -u\nstate=");
    shell_quote(&b, state_dir);
    dynbuf_adds(&b, "\nexe=");
    shell_quote(&b, cfg->exe);
    dynbuf_adds(&b, "\ncase \"$SLURM_ARRAY_TASK_ID\" in\n");
    for (size_t i = 0; i < n; i++) {
        dynbuf_printf(&b, "%zu) id=%lld in=", i, (long long)tasks[i].id);
        shell_quote(&b, tasks[i].input);
        dynbuf_adds(&b, " out=");
        shell_quote(&b, tasks[i].output_dir);
        dynbuf_adds(&b, " ;;\n");
    }
    dynbuf_adds(&b,
                "*) echo \"ai-video-editor: error: array task $SLURM_ARRAY_TASK_ID is not in this "
                "script\" >&2; exit 2 ;;\nesac\n");
    /* The submit host wrote this script into the shared state folder: a node
     * that cannot read it there cannot see the outputs either. */
    dynbuf_adds(&b, "if [ ! -r ");
    shell_quote(&b, script_path[0] ? script_path : "(written at submission)");
    dynbuf_printf(&b,
                  " ]; then\n"
                  "  echo \"ai-video-editor: error: $state: not visible on node $(hostname): the "
                  "output folder must be on a filesystem shared by every node\" >&2\n"
                  "  exit 4\n"
                  "fi\n"
                  "if [ ! -x \"$exe\" ]; then\n"
                  "  echo \"ai-video-editor: error: $exe: not found on node $(hostname): install "
                  "ai-video-editor at the same path on every node\" | tee -a "
                  "\"$state/logs/$id.log\" >&2\n"
                  "  exit 2\n"
                  "fi\n");
    dynbuf_adds(&b, "start=$(date +%s.%N)\n");
    dynbuf_adds(&b, "\"$exe\" process \"$in\" --output \"$out\"");
    for (size_t k = 0; k < cfg->forward_count; k++) {
        dynbuf_adds(&b, " ");
        shell_quote(&b, cfg->forward[k]);
    }
    if (cfg->timeout_s > 0)
        dynbuf_printf(&b, " --timeout=%g", cfg->timeout_s);
    dynbuf_adds(&b, " --no-progress 2>>\"$state/logs/$id.log\"\n");
    dynbuf_adds(&b,
                "rc=$?\n"
                "res=\"$state/slurm/${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}.exit\"\n"
                "echo \"$rc $start $(date +%s.%N)\" >\"$res.tmp\" && mv -f \"$res.tmp\" \"$res\"\n"
                "exit \"$rc\"\n");
    return dynbuf_take(&b, script_out, NULL);
}
