/* Preparing a batch run: one row per input in the job table, created on the
 * first run and reconciled with the disk on every later one.
 *
 * Resume rules (ave_batch_resume_state): a done job is skipped only when its
 * output folder still holds performance_metrics.json and the input has the
 * same size and mtime as when it was processed; a row left "running" by a
 * killed batch is requeued once its process is gone (a still-running orphan
 * is stopped first: its parent is dead, so nobody would collect its result);
 * failed rows are retried by a re-run. Staging folders of dead processes in a
 * requeued job's output folder are removed, so no half-written output stays
 * even if the job is never re-run. A row of a Slurm array is brought up to
 * date from Slurm first and left to the array while Slurm still holds it, so
 * a local run never processes an input a node is working on. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ave/error.h"
#include "ave/log.h"
#include "batch_internal.h"
#include "core/fsutil.h"
#include "slurm_internal.h"

#define ORPHAN_WAIT_S 5.0

void batch_log_path(const batch_runner *rn, int64_t id, char *buf, size_t len)
{
    snprintf(buf, len, "%s/logs/%lld.log", rn->state_dir, (long long)id);
}

static void sleep_s(double s)
{
    struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&t, NULL);
}

/* Stop an orphaned child of a killed batch: SIGINT (it cleans up its staging
 * folder), then SIGKILL if it does not stop in time. */
static void stop_orphan(int pid, const char *input)
{
    ave_log(AVE_LOG_WARNING, "batch", "%s: stopping pid %d left running by an earlier batch", input,
            pid);
    kill(-pid, SIGINT);
    kill(pid, SIGINT);
    for (double t = 0; t < ORPHAN_WAIT_S && batch_pid_runs_input(pid, input); t += 0.05)
        sleep_s(0.05);
    if (batch_pid_runs_input(pid, input)) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        for (double t = 0; t < ORPHAN_WAIT_S && batch_pid_runs_input(pid, input); t += 0.05)
            sleep_s(0.05);
    }
}

static int under_root(const char *path, const char *root)
{
    size_t n = strlen(root);
    return !strncmp(path, root, n) && path[n] == '/';
}

static int new_row(batch_runner *rn, batch_slot *s, const char *input)
{
    char **taken = NULL;
    size_t ntaken = 0;
    char name[512];
    int r = ave_batch_db_outputs(rn->db, &taken, &ntaken);
    if (r < 0)
        return r;
    r = ave_batch_output_name(input, (const char *const *)taken, ntaken, name, sizeof(name));
    ave_batch_free_list(taken, ntaken);
    if (r < 0)
        return r;
    s->job.input = strdup(input);
    s->job.output_dir = ave_fs_join(rn->root, name);
    s->job.engine = strdup("local");
    if (!s->job.input || !s->job.output_dir || !s->job.engine)
        return AVE_ERR_NOMEM;
    s->job.state = AVE_BATCH_QUEUED;
    s->job.exit_code = -1;
    return ave_batch_db_insert(rn->db, &s->job);
}

static int reconcile(batch_runner *rn, batch_slot *s, size_t index, int64_t size, int64_t mtime)
{
    ave_batch_job *j = &s->job;
    int unchanged = j->input_size == size && j->input_mtime_ns == mtime;
    int alive = 0;
    if (j->state == AVE_BATCH_RUNNING && batch_pid_runs_input(j->pid, j->input)) {
        stop_orphan(j->pid, j->input);
        alive = batch_pid_runs_input(j->pid, j->input);
    }
    int before = j->state;
    int state = ave_batch_resume_state(j->state, alive, batch_outputs_ok(j->output_dir), unchanged);
    if (state == AVE_BATCH_RUNNING) {
        ave_log(AVE_LOG_ERROR, "batch", "%s: pid %d cannot be stopped", j->input, j->pid);
        return AVE_ERR_INTERNAL;
    }
    if (state == AVE_BATCH_DONE) {
        if (rn->cfg->on_event)
            rn->cfg->on_event(rn->cfg->opaque, "skip", j, index, rn->count);
        return 0;
    }
    if (before == AVE_BATCH_RUNNING && rn->cfg->on_event)
        rn->cfg->on_event(rn->cfg->opaque, "requeue", j, index, rn->count);
    if (before == AVE_BATCH_DONE)
        ave_log(AVE_LOG_INFO, "batch", "%s: %s; processing it again", j->input,
                unchanged ? "its outputs are missing" : "the input changed");
    struct stat st;
    if (before == AVE_BATCH_RUNNING && j->pid > 0) {
        /* The killed child's staging folder, removed by name: a dead child
         * that nobody reaped is still a zombie to kill(pid, 0). */
        char partial[64];
        snprintf(partial, sizeof(partial), ".ave-partial-%d", j->pid);
        char *path = ave_fs_join(j->output_dir, partial);
        if (path)
            ave_fs_remove_tree(path);
        free(path);
    }
    if (stat(j->output_dir, &st) == 0)
        ave_fs_remove_stale(j->output_dir, ".ave-partial-");
    j->state = AVE_BATCH_QUEUED;
    j->attempts = 0;
    j->pid = 0;
    if (j->engine && strcmp(j->engine, "local")) {
        /* Run here from now on: the row forgets the other engine's ids. */
        free(j->engine);
        free(j->external_job);
        free(j->external_task);
        j->external_job = j->external_task = NULL;
        if (!(j->engine = strdup("local")))
            return AVE_ERR_NOMEM;
    }
    return ave_batch_db_update(rn->db, j);
}

/* A row of a Slurm array: brought up to date first; 1 when Slurm still
 * holds it (the local batch leaves it to the array). */
static int still_in_slurm(batch_runner *rn, slurm_view *v, batch_slot *s, size_t index)
{
    ave_batch_job *j = &s->job;
    int changed = 0;
    if (!j->engine || strcmp(j->engine, "slurm") || !j->external_job ||
        (j->state != AVE_BATCH_QUEUED && j->state != AVE_BATCH_RUNNING))
        return 0;
    int r = slurm_refresh_row(v, rn->state_dir, j, &changed);
    if (r == 0 && changed)
        r = ave_batch_db_update(rn->db, j);
    if (r < 0)
        return r;
    if (j->state != AVE_BATCH_QUEUED && j->state != AVE_BATCH_RUNNING)
        return 0;
    ave_log(AVE_LOG_WARNING, "batch", "%s: still in Slurm job %s_%s; not run here", j->input,
            j->external_job, j->external_task ? j->external_task : "?");
    if (rn->cfg->on_event)
        rn->cfg->on_event(rn->cfg->opaque, "pending", j, index, rn->count);
    return 1;
}

static int batch_prepare_rows(batch_runner *rn, slurm_view *view, const char *const *inputs,
                              size_t count, char *err, size_t errlen)
{
    int r = 0;
    rn->slots = calloc(count ? count : 1, sizeof(*rn->slots));
    if (!rn->slots)
        return AVE_ERR_NOMEM;
    rn->count = count;
    for (size_t i = 0; i < count; i++) {
        batch_slot *s = &rn->slots[i];
        char abs[4096];
        struct stat st;
        if (!realpath(inputs[i], abs) || stat(abs, &st) < 0) {
            snprintf(err, errlen, "%s: %s", inputs[i], strerror(errno));
            return AVE_ERR_INPUT;
        }
        if (under_root(abs, rn->root)) {
            snprintf(err, errlen, "%s: input is inside the output folder %s", inputs[i], rn->root);
            return AVE_ERR_USAGE;
        }
        int64_t size = (int64_t)st.st_size;
        int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
        int found = ave_batch_db_find(rn->db, abs, &s->job);
        if (found < 0)
            return found;
        int pending = found ? still_in_slurm(rn, view, s, i) : 0;
        if (pending < 0)
            return pending;
        if (pending)
            continue; /* in_run stays 0 */
        r = found ? reconcile(rn, s, i, size, mtime) : new_row(rn, s, abs);
        if (r < 0) {
            snprintf(err, errlen, "%s: cannot record the job in the table", inputs[i]);
            return r;
        }
        s->in_run = s->job.state != AVE_BATCH_DONE;
        if (!s->in_run)
            continue;
        s->job.input_size = size;
        s->job.input_mtime_ns = mtime;
        ave_batch_probe_file(abs, &s->probe);
        s->raw_est = ave_batch_estimate_peak(&s->probe, rn->cfg->cfg);
        if ((r = ave_batch_db_update(rn->db, &s->job)) < 0)
            return r;
    }
    return 0;
}

int batch_prepare(batch_runner *rn, const char *const *inputs, size_t count, char *err,
                  size_t errlen)
{
    slurm_view view = {0};
    int r = batch_prepare_rows(rn, &view, inputs, count, err, errlen);
    slurm_view_free(&view);
    return r;
}
