/* --help and --version text. The flag list is generated from the option
 * tables, so every stage's options appear without touching this file. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const exit_code_help =
    "Exit codes:\n"
    "  0    success\n"
    "  1    internal error (a bug: please report it)\n"
    "  2    usage error: unknown flag, bad value, bad profile or profiles file\n"
    "  3    bad input: missing, empty, not a video/audio file, corrupt, truncated, absurd size\n"
    "  4    output error: output or temp folder not writable, disk full\n"
    "  5    timeout (--timeout)\n"
    "  6    resource limit: --max-memory exceeded, out of memory\n"
    "  130  interrupted (Ctrl-C)\n";

/* --- help --------------------------------------------------------------- */

static int print_option_help(void *opaque, const char *owner, const ave_option *opt,
                             const void *target, int source)
{
    const char **current_owner = opaque;
    (void)source;
    if ((owner || *current_owner) && (!owner || !*current_owner || strcmp(owner, *current_owner))) {
        const ave_stage *stage = owner ? ave_stage_find(owner) : NULL;
        printf("\n%s stage: %s\n", owner ? owner : "general",
               stage ? stage->description : "pipeline");
        *current_owner = owner;
    }
    char flag[96], def[128] = "";
    if (opt->type == AVE_OPT_BOOL) {
        snprintf(flag, sizeof(flag), "--%s", opt->name);
    } else if (opt->type == AVE_OPT_ENUM) {
        size_t pos = (size_t)snprintf(flag, sizeof(flag), "--%s ", opt->name);
        for (size_t i = 0; opt->choices[i] && pos < sizeof(flag); i++)
            pos += (size_t)snprintf(flag + pos, sizeof(flag) - pos, "%s%s", i ? "|" : "",
                                    opt->choices[i]);
    } else {
        snprintf(flag, sizeof(flag), "--%s %s", opt->name,
                 opt->type == AVE_OPT_STRING ? ((opt->flags & AVE_OPTF_PATH) ? "PATH" : "TEXT")
                                             : "N");
    }
    char value[96];
    if (ave_option_format(opt, target, value, sizeof(value)) == 0 && value[0] &&
        opt->type != AVE_OPT_BOOL)
        snprintf(def, sizeof(def), " [default: %s]", value);
    else if (opt->type == AVE_OPT_BOOL && opt->def.i)
        snprintf(def, sizeof(def), " [on by default; --no-%s turns it off]", opt->name);
    int unavailable = opt->stage && !ave_stage_find(opt->stage);
    printf("  %-34s %s%s%s\n", flag, opt->help ? opt->help : "", def,
           unavailable ? " (accepted; not available in this build yet)" : "");
    return 0;
}

void cli_print_help(void)
{
    printf("Usage: ai-video-editor process INPUT... [flags]\n"
           "       ai-video-editor transcribe INPUT... [flags]\n"
           "       ai-video-editor enhance IN OUT [flags]\n"
           "       ai-video-editor render OUTPUT_DIR [INPUT] [flags]\n"
           "       ai-video-editor review OUTPUT_DIR [INPUT] [--port N] [--open] [flags]\n"
           "       ai-video-editor batch DIR|FILES... [batch flags] [process flags]\n"
           "       ai-video-editor cache stats|clear|vacuum [--cache-dir DIR]\n"
           "       ai-video-editor --help | --version\n\n"
           "Edits a raw recording into a publish-ready video: long silences are cut,\n"
           "the rest is re-encoded (H.264 + AAC, MP4) with crossfaded joins.\n"
           "Results go to --output DIR (default ./output/<input-name>/; with several\n"
           "inputs, one folder per input inside DIR):\n"
           "  video/edited.mp4 (audio/edited.m4a for audio-only input), timeline.json,\n"
           "  analytics/performance_metrics.json, transcript.json, transcript.txt,\n"
           "  subtitles/source.srt|.vtt (input timeline), subtitles/edited.srt|.vtt,\n"
           "  thumbnails/, metadata/ (titles, description, tags, chapters), broll/,\n"
           "  exports/ (with --export: NLE timelines), analytics/report.html\n"
           "transcribe writes transcript.json and subtitles/source.* only (no editing).\n"
           "render re-cuts a finished OUTPUT_DIR after you edit its transcript.txt (delete\n"
           "words or lines, or wrap them in [brackets]; unbracket a cut word to restore it)\n"
           "or timeline.json, without re-running any analysis (docs/EDITING.md).\n"
           "review serves OUTPUT_DIR's report as an editor on http://127.0.0.1 (a random\n"
           "port unless --port; the printed URL carries the access token): watch the cut,\n"
           "cut or restore words, accept suggested fillers, correct words, save, render;\n"
           "--open starts the desktop's browser; Ctrl-C stops it (docs/REVIEW.md).\n"
           "enhance runs the audio chain alone: audio in, audio out (.m4a/.wav/.flac by\n"
           "OUT's extension), or video in, video out with the picture copied untouched.\n"
           "batch processes many inputs, one child process and output folder each, and\n"
           "resumes after a crash; its own flags (see `batch --help`): --max-parallel N,\n"
           "--retries N, --retry-backoff S, --kill-grace S, --recursive, --engine\n"
           "local|slurm, --partition P, --dry-run, --status (docs/BATCH.md,\n"
           "docs/SCALE-OUT.md). cache shows, empties or compacts the results cache.\n\n"
           "Settings precedence: defaults < --profile (performance_profiles.yaml) <\n"
           "AI_VIDEO_EDITOR_<FLAG_NAME> environment variables < flags.\n"
           "performance_profiles.yaml is looked up at --profiles-file, in ./, then in\n"
           "$XDG_CONFIG_HOME/ai-video-editor/ (or ~/.config/ai-video-editor/).\n\n"
           "Flags:\n"
           "  -h, --help                         show this help\n"
           "  --version                          show the version\n"
           "  -v, --verbose                      more log output (repeat for more)\n"
           "  -q, --quiet                        only errors; no progress, no summary\n");
    ave_settings *s = NULL;
    if (ave_settings_new(&s) == 0) {
        const char *owner = NULL;
        ave_settings_foreach(s, print_option_help, &owner);
        ave_settings_free(s);
    }
    char profiles[512];
    char *path = NULL;
    ave_profiles_locate(NULL, &path);
    if (ave_profiles_list(path, profiles, sizeof(profiles)) == 0)
        printf("\nProfiles: %s\n", profiles);
    free(path);
    printf("\n%s", exit_code_help);
}

void cli_print_version(void)
{
    char version[256];
    ave_version_info(version, sizeof(version));
    printf("%s\n", version);
}
