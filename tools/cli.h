/* Shared pieces of the command-line tool: the signal flag, usage errors,
 * argument parsing into settings, and the per-command entry points. Only the
 * tool calls exit(). */
#ifndef AVE_TOOLS_CLI_H
#define AVE_TOOLS_CLI_H

#include <stdatomic.h>

#include "ave/ave.h"
#include "cli_progress.h"

/* Set by SIGINT/SIGTERM; polled by jobs through ave_job_callbacks. */
extern atomic_int cli_interrupted;

/* Print "ai-video-editor: error: <message> (see ai-video-editor --help)" and
 * exit 2. */
__attribute__((format(printf, 1, 2), noreturn)) void cli_usage_error(const char *fmt, ...);

/* One line on stderr, "ai-video-editor: error: <message>" (or warning:),
 * control bytes escaped as \xNN, a message over 1 KB shortened in the middle
 * so its end (the cause) stays (tools/cli_msg.c). */
__attribute__((format(printf, 1, 2))) void cli_error(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void cli_warning(const char *fmt, ...);
/* The same for a finished message: "ai-video-editor: <prefix><msg><suffix>". */
void cli_print_line(const char *prefix, const char *msg, const char *suffix);

void cli_print_help(void);
void cli_print_version(void);

/* A command's parsed arguments and settings. */
typedef struct cli_session {
    ave_settings *settings;
    const char **inputs; /* positional arguments, borrowed from argv */
    int input_count;
    int verbosity;       /* -1 quiet, 0 default, 1+ verbose */
    cli_progress progress;
} cli_session;

/* Parse argv (argv[0] is the command name) into settings with precedence
 * defaults < profile < environment < flags, set up logging and progress.
 * Exits with 2 on any usage error. Free with cli_session_end. */
void cli_session_begin(cli_session *cs, int argc, char **argv);
void cli_session_end(cli_session *cs);

/* Job callbacks wired to the session's progress display and the signal flag. */
ave_job_callbacks cli_callbacks(cli_session *cs);

/* Output folder for one of input_count inputs: --output itself for a single
 * input, --output/<input-name> for several, NULL (the job's default
 * ./output/<input-name>) without --output. Caller frees. */
char *cli_output_for(const ave_config *cfg, const char *input, int input_count);

/* The worse of two error codes (0 counts as best), for the exit code of a
 * command run on several inputs. */
int cli_worse(int a, int b);

/* Prints what a successful job produced (stdout). */
typedef void (*cli_summary_fn)(const ave_job *job, double seconds);

/* One job per input of the session, running the named stages (NULL: the
 * whole pipeline). Returns the exit code of the worst result; a session
 * without inputs is a usage error naming the command. */
int cli_run_jobs(cli_session *cs, const char *command, const char *const *stages,
                 cli_summary_fn summary);

/* The stages `render` runs that this build has, NULL-terminated, into
 * stages[CLI_RENDER_STAGES_MAX] (cmd_render.c; the review server renders
 * with the same list). */
#define CLI_RENDER_STAGES_MAX 16
void cli_render_stage_list(const char **stages);

int cli_cmd_process(int argc, char **argv);
int cli_cmd_enhance(int argc, char **argv);
int cli_cmd_transcribe(int argc, char **argv);
int cli_cmd_batch(int argc, char **argv);
int cli_cmd_cache(int argc, char **argv);
int cli_cmd_render(int argc, char **argv);
int cli_cmd_review(int argc, char **argv);

#endif
