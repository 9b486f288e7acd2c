/* Word-boundary-safe cuts for fillers and stutters: which source spans the
 * speech stage removes so that no kept word loses audio, even after
 * render's crossfade. Pure functions, unit-tested in
 * tests/unit/test_word_cuts.c. */
#ifndef AVE_SPEECH_WORD_CUTS_H
#define AVE_SPEECH_WORD_CUTS_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

typedef struct ave_word_cut {
    int64_t start_us, end_us; /* source time, [start, end) */
    int reason;               /* AVE_REASON_FILLER or AVE_REASON_STUTTER */
} ave_word_cut;

typedef struct ave_word_cut_params {
    /* Audio left between a cut and a kept word. Render crossfades every join
     * over +-crossfade/2 around it (crossfade.h), so with a margin of at
     * least half the crossfade the fade lies wholly in the pause (or the
     * removed word) and the kept word's samples come out unchanged. 10 ms
     * (the default crossfade is 20 ms). */
    int64_t margin_us;
    /* A stutter's earlier copy is cut together with the pause after it (up
     * to the margin before the repeat) when that pause is at most this long
     * (1 s): the hesitation belongs to the false start. Fillers keep their
     * pauses: the silence stage decides about pauses. */
    int64_t absorb_max_us;
    /* How far the run's outer edges reach into the pauses around it (40 ms,
     * more than a frame at 25 fps and up), so that snapping the cut inward
     * onto the frame grid still removes the whole word. */
    int64_t edge_pad_us;
} ave_word_cut_params;

void ave_word_cut_params_default(ave_word_cut_params *p);

/* 1 when the edit removes w: flagged filler or stutter and not muted. */
int ave_word_cut_wanted(const ave_word *w);

/* Plan the cuts for w[0..n) (sorted by start). A run of consecutive words
 * to cut becomes contiguous spans (the gaps inside the run go too), one per
 * word with its reason; the run's outer edges stay margin_us away from the
 * neighbouring kept words' edges, moving into the removed word when the
 * neighbours are closer than that (a cut word abutting a kept one loses its
 * first or last margin_us instead of the kept word losing audio). Spans
 * that shrink to nothing are dropped. On success *cuts is malloc'd (caller
 * frees; NULL when *count is 0), sorted. Returns 0 or AVE_ERR_NOMEM. */
int ave_word_cuts_plan(const ave_word *w, size_t n, const ave_word_cut_params *p,
                       ave_word_cut **cuts, size_t *count);

#endif
