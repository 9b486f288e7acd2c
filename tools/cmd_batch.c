/* `ai-video-editor batch DIR|FILES... [batch flags] [process flags]`: every
 * input processed by a child `process`, bounded by --max-parallel and
 * --max-memory, resumable after a kill (see docs/BATCH.md).
 *
 * The batch's own flags are taken out first; everything else goes through
 * the same session code as `process`, so a bad process flag fails the batch
 * at once with exit 2 instead of once per input, and the surviving tokens
 * (minus inputs, --output and progress flags) are forwarded to each child. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ave/batch.h"
#include "cli.h"

typedef struct batch_flags {
    int max_parallel;
    int retries;
    double backoff_s;
    double kill_grace_s;
    int recursive;
    int verbosity;
} batch_flags;

static void print_batch_help(void)
{
    printf("usage: ai-video-editor batch DIR|FILES... [--output DIR] [batch flags] [process "
           "flags]\n\n"
           "Processes every video/audio file of DIR (or the FILES given), each in its own\n"
           "child process and output folder DIR/<input-name>/ (default ./output/). Re-running\n"
           "the same command resumes: finished inputs are skipped.\n\n"
           "  --max-parallel N    jobs at once (default: cores/2, at least 1)\n"
           "  --max-memory GB     a job starts only when its estimated peak fits with the\n"
           "                      running ones (also passed to each job)\n"
           "  --retries N         extra attempts for transient failures (default 1)\n"
           "  --retry-backoff S   first retry delay, doubled each time (default 2)\n"
           "  --timeout S         per job; killed at S + --kill-grace (default 15) seconds\n"
           "  --recursive         include subfolders of DIR\n\n"
           "State: DIR/.ave-batch/jobs.sqlite and logs/<n>.log; summary: batch_summary.json.\n"
           "Exit code: 0 when every input is done, else the worst failure\n"
           "(1 > 6 > 5 > 4 > 3 > 2), 130 when interrupted.\n");
}

static double number_arg(const char *flag, const char *value, double min, double max)
{
    char *end;
    double v = value ? strtod(value, &end) : 0;
    if (!value || end == value || *end || v < min || v > max)
        cli_usage_error("%s: '%s' is not a number in [%g, %g]", flag, value ? value : "", min,
                        max);
    return v;
}

/* Removes the batch-only flags from argv (in place); returns the new argc. */
static int take_batch_flags(int argc, char **argv, batch_flags *bf)
{
    static const char *const valued[] = {"max-parallel", "retries", "retry-backoff", "kill-grace",
                                         NULL};
    int out = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            while (i < argc)
                argv[out++] = argv[i++];
            break;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            print_batch_help();
            exit(AVE_EXIT_OK);
        }
        if (!strcmp(a, "--recursive")) {
            bf->recursive = 1;
            continue;
        }
        if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
            bf->verbosity++;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
            bf->verbosity = -1;
        int k = -1;
        const char *value = NULL;
        for (int n = 0; valued[n] && k < 0; n++) {
            size_t len = strlen(valued[n]);
            if (strncmp(a, "--", 2) || strncmp(a + 2, valued[n], len))
                continue;
            if (a[2 + len] == '=') {
                k = n;
                value = a + 3 + len;
            } else if (a[2 + len] == '\0') {
                k = n;
                value = i + 1 < argc ? argv[++i] : NULL;
            }
        }
        if (k < 0) {
            argv[out++] = argv[i];
            continue;
        }
        if (k == 0)
            bf->max_parallel = (int)number_arg("--max-parallel", value, 1, 256);
        else if (k == 1)
            bf->retries = (int)number_arg("--retries", value, 0, 20);
        else if (k == 2)
            bf->backoff_s = number_arg("--retry-backoff", value, 0, 3600);
        else
            bf->kill_grace_s = number_arg("--kill-grace", value, 0, 3600);
    }
    argv[out] = NULL;
    return out;
}

static int is_input(const cli_session *cs, const char *arg)
{
    for (int i = 0; i < cs->input_count; i++)
        if (cs->inputs[i] == arg)
            return 1;
    return 0;
}

/* The process flags to pass on: argv minus inputs, --output, --timeout
 * (the runner passes its own) and progress flags (children never show one). */
static const char **forwarded(const cli_session *cs, int argc, char **argv, size_t *count)
{
    static const char *const dropped[] = {"output", "timeout", NULL};
    const char **fw = calloc((size_t)argc + 1, sizeof(*fw));
    *count = 0;
    if (!fw)
        return NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (is_input(cs, a) || !strcmp(a, "--"))
            continue;
        if (!strcmp(a, "--progress") || !strcmp(a, "--no-progress") ||
            !strncmp(a, "--progress=", 11))
            continue;
        int drop = 0;
        for (int n = 0; dropped[n] && !drop; n++) {
            size_t len = strlen(dropped[n]);
            if (!strncmp(a, "--", 2) && !strncmp(a + 2, dropped[n], len)) {
                if (a[2 + len] == '=')
                    drop = 1;
                else if (a[2 + len] == '\0')
                    drop = 2; /* its value follows (the session checked it is there) */
            }
        }
        if (drop == 2)
            i++;
        if (!drop)
            fw[(*count)++] = a;
    }
    return fw;
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static void on_event(void *opaque, const char *event, const ave_batch_job *j, size_t index,
                     size_t total)
{
    const batch_flags *bf = opaque;
    if (bf->verbosity < 0)
        return;
    fprintf(stderr, "[%zu/%zu] %-9s %s", index + 1, total, event, base_name(j->input));
    if (!strcmp(event, "done"))
        fprintf(stderr, " in %.1f s -> %s", j->duration_s, j->output_dir);
    else if (!strcmp(event, "failed") || !strcmp(event, "retry"))
        fprintf(stderr, " (exit %d, attempt %d): %s", j->exit_code, j->attempts,
                j->last_error ? j->last_error : "");
    else if (!strcmp(event, "start") && bf->verbosity > 0)
        fprintf(stderr, " (pid %d, estimated peak %.0f MB)", j->pid,
                (double)j->est_peak_bytes / 1048576.0);
    fputc('\n', stderr);
}

static void print_table(const ave_batch_result *res, const char *root)
{
    int counts[4] = {0};
    printf("%-32s %-7s %8s %9s  %s\n", "input", "state", "attempts", "time", "output or error");
    for (size_t i = 0; i < res->count; i++) {
        const ave_batch_job *j = &res->jobs[i];
        counts[j->state & 3]++;
        const char *what = j->state == AVE_BATCH_DONE ? j->output_dir
                           : j->last_error             ? j->last_error
                                                       : "";
        printf("%-32s %-7s %8d %7.1f s  %s\n", base_name(j->input), ave_batch_state_name(j->state),
               j->attempts, j->duration_s, what);
    }
    printf("%d done, %d failed, %d queued in %.1f s%s; summary in %s/batch_summary.json\n",
           counts[AVE_BATCH_DONE], counts[AVE_BATCH_FAILED],
           counts[AVE_BATCH_QUEUED] + counts[AVE_BATCH_RUNNING], res->wall_s,
           res->interrupted ? " (interrupted)" : "", root);
}

int cli_cmd_batch(int argc, char **argv)
{
    ave_batch_config cfg;
    ave_batch_config_init(&cfg);
    batch_flags bf = {cfg.max_parallel, cfg.retries, cfg.backoff_s, cfg.kill_grace_s, 0, 0};
    argc = take_batch_flags(argc, argv, &bf);

    cli_session cs;
    cli_session_begin(&cs, argc, argv); /* exits 2 on a bad process flag */
    if (cs.input_count == 0)
        cli_usage_error("batch: no input folder or file given");
    const ave_config *pc = ave_settings_config(cs.settings);

    char exe[PATH_MAX], err[512];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0) {
        fprintf(stderr, "ai-video-editor: error: cannot find my own executable\n");
        cli_session_end(&cs);
        return AVE_EXIT_INTERNAL;
    }
    exe[n] = '\0';

    char **inputs = NULL;
    size_t ninputs = 0, nfw = 0;
    int code;
    int r = ave_batch_discover(cs.inputs, (size_t)cs.input_count, bf.recursive, &inputs, &ninputs,
                               err, sizeof(err));
    const char **fw = r == 0 ? forwarded(&cs, argc, argv, &nfw) : NULL;
    if (r < 0 || !fw) {
        fprintf(stderr, "ai-video-editor: error: %s\n", r < 0 ? err : "out of memory");
        code = r < 0 ? ave_exit_code(r) : AVE_EXIT_LIMIT;
        goto out;
    }
    cfg.exe = exe;
    cfg.forward = fw;
    cfg.forward_count = nfw;
    cfg.output_root = pc->output ? pc->output : "output";
    cfg.cfg = pc;
    cfg.max_parallel = bf.max_parallel;
    cfg.max_memory_gb = pc->max_memory_gb;
    cfg.retries = bf.retries;
    cfg.backoff_s = bf.backoff_s;
    cfg.kill_grace_s = bf.kill_grace_s;
    cfg.timeout_s = pc->timeout_s;
    cfg.cancel_flag = &cli_interrupted;
    cfg.on_event = on_event;
    cfg.opaque = &bf;

    ave_batch_result res;
    r = ave_batch_run(&cfg, (const char *const *)inputs, ninputs, &res);
    if (res.count && bf.verbosity >= 0)
        print_table(&res, cfg.output_root);
    if (r < 0) {
        fprintf(stderr, "ai-video-editor: error: %s\n", res.errmsg);
        code = ave_exit_code(r);
    } else {
        code = res.exit_code;
    }
    ave_batch_result_free(&res);
out:
    free(fw);
    ave_batch_free_list(inputs, ninputs);
    cli_session_end(&cs);
    return code;
}
