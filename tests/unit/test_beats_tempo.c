/* Tempo regression (src/beats/tempo_fit.c) on synthetic beat lists with
 * known period and phase: exact on a clean grid, unmoved by missing, extra
 * and jittered beats, split at a tempo change, and low confidence on
 * irregular (speech-like) onsets. */
#include <stdlib.h>

#include "beats/beats_internal.h"
#include "check.h"

static size_t grid(double *t, double offset, double period, int n)
{
    for (int i = 0; i < n; i++)
        t[i] = offset + period * i;
    return (size_t)n;
}

static void test_exact(void)
{
    double t[64];
    beats_tempo_seg s;
    size_t n = grid(t, 1.234, 60.0 / 97.0, 40);

    CHECK_EQ_INT(beats_fit_tempo(t, n, &s), 0);
    CHECK_NEAR(60.0 / s.period_s, 97.0, 1e-9);
    CHECK_NEAR(s.offset_s + s.period_s * s.k_first, 1.234, 1e-9);
    CHECK_EQ_INT(s.inliers, 40);
    CHECK_EQ_INT(s.k_last - s.k_first, 39);
}

static void test_missing_and_extra(void)
{
    double t[64], u[64];
    beats_tempo_seg s;
    size_t n = grid(t, 0.5, 0.5, 40), m = 0;

    /* Beats 10 and 11 missing (a 1.5 s gap), one extra between 20 and 21. */
    for (size_t i = 0; i < n; i++) {
        if (i == 10 || i == 11)
            continue;
        u[m++] = t[i];
        if (i == 20)
            u[m++] = t[i] + 0.23;
    }
    CHECK_EQ_INT(beats_fit_tempo(u, m, &s), 0);
    CHECK_NEAR(60.0 / s.period_s, 120.0, 1e-9);
    CHECK_EQ_INT(s.inliers, 38);
    CHECK_EQ_INT(s.k_last - s.k_first, 39); /* the gap counts its beats */
}

static void test_jitter(void)
{
    double t[128];
    beats_tempo_seg s;
    size_t n = grid(t, 2.0, 60.0 / 128.0, 100);
    unsigned x = 12345;

    for (size_t i = 0; i < n; i++) { /* +-8 ms, like aubio's hop */
        x = x * 1103515245u + 12345u;
        t[i] += ((double)(x >> 16 & 0x7fff) / 32767.0 - 0.5) * 0.016;
    }
    t[50] += 0.15; /* one badly misplaced beat */
    CHECK_EQ_INT(beats_fit_tempo(t, n, &s), 0);
    CHECK_NEAR(60.0 / s.period_s, 128.0, 128.0 * 0.001);
    CHECK_EQ_INT(s.inliers, 99);
}

static void test_tempo_change(void)
{
    double t[128];
    beats_tempo_seg *segs = NULL;
    size_t n = grid(t, 0.0, 0.6, 30), count = 0;

    n += grid(t + n, t[n - 1] + 60.0 / 130.0, 60.0 / 130.0, 30);
    CHECK_EQ_INT(beats_fit_segments(t, n, &segs, &count), 0);
    CHECK_EQ_INT(count, 2);
    if (count == 2) {
        CHECK_NEAR(60.0 / segs[0].period_s, 100.0, 1e-6);
        CHECK_NEAR(60.0 / segs[1].period_s, 130.0, 1e-6);
        CHECK_NEAR(beats_music_confidence(segs, count, n), 1.0, 1e-9);
    }
    free(segs);
}

static void test_irregular(void)
{
    double t[64], now = 1.0;
    beats_tempo_seg *segs = NULL;
    size_t count = 0;
    unsigned x = 777;

    for (int i = 0; i < 60; i++) { /* syllable-like: 0.15..0.65 s apart */
        x = x * 1103515245u + 12345u;
        now += 0.15 + 0.5 * (double)(x >> 16 & 0x7fff) / 32767.0;
        t[i] = now;
    }
    CHECK_EQ_INT(beats_fit_segments(t, 60, &segs, &count), 0);
    CHECK(beats_music_confidence(segs, count, 60) < 0.3);
    free(segs);
}

/* Five beats: too few for a steady segment (six), so beats_fit_segments
 * returns none (and an empty array); the loose fit replaces it with one
 * segment at the tempo. */
static void test_loose(void)
{
    double t[5] = {1.0, 1.5, 2.01, 2.5, 2.99};
    beats_tempo_seg *segs = NULL;
    size_t count = 0;

    CHECK_EQ_INT(beats_fit_segments(t, 5, &segs, &count), 0);
    CHECK_EQ_INT(count, 0);
    CHECK_EQ_INT(beats_fit_loose(t, 5, &segs, &count), 0);
    CHECK_EQ_INT(count, 1);
    if (count == 1)
        CHECK_NEAR(60.0 / segs[0].period_s, 120.0, 1.0);
    free(segs);
    segs = NULL;
    count = 0;
    CHECK_EQ_INT(beats_fit_loose(t, 3, &segs, &count), 0); /* too few: nothing */
    CHECK_EQ_INT(count, 0);
    CHECK(segs == NULL);
}

int main(void)
{
    test_exact();
    test_missing_and_extra();
    test_jitter();
    test_tempo_change();
    test_irregular();
    test_loose();
    return CHECK_DONE();
}
