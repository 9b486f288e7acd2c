/* batch_summary.json: the outcome of one batch run, for people and scripts.
 * Written to a temporary file in the same folder, flushed to disk and
 * renamed over the old summary, so a reader (or a kill) never sees half a
 * file. Jobs skipped as already done are listed with state "done" and their
 * figures from the run that did them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ave/error.h"
#include "batch_internal.h"

static void add_job(cJSON *arr, const ave_batch_job *j)
{
    char log[64];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return;
    cJSON_AddStringToObject(o, "input", j->input ? j->input : "");
    cJSON_AddStringToObject(o, "output_dir", j->output_dir ? j->output_dir : "");
    cJSON_AddStringToObject(o, "state", ave_batch_state_name(j->state));
    cJSON_AddNumberToObject(o, "attempts", j->attempts);
    if (j->exit_code >= 0)
        cJSON_AddNumberToObject(o, "exit_code", j->exit_code);
    else
        cJSON_AddNullToObject(o, "exit_code");
    if (j->last_error)
        cJSON_AddStringToObject(o, "error", j->last_error);
    else
        cJSON_AddNullToObject(o, "error");
    cJSON_AddNumberToObject(o, "duration_s", j->duration_s);
    cJSON_AddNumberToObject(o, "started_at", j->started_at);
    cJSON_AddNumberToObject(o, "finished_at", j->finished_at);
    cJSON_AddNumberToObject(o, "estimated_peak_bytes", (double)j->est_peak_bytes);
    cJSON_AddNumberToObject(o, "measured_peak_bytes", (double)j->peak_bytes);
    cJSON_AddStringToObject(o, "engine", j->engine ? j->engine : "local");
    snprintf(log, sizeof(log), ".ave-batch/logs/%lld.log", (long long)j->id);
    cJSON_AddStringToObject(o, "log", log);
    cJSON_AddItemToArray(arr, o);
}

static cJSON *build(const ave_batch_config *cfg, const ave_batch_result *res)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    int counts[4] = {0};
    cJSON_AddNumberToObject(root, "exit_code", res->exit_code);
    cJSON_AddBoolToObject(root, "interrupted", res->interrupted);
    cJSON_AddNumberToObject(root, "wall_time_s", res->wall_s);
    cJSON_AddNumberToObject(root, "max_parallel", cfg->max_parallel);
    cJSON_AddNumberToObject(root, "max_memory_gb", cfg->max_memory_gb);
    cJSON_AddNumberToObject(root, "retries", cfg->retries);
    cJSON_AddNumberToObject(root, "timeout_s", cfg->timeout_s);
    cJSON_AddNumberToObject(root, "memory_calibration", res->calibration);
    cJSON *jobs = cJSON_AddArrayToObject(root, "jobs");
    for (size_t i = 0; i < res->count; i++) {
        if (res->jobs[i].state >= 0 && res->jobs[i].state <= AVE_BATCH_FAILED)
            counts[res->jobs[i].state]++;
        if (jobs)
            add_job(jobs, &res->jobs[i]);
    }
    cJSON *c = cJSON_AddObjectToObject(root, "counts");
    for (int s = 0; c && s <= AVE_BATCH_FAILED; s++)
        cJSON_AddNumberToObject(c, ave_batch_state_name(s), counts[s]);
    return root;
}

int ave_batch_write_summary(const ave_batch_config *cfg, const ave_batch_result *res,
                            const char *path)
{
    int r = AVE_ERR_IO;
    char *text = NULL, *tmp = NULL;
    FILE *f = NULL;
    cJSON *root = build(cfg, res);
    if (!root || !(text = cJSON_Print(root))) {
        r = AVE_ERR_NOMEM;
        goto out;
    }
    size_t len = strlen(path) + 32;
    if (!(tmp = malloc(len))) {
        r = AVE_ERR_NOMEM;
        goto out;
    }
    snprintf(tmp, len, "%s.tmp-%ld", path, (long)getpid());
    if (!(f = fopen(tmp, "wb")))
        goto out;
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, f) == n && fputc('\n', f) != EOF && fflush(f) == 0 &&
             fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    f = NULL;
    if (!ok || rename(tmp, path) < 0) {
        unlink(tmp);
        goto out;
    }
    r = 0;
out:
    if (f)
        fclose(f);
    free(tmp);
    cJSON_free(text);
    cJSON_Delete(root);
    return r;
}
