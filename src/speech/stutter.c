/* Stutter and restart detection (stutter.h).
 *
 * Works on the sequence of recognised words that are not fillers, so "I um
 * I" is compared as "I I", and a filler between two copies counts as
 * hesitation evidence. At each position j it looks back for an earlier copy
 * ending right before j, longest first:
 *   - a restart: the 2..max_ngram words before j are repeated from j on,
 *     allowing the earlier copy's last word to be cut off ("th-" for "the")
 *     or to differ (the speaker changed course: "I think we- I think that").
 *     An exact repeat of three words or more needs nothing else; a shorter
 *     or revised one needs a restart cue: a pause of restart_gap_us, a
 *     filler, or a cut-off word before the repeat.
 *   - a repetition: the word before j equals w[j] ("the the") or is a cut-off
 *     prefix of it ("th- the"; a short unknown prefix like "th" even without
 *     the dash). Words people double on purpose ("that that", "had had",
 *     "very very") count only when tripled or split by a filler.
 * Copies further apart than max_gap_us are separate sentences, not a
 * stutter. Once a repeat is accepted the later copy is protected: nothing
 * from j on can be flagged as an earlier copy of something before it. */
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "speech/stutter.h"

#define BASE_LEN 48
#define SAME_WORD_SLACK_US 60000
/* Copies the recogniser decoded as connected speech (less than this apart)
 * with nothing else marking a stutter: on real speech PocketSphinx wrote
 * "hopefully the" as "the the", 0 ms apart, and cutting the first copy took
 * most of "hopefully". A real repetition of one word twice leaves a break
 * (a glottal stop, a pause) that the decoder sees as silence. */
#define CONNECTED_US 20000

void ave_stutter_params_default(ave_stutter_params *p)
{
    p->max_gap_us = 1000000;
    p->restart_gap_us = 120000;
    p->max_ngram = 4;
}

static int in_list(const char *word, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(word, list[i]))
            return 1;
    return 0;
}

int ave_stutter_legit_double(const char *word)
{
    static const char *const list[] = {
        "that", "had", "is", "do", "very", "really", "so", "no", "yes", "yeah", "bye", "ha",
        "haha", "okay", "ok", "well", "now", "there", "far", "long", "more", "much", "too", "go",
        "knock", "pretty", "again", "over", "round", "zero", "one", "two", "three", "four",
        "five", "six", "seven", "eight", "nine", "ten", NULL};
    return word && in_list(word, list);
}

/* Short words that are words in their own right, so never read as a
 * cut-off prefix without a dash ("a apple" is not "a- apple"). */
static int common_short(const char *word)
{
    static const char *const list[] = {
        "a", "i", "o", "an", "as", "at", "be", "by", "do", "go", "he", "hi", "if", "in", "is",
        "it", "me", "my", "no", "of", "oh", "ok", "on", "or", "so", "to", "up", "us", "we", "all",
        "and", "any", "are", "bad", "big", "but", "can", "car", "day", "did", "end", "few",
        "for", "get", "got", "had", "has", "her", "him", "his", "hot", "how", "its", "let", "lot",
        "man", "may", "new", "not", "now", "off", "old", "one", "our", "out", "own", "put", "ran",
        "red", "run", "saw", "say", "see", "set", "she", "sit", "six", "ten", "the", "too", "top",
        "two", "use", "was", "way", "who", "why", "yes", "yet", "you", NULL};
    return in_list(word, list);
}

typedef struct seq {
    const ave_word *w;
    size_t *idx;   /* index in w of each non-filler word */
    char (*base)[BASE_LEN]; /* its text without a trailing "-" */
    unsigned char *cut_off; /* 1 when it had the trailing "-" */
    size_t m;
} seq;

enum { DIFFERENT, SAME, PREFIX };

/* How the earlier word a compares with the later word b. */
static int compare(const seq *s, size_t a, size_t b, int allow_prefix)
{
    size_t la = strlen(s->base[a]), lb = strlen(s->base[b]);

    if (!strcmp(s->base[a], s->base[b]))
        return SAME;
    if (!allow_prefix || la == 0 || la >= lb || strncmp(s->base[a], s->base[b], la) != 0)
        return DIFFERENT;
    if (s->cut_off[a] || (la <= 3 && !common_short(s->base[a])))
        return PREFIX;
    return DIFFERENT;
}

static int64_t gap(const seq *s, size_t a)
{
    return s->w[s->idx[a + 1]].start_us - s->w[s->idx[a]].end_us;
}

static int64_t dur(const seq *s, size_t a)
{
    return s->w[s->idx[a]].end_us - s->w[s->idx[a]].start_us;
}

static int filler_between(const seq *s, size_t a)
{
    return s->idx[a + 1] - s->idx[a] > 1;
}

/* Longest restart whose earlier copy is [j - L, j), L >= 2; 0 when none. */
static int find_restart(const seq *s, size_t j, size_t floor, const ave_stutter_params *p)
{
    int cue = gap(s, j - 1) >= p->restart_gap_us || filler_between(s, j - 1) ||
              s->cut_off[j - 1];

    for (size_t L = (size_t)p->max_ngram; L >= 2; L--) {
        size_t i, k = 0;
        int inner_ok = 1;
        if (L > j - floor)
            continue;
        i = j - L;
        for (size_t a = i; a < j; a++)
            if (gap(s, a) > p->max_gap_us)
                inner_ok = 0;
        if (!inner_ok)
            continue;
        while (k < L && j + k < s->m && compare(s, i + k, j + k, k == L - 1) != DIFFERENT)
            k++;
        if (k < 2 || L - k > 1)
            continue;
        if ((k == L && L >= 3) || cue)
            return (int)L;
    }
    return 0;
}

/* 1 when the word before j is an earlier copy of w[j]. */
static int find_repeat(const seq *s, size_t j, const ave_stutter_params *p)
{
    size_t run = 2;
    int c = compare(s, j - 1, j, 1);

    if (c == DIFFERENT || gap(s, j - 1) > p->max_gap_us)
        return 0;
    /* A repeated word is said about as fast both times (a stutter's first
     * copy is, if anything, shorter). A recogniser that writes "this is
     * the end" as "the the end" gives a first copy much longer than the
     * second: that is misheard speech, not a stutter. */
    if (c == SAME && dur(s, j - 1) > 2 * dur(s, j) + SAME_WORD_SLACK_US)
        return 0;
    if (c == PREFIX || filler_between(s, j - 1))
        return 1;
    for (size_t a = j - 1; a > 0 && !strcmp(s->base[a - 1], s->base[j]); a--)
        run++;
    for (size_t b = j + 1; b < s->m && !strcmp(s->base[b], s->base[j]); b++)
        run++;
    if (run >= 3)
        return 1;
    return ave_stutter_legit_double(s->base[j]) ? 0 : gap(s, j - 1) >= CONNECTED_US;
}

int ave_stutter_detect(ave_word *w, size_t n, const ave_stutter_params *p, size_t *flagged)
{
    ave_stutter_params def;
    seq s = {.w = w};
    size_t count = 0, floor = 0;
    int ret = AVE_ERR_NOMEM;

    if (flagged)
        *flagged = 0;
    if (!p) {
        ave_stutter_params_default(&def);
        p = &def;
    }
    if (n < 2)
        return 0;
    s.idx = malloc(n * sizeof(*s.idx));
    s.base = malloc(n * sizeof(*s.base));
    s.cut_off = malloc(n);
    if (!s.idx || !s.base || !s.cut_off)
        goto out;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(w[i].text);
        if ((w[i].flags & (AVE_WORD_FILLER | AVE_WORD_ACOUSTIC)) || len == 0)
            continue;
        if (len >= BASE_LEN)
            len = BASE_LEN - 1;
        s.cut_off[s.m] = w[i].text[len - 1] == '-';
        if (s.cut_off[s.m])
            len--;
        memcpy(s.base[s.m], w[i].text, len);
        s.base[s.m][len] = '\0';
        s.idx[s.m++] = i;
    }
    for (size_t j = 1; j < s.m; j++) {
        int L = find_restart(&s, j, floor, p);
        if (!L && j - 1 >= floor && find_repeat(&s, j, p))
            L = 1;
        if (!L)
            continue;
        for (size_t a = j - (size_t)L; a < j; a++) {
            if (!(w[s.idx[a]].flags & AVE_WORD_STUTTER))
                count++;
            w[s.idx[a]].flags |= AVE_WORD_STUTTER;
        }
        floor = j;
    }
    ret = 0;
out:
    free(s.idx);
    free(s.base);
    free(s.cut_off);
    if (flagged)
        *flagged = count;
    return ret;
}
