/* A light probe for the batch scheduler: duration and picture size of an
 * input, enough for the memory estimate. The child's own probe stage does the
 * real validation and error reporting, so a file that cannot be opened here
 * is not an error, just an input estimated at the base cost. */
#include <string.h>

#include <libavformat/avformat.h>

#include "ave/batch.h"
#include "ave/error.h"

int ave_batch_probe_file(const char *path, ave_batch_probe *out)
{
    AVFormatContext *fmt = NULL;
    memset(out, 0, sizeof(*out));
    if (avformat_open_input(&fmt, path, NULL, NULL) < 0)
        return 0;
    if (avformat_find_stream_info(fmt, NULL) < 0)
        goto out;
    out->ok = 1;
    if (fmt->duration > 0)
        out->duration_us = av_rescale_q(fmt->duration, AV_TIME_BASE_Q, (AVRational){1, 1000000});
    out->has_audio = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0) >= 0;
    int v = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (v >= 0 && !(fmt->streams[v]->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
        const AVCodecParameters *par = fmt->streams[v]->codecpar;
        out->has_video = 1;
        out->width = par->width;
        out->height = par->height;
    }
out:
    avformat_close_input(&fmt);
    return 0;
}
