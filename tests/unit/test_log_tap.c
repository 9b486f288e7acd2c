/* ave_log_tap: a codec context whose opaque points at a tap gets its own
 * FFmpeg messages (all levels, formatted); other contexts and messages
 * without a context do not reach it. */
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/log.h>

#include "ave/log.h"
#include "check.h"

typedef struct seen {
    int calls;
    char last[256];
} seen;

static void on_msg(void *arg, const char *msg)
{
    seen *s = arg;
    s->calls++;
    snprintf(s->last, sizeof(s->last), "%s", msg);
}

static void quiet(void *opaque, int level, const char *stage, const char *msg)
{
    (void)opaque, (void)level, (void)stage, (void)msg;
}

int main(void)
{
    seen s = {0}, other = {0};
    ave_log_tap tap = {.magic = AVE_LOG_TAP_MAGIC, .fn = on_msg, .arg = &s};
    ave_log_tap wrong = {.magic = 0, .fn = on_msg, .arg = &other};
    AVCodecContext *tapped = avcodec_alloc_context3(NULL), *plain = avcodec_alloc_context3(NULL),
                   *bad = avcodec_alloc_context3(NULL);

    CHECK(tapped && plain && bad);
    if (!tapped || !plain || !bad)
        return CHECK_DONE();
    ave_log_set_callback(quiet, NULL);
    ave_log_route_ffmpeg();
    tapped->opaque = &tap;
    bad->opaque = &wrong;

    /* Debug lines too: the level filter comes after the tap. */
    av_log(tapped, AV_LOG_DEBUG, "frame=%4d PSNR Y:%5.2f\n", 7, 41.5);
    CHECK_EQ_INT(s.calls, 1);
    CHECK(strcmp(s.last, "frame=   7 PSNR Y:41.50\n") == 0);
    av_log(plain, AV_LOG_ERROR, "not for the tap\n");
    av_log(NULL, AV_LOG_ERROR, "nor this\n");
    av_log(bad, AV_LOG_INFO, "a wrong magic is not a tap\n");
    CHECK_EQ_INT(s.calls, 1);
    CHECK_EQ_INT(other.calls, 0);

    avcodec_free_context(&tapped);
    avcodec_free_context(&plain);
    avcodec_free_context(&bad);
    ave_log_set_callback(NULL, NULL);
    return CHECK_DONE();
}
