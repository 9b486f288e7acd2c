/* Test and benchmark hooks of the denoiser (internal). */
#ifndef AVE_ENHANCE_DENOISE_INTERNAL_H
#define AVE_ENHANCE_DENOISE_INTERNAL_H

#include "enhance/denoise.h"

/* on != 0: run the full STFT path with every gain forced to 1, to check
 * that analysis + synthesis reconstruct the input. */
void denoise_set_unity_gain(ave_denoiser *d, int on);

/* Replaces the tracked noise PSD with a known one, so a benchmark can
 * measure what the gain rule reaches when the noise is known (the ceiling
 * of noise tracking). psd holds frames x (n/2 + 1) values with n =
 * ave_denoiser_latency(d), scaled like |FFT(x w)|^2 with w the periodic
 * sqrt-Hann window; frame h covers input samples [(h + 1) n/4 - n,
 * (h + 1) n/4) (zeros before the start). Frames past the end fall back to
 * the tracker. The caller keeps psd alive while processing; NULL turns the
 * oracle off. */
void denoise_set_noise_oracle(ave_denoiser *d, const float *psd, size_t frames);

/* on == 0: the voicing-context gate off (every frame as if near a voiced
 * one), the denoiser as it was before the gate; for tests comparing the two.
 * Latency is unchanged. */
void denoise_set_voicing_gate(ave_denoiser *d, int on);

#endif
