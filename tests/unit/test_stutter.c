/* The stutter detector: immediate repetitions, cut-off words, restarted
 * phrases (exact and revised), and the guards for legitimate repetitions,
 * for copies too far apart and for the copy that is kept. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "speech/stutter.h"

#include "word_spec.h"

/* Words 40 ms apart, 200 ms long, from a blank-separated sentence; "/" adds
 * a 300 ms pause before the next word, "//" 1.5 s. */
static size_t sentence(ave_word *w, const char *text)
{
    char spec[512] = "", buf[256], *save = NULL;
    int t = 0;
    size_t len = 0;

    snprintf(buf, sizeof(buf), "%s", text);
    for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (!strcmp(tok, "/")) {
            t += 300;
            continue;
        }
        if (!strcmp(tok, "//")) {
            t += 1500;
            continue;
        }
        len += (size_t)snprintf(spec + len, sizeof(spec) - len, "%s%s %d %d", len ? "|" : "", tok,
                                t, t + 200);
        t += 240;
    }
    return words(w, spec);
}

static void stutter_flags(ave_word *w, size_t n, char *out)
{
    size_t flagged = 99;
    CHECK_EQ_INT(ave_stutter_detect(w, n, NULL, &flagged), 0);
    for (size_t i = 0; i < n; i++)
        out[i] = (w[i].flags & AVE_WORD_STUTTER) ? '1' : '0';
    out[n] = '\0';
    {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            k += out[i] == '1';
        CHECK_EQ_INT(flagged, k);
    }
}

static int fails(const char *what, const char *got, const char *expect, int line)
{
    if (!strcmp(got, expect))
        return 0;
    fprintf(stderr, "%s:%d: \"%s\" -> %s, expected %s\n", __FILE__, line, what, got, expect);
    return 1;
}

#define EXPECT_SENT(text, expect)                                                              \
    do {                                                                                       \
        ave_word w_[MAXW];                                                                     \
        char got_[MAXW + 1];                                                                   \
        size_t n_ = sentence(w_, text);                                                        \
        stutter_flags(w_, n_, got_);                                                           \
        check_failures += fails(text, got_, expect, __LINE__);                                 \
    } while (0)

#define EXPECT_SPEC(spec, expect)                                                              \
    do {                                                                                       \
        ave_word w_[MAXW];                                                                     \
        char got_[MAXW + 1];                                                                   \
        size_t n_ = words(w_, spec);                                                           \
        stutter_flags(w_, n_, got_);                                                           \
        check_failures += fails(spec, got_, expect, __LINE__);                                 \
    } while (0)

static void test_repetitions(void)
{
    EXPECT_SENT("i saw the the big dog", "001000");
    /* Two copies decoded as connected speech (0 ms apart) are not enough:
     * real speech, "hopefully the recording" heard as "the the recording". */
    EXPECT_SPEC("the 4075 4225|the 4225 4525|recording 4675 5265", "000");
    EXPECT_SPEC("the 4075 4225|the 4225 4525|the 4525 4700|cat 4700 5000", "1100");
    EXPECT_SENT("i i i think so", "11000");
    EXPECT_SENT("the / the cat", "100"); /* a pause between copies is still a stutter */
    /* A filler between the copies is skipped; only the earlier copies are flagged. */
    EXPECT_SENT("i i *um i went", "11000");
    /* Copies in different sentences are not a stutter. */
    EXPECT_SENT("the // the", "00");
    /* Cut-off words: with the recogniser's dash, or a short non-word prefix. */
    EXPECT_SENT("th- the cat", "100");
    EXPECT_SENT("th the cat", "100");
    EXPECT_SENT("ca- cat", "10");
    EXPECT_SENT("the- the store", "100");
    /* A short real word is no prefix: "a apple", "an animal", "to today". */
    EXPECT_SENT("a apple", "00");
    EXPECT_SENT("an animal", "00");
    EXPECT_SENT("go to today", "000");
    /* Different words, same start: no stutter. */
    EXPECT_SENT("they then left", "000");
    /* PocketSphinx on "and this is the end": the first "the" swallowed "this
     * is" (410 ms against 110): misheard speech, not a stutter. */
    EXPECT_SPEC("on 16635 16805|the 16805 17215|the 17215 17325|end 17325 17685", "0000");
    EXPECT_SPEC("on 16635 16805|the 16805 16955|the 17015 17125|end 17125 17485", "0100");
}

static void test_restarts(void)
{
    /* The classic restart after a pause: the earlier copy goes. */
    EXPECT_SENT("we went to the / we went to the store", "111100000");
    /* Its last word cut off. */
    EXPECT_SENT("we went to th- / we went to the store", "111100000");
    EXPECT_SENT("we went to th- we went to the store", "111100000");
    /* Revised: the abandoned copy's last word differs. */
    EXPECT_SENT("i think we- i think that it works", "11100000");
    EXPECT_SENT("i think we / i think that it works", "11100000");
    /* A filler marks the restart as well as a pause does. */
    EXPECT_SENT("we went *um we went home", "110000");
    /* Two words without any cue: could be speech ("bye now bye now"), kept. */
    EXPECT_SENT("we went we went home", "00000");
    EXPECT_SENT("we went / we went home", "11000");
    /* Three words or more repeated exactly need no cue. */
    EXPECT_SENT("i want to i want to go", "1110000");
    /* Revised without a cue: kept (it may be a list: "i think we i think they"). */
    EXPECT_SENT("i think we i think they", "000000");
    /* A restart whose earlier copy spans a long pause is not one. */
    EXPECT_SENT("we went // we went / we went home", "0011000");
    /* Repeated restarts: each earlier copy goes, the last one stays. */
    EXPECT_SENT("we went / we went / we went home", "1111000");
}

static void test_legit(void)
{
    CHECK(ave_stutter_legit_double("that"));
    CHECK(ave_stutter_legit_double("had"));
    CHECK(ave_stutter_legit_double("very"));
    CHECK(!ave_stutter_legit_double("the"));
    CHECK(!ave_stutter_legit_double(NULL));
    EXPECT_SENT("i said that that was fine", "000000");
    EXPECT_SENT("she had had enough", "0000");
    EXPECT_SENT("very very good", "000");
    EXPECT_SENT("very / very good", "000"); /* emphatic, with a comma pause */
    EXPECT_SENT("bye bye", "00");
    EXPECT_SENT("dial one one two", "0000");
    /* Tripled or split by a hesitation: a stutter after all. */
    EXPECT_SENT("that that that was it", "11000");
    EXPECT_SENT("very *um very good", "1000");
}

static void test_edges(void)
{
    ave_word w[2];
    size_t flagged = 7;
    ave_stutter_params p;

    CHECK_EQ_INT(ave_stutter_detect(w, 0, NULL, &flagged), 0);
    CHECK_EQ_INT(flagged, 0);
    CHECK_EQ_INT((int)words(w, "the 0 100"), 1);
    CHECK_EQ_INT(ave_stutter_detect(w, 1, NULL, &flagged), 0);
    CHECK(!(w[0].flags & AVE_WORD_STUTTER));
    /* Parameters: a shorter max gap turns the paused repeat into two sentences. */
    ave_stutter_params_default(&p);
    CHECK_EQ_INT(p.max_ngram, 4);
    p.max_gap_us = 200000;
    CHECK_EQ_INT((int)words(w, "the 0 100|the 400 500"), 2);
    CHECK_EQ_INT(ave_stutter_detect(w, 2, &p, &flagged), 0);
    CHECK_EQ_INT(flagged, 0);
    /* Existing filler and acoustic words never get the stutter flag. */
    EXPECT_SPEC("*um 0 100|*um 200 300|go 400 500", "000");
}

int main(void)
{
    test_repetitions();
    test_restarts();
    test_legit();
    test_edges();
    return CHECK_DONE();
}
