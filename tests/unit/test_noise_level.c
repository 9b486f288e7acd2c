/* Unit tests of the denoiser's noise level factor (noise_level.c) on
 * synthetic periodograms: exponentially distributed noise bins around a
 * fixed shape, scaled by a known level, with and without "speech" bins.
 * Checks: 1 during the first quarter second; 1 on steady noise (dead
 * zone), also with loud speech in 30% of the bins; a fall followed within
 * tens of ms, a rise within about half a second; the +5 dB ceiling;
 * digital silence holds it;
 * clean speech (a shape of leaked speech, digital silence between words)
 * leaves it at 1. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "enhance/noise_level.h"

#define RATE 48000
#define FRAME 2048
#define BINS (FRAME / 2 + 1)
#define HOP_S (FRAME / 4 / (double)RATE)

static unsigned long long rng_state = 1;

static double uniform(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(rng_state >> 11) + 0.5) / 9007199254740992.0;
}

/* A pink-ish shape over 60 dB, like a tracker's PSD. */
static void make_shape(float *shape)
{
    for (size_t k = 0; k < BINS; k++)
        shape[k] = (float)(1e-3 / (1.0 + (double)k / 8.0));
}

/* Periodogram of noise at `level` times shape; a random share `speech`
 * of the bins carry 20 dB more. */
static void frame_power(float *power, const float *shape, double level, double speech)
{
    for (size_t k = 0; k < BINS; k++) {
        double p = -log(uniform()) * level * shape[k];
        if (uniform() < speech)
            p *= 100.0;
        power[k] = (float)p;
    }
}

static double to_db(float f)
{
    return 10.0 * log10(f);
}

/* Feed `frames` frames at level (dB) with the given speech share; returns
 * the last factor, and the first frame index (from 0) at which the factor
 * came within tol_db of want_db (-1 if never). */
static float run(noise_level *nl, const float *shape, float *power, size_t frames, double level_db,
                 double speech, double want_db, double tol_db, long *reached)
{
    float f = 1.0f;
    *reached = -1;
    for (size_t i = 0; i < frames; i++) {
        frame_power(power, shape, pow(10.0, level_db / 10.0), speech);
        f = noise_level_update(nl, power, shape);
        if (*reached < 0 && fabs(to_db(f) - want_db) <= tol_db)
            *reached = (long)i;
    }
    return f;
}

static void test_steady_and_steps(void)
{
    float shape[BINS], power[BINS];
    noise_level *nl = noise_level_new(BINS, FRAME, RATE, HOP_S);
    size_t start = (size_t)(0.25 / HOP_S + 0.5), second = (size_t)(1.0 / HOP_S);
    long reached;
    int ones = 0;

    CHECK(nl != NULL);
    if (!nl)
        return;
    make_shape(shape);
    /* The first quarter second: 1 whatever the level. */
    for (size_t i = 0; i < start; i++) {
        frame_power(power, shape, 10.0, 0.0);
        CHECK(noise_level_update(nl, power, shape) == 1.0f);
    }
    /* Steady noise at the shape's level, with speech in 30% of the bins:
     * the dead zone keeps the factor at exactly 1. */
    for (size_t i = 0; i < 3 * second; i++) {
        frame_power(power, shape, 1.0, 0.3);
        ones += noise_level_update(nl, power, shape) == 1.0f;
    }
    fprintf(stderr, "steady noise: factor 1 in %d of %zu frames\n", ones, 3 * second);
    CHECK(ones >= (int)(3 * second * 97 / 100));  /* measured 279 of 279 (144 with the loud bins kept) */
    /* A second of noise alone, as in pauses: frames with loud speech in
     * 30% of the bins do not count as noise-like (their median is far
     * above the noise's), and the factor moves only after at least half
     * of the last second's frames did. */
    run(nl, shape, power, second, 0.0, 0.0, 0.0, 0.01, &reached);
    /* -6 dB: the factor falls to -5 dB (6 minus the 1 dB dead zone) within
     * 50 ms. */
    run(nl, shape, power, second, -6.0, 0.0, -5.0, 0.5, &reached);
    fprintf(stderr, "fall of 6 dB reached after %ld frames\n", reached);
    CHECK(reached >= 0 && reached * HOP_S <= 0.05);
    /* Back to 0 dB, then +4 dB: +3 dB within 0.6 s. */
    run(nl, shape, power, second, 0.0, 0.0, 0.0, 0.01, &reached);
    run(nl, shape, power, second, 4.0, 0.0, 3.0, 0.5, &reached);
    fprintf(stderr, "rise of 4 dB reached after %ld frames\n", reached);
    CHECK(reached >= 0 && reached * HOP_S <= 0.6);
    /* +12 dB: the factor stops at the +5 dB ceiling. */
    float f = run(nl, shape, power, 2 * second, 12.0, 0.0, 5.0, 0.01, &reached);
    CHECK_NEAR(to_db(f), 5.0, 0.01);
    /* Digital silence for two seconds: the level is held (zeros say
     * nothing about it) and every factor is finite and positive; the
     * silent frames are not noise-like, so the factor is 1 again when the
     * noise returns. */
    int finite = 1;
    for (size_t i = 0; i < 2 * second; i++) {
        for (size_t k = 0; k < BINS; k++)
            power[k] = 0.0f;
        f = noise_level_update(nl, power, shape);
        finite &= isfinite(f) && f > 0.0f;
    }
    CHECK(finite);
    f = run(nl, shape, power, 5, 0.0, 0.0, 0.0, 0.01, &reached);
    CHECK(f == 1.0f);
    /* Loud speech in 60% of the bins: back to 1 (those frames are not
     * noise-like, and the quantile leaves the loud bins out). */
    f = run(nl, shape, power, 2 * second, 0.0, 0.6, 0.0, 0.01, &reached);
    CHECK(f == 1.0f);
    noise_level_free(nl);
}

/* Clean speech: the "noise" shape is leaked speech; the frames alternate
 * between voiced speech (harmonics of 120 Hz 25 dB over the shape,
 * the valleys between them 5 dB under it) and digital silence. No frame
 * looks like noise alone (its bins are far from exponentially
 * distributed): the factor stays 1. */
static void test_clean_speech(void)
{
    float shape[BINS], power[BINS];
    noise_level *nl = noise_level_new(BINS, FRAME, RATE, HOP_S);
    int moved = 0;

    CHECK(nl != NULL);
    if (!nl)
        return;
    make_shape(shape);
    for (size_t i = 0; i < (size_t)(6.0 / HOP_S); i++) {
        int pause = (i / 20) % 4 == 3;
        for (size_t k = 0; k < BINS; k++) {
            double h = (double)k * RATE / FRAME / 120.0, near = fabs(h - floor(h + 0.5)) * 120.0 < 30.0;
            power[k] = pause ? 0.0f : (float)(shape[k] * (near ? 316.0 : 0.316) * -log(uniform()));
        }
        moved += noise_level_update(nl, power, shape) != 1.0f;
    }
    CHECK_EQ_INT(moved, 0);
    noise_level_free(nl);
}

int main(void)
{
    test_steady_and_steps();
    test_clean_speech();
    return CHECK_DONE();
}
