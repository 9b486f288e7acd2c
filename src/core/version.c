/* Version string for --version, including the media libraries linked in,
 * since behaviour (codecs, demuxers) depends on them. */
#include <stdio.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>

#include "ave/ave.h"

#define AVE_VERSION_PART(v) AV_VERSION_MAJOR(v), AV_VERSION_MINOR(v), AV_VERSION_MICRO(v)

int ave_version_info(char *buf, size_t len)
{
    snprintf(buf, len,
             "ai-video-editor " AVE_VERSION_STRING
             " (libavformat %u.%u.%u, libavcodec %u.%u.%u, libavutil %u.%u.%u)",
             AVE_VERSION_PART(avformat_version()), AVE_VERSION_PART(avcodec_version()),
             AVE_VERSION_PART(avutil_version()));
    return 0;
}
