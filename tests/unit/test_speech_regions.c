/* Speech regions split at short pauses: short phrases are joined to a
 * neighbour across short gaps but never across a long pause, and the
 * result stays sorted, disjoint and on the source timeline. */
#include <stdlib.h>

#include "ave/ave.h"
#include "check.h"
#include "speech/regions.h"

#define S(x) ((int64_t)((x)*1000000.0 + 0.5))

int main(void)
{
    /* 20 s: phrases 0.5-3.5, 3.9-5.0 (short), 5.4-8.4, 9.4-10.4 (short,
     * after a 1 s pause), 10.8-14.0, 14.4-15.2 (short, last). */
    ave_interval sil[] = {{0, S(0.5)},       {S(3.5), S(3.9)},   {S(5.0), S(5.4)},
                          {S(8.4), S(9.4)},  {S(10.4), S(10.8)}, {S(14.0), S(14.4)},
                          {S(15.2), S(20.0)}};
    ave_region_params p = {.pad_us = S(0.1), .short_len_us = S(2.5), .short_gap_us = S(0.55)};
    ave_interval *r = NULL;
    size_t n = 0;

    /* Without joining: one region per phrase, padded. */
    p.short_len_us = 0;
    CHECK_EQ_INT(ave_speech_regions(NULL, 20 * 16000, 16000, sil, 7, &p, &r, &n), 0);
    CHECK_EQ_INT(n, 6);
    if (n == 6) {
        CHECK_EQ_INT(r[1].start_us, S(3.8));
        CHECK_EQ_INT(r[1].end_us, S(5.1));
    }
    free(r);

    /* Joining: 3.9-5.0 grows into 5.4-8.4 (gap 0.2 s after padding); the
     * short 9.4-10.4 is after a 1 s pause (gap 0.8 s), so it is not joined
     * backwards but grows forward into 10.8-14.0; the short last phrase
     * joins the one before. */
    p.short_len_us = S(2.5);
    CHECK_EQ_INT(ave_speech_regions(NULL, 20 * 16000, 16000, sil, 7, &p, &r, &n), 0);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK_EQ_INT(r[0].start_us, S(0.4));
        CHECK_EQ_INT(r[0].end_us, S(3.6));
        CHECK_EQ_INT(r[1].start_us, S(3.8));
        CHECK_EQ_INT(r[1].end_us, S(8.5));
        CHECK_EQ_INT(r[2].start_us, S(9.3));
        CHECK_EQ_INT(r[2].end_us, S(15.3));
    }
    free(r);

    /* Overlapping pauses (the silence stage's merged with shorter ones)
     * give the same regions as their union. */
    {
        ave_interval ov[] = {
            {0, S(0.5)}, {0, S(0.3)}, {S(3.5), S(3.9)}, {S(3.6), S(3.8)}, {S(8.0), S(20.0)}};
        p.short_len_us = 0;
        CHECK_EQ_INT(ave_speech_regions(NULL, 20 * 16000, 16000, ov, 5, &p, &r, &n), 0);
        CHECK_EQ_INT(n, 2);
        if (n == 2) {
            CHECK_EQ_INT(r[0].start_us, S(0.4));
            CHECK_EQ_INT(r[0].end_us, S(3.6));
            CHECK_EQ_INT(r[1].start_us, S(3.8));
            CHECK_EQ_INT(r[1].end_us, S(8.1));
        }
        free(r);
    }
    return CHECK_DONE();
}
