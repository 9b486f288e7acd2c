/* Child processes of the batch runner and what they leave behind: spawning
 * `process` with stderr captured to a per-job log, reading the error line
 * back, recognising an orphaned child of a killed batch, and reading the
 * measured peak from a finished job's metrics.
 *
 * posix_spawn rather than fork + exec: it is the same fork/exec underneath,
 * but nothing of ours runs between fork and exec, so the library never needs
 * _exit() in a half-copied process. Each child gets its own process group so
 * a terminal's Ctrl-C reaches only the batch, which forwards it, and the
 * batch can stop a child together with anything it started. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ave/error.h"
#include "ave/log.h"
#include "batch_internal.h"

extern char **environ;

#define METRICS_REL "/analytics/performance_metrics.json"
#define MAX_METRICS_BYTES (4 * 1024 * 1024)

double batch_unix_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int batch_spawn(const char *exe, char *const argv[], const char *log_path, pid_t *pid_out,
                int64_t *log_offset)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, defaults;
    int r = AVE_ERR_IO;
    int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        ave_log(AVE_LOG_ERROR, "batch", "%s: cannot open the job log: %s", log_path,
                strerror(errno));
        return AVE_ERR_IO;
    }
    struct stat st;
    *log_offset = fstat(fd, &st) == 0 ? (int64_t)st.st_size : 0;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGCHLD);
    sigaddset(&defaults, SIGPIPE);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fd, 2);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
    int e = posix_spawn(pid_out, exe, &fa, &attr, argv, environ);
    if (e != 0)
        ave_log(AVE_LOG_ERROR, "batch", "%s: cannot start: %s", exe, strerror(e));
    else
        r = 0;
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    close(fd);
    return r;
}

void batch_last_line(const char *log_path, int64_t offset, char *buf, size_t len)
{
    static const char prefix[] = "ai-video-editor: error: ";
    char tail[4096];
    buf[0] = '\0';
    FILE *f = fopen(log_path, "rb");
    if (!f)
        return;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        long from = size - (long)sizeof(tail) + 1;
        if (from < (long)offset)
            from = (long)offset;
        if (size > from && fseek(f, from, SEEK_SET) == 0) {
            size_t n = fread(tail, 1, (size_t)(size - from), f);
            tail[n] = '\0';
            while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r' || tail[n - 1] == ' '))
                tail[--n] = '\0';
            char *line = strrchr(tail, '\n');
            line = line ? line + 1 : tail;
            /* A progress bar may leave \r-separated updates on the line. */
            char *cr = strrchr(line, '\r');
            if (cr)
                line = cr + 1;
            if (!strncmp(line, prefix, sizeof(prefix) - 1))
                line += sizeof(prefix) - 1;
            snprintf(buf, len, "%s", line);
        }
    }
    fclose(f);
}

int batch_pid_runs_input(int pid, const char *input)
{
    char path[64], args[8192];
    if (pid <= 0 || (kill(pid, 0) < 0 && errno != EPERM))
        return 0;
    snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(args, 1, sizeof(args) - 1, f);
    fclose(f);
    args[n] = '\0';
    /* cmdline is NUL-separated: look for the words "process" and the input. */
    int saw_process = 0, saw_input = 0;
    for (size_t i = 0; i < n; i += strlen(args + i) + 1) {
        if (!strcmp(args + i, "process"))
            saw_process = 1;
        else if (!strcmp(args + i, input))
            saw_input = 1;
    }
    return saw_process && saw_input;
}

static char *metrics_path(const char *output_dir)
{
    size_t len = strlen(output_dir) + sizeof(METRICS_REL);
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s%s", output_dir, METRICS_REL);
    return p;
}

int batch_outputs_ok(const char *output_dir)
{
    struct stat st;
    char *p = metrics_path(output_dir);
    int ok = p && stat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
    free(p);
    return ok;
}

int64_t batch_metrics_peak(const char *output_dir)
{
    int64_t peak = 0;
    char *text = NULL;
    char *p = metrics_path(output_dir);
    FILE *f = p ? fopen(p, "rb") : NULL;
    if (!f)
        goto out;
    if (fseek(f, 0, SEEK_END) < 0)
        goto out;
    long size = ftell(f);
    if (size <= 0 || size > MAX_METRICS_BYTES || fseek(f, 0, SEEK_SET) < 0)
        goto out;
    if (!(text = malloc((size_t)size + 1)))
        goto out;
    size_t n = fread(text, 1, (size_t)size, f);
    text[n] = '\0';
    cJSON *root = cJSON_Parse(text);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "memory_peak_usage");
    if (cJSON_IsNumber(v) && v->valuedouble > 0)
        peak = (int64_t)v->valuedouble;
    cJSON_Delete(root);
out:
    if (f)
        fclose(f);
    free(text);
    free(p);
    return peak;
}
