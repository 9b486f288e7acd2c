/* Run a denoiser over a whole signal, as the enhance chain does, for the
 * unit tests: include after check.h and enhance/denoise.h. */
#ifndef AVE_TEST_DENOISE_RUN_H
#define AVE_TEST_DENOISE_RUN_H

#include <stdlib.h>
#include <string.h>

/* d's output for x[0..n), its latency removed so that it lines up with x.
 * Frees d. The result is malloc'd (caller frees); an empty denoiser (d
 * NULL: creating it failed, already reported by the caller's CHECK) gives
 * silence. */
static inline float *denoise_run_aligned(ave_denoiser *d, const float *x, size_t n)
{
    size_t lat;
    float *y;

    if (!d)
        return calloc(n, sizeof(float));
    lat = ave_denoiser_latency(d);
    y = malloc((n + lat) * sizeof(float));
    CHECK(y != NULL);
    if (!y) {
        ave_denoiser_free(d);
        return NULL;
    }
    CHECK_EQ_INT(ave_denoiser_process(d, x, y, n), 0);
    CHECK_EQ_INT(ave_denoiser_flush(d, y + n), 0);
    memmove(y, y + lat, n * sizeof(float));
    ave_denoiser_free(d);
    return y;
}

#endif
