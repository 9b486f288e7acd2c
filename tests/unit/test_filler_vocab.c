/* The filler vocabulary (--filler-words parsing and matching) and every
 * discourse-marker rule of --aggressive-fillers, each with cases where the
 * context makes the marker a filler and cases where it is a real word. */
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "check.h"
#include "speech/filler_vocab.h"

#include "word_spec.h"

/* "01001...": which words are flagged after ave_filler_flag (aggressive). */
static void flags_of(const char *spec, int aggressive, char *out)
{
    ave_word w[MAXW];
    ave_filler_vocab v;
    size_t n = words(w, spec);

    ave_filler_vocab_parse(&v, NULL, NULL, 0);
    ave_filler_flag(&v, aggressive, w, n, NULL);
    for (size_t i = 0; i < n; i++)
        out[i] = (w[i].flags & AVE_WORD_FILLER) ? '1' : '0';
    out[n] = '\0';
}

#define EXPECT_FLAGS(spec, expect)                                                              \
    do {                                                                                       \
        char got_[MAXW + 1];                                                                   \
        flags_of(spec, 1, got_);                                                               \
        if (strcmp(got_, expect)) {                                                            \
            fprintf(stderr, "%s:%d: \"%s\" -> %s, expected %s\n", __FILE__, __LINE__, spec,     \
                    got_, expect);                                                             \
            check_failures++;                                                                  \
        }                                                                                      \
    } while (0)

static void test_parse(void)
{
    ave_filler_vocab v;
    ave_word w[MAXW];
    char err[128];
    size_t n;

    CHECK_EQ_INT(ave_filler_vocab_parse(&v, NULL, err, sizeof(err)), 0);
    CHECK_EQ_INT(v.count, 8); /* um,uh,uhm,er,erm,ah,hmm,mm */
    /* Spelling variants of the defaults match through squeezing. */
    n = words(w, "umm 0 1|ummmm 1 2|uhh 2 3|hm 3 4|hmmm 4 5|mmm 5 6|err 6 7|ahh 7 8|erm 8 9|"
                 "uhm 9 10|uh- 10 11|hum 11 12|mum 12 13|um 13 14");
    for (size_t i = 0; i < 11; i++)
        CHECK_EQ_INT(ave_filler_vocab_match(&v, w, n, i), 1);
    CHECK_EQ_INT(ave_filler_vocab_match(&v, w, n, 11), 0);
    CHECK_EQ_INT(ave_filler_vocab_match(&v, w, n, 12), 0);
    w[13].flags = AVE_WORD_ACOUSTIC; /* acoustic words are the fusion's business */
    CHECK_EQ_INT(ave_filler_vocab_match(&v, w, n, 13), 0);

    /* A custom list replaces the defaults; blanks, case and empty entries. */
    CHECK_EQ_INT(ave_filler_vocab_parse(&v, " Uh ,, you   KNOW,okay ", err, sizeof(err)), 0);
    CHECK_EQ_INT(v.count, 3);
    CHECK_EQ_INT(v.entries[1].nwords, 2);
    CHECK(!strcmp(v.entries[1].words[0], "you") && !strcmp(v.entries[1].words[1], "know"));
    n = words(w, "um 0 1|uh 1 2|you 2 3|know 3 4|okay 4 5|you 5 6");
    CHECK_EQ_INT(ave_filler_vocab_match(&v, w, n, 0), 0); /* um no longer listed */
    CHECK_EQ_INT(ave_filler_vocab_match(&v, w, n, 1), 1);
    CHECK_EQ_INT(ave_filler_vocab_match(&v, w, n, 2), 2); /* a two-word entry */
    CHECK_EQ_INT(ave_filler_vocab_match(&v, w, n, 4), 1);
    CHECK_EQ_INT(ave_filler_vocab_match(&v, w, n, 5), 0); /* "you" at the end: incomplete */
    /* ave_filler_flag clears a recogniser's flag the list no longer has. */
    w[0].flags = AVE_WORD_FILLER;
    w[0].filler_score = 1;
    ave_filler_flag(&v, 0, w, n, &n);
    CHECK_EQ_INT(n, 4);
    CHECK(!(w[0].flags & AVE_WORD_FILLER) && w[0].filler_score == 0);
    CHECK((w[2].flags & AVE_WORD_FILLER) && (w[3].flags & AVE_WORD_FILLER));

    CHECK_EQ_INT(ave_filler_vocab_parse(&v, "", err, sizeof(err)), 0);
    CHECK_EQ_INT(v.count, 0);
    CHECK_EQ_INT(ave_filler_vocab_parse(&v, "um,uh!", err, sizeof(err)), AVE_ERR_USAGE);
    CHECK(strstr(err, "uh!") != NULL);
    CHECK_EQ_INT(ave_filler_vocab_parse(&v, "a b c d e", err, sizeof(err)), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_filler_vocab_parse(&v, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                                        err, sizeof(err)),
                 AVE_ERR_USAGE);
    {
        char many[400] = "";
        for (int i = 0; i < 70; i++)
            strcat(many, "x,");
        CHECK_EQ_INT(ave_filler_vocab_parse(&v, many, err, sizeof(err)), AVE_ERR_USAGE);
    }
}

/* Discourse markers are never flagged without --aggressive-fillers. */
static void test_not_aggressive(void)
{
    char got[MAXW + 1];
    flags_of("so 0 200|um 500 700|we 900 1000", 0, got);
    CHECK(!strcmp(got, "010"));
    flags_of("you 0 100|know 100 300|it 600 700|works 700 900", 0, got);
    CHECK(!strcmp(got, "0000"));
}

static void test_like(void)
{
    /* Filler: pause before and after, no liking verb before. */
    EXPECT_FLAGS("it 0 100|was 100 300|like 600 800|really 1100 1300|big 1300 1500", "00100");
    /* Filler: right after a hesitation, before a pause. */
    EXPECT_FLAGS("and 0 200|um 200 400|like 400 600|we 900 1000|left 1000 1200", "01100");
    /* Real: "I like", "looks like", "feel like", "would like", even with pauses. */
    EXPECT_FLAGS("i 0 100|like 400 600|apples 900 1200", "000");
    EXPECT_FLAGS("it 0 100|looks 100 300|like 300 500|rain 800 1000", "0000");
    EXPECT_FLAGS("i 0 100|feel 100 300|like 300 500|dancing 800 1000", "0000");
    EXPECT_FLAGS("we 0 100|would 100 300|like 300 500|that 800 1000", "0000");
    /* Real: a simile after a copula without pauses on both sides. */
    EXPECT_FLAGS("it 0 100|was 100 300|like 300 500|a 500 600|dream 600 900", "00000");
    EXPECT_FLAGS("it 0 100|was 100 300|like 600 800|a 800 900|dream 900 1200", "00000");
    /* Real: mid-phrase without pauses ("things like apples"). */
    EXPECT_FLAGS("many 0 200|fruits 200 500|like 500 700|apples 700 900", "0000");
    /* Real: a preposition before its object when only one side pauses. */
    EXPECT_FLAGS("do 0 100|it 100 200|fast 200 400|like 700 900|this 900 1100", "00000");
}

static void test_so(void)
{
    /* Filler: phrase-initial, then a pause. */
    EXPECT_FLAGS("so 0 200|we 500 600|started 600 900", "100");
    /* Filler: phrase-initial, then another filler. */
    EXPECT_FLAGS("done 0 300|so 700 900|um 900 1100|next 1300 1500", "0110");
    /* Real: phrase-initial but flowing into the sentence ("so we went"). */
    EXPECT_FLAGS("so 0 200|we 200 300|went 300 500", "000");
    /* Real: mid-sentence ("it was so good"). */
    EXPECT_FLAGS("it 0 100|was 100 200|so 200 400|good 800 1000", "0000");
}

static void test_you_know(void)
{
    /* Filler: between pauses. */
    EXPECT_FLAGS("it 0 100|works 100 400|you 700 800|know 800 1000|most 1300 1500|days 1500 1700",
                 "001100");
    /* Filler: clause-final ("..., you know."). */
    EXPECT_FLAGS("it 0 100|was 100 200|great 200 500|you 500 600|know 600 800", "00011");
    /* Real: followed by what/that/how. */
    EXPECT_FLAGS("you 0 100|know 100 300|what 600 800|i 800 900|mean 900 1100", "00000");
    EXPECT_FLAGS("you 0 100|know 100 300|that 300 500|it 500 600|works 600 800", "00000");
    /* Real: a question or a condition ("do you know", "if you know"). */
    EXPECT_FLAGS("do 0 100|you 100 200|know 200 400|him 800 1000", "0000");
    EXPECT_FLAGS("well 0 200|if 500 600|you 600 700|know 700 900|then 1200 1400", "00000");
    /* Real: mid-clause without pauses. */
    EXPECT_FLAGS("and 0 100|you 100 200|know 200 400|everyone 400 700|here 700 900", "00000");
}

static void test_i_mean(void)
{
    /* Filler: clause start after a pause. */
    EXPECT_FLAGS("no 0 200|i 600 700|mean 700 900|we 900 1000|could 1000 1200", "01100");
    /* Real: "what I mean", "I mean it", "I mean that". */
    EXPECT_FLAGS("that 0 200|is 200 300|what 300 500|i 500 600|mean 600 900", "00000");
    EXPECT_FLAGS("i 0 100|mean 100 300|it 300 400", "000");
    EXPECT_FLAGS("i 0 100|mean 100 300|that 700 900|one 900 1100", "0000");
}

static void test_basically_actually(void)
{
    /* Filler: phrase-initial and followed by a pause. */
    EXPECT_FLAGS("basically 0 500|we 900 1000|won 1000 1300", "100");
    EXPECT_FLAGS("ok 0 300|actually 700 1200|um 1200 1500|no 1700 1900", "0110");
    /* Real: inside the phrase, or flowing on. */
    EXPECT_FLAGS("it 0 100|basically 100 600|works 1000 1300", "000");
    EXPECT_FLAGS("actually 0 500|it 500 600|works 600 900", "000");
    /* Real: alone at the very end has no following pause to go by. */
    EXPECT_FLAGS("it 0 100|works 100 400|actually 800 1300", "000");
}

int main(void)
{
    test_parse();
    test_not_aggressive();
    test_like();
    test_so();
    test_you_know();
    test_i_mean();
    test_basically_actually();
    return CHECK_DONE();
}
