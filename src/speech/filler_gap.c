/* Gap evidence for the filler detector: voiced audio that falls between
 * the recognised real words. A recogniser that drops a hesitation (whisper
 * does so on purpose; PocketSphinx often maps it to silence or noise)
 * leaves voiced sound no word accounts for: that stretch is a candidate,
 * and for any candidate the share of its voiced frames outside real words
 * says how much of it the recogniser left unexplained.
 *
 * Recognised hesitations do not count as real words here, nor do words
 * lying mostly (60%) inside the candidate: recognisers write a filler they
 * do not know as a short word ("a", "of", "i'm", "and"), and that word is
 * the filler, not speech next to it. Word times are
 * trusted to about a frame, so a word covers its span widened by COVER_PAD. */
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "speech/filler_detect.h"

#define VOICING_MIN 0.5f
#define LEVEL_ABOVE_FLOOR 8.0f
#define COVER_PAD_US 30000
#define MAX_ABSORBED 2
#define ABSORB_MAX_LETTERS 4
#define ABSORB_TENTHS 6 /* a word 60% inside a candidate is taken to be the filler itself */
#define HOLE_FRAMES 3  /* unvoiced frames bridged inside a stretch */
#define MIN_FRAMES 12  /* 120 ms */
#define MAX_FRAMES 200 /* 2 s: longer unexplained sound is not a hesitation */

static int voiced(const ave_filler_frames *fr, size_t f)
{
    return fr->voicing[f] >= VOICING_MIN && fr->energy_db[f] >= fr->floor_db + LEVEL_ABOVE_FLOOR;
}

int ave_filler_absorbs(const ave_word *w, int64_t s, int64_t e)
{
    int64_t a = w->start_us > s ? w->start_us : s, b = w->end_us < e ? w->end_us : e;
    int64_t len = w->end_us - w->start_us;
    /* Recognisers render a filler as a short word ("a", "of", "i'm", "age");
     * a longer word inside an island is speech cut off by noise dips. */
    return len > 0 && b > a && 10 * (b - a) >= ABSORB_TENTHS * len &&
           strlen(w->text) <= ABSORB_MAX_LETTERS;
}

static int64_t frame_us(const ave_filler_frames *fr, size_t f)
{
    return (int64_t)f * fr->hop * 1000000 / fr->rate;
}

/* covered[f] = 1 where a real word (widened) covers frame f's centre. */
static unsigned char *coverage(const ave_filler_frames *fr, const ave_word *words, size_t nw)
{
    unsigned char *cov = calloc(fr->count + 1, 1);
    if (!cov)
        return NULL;
    for (size_t i = 0; i < nw; i++) {
        const ave_word *w = &words[i];
        int64_t s, e;
        if (w->flags & AVE_WORD_FILLER)
            continue;
        s = w->start_us - COVER_PAD_US;
        e = w->end_us + COVER_PAD_US;
        for (int64_t f = s > 0 ? s * fr->rate / 1000000 / fr->hop : 0; f >= 0 && (size_t)f < fr->count; f++) {
            int64_t c = frame_us(fr, (size_t)f) + 5000;
            if (c >= e)
                break;
            if (c >= s)
                cov[f] = 1;
        }
    }
    return cov;
}

/* Voiced frames in [s, e) (*nv) and those no real word covers (*out). */
static void count_unexplained(const ave_filler_frames *fr, const ave_word *words, size_t nw,
                              int64_t s, int64_t e, int absorb, size_t *nv_out, size_t *out_out)
{
    size_t nv = 0, out = 0, first = 0, absorbed = 0;

    /* A span holding three or more recognised words is speech, whatever
     * the words are: none of them is absorbed then. */
    for (size_t i = 0; i < nw; i++)
        if (!(words[i].flags & AVE_WORD_FILLER) && ave_filler_absorbs(&words[i], s, e))
            absorbed++;
    if (!absorb)
        absorbed = MAX_ABSORBED + 1;
    /* Words are sorted by start; the ones that can cover [s, e) start
     * before e + COVER_PAD_US (scanned from the first ending after s). */
    while (first < nw && words[first].end_us + COVER_PAD_US <= s &&
           words[first].start_us + COVER_PAD_US <= s)
        first++;
    for (size_t f = s > 0 ? (size_t)(s * fr->rate / 1000000 / fr->hop) : 0; f < fr->count; f++) {
        int64_t c = frame_us(fr, f) + 5000;
        int covered = 0;
        if (c >= e)
            break;
        if (c < s || !voiced(fr, f))
            continue;
        for (size_t i = first; i < nw && words[i].start_us - COVER_PAD_US <= c; i++)
            if (!(words[i].flags & AVE_WORD_FILLER) && c < words[i].end_us + COVER_PAD_US &&
                (absorbed > MAX_ABSORBED || !ave_filler_absorbs(&words[i], s, e))) {
                covered = 1;
                break;
            }
        nv++;
        out += !covered;
    }
    *nv_out = nv;
    *out_out = out;
}

float ave_filler_gap_share(const ave_filler_frames *fr, const ave_word *words, size_t nw,
                           int64_t s, int64_t e, int absorb)
{
    size_t nv, out;
    count_unexplained(fr, words, nw, s, e, absorb, &nv, &out);
    return nv ? (float)out / (float)nv : 1.0f;
}

int64_t ave_filler_unexplained_us(const ave_filler_frames *fr, const ave_word *words, size_t nw,
                                  int64_t s, int64_t e)
{
    size_t nv, out;
    if (s < 0)
        s = 0;
    if (e <= s)
        return 0;
    count_unexplained(fr, words, nw, s, e, 0, &nv, &out);
    return (int64_t)out * fr->hop * 1000000 / fr->rate;
}

int ave_filler_gap_candidates(const ave_filler_frames *fr, const ave_word *words, size_t nw,
                              ave_filler_cand **cands, size_t *count)
{
    unsigned char *cov = coverage(fr, words, nw);
    size_t a = 0, last = 0;
    int in = 0, holes = 0, ret = 0;

    if (!cov)
        return AVE_ERR_NOMEM;
    for (size_t f = 0; f <= fr->count; f++) {
        int ok = f < fr->count && voiced(fr, f) && !cov[f];
        if (ok) {
            if (!in)
                a = f;
            in = 1;
            last = f;
            holes = 0;
            continue;
        }
        /* A covered frame ends the stretch at once: never reach into a word. */
        if (!in || (f < fr->count && !cov[f] && ++holes <= HOLE_FRAMES))
            continue;
        in = 0;
        holes = 0;
        if (last - a + 1 < MIN_FRAMES || last - a + 1 > MAX_FRAMES)
            continue;
        {
            ave_filler_cand c;
            ave_filler_cand *p = realloc(*cands, (*count + 1) * sizeof(*p));
            if (!p) {
                ret = AVE_ERR_NOMEM;
                break;
            }
            *cands = p;
            memset(&c, 0, sizeof(c));
            c.start_us = frame_us(fr, a);
            c.end_us = frame_us(fr, last + 1);
            c.gap = 1;
            c.sources = AVE_FILLER_SRC_GAP;
            (*cands)[(*count)++] = c;
        }
    }
    free(cov);
    return ret;
}
