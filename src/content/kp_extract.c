/* Keyphrases: noun phrases scored by repetition, length, position and
 * centrality.
 *
 * Candidates are the 1-3 word noun phrases inside runs of content words:
 * stop words, fillers, numbers, unsure words, verbs, adverbs, sentence ends
 * and phrase boundaries (a comma, a pause) break a run, and a candidate must
 * end on a noun, its other words being nouns or modifiers (content_pos.c):
 * "electric bicycle" and "bicycle", never "purpose including commercial" or
 * "worked". score = count x (1 + 0.5 per extra word) x (1 + 0.25 x
 * earliness) x (1 + 0.5 x centrality): earliness is 1 for a phrase first
 * heard at the start and 0 at the end (speakers name their topic early);
 * centrality is the mean, over the phrase's words, of how often the talk
 * uses that word (anywhere, in any phrase) relative to its most used content
 * word, so "example video" in a talk about videos outranks an aside. ASR
 * noise is one-off: a phrase must occur at least twice (unless the text is
 * too short to repeat anything), and a single word is dropped when most of
 * its occurrences are inside a kept longer phrase, which is the more specific
 * name, as long as that phrase was heard at least as reliably. Counting is
 * over stems, so "planets" and "planet" are one candidate; the first spoken
 * form is shown.
 *
 * Reliability: each occurrence is as reliable as its least reliable word
 * (token conf, already calibrated by the stage); occurrences are treated as
 * independent chances to have heard it right: 1 - prod(1 - r_i). */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "content/content.h"
#include "core/array_grow.h"

#define KP_MAX_WORDS 3

typedef struct cand {
    char key[160];  /* stems joined by ' ' */
    char shown[64]; /* first spoken form */
    int words;
    int count;
    size_t first;
    double score;
    double miss; /* prod over occurrences of (1 - reliability) */
    double central;
    int dropped;
} cand;

typedef struct cand_map {
    cand *c;
    size_t count, cap;
    size_t *slots; /* index + 1; 0 = empty; size nslots (power of two) */
    size_t nslots;
} cand_map;

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int map_grow(cand_map *m)
{
    size_t ns = m->nslots ? m->nslots * 2 : 1024;
    size_t *slots = calloc(ns, sizeof(*slots));
    if (!slots)
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < m->count; i++) {
        size_t h = (size_t)hash(m->c[i].key) & (ns - 1);
        while (slots[h])
            h = (h + 1) & (ns - 1);
        slots[h] = i + 1;
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = ns;
    return 0;
}

/* The candidate for key, created when new. NULL on allocation failure. */
static cand *map_get(cand_map *m, const char *key, const char *shown, int words, size_t pos)
{
    size_t h;

    if ((m->count + 1) * 2 > m->nslots && map_grow(m) < 0)
        return NULL;
    for (h = (size_t)hash(key) & (m->nslots - 1); m->slots[h]; h = (h + 1) & (m->nslots - 1))
        if (!strcmp(m->c[m->slots[h] - 1].key, key))
            return &m->c[m->slots[h] - 1];
    cand *p = array_grow(m->c, &m->cap, m->count + 1, sizeof(*p), 256);
    if (!p)
        return NULL;
    m->c = p;
    cand *c = &m->c[m->count];
    memset(c, 0, sizeof(*c));
    c->miss = 1;
    snprintf(c->key, sizeof(c->key), "%s", key);
    snprintf(c->shown, sizeof(c->shown), "%s", shown);
    c->words = words;
    c->first = pos;
    m->slots[h] = ++m->count;
    return c;
}

static int is_content(const content_token *k)
{
    return !(k->flags & (TOK_STOP | TOK_FILLER | TOK_NUMBER | TOK_LOWCONF));
}

/* May this word stand inside a noun phrase (head or modifier)? */
static int in_np(const content_token *k)
{
    return is_content(k) && (k->pos == POS_NOUN || k->pos == POS_ADJ || k->pos == POS_PART ||
                             k->pos == POS_GERUND);
}

/* Is the key of a (space separated stems) inside b's key at word boundaries? */
static int key_inside(const char *a, const char *b)
{
    size_t n = strlen(a);
    for (const char *p = strstr(b, a); p; p = strstr(p + 1, a))
        if ((p == b || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return 1;
    return 0;
}

static int by_score(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return a->first < b->first ? -1 : a->first > b->first;
}

int kp_extract(const content_text *t, size_t from, size_t to, size_t max, ave_keyphrase **out,
               size_t *count)
{
    cand_map m = {0}, freq = {0};
    size_t span = to > from ? to - from : 1, content_words = 0, kept = 0;
    int ret = 0, min_count, max_freq = 0;

    *out = NULL;
    *count = 0;
    /* how often each content stem is used, for centrality */
    for (size_t i = from; i < to && i < t->count; i++) {
        const content_token *k = &t->tok[i];
        if (!is_content(k))
            continue;
        content_words++;
        cand *f = map_get(&freq, k->stem, k->text, 1, i - from);
        if (!f) {
            ret = AVE_ERR_NOMEM;
            goto out;
        }
        if (++f->count > max_freq)
            max_freq = f->count;
    }
    for (size_t i = from; i < to && i < t->count; i++) {
        if (!in_np(&t->tok[i]))
            continue;
        char key[160] = "", shown[64] = "";
        double occ = 1, central = 0;
        for (int L = 1; L <= KP_MAX_WORDS && i + (size_t)L <= to; L++) {
            const content_token *k = &t->tok[i + (size_t)L - 1];
            if (!in_np(k))
                break;
            size_t kl = strlen(key), sl = strlen(shown);
            snprintf(key + kl, sizeof(key) - kl, "%s%s", L > 1 ? " " : "", k->stem);
            snprintf(shown + sl, sizeof(shown) - sl, "%s%s", L > 1 ? " " : "", k->text);
            if (k->conf < occ)
                occ = k->conf;
            const cand *f = map_get(&freq, k->stem, k->text, 1, 0);
            if (!f) {
                ret = AVE_ERR_NOMEM;
                goto out;
            }
            central += max_freq ? (double)f->count / max_freq : 0;
            if (k->pos == POS_NOUN) { /* a noun phrase ends on a noun */
                cand *c = map_get(&m, key, shown, L, i - from);
                if (!c) {
                    ret = AVE_ERR_NOMEM;
                    goto out;
                }
                c->count++;
                c->miss *= 1 - (occ < 0 ? 0 : occ > 1 ? 1 : occ);
                c->central = central / L;
            }
            if (k->flags & (TOK_SENT_END | TOK_PHRASE_END))
                break;
        }
    }
    min_count = content_words >= 40 ? 2 : 1;
    for (size_t i = 0; i < m.count; i++) {
        cand *c = &m.c[i];
        double early = 1.0 - (double)c->first / (double)span;
        c->dropped = c->count < min_count;
        c->score = c->count * (1 + 0.5 * (c->words - 1)) * (1 + 0.25 * early) *
                   (1 + 0.5 * c->central);
    }
    /* A shorter candidate mostly heard inside a longer kept one gives way. */
    for (size_t i = 0; i < m.count; i++) {
        cand *a = &m.c[i];
        for (size_t j = 0; j < m.count && !a->dropped; j++) {
            const cand *b = &m.c[j];
            if (b->dropped || b->words <= a->words || !key_inside(a->key, b->key))
                continue;
            /* ...unless the longer one is less sure: "fellow america" with
             * an unsure "fellow" must not hide a sure "america". */
            if (b->count * 10 >= a->count * 7 && b->miss <= a->miss)
                a->dropped = 1;
        }
    }
    if (m.count) /* qsort must not see the NULL of an empty list */
        qsort(m.c, m.count, sizeof(*m.c), by_score);
    for (size_t i = 0; i < m.count; i++)
        kept += !m.c[i].dropped;
    if (kept > max)
        kept = max;
    if (kept) {
        if (!(*out = calloc(kept, sizeof(**out)))) {
            ret = AVE_ERR_NOMEM;
            goto out;
        }
        for (size_t i = 0; i < m.count && *count < kept; i++) {
            const cand *c = &m.c[i];
            ave_keyphrase *k = &(*out)[*count];
            if (c->dropped)
                continue;
            snprintf(k->text, sizeof(k->text), "%s", c->shown);
            k->score = (float)(c->score / m.c[0].score);
            k->count = c->count;
            k->reliability = (float)(1 - c->miss);
            (*count)++;
        }
        /* the best may have been dropped: renormalise so the first is 1 */
        for (size_t i = 1; i < *count; i++)
            (*out)[i].score /= (*out)[0].score;
        (*out)[0].score = 1;
    }
out:
    free(m.c);
    free(m.slots);
    free(freq.c);
    free(freq.slots);
    return ret;
}

/* Stems of the words in s, at most max. */
static size_t stems_of(const char *s, char stems[][48], size_t max)
{
    size_t n = 0;
    while (*s && n < max) {
        char w[48];
        size_t k = 0;
        while (*s && !isalnum((unsigned char)*s) && (unsigned char)*s < 0x80)
            s++;
        while (*s && (isalnum((unsigned char)*s) || *s == '\'' || (unsigned char)*s >= 0x80)) {
            if (k + 1 < sizeof(w))
                w[k++] = (char)tolower((unsigned char)*s);
            s++;
        }
        w[k] = '\0';
        if (k)
            content_stem(w, stems[n++], 48);
    }
    return n;
}

int kp_contains(const char *text, const char *phrase)
{
    char (*a)[48] = malloc(sizeof(*a) * 64), b[8][48];
    size_t na, nb;
    int found = 0;

    if (!a)
        return 0;
    na = stems_of(text, a, 64);
    nb = stems_of(phrase, b, 8);
    for (size_t i = 0; nb && i + nb <= na && !found; i++) {
        size_t j = 0;
        while (j < nb && !strcmp(a[i + j], b[j]))
            j++;
        found = j == nb;
    }
    free(a);
    return found;
}

/* Do a and b share a word run: one inside the other at word boundaries? */
static int overlaps(const char *a, const char *b)
{
    return kp_contains(a, b) || kp_contains(b, a);
}

int kp_order_for_titles(ave_keyphrase *kp, size_t n)
{
    ave_keyphrase *tmp;
    unsigned char *used;
    size_t o = 0, top = 0;

    if (n < 2)
        return 0;
    if (!(tmp = malloc(n * sizeof(*tmp))) || !(used = calloc(n, 1))) {
        free(tmp);
        return AVE_ERR_NOMEM;
    }
    /* The most specific name of the best topic: "example video" for
     * "video" when it scores at least half as much. */
    size_t first = 0;
    for (size_t i = 1; i < n && i < 5; i++)
        if (kp_contains(kp[i].text, kp[0].text) && kp[i].score >= 0.5f * kp[0].score &&
            strlen(kp[i].text) > strlen(kp[first].text))
            first = i;
    tmp[o++] = kp[first];
    used[first] = 1;
    /* Then the next best that name other topics, for K2 and K3. */
    for (size_t i = 0; i < n && top < 2; i++) {
        int clash = used[i];
        for (size_t j = 0; j < o && !clash; j++)
            clash = overlaps(kp[i].text, tmp[j].text);
        if (!clash) {
            tmp[o++] = kp[i];
            used[i] = 1;
            top++;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (!used[i])
            tmp[o++] = kp[i];
    memcpy(kp, tmp, n * sizeof(*kp));
    free(tmp);
    free(used);
    return 0;
}
