/* Loudness measurement (see loudness.h) over libebur128, which implements
 * BS.1770-4 exactly (K-weighting, 400 ms gated blocks, relative gate at
 * -10 LU, LRA from 3 s short-term blocks, true peak by oversampling). Our
 * part is the channel roles and the planar-to-interleaved copy libebur128
 * needs, done in bounded chunks so memory does not grow with the input. */
#include <math.h>
#include <stdlib.h>

#include <ebur128.h>

#include "ave/error.h"
#include "enhance/interleave.h"
#include "enhance/loudness.h"

#define CHUNK 4096 /* frames interleaved per ebur128 call */

struct ave_loudness {
    ebur128_state *st;
    int channels;
    int full;     /* range and peaks measured too */
    float *inter; /* CHUNK * channels */
};

static int create(ave_loudness **out, int channels, int rate, const int *roles, int mode)
{
    ave_loudness *l;

    *out = NULL;
    if (channels < 1 || rate < 1)
        return AVE_ERR_USAGE;
    if (!(l = calloc(1, sizeof(*l))))
        return AVE_ERR_NOMEM;
    l->channels = channels;
    l->full = mode != EBUR128_MODE_I;
    l->st = ebur128_init((unsigned)channels, (unsigned long)rate, mode);
    l->inter = malloc((size_t)CHUNK * (size_t)channels * sizeof(float));
    if (!l->st || !l->inter) {
        ave_loudness_free(l);
        return AVE_ERR_NOMEM;
    }
    for (int c = 0; roles && c < channels; c++) {
        int v = roles[c] == AVE_LROLE_UNUSED   ? EBUR128_UNUSED
                : roles[c] == AVE_LROLE_FRONT ? EBUR128_LEFT /* weight 1 */
                                              : EBUR128_LEFT_SURROUND;
        ebur128_set_channel(l->st, (unsigned)c, v);
    }
    *out = l;
    return 0;
}

int ave_loudness_new(ave_loudness **out, int channels, int rate, const int *roles)
{
    return create(out, channels, rate, roles,
                  EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK);
}

int ave_loudness_new_integrated(ave_loudness **out, int channels, int rate, const int *roles)
{
    return create(out, channels, rate, roles, EBUR128_MODE_I);
}

int ave_loudness_add(ave_loudness *l, const float *const *planes, size_t n)
{
    for (size_t done = 0; done < n;) {
        size_t k = n - done < CHUNK ? n - done : CHUNK;
        enh_interleave(planes, l->channels, done, k, l->inter);
        if (ebur128_add_frames_float(l->st, l->inter, k) != EBUR128_SUCCESS)
            return AVE_ERR_NOMEM;
        done += k;
    }
    return 0;
}

static double to_db(double lin)
{
    return lin > 0 ? 20 * log10(lin) : -HUGE_VAL;
}

int ave_loudness_get(ave_loudness *l, ave_loudness_result *r)
{
    double tp = 0, sp = 0, v;

    r->range_lu = 0;
    if (ebur128_loudness_global(l->st, &r->integrated_lufs) != EBUR128_SUCCESS ||
        (l->full && ebur128_loudness_range(l->st, &r->range_lu) != EBUR128_SUCCESS))
        return AVE_ERR_INTERNAL;
    for (int c = 0; l->full && c < l->channels; c++) {
        if (ebur128_true_peak(l->st, (unsigned)c, &v) == EBUR128_SUCCESS && v > tp)
            tp = v;
        if (ebur128_sample_peak(l->st, (unsigned)c, &v) == EBUR128_SUCCESS && v > sp)
            sp = v;
    }
    r->true_peak_db = to_db(tp);
    r->sample_peak_db = to_db(sp);
    return 0;
}

void ave_loudness_free(ave_loudness *l)
{
    if (!l)
        return;
    ebur128_destroy(&l->st);
    free(l->inter);
    free(l);
}
