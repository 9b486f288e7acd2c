/* The final beat grid: fitted tempo segments made whole and locked to onsets.
 *
 * aubio skips beats now and then and needs a few seconds before its first
 * one, so the grid comes from the fitted lines instead: every index between
 * a segment's first and last fitted beat, extended beat by beat towards the
 * neighbouring segment or the audio's ends while there is an onset where the
 * next beat should be. Each beat is then moved by the median offset between
 * the grid and the nearest strong onsets over its neighbours (+-8 beats):
 * that removes aubio's window lag and follows slow drift, while a single
 * syncopated or missing note moves nothing. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "beats/beats_internal.h"

#define LOCAL_BEATS 8     /* neighbours on each side for the offset median */
#define SUPPORT_FRAC 0.3  /* an onset this strong (share of the median) supports a beat */
#define MIN_RISE_DB 1.0

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double search_win(double period)
{
    return period * 0.2 < 0.05 ? period * 0.2 : 0.05;
}

/* Strength of the strongest onset near t (0 outside the envelope). */
static double onset_at(const beats_env *env, double t, double win)
{
    double pt, st;
    return beats_env_peak(env, env->flux, t, win, &pt, &st) == 0 ? st : 0;
}

/* Median onset strength at a segment's fitted beats, the support bar. */
static double support_level(const beats_env *env, const beats_tempo_seg *s)
{
    size_t n = (size_t)(s->k_last - s->k_first + 1), m = 0;
    double *v = malloc(n * sizeof(*v)), med;

    if (!v)
        return MIN_RISE_DB;
    for (int k = s->k_first; k <= s->k_last; k++)
        v[m++] = onset_at(env, s->offset_s + s->period_s * k, search_win(s->period_s));
    qsort(v, m, sizeof(*v), cmp_double);
    med = v[m / 2] * SUPPORT_FRAC;
    free(v);
    return med > MIN_RISE_DB ? med : MIN_RISE_DB;
}

/* Shift grid[0..n) (one segment) onto its onsets, in place. */
static int lock_phase(double *grid, size_t n, double period, const beats_env *env, double bar)
{
    double *off = malloc(n * sizeof(*off)), *w = malloc((2 * LOCAL_BEATS + 1) * sizeof(*w));
    unsigned char *ok = malloc(n);
    double *shift = malloc(n * sizeof(*shift));
    int ret = 0;

    if (!off || !w || !ok || !shift) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (size_t j = 0; j < n; j++) {
        double pt, st;
        ok[j] = beats_env_peak(env, env->flux, grid[j], search_win(period), &pt, &st) == 0 &&
                st >= bar;
        off[j] = ok[j] ? pt - grid[j] : 0;
    }
    for (size_t j = 0; j < n; j++) {
        size_t m = 0, lo = j >= LOCAL_BEATS ? j - LOCAL_BEATS : 0;
        for (size_t i = lo; i < n && i <= j + LOCAL_BEATS; i++)
            if (ok[i])
                w[m++] = off[i];
        if (m == 0) {
            shift[j] = 0;
            continue;
        }
        qsort(w, m, sizeof(*w), cmp_double);
        shift[j] = m % 2 ? w[m / 2] : 0.5 * (w[m / 2 - 1] + w[m / 2]);
    }
    for (size_t j = 0; j < n; j++)
        grid[j] += shift[j];
out:
    free(off);
    free(w);
    free(ok);
    free(shift);
    return ret;
}

/* Extend line g (in place: k_first/k_last) beat by beat while onsets
 * support the next beat, staying after prev_end and before next_start. */
static void extend(beats_tempo_seg *g, const beats_env *env, double bar, double prev_end,
                   double next_start, double duration_s)
{
    const double p = g->period_s, win = search_win(p);
    int k0 = g->k_first, k1 = g->k_last;

    while (g->offset_s + p * (k0 - 1) >= -win && g->offset_s + p * (k0 - 1) > prev_end + 0.5 * p &&
           onset_at(env, g->offset_s + p * (k0 - 1), win) >= bar)
        k0--;
    while (g->offset_s + p * (k1 + 1) < next_start && g->offset_s + p * (k1 + 1) < duration_s &&
           onset_at(env, g->offset_s + p * (k1 + 1), win) >= bar)
        k1++;
    g->k_first = k0;
    g->k_last = k1;
}

/* Refit line g to the onsets found at its beats (a longer, finer base than
 * aubio's beats); g is kept when too few onsets agree. */
static int refit(beats_tempo_seg *g, const beats_env *env, double bar)
{
    size_t m = (size_t)(g->k_last - g->k_first + 1), c = 0;
    double *t = malloc(m * sizeof(*t)), first = 0;
    beats_tempo_seg f;

    if (!t)
        return AVE_ERR_NOMEM;
    for (int k = g->k_first; k <= g->k_last; k++) {
        double pt, st;
        if (beats_env_peak(env, env->flux, g->offset_s + g->period_s * k, search_win(g->period_s),
                           &pt, &st) == 0 && st >= bar && (c == 0 || pt > t[c - 1]))
            t[c++] = pt;
    }
    if (c >= 4 && beats_fit_tempo(t, c, &f) == 0 && fabs(f.period_s / g->period_s - 1) < 0.03) {
        /* Re-index so that k counts from the old line's first beat. */
        first = g->offset_s + g->period_s * g->k_first;
        long shift = lround((f.offset_s - first) / f.period_s);
        f.offset_s -= f.period_s * (double)(g->k_first - shift);
        f.k_first += g->k_first - (int)shift;
        f.k_last += g->k_first - (int)shift;
        *g = f;
    }
    free(t);
    return 0;
}

int beats_build_grid(beats_tempo_seg *segs, size_t nseg, const beats_env *env, double duration_s,
                     double **beats, size_t *count)
{
    double *out = NULL, prev_end = -1e9;
    size_t n = 0, cap = 0;
    int ret = 0;

    *beats = NULL;
    *count = 0;
    for (size_t s = 0; s < nseg; s++) {
        beats_tempo_seg *g = &segs[s];
        const double bar = support_level(env, g);
        const double next_start = s + 1 < nseg
            ? segs[s + 1].offset_s + segs[s + 1].period_s * (segs[s + 1].k_first - 0.5)
            : duration_s;

        /* Extending with a slightly wrong period drifts off the onsets and
         * stops early; refitting on what was found and extending again
         * converges in a couple of rounds. */
        for (int it = 0; it < 3; it++) {
            extend(g, env, bar, prev_end, next_start, duration_s);
            if ((ret = refit(g, env, bar)) < 0)
                goto out;
        }
        extend(g, env, bar, prev_end, next_start, duration_s);
        const double p = g->period_s, win = search_win(p);
        size_t m = (size_t)(g->k_last - g->k_first + 1);
        if (n + m > cap) {
            size_t nc = (n + m) * 2;
            double *t = realloc(out, nc * sizeof(*t));
            if (!t) {
                ret = AVE_ERR_NOMEM;
                goto out;
            }
            out = t;
            cap = nc;
        }
        for (int k = g->k_first; k <= g->k_last; k++)
            out[n + (size_t)(k - g->k_first)] = g->offset_s + p * k;
        if ((ret = lock_phase(out + n, m, p, env, bar)) < 0)
            goto out;
        /* Keep order across the junction with the previous segment. */
        size_t w = n;
        for (size_t i = n; i < n + m; i++) {
            if (out[i] < 0 && out[i] > -win)
                out[i] = 0; /* a first beat at the very start */
            if (out[i] >= 0 && out[i] < duration_s && (w == 0 || out[i] > out[w - 1] + 0.5 * p))
                out[w++] = out[i];
        }
        n = w;
        prev_end = n ? out[n - 1] : prev_end;
    }
out:
    if (ret < 0) {
        free(out);
        return ret;
    }
    *beats = out;
    *count = n;
    return 0;
}

int beats_downbeat_phase(const double *beats, size_t n, const beats_env *env, int bpb)
{
    double sum[16] = {0};
    int cnt[16] = {0}, best = 0;

    if (bpb < 1 || bpb > 16)
        return 0;
    for (size_t j = 0; j < n; j++) {
        double pt, lo = 0, br = 0;
        if (beats_env_peak(env, env->low, beats[j], 0.03, &pt, &lo) < 0 ||
            beats_env_peak(env, env->flux, beats[j], 0.03, &pt, &br) < 0)
            continue;
        sum[j % (size_t)bpb] += lo + 0.5 * br;
        cnt[j % (size_t)bpb]++;
    }
    for (int p = 1; p < bpb; p++)
        if (cnt[p] && (!cnt[best] || sum[p] / cnt[p] > sum[best] / cnt[best]))
            best = p;
    return best;
}
