/* Beat times by dynamic programming over the onset curve (after Ellis,
 * "Beat tracking by dynamic programming", 2007), with a local period.
 *
 * The best chain of beats maximises the onset strength at the beats minus
 * TIGHTNESS * log(interval / period)^2 per interval, period being the local
 * tempo (tempo_track.c). One pass finds, for every frame, the best chain
 * ending there; the last beat is the best frame of the final period, and the
 * chain is read back. Unlike a line fit, this follows rubato and a gradual
 * tempo change, and needs no start-up time, so a 4 s clip gets its beats. A
 * chain may begin anywhere (a negative past is dropped), so a quiet intro
 * does not pull the first beats off the music. */
#include <math.h>
#include <stdlib.h>

#include "ave/error.h"
#include "beats/beats_internal.h"

/* 100 as in Ellis: a beat 10% off the period costs 0.9, about a third of a
 * typical onset peak (the curve has unit deviation), so real timing
 * changes are followed and one strong off-beat note is not. */
#define TIGHTNESS 100.0

#define TAIL_FRAC 0.1

/* Onset strength at frame j: the curve's maximum within +-2 frames. */
static double strength_at(const beats_odf *o, size_t j)
{
    double m = 0;
    for (size_t i = j >= 2 ? j - 2 : 0; i <= j + 2 && i < o->count; i++)
        if (o->v[i] > m)
            m = o->v[i];
    return m;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Chain f[0..n) of frame indexes: the new length without the unsupported
 * tail (see beats_dp_track). */
static size_t cut_tail(const beats_odf *o, const double *f, size_t n)
{
    double *s = malloc((n ? n : 1) * sizeof(*s)), bar;

    if (!s || n == 0) { /* without memory, keep the tail */
        free(s);
        return n;
    }
    for (size_t i = 0; i < n; i++)
        s[i] = strength_at(o, (size_t)f[i]);
    qsort(s, n, sizeof(*s), cmp_double);
    bar = TAIL_FRAC * s[n / 2];
    free(s);
    while (n > 0 && (strength_at(o, (size_t)f[n - 1]) < bar ||
                     strength_at(o, (size_t)f[n - 1]) <= 0))
        n--;
    return n;
}

int beats_dp_track(const beats_odf *o, const double *period, double **times, size_t *count)
{
    const size_t n = o->count;
    double *score = NULL, *t = NULL;
    long *from = NULL;
    size_t nt = 0, end = 0;
    int ret = 0;

    *times = NULL;
    *count = 0;
    if (n == 0)
        return 0;
    score = malloc(n * sizeof(*score));
    from = malloc(n * sizeof(*from));
    if (!score || !from) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (size_t j = 0; j < n; j++) {
        const double p = period[j];
        long lo = (long)j - lround(2.0 * p), hi = (long)j - lround(0.5 * p);
        double best = 0;
        long arg = -1;

        for (long i = lo < 0 ? 0 : lo; i <= hi; i++) {
            double l = log(((double)j - (double)i) / p);
            double v = score[i] - TIGHTNESS * l * l;
            if (v > best) {
                best = v;
                arg = i;
            }
        }
        score[j] = o->v[j] + best;
        from[j] = arg;
    }
    /* The chain ends on the best frame of the last period. Past the last
     * note (a reverb tail, a fade) the chain goes on at the tempo with
     * nothing under it; those beats are dropped: walking back from the end,
     * every beat with less than TAIL_FRAC of the median onset strength at
     * the chain's beats, or none at all (digital silence keeps no beat). */
    {
        long lo = (long)n - 1 - lround(period[n - 1]);
        end = lo < 0 ? 0 : (size_t)lo;
        for (size_t j = end; j < n; j++)
            if (score[j] > score[end])
                end = j;
    }
    for (long j = (long)end; j >= 0; j = from[j])
        nt++;
    t = malloc((nt ? nt : 1) * sizeof(*t));
    if (!t) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    size_t k = nt;
    for (long j = (long)end; j >= 0; j = from[j])
        t[--k] = (double)j; /* frame index until the tail is cut */
    nt = cut_tail(o, t, nt);
    for (size_t i = 0; i < nt; i++)
        t[i] = o->t0 + t[i] / o->fps;
    *times = t;
    *count = nt;
out:
    free(score);
    free(from);
    return ret;
}
