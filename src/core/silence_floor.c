/* Adaptive noise floor: a low percentile of frame levels in a sliding window.
 *
 * Room noise, hum and microphone hiss change slowly over a recording, so a
 * fixed dB threshold fails on either quiet or noisy files. Speech, even
 * continuous, leaves short gaps between words, so a low percentile (~10th)
 * of the levels within ~10 s tracks the background while ignoring the
 * speech above it. Evaluating the percentile at block centres (every ~1 s)
 * and interpolating keeps the cost at O(n/block * window log window). */
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "core/silence_detect.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double ave_silence_percentile(const double *v, size_t n, double p, double *scratch)
{
    size_t rank;

    if (n == 0)
        return AVE_SILENCE_MIN_DB;
    memcpy(scratch, v, n * sizeof(*v));
    qsort(scratch, n, sizeof(*scratch), cmp_double);
    if (p <= 0.0)
        return scratch[0];
    if (p >= 100.0)
        return scratch[n - 1];
    /* Nearest rank: the smallest value with at least p% of values <= it. */
    rank = (size_t)(p / 100.0 * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return scratch[rank - 1];
}

int ave_silence_track_floor(const double *levels, size_t n, size_t window, size_t block, double pct,
                            double *floor_out)
{
    double *scratch = NULL, *centre_val = NULL;
    size_t nblocks, half;
    int ret = 0;

    if (!levels || !floor_out || window == 0 || block == 0 || n == 0)
        return AVE_ERR_USAGE;
    if (window > n)
        window = n;
    half = window / 2;
    nblocks = (n + block - 1) / block;
    scratch = malloc(window * sizeof(*scratch) + sizeof(*scratch));
    centre_val = malloc(nblocks * sizeof(*centre_val));
    if (!scratch || !centre_val) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (size_t b = 0; b < nblocks; b++) {
        size_t c = b * block + block / 2, lo, hi;

        if (c >= n)
            c = n - 1;
        /* The window slides inside the file rather than shrinking at the
         * edges, so the first and last seconds get a full-size estimate. */
        lo = c > half ? c - half : 0;
        hi = lo + window;
        if (hi > n) {
            hi = n;
            lo = n - window;
        }
        centre_val[b] = ave_silence_percentile(levels + lo, hi - lo, pct, scratch);
    }
    for (size_t i = 0; i < n; i++) {
        size_t c0 = block / 2, b;
        double t;

        if (i <= c0 || nblocks == 1) {
            floor_out[i] = centre_val[0];
            continue;
        }
        b = (i - c0) / block;
        if (b + 1 >= nblocks) {
            floor_out[i] = centre_val[nblocks - 1];
            continue;
        }
        t = (double)(i - c0 - b * block) / (double)block;
        floor_out[i] = centre_val[b] + t * (centre_val[b + 1] - centre_val[b]);
    }
out:
    free(scratch);
    free(centre_val);
    return ret;
}
