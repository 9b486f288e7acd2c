/* Frame levels: RMS of short overlapping frames in dBFS.
 *
 * The silence detector works on these levels rather than on samples. A full
 * scale square wave is 0 dBFS; digital silence would be -inf and is clamped
 * at AVE_SILENCE_MIN_DB so percentiles and medians stay finite. Assumes mono
 * int16 input; the cost is one multiply-add per sample and frame overlap. */
#include <math.h>
#include <stdlib.h>

#include "ave/error.h"
#include "core/silence_detect.h"

int ave_silence_frame_levels(const int16_t *pcm, size_t n, size_t frame, size_t hop, double **out,
                             size_t *count)
{
    double *lv;
    size_t nf;

    if (!out || !count || frame == 0 || hop == 0 || (n > 0 && !pcm))
        return AVE_ERR_USAGE;
    *out = NULL;
    *count = 0;
    if (n == 0)
        return 0;
    /* Enough frames that the last one reaches the end of the input. */
    nf = n <= frame ? 1 : 1 + (n - frame + hop - 1) / hop;
    lv = malloc(nf * sizeof(*lv));
    if (!lv)
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < nf; i++) {
        size_t a = i * hop, b = a + frame < n ? a + frame : n;
        double sum = 0.0, ms;

        for (size_t j = a; j < b; j++)
            sum += (double)pcm[j] * pcm[j];
        ms = b > a ? sum / (double)(b - a) / (32768.0 * 32768.0) : 0.0;
        lv[i] = ms > 0.0 ? 10.0 * log10(ms) : AVE_SILENCE_MIN_DB;
        if (lv[i] < AVE_SILENCE_MIN_DB)
            lv[i] = AVE_SILENCE_MIN_DB;
    }
    *out = lv;
    *count = nf;
    return 0;
}
