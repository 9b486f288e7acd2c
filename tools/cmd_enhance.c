/* `ai-video-editor enhance IN OUT [flags]`: the audio enhancement chain on
 * its own. Audio in, audio out (format by OUT's extension), or video in,
 * video out with the picture copied untouched. OUT appears atomically: the
 * result is written next to it under a hidden name and renamed at the end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ave/enhance.h"
#include "cli.h"

typedef struct enhance_task {
    char *out_path; /* the hidden partial file */
    const ave_enhance_opts *opts;
} enhance_task;

static int run_enhance(ave_job *job, void *opaque)
{
    const enhance_task *task = opaque;
    return ave_enhance_process(job, job->input_path, task->out_path, task->opts);
}

/* ".OUT.partial-<pid>.<ext>" beside OUT: same folder (so rename is atomic),
 * same extension (it chooses the output format). Caller frees. */
static char *partial_path(const char *out)
{
    const char *slash = strrchr(out, '/');
    const char *base = slash ? slash + 1 : out;
    const char *ext = strrchr(base, '.');
    size_t dir_len = (size_t)(base - out);
    size_t len = strlen(out) + 64;
    char *path = malloc(len);
    if (!path)
        return NULL;
    snprintf(path, len, "%.*s.%.*s.partial-%ld%s", (int)dir_len, out,
             (int)(ext && ext != base ? (size_t)(ext - base) : strlen(base)), base, (long)getpid(),
             ext && ext != base ? ext : "");
    return path;
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static void print_result(const ave_job *job, const char *out)
{
    double in_lufs, out_lufs, peak;
    if (ave_job_metric_get(job, "audio", "input_integrated_lufs", &in_lufs) == 0 &&
        ave_job_metric_get(job, "audio", "output_integrated_lufs", &out_lufs) == 0 &&
        ave_job_metric_get(job, "audio", "output_true_peak_dbtp", &peak) == 0)
        printf("%s -> %s: %.1f LUFS -> %.1f LUFS, true peak %.1f dBTP\n", job->input_path, out,
               in_lufs, out_lufs, peak);
    else
        printf("%s -> %s\n", job->input_path, out);
}

/* An input and an output of a supported type that is not the input:
 * 0 or AVE_ERR_USAGE (printed). */
static int check_files(const cli_session *cs)
{
    if (cs->input_count != 2)
        return cli_usage("enhance: needs exactly an input and an output file (got %d)",
                         cs->input_count);
    const char *in = cs->inputs[0], *out = cs->inputs[1];
    if (same_file(in, out) || !strcmp(in, out))
        return cli_usage("enhance: %s would overwrite the input; choose another output", out);
    if (!ave_enhance_output_supported(out))
        return cli_usage("enhance: %s: unsupported output type; use .m4a, .mp4, .m4v, .mov, "
                         ".mkv, .wav or .flac",
                         out);
    return 0;
}

int cli_cmd_enhance(int argc, char **argv)
{
    cli_session cs;
    int r = cli_session_begin(&cs, argc, argv);
    if (r != 0)
        return cli_session_exit_code(r);
    if ((r = check_files(&cs)) < 0) {
        cli_session_end(&cs);
        return ave_exit_code(r);
    }
    const char *in = cs.inputs[0], *out = cs.inputs[1];
    enhance_task task = {partial_path(out), ave_settings_stage_opts(cs.settings, "enhance")};
    ave_job_callbacks cb = cli_callbacks(&cs);
    ave_job *job = NULL;
    r = task.out_path ? ave_job_new(&job, cs.settings, in, NULL, &cb) : AVE_ERR_NOMEM;
    if (r == 0) {
        cli_progress_start(&cs.progress, in);
        r = ave_job_run_task(job, "enhance", run_enhance, &task);
        cli_progress_clear(&cs.progress);
        if (r == 0 && rename(task.out_path, out) < 0)
            r = ave_job_fail(job, errno == ENOSPC ? AVE_ERR_NOSPACE : AVE_ERR_IO,
                             "%s: cannot move into place: %s", out, strerror(errno));
    }
    if (task.out_path)
        unlink(task.out_path);
    if (r < 0)
        cli_error("%s", job ? ave_job_errmsg(job) : ave_strerror(r));
    else if (cs.verbosity >= 0)
        print_result(job, out);
    ave_job_free(job);
    free(task.out_path);
    cli_session_end(&cs);
    return ave_exit_code(atomic_load(&cli_interrupted) && r == 0 ? AVE_ERR_CANCELLED : r);
}
