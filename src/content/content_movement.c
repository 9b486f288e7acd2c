/* Prosodic movement: how much a speaker's loudness and pitch move, which is
 * what makes a stretch sound engaged rather than read out.
 *
 * Every 100 ms a 40 ms frame gives a level (dB) and, when it is voiced, a
 * pitch: the strongest normalised autocorrelation peak between 75 and
 * 400 Hz, taken as voiced above 0.5; the shortest lag within 90% of the
 * strongest, as two periods correlate as well as one (on a 2:1 averaged
 * copy of 16 kHz and faster input, which halves the cost with the pitch
 * range intact). The
 * movement at a hop is the spread over the surrounding 2 s of the levels of
 * the frames with speech (within 30 dB of the loudest) divided by 6 dB, and
 * of the voiced pitches in semitones divided by 4, each at most 1, averaged.
 * A monotone reading scores near 0; a lively speaker near 1. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "content/content.h"

#define HOP_US 100000
#define FRAME_S 0.040
#define SPREAD_HOPS 10 /* each side: 2 s in all */
#define MIN_F0 75.0
#define MAX_F0 400.0
#define VOICED_R 0.5
#define OCTAVE_TOLERANCE 0.9
#define MAX_LAGS 512 /* 75 Hz at up to 38 kHz after halving */
#define LEVEL_SCALE_DB 6.0
#define PITCH_SCALE_ST 4.0

typedef struct frame_info {
    float level_db;
    float semitones; /* NAN when unvoiced */
} frame_info;

static void analyse_frame(const float *x, size_t n, double rate, frame_info *f)
{
    double e = 0;
    for (size_t i = 0; i < n; i++)
        e += (double)x[i] * x[i];
    f->level_db = (float)(10 * log10(e / (double)n + 1e-12));
    f->semitones = NAN;
    size_t lo = (size_t)(rate / MAX_F0), hi = (size_t)(rate / MIN_F0);
    if (e <= 0 || hi >= n)
        return;
    double norm[MAX_LAGS], best = 0;
    if (hi - lo + 1 > MAX_LAGS)
        hi = lo + MAX_LAGS - 1;
    for (size_t lag = lo; lag <= hi; lag++) {
        double r = 0, e1 = 0, e2 = 0;
        for (size_t i = 0; i + lag < n; i++) {
            r += (double)x[i] * x[i + lag];
            e1 += (double)x[i] * x[i];
            e2 += (double)x[i + lag] * x[i + lag];
        }
        norm[lag - lo] = r / sqrt(e1 * e2 + 1e-12);
        best = fmax(best, norm[lag - lo]);
    }
    if (best < VOICED_R)
        return;
    /* Two periods correlate as well as one: take the shortest lag that is a
     * peak nearly as strong as the best, or every voice drops an octave. */
    for (size_t lag = lo; lag <= hi; lag++) {
        double v = norm[lag - lo];
        int peak = (lag == lo || v >= norm[lag - lo - 1]) && (lag == hi || v >= norm[lag - lo + 1]);
        if (peak && v >= OCTAVE_TOLERANCE * best) {
            f->semitones = (float)(12 * log2(rate / (double)lag / 100.0));
            return;
        }
    }
}

static double spread(const float *v, size_t n)
{
    if (n < 3)
        return NAN;
    double m = 0, s = 0;
    for (size_t i = 0; i < n; i++)
        m += v[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        s += (v[i] - m) * (v[i] - m);
    return sqrt(s / (double)n);
}

int content_movement(const int16_t *pcm, size_t n, int rate, hl_movement *out)
{
    memset(out, 0, sizeof(*out));
    out->hop_us = HOP_US;
    if (!pcm || rate <= 0 || n == 0)
        return 0;
    int halve = rate >= 16000;
    double r = halve ? rate / 2.0 : rate;
    size_t m = halve ? n / 2 : n, frame = (size_t)(FRAME_S * r), hop = (size_t)(r * HOP_US / 1e6);
    size_t hops = hop ? m / hop + 1 : 0;
    float *x = malloc((m ? m : 1) * sizeof(*x));
    frame_info *fi = calloc(hops ? hops : 1, sizeof(*fi));
    float *levels = malloc((2 * SPREAD_HOPS + 1) * sizeof(float));
    float *pitches = malloc((2 * SPREAD_HOPS + 1) * sizeof(float));
    out->value = calloc(hops ? hops : 1, sizeof(*out->value));
    if (!x || !fi || !levels || !pitches || !out->value) {
        free(out->value);
        out->value = NULL;
        free(x), free(fi), free(levels), free(pitches);
        return AVE_ERR_NOMEM;
    }
    for (size_t i = 0; i < m; i++)
        x[i] = halve ? (pcm[2 * i] + pcm[2 * i + 1]) / 65536.0f : pcm[i] / 32768.0f;
    float loudest = -1e9f;
    for (size_t h = 0; h < hops; h++) {
        size_t at = h * hop;
        size_t len = at + frame <= m ? frame : m - at;
        if (len < frame / 2) {
            fi[h].level_db = -120, fi[h].semitones = NAN;
            continue;
        }
        analyse_frame(x + at, len, r, &fi[h]);
        loudest = fmaxf(loudest, fi[h].level_db);
    }
    for (size_t h = 0; h < hops; h++) {
        size_t a = h >= SPREAD_HOPS ? h - SPREAD_HOPS : 0;
        size_t b = h + SPREAD_HOPS < hops ? h + SPREAD_HOPS : hops - 1;
        size_t nl = 0, np = 0;
        for (size_t k = a; k <= b; k++) {
            if (fi[k].level_db < loudest - 30)
                continue;
            levels[nl++] = fi[k].level_db;
            if (!isnan(fi[k].semitones))
                pitches[np++] = fi[k].semitones;
        }
        double sl = spread(levels, nl), sp = spread(pitches, np), sum = 0;
        int parts = 0;
        if (!isnan(sl))
            sum += fmin(1, sl / LEVEL_SCALE_DB), parts++;
        if (!isnan(sp))
            sum += fmin(1, sp / PITCH_SCALE_ST), parts++;
        out->value[h] = parts ? (float)(sum / parts) : 0;
    }
    out->count = hops;
    free(x), free(fi), free(levels), free(pitches);
    return 0;
}
