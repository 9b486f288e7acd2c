/* `ai-video-editor process INPUT... [flags]`: the whole pipeline, one job
 * per input; prints a summary line per input on stdout. */
#include <stdio.h>

#include "cli.h"

static void print_summary(const ave_job *job, double seconds_taken)
{
    double in = (double)job->timeline.duration_us / 1e6;
    /* nothing is rendered with --export-only: the edit's length is the plan's */
    double out = (double)(job->output_duration_us > 0 ? job->output_duration_us
                                                       : ave_timeline_kept_duration(&job->timeline)) /
                 1e6;
    printf("%s: %.1f s -> %.1f s (%zu cuts, %.1f s removed) in %.1f s\n", job->input_path, in, out,
           ave_timeline_removed_count(&job->timeline),
           (double)(job->timeline.duration_us - ave_timeline_kept_duration(&job->timeline)) / 1e6,
           seconds_taken);
    printf("  results in %s/\n", job->output_dir);
}

int cli_cmd_process(int argc, char **argv)
{
    cli_session cs;
    int r = cli_session_begin(&cs, argc, argv);
    if (r != 0)
        return cli_session_exit_code(r);
    int code = cli_run_jobs(&cs, "process", NULL, print_summary);
    cli_session_end(&cs);
    return code;
}
