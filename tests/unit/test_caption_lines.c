/* The caption line builder (src/render/caption_lines.c) on made-up words:
 * the per-line budget from the frame size, no line over budget, every
 * word shown once and in order, breaks at punctuation and cuts, no lone
 * word when avoidable, the minimum time on screen, and nothing on screen
 * across a cut's join. */
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "check.h"
#include "render/caption_lines.h"

#define MAXW 256

typedef struct words {
    ave_caption_word w[MAXW];
    char text[MAXW][32];
    size_t n;
} words;

/* Words of s (space-separated), one every step_us, each lasting len_us. */
static void make_words(words *ws, const char *s, int64_t t0, int64_t step_us, int64_t len_us)
{
    char buf[4096], *save = NULL;
    snprintf(buf, sizeof buf, "%s", s);
    ws->n = 0;
    for (char *t = strtok_r(buf, " ", &save); t && ws->n < MAXW; t = strtok_r(NULL, " ", &save)) {
        size_t k = ws->n++;
        snprintf(ws->text[k], sizeof ws->text[k], "%s", t);
        ws->w[k].text = ws->text[k];
        ws->w[k].start_us = t0 + (int64_t)k * step_us;
        ws->w[k].end_us = ws->w[k].start_us + len_us;
        ws->w[k].cut_us = -1;
    }
}

static int line_chars(const words *ws, size_t a, size_t b)
{
    int n = -1;
    for (size_t k = a; k < b; k++)
        n += (int)ave_caption_text_chars(ws->w[k].text) + 1;
    return n;
}

/* Checks that hold for any input: coverage, order, budget, lines, times. */
static void check_invariants(const words *ws, const ave_caption_params *p, const ave_caption *c,
                             size_t nc)
{
    size_t next = 0;
    for (size_t k = 0; k < nc; k++) {
        size_t l2 = c[k].count - c[k].line1;
        CHECK_EQ_INT(c[k].first, next);
        CHECK(c[k].count >= 1 && c[k].line1 >= 1 && c[k].line1 <= c[k].count);
        CHECK(line_chars(ws, c[k].first, c[k].first + c[k].line1) <= p->max_line_chars ||
              c[k].line1 == 1);
        if (l2)
            CHECK(line_chars(ws, c[k].first + c[k].line1, c[k].first + c[k].count) <=
                      p->max_line_chars ||
                  l2 == 1);
        CHECK_EQ_INT(c[k].start_us, ws->w[c[k].first].start_us);
        CHECK(c[k].end_us > c[k].start_us);
        if (k + 1 < nc)
            CHECK(c[k].end_us <= c[k + 1].start_us);
        next = c[k].first + c[k].count;
    }
    CHECK_EQ_INT(next, ws->n);
}

static void test_fit(void)
{
    double f;
    int n;
    ave_caption_fit(1920, 1080, 1, &f, &n);
    CHECK_NEAR(f, 59.4, 0.01);
    CHECK(n >= 32 && n <= 42);
    ave_caption_fit(1280, 720, 1, &f, &n);
    CHECK(n >= 32 && n <= 42);
    ave_caption_fit(1280, 720, 1.3, &f, &n); /* the larger social style */
    CHECK(n >= 30 && n < 40);
    ave_caption_fit(640, 480, 1, &f, &n);
    CHECK(n >= 24 && n < 42);
    ave_caption_fit(1080, 1920, 1, &f, &n); /* portrait: fewer, same share of the width */
    CHECK(n >= 12 && n < 32);
    CHECK(f <= 0.06 * 1080 + 1e-9);
    CHECK_EQ_INT(ave_caption_text_chars("caf\xc3\xa9"), 4);
    CHECK_EQ_INT(ave_caption_text_chars("\xf0\x9f\x98\x80!"), 2);
}

static void test_budget_and_order(void)
{
    static const char *text =
        "so today we are going to look at how a video editor can cut the pauses out of a "
        "recording and then put captions on the picture so that people who watch without "
        "sound can still follow along with everything that is said in the talk from the "
        "first word to the very last one without missing anything important at all";
    ave_caption_params p;
    ave_caption *c = NULL;
    size_t nc = 0;
    int budgets[] = {17, 24, 32, 42};
    words *ws = calloc(1, sizeof(*ws));

    if (!ws)
        return;
    make_words(ws, text, 0, 330000, 280000);
    ave_caption_params_default(&p);
    for (size_t b = 0; b < sizeof budgets / sizeof budgets[0]; b++) {
        p.max_line_chars = budgets[b];
        CHECK_EQ_INT(ave_caption_build(ws->w, ws->n, &p, 60000000, &c, &nc), 0);
        CHECK(nc > 2);
        check_invariants(ws, &p, c, nc);
        for (size_t k = 0; k < nc; k++) {
            /* uniform speech: one lone word per caption or line never needed */
            CHECK(c[k].count >= 2);
            CHECK(c[k].line1 >= 2);
            CHECK(c[k].count - c[k].line1 != 1);
            CHECK(c[k].end_us - c[k].start_us >= p.min_show_us);
        }
        free(c);
    }
    free(ws);
}

/* Greedy filling would leave "five" alone; the builder balances instead. */
static void test_no_orphan(void)
{
    ave_caption_params p;
    ave_caption *c = NULL;
    size_t nc = 0;
    words ws;

    make_words(&ws, "alpha bravo charlie delta echo", 0, 400000, 350000);
    ave_caption_params_default(&p);
    p.max_line_chars = 12; /* two words a line: four words fit one caption */
    CHECK_EQ_INT(ave_caption_build(ws.w, ws.n, &p, 10000000, &c, &nc), 0);
    check_invariants(&ws, &p, c, nc);
    for (size_t k = 0; k < nc; k++)
        CHECK(c[k].count >= 2);
    free(c);
}

/* A sentence end is preferred over filling the line. */
static void test_punctuation(void)
{
    ave_caption_params p;
    ave_caption *c = NULL;
    size_t nc = 0;
    words ws;
    int found = 0;

    make_words(&ws, "we cut the pauses. then we add captions to every frame of it", 0, 350000,
               300000);
    ave_caption_params_default(&p);
    p.max_line_chars = 20;
    CHECK_EQ_INT(ave_caption_build(ws.w, ws.n, &p, 10000000, &c, &nc), 0);
    check_invariants(&ws, &p, c, nc);
    for (size_t k = 0; k < nc; k++)
        found |= c[k].first + c[k].count == 4; /* ends after "pauses." */
    CHECK(found);
    free(c);
}

/* Unpunctuated text (PocketSphinx): a 0.7 s breath between sentences ends a
 * caption as a full stop would, even when both sentences would fit in one
 * (the case a flite lecture showed: "...parts of an electric motor first
 * the magnet of" on one caption). */
static void test_sentence_pause(void)
{
    ave_caption_params p;
    ave_caption *c = NULL;
    size_t nc = 0;
    words ws;
    int found = 0;

    make_words(&ws, "what are the parts of a motor first the magnet stays still", 0, 300000,
               250000);
    for (size_t k = 7; k < ws.n; k++) /* the breath after "motor" */
        ws.w[k].start_us += 700000, ws.w[k].end_us += 700000;
    ave_caption_params_default(&p);
    CHECK_EQ_INT(ave_caption_build(ws.w, ws.n, &p, 20000000, &c, &nc), 0);
    check_invariants(&ws, &p, c, nc);
    for (size_t k = 0; k < nc; k++)
        found |= c[k].first + c[k].count == 7; /* ends after "motor" */
    CHECK(found);
    free(c);
}

/* A cut always starts a caption, and the one before leaves at the join. */
static void test_cut(void)
{
    ave_caption_params p;
    ave_caption *c = NULL;
    size_t nc = 0;
    words ws;

    make_words(&ws, "first part of the talk here second part after the jump", 0, 300000, 250000);
    ws.w[6].cut_us = ws.w[5].end_us + 20000; /* the join, just after "here" */
    ave_caption_params_default(&p);
    CHECK_EQ_INT(ave_caption_build(ws.w, ws.n, &p, 10000000, &c, &nc), 0);
    check_invariants(&ws, &p, c, nc);
    for (size_t k = 0; k < nc; k++) {
        if (c[k].first < 6)
            CHECK(c[k].first + c[k].count <= 6);
        if (c[k].first + c[k].count == 6)
            CHECK(c[k].end_us <= ws.w[6].cut_us);
    }
    free(c);
}

/* A long pause ends a caption; it stays up tail_us, then the screen clears. */
static void test_pause(void)
{
    ave_caption_params p;
    ave_caption *c = NULL;
    size_t nc = 0;
    words ws;

    make_words(&ws, "hello there everyone welcome back", 0, 300000, 250000);
    for (size_t k = 3; k < ws.n; k++)
        ws.w[k].start_us += 3000000, ws.w[k].end_us += 3000000;
    ave_caption_params_default(&p);
    CHECK_EQ_INT(ave_caption_build(ws.w, ws.n, &p, 20000000, &c, &nc), 0);
    check_invariants(&ws, &p, c, nc);
    CHECK_EQ_INT(nc, 2);
    if (nc == 2) {
        CHECK_EQ_INT(c[0].count, 3);
        CHECK_EQ_INT(c[0].end_us, ws.w[2].end_us + p.tail_us);
        CHECK_EQ_INT(c[1].end_us, ws.w[4].end_us + p.tail_us);
    }
    free(c);
    /* a single word still gets its minimum time, but never past the video's end */
    make_words(&ws, "yes", 0, 100000, 100000);
    CHECK_EQ_INT(ave_caption_build(ws.w, ws.n, &p, 20000000, &c, &nc), 0);
    CHECK_EQ_INT(nc, 1);
    if (nc == 1)
        CHECK(c[0].end_us - c[0].start_us >= p.min_show_us);
    free(c);
    CHECK_EQ_INT(ave_caption_build(ws.w, ws.n, &p, 300000, &c, &nc), 0);
    if (nc == 1)
        CHECK_EQ_INT(c[0].end_us, 300000);
    free(c);
    /* a word longer than a line stands alone rather than failing */
    make_words(&ws, "a supercalifragilisticexpialidocious word", 0, 400000, 350000);
    p.max_line_chars = 12;
    CHECK_EQ_INT(ave_caption_build(ws.w, ws.n, &p, 20000000, &c, &nc), 0);
    check_invariants(&ws, &p, c, nc);
    free(c);
    p.max_lines = 3;
    CHECK_EQ_INT(ave_caption_build(ws.w, ws.n, &p, 20000000, &c, &nc), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_caption_build(ws.w, 0, &p, 0, &c, &nc), AVE_ERR_USAGE);
}

int main(void)
{
    test_fit();
    test_budget_and_order();
    test_no_orphan();
    test_punctuation();
    test_sentence_pause();
    test_cut();
    test_pause();
    return CHECK_DONE();
}
