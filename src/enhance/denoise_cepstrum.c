/* Temporal cepstrum smoothing (TCS) of the speech PSD, the a-priori SNR
 * estimator of Breithaupt, Gerkmann & Martin (ICASSP 2008).
 *
 * The maximum-likelihood speech PSD max(|Y|^2 - N, xi_ml_min N) of one
 * frame is taken to the cepstral domain (log, then a DCT-I over the n/2+1
 * bins: the real cepstrum of the even log spectrum). The DCT-I is a
 * complex-to-real FFT of size n with zero imaginary parts: three times
 * faster than FFTW's REDFT00 of 1025 points. Each quefrency is smoothed
 * over time with its own weight: none for the low quefrencies (below
 * 0.375 ms: the spectral envelope, which must follow the speech at
 * once), little around the pitch peak (the harmonic structure of voiced
 * speech), strong everywhere else (the fine structure of noise, whose
 * frame-to-frame variance is what makes musical noise). The weights are
 * themselves smoothed over time so a jumping pitch estimate does not
 * switch them abruptly. Back in the spectral domain, exp() of a smoothed
 * log is the geometric mean, which is below the arithmetic mean; a
 * constant log-domain bias term (half Euler's constant, as in the paper)
 * compensates part of it.
 * Assumes an STFT of n = 2 (bins - 1) points (a power of two). */
#include "enhance/denoise_cepstrum.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>

/* Constants of the paper (8 kHz, 16 ms hop), quefrencies in seconds. */
#define TCS_HOP_REF 0.016
#define TCS_BETA_CONST 0.97   /* fine structure: strong smoothing */
#define TCS_BETA_PITCH 0.2    /* around the pitch peak */
#define TCS_BETA_SMOOTH 0.96  /* smoothing of the weights themselves */
#define TCS_ENV_Q 0.000375    /* quefrencies below: envelope, unsmoothed */
#define TCS_PITCH_HALF 0.00025 /* half width of the pitch region */
#define TCS_F0_LO 70.0
#define TCS_F0_HI 500.0
#define TCS_PITCH_THR 0.2     /* cepstral peak that counts as voiced */
#define TCS_XI_ML_MIN_DB -25.0 /* floor of the ML speech PSD, relative to the noise */
#define TCS_BIAS 0.2886078f   /* 0.5 * Euler's constant */
#define TCS_RANGE 1e-6f       /* ML floor relative to the frame's largest bin */

struct denoise_cepstrum {
    size_t bins;
    size_t q_env, q_lo, q_hi, q_half; /* quefrency limits in samples */
    float beta_const, beta_pitch, beta_smooth;
    float xi_ml_min, bias;
    fftwf_complex *spec; /* DCT-I input: real parts, imaginary 0 (fftwf_malloc) */
    float *buf;       /* DCT-I output, n values (fftwf_malloc) */
    float *smooth;    /* smoothed cepstrum */
    float *beta;      /* smoothed weights */
    int first;
    fftwf_plan dct;
};

static float per_hop(double beta, double hop_s)
{
    return (float)pow(beta, hop_s / TCS_HOP_REF);
}

denoise_cepstrum *denoise_cepstrum_new(size_t bins, int rate, double hop_s)
{
    denoise_cepstrum *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->bins = bins;
    c->q_env = (size_t)ceil(TCS_ENV_Q * rate);
    c->q_lo = (size_t)floor(rate / TCS_F0_HI);
    c->q_hi = (size_t)ceil(rate / TCS_F0_LO);
    if (c->q_hi > bins - 2)
        c->q_hi = bins - 2;
    c->q_half = (size_t)ceil(TCS_PITCH_HALF * rate);
    c->beta_const = per_hop(TCS_BETA_CONST, hop_s);
    c->beta_pitch = per_hop(TCS_BETA_PITCH, hop_s);
    c->beta_smooth = per_hop(TCS_BETA_SMOOTH, hop_s);
    c->xi_ml_min = (float)pow(10.0, TCS_XI_ML_MIN_DB / 10.0);
    c->bias = TCS_BIAS;
    c->first = 1;
    c->spec = fftwf_malloc(bins * sizeof(fftwf_complex));
    c->buf = fftwf_malloc(2 * (bins - 1) * sizeof(float));
    c->smooth = calloc(bins, sizeof(float));
    c->beta = calloc(bins, sizeof(float));
    if (!c->spec || !c->buf || !c->smooth || !c->beta)
        goto fail;
    c->dct = fftwf_plan_dft_c2r_1d((int)(2 * (bins - 1)), c->spec, c->buf, FFTW_ESTIMATE);
    if (!c->dct)
        goto fail;
    for (size_t q = 0; q < bins; q++)
        c->beta[q] = q < c->q_env ? 0.0f : c->beta_const;
    return c;
fail:
    denoise_cepstrum_free(c);
    return NULL;
}

void denoise_cepstrum_free(denoise_cepstrum *c)
{
    if (!c)
        return;
    if (c->dct)
        fftwf_destroy_plan(c->dct);
    fftwf_free(c->spec);
    fftwf_free(c->buf);
    free(c->smooth);
    free(c->beta);
    free(c);
}

void denoise_cepstrum_update(denoise_cepstrum *c, const float *power, const float *noise,
                             float *speech)
{
    const size_t bins = c->bins;
    /* The c2r transform is n times the inverse real DFT: norm gives the
     * cepstrum; the same transform of the cepstrum gives the log back. */
    const float norm = 1.0f / (float)(2 * (bins - 1));
    size_t peak = 0;
    float peak_val = 0.0f, top = 0.0f;

    /* The ML floor is relative to the noise; without noise (clean or
     * synthetic input) the valleys between harmonics would reach -150 dB,
     * and a few percent of smoothing error on such a log ripple misplaces
     * the harmonic peaks by tens of dB. A second floor 60 dB under the
     * frame's largest bin bounds that range. */
    for (size_t k = 0; k < bins; k++)
        top = power[k] > top ? power[k] : top;
    top *= TCS_RANGE;
    for (size_t k = 0; k < bins; k++) {
        float floor_ = c->xi_ml_min * noise[k], ml = power[k] - noise[k];
        floor_ = floor_ > top ? floor_ : top;
        c->spec[k][0] = logf(ml > floor_ ? ml : floor_);
        c->spec[k][1] = 0.0f;
    }
    fftwf_execute(c->dct);
    for (size_t q = c->q_lo; q <= c->q_hi; q++)
        if (c->buf[q] > peak_val) {
            peak_val = c->buf[q];
            peak = q;
        }
    peak_val *= norm;
    for (size_t q = c->q_env; q < bins; q++) {
        float target = c->beta_const;
        if (peak_val > TCS_PITCH_THR && q + c->q_half >= peak && q <= peak + c->q_half)
            target = c->beta_pitch;
        c->beta[q] = c->beta_smooth * c->beta[q] + (1.0f - c->beta_smooth) * target;
    }
    for (size_t q = 0; q < bins; q++) {
        float b = c->first ? 0.0f : c->beta[q];
        c->smooth[q] = b * c->smooth[q] + (1.0f - b) * c->buf[q] * norm;
        c->spec[q][0] = c->smooth[q];
        c->spec[q][1] = 0.0f;
    }
    c->first = 0;
    fftwf_execute(c->dct);
    for (size_t k = 0; k < bins; k++)
        speech[k] = expf(c->buf[k] + c->bias);
}
