/* The local batch engine: runs every queued job of the table as a child
 * `process`, at most max_parallel at once and only while the estimated peaks
 * of the running jobs fit under the memory budget; retries transient
 * failures with exponential backoff; enforces a hard kill at timeout + grace
 * (the child's own --timeout should have stopped it cleanly before); and on
 * the cancel flag forwards SIGINT to the children, waits for them and
 * requeues their jobs.
 *
 * Jobs start in input order; a job that does not fit waits (no overtaking),
 * so a large input is never starved by a stream of small ones. One thread,
 * polling every 50 ms: the work is in the children, and polling keeps signal
 * handling to the one flag the CLI already sets. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ave/error.h"
#include "ave/log.h"
#include "batch_internal.h"
#include "core/fsutil.h"

#define GIB (1024.0 * 1024.0 * 1024.0)
#define POLL_S 0.05
#define INTERRUPT_WAIT_S 10.0
#define MAX_ARGS_EXTRA 8

static void nap(double s)
{
    struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&t, NULL);
}

static void emit(batch_runner *rn, const char *event, size_t i)
{
    if (rn->cfg->on_event)
        rn->cfg->on_event(rn->cfg->opaque, event, &rn->slots[i].job, i, rn->count);
}

static int set_error(ave_batch_job *j, const char *msg)
{
    free(j->last_error);
    j->last_error = msg ? strdup(msg) : NULL;
    return msg && !j->last_error ? AVE_ERR_NOMEM : 0;
}

static int start_job(batch_runner *rn, size_t i, int64_t est)
{
    const ave_batch_config *cfg = rn->cfg;
    batch_slot *s = &rn->slots[i];
    char log_path[4200], timeout[32];
    size_t n = 0;
    const char **argv = calloc(cfg->forward_count + MAX_ARGS_EXTRA, sizeof(*argv));
    if (!argv)
        return AVE_ERR_NOMEM;
    argv[n++] = cfg->exe;
    argv[n++] = "process";
    argv[n++] = s->job.input;
    argv[n++] = "--output";
    argv[n++] = s->job.output_dir;
    for (size_t k = 0; k < cfg->forward_count; k++)
        argv[n++] = cfg->forward[k];
    if (cfg->timeout_s > 0) {
        snprintf(timeout, sizeof(timeout), "--timeout=%g", cfg->timeout_s);
        argv[n++] = timeout;
    }
    argv[n++] = "--no-progress";
    argv[n] = NULL;
    batch_log_path(rn, s->job.id, log_path, sizeof(log_path));
    pid_t pid;
    int r = batch_spawn(cfg->exe, (char *const *)argv, log_path, &pid, &s->log_offset);
    free(argv);
    if (r < 0) {
        /* This job cannot start (log not writable, exe gone): fail it alone. */
        s->job.state = AVE_BATCH_FAILED;
        s->job.exit_code = r == AVE_ERR_IO ? AVE_EXIT_IO : AVE_EXIT_INTERNAL;
        if ((r = set_error(&s->job, "could not start the child process")) < 0)
            return r;
        emit(rn, "failed", i);
        return ave_batch_db_update(rn->db, &s->job);
    }
    s->running = 1;
    s->killed = 0;
    s->t_start = ave_now();
    s->job.state = AVE_BATCH_RUNNING;
    s->job.attempts++;
    s->job.pid = (int)pid;
    s->job.started_at = batch_unix_now();
    s->job.finished_at = 0;
    s->job.est_peak_bytes = est;
    rn->running++;
    rn->running_bytes += est;
    emit(rn, "start", i);
    return ave_batch_db_update(rn->db, &s->job);
}

/* Start every job that may start now, in order, stopping at the first
 * that does not fit. */
static int start_ready(batch_runner *rn)
{
    const ave_batch_config *cfg = rn->cfg;
    int64_t budget = (int64_t)(cfg->max_memory_gb * GIB);
    double now = ave_now();
    for (size_t i = 0; i < rn->count; i++) {
        batch_slot *s = &rn->slots[i];
        if (!s->in_run || s->running || s->job.state != AVE_BATCH_QUEUED || s->not_before > now)
            continue;
        int64_t est = (int64_t)((double)s->raw_est * rn->calibration);
        int a = ave_batch_admit(budget, cfg->max_parallel, rn->running, rn->running_bytes, est);
        if (a == AVE_BATCH_WAIT)
            return 0;
        if (a == AVE_BATCH_START_ALONE)
            ave_log(AVE_LOG_WARNING, "batch",
                    "%s: estimated peak %.2f GB is over --max-memory %g GB; running it alone",
                    s->job.input, (double)est / GIB, cfg->max_memory_gb);
        int r = start_job(rn, i, est);
        if (r < 0)
            return r;
    }
    return 0;
}

/* Exit code and error line of a finished child. */
static int classify(batch_runner *rn, batch_slot *s, int status, char *msg, size_t len)
{
    char log_path[4200];
    batch_log_path(rn, s->job.id, log_path, sizeof(log_path));
    batch_last_line(log_path, s->log_offset, msg, len);
    if (s->killed) {
        snprintf(msg, len, "no result %g s after --timeout %g: killed", rn->cfg->kill_grace_s,
                 rn->cfg->timeout_s);
        return AVE_EXIT_TIMEOUT;
    }
    if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        if (code == 0 && !batch_outputs_ok(s->job.output_dir)) {
            snprintf(msg, len, "finished without analytics/performance_metrics.json");
            return AVE_EXIT_INTERNAL;
        }
        if (code != 0 && !msg[0])
            snprintf(msg, len, "exit code %d", code);
        return code;
    }
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (sig == SIGINT || sig == SIGTERM) {
        snprintf(msg, len, "stopped by signal %d", sig);
        return AVE_EXIT_CANCELLED;
    }
    snprintf(msg, len, "killed by signal %d (%s)", sig, strsignal(sig));
    return AVE_EXIT_INTERNAL;
}

static int finish_job(batch_runner *rn, size_t i, int status, int interrupted)
{
    batch_slot *s = &rn->slots[i];
    ave_batch_job *j = &s->job;
    char msg[1024];
    int code = classify(rn, s, status, msg, sizeof(msg));
    s->running = 0;
    rn->running--;
    rn->running_bytes -= j->est_peak_bytes;
    j->pid = 0;
    j->exit_code = code;
    j->finished_at = batch_unix_now();
    j->duration_s = ave_now() - s->t_start;
    const char *event;
    int r;
    if (code == 0) {
        j->state = AVE_BATCH_DONE;
        j->peak_bytes = batch_metrics_peak(j->output_dir);
        rn->calibration = ave_batch_calibrate(rn->calibration, s->raw_est, j->peak_bytes);
        ave_batch_db_set_meta(rn->db, "memory_calibration", rn->calibration);
        r = set_error(j, NULL);
        event = "done";
    } else if (interrupted) {
        /* Not the job's fault: back to the queue, the attempt not counted. */
        j->state = AVE_BATCH_QUEUED;
        j->attempts--;
        r = set_error(j, "interrupted");
        event = "interrupt";
    } else if (ave_batch_should_retry(code, j->attempts, rn->cfg->retries)) {
        j->state = AVE_BATCH_QUEUED;
        s->not_before = ave_now() + ave_batch_backoff_s(rn->cfg->backoff_s, j->attempts + 1);
        r = set_error(j, msg);
        event = "retry";
    } else {
        j->state = AVE_BATCH_FAILED;
        r = set_error(j, msg);
        event = "failed";
    }
    if (r == 0)
        r = ave_batch_db_update(rn->db, j);
    emit(rn, event, i);
    return r;
}

/* Collect finished children; apply the hard-kill backstop to late ones. */
static int reap(batch_runner *rn, int interrupted)
{
    double now = ave_now();
    const ave_batch_config *cfg = rn->cfg;
    for (size_t i = 0; i < rn->count; i++) {
        batch_slot *s = &rn->slots[i];
        if (!s->running)
            continue;
        int status;
        pid_t p = waitpid(s->job.pid, &status, WNOHANG);
        if (p == s->job.pid || (p < 0 && errno == ECHILD)) {
            if (p < 0)
                status = 0x7f00; /* lost: counts as an internal failure */
            int r = finish_job(rn, i, status, interrupted);
            if (r < 0)
                return r;
        } else if (cfg->timeout_s > 0 && !s->killed &&
                   now - s->t_start > cfg->timeout_s + cfg->kill_grace_s) {
            ave_log(AVE_LOG_WARNING, "batch", "%s: still running %g s after its timeout; killing",
                    s->job.input, cfg->kill_grace_s);
            s->killed = 1;
            kill(-s->job.pid, SIGKILL);
        }
    }
    return 0;
}

/* Ctrl-C: forward SIGINT to every child, give them time to clean up, then
 * kill what is left; their jobs go back to the queue. */
static int interrupt_all(batch_runner *rn)
{
    for (size_t i = 0; i < rn->count; i++)
        if (rn->slots[i].running)
            kill(-rn->slots[i].job.pid, SIGINT);
    double t0 = ave_now();
    int killed = 0;
    while (rn->running > 0) {
        int r = reap(rn, 1);
        if (r < 0)
            return r;
        if (!killed && ave_now() - t0 > INTERRUPT_WAIT_S) {
            for (size_t i = 0; i < rn->count; i++)
                if (rn->slots[i].running)
                    kill(-rn->slots[i].job.pid, SIGKILL);
            killed = 1;
        }
        if (rn->running > 0)
            nap(POLL_S);
    }
    return 0;
}

static int pending(const batch_runner *rn)
{
    for (size_t i = 0; i < rn->count; i++)
        if (rn->slots[i].in_run && (rn->slots[i].running || rn->slots[i].job.state == AVE_BATCH_QUEUED))
            return 1;
    return 0;
}

/* Runs the loop until every job is done or failed, or the cancel flag. */
int batch_loop(batch_runner *rn, int *interrupted)
{
    int r = 0;
    *interrupted = 0;
    while (pending(rn)) {
        if (rn->cfg->cancel_flag && atomic_load(rn->cfg->cancel_flag)) {
            *interrupted = 1;
            return interrupt_all(rn);
        }
        if ((r = reap(rn, 0)) < 0 || (r = start_ready(rn)) < 0)
            break;
        nap(POLL_S);
    }
    if (r < 0 && rn->running > 0)
        interrupt_all(rn);
    return r;
}
