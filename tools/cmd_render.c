/* `ai-video-editor render OUTPUT_DIR [INPUT] [flags]`: re-render a finished
 * output folder after the user edited its transcript.txt or timeline.json,
 * without running any analysis (docs/EDITING.md).
 *
 * The job is set up like the run that made the folder: the input named in
 * timeline.json (or INPUT, when the file has moved) and the settings recorded
 * in analytics/performance_metrics.json; flags, environment and profile given
 * now win over the recorded values. The `edit` stage stands in for analysis
 * and plan; transcript, render and enhance then rewrite the outputs, each
 * replacing the old file only when the whole job succeeds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ave/edit.h"
#include "cli.h"

/* Stages after the edit that describe or encode it; those missing from this
 * build are left out. Content and thumbnails run again so a word corrected
 * in transcript.txt reaches metadata/ and thumbnails/; the frames the
 * thumbnails score are sampled again (their cache key names the stages that
 * ran before them, which differ here), or loaded from the cache when the
 * first run used --cache-aggressive. B-roll drawing needs the analysis and
 * keeps its earlier cards. */
static const char *const wanted_stages[] = {
    "probe",   "adaptive", "frames", "edit",       "transcript", "content",
    "render",  "enhance",  "export", "thumbnails", "report",     NULL};

void cli_render_stage_list(const char **stages)
{
    size_t n = 0;
    for (size_t i = 0; wanted_stages[i]; i++)
        if (ave_stage_find(wanted_stages[i]))
            stages[n++] = wanted_stages[i];
    stages[n] = NULL;
}

static void print_summary(const ave_job *job, double seconds)
{
    double cut = 0, restored = 0;

    ave_job_metric_get(job, "edit", "words_cut", &cut);
    ave_job_metric_get(job, "edit", "words_restored", &restored);
    printf("%s: re-rendered %.1f s -> %.1f s (%zu cuts; %.0f word(s) cut, %.0f restored by your "
           "edits) in %.1f s\n  results in %s/\n",
           job->input_path, (double)job->timeline.duration_us / 1e6,
           (double)job->output_duration_us / 1e6, ave_timeline_removed_count(&job->timeline), cut,
           restored, seconds, job->output_dir);
}

static int run(cli_session *cs, const char *out_dir, const char *input)
{
    const char *stages[CLI_RENDER_STAGES_MAX];
    ave_job_callbacks cb = cli_callbacks(cs);
    ave_job *job = NULL;
    struct timespec t0, t1;
    int r;

    _Static_assert(sizeof(wanted_stages) / sizeof(wanted_stages[0]) <= CLI_RENDER_STAGES_MAX,
                   "CLI_RENDER_STAGES_MAX too small");
    cli_render_stage_list(stages);
    if ((r = ave_job_new(&job, cs->settings, input, out_dir, &cb)) < 0) {
        cli_error("%s: %s", input, ave_strerror(r));
        return r;
    }
    cli_progress_start(&cs->progress, input);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = ave_job_run_only(job, stages);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cli_progress_clear(&cs->progress);
    if (r < 0)
        cli_error("%s", ave_job_errmsg(job));
    else if (cs->verbosity >= 0)
        print_summary(job,
                      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
    ave_job_free(job);
    return r;
}

int cli_folder_begin(cli_session *cs, const char *command, const char **out_dir, char **input,
                     int *applied)
{
    char err[512];
    int r;

    *out_dir = NULL;
    *input = NULL;
    if (cs->input_count < 1 || cs->input_count > 2)
        return cli_usage("%s: give one output folder (of a finished `process` run), and the "
                         "input only if it has moved",
                         command);
    *out_dir = cs->inputs[0];
    if (cs->input_count == 2) {
        if (!(*input = strdup(cs->inputs[1])))
            return AVE_ERR_NOMEM;
    } else if ((r = ave_edit_input_path(*out_dir, input, err, sizeof(err))) < 0) {
        cli_error("%s", err);
        return r;
    }
    if ((r = ave_edit_recorded_settings(cs->settings, *out_dir, applied, err, sizeof(err))) < 0) {
        cli_error("%s", err);
        free(*input);
        *input = NULL;
    }
    return r;
}

int cli_cmd_render(int argc, char **argv)
{
    cli_session cs;
    const char *out_dir = NULL;
    char *input = NULL;
    int r = 0, applied = 0;

    if ((r = cli_session_begin(&cs, argc, argv)) != 0)
        return cli_session_exit_code(r);
    if (ave_settings_source(cs.settings, "output") == AVE_SRC_FLAG)
        r = cli_usage("render: the output folder is the first argument; --output is not used");
    else
        r = cli_folder_begin(&cs, "render", &out_dir, &input, &applied);
    if (r == 0) {
        ave_log(AVE_LOG_INFO, "render", "%d setting(s) of the earlier run applied", applied);
        r = run(&cs, out_dir, input);
    }
    free(input);
    cli_session_end(&cs);
    if (atomic_load(&cli_interrupted) && r == 0)
        r = AVE_ERR_CANCELLED;
    return ave_exit_code(r);
}
