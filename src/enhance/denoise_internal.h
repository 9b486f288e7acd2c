/* Test hooks of the denoiser (internal; only unit tests use them). */
#ifndef AVE_ENHANCE_DENOISE_INTERNAL_H
#define AVE_ENHANCE_DENOISE_INTERNAL_H

#include "enhance/denoise.h"

/* on != 0: run the full STFT path with every gain forced to 1, to check
 * that analysis + synthesis reconstruct the input. */
void denoise_set_unity_gain(ave_denoiser *d, int on);

#endif
