/* Temporal cepstrum smoothing of the speech PSD (internal): an a-priori
 * SNR estimator for the denoiser's gain rule (Breithaupt, Gerkmann &
 * Martin 2008). See denoise_cepstrum.c. */
#ifndef AVE_ENHANCE_DENOISE_CEPSTRUM_H
#define AVE_ENHANCE_DENOISE_CEPSTRUM_H

#include <stddef.h>

typedef struct denoise_cepstrum denoise_cepstrum;

/* bins = n / 2 + 1 of the STFT (n a power of two), rate in Hz, hop_s the
 * frame advance in seconds (the smoothing constants are per 16 ms and
 * converted). Creates an FFTW plan: like the denoiser's, creation and
 * freeing must be serialised by the caller. Returns NULL when out of
 * memory. Free with denoise_cepstrum_free. */
denoise_cepstrum *denoise_cepstrum_new(size_t bins, int rate, double hop_s);
void denoise_cepstrum_free(denoise_cepstrum *c);

/* One frame: from the periodogram and the noise PSD (bins values each,
 * noise > 0), writes the smoothed speech PSD estimate to speech (bins
 * values, caller's buffer; may not alias the inputs). */
void denoise_cepstrum_update(denoise_cepstrum *c, const float *power, const float *noise,
                             float *speech);

#endif
