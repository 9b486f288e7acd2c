/* Logging sink. The callback and level are the library's only global mutable
 * state, set once by the application before jobs start (as with av_log).
 * FFmpeg's messages are demoted: stages report the errors that matter in
 * their own words, so libav chatter is only shown with -v. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/log.h>

#include "ave/log.h"

static ave_log_fn log_sink;
static void *log_opaque;
static int log_level = AVE_LOG_INFO;
/* Stages on worker threads (--parallel) log too: one message at a time
 * reaches the sink, so lines never interleave. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *level_name(int level)
{
    switch (level) {
    case AVE_LOG_ERROR: return "error";
    case AVE_LOG_WARNING: return "warning";
    case AVE_LOG_INFO: return "info";
    case AVE_LOG_VERBOSE: return "verbose";
    default: return "debug";
    }
}

static void default_sink(void *opaque, int level, const char *stage, const char *msg)
{
    (void)opaque;
    if (stage)
        fprintf(stderr, "ai-video-editor: [%s] %s: %s\n", stage, level_name(level), msg);
    else
        fprintf(stderr, "ai-video-editor: %s: %s\n", level_name(level), msg);
}

void ave_log_set_callback(ave_log_fn fn, void *opaque)
{
    log_sink = fn;
    log_opaque = opaque;
}

void ave_log_set_level(int level) { log_level = level; }

int ave_log_get_level(void) { return log_level; }

/* The format attributes let clang's -Wformat-nonliteral see that fmt is
 * always the caller's format (ave_log's, or FFmpeg's own). */
__attribute__((format(printf, 3, 0)))
static void log_message(int level, const char *stage, const char *fmt, va_list ap)
{
    char buf[1024];
    if (level > log_level)
        return;
    vsnprintf(buf, sizeof(buf), fmt, ap);
    size_t len = strlen(buf);
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = '\0';
    if (len == 0)
        return;
    pthread_mutex_lock(&log_lock);
    (log_sink ? log_sink : default_sink)(log_opaque, level, stage, buf);
    pthread_mutex_unlock(&log_lock);
}

void ave_log(int level, const char *stage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_message(level, stage, fmt, ap);
    va_end(ap);
}

/* The tap of a codec context that has one (ave_log_tap), else NULL. Only
 * codec contexts are looked into: their `opaque` is ours to set, and this
 * library sets it on no context but a tapped one. */
static const ave_log_tap *codec_tap(void *avcl)
{
    const AVClass *cls = avcl ? *(const AVClass **)avcl : NULL;
    const ave_log_tap *tap;
    if (!cls || strcmp(cls->class_name, "AVCodecContext") != 0)
        return NULL;
    tap = ((const AVCodecContext *)avcl)->opaque;
    return tap && tap->magic == AVE_LOG_TAP_MAGIC && tap->fn ? tap : NULL;
}

__attribute__((format(printf, 3, 0)))
static void ffmpeg_log_bridge(void *avcl, int av_level, const char *fmt, va_list ap)
{
    const ave_log_tap *tap = codec_tap(avcl);
    int level;
    if (tap) {
        char msg[256];
        va_list copy;
        va_copy(copy, ap);
        vsnprintf(msg, sizeof(msg), fmt, copy);
        va_end(copy);
        tap->fn(tap->arg, msg);
    }
    if (av_level <= AV_LOG_ERROR)
        level = AVE_LOG_VERBOSE;
    else if (av_level <= AV_LOG_INFO)
        level = AVE_LOG_DEBUG;
    else
        return;
    log_message(level, "ffmpeg", fmt, ap);
}

void ave_log_route_ffmpeg(void)
{
    av_log_set_callback(ffmpeg_log_bridge);
}
