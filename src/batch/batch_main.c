/* ave_batch_run: the batch from start to summary. Creates the output root
 * and its .ave-batch/ state folder, takes an exclusive lock on it (flock: the
 * kernel drops it when the holder dies, even by SIGKILL, so a killed batch
 * never blocks its re-run), opens the job table, prepares and runs the jobs,
 * and writes batch_summary.json. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "ave/error.h"
#include "ave/log.h"
#include "ave/resources.h"
#include "batch_internal.h"
#include "core/fsutil.h"

void ave_batch_config_init(ave_batch_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    ave_machine m;
    ave_machine_probe(&m); /* the CPUs this process may use, not the machine's */
    cfg->max_parallel = m.cores >= 2 ? m.cores / 2 : 1;
    cfg->max_memory_gb = 8;
    cfg->retries = 1;
    cfg->backoff_s = 2;
    cfg->kill_grace_s = 15;
}

void ave_batch_result_free(ave_batch_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->count; i++)
        ave_batch_job_clear(&res->jobs[i]);
    free(res->jobs);
    res->jobs = NULL;
    res->count = 0;
}

int batch_open_root(batch_runner *rn, const char *root, int *lock_fd, char *err, size_t len)
{
    char abs[PATH_MAX];
    int r = ave_fs_mkdir_p(root);
    if (r < 0 || !realpath(root, abs)) {
        snprintf(err, len, "%s: cannot create the output folder: %s", root,
                 strerror(r < 0 ? -r : errno));
        return AVE_ERR_IO;
    }
    if (!(rn->root = strdup(abs)) || !(rn->state_dir = ave_fs_join(abs, ".ave-batch")))
        return AVE_ERR_NOMEM;
    char *logs = ave_fs_join(rn->state_dir, "logs");
    char *lock = ave_fs_join(rn->state_dir, "lock");
    r = logs && lock ? ave_fs_mkdir_p(logs) : AVE_ERR_NOMEM;
    if (r == 0) {
        *lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (*lock_fd < 0) {
            snprintf(err, len, "%s: %s", lock, strerror(errno));
            r = AVE_ERR_IO;
        } else if (flock(*lock_fd, LOCK_EX | LOCK_NB) < 0) {
            snprintf(err, len, "%.400s: another batch is running on this output folder", abs);
            r = AVE_ERR_IO;
        }
    } else if (r != AVE_ERR_NOMEM) {
        snprintf(err, len, "%s: cannot create the batch state folder: %s", rn->state_dir,
                 strerror(-r));
        r = AVE_ERR_IO;
    }
    free(logs);
    free(lock);
    return r;
}

/* Moves the jobs' rows into res (the slots keep empty rows). */
static int collect(batch_runner *rn, ave_batch_result *res, int interrupted)
{
    res->exit_code = 0;
    if (!(res->jobs = calloc(rn->count ? rn->count : 1, sizeof(*res->jobs))))
        return AVE_ERR_NOMEM;
    res->count = rn->count;
    for (size_t i = 0; i < rn->count; i++) {
        res->jobs[i] = rn->slots[i].job;
        memset(&rn->slots[i].job, 0, sizeof(rn->slots[i].job));
        const ave_batch_job *j = &res->jobs[i];
        if (j->state == AVE_BATCH_FAILED)
            res->exit_code = ave_batch_exit_worse(res->exit_code, j->exit_code);
    }
    if (interrupted)
        res->exit_code = AVE_EXIT_CANCELLED;
    res->interrupted = interrupted;
    res->calibration = rn->calibration;
    return 0;
}

int ave_batch_run(const ave_batch_config *cfg, const char *const *inputs, size_t count,
                  ave_batch_result *res)
{
    batch_runner rn = {.cfg = cfg, .calibration = 1.0};
    int lock_fd = -1, interrupted = 0;
    memset(res, 0, sizeof(*res));
    double t0 = ave_now();
    char *db_path = NULL, *summary = NULL;
    int r = batch_open_root(&rn, cfg->output_root, &lock_fd, res->errmsg, sizeof(res->errmsg));
    if (r < 0)
        goto out;
    if (!(db_path = ave_fs_join(rn.state_dir, "jobs.sqlite")) ||
        !(summary = ave_fs_join(rn.root, "batch_summary.json"))) {
        r = AVE_ERR_NOMEM;
        goto out;
    }
    if ((r = ave_batch_db_open(db_path, &rn.db, res->errmsg, sizeof(res->errmsg))) < 0 ||
        (r = ave_batch_db_set_root(rn.db, rn.root)) < 0)
        goto out;
    double cal;
    if (ave_batch_db_get_meta(rn.db, "memory_calibration", &cal) == 0)
        rn.calibration = ave_batch_calibrate(cal, 0, 0);
    if ((r = batch_prepare(&rn, inputs, count, res->errmsg, sizeof(res->errmsg))) < 0)
        goto out;
    r = batch_loop(&rn, &interrupted);
    if (r < 0)
        snprintf(res->errmsg, sizeof(res->errmsg), "%s: the job table could not be updated",
                 db_path);
    int rc = collect(&rn, res, interrupted);
    if (rc < 0) {
        r = rc;
        goto out;
    }
    res->wall_s = ave_now() - t0;
    if (ave_batch_write_summary(cfg, res, summary) < 0)
        ave_log(AVE_LOG_WARNING, "batch", "%s: could not write the summary", summary);
out:
    if (r < 0 && !res->errmsg[0])
        snprintf(res->errmsg, sizeof(res->errmsg), "%s: %s", rn.root ? rn.root : cfg->output_root,
                 ave_batch_db_errmsg(rn.db) ? ave_batch_db_errmsg(rn.db) : ave_strerror(r));
    if (rn.slots) {
        for (size_t i = 0; i < rn.count; i++)
            ave_batch_job_clear(&rn.slots[i].job);
        free(rn.slots);
    }
    ave_batch_db_close(rn.db);
    if (lock_fd >= 0)
        close(lock_fd);
    free(db_path);
    free(summary);
    free(rn.root);
    free(rn.state_dir);
    return r;
}
