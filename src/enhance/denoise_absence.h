/* A-priori probability of speech absence per bin and frame, for the
 * OM-LSA weighting of the denoiser's gain (Cohen & Berdugo 2001; the
 * estimator IMCRA also uses). Private to src/enhance. */
#ifndef AVE_ENHANCE_DENOISE_ABSENCE_H
#define AVE_ENHANCE_DENOISE_ABSENCE_H

#include <stddef.h>

typedef struct denoise_absence denoise_absence;

/* bins = n_fft / 2 + 1 at sample rate `rate`, one frame every hop_s
 * seconds. NULL when out of memory. Free with denoise_absence_free. */
denoise_absence *denoise_absence_new(size_t bins, int rate, double hop_s);
void denoise_absence_free(denoise_absence *a);

/* One frame's a-priori SNR per bin in; returns the absence probability
 * per bin (owned by a, valid until the next call). */
const float *denoise_absence_update(denoise_absence *a, const float *xi);

#endif
