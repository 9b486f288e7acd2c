/* `ai-video-editor transcribe INPUT... [flags]`: speech to text without
 * editing: transcript.json and subtitles/source.srt|.vtt per input, from the
 * probe, decode, silence, speech and transcript stages only. */
#include <stdio.h>

#include "cli.h"

static const char *const transcribe_stages[] = {"probe", "decode", "silence", "speech",
                                                "transcript", NULL};

static void print_summary(const ave_job *job, double seconds)
{
    printf("%s: %zu words (%s) in %.1f s\n  results in %s/\n", job->input_path,
           job->analysis.word_count, job->analysis.asr_engine, seconds, job->output_dir);
}

int cli_cmd_transcribe(int argc, char **argv)
{
    cli_session cs;
    int r = cli_session_begin(&cs, argc, argv);
    if (r != 0)
        return cli_session_exit_code(r);
    int code = cli_run_jobs(&cs, "transcribe", transcribe_stages, print_summary);
    cli_session_end(&cs);
    return code;
}
