#include "core/hw_codec.h"

enum AVPixelFormat ave_hw_decode_format(const AVCodec *codec, enum AVHWDeviceType type)
{
    const AVCodecHWConfig *c;
    for (int i = 0; codec && (c = avcodec_get_hw_config(codec, i)); i++)
        if (c->device_type == type && (c->methods & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX))
            return c->pix_fmt;
    return AV_PIX_FMT_NONE;
}
