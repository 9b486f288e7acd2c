/* Planar <-> interleaved float sample copies, shared by the loudness meter
 * (libebur128 wants interleaved frames) and the spool file. */
#ifndef AVE_ENHANCE_INTERLEAVE_H
#define AVE_ENHANCE_INTERLEAVE_H

#include <stddef.h>

/* out[i*channels + c] = planes[c][offset + i] for i < frames. */
static inline void enh_interleave(const float *const *planes, int channels, size_t offset,
                                  size_t frames, float *out)
{
    for (size_t i = 0; i < frames; i++)
        for (int c = 0; c < channels; c++)
            out[i * (size_t)channels + (size_t)c] = planes[c][offset + i];
}

/* planes[c][i] = in[i*channels + c] for i < frames. */
static inline void enh_deinterleave(const float *in, int channels, size_t frames, float *const *planes)
{
    for (size_t i = 0; i < frames; i++)
        for (int c = 0; c < channels; c++)
            planes[c][i] = in[i * (size_t)channels + (size_t)c];
}

#endif
