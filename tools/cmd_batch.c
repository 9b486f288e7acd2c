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
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ave/batch.h"
#include "ave/batch_slurm.h"
#include "cli.h"

/* The batch's own options: one table, like every stage's, which parses,
 * range-checks and documents them (--help is printed from it). Defaults of
 * 0 for the counts mean "the batch library's" (ave_batch_config_init). */
typedef struct batch_opts {
    int64_t max_parallel; /* 0: cores/2 locally, no throttle in Slurm */
    int64_t retries;      /* -1: the library's */
    double retry_backoff_s;
    double kill_grace_s;
    int recursive;
    int engine;      /* index into engine_names */
    char *partition; /* owned (ave_options_free_strings) */
    int status;
    int dry_run;
} batch_opts;

enum { ENGINE_LOCAL, ENGINE_SLURM };
static const char *const engine_names[] = {"local", "slurm", NULL};

static const ave_option batch_options[] = {
    {"max-parallel",
     AVE_OPT_INT,
     offsetof(batch_opts, max_parallel),
     {.i = 0},
     1,
     100000,
     NULL,
     "jobs at once (default: cores/2, at least 1; with --engine slurm the array throttle, "
     "default none)",
     NULL,
     0},
    {"retries",
     AVE_OPT_INT,
     offsetof(batch_opts, retries),
     {.i = -1},
     0,
     20,
     NULL,
     "extra attempts for transient failures (default 1)",
     NULL,
     0},
    {"retry-backoff",
     AVE_OPT_DOUBLE,
     offsetof(batch_opts, retry_backoff_s),
     {.d = -1},
     0,
     3600,
     NULL,
     "first retry delay in seconds, doubled each time (default 2)",
     NULL,
     0},
    {"kill-grace",
     AVE_OPT_DOUBLE,
     offsetof(batch_opts, kill_grace_s),
     {.d = -1},
     0,
     3600,
     NULL,
     "a job is killed --kill-grace seconds after its --timeout (default 15)",
     NULL,
     0},
    {"recursive",
     AVE_OPT_BOOL,
     offsetof(batch_opts, recursive),
     {.i = 0},
     0,
     1,
     NULL,
     "include subfolders of DIR",
     NULL,
     0},
    {"engine",
     AVE_OPT_ENUM,
     offsetof(batch_opts, engine),
     {.i = ENGINE_LOCAL},
     0,
     0,
     engine_names,
     "run here, or submit one Slurm job array (docs/SCALE-OUT.md)",
     NULL,
     0},
    {"partition",
     AVE_OPT_STRING,
     offsetof(batch_opts, partition),
     {.s = NULL},
     0,
     0,
     NULL,
     "Slurm partition (default: the cluster's default)",
     NULL,
     0},
    {"dry-run",
     AVE_OPT_BOOL,
     offsetof(batch_opts, dry_run),
     {.i = 0},
     0,
     1,
     NULL,
     "with --engine slurm: print the script, submit nothing",
     NULL,
     0},
    {"status",
     AVE_OPT_BOOL,
     offsetof(batch_opts, status),
     {.i = 0},
     0,
     1,
     NULL,
     "show every input's state (Slurm, outputs on disk) for the output folder (--output, or "
     "DIR if it holds a batch)",
     NULL,
     0},
    {NULL, 0, 0, {0}, 0, 0, NULL, NULL, NULL, 0},
};

/* One flag of the help: the flag in a 22-column field, its text wrapped
 * at 80 columns under itself. */
static void print_flag_help(const char *flag, const char *help)
{
    const int indent = 25, width = 80 - indent;
    printf("  %-22s ", flag);
    while (*help) {
        int len = (int)strlen(help), cut = len;
        if (len > width) {
            cut = width;
            while (cut > 0 && help[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = width;
        }
        printf("%.*s\n", cut, help);
        help += cut;
        while (*help == ' ')
            help++;
        if (*help)
            printf("%*s", indent, "");
    }
}

static void print_batch_help(void)
{
    printf("usage: ai-video-editor batch DIR|FILES... [--output DIR] [batch flags]\n"
           "                             [process flags]\n\n"
           "Processes every video/audio file of DIR (or the FILES given), each in its own\n"
           "child process and output folder DIR/<input-name>/ (default ./output/).\n"
           "Re-running the same command resumes: finished inputs are skipped.\n\n");
    for (const ave_option *o = batch_options; o->name; o++) {
        char flag[64];
        const char *arg = o->type == AVE_OPT_INT      ? " N"
                          : o->type == AVE_OPT_DOUBLE ? " S"
                          : o->type == AVE_OPT_ENUM   ? " local|slurm"
                          : o->type == AVE_OPT_STRING ? " P"
                                                      : "";
        snprintf(flag, sizeof(flag), "--%s%s", o->name, arg);
        print_flag_help(flag, o->help);
    }
    print_flag_help("--max-memory GB", "a job starts only when its estimated peak fits with "
                                       "the running ones (also passed to each job)");
    print_flag_help("--timeout S", "per job; killed at S + --kill-grace seconds");
    printf("\nState: DIR/.ave-batch/jobs.sqlite and logs/<n>.log; summary: batch_summary.json.\n"
           "Exit code: 0 when every input is done, else the worst failure\n"
           "(1 > 6 > 5 > 4 > 3 > 2), 130 when interrupted.\n");
}

/* The batch option an argument names ("--retries", "--retries=2",
 * "--no-recursive"), or NULL when it is not one (it is then the process
 * command's). *value is the text after '=', or NULL. */
static const ave_option *batch_option(const char *arg, int *negated, const char **value)
{
    char name[64];
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
    const ave_option *o;
    *negated = 0;
    *value = eq ? eq + 1 : NULL;
    if (strncmp(arg, "--", 2) || len == 0 || len >= sizeof(name))
        return NULL;
    memcpy(name, arg + 2, len);
    name[len] = '\0';
    if ((o = ave_options_find(batch_options, name)))
        return o;
    if (!strncmp(name, "no-", 3) && (o = ave_options_find(batch_options, name + 3)) &&
        o->type == AVE_OPT_BOOL && !eq) {
        *negated = 1;
        return o;
    }
    return NULL;
}

/* Removes the batch-only flags from argv (in place) into bo, whose
 * defaults the caller set. *argc becomes the remaining count. Returns 0,
 * CLI_ANSWERED (--help) or AVE_ERR_USAGE (printed). */
static int take_batch_flags(int *argc, char **argv, batch_opts *bo, int *verbosity)
{
    int out = 1;
    char err[256];
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            while (i < *argc)
                argv[out++] = argv[i++];
            break;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            print_batch_help();
            return CLI_ANSWERED;
        }
        /* also the process flags: the children get them forwarded */
        if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
            (*verbosity)++;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
            *verbosity = -1;
        int negated;
        const char *value;
        const ave_option *o = batch_option(a, &negated, &value);
        if (!o) {
            argv[out++] = argv[i];
            continue;
        }
        if (o->type == AVE_OPT_BOOL && !value)
            value = negated ? "false" : "true";
        else if (!value && i + 1 < *argc)
            value = argv[++i];
        if (!value)
            return cli_usage("--%s needs a value", o->name);
        if (ave_option_parse(o, bo, value, err, sizeof(err)) < 0)
            return cli_usage("--%s: %s", o->name, err);
    }
    argv[out] = NULL;
    *argc = out;
    return 0;
}

/* The combinations the table cannot express; 0 or AVE_ERR_USAGE (printed). */
static int check_batch_flags(const batch_opts *bo, const cli_session *cs)
{
    if (bo->status)
        return 0;
    if (cs->input_count == 0)
        return cli_usage("batch: no input folder or file given");
    if (bo->engine != ENGINE_SLURM && (bo->partition || bo->dry_run))
        return cli_usage("%s needs --engine slurm", bo->partition ? "--partition" : "--dry-run");
    if (bo->engine != ENGINE_SLURM && bo->max_parallel > 256)
        return cli_usage("--max-parallel: at most 256 local jobs");
    if (bo->engine == ENGINE_SLURM && bo->partition && !*bo->partition)
        return cli_usage("--partition needs a partition name");
    return 0;
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
    int verbosity = *(const int *)opaque;
    if (verbosity < 0)
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
    else if (!strcmp(event, "start") && verbosity > 0)
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
static int submit_slurm(const batch_opts *bo, int verbosity, const ave_batch_config *bc,
                        char **inputs, size_t ninputs)
{
    ave_slurm_config sc = {
        .exe = bc->exe,
        .forward = bc->forward,
        .forward_count = bc->forward_count,
        .output_root = bc->output_root,
        .cfg = bc->cfg,
        .partition = bo->partition,
        .max_parallel = (int)bo->max_parallel, /* 0: no throttle */
        .timeout_s = bc->timeout_s,
        .kill_grace_s = bc->kill_grace_s,
        .dry_run = bo->dry_run,
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
    } else if (bo->dry_run && sub.script) {
        fputs(sub.script, stdout);
    } else if (sub.submitted == 0 && verbosity >= 0) {
        printf("nothing to submit: %zu done, %zu still queued or running in Slurm\n", sub.done,
               sub.in_flight);
    } else if (verbosity >= 0) {
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
    batch_opts bo;
    cli_session cs;
    int verbosity = 0;
    ave_batch_config_init(&cfg);
    memset(&bo, 0, sizeof(bo));
    int r = ave_options_set_defaults(batch_options, &bo);
    if (r == 0)
        r = take_batch_flags(&argc, argv, &bo, &verbosity);
    if (r == 0 && (r = cli_session_begin(&cs, argc, argv)) == 0 &&
        (r = check_batch_flags(&bo, &cs)) < 0)
        cli_session_end(&cs);
    if (r != 0) {
        ave_options_free_strings(batch_options, &bo);
        return cli_session_exit_code(r); /* a bad process flag fails the batch at once */
    }
    const ave_config *pc = ave_settings_config(cs.settings);
    if (bo.status) {
        int sc = show_status(&cs, pc);
        cli_session_end(&cs);
        ave_options_free_strings(batch_options, &bo);
        return sc;
    }

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
    r = ave_batch_discover(cs.inputs, (size_t)cs.input_count, bo.recursive, &inputs, &ninputs, err,
                           sizeof(err));
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
    if (bo.max_parallel > 0)
        cfg.max_parallel = (int)bo.max_parallel;
    cfg.max_memory_gb = pc->max_memory_gb;
    if (bo.retries >= 0)
        cfg.retries = (int)bo.retries;
    if (bo.retry_backoff_s >= 0)
        cfg.backoff_s = bo.retry_backoff_s;
    if (bo.kill_grace_s >= 0)
        cfg.kill_grace_s = bo.kill_grace_s;
    cfg.timeout_s = pc->timeout_s;
    cfg.cancel_flag = &cli_interrupted;
    cfg.on_event = on_event;
    cfg.opaque = &verbosity;

    if (bo.engine == ENGINE_SLURM) {
        code = submit_slurm(&bo, verbosity, &cfg, inputs, ninputs);
        goto out;
    }
    ave_batch_result res;
    r = ave_batch_run(&cfg, (const char *const *)inputs, ninputs, &res);
    if (res.count && verbosity >= 0)
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
    ave_options_free_strings(batch_options, &bo);
    return code;
}
