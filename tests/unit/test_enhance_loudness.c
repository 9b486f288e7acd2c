/* Unit tests for the loudness meter (src/enhance/loudness.c over
 * libebur128) against BS.1770-4 / EBU Tech 3341 figures: a -20 dBFS 1 kHz
 * mono sine is -23.0 LUFS (mono counts once, so a full-scale mono sine is
 * -3.01 LUFS); a stereo -23 dBFS 997 Hz sine in both channels is -23.0 LUFS
 * (Tech 3341 case 1); the LFE is excluded and surrounds weigh +1.5 dB; true
 * peak of an fs/4 sine at 45 degrees is 3 dB above its sample peak; silence
 * has no integrated loudness. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ave/error.h"
#include "enhance/loudness.h"
#include "check.h"

#define FS 48000

/* Loudness of a `secs` sine of amplitude amp and frequency f on the channels
 * flagged in on[], with the given roles. */
static ave_loudness_result measure(int channels, const int *roles, const int *on, double amp,
                                   double f, double phase, double secs)
{
    ave_loudness *l = NULL;
    ave_loudness_result r = {0};
    size_t n;
    float *buf, *zero;
    const float *pl[8];

    /* valgrind (quick): 4 s still holds ten 400 ms blocks and the 3 s
     * windows of the loudness range; the figures do not change */
    if (CHECK_QUICK() && secs > 4)
        secs = 4;
    n = (size_t)(secs * FS);
    buf = calloc(n, sizeof(float));
    zero = calloc(n, sizeof(float));
    for (size_t i = 0; i < n; i++)
        buf[i] = (float)(amp * sin(2 * M_PI * f * (double)i / FS + phase));
    for (int c = 0; c < channels; c++)
        pl[c] = on[c] ? buf : zero;
    CHECK_EQ_INT(ave_loudness_new(&l, channels, FS, roles), 0);
    CHECK_EQ_INT(ave_loudness_add(l, pl, n), 0);
    CHECK_EQ_INT(ave_loudness_get(l, &r), 0);
    ave_loudness_free(l);
    free(buf);
    free(zero);
    return r;
}

int main(void)
{
    const int all[6] = {1, 1, 1, 1, 1, 1};
    ave_loudness_result r;

    r = measure(1, NULL, all, 0.1, 1000, 0, 20);
    printf("mono -20 dBFS 1 kHz: %.3f LUFS, LRA %.2f, TP %.2f dBTP\n", r.integrated_lufs, r.range_lu,
           r.true_peak_db);
    CHECK_NEAR(r.integrated_lufs, -23.0, 0.1);
    CHECK_NEAR(r.range_lu, 0, 0.1);
    CHECK_NEAR(r.true_peak_db, -20, 0.05);

    r = measure(1, NULL, all, 1.0, 997, 0, 10);
    CHECK_NEAR(r.integrated_lufs, -3.01, 0.1);

    r = measure(2, NULL, all, pow(10, -23 / 20.0), 997, 0, 20);
    printf("stereo -23 dBFS 997 Hz: %.3f LUFS\n", r.integrated_lufs);
    CHECK_NEAR(r.integrated_lufs, -23.0, 0.1);

    /* 5.1: L R C LFE Ls Rs; a tone only in the LFE does not count, one in a
     * surround counts 1.5 dB more than in a front channel */
    {
        const int roles[6] = {AVE_LROLE_FRONT, AVE_LROLE_FRONT, AVE_LROLE_FRONT, AVE_LROLE_UNUSED,
                              AVE_LROLE_SURROUND, AVE_LROLE_SURROUND};
        const int only_c[6] = {0, 0, 1, 0, 0, 0}, only_lfe[6] = {0, 0, 0, 1, 0, 0},
                  only_ls[6] = {0, 0, 0, 0, 1, 0};
        double c = measure(6, roles, only_c, 0.1, 1000, 0, 10).integrated_lufs;
        double ls = measure(6, roles, only_ls, 0.1, 1000, 0, 10).integrated_lufs;
        r = measure(6, roles, only_lfe, 0.1, 60, 0, 10);
        CHECK_NEAR(c, -23.0, 0.1);
        CHECK_NEAR(ls - c, 1.5, 0.05);
        CHECK(r.integrated_lufs == -HUGE_VAL);
    }

    /* inter-sample peak: samples of sin(pi/2 n + pi/4) are +-0.707 of the
     * peak; true peak sees the 0 dB crest */
    r = measure(1, NULL, all, 1.0, FS / 4.0, M_PI / 4, 2);
    printf("fs/4 sine, 45 deg: sample peak %.2f dBFS, true peak %.2f dBTP\n", r.sample_peak_db,
           r.true_peak_db);
    CHECK_NEAR(r.sample_peak_db, -3.01, 0.01);
    CHECK(r.true_peak_db > -0.5);

    /* silence and too-short input */
    r = measure(1, NULL, all, 0, 1000, 0, 5);
    CHECK(r.integrated_lufs == -HUGE_VAL);
    CHECK(r.true_peak_db == -HUGE_VAL);
    r = measure(2, NULL, all, 0.1, 1000, 0, 0.3);
    CHECK(r.integrated_lufs == -HUGE_VAL);

    {
        ave_loudness *l = NULL;
        CHECK_EQ_INT(ave_loudness_new(&l, 0, FS, NULL), AVE_ERR_USAGE);
        CHECK(l == NULL);
    }
    return CHECK_DONE();
}
