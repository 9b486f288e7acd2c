/* Voicing evidence of one frame: the harmonicity of its noise-reduced
 * spectrum (see denoise_voicing.c). */
#ifndef AVE_ENHANCE_DENOISE_VOICING_H
#define AVE_ENHANCE_DENOISE_VOICING_H

#include <stddef.h>

typedef struct denoise_voicing denoise_voicing;

/* n: the STFT length (a power of two); win: its n-point analysis window
 * (copied). NULL when out of memory. Free with denoise_voicing_free. */
denoise_voicing *denoise_voicing_new(size_t n, int rate, const float *win);
void denoise_voicing_free(denoise_voicing *v);

/* The frame's power spectrum (n/2+1 bins) in; out the largest normalised
 * autocorrelation of the frame over pitch lags (60-400 Hz), 0..1: mostly
 * under 0.6 for noise, over it in voiced speech, real or synthetic. */
float denoise_voicing_update(denoise_voicing *v, const float *power);

#endif
