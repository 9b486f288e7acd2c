/* The edit timeline: the source duration partitioned into kept and removed
 * segments (see include/ave/timeline.h).
 *
 * Every edit (cut, keep, snap) rebuilds the segment array in one linear pass:
 * split at the edited range, relabel, then merge equal neighbours. Timelines
 * hold at most a few thousand segments, so O(n) per edit is cheap and the
 * code stays obviously correct. All times are integer microseconds; frame
 * snapping uses exact 128-bit rescaling (av_rescale_rnd), so boundaries never
 * drift however long the file is. */
#include "ave/timeline.h"

#include <stdlib.h>
#include <string.h>

#include <libavutil/mathematics.h>

#include "ave/error.h"

static const char *const reason_names[AVE_REASON_COUNT] = {
    "keep", "silence", "filler", "stutter", "manual", "other", "trim",
};

const char *ave_reason_name(int reason)
{
    if (reason < 0 || reason >= AVE_REASON_COUNT)
        return "unknown";
    return reason_names[reason];
}

static int valid(const ave_timeline *tl)
{
    return tl && tl->segs && tl->count > 0 && tl->duration_us > 0;
}

static int reserve(ave_timeline *tl, size_t need)
{
    ave_segment *p;
    size_t cap;

    if (need <= tl->cap)
        return 0;
    cap = tl->cap ? tl->cap : 8;
    while (cap < need)
        cap *= 2;
    p = realloc(tl->segs, cap * sizeof(*p));
    if (!p)
        return AVE_ERR_NOMEM;
    tl->segs = p;
    tl->cap = cap;
    return 0;
}

int ave_timeline_init(ave_timeline *tl, int64_t duration_us)
{
    int ret;

    if (!tl || duration_us <= 0)
        return AVE_ERR_USAGE;
    tl->count = 0;
    tl->duration_us = duration_us;
    if ((ret = reserve(tl, 8)) < 0)
        return ret;
    tl->segs[0] = (ave_segment){0, duration_us, 1, AVE_REASON_KEEP};
    tl->count = 1;
    return 0;
}

void ave_timeline_free(ave_timeline *tl)
{
    if (!tl)
        return;
    free(tl->segs);
    memset(tl, 0, sizeof(*tl));
}

int ave_timeline_copy(ave_timeline *dst, const ave_timeline *src)
{
    if (!dst || !valid(src) || dst == src)
        return AVE_ERR_USAGE;
    memset(dst, 0, sizeof(*dst));
    dst->segs = malloc(src->count * sizeof(*dst->segs));
    if (!dst->segs)
        return AVE_ERR_NOMEM;
    memcpy(dst->segs, src->segs, src->count * sizeof(*dst->segs));
    dst->count = dst->cap = src->count;
    dst->duration_us = src->duration_us;
    return 0;
}

/* Drop empty segments and merge neighbours with the same keep/reason. */
static void normalise(ave_timeline *tl)
{
    size_t n = 0;

    for (size_t i = 0; i < tl->count; i++) {
        ave_segment s = tl->segs[i];
        if (s.end_us <= s.start_us)
            continue;
        if (n > 0 && tl->segs[n - 1].keep == s.keep && tl->segs[n - 1].reason == s.reason) {
            tl->segs[n - 1].end_us = s.end_us;
            continue;
        }
        if (n > 0)
            s.start_us = tl->segs[n - 1].end_us; /* stays contiguous */
        tl->segs[n++] = s;
    }
    tl->count = n;
}

/* Relabel [start, end) as (keep, reason). When only_kept is set, segments
 * already removed keep their label (the earlier reason wins). */
static int paint(ave_timeline *tl, int64_t start, int64_t end, int keep, int reason, int only_kept)
{
    ave_segment *out;
    size_t n = 0;

    if (start < 0)
        start = 0;
    if (end > tl->duration_us)
        end = tl->duration_us;
    if (start >= end)
        return 0;
    /* Each old segment yields at most 3 pieces; build into fresh storage. */
    out = malloc((tl->count + 2) * sizeof(*out));
    if (!out)
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < tl->count; i++) {
        ave_segment s = tl->segs[i];
        int64_t cuts[4] = {s.start_us, s.end_us, s.end_us, s.end_us};
        int k = 1;

        if (start > s.start_us && start < s.end_us)
            cuts[k++] = start;
        if (end > s.start_us && end < s.end_us)
            cuts[k++] = end;
        cuts[k] = s.end_us;
        for (int j = 0; j < k; j++) {
            ave_segment p = s;
            p.start_us = cuts[j];
            p.end_us = cuts[j + 1];
            if (p.start_us >= start && p.end_us <= end && (!only_kept || p.keep)) {
                p.keep = keep;
                p.reason = reason;
            }
            out[n++] = p;
        }
    }
    free(tl->segs);
    tl->segs = out;
    tl->count = n;
    tl->cap = tl->count + 2;
    normalise(tl);
    return 0;
}

int ave_timeline_cut(ave_timeline *tl, int64_t start_us, int64_t end_us, int reason)
{
    if (!valid(tl) || start_us > end_us || reason <= AVE_REASON_KEEP || reason >= AVE_REASON_COUNT)
        return AVE_ERR_USAGE;
    return paint(tl, start_us, end_us, 0, reason, 1);
}

int ave_timeline_keep(ave_timeline *tl, int64_t start_us, int64_t end_us)
{
    if (!valid(tl) || start_us > end_us)
        return AVE_ERR_USAGE;
    return paint(tl, start_us, end_us, 1, AVE_REASON_KEEP, 0);
}

int64_t ave_timeline_kept_duration(const ave_timeline *tl)
{
    int64_t sum = 0;

    if (!tl)
        return 0;
    for (size_t i = 0; i < tl->count; i++)
        if (tl->segs[i].keep)
            sum += tl->segs[i].end_us - tl->segs[i].start_us;
    return sum;
}

static size_t count_keep(const ave_timeline *tl, int keep)
{
    size_t n = 0;

    if (!tl)
        return 0;
    for (size_t i = 0; i < tl->count; i++)
        n += (tl->segs[i].keep != 0) == keep;
    return n;
}

size_t ave_timeline_kept_count(const ave_timeline *tl)
{
    return count_keep(tl, 1);
}

size_t ave_timeline_removed_count(const ave_timeline *tl)
{
    return count_keep(tl, 0);
}

int ave_timeline_map(const ave_timeline *tl, int64_t src_us, int64_t *out_us)
{
    int64_t edited = 0;

    if (!valid(tl) || !out_us || src_us < 0 || src_us > tl->duration_us)
        return AVE_ERR_USAGE;
    for (size_t i = 0; i < tl->count; i++) {
        const ave_segment *s = &tl->segs[i];
        if (src_us < s->end_us) {
            /* A removed segment contributes nothing: its times all map to
             * the join point, which is the edited time reached so far. */
            *out_us = edited + (s->keep ? src_us - s->start_us : 0);
            return 0;
        }
        if (s->keep)
            edited += s->end_us - s->start_us;
    }
    *out_us = edited; /* src_us == duration */
    return 0;
}

/* Restore (keep) every removed segment shorter than min_cut. */
/* Pause cuts (silence) exist to save time and may be trimmed or dropped
 * for watchability; content cuts (fillers, stutters, the user's own) remove
 * something unwanted, so the minimums never give any of it back. */
static int is_pause_cut(const ave_segment *s)
{
    return !s->keep && (s->reason == AVE_REASON_SILENCE || s->reason == AVE_REASON_OTHER);
}

static int64_t pause_room(const ave_segment *s)
{
    return is_pause_cut(s) ? s->end_us - s->start_us : 0;
}

static int restore_short_cuts(ave_timeline *tl, int64_t min_cut)
{
    for (size_t i = 0; i < tl->count; i++) {
        ave_segment s = tl->segs[i];
        if (is_pause_cut(&s) && s.end_us - s.start_us < min_cut) {
            s.keep = 1;
            s.reason = AVE_REASON_KEEP;
            tl->segs[i] = s;
        }
    }
    normalise(tl);
    return 0;
}

/* Grow each kept segment shorter than min_keep into its removed neighbours,
 * half the shortfall on each side; a side that runs out (file edge or a
 * neighbour used up) hands its share to the other side. */
static int grow_short_keeps(ave_timeline *tl, int64_t min_keep)
{
    size_t i = 0;
    int ret;

    while (i < tl->count) {
        ave_segment s = tl->segs[i];
        int64_t len = s.end_us - s.start_us, need, left, right, gl, gr;

        if (!s.keep || len >= min_keep) {
            i++;
            continue;
        }
        /* After normalise, neighbours of a kept segment are removed ones;
         * only pause cuts give room. */
        left = i > 0 ? pause_room(&tl->segs[i - 1]) : 0;
        right = i + 1 < tl->count ? pause_room(&tl->segs[i + 1]) : 0;
        if (left == 0 && right == 0) {
            i++; /* the whole file is shorter than min_keep */
            continue;
        }
        need = min_keep - len;
        gl = need / 2 < left ? need / 2 : left;
        gr = need - gl < right ? need - gl : right;
        gl = need - gr < left ? need - gr : left;
        if ((ret = paint(tl, s.start_us - gl, s.end_us + gr, 1, AVE_REASON_KEEP, 0)) < 0)
            return ret;
        /* Growing may have merged segments up to index i-1; rescan from
         * there. The grown segment is now long enough or touches the file
         * edges, so the scan makes progress. */
        i = i > 0 ? i - 1 : 0;
    }
    return 0;
}

int ave_timeline_enforce_minimums(ave_timeline *tl, int64_t min_keep_us, int64_t min_cut_us)
{
    int ret;

    if (!valid(tl) || min_keep_us < 0 || min_cut_us < 0)
        return AVE_ERR_USAGE;
    /* Short cuts first: restoring one may already join a short kept island
     * to its neighbours. Growing keeps can shorten cuts below min_cut, so
     * restore again; restoring only lengthens kept segments, so both
     * minimums hold afterwards. */
    if ((ret = restore_short_cuts(tl, min_cut_us)) < 0 ||
        (ret = grow_short_keeps(tl, min_keep_us)) < 0 ||
        (ret = restore_short_cuts(tl, min_cut_us)) < 0)
        return ret;
    return 0;
}

int ave_timeline_snap(ave_timeline *tl, int frame_num, int frame_den)
{
    const int64_t us_per_frame_num = (int64_t)frame_num * 1000000;

    if (!valid(tl) || frame_num <= 0 || frame_den <= 0)
        return AVE_ERR_USAGE;
    /* Boundary i becomes round(k) frames with k = t / frame, computed from
     * the absolute time each time (never by adding frame durations), so the
     * grid does not drift. The file's own ends (0 and duration) stay. */
    for (size_t i = 1; i < tl->count; i++) {
        int64_t t = tl->segs[i].start_us;
        const ave_segment *before = &tl->segs[i - 1], *after = &tl->segs[i];
        /* A content cut shrinks onto the grid (its start rounds up, its end
         * down) so the kept words beside it lose nothing; other boundaries
         * go to the nearest frame. */
        enum AVRounding rnd = AV_ROUND_NEAR_INF;
        if (before->keep && !after->keep && !is_pause_cut(after))
            rnd = AV_ROUND_UP;
        else if (!before->keep && !is_pause_cut(before) && after->keep)
            rnd = AV_ROUND_DOWN;
        int64_t k = av_rescale_rnd(t, frame_den, us_per_frame_num, rnd);
        int64_t snapped = av_rescale_rnd(k, us_per_frame_num, frame_den, AV_ROUND_NEAR_INF);

        if (snapped < 0)
            snapped = 0;
        if (snapped > tl->duration_us)
            snapped = tl->duration_us;
        tl->segs[i].start_us = snapped;
        tl->segs[i - 1].end_us = snapped;
    }
    normalise(tl);
    return 0;
}
