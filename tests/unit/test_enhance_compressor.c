/* Unit tests for the compressor (src/enhance/compressor.c): the static
 * curve (below threshold, above it at the ratio, the soft knee continuous
 * and between the two lines), the steady-state gain on real sines, and the
 * attack and release time constants on level steps (gain reaches 63% of its
 * change after one time constant), and the linked stereo gain. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "enhance/compressor.h"
#include "check.h"

#define FS 48000.0

/* Run a constant DC level (so the detector sees a steady power) and return
 * the gain in dB applied to each sample in g[]. */
static void run_dc(ave_compressor *c, double level_db, double *g, size_t n)
{
    float x[1];
    float *pl[1] = {x};
    double v = pow(10, level_db / 20);
    for (size_t i = 0; i < n; i++) {
        x[0] = (float)v;
        ave_compressor_run(c, pl, 1, 1);
        g[i] = 20 * log10(x[0] / v);
    }
}

/* First index where g crosses from g0 toward g1 by 63.2% of the change. */
static double time_constant_ms(const double *g, size_t n, double g0, double g1)
{
    double mark = g0 + (g1 - g0) * (1 - exp(-1.0));
    for (size_t i = 0; i < n; i++)
        if ((g1 < g0 && g[i] <= mark) || (g1 > g0 && g[i] >= mark))
            return (double)(i + 1) * 1000.0 / FS;
    return -1;
}

int main(void)
{
    ave_compressor_params p = {.threshold_db = -20, .ratio = 4, .knee_db = 0,
                               .attack_ms = 10, .release_ms = 100, .rms_ms = 0};
    ave_compressor c;
    double *g = malloc(sizeof(double) * 48000);

    /* static curve, hard knee */
    CHECK_NEAR(ave_compressor_static_gain_db(&p, -40), 0, 1e-12);
    CHECK_NEAR(ave_compressor_static_gain_db(&p, -20), 0, 1e-12);
    CHECK_NEAR(ave_compressor_static_gain_db(&p, -10), -7.5, 1e-9); /* 10 dB over -> 2.5 */
    CHECK_NEAR(ave_compressor_static_gain_db(&p, 0), -15, 1e-9);
    /* soft knee: continuous at the edges, halfway point 1/8 slope*W */
    p.knee_db = 6;
    CHECK_NEAR(ave_compressor_static_gain_db(&p, -23), 0, 1e-9);
    CHECK_NEAR(ave_compressor_static_gain_db(&p, -17), -2.25, 1e-9);
    CHECK_NEAR(ave_compressor_static_gain_db(&p, -16.999), -2.25075, 1e-4);
    CHECK_NEAR(ave_compressor_static_gain_db(&p, -20), (0.25 - 1) * 9 / 12, 1e-9);
    for (double x = -30; x < 0; x += 0.1) {
        double y = ave_compressor_static_gain_db(&p, x);
        double hard = x > -20 ? (0.25 - 1) * (x + 20) : 0;
        CHECK(y <= 1e-12 && y <= hard + 1e-9 + 0 * x && y >= hard - 0.75 - 1e-9);
    }
    p.knee_db = 0;

    /* attack: DC step from -40 to -10 dBFS; target gain -7.5 dB */
    ave_compressor_init(&c, &p, FS);
    run_dc(&c, -40, g, 4800);
    CHECK_NEAR(g[4799], 0, 1e-6);
    run_dc(&c, -10, g, 48000);
    CHECK_NEAR(g[47999], -7.5, 0.01);
    printf("attack: 63%% after %.2f ms (set 10 ms)\n", time_constant_ms(g, 48000, 0, -7.5));
    CHECK_NEAR(time_constant_ms(g, 48000, 0, -7.5), 10.0, 0.1);
    /* release: back to -40 dBFS */
    run_dc(&c, -40, g, 48000);
    printf("release: 63%% after %.2f ms (set 100 ms)\n", time_constant_ms(g, 48000, -7.5, 0));
    CHECK_NEAR(time_constant_ms(g, 48000, -7.5, 0), 100.0, 0.2);
    CHECK(c.min_gain_db < -7.49);

    /* steady sines with the RMS detector: a sine at peak -4 dBFS has RMS
     * -7.01 dBFS; threshold -20 ratio 4 -> gain -(12.99 * 0.75) */
    {
        ave_compressor_params q = p;
        size_t n = 96000;
        float *l = malloc(n * sizeof(float)), *r = malloc(n * sizeof(float));
        float *pl[2] = {l, r};
        double amp = pow(10, -4 / 20.0), want = -(20 * log10(amp) - 3.0103 + 20) * 0.75, peak = 0;
        q.rms_ms = 20;
        q.release_ms = 200;
        ave_compressor_init(&c, &q, FS);
        for (size_t i = 0; i < n; i++) {
            l[i] = (float)(amp * sin(2 * M_PI * 1000 * (double)i / FS));
            r[i] = 0.1f * l[i]; /* quiet right channel must get the same gain */
        }
        ave_compressor_run(&c, pl, 2, n);
        for (size_t i = n - 4800; i < n; i++)
            peak = fmax(peak, fabs(l[i]));
        printf("sine -4 dBFS: gain %.2f dB (static curve %.2f dB)\n", 20 * log10(peak / amp), want);
        /* the RMS of a sine ripples at 2f; the ripple costs a little extra */
        CHECK_NEAR(20 * log10(peak / amp), want, 0.5);
        CHECK_NEAR(r[n - 100] / l[n - 100], 0.1, 1e-5);
        free(l);
        free(r);
    }
    free(g);
    return CHECK_DONE();
}
