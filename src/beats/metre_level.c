/* Which metrical level is the beat: the backbeat test.
 *
 * The tempogram's comb and prior (tempo_track.c) cannot tell a beat from
 * the half-note above it when both repeat equally well: in rock and punk
 * (kick drum on 1 and 3, snare on 2 and 4, eighths on the cymbal) the comb
 * at half the tempo hits only the lags where whole bars repeat and scores
 * higher (punk at 180 BPM: 0.73 at 90 against 0.63 at 180), and the prior
 * cannot lean to 180 without taking slow pieces up an octave too.
 *
 * The drums settle it. Kick and snare share the beats between them, the
 * kick on the downbeats, the snare on the backbeats (the pattern beat
 * trackers since Goto and Muraoka, 1995, read the beat from). A kick or a
 * bass note rises below 200 Hz; a snare's body and rattle rise from 200 Hz
 * up. So when the chain's beats carry the low range and the points half-way
 * between them the middle range (and at least as much of the top), or the
 * other way round, those midpoints are beats as well and the tempo is
 * twice the chain's. Hats between the beats are not snares: they lift the
 * top range without the middle one (the 909 loop's open hats half-way: top
 * range 1.5 times the beats', middle 0.3 times).
 *
 * A chain whose own beats already alternate in the middle range (odd beats
 * against even ones by RATIO) has its snare on its beats and is left alone:
 * disco (kick on every beat, snare on 2 and 4, open hats and an octave bass
 * on the off-beats) passed the test above and was doubled to 236 BPM
 * before this clause; on a half-note chain every beat is a kick and every
 * midpoint a snare, so its beats do not alternate.
 *
 * Measured ratios (midpoints / beats, low / middle / top range, at the
 * chain's beats, bench/bench_beats_real.sh): punk tracked at 90 BPM on its
 * snares, 2.55 / 0.26 / 0.67 (the kick side has 2.55 times the low range,
 * the snare side 3.8 times the middle). On every other file of the corpus
 * the low and middle ranges lean the same way or neither by 1.5 (the 909
 * loop 0.10 / 0.29 / 1.50, funk 35 / 2.8 / 0.69, pop 0.60 / 0.02 / 0.19),
 * so RATIO 1.5 has a margin of 1.7x on the low side and 2.5x on the middle
 * one. On the held-out pieces (bench_beats_real.sh BEATS_HOLDOUT=1) it
 * fires on fast rock (80 -> 160), faster punk (98 -> 196) and drum and
 * bass (87 -> 174), and on nothing else there. It needs 8 intervals, so a
 * short excerpt of a slow half-note chain is not decided. */
#include <math.h>
#include <stddef.h>

#include "beats/beats_internal.h"

#define RATIO 1.5
#define SEARCH_S 0.025 /* onsets within +-25 ms of a beat or midpoint count */
#define GAP 1.5        /* intervals over 1.5 local periods: a gap, skipped */
#define MIN_PAIRS 8    /* fewer intervals than this: no decision */

/* Largest value of curve c within +-SEARCH_S of t seconds. */
static double peak(const beats_odf *o, const float *c, double t)
{
    long j0 = lround((t - SEARCH_S - o->t0) * o->fps), j1 = lround((t + SEARCH_S - o->t0) * o->fps);
    double m = 0;

    for (long j = j0 < 0 ? 0 : j0; j <= j1 && j < (long)o->count; j++)
        if (c[j] > m)
            m = c[j];
    return m;
}

/* Kick side k, snare side s: the low range on k by RATIO, the middle one
 * on s by RATIO, and the top range not on k. */
static int split(const double *k, const double *s)
{
    return k[0] > RATIO * s[0] && s[1] > RATIO * k[1] && s[2] >= k[2];
}

/* Sums of each range's peaks at the chain's beats (on) and half-way
 * between them (mid), over the intervals that are not gaps, and of the
 * middle range at the odd-numbered beats alone (odd_middle). Returns the
 * number of intervals summed. */
static size_t sums(const beats_odf *o, const double *period, const double *beats, size_t n,
                   double *on, double *mid, double *odd_middle)
{
    size_t pairs = 0;

    for (int r = 0; r < BEATS_RANGES; r++)
        on[r] = mid[r] = 0;
    *odd_middle = 0;
    if (!o->part[0] || o->count == 0)
        return 0;
    for (size_t i = 0; i + 1 < n; i++) {
        long j = lround((beats[i] - o->t0) * o->fps);
        double d = beats[i + 1] - beats[i];
        j = j < 0 ? 0 : j >= (long)o->count ? (long)o->count - 1 : j;
        if (d > GAP * period[j] / o->fps)
            continue;
        for (int r = 0; r < BEATS_RANGES; r++) {
            double v = peak(o, o->part[r], beats[i]);
            on[r] += v;
            mid[r] += peak(o, o->part[r], beats[i] + 0.5 * d);
            if (r == 1 && i % 2)
                *odd_middle += v;
        }
        pairs++;
    }
    return pairs;
}

int beats_backbeat(const beats_odf *o, const double *period, const double *beats, size_t n)
{
    double on[BEATS_RANGES], mid[BEATS_RANGES], odd, even;

    if (sums(o, period, beats, n, on, mid, &odd) < MIN_PAIRS)
        return 0;
    /* beats whose middle range alternates already have their snare */
    even = on[1] - odd;
    if (odd > RATIO * even || even > RATIO * odd)
        return 0;
    return split(on, mid) || split(mid, on);
}
