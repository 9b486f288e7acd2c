/* `ai-video-editor review OUTPUT_DIR [INPUT] [--port N] [--open] [flags]`:
 * serve a finished output folder's report as an editor in the browser
 * (docs/REVIEW.md) until Ctrl-C.
 *
 * The server is the library's (ave/review.h); this command sets up what a
 * render from the page needs, exactly as `render` would (the input named in
 * timeline.json or INPUT, the recorded settings, flags given now winning),
 * prints the URL with its token, and waits for the signal. Renders run in
 * this process, one at a time, with the render command's stage list. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "ave/review.h"
#include "cli.h"

extern char **environ;

typedef struct review_host {
    cli_session *cs;
    const char *input;
} review_host;

/* The page's render button: the render command's job, reporting to the
 * server's callbacks instead of the terminal's progress bar. */
static int render_folder(void *opaque, const char *output_dir, const ave_job_callbacks *cb,
                         char *err, size_t errlen)
{
    review_host *h = opaque;
    const char *stages[CLI_RENDER_STAGES_MAX];
    ave_job *job = NULL;
    int r;

    cli_render_stage_list(stages);
    if ((r = ave_job_new(&job, h->cs->settings, h->input, output_dir, cb)) < 0) {
        snprintf(err, errlen, "%s: %s", h->input, ave_strerror(r));
        return r;
    }
    if ((r = ave_job_run_only(job, stages)) < 0)
        snprintf(err, errlen, "%s", ave_job_errmsg(job));
    ave_job_free(job);
    return r;
}

/* --open: the desktop's browser, if there is one; the URL is printed anyway. */
static void open_browser(const char *url)
{
    char *const argv[] = {"xdg-open", (char *)url, NULL};
    pid_t pid;
    if (posix_spawnp(&pid, "xdg-open", NULL, NULL, argv, environ) != 0)
        cli_warning("--open: xdg-open is not available; open the URL yourself");
}

int cli_cmd_review(int argc, char **argv)
{
    cli_session cs;
    char err[512], *input = NULL, **rest = NULL;
    int r = 0, port = 0, open = 0, n = 0, applied = 0;
    ave_review *rv = NULL;

    /* --port and --open are this command's own; the rest are settings for
     * the renders (as for `render`). */
    if (!(rest = calloc((size_t)argc + 1, sizeof(*rest))))
        return ave_exit_code(AVE_ERR_NOMEM);
    for (int i = 0; i < argc; i++) {
        if (i > 0 && !strcmp(argv[i], "--open")) {
            open = 1;
        } else if (i > 0 && (!strcmp(argv[i], "--port") || !strncmp(argv[i], "--port=", 7))) {
            const char *v = argv[i][6] == '=' ? argv[i] + 7 : (i + 1 < argc ? argv[++i] : NULL);
            char *end = NULL;
            long p = v ? strtol(v, &end, 10) : -1;
            if (!v || !*v || *end || p < 0 || p > 65535) {
                free(rest);
                return ave_exit_code(
                    cli_usage("review: --port needs a port number (0-65535; 0: any free one)"));
            }
            port = (int)p;
        } else {
            rest[n++] = argv[i];
        }
    }
    if ((r = cli_session_begin(&cs, n, rest)) != 0) {
        free(rest);
        return cli_session_exit_code(r);
    }
    const char *out_dir = NULL;
    r = cli_folder_begin(&cs, "review", &out_dir, &input, &applied);
    review_host host = {.cs = &cs, .input = input};
    ave_review_config cfg = {.output_dir = out_dir,
                             .input = input,
                             .port = port,
                             .render = render_folder,
                             .render_opaque = &host};
    if (r == 0 && (r = ave_review_start(&rv, &cfg, err, sizeof(err))) < 0)
        cli_error("review: %s", err);
    if (r == 0) {
        printf("Review %s at\n  %s\n(Ctrl-C to stop)\n", out_dir, ave_review_url(rv));
        fflush(stdout);
        if (open)
            open_browser(ave_review_url(rv));
        /* The server has its own threads; this one only waits for Ctrl-C. */
        struct timespec tick = {0, 100 * 1000 * 1000};
        while (!atomic_load(&cli_interrupted))
            nanosleep(&tick, NULL);
        ave_review_stop(rv);
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ; /* a finished xdg-open */
    }
    free(input);
    free(rest);
    cli_session_end(&cs);
    return ave_exit_code(r);
}
