/* Content: tokenising (stop words, fillers, short and unsure words,
 * sentence ends at pauses) and keyphrases on a fixed text whose topic words
 * are known: the repeated noun phrases win, one-off words and fillers never
 * appear, and plural forms count together. */
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "check.h"
#include "content/content.h"

static const char *text =
    "Solar panels turn sunlight into electricity. Um, a solar panel is made of silicon cells. "
    "The silicon cells absorb sunlight and free electrons. Solar panels work best in direct "
    "sunlight. Batteries store the electricity for the night. Okay, so batteries and solar "
    "panels together power a house. A single cloud can lower the output of solar panels. "
    "Engineers measure the efficiency of solar panels in the laboratory.";

static int has(const ave_keyphrase *kp, size_t n, const char *s, size_t within)
{
    for (size_t i = 0; i < n && i < within; i++)
        if (!strcmp(kp[i].text, s))
            return (int)i + 1;
    return 0;
}

static void test_tokens(void)
{
    content_text t;
    CHECK(content_stopwords_sorted());
    CHECK(content_is_stopword("the") && content_is_stopword("because") &&
          !content_is_stopword("ocean"));
    CHECK(content_is_filler("um") && content_is_filler("okay") && !content_is_filler("ocean"));
    CHECK_EQ_INT(content_text_from_string(&t, "Hello, World! Um the cells is OK."), 0);
    CHECK_EQ_INT(t.count, 7);
    CHECK(!strcmp(t.tok[0].text, "hello") && !strcmp(t.tok[1].text, "world"));
    CHECK(t.tok[1].flags & TOK_SENT_END);
    CHECK(t.tok[2].flags & TOK_FILLER);
    CHECK(t.tok[3].flags & TOK_STOP);
    CHECK(!strcmp(t.tok[4].stem, "cell"));
    CHECK(t.tok[5].flags & TOK_STOP); /* "is": 2 letters */
    CHECK(t.tok[6].flags & TOK_SENT_END);
    content_text_free(&t);

    /* words: cut and acoustic words dropped, pauses end sentences, unsure flagged */
    ave_word w[5] = {
        {0, 300000, "oceans", 0.9f, 0, 0},
        {300000, 600000, "um", 0.9f, 0.9f, AVE_WORD_FILLER | AVE_WORD_CUT},
        {600000, 900000, "water", 0.9f, 0, 0},
        {1500000, 1800000, "salt", 0.01f, 0, 0},
        {1800000, 2000000, "[hesitation]", 0.5f, 1, AVE_WORD_ACOUSTIC},
    };
    CHECK_EQ_INT(content_text_from_words(&t, w, 5, 400000, 0.05f), 0);
    CHECK_EQ_INT(t.count, 3);
    CHECK(!strcmp(t.tok[0].stem, "ocean"));
    CHECK(t.tok[1].flags & TOK_SENT_END);   /* 0.6 s pause before "salt" */
    CHECK(t.tok[2].flags & TOK_LOWCONF);
    content_text_free(&t);
}

static void test_keyphrases(void)
{
    content_text t;
    ave_keyphrase *kp = NULL;
    size_t n = 0;

    CHECK_EQ_INT(content_text_from_string(&t, text), 0);
    CHECK_EQ_INT(kp_extract(&t, 0, t.count, 10, &kp, &n), 0);
    CHECK(n >= 4);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "  %zu %-20s %.3f %d\n", i, kp[i].text, kp[i].score, kp[i].count);
    /* "solar panels" 6x (panel/panels merged) is the best phrase */
    CHECK_EQ_INT(has(kp, n, "solar panels", 1), 1);
    CHECK_NEAR(kp[0].score, 1.0, 1e-6);
    CHECK_EQ_INT(kp[0].count, 6);
    CHECK(has(kp, n, "sunlight", 4));
    CHECK(has(kp, n, "silicon cells", 5));
    CHECK(has(kp, n, "electricity", 6));
    /* "solar" alone is always inside "solar panels": it gives way */
    CHECK(!has(kp, n, "solar", 10));
    CHECK(!has(kp, n, "um", 10) && !has(kp, n, "okay", 10));
    CHECK(!has(kp, n, "cloud", 10)); /* heard once */
    for (size_t i = 1; i < n; i++)
        CHECK(kp[i].score <= kp[i - 1].score);
    CHECK(kp_contains("Why Solar Panel Efficiency Matters", "solar panels"));
    CHECK(!kp_contains("Solarpanels", "solar panels"));
    CHECK(!kp_contains("the panel of solar", "solar panels"));
    free(kp);
    content_text_free(&t);
}

int main(void)
{
    ave_log_set_level(AVE_LOG_QUIET);
    test_tokens();
    test_keyphrases();
    return CHECK_DONE();
}
