/* Moving a hand-edited timeline onto the video frame grid (see
 * edit_timeline_snap in edit.h).
 *
 * Audio and video must cut at the same instant, and video can only cut
 * between frames, so every boundary lands on the grid. Moving each cut's
 * ends to their nearest frame, one cut at a time, is right for pieces
 * longer than a frame but not below it: 10 ms keep/cut pieces at 25 fps put
 * every boundary at a quarter or a half frame, ties rounded the same way,
 * and each 10 ms cut grew to a whole frame: "the edit removes everything"
 * although half was kept. So the decision is per frame: a frame that holds
 * no boundary follows its piece; a frame that holds some is kept when at
 * least half of it is kept, which is nearest-frame rounding for a lone
 * boundary. Across consecutive such frames (pieces shorter than a frame)
 * the kept time asked for and given are carried from frame to frame
 * (error diffusion), so the output keeps what was asked within half a frame
 * per run instead of all or nothing.
 *
 * One linear pass over the segments: a hostile file with a million pieces
 * costs a million steps, not a million squared. */
#include <stdlib.h>

#include <libavutil/mathematics.h>

#include "ave/error.h"
#include "edit/edit.h"

typedef struct builder {
    ave_segment *segs;
    size_t count, cap;
} builder;

/* Append [a, b) with (keep, reason), merging with an equal neighbour. */
static int push(builder *o, int64_t a, int64_t b, int keep, int reason)
{
    if (b <= a)
        return 0;
    if (!keep && reason == AVE_REASON_KEEP)
        reason = AVE_REASON_MANUAL;
    if (keep)
        reason = AVE_REASON_KEEP;
    if (o->count && o->segs[o->count - 1].keep == keep && o->segs[o->count - 1].reason == reason &&
        o->segs[o->count - 1].end_us == a) {
        o->segs[o->count - 1].end_us = b;
        return 0;
    }
    if (o->count == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 64;
        ave_segment *p = realloc(o->segs, cap * sizeof(*p));
        if (!p)
            return AVE_ERR_NOMEM;
        o->segs = p;
        o->cap = cap;
    }
    o->segs[o->count++] = (ave_segment){a, b, keep, reason};
    return 0;
}

static int64_t grid_at(const edit_grid *g, int64_t k)
{
    return av_rescale_rnd(k, (int64_t)g->num * 1000000, g->den, AV_ROUND_NEAR_INF);
}

/* The frame holding t: the largest k with grid_at(k) <= t. */
static int64_t frame_of(const edit_grid *g, int64_t t)
{
    int64_t k = av_rescale_rnd(t, g->den, (int64_t)g->num * 1000000, AV_ROUND_DOWN);
    while (grid_at(g, k + 1) <= t)
        k++;
    while (k > 0 && grid_at(g, k) > t)
        k--;
    return k;
}

/* Copy the segments of tl over [a, b) as they are (their inner boundaries
 * are on the grid). *j: first segment that may overlap a. */
static int copy_exact(builder *o, const ave_timeline *tl, size_t *j, int64_t a, int64_t b)
{
    int ret;
    while (*j < tl->count && tl->segs[*j].end_us <= a)
        (*j)++;
    for (size_t i = *j; i < tl->count && tl->segs[i].start_us < b; i++) {
        const ave_segment *s = &tl->segs[i];
        int64_t x = s->start_us > a ? s->start_us : a, y = s->end_us < b ? s->end_us : b;
        if ((ret = push(o, x, y, s->keep, s->reason)) < 0)
            return ret;
    }
    return 0;
}

/* Kept time of tl in [a, b), and the reason of the cut covering most of it. */
static int64_t kept_in(const ave_timeline *tl, size_t *j, int64_t a, int64_t b, int *reason)
{
    int64_t kept = 0, best = 0;
    *reason = AVE_REASON_MANUAL;
    while (*j < tl->count && tl->segs[*j].end_us <= a)
        (*j)++;
    for (size_t i = *j; i < tl->count && tl->segs[i].start_us < b; i++) {
        const ave_segment *s = &tl->segs[i];
        int64_t x = s->start_us > a ? s->start_us : a, y = s->end_us < b ? s->end_us : b;
        if (s->keep) {
            kept += y - x;
        } else if (y - x > best) {
            best = y - x;
            *reason = s->reason;
        }
    }
    return kept;
}

int edit_timeline_snap(ave_timeline *tl, const edit_grid *g, edit_snap_stats *st)
{
    builder o = {NULL, 0, 0};
    const int64_t dur = tl->duration_us;
    int64_t pos = 0, asked = 0, given = 0, last_frame = -2;
    size_t j = 0, jk = 0;
    int ret = 0;

    st->frames_mixed = st->pieces_short = 0;
    st->kept_asked_us = ave_timeline_kept_duration(tl);
    if (!g || g->num <= 0 || g->den <= 0 || tl->count == 0)
        return 0;
    for (size_t i = 0; i < tl->count; i++) {
        const ave_segment *s = &tl->segs[i];
        if (i > 0 && i + 1 < tl->count &&
            s->end_us - s->start_us < grid_at(g, 1)) /* inner pieces only */
            st->pieces_short++;
    }
    for (size_t i = 0; i + 1 < tl->count; i++) {
        const int64_t b = tl->segs[i].end_us; /* a boundary */
        int64_t k, c0, c1, kept;
        int reason, keep;

        if (b <= pos)
            continue; /* inside a frame already decided */
        k = frame_of(g, b);
        c0 = grid_at(g, k);
        if (c0 == b)
            continue; /* on the grid already */
        c1 = grid_at(g, k + 1);
        if (c1 > dur)
            c1 = dur; /* the file's end is no frame boundary but ends the frame */
        if ((ret = copy_exact(&o, tl, &j, pos, c0)) < 0)
            goto out;
        kept = kept_in(tl, &jk, c0, c1, &reason);
        if (k != last_frame + 1)
            asked = given = 0; /* a new run of mixed frames */
        asked += kept;
        keep = 2 * (asked - given) >= c1 - c0;
        if (keep)
            given += c1 - c0;
        if ((ret = push(&o, c0, c1, keep, reason)) < 0)
            goto out;
        st->frames_mixed++;
        last_frame = k;
        pos = c1;
    }
    if ((ret = copy_exact(&o, tl, &j, pos, dur)) < 0)
        goto out;
    free(tl->segs);
    tl->segs = o.segs;
    tl->count = o.count;
    tl->cap = o.cap;
    o.segs = NULL;
out:
    free(o.segs);
    return ret;
}
