/* Highlights: the N best stretches of whole sentences for shorts.
 *
 * Every run of consecutive sentences whose length on the edited video lies
 * in [min, max] is a candidate. Its score (docs/HIGHLIGHTS.md):
 *
 *   0.40 keyphrases  occurrences of the top keyphrases per 10 s, each
 *                    weighted by its score, relative to the best candidate
 *   0.15 question    a sentence ends with "?" or opens with a question word
 *   0.10 number      a spoken number (a NUMBER concept, or a number word)
 *   0.15 list        an enumeration or process concept, or two of
 *                    first/second/third/next/then/finally/lastly
 *   0.20 movement    mean loudness and pitch movement, relative to the best
 *  -0.30 pause       share of the stretch spent in pauses over 1.5 s
 *
 * Candidates are taken best first, skipping any that overlaps one already
 * taken, so the result is ranked and never overlaps. A stretch's title is
 * its own best keyphrase that is reliable enough to publish, else the
 * neutral "Highlight N". Pure: no job, no I/O. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "content/content.h"
#include "core/array_grow.h"

#define W_KEYPHRASES 0.40
#define W_QUESTION 0.15
#define W_NUMBER 0.10
#define W_LIST 0.15
#define W_MOVEMENT 0.20
#define W_PAUSE 0.30
#define LONG_PAUSE_US 1500000
#define TOP_KEYPHRASES 10

typedef struct sentence {
    size_t first, last; /* token range, inclusive */
} sentence;

typedef struct candidate {
    size_t s0, s1; /* sentence range, inclusive */
    ave_highlight h;
    double kp_raw, move_raw;
} candidate;

static const char *const question_words[] = {"what", "why", "how", "when", "where", "who",
                                             "which", "whose", NULL};
static const char *const list_words[] = {"first", "firstly", "second", "secondly", "third",
                                         "thirdly", "next", "then", "finally", "lastly", NULL};

static int in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(w, *list))
            return 1;
    return 0;
}

static size_t split_sentences(const content_text *t, sentence **out)
{
    size_t n = 0, start = 0;
    sentence *s = malloc((t->count ? t->count : 1) * sizeof(*s));
    *out = s;
    if (!s)
        return 0;
    for (size_t i = 0; i < t->count; i++)
        if (t->tok[i].flags & TOK_SENT_END || i + 1 == t->count) {
            s[n++] = (sentence){start, i};
            start = i + 1;
        }
    return n;
}

/* Per token: the summed scores of the top keyphrases that start there. */
static double *keyphrase_weights(const content_text *t, const ave_keyphrase *kp, size_t nkp)
{
    double *w = calloc(t->count ? t->count : 1, sizeof(*w));
    if (!w)
        return NULL;
    for (size_t k = 0; k < nkp && k < TOP_KEYPHRASES; k++) {
        char stems[4][48];
        size_t words = 0;
        char buf[sizeof(kp[k].text)];
        snprintf(buf, sizeof(buf), "%s", kp[k].text);
        for (char *save = NULL, *p = strtok_r(buf, " ", &save); p && words < 4;
             p = strtok_r(NULL, " ", &save)) {
            char lower[48];
            size_t n = 0;
            for (; p[n] && n + 1 < sizeof(lower); n++)
                lower[n] = (char)((p[n] >= 'A' && p[n] <= 'Z') ? p[n] + 32 : p[n]);
            lower[n] = '\0';
            content_stem(lower, stems[words++], sizeof(stems[0]));
        }
        for (size_t i = 0; words && i + words <= t->count; i++) {
            size_t j = 0;
            while (j < words && !strcmp(t->tok[i + j].stem, stems[j]))
                j++;
            if (j == words)
                w[i] += kp[k].score;
        }
    }
    return w;
}

static void score_parts(const content_text *t, const sentence *s, candidate *c,
                        const double *kpw, const ave_concept *con, size_t ncon,
                        const hl_movement *mv, int64_t (*to_edit)(const void *, int64_t),
                        const void *map)
{
    const content_token *first = &t->tok[s[c->s0].first], *last = &t->tok[s[c->s1].last];
    int64_t edit_len = c->h.edit_end_us - c->h.edit_start_us, paused = 0;
    double kp = 0;
    int list_markers = 0, number_word = 0;

    for (size_t i = s[c->s0].first; i <= s[c->s1].last; i++) {
        kp += kpw[i];
        list_markers += in_list(t->tok[i].text, list_words);
        number_word |= (t->tok[i].flags & TOK_NUMBER) != 0;
        if (i > s[c->s0].first) {
            int64_t gap = to_edit(map, t->tok[i].start_us) - to_edit(map, t->tok[i - 1].end_us);
            if (gap > LONG_PAUSE_US)
                paused += gap;
        }
    }
    for (size_t k = c->s0; k <= c->s1; k++) {
        const content_token *open = &t->tok[s[k].first], *end = &t->tok[s[k].last];
        if (end->flags & TOK_QUESTION || in_list(open->text, question_words))
            c->h.question = 1;
    }
    for (size_t k = 0; k < ncon; k++) {
        if (con[k].end_us <= first->start_us || last->end_us <= con[k].start_us)
            continue;
        if (con[k].kind == AVE_CONCEPT_NUMBER)
            c->h.number = 1;
        if (con[k].kind == AVE_CONCEPT_ENUMERATION || con[k].kind == AVE_CONCEPT_PROCESS)
            c->h.list = 1;
    }
    if (!c->h.number && number_word)
        c->h.number = 0.5;
    if (list_markers >= 2)
        c->h.list = 1;
    c->kp_raw = edit_len > 0 ? kp / ((double)edit_len / 10e6) : 0;
    c->h.pause = edit_len > 0 ? (double)paused / (double)edit_len : 0;
    c->move_raw = 0;
    if (mv && mv->count && mv->hop_us > 0) {
        size_t a = (size_t)(first->start_us / mv->hop_us), b = (size_t)(last->end_us / mv->hop_us);
        double sum = 0;
        size_t n = 0;
        for (size_t i = a; i <= b && i < mv->count; i++, n++)
            sum += mv->value[i];
        c->move_raw = n ? sum / (double)n : 0;
    }
}

static int by_score(const void *a, const void *b)
{
    double x = ((const candidate *)a)->h.score, y = ((const candidate *)b)->h.score;
    if (x != y)
        return x < y ? 1 : -1;
    /* equal scores: the earlier stretch first, so the order is stable */
    int64_t p = ((const candidate *)a)->h.start_us, q = ((const candidate *)b)->h.start_us;
    return (p > q) - (p < q);
}

/* The stretch's best publishable keyphrase, title-cased; else "Highlight N". */
static void title(candidate *c, const content_text *t, const sentence *s, const ave_keyphrase *kp,
                  size_t nkp, double min_rel, size_t rank)
{
    char text[1024];
    size_t len = 0;
    text[0] = '\0';
    for (size_t i = s[c->s0].first; i <= s[c->s1].last && len + 50 < sizeof(text); i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%s ", t->tok[i].text);
    c->h.reliability = 1;
    for (size_t k = 0; k < nkp; k++) {
        if (kp[k].reliability < min_rel || !kp_contains(text, kp[k].text))
            continue;
        meta_title_case(kp[k].text, c->h.title, sizeof(c->h.title));
        c->h.reliability = kp[k].reliability;
        return;
    }
    snprintf(c->h.title, sizeof(c->h.title), "Highlight %zu", rank + 1);
}

int content_highlights(const content_text *t, const ave_keyphrase *kp, size_t nkp,
                       const ave_concept *con, size_t ncon, const hl_movement *mv,
                       const hl_params *p, ave_highlight **out, size_t *count)
{
    sentence *s = NULL;
    candidate *c = NULL;
    double *kpw = NULL;
    size_t ns, nc = 0, cap = 0;
    int ret = 0;

    *out = NULL;
    *count = 0;
    if (!p->count || !t->count)
        return 0;
    ns = split_sentences(t, &s);
    if (!s || !(kpw = keyphrase_weights(t, kp, nkp))) {
        ret = AVE_ERR_NOMEM;
        goto done;
    }
    for (size_t a = 0; a < ns; a++) {
        int64_t e0 = p->to_edit(p->map, t->tok[s[a].first].start_us);
        for (size_t b = a; b < ns; b++) {
            int64_t e1 = p->to_edit(p->map, t->tok[s[b].last].end_us);
            if (e1 - e0 > p->max_us)
                break;
            if (e1 - e0 < p->min_us)
                continue;
            candidate *g = array_grow(c, &cap, nc + 1, sizeof(*g), 64);
            if (!g) {
                ret = AVE_ERR_NOMEM;
                goto done;
            }
            c = g;
            candidate *k = &c[nc++];
            memset(k, 0, sizeof(*k));
            k->s0 = a;
            k->s1 = b;
            k->h.start_us = t->tok[s[a].first].start_us;
            k->h.end_us = t->tok[s[b].last].end_us;
            k->h.edit_start_us = e0;
            k->h.edit_end_us = e1;
            score_parts(t, s, k, kpw, con, ncon, mv, p->to_edit, p->map);
        }
    }
    double kp_best = 0, move_best = 0;
    for (size_t i = 0; i < nc; i++) {
        kp_best = fmax(kp_best, c[i].kp_raw);
        move_best = fmax(move_best, c[i].move_raw);
    }
    for (size_t i = 0; i < nc; i++) {
        ave_highlight *h = &c[i].h;
        h->keyphrases = kp_best > 0 ? c[i].kp_raw / kp_best : 0;
        h->movement = move_best > 0 ? c[i].move_raw / move_best : 0;
        h->score = W_KEYPHRASES * h->keyphrases + W_QUESTION * h->question +
                   W_NUMBER * h->number + W_LIST * h->list + W_MOVEMENT * h->movement -
                   W_PAUSE * h->pause;
    }
    if (nc)
        qsort(c, nc, sizeof(*c), by_score);
    if (!(*out = calloc(p->count, sizeof(**out)))) {
        ret = AVE_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < nc && *count < p->count; i++) {
        int clash = 0;
        for (size_t j = 0; j < *count && !clash; j++)
            clash = c[i].h.start_us < (*out)[j].end_us && (*out)[j].start_us < c[i].h.end_us;
        if (clash)
            continue;
        title(&c[i], t, s, kp, nkp, p->min_reliability, *count);
        (*out)[(*count)++] = c[i].h;
    }
    if (*count == 0) {
        free(*out);
        *out = NULL;
    }
done:
    free(s);
    free(c);
    free(kpw);
    return ret;
}
