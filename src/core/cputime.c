/* CPU time per stage (module_cpu_times in performance_metrics.json).
 * The pipeline measures the thread that runs a stage; the threads a stage
 * starts itself (recognisers, FFmpeg's frame threads) are added by the
 * stage with ave_job_add_stage_cpu, because their time is not the stage
 * thread's. Threads that FFmpeg starts cannot report themselves: they are
 * found by name in /proc (a new thread inherits its creator's name), before
 * they exit. Linux only, like the rest of the resource accounting. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ave/error.h"
#include "core/job_internal.h"

static double timespec_s(const struct timespec *ts)
{
    return (double)ts->tv_sec + (double)ts->tv_nsec * 1e-9;
}

double ave_thread_cpu_s(void)
{
    struct timespec ts;
    return clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0 ? timespec_s(&ts) : 0;
}

double ave_process_cpu_s(void)
{
    struct timespec ts;
    return clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0 ? timespec_s(&ts) : 0;
}

/* First line of a small /proc file, newline stripped; 0 or -1. */
static int read_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    int ok = f && fgets(buf, (int)len, f) != NULL;
    if (f)
        fclose(f);
    if (!ok)
        return -1;
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

double ave_named_threads_cpu_s(const char *name)
{
    long self = (long)syscall(SYS_gettid);
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    double total = 0;

    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        char path[64], comm[32], sched[128];
        long tid = strtol(e->d_name, NULL, 10);
        if (tid <= 0 || tid == self)
            continue;
        snprintf(path, sizeof(path), "/proc/self/task/%ld/comm", tid);
        if (read_line(path, comm, sizeof(comm)) < 0 || strcmp(comm, name) != 0)
            continue;
        /* schedstat: nanoseconds on a CPU (user + system), then wait time. */
        snprintf(path, sizeof(path), "/proc/self/task/%ld/schedstat", tid);
        if (read_line(path, sched, sizeof(sched)) == 0)
            total += strtod(sched, NULL) * 1e-9;
    }
    closedir(d);
    return total;
}

void ave_job_add_stage_cpu(ave_job *job, const char *stage, double cpu_s)
{
    cJSON *times, *item;

    if (!job || !stage || !(cpu_s > 0))
        return;
    ave_job_lock(job);
    if ((times = ave_job_metrics_section(job, "module_cpu_times")) != NULL) {
        if ((item = cJSON_GetObjectItemCaseSensitive(times, stage)) != NULL)
            cJSON_SetNumberValue(item, item->valuedouble + cpu_s);
        else
            cJSON_AddNumberToObject(times, stage, cpu_s);
    }
    ave_job_unlock(job);
}
