/* Logging: one function, tagged with the stage name, routed through a callback
 * the application installs. This is the only global mutable state in the
 * library (like av_log); FFmpeg's own log is routed into it. */
#ifndef AVE_LOG_H
#define AVE_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

enum ave_log_level {
    AVE_LOG_QUIET = -1,
    AVE_LOG_ERROR = 0,
    AVE_LOG_WARNING = 1,
    AVE_LOG_INFO = 2,
    AVE_LOG_VERBOSE = 3,
    AVE_LOG_DEBUG = 4
};

/* msg has no trailing newline. stage may be NULL (outside any stage). */
typedef void (*ave_log_fn)(void *opaque, int level, const char *stage, const char *msg);

/* Install the sink; NULL restores the default (stderr). Not thread-safe:
 * call before starting jobs. */
void ave_log_set_callback(ave_log_fn fn, void *opaque);

/* Messages above this level are dropped before formatting. Default INFO. */
void ave_log_set_level(int level);
int ave_log_get_level(void);

void ave_log(int level, const char *stage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Route libav* logging (av_log) into ave_log, mapping levels. */
void ave_log_route_ffmpeg(void);

/* A tap on one FFmpeg codec context's messages, all levels, before the
 * level filter: point the AVCodecContext's `opaque` at one (magic set to
 * AVE_LOG_TAP_MAGIC) and, once ave_log_route_ffmpeg is in place, fn gets
 * each message that context logs, formatted, from the logging thread.
 * Used to read what an encoder reports only in its log (x264's per-frame
 * PSNR). The tap must outlive the context's last message (its close). */
#define AVE_LOG_TAP_MAGIC 0x61766574u /* "avet" */
typedef struct ave_log_tap {
    unsigned magic;
    void (*fn)(void *arg, const char *msg);
    void *arg;
} ave_log_tap;

#ifdef __cplusplus
}
#endif
#endif
