/* Running one job per input for the commands that take INPUT...: errors on
 * stderr, a summary per success on stdout (unless -q), and the worst result
 * as the exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) * 1e-9;
}

static int run_one(cli_session *cs, const char *input, const char *const *stages,
                   cli_summary_fn summary)
{
    ave_job_callbacks cb = cli_callbacks(cs);
    ave_job *job = NULL;
    char *out_dir = cli_output_for(ave_settings_config(cs->settings), input, cs->input_count);
    int r = ave_job_new(&job, cs->settings, input, out_dir, &cb);
    free(out_dir);
    if (r < 0) {
        cli_error("%s: %s", input, ave_strerror(r));
        return r;
    }
    cli_progress_start(&cs->progress, input);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = stages ? ave_job_run_only(job, stages) : ave_job_run(job);
    cli_progress_clear(&cs->progress);
    if (r < 0)
        cli_error("%s", ave_job_errmsg(job));
    else if (cs->verbosity >= 0)
        summary(job, seconds_since(&t0));
    ave_job_free(job);
    return r;
}

int cli_run_jobs(cli_session *cs, const char *command, const char *const *stages,
                 cli_summary_fn summary)
{
    if (cs->input_count == 0)
        return ave_exit_code(cli_usage("%s: no input file given", command));
    int worst = 0;
    for (int i = 0; i < cs->input_count && !atomic_load(&cli_interrupted); i++)
        worst = cli_worse(worst, run_one(cs, cs->inputs[i], stages, summary));
    if (atomic_load(&cli_interrupted) && worst == 0)
        worst = AVE_ERR_CANCELLED;
    return ave_exit_code(worst);
}
