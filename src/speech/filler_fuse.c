/* The fusion rule of the filler detector and how its decisions become words.
 *
 * score = 1 when the recogniser wrote a hesitation there (R); otherwise
 *   0 without acoustic evidence (A < min_acoustic) and without a keyword hit,
 *   else G * (w_acoustic*A + w_kws*K + w_bounded*B), weights summing to 1:
 *   G gates rather than adds, because a span the recogniser explains with
 *   real words is not a filler it missed, however steady it sounds.
 * Accepted when score >= threshold. The constants were tuned on
 * bench/bench_fillers.sh (docs/SPEECH.md has the table and the reasons):
 * with B = G = 1 an island needs A >= 0.35, or 0.25 with a keyword hit;
 * on the clean corpus words between pauses ("learning a", "video editing")
 * scored A 0.30-0.31 and most fillers 0.4-1.0 (a few short ones 0.26-0.34
 * are missed).
 *
 * Word-boundary safety is enforced here, not trusted to the detectors: an
 * accepted span is clipped to the longest stretch of it that no real
 * recognised word (widened by GUARD_US) touches, so cutting the inserted
 * word can never remove audio the recogniser assigned to a real word. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "speech/filler_detect.h"

#define GUARD_US 20000

void ave_filler_rule_default(ave_filler_rule *r)
{
    r->w_acoustic = 0.55f;
    r->w_kws = 0.2f;
    r->w_bounded = 0.25f;
    r->threshold = 0.44f;
    r->min_acoustic = 0.25f;
    r->min_len_us = 80000;
    r->min_level_db = -15.0f;
    r->long_us = 1000000;
    r->long_min_acoustic = 0.5f;
}

float ave_filler_fuse(const ave_filler_cand *c, const ave_filler_rule *r)
{
    float s;
    if (c->recog >= 1.0f)
        return 1.0f;
    if (c->acoustic < r->min_acoustic && c->kws <= 0)
        return 0.0f;
    /* A hesitation is said at the speaker's level: far quieter sound is a
     * breath or the room (on real speech every accepted candidate 35-46 dB
     * under the speech was a breath). And a second or more of sound that
     * is not one held vowel is speech, however unlike words it looks. */
    if (c->level_db < r->min_level_db ||
        (c->end_us - c->start_us >= r->long_us && c->acoustic < r->long_min_acoustic))
        return 0.0f;
    s = c->gap * (r->w_acoustic * c->acoustic + r->w_kws * c->kws + r->w_bounded * c->bounded);
    return s < 0 ? 0 : s > 1 ? 1 : s;
}

static int cmp_cand(const void *a, const void *b)
{
    const ave_filler_cand *x = a, *y = b;
    if (x->start_us != y->start_us)
        return x->start_us < y->start_us ? -1 : 1;
    return (x->end_us > y->end_us) - (x->end_us < y->end_us);
}

static float maxf(float a, float b)
{
    return a > b ? a : b;
}

void ave_filler_merge(ave_filler_cand *cands, size_t *count)
{
    size_t k = 0;
    if (*count == 0)
        return;
    qsort(cands, *count, sizeof(*cands), cmp_cand);
    for (size_t i = 1; i < *count; i++) {
        ave_filler_cand *m = &cands[k], *c = &cands[i];
        if (c->start_us >= m->end_us) {
            cands[++k] = *c;
            continue;
        }
        /* An island (the whole sound between two pauses) is the better
         * description of its span: it keeps its extent and acoustic score,
         * the segments inside it only lend their other evidence. */
        if (c->island && !m->island) {
            m->start_us = c->start_us;
            m->end_us = c->end_us;
            m->acoustic = c->acoustic;
            m->island = 1;
            m->paused = c->paused;
        } else if (!(m->island && !c->island)) {
            if (c->end_us > m->end_us)
                m->end_us = c->end_us;
            m->acoustic = maxf(m->acoustic, c->acoustic);
        }
        m->recog = maxf(m->recog, c->recog);
        m->gap = maxf(m->gap, c->gap);
        m->bounded = maxf(m->bounded, c->bounded);
        if (c->kws > m->kws) {
            m->kws = c->kws;
            memcpy(m->text, c->text, sizeof(m->text));
        }
        m->sources |= c->sources;
    }
    *count = k + 1;
}

void ave_filler_clear_span(const ave_word *w, const unsigned char *drop, size_t n,
                           unsigned ignore, int64_t s, int64_t e, int64_t *os, int64_t *oe)
{
    int64_t cur = s;
    *os = *oe = s;
    for (size_t i = 0; i < n && cur < e; i++) {
        int64_t ws, we;
        if ((w[i].flags & ignore) || (drop && drop[i]))
            continue;
        ws = w[i].start_us - GUARD_US;
        we = w[i].end_us + GUARD_US;
        if (we <= cur || ws >= e)
            continue;
        if (ws > cur && ws - cur > *oe - *os) {
            *os = cur;
            *oe = ws;
        }
        if (we > cur)
            cur = we;
    }
    if (cur < e && e - cur > *oe - *os) {
        *os = cur;
        *oe = e;
    }
}

int ave_filler_apply(ave_word **words, size_t *count, const ave_filler_cand *cands,
                     size_t ncand, const ave_filler_rule *r, size_t *added)
{
    ave_word *w = *words, *nw = NULL, *merged = NULL;
    unsigned char *drop = NULL;
    size_t n = *count, nn = 0, k = 0, dropped = 0;
    int ret = AVE_ERR_NOMEM;

    *added = 0;
    if (ncand == 0)
        return 0;
    /* Everything is allocated before any word changes, so that on
     * AVE_ERR_NOMEM the list is left as it was. */
    if (!(nw = calloc(ncand, sizeof(*nw))) || !(drop = calloc(n + 1, 1)) ||
        !(merged = malloc((n + ncand) * sizeof(*merged))))
        goto out;
    for (size_t c = 0; c < ncand; c++) {
        const ave_filler_cand *x = &cands[c];
        ave_filler_cand own = *x;
        int64_t s, e;
        ptrdiff_t known = -1;
        if (x->score < r->threshold)
            continue;
        /* Already a filler word there (recognised hesitation): give it the score. */
        for (size_t i = 0; i < n; i++) {
            if (!(w[i].flags & AVE_WORD_FILLER) ||
                !ave_span_overlap(w[i].start_us, w[i].end_us, x->start_us, x->end_us))
                continue;
            if (x->score > w[i].filler_score)
                w[i].filler_score = x->score;
            if (known < 0)
                known = (ptrdiff_t)i;
        }
        /* The recogniser often writes only part of a long hesitation as
         * one ("h and m" for a 0.6 s "hmm"): when the candidate's own
         * evidence accepts it too, the filler word grows to the
         * candidate's clear part below; else it keeps its span. */
        own.recog = 0;
        if (known >= 0 && ave_filler_fuse(&own, r) < r->threshold)
            continue;
        /* ... and only over a sound with pauses on both sides: a span that
         * runs on into speech would take real words with it wherever the
         * recogniser left them out (an HTTP engine's word list, say). */
        if (known >= 0 && !(x->island && x->paused))
            continue;
        /* Words mostly inside the span are the recogniser's rendering of
         * the filler: the new filler word replaces them. */
        {
            size_t na = 0;
            for (size_t i = 0; i < n; i++)
                na += ave_filler_absorbs_in(w, n, i, x->start_us, x->end_us);
            for (size_t i = 0; x->island && na <= 2 && i < n; i++)
                if (ave_filler_absorbs_in(w, n, i, x->start_us, x->end_us))
                    drop[i] = 2; /* tentatively */
        }
        ave_filler_clear_span(w, drop, n, AVE_WORD_FILLER, x->start_us, x->end_us, &s, &e);
        {
            /* A recognised hesitation grows only when it touches the clear
             * part; nothing is absorbed otherwise. */
            int use = e - s >= r->min_len_us;
            if (use && known >= 0)
                use = ave_span_overlap(w[known].start_us, w[known].end_us, s, e) ||
                      w[known].start_us == e || w[known].end_us == s;
            for (size_t i = 0; i < n; i++)
                if (drop[i] == 2) {
                    drop[i] = use && ave_filler_absorbs_in(w, n, i, s, e) ? 1 : 0;
                    dropped += drop[i];
                }
            if (!use)
                continue;
        }
        if (known >= 0) {
            ave_word *kw = &w[known];
            kw->start_us = kw->start_us < s ? kw->start_us : s;
            kw->end_us = kw->end_us > e ? kw->end_us : e;
            continue;
        }
        ave_word *o = &nw[nn++];
        o->start_us = s;
        o->end_us = e;
        snprintf(o->text, sizeof(o->text), "%s", x->text[0] ? x->text : "[hesitation]");
        o->confidence = x->score;
        o->filler_score = x->score;
        o->flags = AVE_WORD_FILLER | AVE_WORD_ACOUSTIC;
    }
    if (nn == 0 && dropped == 0) {
        ret = 0;
        goto out;
    }
    /* Both lists are sorted by start (candidates were merged and sorted;
     * a widened filler word starts after the real word before it). */
    for (size_t i = 0, j = 0; i < n || j < nn;) {
        if (i < n && drop[i]) {
            i++;
        } else if (j >= nn || (i < n && w[i].start_us <= nw[j].start_us)) {
            merged[k++] = w[i++];
        } else {
            merged[k++] = nw[j++];
        }
    }
    free(*words);
    *words = merged;
    merged = NULL;
    *count = k;
    *added = nn;
    ret = 0;
out:
    free(merged);
    free(nw);
    free(drop);
    return ret;
}

float ave_filler_threshold_for_snr(const ave_filler_rule *rule, float snr_db)
{
    const float clean_snr = 35.0f, noisy_snr = 15.0f, noisy_threshold = 0.70f;
    float t;
    if (snr_db >= clean_snr || noisy_threshold <= rule->threshold)
        return rule->threshold;
    t = snr_db <= noisy_snr ? 1.0f : (clean_snr - snr_db) / (clean_snr - noisy_snr);
    return rule->threshold + t * (noisy_threshold - rule->threshold);
}
