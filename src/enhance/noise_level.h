/* Broadband level of the noise, frame by frame (internal to the denoiser).
 *
 * The PSD tracker (noise_estimate.c) averages over seconds, so noise whose
 * level swings (a fan ramping, traffic passing, modulated hum) is always
 * estimated late: too low as it rises, too high as it falls. This module
 * splits the noise into a spectral shape, which the tracker follows at its
 * own pace on level-normalised frames, and a level factor that follows
 * the frame at once. Pink noise whose level swings by 8 dB at 0.5 Hz, at
 * 5 dB SNR: 4.6 dB SI-SDR improvement without it, 7.3 with it
 * (bench/bench_enhance.sh, docs/ENHANCE.md). */
#ifndef AVE_ENHANCE_NOISE_LEVEL_H
#define AVE_ENHANCE_NOISE_LEVEL_H

#include <stddef.h>

typedef struct noise_level noise_level;

/* bins = frame / 2 + 1 spectral bins of a frame of `frame` samples at
 * `rate` Hz, one frame every hop_s seconds. NULL when out of memory; free
 * with noise_level_free. */
noise_level *noise_level_new(size_t bins, size_t frame, int rate, double hop_s);
void noise_level_free(noise_level *nl);

/* Level of this frame's noise relative to shape (the tracker's PSD of the
 * normalised frames so far), from the frame's periodogram power: a
 * factor for shape, at most +5 dB; 1 while the level stays within 1 dB
 * of the shape's, during the first quarter second (the shape is not known
 * yet), and whenever recent frames do not look like noise alone (clean
 * speech). */
float noise_level_update(noise_level *nl, const float *power, const float *shape);

#endif
