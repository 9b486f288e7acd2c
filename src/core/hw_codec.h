/* Which hardware path a decoder has on a device type (internal). Shared by
 * the gpu stage's probe, which reports what was found, and render's GPU
 * decoder, which uses it: the two must agree on what "decodes on" means. */
#ifndef AVE_CORE_HW_CODEC_H
#define AVE_CORE_HW_CODEC_H

#include <libavcodec/avcodec.h>
#include <libavutil/hwcontext.h>

/* The pixel format in which codec's decoder hands frames back on a device of
 * the given type through a device context (the only method render sets
 * up), or AV_PIX_FMT_NONE when it has no such path. codec may be NULL. */
enum AVPixelFormat ave_hw_decode_format(const AVCodec *codec, enum AVHWDeviceType type);

#endif
