/* Noise power spectral density tracker for the denoiser (internal).
 *
 * Per frequency bin it keeps a noise PSD estimate that follows changing
 * noise: a long-term (2 s) average of the bins that a speech presence
 * probability (Gerkmann & Hendriks 2012) judges noise-only, and, as a
 * safety net, a bias-compensated minimum-statistics floor that pulls the
 * estimate up when the noise rises while speech keeps the bins gated. */
#ifndef AVE_ENHANCE_NOISE_ESTIMATE_H
#define AVE_ENHANCE_NOISE_ESTIMATE_H

#include <stddef.h>

typedef struct noise_estimator noise_estimator;

/* bins: number of spectral bins; hop_s: time between frames in seconds.
 * Returns NULL when out of memory. Free with noise_estimator_free. */
noise_estimator *noise_estimator_new(size_t bins, double hop_s);
void noise_estimator_free(noise_estimator *ne);

/* Feed one frame's periodogram (|Y|^2 per bin, bins values; for frames
 * only partly filled at the start of a stream, scaled up to a full
 * frame's energy by the caller). hint: 1 the
 * pipeline thinks this is speech, 0 a pause, -1 unknown. The updated noise
 * PSD is available through noise_estimator_psd. */
void noise_estimator_update(noise_estimator *ne, const float *power, int hint);

/* Current estimate, bins values (borrowed; valid until the next update). */
const float *noise_estimator_psd(const noise_estimator *ne);

#endif
