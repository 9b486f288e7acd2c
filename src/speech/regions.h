/* Speech regions: the chunks of analysis audio handed to a recogniser.
 * Pure function, unit-tested in tests/unit/test_asr_words.c and
 * tests/unit/test_speech_regions.c. */
#ifndef AVE_SPEECH_REGIONS_H
#define AVE_SPEECH_REGIONS_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

typedef struct ave_region_params {
    int64_t pad_us;       /* widen every speech region by this on both sides */
    int64_t merge_gap_us; /* join regions separated by less than this */
    int64_t max_len_us;   /* split longer regions (0: never) */
    /* A region shorter than short_len_us is joined to the next one (the last
     * to the one before) when the gap between them is below short_gap_us:
     * a phrase of a second or two alone loses the language model's context
     * and gets a poor mean for CMN. 0: never. */
    int64_t short_len_us;
    int64_t short_gap_us;
} ave_region_params;

/* The speech regions of pcm[0..n) (rate Hz, sample 0 = source time 0): the
 * complement of the pauses silences[0..nsil) (sorted by start; they may
 * overlap), padded, merged (closer than merge_gap_us, then short ones) and
 * split. A region longer than max_len_us is split at the quietest 100 ms of
 * its window [start + 2/3 max_len, start + max_len], so words are rarely cut
 * in two (at start + max_len when pcm is NULL). Returns 0 with *out
 * (malloc'd, caller frees; NULL when *count is 0) sorted and disjoint, or
 * AVE_ERR_NOMEM / AVE_ERR_USAGE (bad arguments). */
int ave_speech_regions(const int16_t *pcm, size_t n, int rate, const ave_interval *silences,
                       size_t nsil, const ave_region_params *p, ave_interval **out, size_t *count);

#endif
