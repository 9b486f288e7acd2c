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
 * the filler, not speech next to it; only words of one syllable, and
 * never one the recogniser joined to its neighbour (connected speech).
 * Word times are trusted to about a frame, so a word covers its span
 * widened by COVER_PAD. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "speech/filler_detect.h"

#define VOICING_MIN 0.5f
#define LEVEL_ABOVE_FLOOR 8.0f
#define COVER_PAD_US 30000
#define MAX_ABSORBED 2
#define ABSORB_MAX_LETTERS 4    /* longer words are absorbed only when the recogniser is unsure */
#define ABSORB_MAX_CONFIDENCE 0.6f
#define ABSORB_TENTHS 6 /* a word 60% inside a candidate is taken to be the filler itself */
#define ABUT_US 20000   /* neighbouring words closer than this were decoded as connected speech */
/* Unexplained voiced sound this close to a candidate (either side) beyond
 * OMISSION_VOICED_US means missing words, not a filler. */
#define OMISSION_WINDOW_US 1500000
#define OMISSION_VOICED_US 500000
#define HOLE_FRAMES 3  /* unvoiced frames bridged inside a stretch */
#define MIN_FRAMES 12  /* 120 ms */
#define MAX_FRAMES 200 /* 2 s: longer unexplained sound is not a hesitation */

static int voiced(const ave_filler_frames *fr, size_t f)
{
    return fr->voicing[f] >= VOICING_MIN && fr->energy_db[f] >= fr->floor_db + LEVEL_ABOVE_FLOOR;
}

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* At most one syllable, counted as groups of vowel letters, a final "e"
 * after a consonant being silent ("there", "time"). */
static int one_syllable(const char *t)
{
    size_t n = strlen(t), groups = 0;
    for (size_t i = 0; i < n; i++)
        if (is_vowel(t[i]) && (i == 0 || !is_vowel(t[i - 1])))
            groups += !(i == n - 1 && t[i] == 'e' && n > 2 && i > 0 && !is_vowel(t[i - 1]));
    return groups <= 1;
}

int ave_filler_absorbs(const ave_word *w, int64_t s, int64_t e)
{
    int64_t a = w->start_us > s ? w->start_us : s, b = w->end_us < e ? w->end_us : e;
    int64_t len = w->end_us - w->start_us;
    /* Recognisers render a hesitation as a word of one syllable ("a",
     * "of", "i'm", "her", "there", "earth"); a word of two or more is
     * speech cut off by noise dips, and so is a longer word the
     * recogniser is sure of ("light" at 0.74). */
    return len > 0 && b > a && 10 * (b - a) >= ABSORB_TENTHS * len &&
           one_syllable(w->text) &&
           (strlen(w->text) <= ABSORB_MAX_LETTERS || w->confidence < ABSORB_MAX_CONFIDENCE);
}

/* The nearest real (non-filler) word before (dir -1) or after (+1) words[i]:
 * its index, or -1. */
static ptrdiff_t real_neighbour(const ave_word *words, size_t nw, size_t i, int dir)
{
    ptrdiff_t j = (ptrdiff_t)i + dir;
    while (j >= 0 && (size_t)j < nw && (words[j].flags & AVE_WORD_FILLER))
        j += dir;
    return j >= 0 && (size_t)j < nw ? j : -1;
}

int ave_filler_absorbs_in(const ave_word *words, size_t nw, size_t i, int64_t s, int64_t e)
{
    if ((words[i].flags & AVE_WORD_FILLER) || !ave_filler_absorbs(&words[i], s, e))
        return 0;
    /* The recogniser decodes a pause as silence between words. A word it
     * joined to a real word outside the span, with no silence between,
     * is connected speech: the "pause" that made the span an island was a
     * consonant's closure sunk into the noise floor ("of | time"), and the
     * word is the end or start of a phrase, not a hesitation. */
    for (int dir = -1; dir <= 1; dir += 2) {
        ptrdiff_t j = real_neighbour(words, nw, i, dir);
        int64_t gap;
        if (j < 0 || ave_filler_absorbs(&words[j], s, e))
            continue;
        gap = dir < 0 ? words[i].start_us - words[j].end_us : words[j].start_us - words[i].end_us;
        if (gap < ABUT_US)
            return 0;
    }
    return 1;
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
        absorbed += ave_filler_absorbs_in(words, nw, i, s, e);
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
                (absorbed > MAX_ABSORBED || !ave_filler_absorbs_in(words, nw, i, s, e))) {
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

int ave_filler_gap_void(const ave_filler_frames *fr, const ave_word *words, size_t nw,
                        const ave_filler_cand *c)
{
    /* An island with real pauses (c->paused: long enough for the noise
     * level) is exempt: words missing beyond its pauses say nothing about
     * its own sound (on the bench, espeak phrases that PocketSphinx half
     * dropped vetoed every hesitation next to them: clean recall 0.65 ->
     * 0.74 with the exemption alone). Short "pauses" in noise may be
     * closures inside a phrase the recogniser dropped. */
    if (c->island && c->paused)
        return 0;
    return ave_filler_unexplained_us(fr, words, nw, c->start_us - OMISSION_WINDOW_US,
                                     c->start_us - 50000) +
               ave_filler_unexplained_us(fr, words, nw, c->end_us + 50000,
                                         c->end_us + OMISSION_WINDOW_US) >
           OMISSION_VOICED_US;
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
