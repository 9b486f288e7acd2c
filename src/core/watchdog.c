/* The hard end of --timeout. Stages check the clock between packets, but
 * some library calls cannot be interrupted: flushing x264 analyses its whole
 * lookahead in one call (at 8K, 1.0-1.6 s for ten frames, and up to forty
 * frames are held), and closing it joins its frame threads. A job stuck in
 * such a call when the limit passes would overrun it by seconds.
 *
 * So, when the host asks for it (ave_job_callbacks.overdue), a thread waits
 * until the deadline plus a short grace. If the job is still running then,
 * its partial outputs and scratch folder are removed, later writes are
 * refused, and the host is told, so that it may end the process at once
 * (the CLI does, with the timeout's exit code). A job that already started
 * publishing is left to finish: its results are complete. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ave/error.h"
#include "core/job_internal.h"

struct ave_job_watchdog {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stop;
    struct timespec fire_at; /* CLOCK_MONOTONIC */
    ave_job *job;
};

static void fire(ave_job *job)
{
    struct ave_job_internal *in = job->internal;
    char message[1200];
    snprintf(message, sizeof(message),
             "%s: stopped after --timeout %g s (a step that cannot be interrupted overran it)",
             job->input_path, job->cfg->timeout_s);
    ave_job_fail(job, AVE_ERR_TIMEOUT, "%s", message);
    if (ave_job_outputs_abandon(job) == 0)
        in->cb.overdue(in->cb.opaque, message);
}

static void *watchdog_main(void *opaque)
{
    struct ave_job_watchdog *w = opaque;
    int timed_out = 0;
    pthread_mutex_lock(&w->lock);
    while (!w->stop && !timed_out)
        timed_out = pthread_cond_timedwait(&w->wake, &w->lock, &w->fire_at) == ETIMEDOUT;
    int run = !w->stop;
    pthread_mutex_unlock(&w->lock);
    if (run)
        fire(w->job);
    return NULL;
}

void ave_job_watchdog_start(ave_job *job)
{
    struct ave_job_internal *in = job->internal;
    if (!in->cb.overdue || in->deadline <= 0 || in->watchdog)
        return;
    struct ave_job_watchdog *w = calloc(1, sizeof(*w));
    if (!w)
        return; /* the soft checks still stop the job, only later */
    double at = in->deadline + AVE_JOB_OVERDUE_GRACE_S;
    w->fire_at.tv_sec = (time_t)at;
    w->fire_at.tv_nsec = (long)((at - (double)w->fire_at.tv_sec) * 1e9);
    w->job = job;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* the deadline's clock (ave_now) */
    pthread_cond_init(&w->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&w->lock, NULL);
    if (pthread_create(&w->thread, NULL, watchdog_main, w) != 0) {
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return;
    }
    in->watchdog = w;
}

void ave_job_watchdog_stop(ave_job *job)
{
    struct ave_job_internal *in = job->internal;
    struct ave_job_watchdog *w = in->watchdog;
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
    in->watchdog = NULL;
}
