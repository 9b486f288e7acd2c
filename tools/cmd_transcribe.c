/* `ai-video-editor transcribe INPUT... [flags]`: speech to text without
 * editing: transcript.json and subtitles/source.srt|.vtt per input, from the
 * probe, decode, silence, speech and transcript stages only. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char *const transcribe_stages[] = {"probe", "decode", "silence", "speech",
                                                "transcript", NULL};

static int transcribe_one(cli_session *cs, const char *input)
{
    ave_job_callbacks cb = cli_callbacks(cs);
    ave_job *job = NULL;
    char *out_dir = cli_output_for(ave_settings_config(cs->settings), input, cs->input_count);
    int r = ave_job_new(&job, cs->settings, input, out_dir, &cb);
    free(out_dir);
    if (r < 0) {
        fprintf(stderr, "ai-video-editor: error: %s: %s\n", input, ave_strerror(r));
        return r;
    }
    cli_progress_start(&cs->progress, input);
    r = ave_job_run_only(job, transcribe_stages);
    cli_progress_clear(&cs->progress);
    if (r < 0)
        fprintf(stderr, "ai-video-editor: error: %s\n", ave_job_errmsg(job));
    else if (cs->verbosity >= 0)
        printf("%s: %zu words (%s)\n  results in %s/\n", input, job->analysis.word_count,
               job->analysis.asr_engine, job->output_dir);
    ave_job_free(job);
    return r;
}

int cli_cmd_transcribe(int argc, char **argv)
{
    cli_session cs;
    cli_session_begin(&cs, argc, argv);
    if (cs.input_count == 0)
        cli_usage_error("transcribe: no input file given");
    int worst = 0;
    for (int i = 0; i < cs.input_count && !cli_interrupted; i++)
        worst = cli_worse(worst, transcribe_one(&cs, cs.inputs[i]));
    if (cli_interrupted && worst == 0)
        worst = AVE_ERR_CANCELLED;
    cli_session_end(&cs);
    return ave_exit_code(worst);
}
