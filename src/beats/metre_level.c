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
 * short excerpt of a slow half-note chain is not decided.
 *
 * The other way, the accent test: a chain can count subdivisions of the
 * beat. When the chain is the music's fastest level (half-way between its
 * beats there is nothing: every range's onsets there under EMPTY of those
 * on its beats), each half of it falls on onsets (ON_SHARE: a chain that
 * steps on silence every other beat is out of phase, not subdivided) and
 * its alternate beats are accented by RATIO in every range (a whole
 * chord, its low notes too, not a kick against a snare, whose low and
 * middle ranges lean to opposite halves), every other beat of it is a
 * beat. Which half: the one the loudest low sounds fall on, the kick and
 * the bass roots (env->low_power, the power below 120 Hz, as a metrical
 * accent is a beat at every level below it). Its strongest position
 * modulo 4 (beats 1 and 3 of a bar of eight subdivisions) picks the
 * parity, by RATIO over the other parity's strongest, else no decision.
 * The accented half is not it: reggae's skank (guitar and organ chords on
 * the off-beats) is the accented half in every range.
 * Measured (bench/bench_beats_real.sh with BEATS_HOLDOUT=1, all three
 * sets, the first chain): reggae_76 tracked at 152 has midpoints at 0.02
 * at most and its off-beats stronger by 4.6 (below 200 Hz) / 7.5 / 1.8;
 * the low power at beats 1 and 3 is 2.3 (seed 7) and 1.9 (seed 11) times
 * that of the strongest off-beat position. Of the files with empty
 * midpoints, the waltz, the rubato piano, the reggae steppers and the
 * shuffle lean by 1.17 at most in their weakest range; swing leans the
 * other way below 200 Hz (0.88); of those that lean by 1.5 in every
 * range, the electro loop (correct at 120) has 0.75-0.93 of its beats'
 * onsets half-way, funk 0.7-35; the dembow (held out) leans on a chain
 * whose weak beats fall on no onset at all. It fires on reggae_76 (seeds
 * 7 and 11: 152 -> 76, F 0.667 -> 1.0) and nowhere else. */
#include <math.h>
#include <stddef.h>

#include "beats/beats_internal.h"

#define RATIO 1.5
#define SEARCH_S 0.025 /* onsets within +-25 ms of a beat or midpoint count */
#define GAP 1.5        /* intervals over 1.5 local periods: a gap, skipped */
#define MIN_PAIRS 8    /* fewer intervals than this: no decision */
#define EMPTY 0.1      /* accent test: midpoints this weak are empty ... */
#define ON_SHARE 0.9   /* ... and this share of each half's beats on an onset */

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

/* Per chain position modulo 4, the sum of the low band's power rise at
 * the beats there; returns the beat half (the parity of the strongest
 * position), or -1 when the strongest position of the other parity has
 * more than 1 / RATIO of it. */
static int low_half(const beats_env *env, const double *beats, size_t n)
{
    double pos[4] = {0}, best[2] = {0};

    for (size_t i = 0; i < n; i++) {
        double pt, s;
        if (beats_env_peak(env, env->low_power, beats[i], SEARCH_S, &pt, &s) == 0)
            pos[i % 4] += s;
    }
    for (int p = 0; p < 4; p++)
        if (pos[p] > best[p % 2])
            best[p % 2] = pos[p];
    if (best[0] > RATIO * best[1])
        return 0;
    if (best[1] > RATIO * best[0])
        return 1;
    return -1;
}

int beats_accent_level(const beats_odf *o, const beats_env *env, const double *period,
                       const double *beats, size_t n, int *beat_half)
{
    double on[BEATS_RANGES], mid[BEATS_RANGES], odd, par[2][BEATS_RANGES] = {{0}};
    size_t hit[2] = {0}, cnt[2] = {0};
    int s;

    *beat_half = 0;
    if (sums(o, period, beats, n, on, mid, &odd) < MIN_PAIRS || !env->low_power)
        return 0;
    for (int r = 0; r < BEATS_RANGES; r++)
        if (mid[r] >= EMPTY * on[r])
            return 0;
    for (size_t i = 0; i < n; i++) {
        for (int r = 0; r < BEATS_RANGES; r++)
            par[i % 2][r] += peak(o, o->part[r], beats[i]);
        cnt[i % 2]++;
        hit[i % 2] += peak(o, o->v, beats[i]) > 0;
    }
    for (int h = 0; h < 2; h++)
        if ((double)hit[h] < ON_SHARE * (double)cnt[h])
            return 0;
    s = par[1][1] > par[0][1];
    for (int r = 0; r < BEATS_RANGES; r++)
        if (par[s][r] < RATIO * par[!s][r])
            return 0;
    if ((s = low_half(env, beats, n)) < 0)
        return 0;
    *beat_half = s;
    return 1;
}
