/* Word-boundary-safe cut planning (word_cuts.h).
 *
 * Why a margin: render mixes the audio around every join over a window
 * centred on it, so a cut placed exactly at a kept word's edge fades out the
 * last half-window of that word (or fades in its first). Peers are
 * criticised for exactly this, chopped word endings, so the cut keeps
 * margin_us of pause, or of the removed word itself when the words abut:
 * a few milliseconds of "um" at low gain under a crossfade are far less
 * audible than a clipped consonant. The plan stage then only shrinks
 * content cuts onto the frame grid (timeline.h), never into the margin.
 * Assumes words sorted by start; overlapping recogniser times are clamped. */
#include <stdlib.h>

#include "ave/error.h"
#include "ave/timeline.h"
#include "speech/word_cuts.h"

void ave_word_cut_params_default(ave_word_cut_params *p)
{
    p->margin_us = 10000;
    p->edge_pad_us = 40000;
    p->absorb_max_us = 1000000;
}

int ave_word_cut_wanted(const ave_word *w)
{
    return (w->flags & (AVE_WORD_FILLER | AVE_WORD_STUTTER)) && !(w->flags & AVE_WORD_MUTED);
}

static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

int ave_word_cuts_plan(const ave_word *w, size_t n, const ave_word_cut_params *p,
                       ave_word_cut **cuts, size_t *count)
{
    ave_word_cut_params def;
    ave_word_cut *v = NULL;
    size_t nv = 0;

    *cuts = NULL;
    *count = 0;
    if (!p) {
        ave_word_cut_params_default(&def);
        p = &def;
    }
    for (size_t i = 0; i < n; i++)
        nv += ave_word_cut_wanted(&w[i]);
    if (nv == 0)
        return 0;
    if (!(v = malloc(nv * sizeof(*v))))
        return AVE_ERR_NOMEM;
    nv = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int64_t lo, hi, last_end;

        if (!ave_word_cut_wanted(&w[i])) {
            i++;
            continue;
        }
        while (j + 1 < n && ave_word_cut_wanted(&w[j + 1]))
            j++;
        /* The run w[i..j]; its kept neighbours are w[i-1] and w[j+1]. */
        /* Outer edges reach edge_pad_us into the pauses around the run (never
         * past the margin): plan shrinks content cuts onto the frame grid,
         * which would otherwise leave up to a frame of the removed word
         * audible at each side. */
        lo = max64(w[i].start_us - p->edge_pad_us, 0);
        if (i > 0)
            lo = max64(lo, w[i - 1].end_us + p->margin_us);
        last_end = w[j].end_us + p->edge_pad_us;
        if (j + 1 < n && (w[j].flags & AVE_WORD_STUTTER) &&
            w[j + 1].start_us - w[j].end_us <= p->absorb_max_us)
            last_end = max64(last_end, w[j + 1].start_us - p->margin_us);
        hi = j + 1 < n ? min64(last_end, w[j + 1].start_us - p->margin_us) : last_end;
        for (size_t k = i; k <= j; k++) {
            int64_t s = k == i ? lo : max64(w[k].start_us, lo);
            int64_t e = k < j ? max64(w[k].end_us, w[k + 1].start_us) : last_end;
            e = min64(e, hi);
            if (e <= s)
                continue;
            v[nv].start_us = s;
            v[nv].end_us = e;
            v[nv].reason = (w[k].flags & AVE_WORD_FILLER) ? AVE_REASON_FILLER : AVE_REASON_STUTTER;
            nv++;
        }
        i = j + 1;
    }
    if (nv == 0) {
        free(v);
        v = NULL;
    }
    *cuts = v;
    *count = nv;
    return 0;
}
