/* Progress and log display for the command-line tool: a bar with stage,
 * percent and ETA when stderr is a terminal, plain lines otherwise, nothing
 * with --no-progress. Log lines clear the bar first so they never interleave. */
#ifndef AVE_CLI_PROGRESS_H
#define AVE_CLI_PROGRESS_H

enum cli_progress_mode { CLI_PROGRESS_NONE, CLI_PROGRESS_LINES, CLI_PROGRESS_BAR };

typedef struct cli_progress {
    int mode;               /* enum cli_progress_mode */
    const char *label;      /* current input's name, borrowed */
    char last_stage[32];
    int last_decile;        /* LINES mode: last 10% step printed */
    int bar_visible;
} cli_progress;

void cli_progress_init(cli_progress *p, int enabled);

/* ave_progress_fn: never cancels (cancellation comes from signals). */
int cli_progress_update(void *opaque, const char *stage, double fraction, double eta_s);

/* Begin reporting a new input (label is borrowed). */
void cli_progress_start(cli_progress *p, const char *label);

/* Erase the bar before printing anything else. */
void cli_progress_clear(cli_progress *p);

/* ave_log_fn that cooperates with the bar; opaque is the cli_progress. */
void cli_progress_log(void *opaque, int level, const char *stage, const char *msg);

#endif
