/* Unit tests for the DC removal / 80 Hz high-pass (src/enhance/highpass.c):
 * the analytic magnitude response of the 4th-order Butterworth at 20, 80
 * and 1000 Hz, the same figures measured by filtering sines, DC removal, and
 * the corner holding at 8, 48 and 96 kHz. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "enhance/highpass.h"
#include "check.h"

/* Gain in dB of a sine at f through a fresh filter, measured on the second
 * half of 4 s (transients gone). */
static double measured_db(double fs, double f, int rumble)
{
    size_t n = (size_t)(4 * fs), i;
    float *x = malloc(n * sizeof(float));
    double in = 0, out = 0;
    ave_highpass hp;

    for (i = 0; i < n; i++)
        x[i] = (float)(0.5 * sin(2 * M_PI * f * (double)i / fs));
    for (i = n / 2; i < n; i++)
        in += (double)x[i] * x[i];
    ave_highpass_init(&hp, fs, rumble);
    for (i = 0; i < n; i += 1000)
        ave_highpass_run(&hp, x + i, n - i < 1000 ? n - i : 1000);
    for (i = n / 2; i < n; i++)
        out += (double)x[i] * x[i];
    free(x);
    return 10 * log10(out / in);
}

int main(void)
{
    const double rates[] = {8000, 48000, 96000};

    for (int r = 0; r < 3; r++) {
        double fs = rates[r];
        ave_highpass hp;
        ave_highpass_init(&hp, fs, 1);
        /* Butterworth order 4: |H|^2 = 1 / (1 + (fc/f)^8) */
        CHECK_NEAR(ave_highpass_response_db(&hp, fs, 80), -3.01, 0.05);
        CHECK_NEAR(ave_highpass_response_db(&hp, fs, 20), -10 * log10(1 + pow(4, 8)), 0.2);
        CHECK_NEAR(ave_highpass_response_db(&hp, fs, 1000), 0, 0.01);
        CHECK(ave_highpass_response_db(&hp, fs, 40) < -23);
        printf("fs %6.0f: 20 Hz %.2f dB, 80 Hz %.2f dB, 1 kHz %.4f dB\n", fs,
               ave_highpass_response_db(&hp, fs, 20), ave_highpass_response_db(&hp, fs, 80),
               ave_highpass_response_db(&hp, fs, 1000));
    }
    /* measured on signals agrees with the analytic response */
    CHECK_NEAR(measured_db(48000, 80, 1), -3.01, 0.1);
    CHECK_NEAR(measured_db(48000, 20, 1), -48.2, 1.0);
    CHECK_NEAR(measured_db(48000, 1000, 1), 0, 0.02);
    /* DC-only mode leaves speech alone */
    CHECK_NEAR(measured_db(48000, 80, 0), 0, 0.1);
    CHECK_NEAR(measured_db(16000, 1000, 0), 0, 0.02);

    /* DC removal: a constant offset decays to nothing in both modes */
    for (int rumble = 0; rumble < 2; rumble++) {
        ave_highpass hp;
        float x[48000];
        double tail = 0;
        for (int i = 0; i < 48000; i++)
            x[i] = 0.3f;
        ave_highpass_init(&hp, 48000, rumble);
        ave_highpass_run(&hp, x, 48000);
        for (int i = 38000; i < 48000; i++)
            tail = fmax(tail, fabs(x[i]));
        CHECK(tail < 1e-4);
    }
    return CHECK_DONE();
}
