/* ai-video-editor: the command-line front end. It parses flags into the
 * library's settings (defaults < profile < environment < flags), runs one job
 * per input and maps errors to the documented exit codes. Only this file may
 * call exit(); it uses public headers only. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ave/ave.h"
#include "cli_progress.h"

extern char **environ;

static volatile int interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

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

__attribute__((format(printf, 1, 2), noreturn)) static void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "ai-video-editor: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see ai-video-editor --help)\n");
    exit(AVE_EXIT_USAGE);
}

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

static void print_help(void)
{
    printf("Usage: ai-video-editor process INPUT... [flags]\n"
           "       ai-video-editor --help | --version\n\n"
           "Edits a raw recording into a publish-ready video: long silences are cut,\n"
           "the rest is re-encoded (H.264 + AAC, MP4) with crossfaded joins.\n"
           "Results go to --output DIR (default ./output/<input-name>/; with several\n"
           "inputs, one folder per input inside DIR):\n"
           "  video/edited.mp4 (audio/edited.m4a for audio-only input), timeline.json,\n"
           "  analytics/performance_metrics.json\n\n"
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

/* --- flag parsing ------------------------------------------------------- */

typedef struct flag_value {
    char name[128];
    const char *value;
} flag_value;

static const ave_option *find_option(const ave_settings *s, const char *name)
{
    return ave_settings_find_option(s, name, NULL);
}

/* Splits argv into inputs and flags; handles -v/-q/--help/--version. */
static void parse_args(int argc, char **argv, const ave_settings *s, const char **inputs,
                       int *input_count, flag_value *flags, int *flag_count, int *verbosity)
{
    int only_inputs = 0;
    *input_count = *flag_count = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (only_inputs || arg[0] != '-' || !strcmp(arg, "-")) {
            inputs[(*input_count)++] = arg;
            continue;
        }
        if (!strcmp(arg, "--")) {
            only_inputs = 1;
        } else if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            print_help();
            exit(AVE_EXIT_OK);
        } else if (!strcmp(arg, "--version")) {
            char version[256];
            ave_version_info(version, sizeof(version));
            printf("%s\n", version);
            exit(AVE_EXIT_OK);
        } else if (!strcmp(arg, "-v") || !strcmp(arg, "--verbose")) {
            (*verbosity)++;
        } else if (!strcmp(arg, "-vv")) {
            *verbosity += 2;
        } else if (!strcmp(arg, "-q") || !strcmp(arg, "--quiet")) {
            *verbosity = -1;
        } else if (arg[1] != '-') {
            usage_error("unknown option %s", arg);
        } else {
            flag_value *f = &flags[(*flag_count)++];
            const char *eq = strchr(arg + 2, '=');
            size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
            if (len == 0 || len >= sizeof(f->name))
                usage_error("unknown option %s", arg);
            memcpy(f->name, arg + 2, len);
            f->name[len] = '\0';
            const ave_option *opt = find_option(s, f->name);
            if (eq) {
                f->value = eq + 1;
            } else if (opt && opt->type == AVE_OPT_BOOL) {
                f->value = "true";
            } else if (!opt && !strncmp(f->name, "no-", 3) && (opt = find_option(s, f->name + 3)) &&
                       opt->type == AVE_OPT_BOOL) {
                memmove(f->name, f->name + 3, strlen(f->name + 3) + 1);
                f->value = "false";
            } else if (!opt) {
                f->value = NULL; /* ave_settings_set reports it, with a suggestion */
            } else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0) {
                f->value = argv[++i];
            } else {
                usage_error("%s needs a value", arg);
            }
        }
    }
}

static const char *flag_or_env(const ave_settings *s, const flag_value *flags, int count,
                               const char *name, const char *env)
{
    const char *value = getenv(env);
    const ave_option *wanted = find_option(s, name);
    for (int i = 0; i < count; i++)
        if (find_option(s, flags[i].name) == wanted)
            value = flags[i].value;
    return value && *value ? value : NULL;
}

/* defaults < profile < environment < flags */
static void build_settings(ave_settings *s, const flag_value *flags, int flag_count)
{
    char err[512];
    const char *profile = flag_or_env(s, flags, flag_count, "profile", "AI_VIDEO_EDITOR_PROFILE");
    const char *profiles_file =
        flag_or_env(s, flags, flag_count, "profiles-file", "AI_VIDEO_EDITOR_PROFILES_FILE");
    if (profile || profiles_file) {
        char *path = NULL;
        int r = ave_profiles_locate(profiles_file, &path);
        /* With no --profile, an explicit file is still checked (name NULL). */
        if (r == 0)
            r = ave_settings_apply_profile(s, path, profile, err, sizeof(err));
        else
            snprintf(err, sizeof(err), "%s: cannot read profiles file", profiles_file);
        free(path);
        if (r < 0) {
            fprintf(stderr, "ai-video-editor: %s\n", err);
            exit(AVE_EXIT_USAGE);
        }
    }
    if (ave_settings_apply_env(s, environ, err, sizeof(err)) < 0) {
        fprintf(stderr, "ai-video-editor: %s\n", err);
        exit(AVE_EXIT_USAGE);
    }
    for (int i = 0; i < flag_count; i++) {
        if (ave_settings_set(s, flags[i].name, flags[i].value ? flags[i].value : "", AVE_SRC_FLAG,
                             err, sizeof(err)) < 0) {
            fprintf(stderr, "ai-video-editor: %s\n", err);
            exit(AVE_EXIT_USAGE);
        }
    }
}

/* --- running ------------------------------------------------------------ */

static char *output_for(const ave_config *cfg, const char *input, int input_count)
{
    if (!cfg->output)
        return NULL; /* the job's default: ./output/<input-name>/ */
    if (input_count == 1)
        return strdup(cfg->output);
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    size_t len = strlen(cfg->output) + strlen(base) + 2;
    char *dir = malloc(len);
    if (!dir)
        return NULL;
    snprintf(dir, len, "%s/%s", cfg->output, base);
    char *dot = strrchr(dir + strlen(cfg->output) + 1, '.');
    if (dot && dot != dir + strlen(cfg->output) + 1)
        *dot = '\0';
    return dir;
}

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

static int process_one(const ave_settings *s, const char *input, int input_count,
                       cli_progress *progress, int quiet)
{
    const ave_config *cfg = ave_settings_config(s);
    char *out_dir = output_for(cfg, input, input_count);
    ave_job_callbacks cb = {cli_progress_update, progress, &interrupted};
    ave_job *job = NULL;
    int r = ave_job_new(&job, s, input, out_dir, &cb);
    free(out_dir);
    if (r < 0) {
        fprintf(stderr, "ai-video-editor: error: %s: %s\n", input, ave_strerror(r));
        return r;
    }
    cli_progress_start(progress, input);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = ave_job_run(job);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cli_progress_clear(progress);
    if (r < 0) {
        fprintf(stderr, "ai-video-editor: error: %s\n", ave_job_errmsg(job));
    } else if (!quiet) {
        print_summary(job, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
    }
    ave_job_free(job);
    return r;
}

/* The exit code of the worst failure: usage > input > others. */
static int worse(int a, int b)
{
    if (a == 0)
        return b;
    if (b == 0)
        return a;
    return a < b ? a : b;
}

static int cmd_process(int argc, char **argv)
{
    ave_settings *s = NULL;
    if (ave_settings_new(&s) < 0) {
        fprintf(stderr, "ai-video-editor: error: cannot initialise settings\n");
        return AVE_EXIT_INTERNAL;
    }
    const char **inputs = calloc((size_t)argc, sizeof(*inputs));
    flag_value *flags = calloc((size_t)argc, sizeof(*flags));
    if (!inputs || !flags) {
        fprintf(stderr, "ai-video-editor: error: out of memory\n");
        return AVE_EXIT_LIMIT;
    }
    int input_count, flag_count, verbosity = 0;
    parse_args(argc, argv, s, inputs, &input_count, flags, &flag_count, &verbosity);
    if (input_count == 0)
        usage_error("%s: no input file given", "process");
    build_settings(s, flags, flag_count);

    const ave_config *cfg = ave_settings_config(s);
    cli_progress progress;
    cli_progress_init(&progress, cfg->progress && verbosity >= 0);
    ave_log_set_level(verbosity < 0 ? AVE_LOG_ERROR
                      : verbosity == 0 ? AVE_LOG_WARNING
                      : verbosity == 1 ? AVE_LOG_INFO
                      : verbosity == 2 ? AVE_LOG_VERBOSE
                                       : AVE_LOG_DEBUG);
    ave_log_set_callback(cli_progress_log, &progress);
    ave_log_route_ffmpeg();

    int worst = 0;
    for (int i = 0; i < input_count && !interrupted; i++)
        worst = worse(worst, process_one(s, inputs[i], input_count, &progress, verbosity < 0));
    if (interrupted && worst == 0)
        worst = AVE_ERR_CANCELLED;
    free(inputs);
    free(flags);
    ave_settings_free(s);
    return ave_exit_code(worst);
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    if (argc < 2)
        usage_error("missing command: try 'ai-video-editor process VIDEO'");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        print_help();
        return AVE_EXIT_OK;
    }
    if (!strcmp(cmd, "--version")) {
        char version[256];
        ave_version_info(version, sizeof(version));
        printf("%s\n", version);
        return AVE_EXIT_OK;
    }
    if (!strcmp(cmd, "process"))
        return cmd_process(argc - 1, argv + 1);
    usage_error("unknown command '%s'", cmd);
}
