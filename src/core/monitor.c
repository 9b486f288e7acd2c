/* The resource monitor: a thread that samples the process's resident memory
 * and CPU use once a second while a job runs, like the original tool's
 * guide's monitor, so a user sees when memory peaks and which stage keeps
 * the cores busy. The samples go into the metrics ("resource_monitor"),
 * beside the stage timeline, and the report plots them together.
 *
 * CPU use is the process's user + system time (getrusage: every thread)
 * over wall time since the previous sample, in percent of one core, so two
 * busy threads read 200. RSS comes from /proc/self/statm (the current
 * figure; getrusage only has the peak). The thread waits on a condition
 * variable, so stopping it takes no longer than a wake-up. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "ave/log.h"
#include "core/array_grow.h"
#include "core/job_internal.h"

#define MONITOR_INTERVAL_S 1.0
#define MONITOR_MAX_SAMPLES (7 * 24 * 3600) /* a week of samples: far past any job */

typedef struct monitor_sample {
    double t, rss_mb, cpu_percent;
} monitor_sample;

struct ave_job_monitor {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stop;
    double start;                 /* the job's start (monotonic s) */
    double last_wall, last_cpu;
    monitor_sample *samples;
    size_t count, cap;
};

static double rss_mb(void)
{
    long pages = 0, resident = 0;
    FILE *fp = fopen("/proc/self/statm", "r");
    if (fp) {
        if (fscanf(fp, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(fp);
    }
    return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static double cpu_s(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) < 0)
        return 0;
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

/* With the lock held. */
static void take_sample(struct ave_job_monitor *m)
{
    double now = ave_now(), cpu = cpu_s();
    monitor_sample *grown = m->count < MONITOR_MAX_SAMPLES
                                ? array_grow(m->samples, &m->cap, m->count + 1,
                                                 sizeof(*grown), 64)
                                : NULL;
    if (!grown)
        return; /* a sample less: the monitor never fails the job */
    m->samples = grown;
    double dt = now - m->last_wall;
    m->samples[m->count++] = (monitor_sample){
        now - m->start, rss_mb(), dt > 0 ? 100.0 * (cpu - m->last_cpu) / dt : 0};
    m->last_wall = now;
    m->last_cpu = cpu;
}

static void *monitor_main(void *opaque)
{
    struct ave_job_monitor *m = opaque;
    pthread_mutex_lock(&m->lock);
    while (!m->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += (time_t)MONITOR_INTERVAL_S;
        pthread_cond_timedwait(&m->wake, &m->lock, &until);
        if (!m->stop)
            take_sample(m);
    }
    pthread_mutex_unlock(&m->lock);
    return NULL;
}

void ave_job_monitor_start(ave_job *job)
{
    struct ave_job_internal *in = job->internal;
    struct ave_job_monitor *m = calloc(1, sizeof(*m));
    if (!m)
        return;
    m->start = in->start_time;
    m->last_wall = ave_now();
    m->last_cpu = cpu_s();
    if (pthread_mutex_init(&m->lock, NULL) != 0) {
        free(m);
        return;
    }
    if (pthread_cond_init(&m->wake, NULL) != 0) {
        pthread_mutex_destroy(&m->lock);
        free(m);
        return;
    }
    take_sample(m); /* t = 0: where the job began */
    if (pthread_create(&m->thread, NULL, monitor_main, m) != 0) {
        ave_log(AVE_LOG_VERBOSE, "monitor", "no monitor thread; resources are not sampled");
        pthread_cond_destroy(&m->wake);
        pthread_mutex_destroy(&m->lock);
        free(m->samples);
        free(m);
        return;
    }
    in->monitor = m;
}

void ave_job_monitor_stop(ave_job *job, int record)
{
    struct ave_job_internal *in = job->internal;
    struct ave_job_monitor *m = in->monitor;
    if (!m)
        return;
    pthread_mutex_lock(&m->lock);
    m->stop = 1;
    take_sample(m); /* the end of the job's work */
    pthread_cond_signal(&m->wake);
    pthread_mutex_unlock(&m->lock);
    pthread_join(m->thread, NULL);
    in->monitor = NULL;

    cJSON *sec = record ? ave_job_metrics_section(job, "resource_monitor") : NULL;
    cJSON *list = sec ? cJSON_AddArrayToObject(sec, "samples") : NULL;
    if (sec)
        cJSON_AddNumberToObject(sec, "interval_s", MONITOR_INTERVAL_S);
    for (size_t i = 0; list && i < m->count; i++) {
        cJSON *s = cJSON_CreateObject();
        if (!s || !cJSON_AddItemToArray(list, s)) {
            cJSON_Delete(s);
            break;
        }
        cJSON_AddNumberToObject(s, "t", round(m->samples[i].t * 1000) / 1000);
        cJSON_AddNumberToObject(s, "rss_mb", round(m->samples[i].rss_mb * 10) / 10);
        cJSON_AddNumberToObject(s, "cpu_percent", round(m->samples[i].cpu_percent * 10) / 10);
    }
    pthread_cond_destroy(&m->wake);
    pthread_mutex_destroy(&m->lock);
    free(m->samples);
    free(m);
}
