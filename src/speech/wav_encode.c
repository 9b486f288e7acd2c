/* WAV encoding for uploads: the simplest container every transcription
 * service accepts, so no codec is needed. Little-endian fields are written
 * byte by byte, so the result does not depend on the host's byte order. */
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "speech/wav_encode.h"

static uint8_t *put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
    return p + 4;
}

static uint8_t *put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
    return p + 2;
}

int ave_wav_encode_s16(const int16_t *pcm, size_t n, int rate, uint8_t **out, size_t *len)
{
    uint64_t data = (uint64_t)n * 2;
    uint8_t *buf, *p;

    *out = NULL;
    *len = 0;
    if (rate <= 0 || data > 0xFFFFFFFFu - 36)
        return AVE_ERR_LIMIT;
    if (!(buf = malloc(44 + (size_t)data)))
        return AVE_ERR_NOMEM;
    p = buf;
    memcpy(p, "RIFF", 4), p = put32(p + 4, (uint32_t)(36 + data));
    memcpy(p, "WAVEfmt ", 8), p = put32(p + 8, 16);
    p = put16(p, 1);                       /* PCM */
    p = put16(p, 1);                       /* mono */
    p = put32(p, (uint32_t)rate);
    p = put32(p, (uint32_t)rate * 2);      /* bytes per second */
    p = put16(p, 2);                       /* block align */
    p = put16(p, 16);                      /* bits per sample */
    memcpy(p, "data", 4), p = put32(p + 4, (uint32_t)data);
    for (size_t i = 0; i < n; i++)
        p = put16(p, (uint16_t)pcm[i]);
    *out = buf;
    *len = (size_t)(p - buf);
    return 0;
}
