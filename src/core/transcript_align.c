/* Edited transcript.txt -> per-word keep/cut (see transcript_align.h).
 *
 * Anchors: an edited line whose [time] equals (to the millisecond) the start
 * of one of the written lines, taken in increasing order only (a line moved
 * out of order cannot reorder the video; its words then simply fail to
 * match). Between two anchors the stretch is aligned alone, so the table
 * stays small however long the transcript; a deleted line, or two lines
 * joined, only widens one stretch.
 * The match score is 2 for equal keys plus 1 when the bracket state equals
 * the word's written state: where the same word occurs twice ("um um" edited
 * to "[um]"), the copy the user left untouched wins. */
#include "core/transcript_align.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"

typedef struct stretch {
    size_t w0, w1; /* words [w0, w1) */
    size_t t0, t1; /* tokens [t0, t1) */
    int line;      /* file line number where its tokens begin */
} stretch;

typedef char word_key[sizeof(((ttxt_token *)0)->key)];

static int word_cut(const ave_word *w)
{
    return !!(w->flags & AVE_WORD_CUT);
}

static int score(const ave_word *w, const char *key, const ttxt_token *t)
{
    if (!key[0] || strcmp(key, t->key) != 0)
        return 0;
    return 2 + (t->cut == word_cut(w));
}

/* The words and tokens between matches: tokens there match nothing. As
 * many tokens as words: each corrects its word (kept or cut as typed).
 * Otherwise, if there are any tokens, the words keep their written state;
 * else they were deleted. */
static void settle_gap(const ave_word *w, size_t w0, size_t w1, size_t t0, size_t t1,
                       const ttxt_doc *doc, ttxt_align_result *res)
{
    if (t1 > t0 && t1 - t0 == w1 - w0) {
        for (size_t i = w0, j = t0; i < w1; i++, j++) {
            res->keep[i] = !doc->tokens[j].cut;
            res->fixed_word[res->fixed_count] = i;
            res->fixed_token[res->fixed_count++] = j;
        }
        return;
    }
    for (size_t i = w0; i < w1; i++)
        res->keep[i] = t1 > t0 ? !word_cut(&w[i]) : 0;
    for (size_t j = t0; j < t1; j++)
        res->unmatched[res->unmatched_count++] = j;
}

enum { DIR_MATCH, DIR_UP, DIR_LEFT };

static void dir_set(uint8_t *d, size_t k, int v)
{
    d[k >> 2] = (uint8_t)(d[k >> 2] | v << ((k & 3) * 2));
}

static int dir_get(const uint8_t *d, size_t k)
{
    return d[k >> 2] >> ((k & 3) * 2) & 3;
}

/* Weighted LCS of the stretch's words and tokens. Scores are kept for two
 * rows only and each cell's step back in 2 bits, so a table of a x b cells
 * costs a * b / 4 bytes: one line of two million words against its twenty
 * written ones is 10 MB, not the 160 MB of a full score table. */
static int align_stretch(const ave_word *w, const word_key *keys, const ttxt_doc *doc,
                         const stretch *s, ttxt_align_result *res)
{
    size_t a = s->w1 - s->w0, b = s->t1 - s->t0;
    int32_t *prev = NULL, *cur = NULL;
    uint8_t *dir = NULL;
    size_t i = a, j = b, gw = s->w1, gt = s->t1;
    int ret = AVE_ERR_NOMEM;

    if (a == 0 || b == 0) {
        settle_gap(w, s->w0, s->w1, s->t0, s->t1, doc, res);
        return 0;
    }
    if (a > TTXT_ALIGN_MAX_CELLS / b) {
        res->limit_words = a;
        res->limit_tokens = b;
        res->limit_line = s->line;
        return AVE_ERR_LIMIT;
    }
    if (!(prev = calloc(b + 1, sizeof(*prev))) || !(cur = calloc(b + 1, sizeof(*cur))) ||
        !(dir = calloc((a * b + 3) / 4, 1)))
        goto out;
    for (size_t r = 1; r <= a; r++) {
        const ave_word *wd = &w[s->w0 + r - 1];
        const char *key = keys[s->w0 + r - 1];
        int32_t *t;
        for (size_t c = 1; c <= b; c++) {
            int m = score(wd, key, &doc->tokens[s->t0 + c - 1]);
            int32_t best = prev[c] > cur[c - 1] ? prev[c] : cur[c - 1];
            if (m && prev[c - 1] + m > best)
                best = prev[c - 1] + m;
            cur[c] = best;
            /* the step the walk back takes from here, in its order of preference */
            dir_set(dir, (r - 1) * b + (c - 1),
                    m && best == prev[c - 1] + m ? DIR_MATCH
                    : prev[c] == best            ? DIR_UP
                                                 : DIR_LEFT);
        }
        t = prev, prev = cur, cur = t;
    }
    /* Walk back; each match closes the gap after it. */
    while (i > 0 && j > 0) {
        int d = dir_get(dir, (i - 1) * b + (j - 1));
        if (d == DIR_MATCH) {
            settle_gap(w, s->w0 + i, gw, s->t0 + j, gt, doc, res);
            res->keep[s->w0 + i - 1] = !doc->tokens[s->t0 + j - 1].cut;
            gw = s->w0 + i - 1;
            gt = s->t0 + j - 1;
            i--, j--;
        } else if (d == DIR_UP) {
            i--;
        } else {
            j--;
        }
    }
    settle_gap(w, s->w0, gw, s->t0, gt, doc, res);
    ret = 0;
out:
    free(prev);
    free(cur);
    free(dir);
    return ret;
}

/* The written line starting at time_us (rounded to the ms), searching lines
 * [from, nlines); nlines when none. */
static size_t find_line(const ave_word *w, const size_t *starts, size_t nlines, size_t from,
                        int64_t time_us)
{
    int64_t want = (time_us + 500) / 1000;

    for (size_t l = from; l < nlines; l++) {
        int64_t ms = (w[starts[l]].start_us + 500) / 1000;
        if (ms == want)
            return l;
        if (ms > want)
            break;
    }
    return nlines;
}

int ttxt_align(const ave_word *w, size_t n, const ttxt_doc *doc, ttxt_align_result *res)
{
    size_t *starts = NULL, nlines = 0, next_line = 0;
    word_key *keys = NULL;
    stretch cur = {0, 0, 0, 0, 1};
    int ret = AVE_ERR_NOMEM;

    memset(res, 0, sizeof(*res));
    if (!(res->keep = calloc(n ? n : 1, 1)) ||
        !(res->unmatched = malloc((doc->token_count ? doc->token_count : 1) * sizeof(size_t))) ||
        !(res->fixed_word = malloc((doc->token_count ? doc->token_count : 1) * sizeof(size_t))) ||
        !(res->fixed_token = malloc((doc->token_count ? doc->token_count : 1) * sizeof(size_t))) ||
        (n && !(starts = malloc(n * sizeof(*starts)))) ||
        (n && !(keys = malloc(n * sizeof(*keys)))))
        goto out;
    for (size_t i = 0; i < n; i++)
        ttxt_key(w[i].text, sizeof(w[i].text), keys[i], sizeof(keys[i]));
    ttxt_lines(w, n, starts, &nlines);
    /* Each anchor closes the stretch before it and opens the next. */
    for (size_t d = 0; d < doc->line_count; d++) {
        const ttxt_line *ln = &doc->lines[d];
        size_t l;

        if (ln->time_us < 0 || (l = find_line(w, starts, nlines, next_line, ln->time_us)) == nlines)
            continue;
        res->anchored_lines++;
        cur.w1 = starts[l];
        cur.t1 = ln->first_token;
        if ((ret = align_stretch(w, keys, doc, &cur, res)) < 0)
            goto out;
        cur.w0 = starts[l];
        cur.t0 = ln->first_token;
        cur.line = ln->lineno;
        next_line = l + 1;
    }
    cur.w1 = n;
    cur.t1 = doc->token_count;
    if ((ret = align_stretch(w, keys, doc, &cur, res)) < 0)
        goto out;
    ret = 0;
out:
    free(starts);
    free(keys);
    if (ret < 0) {
        size_t lw = res->limit_words, lt = res->limit_tokens;
        int ll = res->limit_line;
        ttxt_align_free(res);
        res->limit_words = lw; /* what was too large stays told */
        res->limit_tokens = lt;
        res->limit_line = ll;
    }
    return ret;
}

void ttxt_align_free(ttxt_align_result *res)
{
    if (!res)
        return;
    free(res->keep);
    free(res->unmatched);
    free(res->fixed_word);
    free(res->fixed_token);
    memset(res, 0, sizeof(*res));
}
