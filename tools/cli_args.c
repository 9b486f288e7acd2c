/* Command-line arguments to settings: flags (--name value, --name=value,
 * --bool, --no-bool), -v/-q, and the precedence defaults < profile <
 * environment < flags. Names resolve through the library's option tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

extern char **environ;

typedef struct flag_value {
    char name[128];
    const char *value;
} flag_value;

static const ave_option *find_option(const ave_settings *s, const char *name)
{
    return ave_settings_find_option(s, name, NULL);
}

/* Splits argv into inputs and flags; handles -v/-q/--help/--version.
 * Returns 0, CLI_ANSWERED or AVE_ERR_USAGE (printed). */
static int parse_args(int argc, char **argv, const ave_settings *s, const char **inputs,
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
            cli_print_help();
            return CLI_ANSWERED;
        } else if (!strcmp(arg, "--version")) {
            cli_print_version();
            return CLI_ANSWERED;
        } else if (!strcmp(arg, "-v") || !strcmp(arg, "--verbose")) {
            (*verbosity)++;
        } else if (!strcmp(arg, "-vv")) {
            *verbosity += 2;
        } else if (!strcmp(arg, "-q") || !strcmp(arg, "--quiet")) {
            *verbosity = -1;
        } else if (!strcmp(arg, "--no-cache")) {
            /* The short spelling of --no-enable-caching (documented in its help). */
            flag_value *f = &flags[(*flag_count)++];
            snprintf(f->name, sizeof(f->name), "%s", "enable-caching");
            f->value = "false";
        } else if (arg[1] != '-') {
            return cli_usage("unknown option %s", arg);
        } else {
            flag_value *f = &flags[(*flag_count)++];
            const char *eq = strchr(arg + 2, '=');
            size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
            if (len == 0 || len >= sizeof(f->name))
                return cli_usage("unknown option %s", arg);
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
                return cli_usage("%s needs a value", arg);
            }
        }
    }
    return 0;
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

/* defaults < profile < environment < flags; 0 or AVE_ERR_USAGE (printed). */
static int build_settings(ave_settings *s, const flag_value *flags, int flag_count)
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
            cli_error("%s", err);
            return AVE_ERR_USAGE;
        }
    }
    if (ave_settings_apply_env(s, environ, err, sizeof(err)) < 0) {
        cli_error("%s", err);
        return AVE_ERR_USAGE;
    }
    for (int i = 0; i < flag_count; i++) {
        if (ave_settings_set(s, flags[i].name, flags[i].value ? flags[i].value : "", AVE_SRC_FLAG,
                             err, sizeof(err)) < 0) {
            cli_error("%s", err);
            return AVE_ERR_USAGE;
        }
    }
    return 0;
}

int cli_session_begin(cli_session *cs, int argc, char **argv)
{
    int r, flag_count;
    memset(cs, 0, sizeof(*cs));
    if ((r = ave_settings_new(&cs->settings)) < 0) {
        cli_error("cannot initialise settings: %s", ave_strerror(r));
        return r;
    }
    cs->inputs = calloc((size_t)argc + 1, sizeof(*cs->inputs));
    flag_value *flags = calloc((size_t)argc + 1, sizeof(*flags));
    if (!cs->inputs || !flags) {
        cli_error("out of memory");
        r = AVE_ERR_NOMEM;
    } else if ((r = parse_args(argc, argv, cs->settings, cs->inputs, &cs->input_count, flags,
                               &flag_count, &cs->verbosity)) == 0) {
        r = build_settings(cs->settings, flags, flag_count);
    }
    free(flags);
    if (r != 0) {
        free(cs->inputs);
        ave_settings_free(cs->settings);
        memset(cs, 0, sizeof(*cs));
        return r;
    }

    const ave_config *cfg = ave_settings_config(cs->settings);
    cli_progress_init(&cs->progress, cfg->progress && cs->verbosity >= 0);
    ave_log_set_level(cs->verbosity < 0    ? AVE_LOG_ERROR
                      : cs->verbosity == 0 ? AVE_LOG_WARNING
                      : cs->verbosity == 1 ? AVE_LOG_INFO
                      : cs->verbosity == 2 ? AVE_LOG_VERBOSE
                                           : AVE_LOG_DEBUG);
    ave_log_set_callback(cli_progress_log, &cs->progress);
    ave_log_route_ffmpeg();
    return 0;
}

int cli_session_exit_code(int r)
{
    return r == CLI_ANSWERED ? AVE_EXIT_OK : ave_exit_code(r);
}

void cli_session_end(cli_session *cs)
{
    cli_progress_clear(&cs->progress);
    ave_log_set_callback(NULL, NULL);
    free(cs->inputs);
    ave_settings_free(cs->settings);
}

/* The job overran --timeout inside a call that cannot be interrupted, and
 * its partial outputs and scratch are already removed: end the process now
 * rather than wait seconds for the call to return (the one exit outside
 * main, as no caller can return while that call runs). On the watchdog's
 * thread, so the progress bar's state is not read; on a terminal the line
 * is simply cleared. */
static void cli_overdue(void *opaque, const char *message)
{
    (void)opaque;
    if (isatty(STDERR_FILENO))
        fputs("\r\033[K", stderr);
    cli_error("%s", message);
    fflush(stderr);
    _exit(AVE_EXIT_TIMEOUT);
}

ave_job_callbacks cli_callbacks(cli_session *cs)
{
    ave_job_callbacks cb = {cli_progress_update, &cs->progress, &cli_interrupted, cli_overdue};
    return cb;
}

char *cli_output_for(const ave_config *cfg, const char *input, int input_count)
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

/* The worse of two results: any failure beats success; between failures the
 * more negative code wins (internal > limit > ... > input > usage). */
int cli_worse(int a, int b)
{
    if (a == 0)
        return b;
    if (b == 0)
        return a;
    return a < b ? a : b;
}

