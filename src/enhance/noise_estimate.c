/* Noise PSD tracking for the speech enhancer.
 *
 * Main estimator: the noise periodogram expected given the observation,
 * E[|N|^2 | Y] = (1 - p)|Y|^2 + p * sigma2, where p is the posterior
 * probability of speech under a fixed "typical speech" a-priori SNR of
 * 15 dB; sigma2 is then smoothed recursively. It follows noise that
 * falls immediately; noise that rises under continuous speech is followed
 * slowly by the stagnation guard (p capped at 0.999 once it has stayed
 * high; 0.99 as in the paper made steady voiced bins of clean speech drift
 * into the estimate and cost 10 dB SI-SDR on clean input) and mainly by
 * the minimum-statistics floor below.
 * Safety net: minimum statistics (Martin 2001, simplified) over about
 * 1.5 s of smoothed periodograms, multiplied by a bias factor; when the
 * tracked noise falls below that floor it is raised to it, which catches
 * files that start with speech and steps in noise level under speech.
 * Time constants are specified per 16 ms and converted to the real hop,
 * so the behaviour does not depend on the sample rate or frame size. */
#include "enhance/noise_estimate.h"

#include <math.h>
#include <stdlib.h>

#define NE_SUBWIN 6            /* minimum-statistics sub-windows */
#define NE_SPAN_S 1.5          /* minimum-statistics search span */
#define NE_XI_H1 31.622776     /* a-priori SNR of present speech: 15 dB */
#define NE_MIN_BIAS 1.6f       /* min of smoothed periodogram -> mean */
#define NE_P_CAP 0.999f        /* stagnation guard on the presence probability */
#define NE_TINY 1e-20f         /* keeps ratios finite on digital silence */
#define NE_ALPHA_MIN 0.3f      /* lightest periodogram smoothing */
#define NE_INIT_S 0.1          /* plain averaging at the start */

struct noise_estimator {
    size_t bins;
    float alpha_n;     /* noise PSD smoothing */
    float alpha_p;     /* smoothing of the presence probability */
    float alpha_s;     /* periodogram smoothing for minimum statistics */
    size_t sub_len;    /* frames per sub-window */
    size_t sub_pos;    /* frames into the current sub-window */
    size_t sub_count;  /* finished sub-windows so far (saturates) */
    size_t sub_idx;    /* ring position of the next finished sub-window */
    size_t frames;
    size_t init_frames; /* frames averaged plainly to start */
    float *sigma2;     /* noise PSD estimate */
    float *pbar;       /* smoothed speech presence probability */
    float *smooth;     /* smoothed periodogram */
    float *cur_min;    /* minimum within the current sub-window */
    float *sub_min;    /* NE_SUBWIN x bins minima of finished sub-windows */
};

/* alpha given per 16 ms of hop, re-expressed for the real hop. */
static float rescale(double alpha16, double hop_s)
{
    return (float)pow(alpha16, hop_s / 0.016);
}

noise_estimator *noise_estimator_new(size_t bins, double hop_s)
{
    noise_estimator *ne = calloc(1, sizeof(*ne));
    size_t span_frames;

    if (!ne)
        return NULL;
    ne->bins = bins;
    ne->alpha_n = rescale(0.8, hop_s);
    ne->alpha_p = rescale(0.9, hop_s);
    ne->alpha_s = rescale(0.92, hop_s);
    span_frames = (size_t)(NE_SPAN_S / hop_s + 0.5);
    ne->init_frames = (size_t)(NE_INIT_S / hop_s + 0.5);
    if (ne->init_frames < 2)
        ne->init_frames = 2;
    ne->sub_len = span_frames / NE_SUBWIN ? span_frames / NE_SUBWIN : 1;
    ne->sigma2 = calloc(bins, sizeof(float));
    ne->pbar = calloc(bins, sizeof(float));
    ne->smooth = calloc(bins, sizeof(float));
    ne->cur_min = calloc(bins, sizeof(float));
    ne->sub_min = calloc(bins * NE_SUBWIN, sizeof(float));
    if (!ne->sigma2 || !ne->pbar || !ne->smooth || !ne->cur_min || !ne->sub_min) {
        noise_estimator_free(ne);
        return NULL;
    }
    return ne;
}

void noise_estimator_free(noise_estimator *ne)
{
    if (!ne)
        return;
    free(ne->sigma2);
    free(ne->pbar);
    free(ne->smooth);
    free(ne->cur_min);
    free(ne->sub_min);
    free(ne);
}

const float *noise_estimator_psd(const noise_estimator *ne)
{
    return ne->sigma2;
}

/* The first 0.1 s is averaged plainly: the estimate starts from the
 * observation itself. Speech in it is corrected within a few frames
 * afterwards, because an overestimate makes p small and the estimate then
 * follows |Y|^2 down. */
static void seed(noise_estimator *ne, const float *power)
{
    float w = 1.0f / (float)ne->frames;

    for (size_t k = 0; k < ne->bins; k++) {
        float p = power[k] > NE_TINY ? power[k] : NE_TINY;
        float m = ne->frames == 1 ? p : ne->sigma2[k] + w * (p - ne->sigma2[k]);
        ne->sigma2[k] = m;
        ne->smooth[k] = m;
        ne->cur_min[k] = m;
        for (size_t u = 0; u < NE_SUBWIN; u++)
            ne->sub_min[u * ne->bins + k] = m;
    }
}

/* Minimum statistics bookkeeping; returns the floor for bin k via out. */
static void track_minimum(noise_estimator *ne, const float *power)
{
    size_t bins = ne->bins;
    int sub_done;

    for (size_t k = 0; k < bins; k++) {
        /* Martin's time-varying smoothing: heavy while the smoothed power
         * sits at the noise level, light when it is far above it, so the
         * smoothed power falls into a pause quickly after loud speech. */
        float r = ne->smooth[k] / ne->sigma2[k] - 1.0f;
        float a = ne->alpha_s / (1.0f + r * r);
        float s;
        if (a < NE_ALPHA_MIN)
            a = NE_ALPHA_MIN;
        s = a * ne->smooth[k] + (1.0f - a) * power[k];
        ne->smooth[k] = s;
        if (s < ne->cur_min[k])
            ne->cur_min[k] = s;
    }
    sub_done = ++ne->sub_pos >= ne->sub_len;
    if (!sub_done)
        return;
    /* Close the sub-window: store its minimum and start a new one. */
    float *slot = ne->sub_min + ne->sub_idx * bins;
    for (size_t k = 0; k < bins; k++) {
        slot[k] = ne->cur_min[k];
        ne->cur_min[k] = ne->smooth[k];
    }
    ne->sub_idx = (ne->sub_idx + 1) % NE_SUBWIN;
    if (ne->sub_count < NE_SUBWIN)
        ne->sub_count++;
    ne->sub_pos = 0;
}

void noise_estimator_update(noise_estimator *ne, const float *power, int hint)
{
    const float xi = (float)NE_XI_H1;
    const float ratio = xi / (1.0f + xi);
    const float a_n = ne->alpha_n, a_p = ne->alpha_p;
    const float p_cap = hint == 0 ? 0.5f : NE_P_CAP;
    size_t bins = ne->bins;

    if (++ne->frames <= ne->init_frames) {
        seed(ne, power);
        return;
    }
    track_minimum(ne, power);
    for (size_t k = 0; k < bins; k++) {
        float s2 = ne->sigma2[k];
        float g = power[k] / s2;
        float post, e, floor_k;

        /* exp(-ratio*g) underflows to 0 for large g, giving post = 1. */
        post = 1.0f / (1.0f + (1.0f + xi) * expf(-ratio * g));
        ne->pbar[k] = a_p * ne->pbar[k] + (1.0f - a_p) * post;
        if (ne->pbar[k] > 0.99f && post > p_cap)
            post = p_cap;
        else if (post > 0.99f && hint == 0)
            post = p_cap;
        e = (1.0f - post) * power[k] + post * s2;
        s2 = a_n * s2 + (1.0f - a_n) * e;

        floor_k = ne->cur_min[k];
        for (size_t u = 0; u < ne->sub_count; u++) {
            float m = ne->sub_min[u * bins + k];
            if (m < floor_k)
                floor_k = m;
        }
        /* Only after a full span: before that the minimum may be speech. */
        if (ne->sub_count == NE_SUBWIN && s2 < floor_k * NE_MIN_BIAS)
            s2 = floor_k * NE_MIN_BIAS;
        ne->sigma2[k] = s2 > NE_TINY ? s2 : NE_TINY;
    }
}
