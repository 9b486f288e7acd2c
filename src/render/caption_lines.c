/* Grouping the edited video's words into captions of at most two lines.
 *
 * Why a dynamic programme rather than greedy filling: greedy wrapping fills
 * every caption to the budget and so breaks wherever the budget runs out,
 * often one word before a sentence ends, leaving that word alone on the next
 * caption for a fraction of a second. Scoring every possible break inside a
 * run of speech (a run ends at a cut or a long pause, where a break is
 * forced) lets a slightly shorter caption end at the comma or pause instead.
 * A run is rarely more than a few dozen words and a caption holds at most
 * 2 * max_line_chars characters, so the search is O(words * words per
 * caption) and costs microseconds per caption.
 *
 * The costs are relative weights, chosen so that (in this order) a single
 * word alone on screen, a caption too short to read, a break in the middle
 * of a phrase and unbalanced lines are avoided; test_caption_lines.c pins
 * the cases each one decides. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "render/caption_lines.h"

#define COST_CAPTION 1.5      /* each caption: prefer fuller ones */
#define COST_BREAK_SENTENCE 0 /* after . ? ! */
#define COST_BREAK_CLAUSE 0.5 /* after , ; : */
#define COST_BREAK_PAUSE 0.75 /* at a pause of soft_pause_us or more */
#define COST_BREAK_PHRASE 3.0 /* anywhere else */
#define COST_ORPHAN 6.0       /* a lone word as a caption or a line */
#define COST_SHORT 4.0        /* a caption the next one replaces before min_show_us */
#define COST_SHORT_SLOPE 8.0  /* ... growing with the shortfall */
#define COST_IMBALANCE 2.0    /* per line-budget of length difference */
#define COST_SENTENCE_INSIDE 3.0 /* a sentence ending mid-caption (half at its line break) */

void ave_caption_params_default(ave_caption_params *p)
{
    p->max_line_chars = 42;
    p->max_lines = 2;
    p->min_show_us = 800000;
    p->max_span_us = 7000000;
    p->hard_pause_us = 1200000;
    p->soft_pause_us = 250000;
    p->sentence_pause_us = 500000;
    p->tail_us = 600000;
}

void ave_caption_fit(int width, int height, double scale, double *font_px, int *line_chars)
{
    double f = 0.055 * height, n;

    if (f > 0.06 * width)
        f = 0.06 * width;
    f *= scale > 0 ? scale : 1;
    if (f < 8)
        f = 8;
    n = floor(0.72 * width / (0.55 * f));
    *font_px = f;
    *line_chars = n < 12 ? 12 : n > 42 ? 42 : (int)n;
}

size_t ave_caption_text_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) /* not a continuation byte */
            n++;
    return n;
}

typedef struct cap_ctx {
    const ave_caption_word *w;
    const ave_caption_params *p;
    size_t *pre; /* pre[k]: characters of words [0, k) plus one space after each */
} cap_ctx;

/* Characters of words [i, j) on one line. */
static int line_width(const cap_ctx *c, size_t i, size_t j)
{
    return (int)(c->pre[j] - c->pre[i]) - 1;
}

static char last_char(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    /* closing quotes and brackets do not hide the punctuation before them */
    while (n > 1 && strchr("\"')]", s[n - 1]))
        n--;
    return n ? s[n - 1] : 0;
}

/* Word k ends a sentence: punctuation, or for a recogniser that writes none
 * (PocketSphinx) a pause of sentence_pause_us before the next word, the
 * breath between sentences (the content stage reads sentences the same way).
 * Only called for k with a next word. */
static int sentence_end(const cap_ctx *c, size_t k)
{
    char e = last_char(c->w[k].text);
    if (e && strchr(".?!", e))
        return 1;
    return c->w[k + 1].start_us - c->w[k].end_us >= c->p->sentence_pause_us;
}

/* Cost of breaking between words k and k + 1. */
static double break_cost(const cap_ctx *c, size_t k)
{
    char e = last_char(c->w[k].text);
    if (sentence_end(c, k))
        return COST_BREAK_SENTENCE;
    if (e && strchr(",;:", e))
        return COST_BREAK_CLAUSE;
    if (c->w[k + 1].start_us - c->w[k].end_us >= c->p->soft_pause_us)
        return COST_BREAK_PAUSE;
    return COST_BREAK_PHRASE;
}

/* Best way to lay words [i, j) out; DBL_MAX when they do not fit. */
static double layout_cost(const cap_ctx *c, size_t i, size_t j, size_t *line1)
{
    int budget = c->p->max_line_chars, total = line_width(c, i, j);
    double best = DBL_MAX;

    *line1 = j - i;
    if (total <= budget || j - i == 1) /* a word longer than a line stands alone */
        return 0;
    if (c->p->max_lines < 2)
        return DBL_MAX;
    for (size_t m = i + 1; m < j; m++) {
        int a = line_width(c, i, m), b = line_width(c, m, j);
        double cost;
        if (a > budget || b > budget)
            continue;
        cost = 0.5 * break_cost(c, m - 1) + COST_IMBALANCE * abs(a - b) / (double)budget;
        if (m - i == 1 || j - m == 1)
            cost += COST_ORPHAN;
        if (cost < best) {
            best = cost;
            *line1 = m - i;
        }
    }
    return best;
}

/* When the caption of words ending before `next` must be off the screen:
 * the next word's start, or for the last word of a run the cut's join (or
 * the next word after a long pause), or the video's end. */
static int64_t next_limit(const cap_ctx *c, size_t next, size_t n, int64_t end_limit)
{
    if (next >= n)
        return end_limit;
    if (c->w[next].cut_us >= 0 && c->w[next].cut_us < c->w[next].start_us)
        return c->w[next].cut_us;
    return c->w[next].start_us;
}

/* Cost of one caption of words [i, j) inside the run [a, b). */
static double caption_cost(const cap_ctx *c, size_t i, size_t j, size_t a, size_t b, size_t n,
                           int64_t end_limit, size_t *line1)
{
    const ave_caption_params *p = c->p;
    double cost = layout_cost(c, i, j, line1), shown;
    int64_t end;

    if (cost == DBL_MAX)
        return DBL_MAX;
    if (j - i > 1 && c->w[j - 1].end_us - c->w[i].start_us > p->max_span_us)
        return DBL_MAX;
    cost += COST_CAPTION;
    /* a sentence that ends inside a caption: better at its line break */
    for (size_t k = i; k + 1 < j; k++)
        if (sentence_end(c, k))
            cost += k + 1 - i == *line1 ? COST_SENTENCE_INSIDE / 2 : COST_SENTENCE_INSIDE;
    if (j < b)
        cost += break_cost(c, j - 1);
    if (j - i == 1 && b - a > 1)
        cost += COST_ORPHAN;
    /* how long it can stay: up to the next caption, or its tail at a run's end */
    end = next_limit(c, j, n, end_limit);
    if (j == b && c->w[j - 1].end_us + p->tail_us < end)
        end = c->w[j - 1].end_us + p->tail_us;
    shown = (double)(end - c->w[i].start_us);
    if (shown < p->min_show_us && (j < b || b - a > 1))
        cost += COST_SHORT + COST_SHORT_SLOPE * (p->min_show_us - shown) / p->min_show_us;
    return cost;
}

/* Captions for the run [a, b), appended to out[*count]. */
static int build_run(const cap_ctx *c, size_t a, size_t b, size_t n, int64_t end_limit,
                     ave_caption *out, size_t *count)
{
    size_t len = b - a, k;
    double *best = malloc((len + 1) * sizeof(*best));
    size_t *from = malloc((len + 1) * sizeof(*from)), *l1 = malloc((len + 1) * sizeof(*l1));
    size_t *stack = malloc((len + 1) * sizeof(*stack)), depth = 0;
    int ret = AVE_ERR_NOMEM;

    if (!best || !from || !l1 || !stack)
        goto out;
    best[0] = 0;
    for (k = 1; k <= len; k++) {
        size_t j = a + k;
        best[k] = DBL_MAX;
        for (size_t i = j; i-- > a;) {
            size_t line1;
            double cost;
            /* wider than full lines and the spaces between them: no
             * earlier start fits either */
            if (j - i > 1 && line_width(c, i, j) > c->p->max_lines * (c->p->max_line_chars + 1) - 1)
                break;
            cost = caption_cost(c, i, j, a, b, n, end_limit, &line1);
            if (cost == DBL_MAX || best[i - a] == DBL_MAX)
                continue;
            if (best[i - a] + cost < best[k]) {
                best[k] = best[i - a] + cost;
                from[k] = i - a;
                l1[k] = line1;
            }
        }
    }
    /* A single word always fits, so every prefix has a way through. */
    for (k = len; k > 0; k = from[k])
        stack[depth++] = k;
    while (depth--) {
        size_t e = stack[depth], s = from[e];
        ave_caption *cap = &out[(*count)++];
        cap->first = a + s;
        cap->count = e - s;
        cap->line1 = l1[e];
    }
    ret = 0;
out:
    free(best);
    free(from);
    free(l1);
    free(stack);
    return ret;
}

static void set_times(const cap_ctx *c, ave_caption *caps, size_t count, size_t n,
                      int64_t end_limit)
{
    for (size_t k = 0; k < count; k++) {
        ave_caption *cap = &caps[k];
        size_t last = cap->first + cap->count - 1, next = last + 1;
        int64_t limit = next_limit(c, next, n, end_limit);
        int64_t end = c->w[last].end_us + c->p->tail_us;

        cap->start_us = c->w[cap->first].start_us;
        if (end < cap->start_us + c->p->min_show_us)
            end = cap->start_us + c->p->min_show_us;
        if (end > limit)
            end = limit;
        if (end <= cap->start_us)
            end = cap->start_us + 1;
        cap->end_us = end;
    }
}

int ave_caption_build(const ave_caption_word *words, size_t n, const ave_caption_params *p,
                      int64_t end_limit_us, ave_caption **out, size_t *count)
{
    cap_ctx c = {words, p, NULL};
    ave_caption *caps = NULL;
    size_t a = 0, nc = 0;
    int ret = 0;

    *out = NULL;
    *count = 0;
    if (!p || p->max_line_chars < 1 || p->max_lines < 1 || p->max_lines > 2)
        return AVE_ERR_USAGE;
    if (!n)
        return 0;
    if (!(c.pre = malloc((n + 1) * sizeof(*c.pre))) || !(caps = calloc(n, sizeof(*caps)))) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    c.pre[0] = 0;
    for (size_t k = 0; k < n; k++)
        c.pre[k + 1] = c.pre[k] + ave_caption_text_chars(words[k].text) + 1;
    for (size_t k = 1; k <= n; k++) {
        if (k < n && words[k].cut_us < 0 &&
            words[k].start_us - words[k - 1].end_us < p->hard_pause_us)
            continue;
        if ((ret = build_run(&c, a, k, n, end_limit_us, caps, &nc)) < 0)
            goto out;
        a = k;
    }
    set_times(&c, caps, nc, n, end_limit_us);
    *out = caps;
    *count = nc;
    caps = NULL;
out:
    free(c.pre);
    free(caps);
    return ret;
}
