/* The second pass's pure parts: the window around a candidate, the words it
 * leaves to the candidate, the two competing grammars, and the cut taken
 * from the hesitation decode's own frames. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "word_fixture.h"
#include "speech/filler_realign.h"

static ave_word word(const char *t, double s, double e, unsigned flags)
{
    return fixture_word(t, s, e, 0, flags);
}

static int not_zzyzx(void *ctx, const char *w)
{
    (void)ctx;
    return strcmp(w, "zzyzx") != 0;
}

/* An ordinary slot: optional pauses and free phones. */
#define O "[(<q> | <p>)+]"

static void test_grammar(void)
{
    ave_word w[6] = {
        word("there's", 0.0, 0.5, 0),
        word("ah", 0.6, 0.9, AVE_WORD_FILLER),
        word("[hesitation]", 1.0, 1.3, AVE_WORD_SUGGESTED | AVE_WORD_ACOUSTIC),
        word("zzyzx", 1.4, 1.8, 0),
        word("c++", 1.9, 2.0, 0),
        word("this", 2.1, 2.4, 0),
    };
    unsigned char skip[6] = {0, 0, 0, 0, 0, 0};
    char *g = NULL;
    const char *rule;

    /* The candidate sits where the recogniser wrote "ah". */
    CHECK_EQ_INT(ave_realign_grammar(w, 6, skip, 1, "<f>+", not_zzyzx, NULL, &g), 0);
    CHECK(g != NULL);
    CHECK(g && strstr(g, "#JSGF V1.0;") == g);
    CHECK(g && strstr(g, "<f> = hes_um | hes_ung |") != NULL);
    CHECK(g && strstr(g, "ph_aa | ph_ae") != NULL);
    CHECK(g && strstr(g, "| ph_zh;") != NULL);
    CHECK(g && strstr(g, "<q> = sil_pause;") != NULL);
    rule = g ? strstr(g, "public <s> =") : NULL;
    /* The recogniser's hesitation and the suggestion are left to the slot
     * (one slot, not three in a row); an unknown word and a word JSGF
     * cannot spell become free phones. */
    CHECK(rule && !strcmp(rule, "public <s> = " O " there's <f>+ <p>+ " O " <p>+ " O " this " O
                                ";\n"));
    free(g);

    /* A skipped word ("amen" over a held "um") leaves its sound to the slot. */
    skip[5] = 1;
    CHECK_EQ_INT(ave_realign_grammar(w, 6, skip, 5, "<p>+", NULL, NULL, &g), 0);
    rule = g ? strstr(g, "public <s> =") : NULL;
    CHECK(rule &&
          !strcmp(rule, "public <s> = " O " there's " O " zzyzx " O " <p>+ <p>+;\n"));
    free(g);

    /* No words: the slot alone. */
    CHECK_EQ_INT(ave_realign_grammar(NULL, 0, NULL, 0, "<f>+", NULL, NULL, &g), 0);
    CHECK(g && strstr(g, "public <s> = <f>+;\n") != NULL);
    free(g);
}

static void test_window(void)
{
    /* mfa_clip_um: the recogniser wrote "amen" over a held "um". */
    ave_word w[4] = {
        word("montreal", 1.185, 2.035, 0),
        word("forest", 2.035, 2.815, 0),
        word("amen", 3.735, 4.805, 0),
        word("was", 5.40, 5.60, 0),
    };
    ave_filler_cand c;
    ave_realign_span sp;
    unsigned char skip[4];

    memset(&c, 0, sizeof(c));
    c.start_us = 3710000;
    c.end_us = 5150000;
    ave_realign_window(&c, w, 4, 500000, &sp, skip);
    /* 3.21-5.65 s holds "amen" and "was" whole; "amen" is the candidate's. */
    CHECK_EQ_INT((int)sp.first, 2);
    CHECK_EQ_INT((int)sp.count, 2);
    CHECK_EQ_INT((int)sp.start_us, 3210000);
    CHECK_EQ_INT((int)sp.end_us, 5650000);
    CHECK_EQ_INT(skip[0], 1);
    CHECK_EQ_INT(skip[1], 0);
    CHECK_EQ_INT((int)sp.slot, 0);

    /* A gap after "forest": the window widens to its start, nothing is
     * skipped, the slot comes after it. */
    c.start_us = 2900000;
    c.end_us = 3600000;
    ave_realign_window(&c, w, 4, 100000, &sp, skip);
    CHECK_EQ_INT((int)sp.first, 1);
    CHECK_EQ_INT((int)sp.count, 1);
    CHECK_EQ_INT((int)sp.start_us, 2035000);
    CHECK_EQ_INT((int)sp.end_us, 3700000);
    CHECK_EQ_INT(skip[0], 0);
    CHECK_EQ_INT((int)sp.slot, 1);

    /* At the very start, before any word. */
    c.start_us = 0;
    c.end_us = 600000;
    ave_realign_window(&c, w, 4, 500000, &sp, skip);
    CHECK_EQ_INT((int)sp.start_us, 0);
    CHECK_EQ_INT((int)sp.count, 0);
    CHECK_EQ_INT((int)sp.slot, 0);
}

/* Only voiced gaps at speech level are decoded. */
static void test_wanted(void)
{
    ave_filler_cand c;
    memset(&c, 0, sizeof(c));
    c.gap = 1;
    c.level_db = -2;
    CHECK_EQ_INT(ave_filler_realign_wanted(&c), 1);
    c.level_db = -20; /* a breath */
    CHECK_EQ_INT(ave_filler_realign_wanted(&c), 0);
    c.level_db = -2;
    c.gap = 0.5f; /* half of it is recognised words */
    CHECK_EQ_INT(ave_filler_realign_wanted(&c), 0);
}

/* The cut: the candidate and the hesitation the decode put over it,
 * clear of the words around. */
static void test_cut_span(void)
{
    int64_t s = -7, e = -7;

    /* mfa_cold_corpus_spont's "um": frames 50..87 of a window from 9.34 s
     * are 9.84-10.22 s, 10 ms past the candidate; "boring" at 10.685 s is
     * far enough. */
    CHECK_EQ_INT(ave_realign_cut_span(50, 87, 9340000, 10000, 9840000, 10210000, -1, 10685000,
                                      20000, 80000, &s, &e),
                 1);
    CHECK_EQ_INT((int)s, 9840000);
    CHECK_EQ_INT((int)e, 10220000);

    /* The candidate starts earlier than the hesitation: the cut never
     * shrinks it (mfa_cold_corpus_spont's "uh" at 1.19 s). */
    CHECK_EQ_INT(ave_realign_cut_span(10, 30, 1000000, 10000, 1050000, 1250000, -1, -1, 20000,
                                      80000, &s, &e),
                 1);
    CHECK_EQ_INT((int)s, 1050000);
    CHECK_EQ_INT((int)e, 1310000);

    /* Neighbours inside the span: 20 ms clear of each. */
    CHECK_EQ_INT(ave_realign_cut_span(50, 87, 9340000, 10000, 9840000, 10210000, 9850000, 10200000,
                                      20000, 80000, &s, &e),
                 1);
    CHECK_EQ_INT((int)s, 9870000);
    CHECK_EQ_INT((int)e, 10180000);

    /* Less than the shortest cut left between them: no span, nothing set. */
    s = e = -7;
    CHECK_EQ_INT(ave_realign_cut_span(50, 87, 9340000, 10000, 9840000, 10210000, 10000000, 10100000,
                                      20000, 80000, &s, &e),
                 0);
    CHECK_EQ_INT((int)s, -7);
    CHECK_EQ_INT((int)e, -7);

    /* mfa_clip_uhuh: the slot's "uh" went to the sound 0.3 s before the
     * candidate (1.89-2.08 s for 2.22-2.91 s): not the candidate's. */
    CHECK_EQ_INT(ave_realign_cut_span(17, 35, 1720000, 10000, 2220000, 2910000, -1, -1, 20000,
                                      80000, &s, &e),
                 0);
    /* ... nor one over less than half of it. */
    CHECK_EQ_INT(
        ave_realign_cut_span(0, 29, 2000000, 10000, 2220000, 2910000, -1, -1, 20000, 80000, &s, &e),
        0);
    CHECK_EQ_INT((int)s, -7);

    /* No hesitation in the decode (-1), or frames the wrong way round. */
    CHECK_EQ_INT(ave_realign_cut_span(-1, -1, 0, 10000, 0, 100000, -1, -1, 20000, 80000, &s, &e),
                 0);
    CHECK_EQ_INT(ave_realign_cut_span(30, 20, 0, 10000, 0, 100000, -1, -1, 20000, 80000, &s, &e),
                 0);
    CHECK_EQ_INT((int)s, -7);

    /* One frame at the window's start is 10 ms. */
    CHECK_EQ_INT(
        ave_realign_cut_span(0, 0, 500000, 10000, 500000, 505000, -1, -1, 0, 10000, &s, &e), 1);
    CHECK_EQ_INT((int)s, 500000);
    CHECK_EQ_INT((int)e, 510000);
}

int main(void)
{
    test_cut_span();
    test_grammar();
    test_window();
    test_wanted();
    return CHECK_DONE();
}
