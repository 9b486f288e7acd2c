/* Every line the tool writes to the terminal about a problem goes through
 * here: one line, prefixed "ai-video-editor: error:" (or warning/stage),
 * with control bytes escaped and an over-long message shortened in the
 * middle.
 *
 * Messages quote what the user or a file gave us (environment values,
 * transcript.txt lines, file names): a raw escape sequence there would
 * repaint the terminal, and a newline would split one error into two. The
 * cause of an error is at the end of its line ("path: what went wrong"), so
 * a long path is cut in the middle, never the end. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Longest message printed whole: a few terminal lines, far more than any
 * message needs except one quoting a huge path or value. */
#define MSG_MAX 1024
#define MSG_HEAD 400

static void put_escaped(FILE *fp, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            fprintf(fp, "\\x%02x", c);
        else
            fputc(c, fp);
    }
}

void cli_print_line(const char *prefix, const char *msg, const char *suffix)
{
    size_t n = strlen(msg);
    fputs("ai-video-editor: ", stderr);
    fputs(prefix, stderr);
    if (n <= MSG_MAX) {
        put_escaped(stderr, msg, n);
    } else {
        put_escaped(stderr, msg, MSG_HEAD);
        fprintf(stderr, " [... %zu bytes ...] ", n - MSG_MAX);
        put_escaped(stderr, msg + n - (MSG_MAX - MSG_HEAD), MSG_MAX - MSG_HEAD);
    }
    fputs(suffix, stderr);
    fputc('\n', stderr);
}

__attribute__((format(printf, 3, 0))) static void print_formatted(const char *prefix,
                                                                   const char *suffix,
                                                                   const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (msg) {
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        cli_print_line(prefix, msg, suffix);
    } else {
        cli_print_line(prefix, "out of memory while reporting an error", suffix);
    }
    free(msg);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_formatted("error: ", "", fmt, ap);
    va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_formatted("warning: ", "", fmt, ap);
    va_end(ap);
}

int cli_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_formatted("error: ", " (see ai-video-editor --help)", fmt, ap);
    va_end(ap);
    return AVE_ERR_USAGE;
}
