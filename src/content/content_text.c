/* The transcript as tokens: lower-case words with times, stems and flags
 * (stop word, filler, number, unsure, sentence end).
 *
 * Recognisers such as PocketSphinx emit no punctuation, so sentences are
 * split at pauses (a speaker breathes between sentences), the longest tenth
 * of them when the speaker pauses less than sentence_gap; text from an HTTP
 * recogniser or a test string may carry punctuation, which also ends one.
 * Words the edit removed (AVE_WORD_CUT) and acoustic-only hesitations are
 * left out: the metadata describes the edited video. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "content/content.h"
#include "core/array_grow.h"

void content_stem(const char *word, char *out, size_t len)
{
    size_t n = strlen(word);

    if (!len)
        return;
    if (n >= len)
        n = len - 1;
    memcpy(out, word, n);
    out[n] = '\0';
    if (n > 2 && out[n - 2] == '\'' && out[n - 1] == 's') { /* possessive */
        out[n - 2] = '\0';
        return;
    }
    /* plural s, but not "glass", "virus", "analysis", "bus" */
    if (n > 3 && out[n - 1] == 's' && out[n - 2] != 's' && out[n - 2] != 'u' &&
        out[n - 2] != 'i')
        out[n - 1] = '\0';
}

/* Copy the word part of raw (letters, digits, inner apostrophes and
 * hyphens) lower-cased into out; *ends_sentence when it was followed by
 * . ! or ?, *ends_phrase by a comma, a dash or a bracket. Returns the length. */
static size_t clean_word(const char *raw, char *out, size_t len, int *ends_sentence,
                         int *ends_phrase)
{
    size_t n = 0;

    *ends_sentence = *ends_phrase = 0;
    for (const char *p = raw; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) || (c >= 0x80) || ((c == '\'' || c == '-' || c == '.') && n > 0 &&
                                          isalnum((unsigned char)p[1]))) {
            if (n + 1 < len)
                out[n++] = (char)tolower(c);
        } else if (c == '.' || c == '!' || c == '?' || c == ';' || c == ':') {
            *ends_sentence = 1;
        } else if (c == ',' || c == '-' || c == '(' || c == ')' || c == '"') {
            *ends_phrase = n > 0;
        }
    }
    out[n] = '\0';
    return n;
}

static unsigned classify(const char *w)
{
    unsigned f = 0;
    size_t n = strlen(w);

    if (content_is_filler(w))
        f |= TOK_FILLER | TOK_STOP;
    else if (content_is_number_word(w))
        f |= TOK_NUMBER | TOK_STOP;
    else if (n <= 2 || content_is_stopword(w))
        f |= TOK_STOP; /* 1-2 letter words are mostly misrecognitions or function words */
    return f;
}

static int push(content_text *t, size_t *cap, const char *raw, int64_t s, int64_t e, float conf,
                int lowconf)
{
    content_token *k;
    int ends, phrase;

    content_token *p = array_grow(t->tok, cap, t->count + 1, sizeof(*p), 256);
    if (!p)
        return AVE_ERR_NOMEM;
    t->tok = p;
    k = &t->tok[t->count];
    memset(k, 0, sizeof(*k));
    unsigned question = strchr(raw, '?') ? TOK_QUESTION : 0;
    if (!clean_word(raw, k->text, sizeof(k->text), &ends, &phrase)) {
        if (ends && t->count)
            t->tok[t->count - 1].flags |= TOK_SENT_END | question;
        else if (t->count && strpbrk(raw, ",-()\""))
            t->tok[t->count - 1].flags |= TOK_PHRASE_END;
        return 0;
    }
    content_stem(k->text, k->stem, sizeof(k->stem));
    k->start_us = s;
    k->end_us = e;
    k->conf = conf;
    k->flags = classify(k->text) | (lowconf ? TOK_LOWCONF : 0) | (ends ? TOK_SENT_END : 0) |
               (phrase ? TOK_PHRASE_END : 0) | question;
    k->pos = k->flags & TOK_STOP ? POS_FUNC : content_pos_tag(k->text);
    t->count++;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Speakers (and synthetic voices) differ in how long they pause between
 * sentences: the gap is the smaller of the configured pause and the 90th
 * percentile of the pauses between kept words, but at least 0.1 s. */
static int64_t adapt_gap(const ave_word *w, size_t n, int64_t gap_us)
{
    int64_t *g = n > 1 ? malloc((n - 1) * sizeof(*g)) : NULL, p90;
    size_t k = 0, prev = n;

    if (!g)
        return gap_us;
    for (size_t i = 0; i < n; i++) {
        if (w[i].flags & (AVE_WORD_CUT | AVE_WORD_ACOUSTIC))
            continue;
        if (prev < n)
            g[k++] = w[i].start_us - w[prev].end_us;
        prev = i;
    }
    if (k < 20) {
        free(g);
        return gap_us;
    }
    qsort(g, k, sizeof(*g), cmp_i64);
    p90 = g[k * 9 / 10];
    free(g);
    if (p90 < 100000)
        p90 = 100000;
    return p90 < gap_us ? p90 : gap_us;
}

/* A pause this long inside a sentence is a breath or a hesitation, not the
 * joint between the words of one name: no keyphrase spans it. PocketSphinx
 * puts the words of a fluent phrase edge to edge (0-30 ms apart). */
#define PHRASE_GAP_US 150000

int content_text_from_words(content_text *t, const ave_word *w, size_t n, int64_t sentence_gap_us,
                            float min_conf)
{
    size_t cap = 0;
    int ret;

    memset(t, 0, sizeof(*t));
    sentence_gap_us = adapt_gap(w, n, sentence_gap_us);
    for (size_t i = 0; i < n; i++) {
        if (w[i].flags & (AVE_WORD_CUT | AVE_WORD_ACOUSTIC))
            continue;
        if (t->count && w[i].start_us - t->tok[t->count - 1].end_us >= sentence_gap_us)
            t->tok[t->count - 1].flags |= TOK_SENT_END;
        else if (t->count && w[i].start_us - t->tok[t->count - 1].end_us >= PHRASE_GAP_US)
            t->tok[t->count - 1].flags |= TOK_PHRASE_END;
        if ((ret = push(t, &cap, w[i].text, w[i].start_us, w[i].end_us, w[i].confidence,
                        w[i].confidence < min_conf)) < 0) {
            content_text_free(t);
            return ret;
        }
        if (w[i].flags & AVE_WORD_FILLER && t->count)
            t->tok[t->count - 1].flags |= TOK_FILLER | TOK_STOP;
    }
    if (t->count)
        t->tok[t->count - 1].flags |= TOK_SENT_END;
    return 0;
}

int content_text_from_string(content_text *t, const char *s)
{
    size_t cap = 0;
    char word[96];
    int64_t sec = 0;
    int ret = 0;

    memset(t, 0, sizeof(*t));
    while (*s) {
        size_t n = 0;
        while (*s && isspace((unsigned char)*s))
            s++;
        while (*s && !isspace((unsigned char)*s)) {
            if (n + 1 < sizeof(word))
                word[n++] = *s;
            s++;
        }
        word[n] = '\0';
        if (!n)
            continue;
        if ((ret = push(t, &cap, word, sec * 1000000, sec * 1000000 + 900000, 1.0f, 0)) < 0) {
            content_text_free(t);
            return ret;
        }
        sec++;
    }
    if (t->count)
        t->tok[t->count - 1].flags |= TOK_SENT_END;
    return 0;
}

void content_text_free(content_text *t)
{
    if (!t)
        return;
    free(t->tok);
    t->tok = NULL;
    t->count = 0;
}
