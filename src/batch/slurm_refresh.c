/* Bringing Slurm rows of the job table up to date, and `batch --status`.
 *
 * Sources, most precise first: the task's result file
 * (.ave-batch/slurm/<job>_<task>.exit: exit code of `process`, start and end
 * time, written by the task itself on the shared folder), the outputs on
 * disk, `scontrol show job -o <job>` (one call per array, while the
 * controller remembers the job: MinJobAge), and the tail of the
 * jobcomp/filetxt file (finished jobs, when the cluster keeps one and it is
 * readable here). Accounting (sacct) is not needed. When Slurm cannot be
 * asked and no result file exists, the row keeps its recorded state. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ave/error.h"
#include "batch_internal.h"
#include "core/array_grow.h"
#include "core/fsutil.h"
#include "slurm_internal.h"

#define JOBCOMP_TAIL_BYTES (8 * 1024 * 1024)
#define QUERY_TIMEOUT_S 60.0

static void records_free(slurm_records *rs)
{
    free(rs->r);
    memset(rs, 0, sizeof(*rs));
}

void slurm_view_free(slurm_view *v)
{
    records_free(&v->ctl);
    records_free(&v->comp);
    ave_batch_free_list(v->jobs_seen, v->njobs);
    memset(v, 0, sizeof(*v));
}

int slurm_records_add(slurm_records *rs, const char *text)
{
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        char line[8192];
        snprintf(line, sizeof(line), "%.*s", (int)strcspn(p, "\n"), p);
        ave_slurm_record rec;
        if (ave_slurm_parse_record(line, &rec) < 0)
            continue;
        ave_slurm_record *g = array_grow(rs->r, &rs->cap, rs->count + 1, sizeof(*g), 32);
        if (!g)
            return AVE_ERR_NOMEM;
        rs->r = g;
        rs->r[rs->count++] = rec;
    }
    return 0;
}

const ave_slurm_record *slurm_records_find(const slurm_records *rs, const char *job, long task)
{
    const ave_slurm_record *weak = NULL;
    for (size_t i = rs->count; i-- > 0;) {
        int m = ave_slurm_record_matches(&rs->r[i], job, task);
        if (m == 1)
            return &rs->r[i];
        if (m == 2 && !weak)
            weak = &rs->r[i];
    }
    return weak;
}

static int ask_scontrol(slurm_view *v, const char *job)
{
    for (size_t i = 0; i < v->njobs; i++)
        if (!strcmp(v->jobs_seen[i], job))
            return 0;
    char **g = realloc(v->jobs_seen, (v->njobs + 1) * sizeof(*g));
    if (!g)
        return AVE_ERR_NOMEM;
    v->jobs_seen = g;
    if (!(g[v->njobs] = strdup(job)))
        return AVE_ERR_NOMEM;
    v->njobs++;
    const char *argv[] = {"scontrol", "show", "job", "-o", job, NULL};
    char *out = NULL, err[512];
    int st, r = slurm_run(argv, QUERY_TIMEOUT_S, &out, &st, err, sizeof(err));
    if (r == 0 && st == 0)
        r = slurm_records_add(&v->ctl, out);
    else if (r == 0 && !strstr(err, "Invalid job id"))
        v->unreachable = 1; /* controller down: unknown, not "gone" */
    else if (r < 0 && r != AVE_ERR_NOMEM) {
        v->unreachable = 1; /* no scontrol here */
        r = 0;
    }
    free(out);
    return r;
}

static int load_jobcomp(slurm_view *v)
{
    char path[1024];
    v->jobcomp_loaded = 1;
    slurm_jobcomp_path(path, sizeof(path));
    FILE *f = path[0] ? fopen(path, "rb") : NULL;
    if (!f)
        return 0;
    int r = 0;
    char *text = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        long from = size > JOBCOMP_TAIL_BYTES ? size - JOBCOMP_TAIL_BYTES : 0;
        if (size > 0 && fseek(f, from, SEEK_SET) == 0 &&
            (text = malloc((size_t)(size - from) + 1))) {
            size_t n = fread(text, 1, (size_t)(size - from), f);
            text[n] = '\0';
            /* Skip a partial first line of the tail. */
            const char *start = from > 0 && strchr(text, '\n') ? strchr(text, '\n') + 1 : text;
            r = slurm_records_add(&v->comp, start);
        }
    }
    free(text);
    fclose(f);
    return r;
}

/* Result file: "<exit code> <start unix> <end unix>". Returns the exit code,
 * or -1 when the file does not exist. */
int slurm_result_parse(const char *text, double *t0, double *t1)
{
    int code = -1;
    *t0 = *t1 = 0;
    if (sscanf(text, "%d %lf %lf", &code, t0, t1) < 1 || code < 0)
        code = AVE_EXIT_INTERNAL;
    /* %lf reads "nan" and "inf" too; such a time is unknown, not forever. */
    if (!isfinite(*t0) || !isfinite(*t1))
        *t0 = *t1 = 0;
    return code;
}

static int read_result(const char *state_dir, const char *job, const char *task, double *t0,
                       double *t1)
{
    char path[4400], text[256];
    snprintf(path, sizeof(path), "%s/slurm/%s_%s.exit", state_dir, job, task);
    FILE *f = fopen(path, "r");
    *t0 = *t1 = 0;
    if (!f)
        return -1;
    /* The task writes one short line; more is not its file. */
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    return slurm_result_parse(text, t0, t1);
}

static int set_str(char **dst, const char *val, int *changed)
{
    if ((!*dst && !val) || (*dst && val && !strcmp(*dst, val)))
        return 0;
    free(*dst);
    *dst = val ? strdup(val) : NULL;
    *changed = 1;
    return val && !*dst ? AVE_ERR_NOMEM : 0;
}

int slurm_refresh_row(slurm_view *v, const char *state_dir, ave_batch_job *j, int *changed)
{
    int r;
    *changed = 0;
    if (!j->external_job || !j->external_task || !j->engine || strcmp(j->engine, "slurm"))
        return 0;
    long task = strtol(j->external_task, NULL, 10);
    double t0, t1;
    int result = read_result(state_dir, j->external_job, j->external_task, &t0, &t1);
    int outputs_ok = batch_outputs_ok(j->output_dir);
    const ave_slurm_record *rec = NULL;
    if (result < 0) {
        if ((r = ask_scontrol(v, j->external_job)) < 0)
            return r;
        rec = slurm_records_find(&v->ctl, j->external_job, task);
        if (!rec && !v->unreachable) {
            if (!v->jobcomp_loaded && (r = load_jobcomp(v)) < 0)
                return r;
            rec = slurm_records_find(&v->comp, j->external_job, task);
        }
        if (!rec && v->unreachable)
            return 0; /* nothing known: keep what the table says */
    }
    int code;
    const char *why;
    int state = ave_slurm_task_state(rec ? rec->state : NULL, result, rec ? rec->exit_code : -1,
                                     outputs_ok, &code, &why);
    char msg[1024] = "";
    if (state == AVE_BATCH_FAILED) {
        char log[4400];
        batch_log_path(&(batch_runner){.state_dir = (char *)state_dir}, j->id, log, sizeof(log));
        if (result > 0)
            batch_last_line(log, 0, msg, sizeof(msg));
        int nodes = rec && rec->nodes[0] && strcmp(rec->nodes, "(null)");
        if (!msg[0] && why[0])
            snprintf(msg, sizeof(msg), "%s%s%s", why, nodes ? " on " : "", nodes ? rec->nodes : "");
        else if (!msg[0])
            snprintf(msg, sizeof(msg), "exit code %d", code);
    }
    if (state != j->state) {
        j->state = state;
        *changed = 1;
    }
    int exit_code = state == AVE_BATCH_DONE ? 0 : state == AVE_BATCH_FAILED ? code : -1;
    if (exit_code != j->exit_code) {
        j->exit_code = exit_code;
        *changed = 1;
    }
    if ((r = set_str(&j->last_error, msg[0] ? msg : NULL, changed)) < 0)
        return r;
    if (result >= 0 && t1 > 0 && j->finished_at != t1) {
        j->started_at = t0;
        j->finished_at = t1;
        j->duration_s = t1 > t0 && t0 > 0 ? t1 - t0 : 0;
        *changed = 1;
    }
    if (state == AVE_BATCH_DONE && j->peak_bytes == 0) {
        j->peak_bytes = batch_metrics_peak(j->output_dir);
        *changed = 1;
    }
    return 0;
}

int ave_batch_status(const char *output_root, ave_batch_result *res)
{
    ave_batch_db *db = NULL;
    slurm_view v = {0};
    char *state_dir = NULL, *db_path = NULL, *summary = NULL;
    memset(res, 0, sizeof(*res));
    int r = AVE_ERR_NOMEM;
    struct stat st;
    if (!(state_dir = ave_fs_join(output_root, ".ave-batch")) ||
        !(db_path = ave_fs_join(state_dir, "jobs.sqlite")) ||
        !(summary = ave_fs_join(output_root, "batch_summary.json")))
        goto out;
    if (stat(db_path, &st) < 0) {
        /* Name the folder as the user can find it: the default root is a
         * bare "output", relative to wherever the batch ran. */
        char cwd[PATH_MAX];
        int relative = output_root[0] != '/' && getcwd(cwd, sizeof(cwd));
        snprintf(res->errmsg, sizeof(res->errmsg),
                 "%s%s%s: no batch job table here (%s); give the batch's --output folder",
                 relative ? cwd : "", relative ? "/" : "", output_root, strerror(errno));
        r = AVE_ERR_INPUT;
        goto out;
    }
    if ((r = ave_batch_db_open(db_path, &db, res->errmsg, sizeof(res->errmsg))) < 0)
        goto out;
    char root_abs[PATH_MAX];
    if (realpath(output_root, root_abs) && (r = ave_batch_db_set_root(db, root_abs)) < 0)
        goto out;
    if ((r = batch_db_list(db, &res->jobs, &res->count)) < 0)
        goto out;
    for (size_t i = 0; i < res->count; i++) {
        ave_batch_job *j = &res->jobs[i];
        int changed = 0;
        if ((r = slurm_refresh_row(&v, state_dir, j, &changed)) < 0)
            goto out;
        if (changed && (r = ave_batch_db_update(db, j)) < 0)
            goto out;
        if (j->state == AVE_BATCH_FAILED)
            res->exit_code = ave_batch_exit_worse(res->exit_code, j->exit_code);
    }
    double cal = 1.0;
    ave_batch_db_get_meta(db, "memory_calibration", &cal);
    res->calibration = cal;
    ave_batch_config none;
    memset(&none, 0, sizeof(none));
    if (ave_batch_write_summary(&none, res, summary) < 0)
        snprintf(res->errmsg, sizeof(res->errmsg), "%s: could not write the summary", summary);
    r = 0;
out:
    if (r < 0 && !res->errmsg[0])
        snprintf(res->errmsg, sizeof(res->errmsg), "%s: %s", output_root,
                 ave_batch_db_errmsg(db) ? ave_batch_db_errmsg(db) : ave_strerror(r));
    slurm_view_free(&v);
    ave_batch_db_close(db);
    free(state_dir);
    free(db_path);
    free(summary);
    return r;
}
