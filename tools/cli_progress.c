/* Terminal progress bar and log sink for ai-video-editor. Output goes to
 * stderr so stdout stays clean for the summary lines scripts read. */
#include "cli_progress.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ave/log.h"
#include "cli.h"

#define BAR_WIDTH 30

void cli_progress_init(cli_progress *p, int enabled)
{
    memset(p, 0, sizeof(*p));
    p->last_decile = -1;
    if (!enabled)
        p->mode = CLI_PROGRESS_NONE;
    else
        p->mode = isatty(STDERR_FILENO) ? CLI_PROGRESS_BAR : CLI_PROGRESS_LINES;
}

static void format_eta(double eta_s, char *buf, size_t len)
{
    if (eta_s < 0) {
        snprintf(buf, len, "--:--");
        return;
    }
    int s = (int)(eta_s + 0.5);
    if (s >= 3600)
        snprintf(buf, len, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, len, "%d:%02d", s / 60, s % 60);
}

int cli_progress_update(void *opaque, const char *stage, double fraction, double eta_s)
{
    cli_progress *p = opaque;
    int percent = (int)(fraction * 100.0);
    if (p->mode == CLI_PROGRESS_BAR) {
        char bar[BAR_WIDTH + 1], eta[16];
        int filled = (int)(fraction * BAR_WIDTH);
        for (int i = 0; i < BAR_WIDTH; i++)
            bar[i] = i < filled ? '#' : '.';
        bar[BAR_WIDTH] = '\0';
        format_eta(eta_s, eta, sizeof(eta));
        fprintf(stderr, "\r\033[K%s  %-8s [%s] %3d%%  ETA %s", p->label ? p->label : "", stage, bar,
                percent, eta);
        fflush(stderr);
        p->bar_visible = 1;
    } else if (p->mode == CLI_PROGRESS_LINES) {
        int decile = percent / 10;
        if (decile != p->last_decile || strcmp(stage, p->last_stage) != 0) {
            fprintf(stderr, "ai-video-editor: %s: %s %d%%\n", p->label ? p->label : "", stage,
                    percent);
            p->last_decile = decile;
            snprintf(p->last_stage, sizeof(p->last_stage), "%s", stage);
        }
    }
    return 0;
}

void cli_progress_clear(cli_progress *p)
{
    if (p->bar_visible) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
        p->bar_visible = 0;
    }
}

void cli_progress_start(cli_progress *p, const char *label)
{
    cli_progress_clear(p);
    p->label = label;
    p->last_decile = -1;
    p->last_stage[0] = '\0';
}

void cli_progress_log(void *opaque, int level, const char *stage, const char *msg)
{
    static const char *const names[] = {"error", "warning", "info", "verbose", "debug"};
    cli_progress *p = opaque;
    cli_progress_clear(p);
    const char *name = level >= 0 && level <= AVE_LOG_DEBUG ? names[level] : "log";
    char prefix[96];
    if (level == AVE_LOG_INFO)
        snprintf(prefix, sizeof(prefix), "%s%s", stage ? stage : "", stage ? ": " : "");
    else
        snprintf(prefix, sizeof(prefix), "%s: %s%s", name, stage ? stage : "", stage ? ": " : "");
    cli_print_line(prefix, msg, "");
}
