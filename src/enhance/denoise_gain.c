/* Gain rule of the speech enhancer.
 *
 * For each bin: posterior SNR gamma = |Y|^2 / noise, decision-directed
 * a-priori SNR xi = a * A_prev^2 / noise + (1 - a) * max(gamma - 1, 0)
 * floored at xi_min (the floor is what keeps isolated noise peaks from
 * turning into "musical" tones), the log-MMSE gain
 * G = xi / (1 + xi) * exp(E1(v) / 2), v = xi * gamma / (1 + xi), and the
 * OM-LSA combination G^p * Gmin^(1 - p) with p the speech presence
 * probability, so bins judged noise go to the floor smoothly instead of
 * flickering. Two-step option (TSNR): the decision-directed xi lags one
 * frame behind onsets and offsets; xi2 = G(xi)^2 * gamma is the same
 * estimate without that delay (Plapous et al. 2006), and the LSA gain is
 * taken again from xi2 (+0.3..0.5 dB SI-SDR on the bench); the presence
 * probability keeps using the first (smoother) xi. The prior
 * probability of speech absence in that weighting is either fixed or
 * given per bin (denoise_absence.c). With a
 * cepstrally smoothed speech PSD S (denoise_cepstrum.c) the first xi is
 * the geometric mean of the decision-directed one and S / noise: either
 * alone scored lower on the bench (docs/ENHANCE.md). Assumes the noise
 * PSD never reaches 0 (the tracker floors it). */
#include "enhance/denoise_gain.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* exp(E1(v)/2) is tabulated for v in [2^LSA_LO, 2^LSA_HI] at LSA_STEPS
 * evenly spaced points per octave (v = 2^e * (1 + j / LSA_STEPS)) and
 * interpolated linearly: E1 costs a series or exp per call, which made it
 * most of the run time. That grid is indexed straight from the float's
 * exponent and mantissa bits, so a lookup needs no log either. */
#define LSA_LO (-20)
#define LSA_HI 4
#define LSA_STEPS 32
#define LSA_SIZE ((LSA_HI - LSA_LO) * LSA_STEPS + 1)
#define LSA_V_LO 0x1p-20f /* 2^LSA_LO */
#define DG_XI_MAX 1e6f    /* 60 dB: the gain is 1 long before */

struct denoise_gain {
    size_t bins;
    denoise_gain_params p;
    float *prev_amp2;   /* |A|^2 of the previous frame's speech estimate */
    float *xi;          /* this frame's a-priori SNR (denoise_gain_apriori) */
    int first;
    float lsa[LSA_SIZE];
};

/* E1: power series below 1, a rational approximation above (Abramowitz &
 * Stegun 5.1.56, relative error < 5e-5); both are accurate enough for a
 * gain that is then floored and quantised to float. */
double denoise_expint_e1(double x)
{
    if (x <= 0.0)
        return INFINITY;
    if (x < 1.0) {
        double sum = 0.0, term = 1.0;
        for (int k = 1; k <= 18; k++) {
            term *= -x / k;                 /* (-x)^k / k! */
            sum -= term / k;
        }
        return -0.5772156649015329 - log(x) + sum;
    }
    double num = x * x + 2.334733 * x + 0.250621;
    double den = x * x + 3.330657 * x + 1.681534;
    return exp(-x) / x * num / den;
}

denoise_gain *denoise_gain_new(size_t bins, const denoise_gain_params *p)
{
    denoise_gain *g = calloc(1, sizeof(*g));

    if (!g)
        return NULL;
    g->bins = bins;
    g->p = *p;
    g->first = 1;
    for (int i = 0; i < LSA_SIZE; i++) {
        double v = ldexp(1.0 + (double)(i % LSA_STEPS) / LSA_STEPS, LSA_LO + i / LSA_STEPS);
        g->lsa[i] = (float)exp(0.5 * denoise_expint_e1(v));
    }
    g->prev_amp2 = calloc(bins, sizeof(float));
    g->xi = calloc(bins, sizeof(float));
    if (!g->prev_amp2 || !g->xi) {
        denoise_gain_free(g);
        return NULL;
    }
    return g;
}

void denoise_gain_free(denoise_gain *g)
{
    if (!g)
        return;
    free(g->prev_amp2);
    free(g->xi);
    free(g);
}

/* exp(E1(v)/2); above 16 it is 1 within 1e-8. */
static float lsa_factor(const denoise_gain *g, float v)
{
    uint32_t bits;
    int e, i;
    float frac;

    if (v >= (float)(1 << LSA_HI))
        return 1.0f;
    if (!(v > LSA_V_LO))
        return g->lsa[0];
    memcpy(&bits, &v, sizeof(bits));
    e = (int)(bits >> 23) - 127;        /* v = 2^e * (1 + mantissa / 2^23) */
    frac = (float)(bits & 0x7fffffu) * (float)LSA_STEPS / 8388608.0f;
    i = (e - LSA_LO) * LSA_STEPS + (int)frac;
    frac -= (float)(int)frac;
    if (i >= LSA_SIZE - 1)
        return g->lsa[LSA_SIZE - 1];
    return g->lsa[i] + frac * (g->lsa[i + 1] - g->lsa[i]);
}

const float *denoise_gain_apriori(denoise_gain *g, const float *power, const float *noise,
                                 const float *speech)
{
    const denoise_gain_params *p = &g->p;
    const float ns = p->noise_scale;

    for (size_t k = 0; k < g->bins; k++) {
        float gamma = power[k] / (noise[k] * ns);
        float ml, xi;

        if (gamma > 1e4f)
            gamma = 1e4f;
        ml = gamma - 1.0f > 0.0f ? gamma - 1.0f : 0.0f;
        xi = g->first ? ml : p->alpha_dd * g->prev_amp2[k] / (noise[k] * ns) + (1.0f - p->alpha_dd) * ml;
        if (speech)
            xi = sqrtf(xi * speech[k] / (noise[k] * ns));
        /* Over a noise estimate at the tracker's floor (digital silence
         * before the speech) the ratios overflow to inf, and inf / inf in
         * v made a NaN that the decision-directed recursion kept forever,
         * with every gain at the floor: a file opening with 0.4 s of
         * digital silence came out 25 dB quieter. !(<=) also catches NaN. */
        if (!(xi <= DG_XI_MAX))
            xi = DG_XI_MAX;
        if (xi < p->xi_min)
            xi = p->xi_min;
        g->xi[k] = xi;
    }
    return g->xi;
}

void denoise_gain_apply(denoise_gain *g, const float *power, const float *noise,
                        const float *absence, float *gain)
{
    const denoise_gain_params *p = &g->p;
    const float q_fixed = p->q_absence > 0.0f ? p->q_absence / (1.0f - p->q_absence) : 0.0f;
    const float ns = p->noise_scale;
    const float log_gmin = logf(p->g_min);

    for (size_t k = 0; k < g->bins; k++) {
        float gamma = power[k] / (noise[k] * ns);
        float xi = g->xi[k], v, g_lsa, gk, q_ratio;

        if (gamma > 1e4f)
            gamma = 1e4f;
        v = xi * gamma / (1.0f + xi);
        g_lsa = xi / (1.0f + xi) * lsa_factor(g, v);
        if (g_lsa > 1.0f)
            g_lsa = 1.0f;
        g->prev_amp2[k] = g_lsa * g_lsa * power[k];
        if (p->two_step) {
            float xi2 = g_lsa * g_lsa * gamma;
            if (xi2 < p->xi_min)
                xi2 = p->xi_min;
            g_lsa = xi2 / (1.0f + xi2) * lsa_factor(g, xi2 * gamma / (1.0f + xi2));
            if (g_lsa > 1.0f)
                g_lsa = 1.0f;
        }
        gk = g_lsa;
        q_ratio = absence ? absence[k] / (1.0f - absence[k]) : q_fixed;
        if (q_ratio > 0.0f) {
            /* p = 1 / (1 + q/(1-q) * (1 + xi) * exp(-v)) */
            float presence = v > 40.0f ? 1.0f : 1.0f / (1.0f + q_ratio * (1.0f + xi) * expf(-v));
            gk = expf(presence * logf(g_lsa > 1e-30f ? g_lsa : 1e-30f) + (1.0f - presence) * log_gmin);
        }
        gain[k] = gk > p->g_min ? gk : p->g_min;
    }
    g->first = 0;
}

void denoise_gain_compute(denoise_gain *g, const float *power, const float *noise,
                          const float *speech, float *gain)
{
    denoise_gain_apriori(g, power, noise, speech);
    denoise_gain_apply(g, power, noise, NULL, gain);
}
