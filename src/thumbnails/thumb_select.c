/* Thumbnail selection: the best eligible candidates, spread over scenes, and
 * the naive baseline they are compared with.
 *
 * Diversity: a second thumbnail of the same shot is nearly the same picture,
 * so picks come from different scenes while unused scenes have eligible
 * frames; only then may a scene give another frame, and never one closer
 * than min_gap to an earlier pick. Excluded candidates are never picked. */
#include <stdlib.h>

#include "thumbnails/thumb.h"

static int64_t absdiff(int64_t a, int64_t b)
{
    return a > b ? a - b : b - a;
}

static int picked_scene(const thumb_candidate *cands, const int *picks, size_t np, int scene)
{
    for (size_t i = 0; i < np; i++)
        if (cands[picks[i]].scene == scene)
            return 1;
    return 0;
}

static int far_from_picks(const thumb_candidate *cands, const int *picks, size_t np, int64_t t,
                          int64_t gap)
{
    for (size_t i = 0; i < np; i++)
        if (absdiff(cands[picks[i]].pts_us, t) < gap)
            return 0;
    return 1;
}

/* The best eligible candidate passing the filter, or -1. */
static int best(const thumb_candidate *cands, size_t n, const int *picks, size_t np,
                int new_scene, int64_t gap)
{
    int b = -1;
    for (size_t i = 0; i < n; i++) {
        const thumb_candidate *c = &cands[i];
        if (c->exclusion != THUMB_X_NONE)
            continue;
        if (new_scene ? picked_scene(cands, picks, np, c->scene)
                      : !far_from_picks(cands, picks, np, c->pts_us, gap))
            continue;
        if (b < 0 || c->total > cands[b].total)
            b = (int)i;
    }
    return b;
}

size_t thumb_select(const thumb_candidate *cands, size_t n, size_t max_picks, int64_t min_gap_us,
                    int *picks)
{
    size_t np = 0;
    while (np < max_picks) {
        int b = best(cands, n, picks, np, 1, 0);
        if (b < 0)
            b = best(cands, n, picks, np, 0, min_gap_us);
        if (b < 0)
            break;
        picks[np++] = b;
    }
    return np;
}

int thumb_baseline(const thumb_candidate *cands, size_t n, int64_t duration_us)
{
    int64_t target = duration_us / 10;
    int b = -1;
    for (size_t i = 0; i < n; i++)
        if (b < 0 || absdiff(cands[i].pts_us, target) < absdiff(cands[b].pts_us, target))
            b = (int)i;
    return b;
}
