/* ave_slurm_submit: one Slurm job array for every input that still needs
 * processing.
 *
 * Under the output root's lock (the same flock as a local batch, so a local
 * batch and a submission never work on one root at once): check the cluster,
 * record each input in the job table, refresh rows of earlier arrays, pick
 * the inputs that are neither done (outputs on disk, input unchanged) nor
 * still queued/running in Slurm, write the script into the shared state
 * folder and `sbatch --parsable` it, then record the array's job id and each
 * input's task index. A crash between sbatch and the table update leaves the
 * array running unrecorded: its outputs are still found on disk by the next
 * run, which at worst processes an input twice. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ave/error.h"
#include "ave/log.h"
#include "batch_internal.h"
#include "core/fsutil.h"
#include "slurm_internal.h"

#define SBATCH_TIMEOUT_S 120.0

void ave_slurm_submission_free(ave_slurm_submission *sub)
{
    if (!sub)
        return;
    free(sub->script);
    sub->script = NULL;
}

static void emit(const ave_slurm_config *cfg, const char *event, const ave_batch_job *j, size_t i,
                 size_t n)
{
    if (cfg->on_event)
        cfg->on_event(cfg->opaque, event, j, i, n);
}

static int under_root(const char *path, const char *root)
{
    size_t n = strlen(root);
    return !strncmp(path, root, n) && path[n] == '/';
}

static int new_row(ave_batch_db *db, const char *root, const char *input, ave_batch_job *j)
{
    char **taken = NULL;
    size_t ntaken = 0;
    char name[512];
    int r = ave_batch_db_outputs(db, &taken, &ntaken);
    if (r < 0)
        return r;
    r = ave_batch_output_name(input, (const char *const *)taken, ntaken, name, sizeof(name));
    ave_batch_free_list(taken, ntaken);
    if (r < 0)
        return r;
    j->input = strdup(input);
    j->output_dir = ave_fs_join(root, name);
    j->engine = strdup("slurm");
    if (!j->input || !j->output_dir || !j->engine)
        return AVE_ERR_NOMEM;
    j->state = AVE_BATCH_QUEUED;
    j->exit_code = -1;
    return ave_batch_db_insert(db, j);
}

/* 1 when the row is an earlier array's task that Slurm still holds. */
static int in_flight(const ave_batch_job *j)
{
    return j->engine && !strcmp(j->engine, "slurm") && j->external_job &&
           (j->state == AVE_BATCH_QUEUED || j->state == AVE_BATCH_RUNNING);
}

static int write_script(const char *path, const char *text, char *err, size_t errlen)
{
    FILE *f = fopen(path, "w");
    size_t n = strlen(text);
    int ok = f && fwrite(text, 1, n, f) == n;
    ok = f && fclose(f) == 0 && ok;
    if (!ok || chmod(path, 0755) < 0) {
        snprintf(err, errlen, "%s: cannot write the job script: %s", path, strerror(errno));
        return AVE_ERR_IO;
    }
    return 0;
}

static int sbatch(const char *script, char *job_id, size_t len, char *err, size_t errlen)
{
    const char *argv[] = {"sbatch", "--parsable", script, NULL};
    char *out = NULL, msg[512];
    int st, r = slurm_run(argv, SBATCH_TIMEOUT_S, &out, &st, msg, sizeof(msg));
    if (r == 0 && st != 0) {
        snprintf(err, errlen, "sbatch refused the job array: %s", msg[0] ? msg : "no reason");
        r = AVE_ERR_USAGE;
    } else if (r < 0) {
        snprintf(err, errlen, "sbatch: %s", msg);
    } else {
        /* "<job id>[;<cluster>]" */
        snprintf(job_id, len, "%.*s", (int)strcspn(out, ";\n "), out);
        if (!job_id[0]) {
            snprintf(err, errlen, "sbatch printed no job id");
            r = AVE_ERR_IO;
        }
    }
    free(out);
    return r;
}

/* The output root (before it is created: a refused root leaves nothing
 * behind) and every input must be visible to the partition's nodes. */
static int check_visible(const slurm_cluster *cl, const char *root, const char *const *inputs,
                         size_t count, char *err, size_t errlen)
{
    char abs[4096], cwd[4096];
    if (root[0] == '/')
        snprintf(abs, sizeof(abs), "%s", root);
    else if (!realpath(root, abs))
        snprintf(abs, sizeof(abs), "%s/%s", getcwd(cwd, sizeof(cwd)) ? cwd : ".", root);
    int r = slurm_path_visible(cl, abs, "the output folder", err, errlen);
    for (size_t i = 0; i < count && r == 0; i++)
        if (realpath(inputs[i], abs))
            r = slurm_path_visible(cl, abs, "an input", err, errlen);
    return r;
}

/* Records every input, refreshes earlier rows and marks (todo[i] = 1) the
 * inputs to submit; *max_est gets their largest raw estimate. */
static int prepare(const ave_slurm_config *cfg, batch_runner *rn, const char *const *inputs,
                   size_t count, ave_batch_result *res, char *todo, int64_t *max_est)
{
    slurm_view v = {0};
    int r = 0;
    *max_est = 0;
    for (size_t i = 0; i < count && r == 0; i++) {
        ave_batch_job *j = &res->jobs[i];
        char abs[4096];
        struct stat st;
        if (!realpath(inputs[i], abs) || stat(abs, &st) < 0) {
            snprintf(res->errmsg, sizeof(res->errmsg), "%s: %s", inputs[i], strerror(errno));
            r = AVE_ERR_INPUT;
            break;
        }
        if (under_root(abs, rn->root)) {
            snprintf(res->errmsg, sizeof(res->errmsg), "%s: input is inside the output folder %s",
                     inputs[i], rn->root);
            r = AVE_ERR_USAGE;
            break;
        }
        int64_t size = (int64_t)st.st_size;
        int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
        int found = ave_batch_db_find(rn->db, abs, j), changed = 0;
        if (found < 0 || (!found && (r = new_row(rn->db, rn->root, abs, j)) < 0)) {
            r = found < 0 ? found : r;
            break;
        }
        if (found && (r = slurm_refresh_row(&v, rn->state_dir, j, &changed)) < 0)
            break;
        int unchanged = j->input_size == size && j->input_mtime_ns == mtime;
        if (j->state == AVE_BATCH_DONE && batch_outputs_ok(j->output_dir) && unchanged) {
            emit(cfg, "skip", j, i, count);
        } else if (in_flight(j)) {
            /* Never a second task on one output folder, even for a changed
             * input: the re-run after this array ends picks the change up. */
            emit(cfg, "pending", j, i, count);
        } else {
            todo[i] = 1;
            j->input_size = size;
            j->input_mtime_ns = mtime;
            ave_batch_probe p;
            ave_batch_probe_file(abs, &p);
            j->est_peak_bytes = ave_batch_estimate_peak(&p, cfg->cfg);
            if (j->est_peak_bytes > *max_est)
                *max_est = j->est_peak_bytes;
            changed = 1;
        }
        if (changed && (r = ave_batch_db_update(rn->db, j)) < 0)
            break;
    }
    slurm_view_free(&v);
    if (r < 0 && !res->errmsg[0])
        snprintf(res->errmsg, sizeof(res->errmsg), "%s",
                 ave_batch_db_errmsg(rn->db) ? ave_batch_db_errmsg(rn->db)
                                             : "the job table could not be updated");
    return r;
}

/* Records the submitted array in the rows marked in todo. */
static int record(const ave_slurm_config *cfg, batch_runner *rn, ave_batch_result *res,
                  const char *todo, const char *job_id, double cal)
{
    size_t task = 0;
    for (size_t i = 0; i < res->count; i++) {
        if (!todo[i])
            continue;
        ave_batch_job *j = &res->jobs[i];
        char idx[32];
        snprintf(idx, sizeof(idx), "%zu", task++);
        free(j->engine);
        free(j->external_job);
        free(j->external_task);
        free(j->last_error);
        j->engine = strdup("slurm");
        j->external_job = strdup(job_id);
        j->external_task = strdup(idx);
        j->last_error = NULL;
        if (!j->engine || !j->external_job || !j->external_task)
            return AVE_ERR_NOMEM;
        j->state = AVE_BATCH_QUEUED;
        j->attempts++;
        j->exit_code = -1;
        j->pid = 0;
        j->started_at = j->finished_at = j->duration_s = 0;
        j->peak_bytes = 0;
        j->est_peak_bytes = (int64_t)((double)j->est_peak_bytes * cal);
        int r = ave_batch_db_update(rn->db, j);
        if (r < 0)
            return r;
        emit(cfg, "submit", j, i, res->count);
    }
    return 0;
}

int ave_slurm_submit(const ave_slurm_config *cfg, const char *const *inputs, size_t count,
                     ave_slurm_submission *sub, ave_batch_result *res)
{
    batch_runner rn = {.cfg = NULL};
    slurm_cluster cl;
    slurm_task *tasks = NULL;
    char *todo = NULL, *db_path = NULL, *slurm_dir = NULL;
    int lock_fd = -1, r;
    memset(sub, 0, sizeof(*sub));
    memset(res, 0, sizeof(*res));
    memset(&cl, 0, sizeof(cl));
    char *err = res->errmsg;
    size_t errlen = sizeof(res->errmsg);
    if (!cfg->dry_run && (r = slurm_cluster_check(cfg->partition, &cl, err, errlen)) < 0)
        goto out;
    if (!cfg->dry_run && (r = check_visible(&cl, cfg->output_root, inputs, count, err, errlen)) < 0)
        goto out;
    if ((r = batch_open_root(&rn, cfg->output_root, &lock_fd, err, errlen)) < 0)
        goto out;
    r = AVE_ERR_NOMEM;
    if (!(db_path = ave_fs_join(rn.state_dir, "jobs.sqlite")) ||
        !(slurm_dir = ave_fs_join(rn.state_dir, "slurm")) ||
        !(res->jobs = calloc(count ? count : 1, sizeof(*res->jobs))) ||
        !(todo = calloc(count ? count : 1, 1)) ||
        !(tasks = calloc(count ? count : 1, sizeof(*tasks))))
        goto out;
    res->count = count;
    if ((r = ave_fs_mkdir_p(slurm_dir)) < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", slurm_dir, strerror(-r));
        r = AVE_ERR_IO;
        goto out;
    }
    if ((r = ave_batch_db_open(db_path, &rn.db, err, errlen)) < 0 ||
        (r = ave_batch_db_set_root(rn.db, rn.root)) < 0)
        goto out;
    double cal = 1.0;
    if (ave_batch_db_get_meta(rn.db, "memory_calibration", &cal) == 0)
        cal = ave_batch_calibrate(cal, 0, 0);
    res->calibration = cal;
    int64_t max_est;
    if ((r = prepare(cfg, &rn, inputs, count, res, todo, &max_est)) < 0)
        goto out;
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        const ave_batch_job *j = &res->jobs[i];
        if (todo[i])
            tasks[n++] = (slurm_task){j->id, j->input, j->output_dir};
        else if (j->state == AVE_BATCH_DONE)
            sub->done++;
        else
            sub->in_flight++;
    }
    sub->submitted = n;
    if (n == 0)
        goto out; /* r == 0: nothing left to do */
    if ((r = ave_slurm_derive_resources(cfg->cfg, (int64_t)((double)max_est * cal), cfg->timeout_s,
                                        cfg->kill_grace_s, cl.node_cpus, cl.node_mem_mb,
                                        &sub->res)) < 0 ||
        (r = ave_slurm_array_spec(n, cfg->max_parallel, sub->array_spec, sizeof(sub->array_spec))) <
            0)
        goto out;
    if (sub->res.mem_capped)
        ave_log(AVE_LOG_WARNING, "batch",
                "estimated peak %.0f MB is over --max-memory or the node size; asking for %lld MB",
                (double)max_est * cal / 1048576.0, (long long)sub->res.mem_mb);
    struct tm tm;
    time_t now = time(NULL);
    char stamp[32];
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
    snprintf(sub->script_path, sizeof(sub->script_path), "%s/array-%s-%ld.sh", slurm_dir, stamp,
             (long)getpid());
    if ((r = slurm_script_build(cfg, rn.state_dir, sub->script_path, tasks, n, &sub->res,
                                sub->array_spec, &sub->script)) < 0) {
        if (r == AVE_ERR_USAGE)
            snprintf(err, errlen,
                     "%s: a path with a double quote or a newline cannot be "
                     "passed to sbatch",
                     rn.root);
        goto out;
    }
    if (cfg->dry_run) {
        sub->script_path[0] = '\0';
        goto out;
    }
    if ((r = write_script(sub->script_path, sub->script, err, errlen)) < 0 ||
        (r = sbatch(sub->script_path, sub->job_id, sizeof(sub->job_id), err, errlen)) < 0)
        goto out;
    if ((r = record(cfg, &rn, res, todo, sub->job_id, cal)) < 0)
        snprintf(err, errlen, "%s: job array %s submitted but not recorded in the job table",
                 db_path, sub->job_id);
out:
    if (r < 0 && !err[0])
        snprintf(err, errlen, "%s", ave_strerror(r));
    ave_batch_db_close(rn.db);
    if (lock_fd >= 0)
        close(lock_fd);
    free(tasks);
    free(todo);
    free(db_path);
    free(slurm_dir);
    free(rn.root);
    free(rn.state_dir);
    return r;
}
