/* Look-ahead gain smoothing of the speech enhancer: each bin's gain is
 * replaced by its median over the frames around it, the later ones
 * included, which a file-based chain can afford (it removes the latency).
 * Private to src/enhance. */
#ifndef AVE_ENHANCE_DENOISE_MEDIAN_H
#define AVE_ENHANCE_DENOISE_MEDIAN_H

#include <fftw3.h>
#include <stddef.h>

typedef struct denoise_median denoise_median;

/* radius: frames on each side (at most DENOISE_MEDIAN_MAX_RADIUS); delay:
 * frames between a push and the frame it completes (at least radius; more
 * gives the caller a longer look-ahead, the voicing gate's); bins per
 * frame. NULL when out of memory or radius too large. */
#define DENOISE_MEDIAN_MAX_RADIUS 16
denoise_median *denoise_median_new(size_t bins, size_t radius, size_t delay);
void denoise_median_free(denoise_median *m);

/* Frame t's spectrum and gains in. When frame t - delay has all its
 * neighbours, writes its spectrum times the median gains to out and
 * returns 1; returns 0 while the first `delay` frames fill. atten < 1
 * lowers those gains by that factor, but none under floor_ (a gain already
 * under it is kept). At the start
 * the window holds the frames that exist (fewer before the first frame);
 * the end is reached by pushing frames of zeros (the denoiser's flush). */
int denoise_median_push(denoise_median *m, const fftwf_complex *spec, const float *gain,
                        fftwf_complex *out, float atten, float floor_);

#endif
