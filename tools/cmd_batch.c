/* `ai-video-editor batch DIR|FILES... [batch flags] [process flags]`: every
 * input processed by a child `process`, bounded by --max-parallel and
 * --max-memory, resumable after a kill (see docs/BATCH.md).
 *
 * The batch's own flags are taken out first; everything else goes through
 * the same session code as `process`, so a bad process flag fails the batch
 * at once with exit 2 instead of once per input, and the surviving tokens
 * (minus inputs, --output and progress flags) are forwarded to each child.
 * With --engine slurm the same jobs are submitted as one Slurm job array
 * instead (docs/SCALE-OUT.md); --status shows the job table of an output
 * folder, refreshed from Slurm. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ave/batch.h"
#include "ave/batch_slurm.h"
#include "cli.h"

typedef struct batch_flags {
    int max_parallel;
    int retries;
    double backoff_s;
    double kill_grace_s;
    int recursive;
    int verbosity;
    int max_parallel_given;
    int slurm;             /* --engine slurm */
    const char *partition; /* borrowed from argv */
    int status;            /* --status */
    int dry_run;           /* --dry-run */
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
           "  --recursive         include subfolders of DIR\n"
           "  --engine local|slurm  run here (default) or submit one Slurm job array\n"
           "                      (see docs/SCALE-OUT.md); --max-parallel is then the\n"
           "                      array throttle (default: none)\n"
           "  --partition P       Slurm partition (default: the cluster's default)\n"
           "  --dry-run           with --engine slurm: print the script, submit nothing\n"
           "  --status            show every input's state (Slurm, outputs on disk) for\n"
           "                      the output folder (--output, or DIR if it holds a batch)\n\n"
           "State: DIR/.ave-batch/jobs.sqlite and logs/<n>.log; summary: batch_summary.json.\n"
           "Exit code: 0 when every input is done, else the worst failure\n"
           "(1 > 6 > 5 > 4 > 3 > 2), 130 when interrupted.\n");
}

static double number_arg(const char *flag, const char *value, double min, double max)
{
    char *end;
    double v = value ? strtod(value, &end) : 0;
    if (!value || end == value || *end || v < min || v > max)
        cli_usage_error("%s: '%s' is not a number in [%g, %g]", flag, value ? value : "", min, max);
    return v;
}

/* Removes the batch-only flags from argv (in place); returns the new argc. */
static int take_batch_flags(int argc, char **argv, batch_flags *bf)
{
    static const char *const valued[] = {
        "max-parallel", "retries", "retry-backoff", "kill-grace", "engine", "partition", NULL};
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
        if (!strcmp(a, "--status")) {
            bf->status = 1;
            continue;
        }
        if (!strcmp(a, "--dry-run")) {
            bf->dry_run = 1;
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
        if (k == 0) {
            bf->max_parallel = (int)number_arg("--max-parallel", value, 1, 100000);
            bf->max_parallel_given = 1;
        } else if (k == 4) {
            if (!value || (strcmp(value, "local") && strcmp(value, "slurm")))
                cli_usage_error("--engine: '%s' is not one of local|slurm", value ? value : "");
            bf->slurm = !strcmp(value, "slurm");
        } else if (k == 5) {
            if (!value || !*value)
                cli_usage_error("--partition needs a partition name");
            bf->partition = value;
        } else if (k == 1) {
            bf->retries = (int)number_arg("--retries", value, 0, 20);
        } else if (k == 2) {
            bf->backoff_s = number_arg("--retry-backoff", value, 0, 3600);
        } else {
            bf->kill_grace_s = number_arg("--kill-grace", value, 0, 3600);
        }
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
    else if (!strcmp(event, "submit") || !strcmp(event, "pending"))
        fprintf(stderr, " %s Slurm job %s_%s", event[0] == 's' ? "->" : "still in",
                j->external_job ? j->external_job : "?", j->external_task ? j->external_task : "?");
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
                           : j->last_error            ? j->last_error
                                                      : "";
        printf("%-32s %-7s %8d %7.1f s  %s\n", base_name(j->input), ave_batch_state_name(j->state),
               j->attempts, j->duration_s, what);
    }
    printf("%d done, %d failed, %d queued in %.1f s%s; summary in %s/batch_summary.json\n",
           counts[AVE_BATCH_DONE], counts[AVE_BATCH_FAILED],
           counts[AVE_BATCH_QUEUED] + counts[AVE_BATCH_RUNNING], res->wall_s,
           res->interrupted ? " (interrupted)" : "", root);
}

/* `batch --status`: every row of the table, Slurm ids included. */
static int show_status(const cli_session *cs, const ave_config *pc)
{
    char probe[PATH_MAX];
    const char *root = pc->output ? pc->output : "output";
    if (!pc->output && cs->input_count == 1) {
        snprintf(probe, sizeof(probe), "%s/.ave-batch/jobs.sqlite", cs->inputs[0]);
        if (access(probe, F_OK) == 0)
            root = cs->inputs[0];
    }
    ave_batch_result res;
    int r = ave_batch_status(root, &res);
    if (r < 0) {
        cli_error("%s", res.errmsg);
        ave_batch_result_free(&res);
        return ave_exit_code(r);
    }
    int counts[4] = {0};
    printf("%-32s %-7s %8s %9s  %-12s %s\n", "input", "state", "attempts", "time", "slurm id",
           "output or error");
    for (size_t i = 0; i < res.count; i++) {
        const ave_batch_job *j = &res.jobs[i];
        char id[80] = "-";
        counts[j->state & 3]++;
        if (j->external_job)
            snprintf(id, sizeof(id), "%s_%s", j->external_job,
                     j->external_task ? j->external_task : "?");
        const char *what = j->state == AVE_BATCH_DONE ? j->output_dir
                           : j->last_error            ? j->last_error
                                                      : "";
        printf("%-32s %-7s %8d %7.1f s  %-12s %s\n", base_name(j->input),
               ave_batch_state_name(j->state), j->attempts, j->duration_s, id, what);
    }
    printf("%d done, %d failed, %d running, %d queued; summary in %s/batch_summary.json\n",
           counts[AVE_BATCH_DONE], counts[AVE_BATCH_FAILED], counts[AVE_BATCH_RUNNING],
           counts[AVE_BATCH_QUEUED], root);
    if (res.errmsg[0])
        cli_warning("%s", res.errmsg);
    int code = res.exit_code;
    ave_batch_result_free(&res);
    return code;
}

/* `batch --engine slurm`: one job array for the inputs not done. */
static int submit_slurm(const batch_flags *bf, const ave_batch_config *bc, char **inputs,
                        size_t ninputs)
{
    ave_slurm_config sc = {
        .exe = bc->exe,
        .forward = bc->forward,
        .forward_count = bc->forward_count,
        .output_root = bc->output_root,
        .cfg = bc->cfg,
        .partition = bf->partition,
        .max_parallel = bf->max_parallel_given ? bf->max_parallel : 0,
        .timeout_s = bc->timeout_s,
        .kill_grace_s = bc->kill_grace_s,
        .dry_run = bf->dry_run,
        .on_event = bc->on_event,
        .opaque = bc->opaque,
    };
    ave_slurm_submission sub;
    ave_batch_result res;
    int r = ave_slurm_submit(&sc, (const char *const *)inputs, ninputs, &sub, &res);
    int code = AVE_EXIT_OK;
    if (r < 0) {
        cli_error("%s", res.errmsg);
        code = ave_exit_code(r);
    } else if (bf->dry_run && sub.script) {
        fputs(sub.script, stdout);
    } else if (sub.submitted == 0 && bf->verbosity >= 0) {
        printf("nothing to submit: %zu done, %zu still queued or running in Slurm\n", sub.done,
               sub.in_flight);
    } else if (bf->verbosity >= 0) {
        printf("submitted Slurm job %s: array %s, --cpus-per-task=%d --mem=%lldM", sub.job_id,
               sub.array_spec, sub.res.cpus, (long long)sub.res.mem_mb);
        if (sub.res.time_min > 0)
            printf(" --time=%lld", (long long)sub.res.time_min);
        printf("; %zu done, %zu still in Slurm\n"
               "follow it with: ai-video-editor batch --status %s\n",
               sub.done, sub.in_flight, bc->output_root);
    }
    ave_slurm_submission_free(&sub);
    ave_batch_result_free(&res);
    return code;
}

int cli_cmd_batch(int argc, char **argv)
{
    ave_batch_config cfg;
    ave_batch_config_init(&cfg);
    batch_flags bf = {.max_parallel = cfg.max_parallel,
                      .retries = cfg.retries,
                      .backoff_s = cfg.backoff_s,
                      .kill_grace_s = cfg.kill_grace_s};
    argc = take_batch_flags(argc, argv, &bf);

    cli_session cs;
    cli_session_begin(&cs, argc, argv); /* exits 2 on a bad process flag */
    const ave_config *pc = ave_settings_config(cs.settings);
    if (bf.status) {
        int sc = show_status(&cs, pc);
        cli_session_end(&cs);
        return sc;
    }
    if (cs.input_count == 0)
        cli_usage_error("batch: no input folder or file given");
    if (!bf.slurm && (bf.partition || bf.dry_run))
        cli_usage_error("%s needs --engine slurm", bf.partition ? "--partition" : "--dry-run");
    if (!bf.slurm && bf.max_parallel > 256)
        cli_usage_error("--max-parallel: at most 256 local jobs");

    char exe[PATH_MAX], err[512];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0) {
        cli_error("cannot find my own executable");
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
        cli_error("%s", r < 0 ? err : "out of memory");
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

    if (bf.slurm) {
        code = submit_slurm(&bf, &cfg, inputs, ninputs);
        goto out;
    }
    ave_batch_result res;
    r = ave_batch_run(&cfg, (const char *const *)inputs, ninputs, &res);
    if (res.count && bf.verbosity >= 0)
        print_table(&res, cfg.output_root);
    if (r < 0) {
        cli_error("%s", res.errmsg);
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
