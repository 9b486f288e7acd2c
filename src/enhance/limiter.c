/* True-peak limiter (see limiter.h).
 *
 * Peaks between samples: a sample-peak limiter lets a reconstructed signal
 * overshoot by up to several dB (a sine at fs/4 with 45 degrees phase has
 * samples at 0.707 of its peak), and lossy codecs and DACs reconstruct it.
 * So every interval between two samples is evaluated at 3 extra points (4x
 * oversampling, as BS.1770 true peak) with a windowed-sinc interpolator of
 * 2 * HALF taps, and each sample's required gain is ceiling / the largest
 * reconstructed value in the intervals on both of its sides.
 *
 * Gain: the required gain is held by a sliding minimum over the lookahead
 * (L samples), released with a one-pole, and smoothed by an L-sample moving
 * average. The audio is delayed by L (+ HALF for the interpolator), so every
 * gain value averaged for a sample comes from a hold window containing that
 * sample: the applied gain is never above what that sample needs, and the
 * gain ramps down over the lookahead instead of clicking. Linked: one gain
 * for all channels, so the image does not shift.
 *
 * The interpolated output of a time-varying gain is not exactly the gain
 * times the interpolated input; the ceiling keeps a small internal margin
 * (MARGIN_DB) that covers that and the difference between our interpolator
 * and libebur128's. Assumes fs >= 8 kHz. Cost: 72 multiply-adds per sample
 * and channel plus O(1) gain work per sample frame, but only while a sample
 * in the interpolator's window is loud enough that a reconstructed value
 * could reach the ceiling (|x| > ceiling / sum|taps|, counted as samples
 * enter and leave the window); elsewhere the required gain is exactly 1 and
 * the interpolation is skipped, which is most of the time for speech. */
#include <math.h>
#include <stdlib.h>

#include "ave/error.h"
#include "enhance/limiter.h"

#define HALF 12         /* interpolator half length (taps per phase = 2 * HALF) */
#define PHASES 4        /* oversampling factor */
#define HRING 32        /* history ring size: a power of two >= 2 * HALF */
#define MARGIN_DB 0.05  /* internal ceiling below the requested one */
#define MAX_CHANNELS 64

struct ave_limiter {
    int channels;
    size_t L;       /* lookahead in samples (>= 1) */
    size_t latency; /* HALF + L */
    double ceiling; /* linear, with the margin */
    float quiet;    /* samples at or below this cannot reconstruct above the ceiling */
    int loud;       /* samples in the interpolator window above quiet, all channels */
    double a_rel;
    float taps[PHASES - 1][2 * HALF];

    float *hist;       /* channels x 2*HRING: each sample stored twice, HRING apart,
                        * so the last 2*HALF samples are always contiguous */
    unsigned hpos;     /* next write position in hist */
    float *delay;      /* channels x dlen, ring: audio waiting for its gain */
    size_t dlen, dpos;
    double prev_ip;    /* reconstructed peak of the previous interval */

    /* sliding minimum of required gains over L+1 samples: monotonic deque */
    double *dq_val;
    size_t *dq_idx;
    size_t dq_cap, dq_head, dq_len;
    size_t t; /* index of the sample whose required gain is computed next */

    double gs;      /* released gain */
    double *box;    /* L released gains, ring */
    size_t bpos;
    double bsum;
    double inv_L;
    size_t ones;    /* consecutive released gains of exactly 1 */
    double min_gain;
};

/* Blackman-windowed sinc taps for the points p/4 of the way from sample m
 * to m+1, over x[m-HALF+1 .. m+HALF]; each phase normalised to unit DC gain
 * so a constant input interpolates exactly. */
static void design(ave_limiter *l)
{
    for (int p = 1; p < PHASES; p++) {
        double sum = 0, frac = (double)p / PHASES;
        for (int k = 0; k < 2 * HALF; k++) {
            double d = (double)(k - HALF + 1) - frac; /* tap time minus point time */
            double s = fabs(d) < 1e-12 ? 1.0 : sin(M_PI * d) / (M_PI * d);
            double u = (d + HALF) / (2.0 * HALF); /* 0..1 across the window */
            double w = 0.5 - 0.5 * cos(2 * M_PI * u);
            l->taps[p - 1][k] = (float)(s * w);
            sum += s * w;
        }
        for (int k = 0; k < 2 * HALF; k++)
            l->taps[p - 1][k] = (float)(l->taps[p - 1][k] / sum);
    }
}

/* The largest factor by which the interpolator can raise a window's
 * largest magnitude (sum of |taps| of the worst phase, at least 1 for the
 * samples themselves), with a little headroom for float rounding. */
static double bound_gain(const ave_limiter *l)
{
    double worst = 1.0;

    for (int p = 0; p < PHASES - 1; p++) {
        double sum = 0;
        for (int k = 0; k < 2 * HALF; k++)
            sum += fabs(l->taps[p][k]);
        if (sum > worst)
            worst = sum;
    }
    return worst * 1.001;
}

int ave_limiter_new(ave_limiter **out, int channels, double fs, double ceiling_db,
                    double lookahead_ms, double release_ms)
{
    ave_limiter *l;
    size_t ch;

    *out = NULL;
    if (channels < 1 || channels > MAX_CHANNELS || fs < 1000 || ceiling_db > 0 ||
        lookahead_ms <= 0 || release_ms <= 0)
        return AVE_ERR_USAGE;
    if (!(l = calloc(1, sizeof(*l))))
        return AVE_ERR_NOMEM;
    ch = (size_t)channels;
    l->channels = channels;
    l->L = (size_t)(lookahead_ms * fs / 1000.0 + 0.5);
    if (l->L < 1)
        l->L = 1;
    l->latency = HALF + l->L;
    l->ceiling = pow(10.0, (ceiling_db - MARGIN_DB) / 20.0);
    l->a_rel = exp(-1000.0 / (release_ms * fs));
    l->dlen = l->latency + 1;
    l->dq_cap = l->L + 2;
    l->hist = calloc(ch * 2 * HRING, sizeof(float));
    l->delay = calloc(ch * l->dlen, sizeof(float));
    l->dq_val = calloc(l->dq_cap, sizeof(double));
    l->dq_idx = calloc(l->dq_cap, sizeof(size_t));
    l->box = calloc(l->L, sizeof(double));
    if (!l->hist || !l->delay || !l->dq_val || !l->dq_idx || !l->box) {
        ave_limiter_free(l);
        return AVE_ERR_NOMEM;
    }
    design(l);
    l->quiet = (float)(l->ceiling / bound_gain(l));
    for (size_t i = 0; i < l->L; i++)
        l->box[i] = 1.0;
    l->bsum = (double)l->L;
    l->inv_L = 1.0 / (double)l->L;
    l->ones = l->L;
    l->gs = 1.0;
    l->min_gain = 1.0;
    *out = l;
    return 0;
}

/* Largest reconstructed magnitude on the interval (m, m+1], where m is the
 * sample HALF-1 positions before the newest one in hist. */
static double interval_peak(const ave_limiter *l)
{
    double peak = 0;
    const unsigned first = (l->hpos + HRING - 2 * HALF) & (HRING - 1);

    for (int c = 0; c < l->channels; c++) {
        /* the last 2 * HALF samples, oldest first (hpos is the next write) */
        const float *x = l->hist + (size_t)c * 2 * HRING + first;
        for (int p = 0; p < PHASES - 1; p++) {
            float acc = 0;
            for (int k = 0; k < 2 * HALF; k++)
                acc += l->taps[p][k] * x[k];
            if (fabsf(acc) > peak)
                peak = fabsf(acc);
        }
        if (fabsf(x[HALF - 1]) > peak)
            peak = fabsf(x[HALF - 1]);
        if (fabsf(x[HALF]) > peak)
            peak = fabsf(x[HALF]);
    }
    return peak;
}

static size_t dq_at(const ave_limiter *l, size_t k)
{
    size_t i = l->dq_head + k;
    return i < l->dq_cap ? i : i - l->dq_cap;
}

/* Push the required gain of sample t into the sliding-minimum deque and
 * return the minimum over t-L .. t. */
static double hold_min(ave_limiter *l, double g)
{
    size_t t = l->t++, at;

    while (l->dq_len > 0 && l->dq_val[dq_at(l, l->dq_len - 1)] >= g)
        l->dq_len--;
    at = dq_at(l, l->dq_len);
    l->dq_val[at] = g;
    l->dq_idx[at] = t;
    l->dq_len++;
    while (l->dq_idx[l->dq_head] + l->L < t) {
        l->dq_head = dq_at(l, 1);
        l->dq_len--;
    }
    return l->dq_val[l->dq_head];
}

static double smooth(ave_limiter *l, double h)
{
    double g = h < l->gs ? h : l->a_rel * l->gs + (1 - l->a_rel) * h;

    /* the release only approaches 1; landing on it lets the idle path run */
    if (h == 1.0 && g > 1.0 - 1e-6)
        g = 1.0;
    l->ones = g == 1.0 ? l->ones + 1 : 0;
    l->gs = g;
    l->bsum += g - l->box[l->bpos];
    l->box[l->bpos] = g;
    if (++l->bpos == l->L) {
        /* recompute now and then so rounding in the running sum cannot drift */
        double s = 0;
        for (size_t i = 0; i < l->L; i++)
            s += l->box[i];
        l->bsum = s;
        l->bpos = 0;
    }
    return l->bsum * l->inv_L;
}

/* The gain path for a sample needing no gain while every gain in the hold
 * window and the moving average is already 1: the same result as
 * smooth(hold_min(1)) without the bookkeeping, which otherwise costs more
 * than the rest of the limiter on speech. */
static int idle(ave_limiter *l, double g)
{
    if (g != 1.0 || l->ones < l->L || l->dq_val[l->dq_head] != 1.0)
        return 0;
    l->dq_val[l->dq_head] = 1.0;
    l->dq_idx[l->dq_head] = l->t++;
    l->dq_len = 1;
    l->bsum = (double)l->L;
    return 1;
}

static void step(ave_limiter *l, const float *const *in, size_t i, float *const *out)
{
    const unsigned mask = HRING - 1;
    double ip, need, g;
    size_t rd;

    for (int c = 0; c < l->channels; c++) {
        float v = in ? in[c][i] : 0.0f;
        float *h = l->hist + (size_t)c * 2 * HRING;
        /* the sample leaving the window was written 2 * HALF steps ago */
        l->loud -= fabsf(h[(l->hpos - 2 * HALF) & mask]) > l->quiet;
        l->loud += fabsf(v) > l->quiet;
        h[l->hpos] = h[l->hpos + HRING] = v;
        l->delay[(size_t)c * l->dlen + l->dpos] = v;
    }
    l->hpos = (l->hpos + 1) & mask;
    /* the sample at the centre of hist is t = newest - HALF; its need covers
     * the intervals on both sides. A quiet window needs no gain: 0 stands in
     * for its peak, which only matters when it is above the ceiling. */
    ip = l->loud > 0 ? interval_peak(l) : 0.0;
    need = ip > l->prev_ip ? ip : l->prev_ip;
    l->prev_ip = ip;
    g = need > l->ceiling ? l->ceiling / need : 1.0;
    if (!idle(l, g))
        g = smooth(l, hold_min(l, g));
    if (g < l->min_gain)
        l->min_gain = g;
    /* the output sample is latency frames older than the newest one */
    rd = l->dpos + 1 < l->dlen ? l->dpos + 1 : 0;
    for (int c = 0; c < l->channels; c++)
        out[c][i] = (float)(l->delay[(size_t)c * l->dlen + rd] * g);
    l->dpos = rd;
}

void ave_limiter_run(ave_limiter *l, const float *const *in, float *const *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        step(l, in, i, out);
}

void ave_limiter_flush(ave_limiter *l, float *const *out)
{
    for (size_t i = 0; i < l->latency; i++)
        step(l, NULL, i, out);
}

size_t ave_limiter_latency(const ave_limiter *l)
{
    return l->latency;
}

double ave_limiter_min_gain_db(const ave_limiter *l)
{
    return 20 * log10(l->min_gain);
}

void ave_limiter_free(ave_limiter *l)
{
    if (!l)
        return;
    free(l->hist);
    free(l->delay);
    free(l->dq_val);
    free(l->dq_idx);
    free(l->box);
    free(l);
}
