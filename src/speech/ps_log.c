/* PocketSphinx log routing (ps_log.h). Its INFO chatter is large (a
 * configuration dump, search statistics per utterance), so it is formatted
 * only when the log level would show it. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <pocketsphinx.h>
#include <sphinxbase/err.h>

#include "ave/ave.h"
#include "speech/ps_log.h"

static void __attribute__((format(printf, 3, 4)))
ps_log(void *user, err_lvl_t lvl, const char *fmt, ...)
{
    int level = lvl >= ERR_FATAL ? AVE_LOG_ERROR
                : lvl >= ERR_ERROR ? AVE_LOG_WARNING
                : lvl == ERR_WARN  ? AVE_LOG_VERBOSE
                                   : AVE_LOG_DEBUG;
    char buf[512];
    va_list ap;

    (void)user;
    /* The second pass decodes with grammars that need not reach their end
     * state (a window can stop mid-word); the best partial path is what it
     * reads, so this is an expected outcome, not a fault to show the user. */
    if (strstr(fmt, "does not match the grammar"))
        level = AVE_LOG_VERBOSE;
    if (level > ave_log_get_level())
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    ave_log(level, "speech", "pocketsphinx: %s", buf);
}

static void route(void)
{
    err_set_callback(ps_log, NULL);
    /* The configuration dump bypasses the callback and writes to the log
     * file handle directly; with none it is skipped. */
    err_set_logfp(NULL);
}

void ave_ps_route_log(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, route);
}
