/* Look-ahead gain smoothing of the speech enhancer: each bin's gain is
 * replaced by its median over the frames around it, the later ones
 * included, which a file-based chain can afford (it removes the latency).
 * Private to src/enhance. */
#ifndef AVE_ENHANCE_DENOISE_MEDIAN_H
#define AVE_ENHANCE_DENOISE_MEDIAN_H

#include <fftw3.h>
#include <stddef.h>

typedef struct denoise_median denoise_median;

/* radius: frames on each side (at most DENOISE_MEDIAN_MAX_RADIUS); bins
 * per frame. NULL when out of memory or radius too large. */
#define DENOISE_MEDIAN_MAX_RADIUS 16
denoise_median *denoise_median_new(size_t bins, size_t radius);
void denoise_median_free(denoise_median *m);

/* Frame t's spectrum and gains in. When frame t - radius has all its
 * neighbours, writes its spectrum times the median gains to out and
 * returns 1; returns 0 while the first `radius` frames fill. At the start
 * the window holds the frames that exist (fewer before the first frame);
 * the end is reached by pushing frames of zeros (the denoiser's flush). */
int denoise_median_push(denoise_median *m, const fftwf_complex *spec, const float *gain,
                        fftwf_complex *out);

#endif
