/* Unit tests for the edit timeline (src/core/timeline.c): cuts, merging,
 * clamping, mapping, minimum lengths and frame snapping, all in exact
 * integer microseconds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "ave/timeline.h"
#include "check.h"

#define S(x) ((int64_t)(x)*1000000)
#define MS(x) ((int64_t)(x)*1000)

/* The timeline is contiguous from 0 to duration, has no empty segments and
 * no two equal neighbours. */
static void check_invariants(const ave_timeline *tl)
{
    CHECK(tl->count > 0);
    if (tl->count == 0)
        return;
    CHECK_EQ_INT(tl->segs[0].start_us, 0);
    CHECK_EQ_INT(tl->segs[tl->count - 1].end_us, tl->duration_us);
    for (size_t i = 0; i < tl->count; i++) {
        CHECK(tl->segs[i].end_us > tl->segs[i].start_us);
        CHECK(tl->segs[i].keep ? tl->segs[i].reason == AVE_REASON_KEEP
                               : tl->segs[i].reason != AVE_REASON_KEEP);
        if (i > 0) {
            CHECK_EQ_INT(tl->segs[i].start_us, tl->segs[i - 1].end_us);
            CHECK(tl->segs[i].keep != tl->segs[i - 1].keep ||
                  tl->segs[i].reason != tl->segs[i - 1].reason);
        }
    }
}

static void check_seg(const ave_timeline *tl, size_t i, int64_t start, int64_t end, int keep,
                      int reason)
{
    CHECK(i < tl->count);
    if (i >= tl->count)
        return;
    CHECK_EQ_INT(tl->segs[i].start_us, start);
    CHECK_EQ_INT(tl->segs[i].end_us, end);
    CHECK_EQ_INT(tl->segs[i].keep, keep);
    CHECK_EQ_INT(tl->segs[i].reason, reason);
}

static void test_init_and_usage(void)
{
    ave_timeline tl = {0};
    int64_t out = -1;

    CHECK_EQ_INT(ave_timeline_init(&tl, 0), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_init(&tl, -5), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_init(NULL, 10), AVE_ERR_USAGE);
    /* An empty timeline refuses every edit. */
    CHECK_EQ_INT(ave_timeline_cut(&tl, 0, 1, AVE_REASON_SILENCE), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_keep(&tl, 0, 1), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_map(&tl, 0, &out), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_snap(&tl, 1, 25), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_enforce_minimums(&tl, 1, 1), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_kept_duration(&tl), 0);

    CHECK_EQ_INT(ave_timeline_init(&tl, S(10)), 0);
    CHECK_EQ_INT(tl.count, 1);
    check_seg(&tl, 0, 0, S(10), 1, AVE_REASON_KEEP);
    CHECK_EQ_INT(ave_timeline_kept_duration(&tl), S(10));
    CHECK_EQ_INT(ave_timeline_kept_count(&tl), 1);
    CHECK_EQ_INT(ave_timeline_removed_count(&tl), 0);

    /* Invalid arguments. */
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(2), S(1), AVE_REASON_SILENCE), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(1), S(2), AVE_REASON_KEEP), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(1), S(2), AVE_REASON_COUNT), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(1), S(2), -1), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_keep(&tl, S(2), S(1)), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_map(&tl, -1, &out), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_map(&tl, S(10) + 1, &out), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_map(&tl, 0, NULL), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_snap(&tl, 0, 25), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_snap(&tl, 1, 0), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_snap(&tl, -1, 25), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_enforce_minimums(&tl, -1, 0), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_timeline_enforce_minimums(&tl, 0, -1), AVE_ERR_USAGE);
    CHECK_EQ_INT(tl.count, 1); /* nothing changed */

    /* An empty range is a no-op, not an error. */
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(3), S(3), AVE_REASON_SILENCE), 0);
    CHECK_EQ_INT(tl.count, 1);

    /* Re-init frees the old contents; free leaves it empty and reusable. */
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(1), S(2), AVE_REASON_SILENCE), 0);
    CHECK_EQ_INT(ave_timeline_init(&tl, S(4)), 0);
    CHECK_EQ_INT(tl.count, 1);
    CHECK_EQ_INT(tl.duration_us, S(4));
    ave_timeline_free(&tl);
    CHECK(tl.segs == NULL && tl.count == 0 && tl.duration_us == 0);
    ave_timeline_free(&tl);
    ave_timeline_free(NULL);
    CHECK_EQ_INT(ave_timeline_init(&tl, S(1)), 0);
    ave_timeline_free(&tl);
}

static void test_cut_split_merge(void)
{
    ave_timeline tl = {0};

    ave_timeline_init(&tl, S(10));
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(2), S(3), AVE_REASON_SILENCE), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 3);
    check_seg(&tl, 0, 0, S(2), 1, AVE_REASON_KEEP);
    check_seg(&tl, 1, S(2), S(3), 0, AVE_REASON_SILENCE);
    check_seg(&tl, 2, S(3), S(10), 1, AVE_REASON_KEEP);

    /* Adjacent cut with the same reason merges. */
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(3), S(4), AVE_REASON_SILENCE), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 3);
    check_seg(&tl, 1, S(2), S(4), 0, AVE_REASON_SILENCE);

    /* Adjacent cut with another reason stays separate. */
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(4), S(5), AVE_REASON_FILLER), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 4);
    check_seg(&tl, 2, S(4), S(5), 0, AVE_REASON_FILLER);
    CHECK_EQ_INT(ave_timeline_kept_count(&tl), 2);
    CHECK_EQ_INT(ave_timeline_removed_count(&tl), 2);
    CHECK_EQ_INT(ave_timeline_kept_duration(&tl), S(7));

    /* A cut at the very start and one at the very end. */
    CHECK_EQ_INT(ave_timeline_cut(&tl, 0, MS(500), AVE_REASON_MANUAL), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(9), S(10), AVE_REASON_SILENCE), 0);
    check_invariants(&tl);
    check_seg(&tl, 0, 0, MS(500), 0, AVE_REASON_MANUAL);
    check_seg(&tl, tl.count - 1, S(9), S(10), 0, AVE_REASON_SILENCE);
    CHECK_EQ_INT(ave_timeline_kept_duration(&tl), S(5) + MS(500));

    /* Keep re-opens a removed stretch, splitting it. */
    CHECK_EQ_INT(ave_timeline_keep(&tl, S(2) + MS(500), S(3)), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(ave_timeline_kept_duration(&tl), S(6));
    /* Keep everything: back to one segment. */
    CHECK_EQ_INT(ave_timeline_keep(&tl, -S(5), S(50)), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 1);
    ave_timeline_free(&tl);
}

static void test_overlap_and_clamp(void)
{
    ave_timeline tl = {0};

    ave_timeline_init(&tl, S(10));
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(2), S(4), AVE_REASON_SILENCE), 0);
    /* Overlapping cut: the part already removed keeps "silence". */
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(3), S(6), AVE_REASON_FILLER), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 4);
    check_seg(&tl, 1, S(2), S(4), 0, AVE_REASON_SILENCE);
    check_seg(&tl, 2, S(4), S(6), 0, AVE_REASON_FILLER);
    /* A cut covering several existing cuts fills only the kept gaps. */
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(7), S(8), AVE_REASON_SILENCE), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(1), S(9), AVE_REASON_STUTTER), 0);
    check_invariants(&tl);
    check_seg(&tl, 0, 0, S(1), 1, AVE_REASON_KEEP);
    check_seg(&tl, 1, S(1), S(2), 0, AVE_REASON_STUTTER);
    check_seg(&tl, 2, S(2), S(4), 0, AVE_REASON_SILENCE);
    check_seg(&tl, 3, S(4), S(6), 0, AVE_REASON_FILLER);
    check_seg(&tl, 4, S(6), S(7), 0, AVE_REASON_STUTTER);
    check_seg(&tl, 5, S(7), S(8), 0, AVE_REASON_SILENCE);
    check_seg(&tl, 6, S(8), S(9), 0, AVE_REASON_STUTTER);
    check_seg(&tl, 7, S(9), S(10), 1, AVE_REASON_KEEP);
    ave_timeline_free(&tl);

    /* Clamping to [0, duration]. */
    ave_timeline_init(&tl, S(10));
    CHECK_EQ_INT(ave_timeline_cut(&tl, -S(3), S(1), AVE_REASON_SILENCE), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(9), S(30), AVE_REASON_SILENCE), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(20), S(30), AVE_REASON_SILENCE), 0); /* outside */
    CHECK_EQ_INT(ave_timeline_cut(&tl, -S(20), -S(10), AVE_REASON_SILENCE), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 3);
    check_seg(&tl, 0, 0, S(1), 0, AVE_REASON_SILENCE);
    check_seg(&tl, 1, S(1), S(9), 1, AVE_REASON_KEEP);
    check_seg(&tl, 2, S(9), S(10), 0, AVE_REASON_SILENCE);
    CHECK_EQ_INT(ave_timeline_kept_duration(&tl), S(8));

    /* Removing everything is allowed: nothing kept. */
    CHECK_EQ_INT(ave_timeline_cut(&tl, 0, S(10), AVE_REASON_MANUAL), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(ave_timeline_kept_duration(&tl), 0);
    CHECK_EQ_INT(ave_timeline_kept_count(&tl), 0);
    ave_timeline_free(&tl);
}

static void test_many_cuts(void)
{
    ave_timeline tl = {0};
    int64_t removed = 0;

    /* 1000 cuts of 1 s every 3 s on a long file: exact sums, valid shape. */
    ave_timeline_init(&tl, S(3000) + 7);
    for (int i = 0; i < 1000; i++) {
        CHECK_EQ_INT(ave_timeline_cut(&tl, S(3 * i + 1), S(3 * i + 2), AVE_REASON_SILENCE), 0);
        removed += S(1);
    }
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 2001);
    CHECK_EQ_INT(ave_timeline_kept_duration(&tl), S(3000) + 7 - removed);
    ave_timeline_free(&tl);
}

static void test_map(void)
{
    ave_timeline tl = {0};
    int64_t out = -1;

    ave_timeline_init(&tl, S(10));
    ave_timeline_cut(&tl, 0, S(1), AVE_REASON_SILENCE);    /* leading */
    ave_timeline_cut(&tl, S(3), S(5), AVE_REASON_SILENCE); /* middle */
    ave_timeline_cut(&tl, S(8), S(10), AVE_REASON_FILLER); /* trailing */
    /* kept: [1,3) -> [0,2), [5,8) -> [2,5) */
    CHECK_EQ_INT(ave_timeline_map(&tl, 0, &out), 0);
    CHECK_EQ_INT(out, 0);
    ave_timeline_map(&tl, MS(500), &out);
    CHECK_EQ_INT(out, 0);
    ave_timeline_map(&tl, S(1), &out);
    CHECK_EQ_INT(out, 0);
    ave_timeline_map(&tl, S(2) + 123, &out);
    CHECK_EQ_INT(out, S(1) + 123);
    ave_timeline_map(&tl, S(3) - 1, &out);
    CHECK_EQ_INT(out, S(2) - 1);
    ave_timeline_map(&tl, S(3), &out); /* inside the cut: join point */
    CHECK_EQ_INT(out, S(2));
    ave_timeline_map(&tl, S(4), &out);
    CHECK_EQ_INT(out, S(2));
    ave_timeline_map(&tl, S(5), &out);
    CHECK_EQ_INT(out, S(2));
    ave_timeline_map(&tl, S(6), &out);
    CHECK_EQ_INT(out, S(3));
    ave_timeline_map(&tl, S(9), &out); /* trailing cut: end of the edit */
    CHECK_EQ_INT(out, S(5));
    CHECK_EQ_INT(ave_timeline_map(&tl, S(10), &out), 0);
    CHECK_EQ_INT(out, S(5));
    CHECK_EQ_INT(out, ave_timeline_kept_duration(&tl));

    /* Mapping is monotonic over the whole file. */
    {
        int64_t prev = 0;
        for (int64_t t = 0; t <= S(10); t += MS(37)) {
            CHECK_EQ_INT(ave_timeline_map(&tl, t, &out), 0);
            CHECK(out >= prev);
            prev = out;
        }
    }
    ave_timeline_free(&tl);
}

static void test_enforce_minimums(void)
{
    ave_timeline tl = {0};

    /* A 100 ms kept island between two long pause cuts grows to 400 ms,
     * equally into both neighbours, and the cuts keep their reasons. */
    ave_timeline_init(&tl, S(10));
    ave_timeline_cut(&tl, S(2), S(4), AVE_REASON_SILENCE);
    ave_timeline_cut(&tl, S(4) + MS(100), S(6), AVE_REASON_OTHER);
    CHECK_EQ_INT(ave_timeline_enforce_minimums(&tl, MS(400), MS(300)), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 5);
    check_seg(&tl, 1, S(2), S(4) - MS(150), 0, AVE_REASON_SILENCE);
    check_seg(&tl, 2, S(4) - MS(150), S(4) + MS(250), 1, AVE_REASON_KEEP);
    check_seg(&tl, 3, S(4) + MS(250), S(6), 0, AVE_REASON_OTHER);
    ave_timeline_free(&tl);

    /* Beside a content cut (a filler) the island grows only into the pause:
     * none of the filler comes back. */
    ave_timeline_init(&tl, S(10));
    ave_timeline_cut(&tl, S(2), S(4), AVE_REASON_SILENCE);
    ave_timeline_cut(&tl, S(4) + MS(100), S(6), AVE_REASON_FILLER);
    CHECK_EQ_INT(ave_timeline_enforce_minimums(&tl, MS(400), MS(300)), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 5);
    check_seg(&tl, 1, S(2), S(4) - MS(300), 0, AVE_REASON_SILENCE);
    check_seg(&tl, 2, S(4) - MS(300), S(4) + MS(100), 1, AVE_REASON_KEEP);
    check_seg(&tl, 3, S(4) + MS(100), S(6), 0, AVE_REASON_FILLER);
    ave_timeline_free(&tl);

    /* Short content cuts stay cut (a 150 ms "uh" is worth removing), and an
     * island between two of them may stay short. */
    ave_timeline_init(&tl, S(10));
    ave_timeline_cut(&tl, S(3), S(3) + MS(150), AVE_REASON_FILLER);
    ave_timeline_cut(&tl, S(3) + MS(250), S(3) + MS(400), AVE_REASON_STUTTER);
    CHECK_EQ_INT(ave_timeline_enforce_minimums(&tl, MS(400), MS(300)), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 5);
    check_seg(&tl, 1, S(3), S(3) + MS(150), 0, AVE_REASON_FILLER);
    check_seg(&tl, 2, S(3) + MS(150), S(3) + MS(250), 1, AVE_REASON_KEEP);
    check_seg(&tl, 3, S(3) + MS(250), S(3) + MS(400), 0, AVE_REASON_STUTTER);
    ave_timeline_free(&tl);

    /* Too-short cuts are restored (kept). */
    ave_timeline_init(&tl, S(10));
    ave_timeline_cut(&tl, S(2), S(2) + MS(200), AVE_REASON_SILENCE);
    ave_timeline_cut(&tl, S(5), S(5) + MS(300), AVE_REASON_SILENCE); /* exactly min: stays */
    CHECK_EQ_INT(ave_timeline_enforce_minimums(&tl, MS(400), MS(300)), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 3);
    check_seg(&tl, 1, S(5), S(5) + MS(300), 0, AVE_REASON_SILENCE);
    ave_timeline_free(&tl);

    /* An island at the start grows only to the right; one whose left cut is
     * small grows right for the rest of the shortfall. */
    ave_timeline_init(&tl, S(10));
    ave_timeline_cut(&tl, MS(100), S(3), AVE_REASON_SILENCE);
    CHECK_EQ_INT(ave_timeline_enforce_minimums(&tl, MS(400), 0), 0);
    check_invariants(&tl);
    check_seg(&tl, 0, 0, MS(400), 1, AVE_REASON_KEEP);
    check_seg(&tl, 1, MS(400), S(3), 0, AVE_REASON_SILENCE);
    ave_timeline_free(&tl);

    ave_timeline_init(&tl, S(10));
    ave_timeline_cut(&tl, S(1), S(1) + MS(50), AVE_REASON_SILENCE);
    ave_timeline_cut(&tl, S(1) + MS(150), S(5), AVE_REASON_SILENCE);
    /* min_cut 0 keeps the 50 ms cut; the island [1.05,1.15) needs 300 ms:
     * 50 ms on the left (all there is), 250 ms on the right. Eating the
     * whole left cut joins the island with [0,1). */
    CHECK_EQ_INT(ave_timeline_enforce_minimums(&tl, MS(400), 0), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 3);
    check_seg(&tl, 0, 0, S(1) + MS(400), 1, AVE_REASON_KEEP);
    check_seg(&tl, 1, S(1) + MS(400), S(5), 0, AVE_REASON_SILENCE);
    ave_timeline_free(&tl);

    /* Growing can shrink a cut below min_cut; then it is restored too. */
    ave_timeline_init(&tl, S(10));
    ave_timeline_cut(&tl, S(1), S(1) + MS(400), AVE_REASON_SILENCE);
    ave_timeline_cut(&tl, S(1) + MS(500), S(4), AVE_REASON_SILENCE);
    /* island [1.4,1.5) grows 150 ms each side to [1.25,1.65); the left
     * cut shrinks to 250 ms < 300 and is restored */
    CHECK_EQ_INT(ave_timeline_enforce_minimums(&tl, MS(400), MS(300)), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 3);
    check_seg(&tl, 0, 0, S(1) + MS(650), 1, AVE_REASON_KEEP);
    check_seg(&tl, 1, S(1) + MS(650), S(4), 0, AVE_REASON_SILENCE);
    ave_timeline_free(&tl);

    /* A file shorter than min_keep stays as it is. */
    ave_timeline_init(&tl, MS(200));
    CHECK_EQ_INT(ave_timeline_enforce_minimums(&tl, MS(400), MS(300)), 0);
    CHECK_EQ_INT(tl.count, 1);
    ave_timeline_free(&tl);

    /* Stress: many tiny islands; afterwards both minimums hold (except
     * for the file edges, which do not apply here). */
    ave_timeline_init(&tl, S(100));
    for (int i = 0; i < 400; i++)
        ave_timeline_cut(&tl, MS(250 * i + 37), MS(250 * i + 37 + 20 * (i % 11)),
                         (i % 3) ? AVE_REASON_SILENCE : AVE_REASON_FILLER);
    CHECK_EQ_INT(ave_timeline_enforce_minimums(&tl, MS(400), MS(100)), 0);
    check_invariants(&tl);
    for (size_t i = 0; i < tl.count; i++) {
        const ave_segment *g = &tl.segs[i];
        int64_t len = g->end_us - g->start_us;
        int pause_left = i > 0 && tl.segs[i - 1].reason == AVE_REASON_SILENCE;
        int pause_right = i + 1 < tl.count && tl.segs[i + 1].reason == AVE_REASON_SILENCE;
        if (g->keep && (pause_left || pause_right))
            CHECK(len >= MS(400));
        else if (g->reason == AVE_REASON_SILENCE)
            CHECK(len >= MS(100));
    }
    /* Every filler cut is still entirely removed. */
    for (int i = 0; i < 400; i += 3) {
        int64_t a = MS(250 * i + 37), b = MS(250 * i + 37 + 20 * (i % 11));
        for (size_t j = 0; j < tl.count && a < b; j++)
            if (tl.segs[j].start_us < b && tl.segs[j].end_us > a)
                CHECK(!tl.segs[j].keep);
    }
    ave_timeline_free(&tl);
}

static void test_snap(void)
{
    ave_timeline tl = {0};
    /* 29.97 fps: one frame is 1001/30000 s. */
    const int fn = 1001, fd = 30000;

    /* Boundaries spread over 10 hours: each lands exactly on
     * round(round(t / frame) * frame) computed from scratch, i.e. no drift. */
    ave_timeline_init(&tl, S(36000));
    for (int i = 1; i < 200; i++) {
        int64_t t = (int64_t)i * S(179) + (i * 7919) % 1000000;
        ave_timeline_cut(&tl, t, t + S(2) + 333, AVE_REASON_SILENCE);
    }
    CHECK_EQ_INT(ave_timeline_snap(&tl, fn, fd), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 399);
    for (size_t i = 1; i < tl.count; i++) {
        int64_t b = tl.segs[i].start_us;
        /* b must be the integer-rounded time of some frame k. */
        long double kf = (long double)b * fd / ((long double)fn * 1e6L);
        int64_t k = (int64_t)(kf + 0.5L);
        int64_t expect = (int64_t)((long double)k * fn * 1e6L / fd + 0.5L);
        CHECK_EQ_INT(b, expect);
    }
    /* The last cut near 10 h, checked by hand with exact fractions:
     * t = 199*179 s + (199*7919 % 1e6) us = 35621.575881 s,
     * k = round(t * 30000 / 1001) = 1067580, k * 1001 / 30000 = 35621.586 s. */
    CHECK_EQ_INT(tl.segs[tl.count - 2].start_us, 35621586000LL);
    ave_timeline_free(&tl);

    /* A filler cut shrinks onto the grid (25 fps: 40 ms frames): its start
     * rounds up and its end down, so the words beside it lose nothing,
     * while a silence cut goes to the nearest frames. */
    ave_timeline_init(&tl, S(10));
    ave_timeline_cut(&tl, MS(1010), MS(1390), AVE_REASON_FILLER);
    ave_timeline_cut(&tl, MS(3010), MS(3390), AVE_REASON_SILENCE);
    CHECK_EQ_INT(ave_timeline_snap(&tl, 1, 25), 0);
    check_invariants(&tl);
    check_seg(&tl, 1, MS(1040), MS(1360), 0, AVE_REASON_FILLER);
    check_seg(&tl, 3, MS(3000), MS(3400), 0, AVE_REASON_SILENCE);
    ave_timeline_free(&tl);

    /* Segments shorter than half a frame collapse and disappear; the file's
     * own end is not moved. */
    ave_timeline_init(&tl, S(1) + 5);
    ave_timeline_cut(&tl, MS(100), MS(105), AVE_REASON_SILENCE);
    ave_timeline_cut(&tl, MS(490), MS(600), AVE_REASON_SILENCE);
    CHECK_EQ_INT(ave_timeline_snap(&tl, 1, 25), 0);
    check_invariants(&tl);
    CHECK_EQ_INT(tl.count, 3);
    check_seg(&tl, 1, MS(480), MS(600), 0, AVE_REASON_SILENCE);
    CHECK_EQ_INT(tl.duration_us, S(1) + 5);
    ave_timeline_free(&tl);

    /* A 1 h timeline with 24 fps snaps idempotently. */
    ave_timeline_init(&tl, S(3600));
    ave_timeline_cut(&tl, 1234567, 2345678, AVE_REASON_SILENCE);
    ave_timeline_snap(&tl, 1, 24);
    {
        ave_timeline copy = {0};
        CHECK_EQ_INT(ave_timeline_copy(&copy, &tl), 0);
        ave_timeline_snap(&copy, 1, 24);
        CHECK_EQ_INT(copy.count, tl.count);
        for (size_t i = 0; i < tl.count && i < copy.count; i++)
            CHECK_EQ_INT(copy.segs[i].start_us, tl.segs[i].start_us);
        ave_timeline_free(&copy);
    }
    check_seg(&tl, 1, 1250000, 2333333, 0, AVE_REASON_SILENCE);
    ave_timeline_free(&tl);
}

static void test_copy(void)
{
    ave_timeline a = {0}, b = {0};

    CHECK_EQ_INT(ave_timeline_copy(&b, &a), AVE_ERR_USAGE); /* empty source */
    ave_timeline_init(&a, S(10));
    ave_timeline_cut(&a, S(1), S(2), AVE_REASON_FILLER);
    CHECK_EQ_INT(ave_timeline_copy(&b, &a), 0);
    CHECK(b.segs != a.segs);
    CHECK_EQ_INT(b.count, a.count);
    CHECK_EQ_INT(b.duration_us, a.duration_us);
    /* Independent: editing the copy leaves the original alone. */
    ave_timeline_cut(&b, S(5), S(6), AVE_REASON_SILENCE);
    CHECK_EQ_INT(a.count, 3);
    CHECK_EQ_INT(b.count, 5);
    check_invariants(&b);
    CHECK_EQ_INT(ave_timeline_copy(NULL, &a), AVE_ERR_USAGE);
    ave_timeline_free(&a);
    ave_timeline_free(&b);
}

static void test_reason_names(void)
{
    CHECK(!strcmp(ave_reason_name(AVE_REASON_KEEP), "keep"));
    CHECK(!strcmp(ave_reason_name(AVE_REASON_SILENCE), "silence"));
    CHECK(!strcmp(ave_reason_name(AVE_REASON_FILLER), "filler"));
    CHECK(!strcmp(ave_reason_name(AVE_REASON_OTHER), "other"));
    CHECK(!strcmp(ave_reason_name(99), "unknown"));
    CHECK(!strcmp(ave_reason_name(-1), "unknown"));
}

int main(void)
{
    test_init_and_usage();
    test_cut_split_merge();
    test_overlap_and_clamp();
    test_many_cuts();
    test_map();
    test_enforce_minimums();
    test_snap();
    test_copy();
    test_reason_names();
    return CHECK_DONE();
}
