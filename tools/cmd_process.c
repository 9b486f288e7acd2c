/* `ai-video-editor process INPUT... [flags]`: the whole pipeline, one job
 * per input; prints a summary line per input on stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static void print_summary(const ave_job *job, double seconds_taken)
{
    double in = (double)job->timeline.duration_us / 1e6;
    double out = (double)job->output_duration_us / 1e6;
    printf("%s: %.1f s -> %.1f s (%zu cuts, %.1f s removed) in %.1f s\n", job->input_path, in, out,
           ave_timeline_removed_count(&job->timeline),
           (double)(job->timeline.duration_us - ave_timeline_kept_duration(&job->timeline)) / 1e6,
           seconds_taken);
    printf("  results in %s/\n", job->output_dir);
}

static int process_one(cli_session *cs, const char *input)
{
    const ave_config *cfg = ave_settings_config(cs->settings);
    char *out_dir = cli_output_for(cfg, input, cs->input_count);
    ave_job_callbacks cb = cli_callbacks(cs);
    ave_job *job = NULL;
    int r = ave_job_new(&job, cs->settings, input, out_dir, &cb);
    free(out_dir);
    if (r < 0) {
        fprintf(stderr, "ai-video-editor: error: %s: %s\n", input, ave_strerror(r));
        return r;
    }
    cli_progress_start(&cs->progress, input);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = ave_job_run(job);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cli_progress_clear(&cs->progress);
    if (r < 0) {
        fprintf(stderr, "ai-video-editor: error: %s\n", ave_job_errmsg(job));
    } else if (cs->verbosity >= 0) {
        print_summary(job, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
    }
    ave_job_free(job);
    return r;
}

int cli_cmd_process(int argc, char **argv)
{
    cli_session cs;
    cli_session_begin(&cs, argc, argv);
    if (cs.input_count == 0)
        cli_usage_error("process: no input file given");
    int worst = 0;
    for (int i = 0; i < cs.input_count && !cli_interrupted; i++)
        worst = cli_worse(worst, process_one(&cs, cs.inputs[i]));
    if (cli_interrupted && worst == 0)
        worst = AVE_ERR_CANCELLED;
    cli_session_end(&cs);
    return ave_exit_code(worst);
}
