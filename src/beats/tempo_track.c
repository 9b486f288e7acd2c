/* Local tempo from the onset detection function: a tempogram of comb
 * scores, and the most likely tempo path through it.
 *
 * Each 8 s window (1 s apart; one window for a shorter clip) gets an
 * autocorrelation of its onset curve, and every candidate period (40-240
 * BPM, 1% steps) a comb score: the mean autocorrelation at 1-4 times the
 * period. A beat period collects the bar as well as the beat; an eighth
 * note's comb also lands on the off-beats, which are weaker, so the beat
 * outscores the subdivision that a single autocorrelation peak would
 * choose (that is how a waltz came out at double tempo). Between a beat
 * and half its tempo, whose combs both hit strong lags, the weight decides:
 * a log-normal prior on the tempo (PRIOR_BPM, PRIOR_OCT) times
 * (bpm / PRIOR_BPM)^FAST_BIAS. The half tempo's comb only ever hits lags
 * where whole bars repeat, so it always scores at least as high (a country
 * two-beat, bass on 1 and 3, strums on 2 and 4: 0.75 at 56 BPM against 0.47
 * at 112); FAST_BIAS gives the faster level 2^0.415 = 1.33 times the weight
 * per octave, which put country and swing on the beat without moving the
 * waltz (bench/bench_beats_real.sh).
 *
 * In compound metre (12/8, a blues shuffle) the weight can prefer two
 * triplet eighths (114 BPM for a 76 BPM shuffle) to the beat's three: that
 * level is in no metrical hierarchy, so the path is moved to 1.5 times its
 * period when the comb there, summed along the path, beats the path's own
 * by TRIPLE_GAIN. Measured ratio: 1.13 on the shuffle; on every other file
 * of bench/bench_beats_real.sh 0.98 (the 909 loop, off-beat hats) or less,
 * 0.01-0.6 for most, so the margin on the 909 side is small.
 *
 * A Viterbi path through the windows chooses one period per window, with a
 * cost per octave of change: a tempo change has to be borne out over a few
 * windows, and a momentary octave flip costs more than it gains. Window
 * scores are log(comb x weight) and differ by only 0.3-2 between rival
 * tempi, so the cost is low: at 12 per octave a 96 -> 128 BPM change half-way
 * through 16 s stayed at 128 throughout (the 96 side had 2 of evidence
 * against a cost of 5); at 4 it splits there, and the corpus's steady pieces
 * still keep one tempo (tests/unit/test_beats_track.c,
 * bench/bench_beats_real.sh).
 *
 * A beat divides the bar. Music whose notes group in threes of sixteenths
 * (kick and bass on 0, 3, 7, 10, 13 of a funk bar) has a dotted-eighth
 * pulse whose comb can outscore the beat's (a 96 BPM funk went to 125).
 * Each window's bar is the strongest autocorrelation peak of 1-4 s, when
 * it reaches BAR_ACF (0.84 on that funk; 0.75-1.0 on most of the corpus);
 * when on most windows that have one the path's period does not go into
 * it a whole number of times (within BAR_TOL of a period), those windows
 * take the best-weighted tempo that does. Bar / period on the middle
 * window: 5.33 on the funk; within 0.03 of a whole number (2 to 9) on
 * every other piece of the corpus and the held-out styles whose bar peak
 * reaches BAR_ACF (the techno loop's is 0.37: not checked, and with the
 * threshold at 0.3 it went to 175-183, no nearer its 140).
 * Clips shorter than two 4 s bars are not checked: the 4 s excerpts of
 * the 909 and electro loops found a false "bar" and went to 240 BPM.
 *
 * Where the rhythm has no bar, the harmony may (chord_change.c): a window
 * without one takes the first autocorrelation peak of the harmony change
 * curve at 1-4 s (at most half the window) that comes within CHORD_NEAR of
 * the strongest, when that reaches BAR_ACF (the first: a two-chord vamp
 * repeats over two bars as well as one). A beat makes 2, 3 or 4 of it. When
 * on most windows with such a bar the path does not, every window moves to
 * the tempo that does (and agrees with the window's rhythm bar, if any)
 * with the best log(comb x weight) less JUMP_COST per octave from the
 * path, the trade-off the path itself makes; a window without a harmony
 * bar takes its neighbours'. The lmms techno loop: no rhythm bar (0.37),
 * harmony bar 1.71-1.73 s (0.62-0.72), the path's 187 BPM dotted eighth
 * makes 5.3 of it; moved to 140. Measured on every window of the corpus
 * and the held-out sets with the strongest peak (before the first-peak
 * rule), wherever it reached 0.5 bar / period was within 0.07 of 2, 3, 4,
 * 6 or 8, except on the techno loop, funk2 (5.33; it has a rhythm bar, so
 * its harmony's is not used) and one window of the 12/8 shuffle (1.49).
 * The test fires only on the techno loop and the seed-11 rubato piano,
 * whose harmony bar follows its ritardando (3.1-3.9 s). Tried: the rhythm
 * bar's choice (the best comb x weight, no cost for the move) took the
 * techno loop to 72, its comb being 0.20 at 70 against 0.07 at 140;
 * leaving the windows that have a rhythm bar alone kept two of them at 190
 * (their rhythm bar, 3.42 s, is two bars, and 190 is 10.9 of it: no move);
 * the harmony's bar on every window, with a rhythm bar or not, put the
 * shuffle at 152 and the electro loop partly at 60.
 *
 * PAIR: a clip shorter than two of the longest bars (8 s) may hold too few
 * chord changes for the curve to repeat: the techno loop's 4 s excerpt has
 * two, 1.70 s apart, and its curve's autocorrelation peaks at 0.31 (1.85
 * s). There the interval between the clip's two strongest changes is the
 * harmony's bar, if no other change lies between them (swing's walking
 * bass changes on beats: its two strongest were 1.18 s apart with two
 * changes between, no bar) and it is 1 s to half the clip; since two
 * changes may be two bars apart (rock at 160, 6 s: 2.92 s), the path is
 * only moved when its beat makes 2, 3 or 4 of neither the interval nor
 * half of it. The techno excerpt: 58 -> 70 BPM (F 0.154 -> 0.429).
 * Measured on 4 and 6-7 s cuts of every file of the main and held-out sets
 * (470 clips): it changed only that excerpt and one funk2 cut (128 -> 118,
 * truth 96; F 0.25 -> 0.40). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "beats/beats_internal.h"

#define BPM_MIN 40.0
#define BPM_STEP 1.01
#define WIN_S 8.0
#define HOP_S 1.0
#define MULTS 4
#define PRIOR_BPM 110.0     /* centre of the tempo prior */
#define PRIOR_OCT 1.0       /* its width, octaves (one sigma) */
#define FAST_BIAS 0.415     /* see above */
#define TRIPLE_GAIN 1.05    /* see above */
#define PROGRESS_WINDOWS 16 /* 16 s of audio, ~0.03 s of work */
#define JUMP_COST 4.0       /* log-score per octave of tempo change between windows */
#define BAR_MIN_S 1.0       /* the bar: the strongest lag of 1-4 s ... */
#define BAR_MAX_S 4.0
#define BAR_ACF 0.5    /* ... when its autocorrelation reaches 0.5 */
#define BAR_TOL 0.15   /* a beat divides it: within 0.15 beats of a whole number */
#define CHORD_NEAR 0.8 /* the harmony's bar: the first peak this close to the strongest */

/* Autocorrelation r[0..lmax] of x[0..n) with its mean removed, each lag
 * normalised by its overlap and by r[0]. */
static void acf(const float *x, size_t n, double *r, size_t lmax)
{
    double mean = 0;

    for (size_t i = 0; i < n; i++)
        mean += x[i];
    mean /= (double)n;
    for (size_t l = 0; l <= lmax; l++) {
        double s = 0;
        for (size_t i = 0; i + l < n; i++)
            s += (x[i] - mean) * (x[i + l] - mean);
        r[l] = s / (double)(n - l);
    }
    double r0 = r[0];
    for (size_t l = 0; r0 > 0 && l <= lmax; l++)
        r[l] /= r0;
}

/* Comb score of a period of p frames: mean over the multiples that fit. */
static double comb(const double *r, size_t lmax, double p)
{
    double s = 0;
    int m, used = 0;

    for (m = 1; m <= MULTS; m++) {
        long c = lround(m * p), best = -1;
        double v = -1;
        if (c + 1 > (long)lmax)
            break;
        for (long d = c - 1; d <= c + 1; d++)
            if (d > 0 && (best < 0 || r[d] > v)) {
                v = r[d];
                best = d;
            }
        s += v;
        used++;
    }
    return used ? s / used : 0;
}

/* Lag of the first local maximum of r in [lo, hi) that reaches BAR_ACF
 * and CHORD_NEAR times the strongest one there (r holds hi + 1 values), or
 * 0 when none reaches BAR_ACF. */
static double chord_bar(const double *r, size_t lo, size_t hi)
{
    double top = 0;

    for (size_t l = lo < 1 ? 1 : lo; l < hi; l++)
        if (r[l] >= r[l - 1] && r[l] >= r[l + 1] && r[l] > top)
            top = r[l];
    if (top < BAR_ACF)
        return 0;
    for (size_t l = lo < 1 ? 1 : lo; l < hi; l++)
        if (r[l] >= r[l - 1] && r[l] >= r[l + 1] && r[l] >= CHORD_NEAR * top)
            return (double)l;
    return 0;
}

/* Whether a chord bar holds q beats: 2, 3 or 4 within BAR_TOL. */
static int chord_beats(double q)
{
    long k = lround(q);
    return k >= 2 && k <= 4 && fabs(q - (double)k) <= BAR_TOL;
}

int beats_tempo_curve(const beats_odf *o, const beats_progress *progress, double *period,
                      double *salience, int *by_chord)
{
    const double fps = o->fps;
    const size_t nb = BEATS_TEMPO_BINS;
    size_t w = (size_t)lround(WIN_S * fps), hop = (size_t)lround(HOP_S * fps), nw, lmax;
    double *r = NULL, *score = NULL, *comb_at = NULL, *prior = NULL, *bp = NULL, *prev = NULL,
           *cur = NULL, *bar = NULL, *hbar = NULL;
    int *back = NULL, *pair = NULL, ret = 0;
    size_t *state = NULL;

    *salience = 0;
    *by_chord = 0;
    if (o->count == 0)
        return 0;
    if (w > o->count)
        w = o->count;
    nw = o->count > w ? (o->count - w + hop - 1) / hop + 1 : 1;
    lmax = (size_t)(0.75 * (double)w);
    r = malloc((lmax + 1) * sizeof(*r));
    score = malloc(nb * sizeof(*score));
    prior = malloc(nb * sizeof(*prior));
    bp = malloc(nb * sizeof(*bp));
    prev = malloc(nb * sizeof(*prev));
    cur = malloc(nb * sizeof(*cur));
    back = malloc(nw * nb * sizeof(*back));
    state = malloc(nw * sizeof(*state));
    comb_at = malloc(nw * nb * sizeof(*comb_at));
    bar = calloc(nw, sizeof(*bar));
    hbar = calloc(nw, sizeof(*hbar));
    pair = calloc(nw, sizeof(*pair));
    if (!bar || !hbar || !pair || !state || !comb_at || !r || !score || !prior || !bp || !prev ||
        !cur || !back) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (size_t b = 0; b < nb; b++) {
        double bpm = BPM_MIN * pow(BPM_STEP, (double)b), z = log2(bpm / PRIOR_BPM) / PRIOR_OCT;
        bp[b] = 60.0 * fps / bpm;
        prior[b] = exp(-0.5 * z * z) * pow(bpm / PRIOR_BPM, FAST_BIAS);
    }
    for (size_t i = 0; i < nw; i++) {
        size_t a = i * hop;
        if (a + w > o->count)
            a = o->count - w;
        if (i % PROGRESS_WINDOWS == PROGRESS_WINDOWS - 1 &&
            (ret = beats_progress_report(progress, (double)i / (double)nw)) != 0)
            goto out;
        acf(o->v + a, w, r, lmax);
        {
            size_t lo = (size_t)lround(BAR_MIN_S * fps), hi = (size_t)lround(BAR_MAX_S * fps);
            if (2 * hi > w)
                hi = 0; /* a clip too short to hold two of the longest bars */
            for (size_t l = lo < 1 ? 1 : lo; l + 1 <= hi && l + 1 <= lmax; l++)
                if (r[l] >= BAR_ACF && r[l] >= r[l - 1] && r[l] >= r[l + 1] &&
                    (bar[i] == 0 || r[l] > r[(size_t)bar[i]]))
                    bar[i] = (double)l;
        }
        /* No bar in the rhythm: the harmony's (see above), two of them
         * within the window. */
        if (bar[i] == 0 && o->chord) {
            size_t lo = (size_t)lround(BAR_MIN_S * fps), hi = (size_t)lround(BAR_MAX_S * fps);
            if (2 * hi > w)
                hi = w / 2;
            acf(o->chord + a, w, r, lmax);
            hbar[i] = chord_bar(r, lo, hi < lmax ? hi : lmax);
            acf(o->v + a, w, r, lmax);
            /* A clip too short for the curve to repeat: one interval
             * between changes (see PAIR above), one bar or two. */
            if (hbar[i] == 0 && (double)w < 2 * BAR_MAX_S * fps) {
                double l = beats_chord_pair(o->chord + a, w, fps);
                if (l >= (double)lo && l <= (double)hi) {
                    hbar[i] = l;
                    pair[i] = 1;
                }
            }
        }
        for (size_t b = 0; b < nb; b++) {
            double s = comb(r, lmax, bp[b]);
            comb_at[i * nb + b] = s;
            score[b] = log(1e-3 + (s > 0 ? s : 0) * prior[b]);
        }
        for (size_t b = 0; b < nb; b++) {
            if (i == 0) {
                cur[b] = score[b];
                back[b] = (int)b;
                continue;
            }
            double best = -1e300;
            int arg = 0;
            for (size_t c = 0; c < nb; c++) {
                double v = prev[c] - JUMP_COST * fabs(log2(bp[b] / bp[c]));
                if (v > best) {
                    best = v;
                    arg = (int)c;
                }
            }
            cur[b] = best + score[b];
            back[i * nb + b] = arg;
        }
        memcpy(prev, cur, nb * sizeof(*prev));
    }
    /* Back-trace; each frame takes the period of the window whose centre is
     * nearest. */
    size_t s = 0;
    for (size_t b = 1; b < nb; b++)
        if (prev[b] > prev[s])
            s = b;
    *salience = 0;
    for (size_t i = nw; i-- > 0;) {
        state[i] = s;
        *salience += comb_at[i * nb + s] / (double)nw;
        s = (size_t)back[i * nb + s];
    }
    /* Compound metre: see TRIPLE_GAIN (the path's tempo moved down by a
     * factor 1.5, three of its subdivisions to the beat). */
    {
        const long up = lround(log(1.5) / log(BPM_STEP));
        double at = 0, slow = 0;
        int ok = 1;
        for (size_t i = 0; i < nw; i++) {
            if ((long)state[i] < up) {
                ok = 0;
                break;
            }
            at += comb_at[i * nb + state[i]];
            slow += comb_at[i * nb + state[i] - (size_t)up];
        }
        if (ok && slow > TRIPLE_GAIN * at)
            for (size_t i = 0; i < nw; i++)
                state[i] -= (size_t)up;
    }
    /* Bar: see BAR_TOL. */
    {
        size_t used = 0, off = 0;
        for (size_t i = 0; i < nw; i++)
            if (bar[i] > 0) {
                double q = bar[i] / bp[state[i]];
                used++;
                off += fabs(q - (double)lround(q)) > BAR_TOL;
            }
        for (size_t i = 0; 2 * off > used && i < nw; i++) {
            double q = bar[i] / bp[state[i]], best = -1;
            if (bar[i] == 0 || fabs(q - (double)lround(q)) <= BAR_TOL)
                continue;
            for (size_t b = 0; b < nb; b++) {
                double k = bar[i] / bp[b], v = comb_at[i * nb + b] * prior[b];
                if (k >= 1.5 && fabs(k - (double)lround(k)) <= BAR_TOL && v > best) {
                    best = v;
                    state[i] = b;
                }
            }
        }
    }
    /* The harmony's bar: see above. */
    {
        size_t used = 0, off = 0;
        for (size_t i = 0; i < nw; i++)
            if (hbar[i] > 0) {
                used++;
                off += !chord_beats(hbar[i] / bp[state[i]]) &&
                       !(pair[i] && chord_beats(0.5 * hbar[i] / bp[state[i]]));
            }
        *by_chord = 2 * off > used;
        for (size_t i = 0; 2 * off > used && i < nw; i++) {
            double best = -1e300, at = hbar[i];
            size_t from = state[i];
            /* a window without a chord bar of its own keeps its
             * neighbours' */
            for (size_t d = 1; at == 0 && d < nw; d++)
                at = i >= d && hbar[i - d] > 0 ? hbar[i - d] : i + d < nw ? hbar[i + d] : 0;
            if (at == 0 || chord_beats(at / bp[from]))
                continue;
            for (size_t b = 0; b < nb; b++) {
                double c = comb_at[i * nb + b] > 0 ? comb_at[i * nb + b] : 0,
                       v = log(1e-3 + c * prior[b]) - JUMP_COST * fabs(log2(bp[b] / bp[from]));
                double q = bar[i] / bp[b]; /* and the rhythm's bar, if any, agrees */
                if (chord_beats(at / bp[b]) &&
                    (bar[i] == 0 || fabs(q - (double)lround(q)) <= BAR_TOL) && v > best) {
                    best = v;
                    state[i] = b;
                }
            }
        }
    }
    for (size_t j = 0; j < o->count; j++) {
        double x = ((double)j - 0.5 * (double)w) / (double)hop;
        size_t i = x <= 0 ? 0 : (size_t)lround(x);
        period[j] = bp[state[i < nw ? i : nw - 1]];
    }
out:
    free(r);
    free(score);
    free(prior);
    free(bp);
    free(prev);
    free(cur);
    free(back);
    free(state);
    free(comb_at);
    free(bar);
    free(hbar);
    free(pair);
    return ret;
}
