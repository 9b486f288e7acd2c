/* Spectral gain rule of the denoiser (internal): decision-directed
 * a-priori SNR and the log-spectral-amplitude MMSE gain (Ephraim & Malah
 * 1985) weighted by a speech presence probability (Cohen's OM-LSA), with
 * a gain floor; optionally the two-step a-priori SNR refinement (Plapous,
 * Marro & Scalart 2006). */
#ifndef AVE_ENHANCE_DENOISE_GAIN_H
#define AVE_ENHANCE_DENOISE_GAIN_H

#include <stddef.h>

typedef struct denoise_gain_params {
    float alpha_dd;   /* decision-directed weight of the previous frame */
    float xi_min;     /* a-priori SNR floor (linear), musical-noise control */
    float g_min;      /* gain floor (linear) */
    float q_absence;  /* a-priori probability of speech absence, 0 = plain LSA */
    float noise_scale; /* weight on the noise PSD (< 1 favours speech) */
    int two_step;     /* 1: refine xi from the first gain (Plapous TSNR) */
} denoise_gain_params;

typedef struct denoise_gain denoise_gain;

/* Returns NULL when out of memory. Free with denoise_gain_free. */
denoise_gain *denoise_gain_new(size_t bins, const denoise_gain_params *p);
void denoise_gain_free(denoise_gain *g);

/* The two halves of denoise_gain_compute, so the absence prior can be
 * estimated from the a-priori SNR in between (denoise_absence.h).
 * denoise_gain_apriori returns this frame's a-priori SNR per bin (owned by
 * g, valid until the next call); denoise_gain_apply then writes the gains,
 * with absence = the prior probability of speech absence per bin, or NULL
 * for the fixed q_absence. */
const float *denoise_gain_apriori(denoise_gain *g, const float *power, const float *noise,
                                  const float *speech);
void denoise_gain_apply(denoise_gain *g, const float *power, const float *noise,
                        const float *absence, float *gain);

/* Compute the gain per bin for one frame from its periodogram and the
 * noise PSD; writes bins values to gain (caller's buffer). speech: an
 * a-priori speech PSD estimate (denoise_cepstrum.h) used for the a-priori
 * SNR instead of the decision-directed one, or NULL. */
void denoise_gain_compute(denoise_gain *g, const float *power, const float *noise,
                          const float *speech, float *gain);

/* Exponential integral E1(x) for x > 0 (exposed for the unit test). */
double denoise_expint_e1(double x);

#endif
