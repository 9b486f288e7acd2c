/* Unit tests for the true-peak limiter (src/enhance/limiter.c). Every
 * output is measured with libebur128's true peak (through loudness.c) and
 * must not exceed the ceiling: full-scale square waves, an fs/4 sine at 45
 * degrees (samples at 0.707 of the crest), a hard-clipped sine, bursts of
 * loud noise, at 44.1, 48 and 96 kHz and ceilings of -1 and -3 dBTP. A
 * signal under the ceiling must come out bit-identical (only delayed), and
 * a limited one must not lose more level than it has to. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "enhance/limiter.h"
#include "enhance/loudness.h"
#include "check.h"

enum { SQUARE, ISP, CLIPPED, BURSTS, QUIET, NSIG };
static const char *const names[] = {"square 0 dBFS", "fs/4 sine 45 deg", "clipped sine",
                                    "noise bursts", "quiet sine"};

static uint64_t rng_state = 88172645463325252ULL;
static double uniform(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0 * 2 - 1;
}

static void generate(int kind, float *x, size_t n, double fs, int ch)
{
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / fs, v = 0;
        switch (kind) {
        case SQUARE: v = sin(2 * M_PI * 997 * t + ch) >= 0 ? 1.0 : -1.0; break;
        case ISP: v = sin(M_PI / 2 * (double)i + M_PI / 4 + ch * M_PI / 2); break;
        case CLIPPED: v = fmax(-1, fmin(1, 3 * sin(2 * M_PI * 440 * t))); break;
        case BURSTS: v = uniform() * (fmod(t, 0.5) < 0.1 ? 1.0 : 0.05); break;
        case QUIET: v = 0.5 * sin(2 * M_PI * 1000 * t); break;
        }
        x[i] = (float)v;
    }
}

/* Limit `channels` channels of signal kind; returns the output true peak
 * and its integrated loudness change. Also checks exact transparency when
 * the input is under the ceiling. */
static double run(int kind, double fs, int channels, double ceiling, double *loss_lu,
                  double *tp_in)
{
    size_t n = (size_t)(3 * fs), lat;
    float *in[2], *out[2], *tail[2];
    ave_limiter *lim = NULL;
    ave_loudness *m_in = NULL, *m_out = NULL;
    ave_loudness_result ri, ro;

    for (int c = 0; c < channels; c++) {
        in[c] = malloc(n * sizeof(float));
        out[c] = malloc(n * sizeof(float));
        generate(kind, in[c], n, fs, c);
    }
    CHECK_EQ_INT(ave_limiter_new(&lim, channels, fs, ceiling, 5, 30), 0); /* the chain's settings */
    lat = ave_limiter_latency(lim);
    for (int c = 0; c < channels; c++)
        tail[c] = malloc(lat * sizeof(float));
    /* uneven chunks: streaming must not depend on the block size */
    for (size_t done = 0, k = 1; done < n; done += k, k = k * 7 % 4099 + 1) {
        float *pi[2], *po[2];
        if (k > n - done)
            k = n - done;
        for (int c = 0; c < channels; c++) {
            pi[c] = in[c] + done;
            po[c] = out[c] + done;
        }
        ave_limiter_run(lim, (const float *const *)pi, po, k);
    }
    ave_limiter_flush(lim, tail);
    ave_loudness_new(&m_in, channels, (int)fs, NULL);
    ave_loudness_new(&m_out, channels, (int)fs, NULL);
    {
        /* align: output sample i + lat is input sample i */
        const float *po[2], *pt[2];
        for (int c = 0; c < channels; c++) {
            po[c] = out[c] + lat;
            pt[c] = tail[c];
        }
        ave_loudness_add(m_in, (const float *const *)in, n);
        ave_loudness_add(m_out, po, n - lat);
        ave_loudness_add(m_out, pt, lat);
    }
    ave_loudness_get(m_in, &ri);
    ave_loudness_get(m_out, &ro);
    *loss_lu = ri.integrated_lufs - ro.integrated_lufs;
    *tp_in = ri.true_peak_db;
    if (kind == QUIET) {
        int same = 1;
        for (size_t i = 0; i + lat < n; i++)
            same &= out[0][i + lat] == in[0][i];
        for (size_t i = 0; i < lat; i++)
            same &= out[0][i] == 0.0f;
        CHECK(same);
    }
    ave_limiter_free(lim);
    ave_loudness_free(m_in);
    ave_loudness_free(m_out);
    for (int c = 0; c < channels; c++) {
        free(in[c]);
        free(out[c]);
        free(tail[c]);
    }
    return ro.true_peak_db;
}

int main(void)
{
    const double rates[] = {44100, 48000, 96000}, ceilings[] = {-1.0, -3.0};
    double worst = -100;

    for (int r = CHECK_QUICK() ? 1 : 0; r < (CHECK_QUICK() ? 2 : 3); r++)
        for (int c = 0; c < 2; c++)
            for (int k = 0; k < NSIG; k++) {
                double loss, tp_in, tp = run(k, rates[r], k == ISP ? 2 : 1, ceilings[c], &loss, &tp_in);
                printf("%5.0f Hz ceiling %4.1f  %-17s true peak %+5.2f -> %6.2f dBTP, loudness -%.2f LU\n",
                       rates[r], ceilings[c], names[k], tp_in, tp, loss);
                CHECK(tp <= ceilings[c]);
                if (tp - ceilings[c] > worst)
                    worst = tp - ceilings[c];
                if (k == QUIET)
                    CHECK_NEAR(loss, 0, 1e-6);
                else if (k != BURSTS) /* steady signals: no more reduction than needed */
                    CHECK(loss < tp_in - ceilings[c] + 0.25);
                else /* bursts: the release costs some level after each burst */
                    CHECK(loss < tp_in - ceilings[c] + 2.5);
            }
    printf("worst true peak relative to the ceiling: %+.3f dB\n", worst);
    {
        ave_limiter *l = NULL;
        CHECK_EQ_INT(ave_limiter_new(&l, 1, 48000, 0.5, 5, 80), AVE_ERR_USAGE);
        CHECK_EQ_INT(ave_limiter_new(&l, 0, 48000, -1, 5, 80), AVE_ERR_USAGE);
        CHECK(l == NULL);
    }
    return CHECK_DONE();
}
