/* Content: TextTiling on a synthetic talk of three topics with known
 * boundaries (190 s and 380 s): boundaries found within 15 s, the first
 * chapter at 0, max_chapters and min_len respected, and a one-topic talk
 * gives one chapter. Then the default minimum chapter length, which adapts
 * to the duration, on talks of 72 s (three topics: three chapters, as
 * YouTube needs), 5 min (four topics) and 20 min (six topics; never a
 * chapter under 75 s), each change found where it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "check.h"
#include "content/content.h"

static const char *const vocab[6][10] = {
    {"ocean", "waves", "fish", "salt", "water", "tide", "coral", "whale", "current", "reef"},
    {"computer", "memory", "program", "data", "drive", "bytes", "processor", "software", "disk",
     "chip"},
    {"coffee", "beans", "roast", "caffeine", "cup", "milk", "espresso", "farmer", "brew",
     "aroma"},
    {"football", "goal", "team", "player", "match", "referee", "stadium", "league", "kick",
     "fans"},
    {"garden", "flower", "soil", "seed", "rose", "tulip", "compost", "weed", "spade", "bloom"},
    {"planet", "orbit", "moon", "comet", "galaxy", "telescope", "asteroid", "nebula", "rocket",
     "crater"}};
static const char *const shared[] = {"people", "time", "world", "important", "example"};
static const char *const stops[] = {"the", "and", "is", "of", "we", "that", "it", "very"};

static unsigned lcg(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

/* sentences per topic, topic order; words 0.4 s, 0.6 s pause per sentence */
static size_t make(ave_word *w, const int *topics, int ntopics, int sentences, int64_t *bounds)
{
    unsigned seed = 7;
    size_t n = 0;
    int64_t t = 0;
    for (int k = 0; k < ntopics; k++) {
        bounds[k] = t;
        for (int s = 0; s < sentences; s++) {
            for (int i = 0; i < 8; i++) {
                const char *word;
                unsigned r = lcg(&seed);
                if (i % 2)
                    word = stops[r % 8];
                else if (i == 6)
                    word = shared[r % 5];
                else
                    word = vocab[topics[k]][r % 10];
                memset(&w[n], 0, sizeof(w[n]));
                snprintf(w[n].text, sizeof(w[n].text), "%s", word);
                w[n].start_us = t;
                w[n].end_us = t + 350000;
                w[n].confidence = 0.9f;
                t += 400000;
                n++;
            }
            t += 600000;
        }
    }
    bounds[ntopics] = t;
    return n;
}

static void test_three_topics(void)
{
    static ave_word w[3 * 50 * 8];
    int topics[3] = {0, 1, 2};
    int64_t b[4];
    size_t n = make(w, topics, 3, 50, b), *starts = NULL, count = 0;
    content_text t;
    chap_params p;

    CHECK_EQ_INT(content_text_from_words(&t, w, n, 500000, 0.05f), 0);
    chap_params_default(&p);
    CHECK_EQ_INT(chap_segment(&t, &p, &starts, &count), 0);
    CHECK_EQ_INT(count, 3);
    if (count == 3) {
        CHECK_EQ_INT(starts[0], 0);
        fprintf(stderr, "  boundaries %.1f s and %.1f s (true %.1f, %.1f)\n",
                t.tok[starts[1]].start_us / 1e6, t.tok[starts[2]].start_us / 1e6, b[1] / 1e6,
                b[2] / 1e6);
        CHECK_NEAR(t.tok[starts[1]].start_us / 1e6, b[1] / 1e6, 15);
        CHECK_NEAR(t.tok[starts[2]].start_us / 1e6, b[2] / 1e6, 15);
        /* a chapter starts at a sentence start */
        CHECK(t.tok[starts[1] - 1].flags & TOK_SENT_END);
    }
    free(starts);

    p.max_chapters = 2; /* only the deepest valley */
    CHECK_EQ_INT(chap_segment(&t, &p, &starts, &count), 0);
    CHECK_EQ_INT(count, 2);
    free(starts);

    p.max_chapters = 8;
    p.min_len_us = 250000000; /* longer than a topic: at most one boundary fits */
    CHECK_EQ_INT(chap_segment(&t, &p, &starts, &count), 0);
    CHECK(count <= 2);
    for (size_t i = 1; i < count; i++)
        CHECK(t.tok[starts[i]].start_us >= p.min_len_us);
    free(starts);
    content_text_free(&t);
}

static void test_one_topic(void)
{
    static ave_word w[60 * 8];
    int topics[1] = {1};
    int64_t b[2];
    size_t n = make(w, topics, 1, 60, b), *starts = NULL, count = 0;
    content_text t;
    chap_params p;

    CHECK_EQ_INT(content_text_from_words(&t, w, n, 500000, 0.05f), 0);
    chap_params_default(&p);
    p.min_len_us = 60000000;
    CHECK_EQ_INT(chap_segment(&t, &p, &starts, &count), 0);
    CHECK(count <= 2); /* random word choice may dip once, never more with 60 s chapters */
    CHECK(count >= 1 && starts[0] == 0);
    free(starts);
    content_text_free(&t);

    CHECK_EQ_INT(content_text_from_string(&t, "too short to split"), 0);
    CHECK_EQ_INT(chap_segment(&t, &p, &starts, &count), 0);
    CHECK_EQ_INT(count, 1);
    free(starts);
    content_text_free(&t);
}

/* ntopics topics of `sentences` sentences (3.8 s each), chapters with the
 * default (adaptive) minimum length: one per topic, each change within tol
 * seconds, none shorter than the minimum. */
static void check_length(int ntopics, int sentences, double tol)
{
    static ave_word w[6 * 60 * 8];
    int topics[6] = {0, 1, 2, 3, 4, 5};
    int64_t b[7];
    size_t n = make(w, topics, ntopics, sentences, b), *starts = NULL, count = 0;
    content_text t;
    chap_params p;

    CHECK_EQ_INT(content_text_from_words(&t, w, n, 500000, 0.05f), 0);
    chap_params_default(&p);
    p.min_len_us = chap_min_length(b[ntopics], p.max_chapters);
    CHECK_EQ_INT(chap_segment(&t, &p, &starts, &count), 0);
    fprintf(stderr, "  %.0f s, %d topics, shortest chapter %.1f s: %zu chapters:", b[ntopics] / 1e6,
            ntopics, p.min_len_us / 1e6, count);
    for (size_t i = 0; i < count; i++)
        fprintf(stderr, " %.1f (true %.1f)", t.tok[starts[i]].start_us / 1e6,
                i < (size_t)ntopics ? b[i] / 1e6 : -1.0);
    fprintf(stderr, "\n");
    CHECK_EQ_INT(count, ntopics);
    for (size_t i = 0; i < count && i < (size_t)ntopics; i++)
        CHECK_NEAR(t.tok[starts[i]].start_us / 1e6, b[i] / 1e6, tol);
    for (size_t i = 1; i < count; i++)
        CHECK(t.tok[starts[i]].start_us - t.tok[starts[i - 1]].start_us >= p.min_len_us);
    free(starts);
    content_text_free(&t);
}

static void test_lengths(void)
{
    /* the minimum itself: YouTube's 10 s floor, then half an even split */
    CHECK_EQ_INT(chap_min_length(70000000, 8), 10000000);
    CHECK_EQ_INT(chap_min_length(300000000, 8), 18750000);
    CHECK_EQ_INT(chap_min_length(2400000000, 8), 150000000); /* 40 min: 2.5 min */
    check_length(3, 6, 5);   /* 68 s */
    check_length(4, 20, 10); /* 5 min */
    check_length(6, 53, 15); /* 20 min */
}

int main(void)
{
    ave_log_set_level(AVE_LOG_QUIET);
    ave_log_set_level(getenv("DBG") ? AVE_LOG_DEBUG : AVE_LOG_QUIET);
    test_three_topics();
    test_one_topic();
    test_lengths();
    return CHECK_DONE();
}
