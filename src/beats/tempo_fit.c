/* Tempo from beat times by robust least squares.
 *
 * The tracker's beats are quantised to its 8 ms frames but unbiased on
 * average, so a straight line t = a + P k through them gives the period P
 * far more precisely than any one interval (tempo_segments). The work is in
 * giving each beat its true index k despite missing beats (a gap of three
 * periods is three steps) and extra ones (a beat half-way between two is
 * rejected), and in refusing outliers. A tempo change breaks the line, so
 * the times are first split where the local tempo moves (median of nearby
 * intervals). Assumes sorted times and a tempo between 30 and 300 BPM. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "beats/beats_internal.h"

#define INLIER_FRAC 0.2  /* residual limit, share of a period */
#define TIGHT_FRAC 0.08  /* "on the grid" for the music confidence */
#define CHANGE_FRAC 0.03 /* local tempo moves this much: a new segment */
#define CHANGE_RUN 4     /* ... for this many intervals in a row */
#define GAP_PERIODS 4.5  /* no beat for this long: a new segment */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n) (reordered); n > 0. */
static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Least squares t = a + p k over the beats with use[i]; 0 or -1. */
static int line_fit(const double *t, const long *k, const unsigned char *use, size_t n, double *a,
                    double *p)
{
    double sk = 0, st = 0, skk = 0, skt = 0, m = 0, den;

    for (size_t i = 0; i < n; i++) {
        if (!use[i])
            continue;
        sk += (double)k[i];
        st += t[i];
        skk += (double)k[i] * (double)k[i];
        skt += (double)k[i] * t[i];
        m++;
    }
    den = m * skk - sk * sk;
    if (m < 2 || den <= 0)
        return -1;
    *p = (m * skt - sk * st) / den;
    *a = (st - *p * sk) / m;
    return *p > 0 ? 0 : -1;
}

/* Index every beat against the line, keep the closest beat per index within
 * INLIER_FRAC; returns the number kept. */
static size_t assign(const double *t, size_t n, double a, double p, long *k, unsigned char *use)
{
    size_t kept = 0;

    for (size_t i = 0; i < n; i++) {
        double x = (t[i] - a) / p;
        k[i] = lround(x);
        use[i] = fabs(x - (double)k[i]) < INLIER_FRAC;
    }
    for (size_t i = 1; i < n; i++) {
        if (!use[i] || !use[i - 1] || k[i] != k[i - 1])
            continue;
        double ri = fabs(t[i] - a - p * (double)k[i]), rj = fabs(t[i - 1] - a - p * (double)k[i]);
        use[ri < rj ? i - 1 : i] = 0;
    }
    for (size_t i = 0; i < n; i++)
        kept += use[i];
    return kept;
}

int beats_fit_tempo(const double *t, size_t n, beats_tempo_seg *out)
{
    double *d = NULL, p, a, prev;
    long *k = NULL, kp;
    unsigned char *use = NULL;
    size_t kept = 0;
    int ret = AVE_ERR_INPUT;

    memset(out, 0, sizeof(*out));
    if (n < 4)
        return AVE_ERR_INPUT;
    d = malloc((n - 1) * sizeof(*d));
    k = malloc(n * sizeof(*k));
    use = malloc(n);
    if (!d || !k || !use) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i + 1 < n; i++)
        d[i] = t[i + 1] - t[i];
    p = median(d, n - 1);
    if (p < 0.2 || p > 2.0)
        goto out;
    /* First pass: step from the last accepted beat, so one wrong beat never
     * shifts the indexes after it. */
    k[0] = 0;
    use[0] = 1;
    prev = t[0];
    kp = 0;
    for (size_t i = 1; i < n; i++) {
        double x = (t[i] - prev) / p;
        long r = lround(x);
        use[i] = r >= 1 && fabs(x - (double)r) < 0.3;
        if (use[i]) {
            k[i] = kp + r;
            kp = k[i];
            prev = t[i];
        } else {
            k[i] = kp;
        }
    }
    if (line_fit(t, k, use, n, &a, &p) < 0)
        goto out;
    for (int iter = 0; iter < 3; iter++) {
        kept = assign(t, n, a, p, k, use);
        if (kept < 4 || line_fit(t, k, use, n, &a, &p) < 0)
            goto out;
    }
    kept = assign(t, n, a, p, k, use);
    if (kept < 4)
        goto out;
    out->period_s = p;
    out->offset_s = a;
    out->inliers = kept;
    out->k_first = INT32_MAX;
    out->k_last = INT32_MIN;
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        double r = t[i] - a - p * (double)k[i];
        if (!use[i])
            continue;
        ss += r * r;
        out->tight += fabs(r) < TIGHT_FRAC * p;
        if (k[i] < out->k_first)
            out->k_first = (int)k[i];
        if (k[i] > out->k_last)
            out->k_last = (int)k[i];
    }
    out->rms_s = sqrt(ss / (double)kept);
    ret = 0;
out:
    free(d);
    free(k);
    free(use);
    return ret;
}

/* Local period around interval i: median of up to 9 intervals. */
static double local_period(const double *t, size_t n, size_t i)
{
    double w[9];
    size_t m = 0, lo = i >= 4 ? i - 4 : 0;

    for (size_t j = lo; j + 1 < n && j <= i + 4; j++)
        w[m++] = t[j + 1] - t[j];
    return median(w, m);
}

/* Fit beats [a, b) and append the fit when it succeeds. */
static void fit_part(const double *t, size_t a, size_t b, beats_tempo_seg *s, size_t *ns,
                     size_t cap)
{
    beats_tempo_seg fit;

    /* Speech and noise give a few beats that happen to line up; a steady
     * part needs six, mostly tight. */
    if (b > a && *ns < cap && beats_fit_tempo(t + a, b - a, &fit) == 0 && fit.inliers >= 6 &&
        2 * fit.tight >= fit.inliers)
        s[(*ns)++] = fit;
}

int beats_fit_segments(const double *t, size_t n, beats_tempo_seg **segs, size_t *count)
{
    beats_tempo_seg *s = NULL;
    size_t ns = 0, start = 0, run = 0, cap = n / 4 + 1;
    double ref;

    *segs = NULL;
    *count = 0;
    if (n < 4)
        return 0;
    s = malloc(cap * sizeof(*s));
    if (!s)
        return AVE_ERR_NOMEM;
    ref = local_period(t, n, 0);
    /* Interval i lies between beats i and i+1. A change confirmed at i began
     * at interval c = i - CHANGE_RUN + 1: beats up to c stay with the old
     * tempo, the new part starts at beat c (the robust fit drops whichever
     * side it does not fit). */
    for (size_t i = 1; i + 1 < n; i++) {
        double lp = local_period(t, n, i);

        /* A long gap: the music stopped or the tracker lost it; fit each
         * side alone. */
        if (t[i + 1] - t[i] > GAP_PERIODS * ref) {
            fit_part(t, start, i + 1, s, &ns, cap);
            start = i + 1;
            ref = local_period(t, n, i + 1 + 4 < n ? i + 1 + 4 : i + 1);
            run = 0;
            continue;
        }
        run = fabs(lp - ref) > CHANGE_FRAC * ref ? run + 1 : 0;
        if (run < CHANGE_RUN)
            continue;
        size_t c = i + 1 - CHANGE_RUN;
        fit_part(t, start, c + 1, s, &ns, cap);
        start = c;
        ref = lp;
        run = 0;
    }
    fit_part(t, start, n, s, &ns, cap);
    *segs = s;
    *count = ns;
    return 0;
}

int beats_fit_loose(const double *t, size_t n, beats_tempo_seg **segs, size_t *count)
{
    beats_tempo_seg fit, *s;
    int ret = beats_fit_tempo(t, n, &fit);

    if (ret == AVE_ERR_NOMEM)
        return ret;
    if (ret < 0)
        return 0; /* fewer than 4 beats agree: keep what there was */
    if (!(s = malloc(sizeof(*s))))
        return AVE_ERR_NOMEM;
    *s = fit;
    free(*segs);
    *segs = s;
    *count = 1;
    return 0;
}

double beats_music_confidence(const beats_tempo_seg *segs, size_t nseg, size_t nraw)
{
    double tight = 0;

    if (nraw == 0)
        return 0;
    for (size_t i = 0; i < nseg; i++)
        tight += (double)segs[i].tight;
    return tight >= (double)nraw ? 1.0 : tight / (double)nraw;
}

double beats_grid_quality(const beats_tempo_seg *segs, size_t nseg, double duration_s)
{
    double w = 0, q = 0, covered = 0;

    for (size_t i = 0; i < nseg; i++) {
        double r = segs[i].rms_s / 0.02, n = (double)(segs[i].k_last - segs[i].k_first + 1);
        q += n * exp(-r * r);
        w += n;
        covered += n * segs[i].period_s;
    }
    if (w <= 0 || duration_s <= 0)
        return 0;
    covered /= duration_s;
    return q / w * (covered > 1 ? 1 : covered);
}
