/* Shared pieces of the command-line tool: the signal flag, usage errors,
 * argument parsing into settings, and the per-command entry points. Errors
 * travel up as AVE_ERR_* codes to the command, which returns the exit code
 * to main; nothing else exits (but the hard --timeout, cli_args.c). */
#ifndef AVE_TOOLS_CLI_H
#define AVE_TOOLS_CLI_H

#include <stdatomic.h>

#include "ave/ave.h"
#include "cli_progress.h"

/* Set by SIGINT/SIGTERM; polled by jobs through ave_job_callbacks. */
extern atomic_int cli_interrupted;

/* Print "ai-video-editor: error: <message> (see ai-video-editor --help)" and
 * return AVE_ERR_USAGE (exit code 2 through ave_exit_code). */
__attribute__((format(printf, 1, 2))) int cli_usage(const char *fmt, ...);

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

/* cli_session_begin's answer when the command is already done: --help or
 * --version was printed. */
#define CLI_ANSWERED 1

/* Parse argv (argv[0] is the command name) into settings with precedence
 * defaults < profile < environment < flags, set up logging and progress.
 * Returns 0 (free with cli_session_end), CLI_ANSWERED, or an AVE_ERR_* code
 * whose message is printed (AVE_ERR_USAGE for any bad flag, value or
 * profile); on a nonzero result there is nothing to free. */
int cli_session_begin(cli_session *cs, int argc, char **argv);
void cli_session_end(cli_session *cs);
/* The exit code for a nonzero result of cli_session_begin. */
int cli_session_exit_code(int r);

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

/* For the commands on a finished output folder (render, review): the
 * session's inputs are the folder and, only when the recording moved, the
 * input; otherwise timeline.json names it. The earlier run's settings are
 * applied under the flags given now (*applied counts them). Sets *out_dir
 * (borrowed from argv) and *input (malloc'd, caller frees). Returns 0 or an
 * AVE_ERR_* code, its message printed. */
int cli_folder_begin(cli_session *cs, const char *command, const char **out_dir, char **input,
                     int *applied);

int cli_cmd_process(int argc, char **argv);
int cli_cmd_enhance(int argc, char **argv);
int cli_cmd_transcribe(int argc, char **argv);
int cli_cmd_batch(int argc, char **argv);
int cli_cmd_cache(int argc, char **argv);
int cli_cmd_render(int argc, char **argv);
int cli_cmd_review(int argc, char **argv);

#endif
