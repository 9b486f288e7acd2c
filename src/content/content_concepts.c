/* Concept spotting: surface patterns over the tokens, sentence by sentence.
 *
 *   definition   "<subject> is a|an ...", "<subject> means ...", "... refers
 *                to", "... is defined as", "... is called"
 *   number       any spoken number (content_numbers.c); what it measures is
 *                the words after it ("seventy percent | of the planet"), else
 *                the words before
 *   enumeration  "first ... second ... third" within 90 s
 *   process      "step one ... step two ..."
 *   comparison   "X versus Y", "X is faster than Y", "difference between X
 *                and Y"
 *
 * Patterns, not parsing: a recogniser's transcript has no punctuation and
 * some wrong words, so each rule asks for little and scores by how explicit
 * the cue was (the B-roll stage keeps only strong ones). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "content/content.h"
#include "core/array_grow.h"

#define ENUM_WINDOW_US 90000000
/* A pause inside a sentence that ends a list item (a spoken comma). */
#define ITEM_PAUSE_US 250000

typedef struct clist {
    ave_concept *c;
    size_t count, cap;
} clist;

static ave_concept *add(clist *l, int kind, float score)
{
    ave_concept *p = array_grow(l->c, &l->cap, l->count + 1, sizeof(*p), 32);
    if (!p)
        return NULL;
    l->c = p;
    ave_concept *c = &l->c[l->count++];
    memset(c, 0, sizeof(*c));
    c->kind = kind;
    c->score = score;
    return c;
}

static const char *tx(const content_text *t, size_t i)
{
    return i < t->count ? t->tok[i].text : "";
}

static int is(const content_text *t, size_t i, const char *w)
{
    return i < t->count && !strcmp(t->tok[i].text, w);
}

static int content_at(const content_text *t, size_t i)
{
    return i < t->count && !(t->tok[i].flags & (TOK_STOP | TOK_FILLER));
}

/* Join tokens [a, b) into out. */
static void join(const content_text *t, size_t a, size_t b, char *out, size_t len)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = a; i < b && i < t->count && n + 1 < len; i++) {
        int w = snprintf(out + n, len - n, "%s%s", n ? " " : "", t->tok[i].text);
        if (w < 0 || (size_t)w >= len - n) {
            out[n] = '\0'; /* keep whole words only */
            break;
        }
        n += (size_t)w;
    }
}

/* The run of up to max content words ending just before i (within [s, i)). */
static void run_before(const content_text *t, size_t s, size_t i, size_t max, char *out,
                       size_t len)
{
    size_t a = i;
    while (a > s && i - a < max && content_at(t, a - 1))
        a--;
    join(t, a, i, out, len);
}

/* Up to max words from i on (stops at sentence end, fillers, numbers),
 * without leading articles and trailing stop words. Returns the index after. */
static size_t phrase_after(const content_text *t, size_t i, size_t e, size_t max, char *out,
                           size_t len)
{
    size_t a = i, b;
    while (a < e && (is(t, a, "the") || is(t, a, "a") || is(t, a, "an") || is(t, a, "and")))
        a++;
    b = a;
    while (b < e && b - a < max && !(t->tok[b].flags & (TOK_FILLER | TOK_NUMBER)))
        b++;
    while (b > a && (t->tok[b - 1].flags & TOK_STOP))
        b--;
    join(t, a, b, out, len);
    return b;
}

static void set_span(const content_text *t, ave_concept *c, size_t a, size_t s, size_t e)
{
    c->start_us = t->tok[a].start_us;
    c->end_us = t->tok[e - 1].end_us;
    join(t, s, e, c->text, sizeof(c->text));
}

static int numbers(const content_text *t, size_t s, size_t e, clist *l)
{
    const char *words[16];
    for (size_t i = s; i < e;) {
        size_t n = 0;
        double v;
        char unit[16];
        while (n < 16 && i + n < e)
            words[n] = t->tok[i + n].text, n++;
        int used = content_parse_number(words, n, &v, unit, sizeof(unit));
        if (used <= 0) {
            i++;
            continue;
        }
        /* "one" alone is mostly "one of", "this one": not a figure; "step two"
         * belongs to a process */
        if (!(used == 1 && !unit[0] && v <= 1) && !(i > s && is(t, i - 1, "step"))) {
            float score = unit[0] ? 0.85f : v >= 10 ? 0.6f : 0.35f;
            ave_concept *c = add(l, AVE_CONCEPT_NUMBER, score);
            if (!c)
                return AVE_ERR_NOMEM;
            c->value = v;
            snprintf(c->unit, sizeof(c->unit), "%s", unit);
            phrase_after(t, i + (size_t)used, e, 5, c->label, sizeof(c->label));
            if (!c->label[0])
                run_before(t, s, i, 4, c->label, sizeof(c->label));
            set_span(t, c, i, s, e);
            c->start_us = t->tok[i].start_us;
        }
        i += (size_t)used;
    }
    return 0;
}

static int definition(const content_text *t, size_t s, size_t e, clist *l)
{
    for (size_t j = s + 1; j + 1 < e; j++) {
        float score = 0;
        size_t body = j + 1;
        if ((is(t, j, "is") || is(t, j, "are")) && (is(t, j + 1, "a") || is(t, j + 1, "an")))
            score = 0.55f;
        else if ((is(t, j, "is") || is(t, j, "are")) && is(t, j + 1, "called"))
            score = 0.7f, body = j + 2;
        else if ((is(t, j, "is") || is(t, j, "are")) && is(t, j + 1, "defined") &&
                 is(t, j + 2, "as"))
            score = 0.75f, body = j + 3;
        else if (is(t, j, "means") || is(t, j, "refers"))
            score = 0.7f, body = j + 1 + is(t, j + 1, "to");
        if (!score || !content_at(t, j - 1) || body >= e)
            continue;
        ave_concept *c = add(l, AVE_CONCEPT_DEFINITION, score);
        if (!c)
            return AVE_ERR_NOMEM;
        run_before(t, s, j, 3, c->label, sizeof(c->label));
        set_span(t, c, j - 1, s, e);
        c->start_us = t->tok[s].start_us;
        return 0; /* one per sentence */
    }
    return 0;
}

static int comparison(const content_text *t, size_t s, size_t e, clist *l)
{
    for (size_t j = s; j < e; j++) {
        char x[64] = "", y[64] = "";
        if (is(t, j, "versus") || is(t, j, "vs")) {
            run_before(t, s, j, 3, x, sizeof(x));
            phrase_after(t, j + 1, e, 3, y, sizeof(y));
        } else if (is(t, j, "than") && j > s) {
            size_t k = j - 1, a;
            if (!(strlen(tx(t, k)) > 4 && !strcmp(tx(t, k) + strlen(tx(t, k)) - 2, "er")) &&
                !(k > s && (is(t, k - 1, "more") || is(t, k - 1, "less"))))
                continue;
            a = k;
            while (a > s && !content_at(t, a - 1))
                a--; /* skip "is", "much", "more" back to the subject */
            run_before(t, s, a, 3, x, sizeof(x));
            phrase_after(t, j + 1, e, 3, y, sizeof(y));
        } else if (is(t, j, "between") && j > s && is(t, j - 1, "difference")) {
            size_t k = j + 1;
            while (k < e && !is(t, k, "and"))
                k++;
            if (k >= e)
                continue;
            phrase_after(t, j + 1, k, 3, x, sizeof(x));
            phrase_after(t, k + 1, e, 3, y, sizeof(y));
        } else {
            continue;
        }
        if (!x[0] || !y[0])
            continue;
        ave_concept *c = add(l, AVE_CONCEPT_COMPARISON, 0.65f);
        if (!c)
            return AVE_ERR_NOMEM;
        c->item_count = 2;
        snprintf(c->items[0], sizeof(c->items[0]), "%s", x);
        snprintf(c->items[1], sizeof(c->items[1]), "%s", y);
        snprintf(c->label, sizeof(c->label), "%.40s vs %.40s", x, y);
        set_span(t, c, s, s, e);
        return 0;
    }
    return 0;
}

static int ordinal(const content_text *t, size_t i, int process)
{
    static const char *const ord[] = {"first", "second", "third", "fourth", "fifth", "sixth"};
    static const char *const num[] = {"one", "two", "three", "four", "five", "six"};
    for (int k = 0; k < 6; k++) {
        if (process && is(t, i, "step") && (is(t, i + 1, num[k])))
            return k + 1;
        /* "a second" and "the second time" are times, not list items */
        if (!process && is(t, i, ord[k]) && !(i > 0 && (is(t, i - 1, "a") || is(t, i - 1, "per"))))
            return k + 1;
    }
    return 0;
}

/* Where the item starting at a ends: a recogniser writes no punctuation, so
 * "first read the chapter second write a summary" is one sentence. The next
 * ordinal, or a pause long enough to be a spoken comma, closes the item. */
static size_t item_end(const content_text *t, size_t a, size_t e, int process)
{
    for (size_t j = a; j < e; j++) {
        if (j > a && (ordinal(t, j, process) || is(t, j, "finally") || is(t, j, "lastly") ||
                      is(t, j, "next")))
            return j;
        if (j > a && t->tok[j].start_us - t->tok[j - 1].end_us >= ITEM_PAUSE_US)
            return j;
    }
    return e;
}

/* first/second/third (process = 0) or step one/two (process = 1) in order. */
static int sequences(const content_text *t, int process, clist *l)
{
    ave_concept *c = NULL;
    size_t last = 0;
    int expect = 1;

    for (size_t i = 0; i < t->count; i++) {
        int k = ordinal(t, i, process);
        if (!k)
            continue;
        if (k == 1) {
            expect = 1;
            c = NULL;
        } else if (k != expect || !c || t->tok[i].start_us - t->tok[last].start_us >
                                                ENUM_WINDOW_US) {
            continue;
        }
        size_t e = i + 1 + (size_t)process;
        while (e < t->count && !(t->tok[e - 1].flags & TOK_SENT_END))
            e++;
        char item[64];
        phrase_after(t, i + 1 + (size_t)process, item_end(t, i + 1 + (size_t)process, e, process),
                     5, item, sizeof(item));
        if (k == 1) {
            /* a list starts for real only when its second item comes */
            c = add(l, process ? AVE_CONCEPT_PROCESS : AVE_CONCEPT_ENUMERATION, 0);
            if (!c)
                return AVE_ERR_NOMEM;
            c->start_us = t->tok[i].start_us;
            snprintf(c->label, sizeof(c->label), "%s", process ? "steps" : "key points");
            join(t, i, e, c->text, sizeof(c->text));
        }
        if (c->item_count < AVE_CONCEPT_MAX_ITEMS)
            snprintf(c->items[c->item_count++], sizeof(c->items[0]), "%s", item);
        c->end_us = t->tok[e - 1].end_us;
        c->score = c->item_count >= 2 ? (float)(0.5 + 0.1 * c->item_count) : 0;
        if (c->score > 0.9f)
            c->score = 0.9f;
        last = i;
        expect = k + 1;
    }
    /* drop lists that never got a second item */
    size_t w = 0;
    for (size_t i = 0; i < l->count; i++)
        if (l->c[i].score > 0)
            l->c[w++] = l->c[i];
    l->count = w;
    return 0;
}

static int by_start(const void *x, const void *y)
{
    const ave_concept *a = x, *b = y;
    return a->start_us < b->start_us ? -1 : a->start_us > b->start_us;
}

const char *content_concept_kind_name(int kind)
{
    static const char *const names[] = {"definition", "number", "enumeration", "comparison",
                                        "process"};
    return kind >= 0 && kind < 5 ? names[kind] : "?";
}

/* 1 when word occurs among the space-separated words of s. */
static int has_word(const char *s, const char *word)
{
    size_t n = strlen(word);

    for (const char *p = s; n && (p = strstr(p, word)); p += n)
        if ((p == s || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

static int shown_on_card(const ave_concept *c, const char *word)
{
    if (has_word(c->label, word))
        return 1;
    if ((c->kind == AVE_CONCEPT_DEFINITION || !c->label[0]) && has_word(c->text, word))
        return 1;
    for (int i = 0; i < c->item_count && i < AVE_CONCEPT_MAX_ITEMS; i++)
        if (has_word(c->items[i], word))
            return 1;
    return 0;
}

/* 1 unless the card would show a content word (or the figure) that was
 * heard under min_rel: a card puts the speaker's words on screen, so it
 * needs the description's bar. A word said twice in the concept's
 * sentences counts as sure when one hearing is. */
static int concept_is_sure(const content_text *t, const ave_concept *c, float min_rel)
{
    size_t a = 0, b, first;

    while (a < t->count && t->tok[a].end_us <= c->start_us)
        a++;
    first = a;
    while (a > 0 && !(t->tok[a - 1].flags & TOK_SENT_END))
        a--;
    b = first;
    while (b < t->count && (t->tok[b].start_us < c->end_us || !(t->tok[b - 1].flags & TOK_SENT_END)))
        b++;
    for (size_t i = first; c->kind == AVE_CONCEPT_NUMBER && i < b && (t->tok[i].flags & TOK_NUMBER);
         i++)
        if (t->tok[i].conf < min_rel)
            return 0;
    for (size_t i = a; i < b; i++) {
        int sure = 0;

        if (!content_at(t, i) || t->tok[i].conf >= min_rel || !shown_on_card(c, t->tok[i].text))
            continue;
        for (size_t j = a; j < b && !sure; j++)
            sure = !strcmp(t->tok[j].text, t->tok[i].text) && t->tok[j].conf >= min_rel;
        if (!sure)
            return 0;
    }
    return 1;
}

int content_find_concepts(const content_text *t, float min_rel, ave_concept **out,
                          size_t *count)
{
    clist l = {0};
    int ret = 0;

    *out = NULL;
    *count = 0;
    if ((ret = sequences(t, 0, &l)) < 0 || (ret = sequences(t, 1, &l)) < 0)
        goto out;
    for (size_t s = 0; s < t->count;) {
        size_t e = s;
        while (e < t->count && !(t->tok[e].flags & TOK_SENT_END))
            e++;
        e = e < t->count ? e + 1 : e;
        if ((ret = definition(t, s, e, &l)) < 0 || (ret = numbers(t, s, e, &l)) < 0 ||
            (ret = comparison(t, s, e, &l)) < 0)
            goto out;
        s = e;
    }
    for (size_t i = 0; i < l.count;)
        if (!concept_is_sure(t, &l.c[i], min_rel))
            l.c[i] = l.c[--l.count];
        else
            i++;
    if (l.count)
        qsort(l.c, l.count, sizeof(*l.c), by_start);
    *out = l.c;
    *count = l.count;
    l.c = NULL;
out:
    free(l.c);
    return ret;
}
