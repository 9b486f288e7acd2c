/* Turning per-word decisions into timeline edits (see edit_apply_words in
 * edit.h).
 *
 * Only the words whose state changes touch the timeline, so everything the
 * analysis decided elsewhere (silence cuts, other fillers) stays exactly as
 * it was, boundaries included: nothing is re-planned or re-snapped.
 * Cutting a word leaves the pauses on either side: the cut reaches to the
 * middle of each pause, so the joined speech keeps a natural gap (half of
 * each). When the cut words are all a kept piece holds, apart from a short
 * stub, the stub goes too rather than flash on screen for a moment.
 * Restoring gives back the word's span and whatever content cut beside it
 * holds no other word to cut: a filler's cut lies within its own span
 * (src/speech/word_cuts.c), a stutter's may take the pause after it, and a
 * deleted word's reaches into half pauses; all of that comes back, the
 * neighbouring words' cuts and the silence stage's pause cuts do not. So
 * restoring a cut filler undoes exactly that filler's cut. */
#include <stdlib.h>

#include "ave/error.h"
#include "edit/edit.h"

/* The kept segment holding time t (t inside [start, end)), or NULL. */
static const ave_segment *kept_at(const ave_timeline *tl, int64_t t)
{
    for (size_t i = 0; i < tl->count; i++)
        if (t >= tl->segs[i].start_us && t < tl->segs[i].end_us)
            return tl->segs[i].keep ? &tl->segs[i] : NULL;
    return NULL;
}

/* Where a cut of [start, end) should begin, given the kept word before it
 * (NULL: none). */
static int64_t cut_left(const ave_timeline *tl, const ave_word *prev, int64_t start,
                        const edit_grid *g)
{
    const ave_segment *s = kept_at(tl, start);
    int64_t left;

    if (!s)
        return start; /* begins in removed time: that side is already cut */
    if (prev && prev->end_us > s->start_us)
        left = prev->end_us < start ? prev->end_us + (start - prev->end_us) / 2 : start;
    else if (start - s->start_us <= EDIT_STUB_US)
        return s->start_us; /* a boundary plan placed: as it is */
    else
        left = start;
    return edit_grid_round(g, left, EDIT_ROUND_UP);
}

static int64_t cut_right(const ave_timeline *tl, const ave_word *next, int64_t end,
                         const edit_grid *g)
{
    const ave_segment *s = kept_at(tl, end - 1);
    int64_t right;

    if (!s)
        return end;
    if (next && next->start_us < s->end_us)
        right = next->start_us > end ? end + (next->start_us - end) / 2 : end;
    else if (s->end_us - end <= EDIT_STUB_US)
        return s->end_us;
    else
        right = end;
    return edit_grid_round(g, right, EDIT_ROUND_DOWN);
}

static int cut_runs(ave_timeline *tl, const ave_word *w, size_t n, const unsigned char *keep,
                    const edit_grid *g, edit_stats *st)
{
    size_t i = 0;
    int ret;

    while (i < n) {
        size_t a = i, fresh = 0;
        int64_t start, end;

        if (keep[i]) {
            i++;
            continue;
        }
        start = w[a].start_us;
        end = w[a].end_us;
        for (; i < n && !keep[i]; i++) {
            fresh += !(w[i].flags & AVE_WORD_CUT);
            if (w[i].start_us < start)
                start = w[i].start_us;
            if (w[i].end_us > end)
                end = w[i].end_us;
        }
        if (!fresh || end <= start)
            continue; /* already cut as shown: leave the timeline alone */
        int64_t left = cut_left(tl, a > 0 ? &w[a - 1] : NULL, start, g);
        int64_t right = cut_right(tl, i < n ? &w[i] : NULL, end, g);
        if (left < right && (ret = ave_timeline_cut(tl, left, right, AVE_REASON_MANUAL)) < 0)
            return ret;
        st->words_cut += fresh;
    }
    return 0;
}

/* 1 when some word to cut overlaps [a, b). */
static int holds_cut_word(const ave_word *w, size_t n, const unsigned char *keep, int64_t a,
                          int64_t b)
{
    for (size_t i = 0; i < n; i++)
        if (!keep[i] && w[i].start_us < b && w[i].end_us > a)
            return 1;
    return 0;
}

static int content_cut(const ave_segment *s)
{
    return !s->keep && (s->reason == AVE_REASON_FILLER || s->reason == AVE_REASON_STUTTER ||
                        s->reason == AVE_REASON_MANUAL);
}

/* Restore word span [a, b) and the content-cut pieces right beside it that
 * hold no word to cut: what was cut only because of this word (the pause a
 * stutter cut took with it, the half-pauses a deleted word's cut reached
 * into). Pause cuts stay: they are the silence stage's decision. */
static int restore_word(ave_timeline *tl, const ave_word *w, size_t n, const unsigned char *keep,
                        int64_t a, int64_t b, edit_stats *st)
{
    int ret;

    if ((ret = ave_timeline_keep(tl, a, b)) < 0)
        return ret;
    for (size_t i = 0; i < tl->count; i++) {
        ave_segment s = tl->segs[i];
        if (!content_cut(&s) || (s.end_us != a && s.start_us != b) ||
            holds_cut_word(w, n, keep, s.start_us, s.end_us))
            continue;
        if ((ret = ave_timeline_keep(tl, s.start_us, s.end_us)) < 0)
            return ret;
        st->gaps_restored++;
        i = (size_t)-1; /* segments merged: rescan (at most two pieces) */
    }
    return 0;
}

int edit_apply_words(ave_timeline *tl, const ave_word *w, size_t n, const unsigned char *keep,
                     const edit_grid *g, edit_stats *st)
{
    int ret;

    if (!tl || !st || (n && (!w || !keep)))
        return AVE_ERR_USAGE;
    st->words_cut = st->words_restored = st->gaps_restored = 0;
    if ((ret = cut_runs(tl, w, n, keep, g, st)) < 0)
        return ret;
    for (size_t i = 0; i < n; i++) {
        if (!keep[i] || !(w[i].flags & AVE_WORD_CUT))
            continue;
        if ((ret = restore_word(tl, w, n, keep, edit_grid_round(g, w[i].start_us, EDIT_ROUND_DOWN),
                                edit_grid_round(g, w[i].end_us, EDIT_ROUND_UP), st)) < 0)
            return ret;
        st->words_restored++;
    }
    return 0;
}
