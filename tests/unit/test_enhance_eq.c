/* Unit tests for the presence EQ (src/enhance/presence_eq.c: the RBJ
 * peaking magnitude from biquad.c as a linear-phase FIR): +2.5 dB at
 * 3.5 kHz, flat far away, the bell shape from Q, measured on sines as well
 * as from the taps, and the 8 kHz fallback staying below Nyquist. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "enhance/biquad.h"
#include "enhance/presence_eq.h"
#include "check.h"

static double measured_db(double fs, double f)
{
    size_t n = (size_t)fs, i;
    float *x = malloc(n * sizeof(float));
    double in = 0, out = 0;
    ave_linphase *eq;

    for (i = 0; i < n; i++)
        x[i] = (float)(0.25 * sin(2 * M_PI * f * (double)i / fs));
    for (i = n / 2; i < n; i++)
        in += (double)x[i] * x[i];
    CHECK_EQ_INT(ave_presence_eq_new(&eq, fs), 0);
    ave_linphase_run(eq, x, x, n);
    for (i = n / 2; i < n; i++)
        out += (double)x[i] * x[i];
    ave_linphase_free(eq);
    free(x);
    return 10 * log10(out / in);
}

int main(void)
{
    ave_linphase *eq;
    ave_biquad bq;

    CHECK_EQ_INT(ave_presence_eq_new(&eq, 48000), 0);
    printf("presence EQ at 48 kHz: 100 Hz %.3f, 1 kHz %.3f, 3.5 kHz %.3f, 16 kHz %.3f dB\n",
           ave_linphase_response_db(eq, 100), ave_linphase_response_db(eq, 1000),
           ave_linphase_response_db(eq, 3500), ave_linphase_response_db(eq, 16000));
    CHECK_NEAR(ave_linphase_response_db(eq, 3500), 2.5, 0.02);
    CHECK_NEAR(ave_linphase_response_db(eq, 100), 0, 0.05);
    CHECK(ave_linphase_response_db(eq, 1000) > 0.2);
    CHECK(ave_linphase_response_db(eq, 1000) < 1.2);
    CHECK(ave_linphase_response_db(eq, 20000) < 0.5);
    /* never a cut, never more than the centre boost */
    for (double f = 20; f < 23000; f *= 1.1) {
        double db = ave_linphase_response_db(eq, f);
        CHECK(db >= -0.001 && db <= 2.501);
    }
    CHECK_NEAR(measured_db(48000, 3500), 2.5, 0.05);
    CHECK_NEAR(measured_db(48000, 200), 0, 0.05);

    /* RBJ peaking: the gain at +-half bandwidth is the "midpoint" (in dB)
     * of the bell for the cookbook's Q definition, here checked as
     * monotonic decay away from the centre on both sides */
    ave_biquad_peaking(&bq, 48000, 1000, 2.0, 6.0);
    CHECK_NEAR(ave_biquad_response_db(&bq, 48000, 1000), 6.0, 0.01);
    CHECK(ave_biquad_response_db(&bq, 48000, 800) < 6.0);
    CHECK(ave_biquad_response_db(&bq, 48000, 1250) < 6.0);
    CHECK(ave_biquad_response_db(&bq, 48000, 800) > ave_biquad_response_db(&bq, 48000, 500));
    /* a cut is the exact inverse of the boost */
    {
        ave_biquad cut;
        ave_biquad_peaking(&cut, 48000, 1000, 2.0, -6.0);
        for (double f = 50; f < 20000; f *= 1.5)
            CHECK_NEAR(ave_biquad_response_db(&bq, 48000, f) + ave_biquad_response_db(&cut, 48000, f),
                       0, 1e-6);
    }

    /* 8 kHz: the centre moves to fs/3 and the boost is still there */
    ave_linphase_free(eq);
    CHECK_EQ_INT(ave_presence_eq_new(&eq, 8000), 0);
    CHECK_NEAR(ave_linphase_response_db(eq, 8000 / 3.0), 2.5, 0.03);
    CHECK_NEAR(measured_db(8000, 8000 / 3.0), 2.5, 0.1);
    ave_linphase_free(eq);
    return CHECK_DONE();
}
