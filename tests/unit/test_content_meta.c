/* Content: titles (five strategies, each names a top-3 keyphrase, at most
 * 100 characters, the documented score on a hand-computed example), tags
 * (10-15, at most 20 characters, no duplicates), hashtags, headline, the
 * summary's length, YouTube's chapter rules and the description layout. */
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "check.h"
#include "content/ai.h"
#include "content/content.h"
#include "content/meta_write.h"

static ave_keyphrase kp[] = {{"ocean currents", 1, 9, 0.99f}, {"coral reefs", 0.8f, 7, 0.95f},
                             {"salt water", 0.6f, 5, 0.97f},  {"deep sea", 0.5f, 4, 0.99f},
                             {"plankton", 0.4f, 4, 0.99f},    {"tides", 0.3f, 3, 0.99f},
                             {"whales", 0.3f, 3, 0.99f},
                             {"marine biology research", 0.2f, 2, 0.99f}};

static void test_titles_tags(void)
{
    meta_package m;
    size_t nk = sizeof(kp) / sizeof(kp[0]);

    CHECK_EQ_INT(meta_build(&m, kp, nk, NULL, 0, 4, "Lecture"), 0);
    for (int s = 0; s < META_STRATEGY_COUNT; s++) {
        const meta_title *t = &m.titles[s];
        size_t len = strlen(t->text);
        fprintf(stderr, "  %-12s %3zu %5.1f %s\n", meta_strategy_name(s), len, t->score, t->text);
        CHECK(len > 0 && len <= 100);
        CHECK(kp_contains(t->text, kp[0].text) || kp_contains(t->text, kp[1].text) ||
              kp_contains(t->text, kp[2].text));
        CHECK(len >= 40 && len <= 70); /* these keyphrases allow 50-60 give or take */
        CHECK(t->score >= 0 && t->score <= 100);
    }
    CHECK(strstr(m.titles[META_LISTICLE].text, "4 ") == m.titles[META_LISTICLE].text);
    CHECK(m.tag_count >= 10 && m.tag_count <= 15);
    for (int i = 0; i < m.tag_count; i++) {
        CHECK(strlen(m.tags[i].text) <= 20 && strlen(m.tags[i].text) >= 3);
        for (int j = 0; j < i; j++)
            CHECK(strcmp(m.tags[i].text, m.tags[j].text));
    }
    CHECK(!strcmp(m.tags[0].text, "ocean currents") && m.tags[0].kind == META_TAG_PRIMARY);
    CHECK(m.tags[m.tag_count - 1].kind == META_TAG_LONGTAIL);
    /* "marine biology research" is 23 characters: never a tag */
    for (int i = 0; i < m.tag_count; i++)
        CHECK(strcmp(m.tags[i].text, "marine biology research"));
    CHECK_EQ_INT(m.hashtag_count, 3);
    CHECK(!strcmp(m.hashtags[0], "#OceanCurrents"));
    CHECK(strlen(m.headline) <= 40 && strstr(m.headline, "Ocean Currents"));
    /* reliability: the headline's is K1's; a title's the least of those it names */
    CHECK_NEAR(m.headline_reliability, 0.99, 1e-6);
    for (int s = 0; s < META_STRATEGY_COUNT; s++)
        CHECK_NEAR(m.titles[s].reliability,
                   kp_contains(m.titles[s].text, "coral reefs") ? 0.95
                   : kp_contains(m.titles[s].text, "salt water") ? 0.97
                                                                 : 0.99,
                   1e-6);
    CHECK_NEAR(m.tags[1].reliability, 0.95, 1e-6);
    CHECK(!m.neutral);

    /* nothing publishable: one neutral title, no headline, tags or hashtags */
    CHECK_EQ_INT(meta_build(&m, kp, 0, NULL, 0, 4, "Ocean Lecture"), 0);
    CHECK(m.neutral && !m.headline[0] && m.tag_count == 0 && m.hashtag_count == 0);
    for (int s = 0; s < META_STRATEGY_COUNT; s++)
        CHECK(!strcmp(m.titles[s].text, "Ocean Lecture") && m.titles[s].reliability == 1);

    /* the score: 0.5 coverage + 0.3 length + 0.2 number/question, x 100 */
    meta_title t = {.text = "Ocean Currents and Coral Reefs: 7 Facts"}; /* 39 chars */
    meta_score_title(&t, kp, nk);
    CHECK_NEAR(t.coverage, 2.0 / 3, 1e-9);
    CHECK_NEAR(t.length_score, 1 - 11.0 / 30, 1e-9);
    CHECK_NEAR(t.score, 100 * (0.5 * 2 / 3 + 0.3 * (1 - 11.0 / 30) + 0.2), 0.05);
    meta_title q = {.text = "What Are Ocean Currents, Coral Reefs and Salt Water Made Of?"};
    meta_score_title(&q, kp, nk); /* 60 chars, all three, a question */
    CHECK_NEAR(q.score, 100, 1e-9);
}

static void test_summary_description(void)
{
    content_text t;
    meta_package m;
    char why[160];
    const char *text =
        "Ocean currents carry heat around the planet. Um, okay. "
        "Coral reefs grow in warm salt water near the coast. Whales follow the ocean currents "
        "to find plankton. The deep sea is cold and dark all year. "
        "Coral reefs protect the coast from storms and waves.";
    ave_chapter ch[3] = {{0, 0, "Ocean Currents", 1}, {30000000, 25000000, "Coral Reefs", 1},
                         {60000000, 50000000, "Deep Sea", 1}};

    CHECK_EQ_INT(content_text_from_string(&t, text), 0);
    double rel;
    CHECK_EQ_INT(meta_build(&m, kp, 8, NULL, 0, 3, "Lecture"), 0);
    CHECK_EQ_INT(meta_summarise(&t, kp, 8, 0.9f, m.summary, sizeof(m.summary), &rel), 0);
    CHECK_NEAR(rel, 1, 1e-9); /* plain text: every word sure */
    fprintf(stderr, "  summary (%zu): %s\n", strlen(m.summary), m.summary);
    CHECK(strlen(m.summary) >= 125 && strlen(m.summary) <= 200);
    /* sentences kept in spoken order, each a whole sentence of the talk */
    CHECK(strstr(m.summary, "Coral reefs grow in warm salt water near the coast.") == m.summary);
    CHECK(strstr(m.summary, "Whales follow") && strstr(m.summary, "The deep sea") &&
          strstr(m.summary, "Whales follow") < strstr(m.summary, "The deep sea"));
    CHECK(!strstr(m.summary, "Um"));
    /* an unsure word keeps its whole sentence out of the description */
    for (size_t i = 0; i < t.count; i++)
        if (!strcmp(t.tok[i].text, "grow"))
            t.tok[i].conf = 0.5f;
    CHECK_EQ_INT(meta_summarise(&t, kp, 8, 0.9f, m.summary, sizeof(m.summary), &rel), 0);
    CHECK(!strstr(m.summary, "grow") && strstr(m.summary, "Whales follow"));
    CHECK(rel >= 0.9);
    content_text_free(&t);
    CHECK_EQ_INT(meta_build(&m, kp, 8, NULL, 0, 3, "Lecture"), 0);
    CHECK_EQ_INT(content_text_from_string(&t, text), 0);
    CHECK_EQ_INT(meta_summarise(&t, kp, 8, 0.9f, m.summary, sizeof(m.summary), &rel), 0);
    content_text_free(&t);

    CHECK(meta_chapters_valid(ch, 3, 80000000, why, sizeof(why)));
    CHECK(!meta_chapters_valid(ch, 2, 80000000, why, sizeof(why)) && strstr(why, "3 chapters"));
    CHECK(!meta_chapters_valid(ch, 3, 55000000, why, sizeof(why))); /* last is 5 s */
    char *d = meta_description(&m, ch, 3, 1);
    CHECK(d && !strncmp(d, m.summary, strlen(m.summary)));
    CHECK(d && strstr(d, "\nChapters:\n0:00 Ocean Currents\n0:25 Coral Reefs\n0:50 Deep Sea\n"));
    CHECK(d && strstr(d, "#OceanCurrents #CoralReefs #SaltWater"));
    free(d);
    d = meta_description(&m, ch, 3, 0);
    CHECK(d && !strstr(d, "0:00"));
    free(d);
    char ts[16];
    meta_timestamp(3723000000, ts, sizeof(ts));
    CHECK(!strcmp(ts, "1:02:03"));
}

/* The service never reads a word the recogniser was unsure of: "an electric
 * bicycle has an honor" with "honor" unsure reaches it as "has an ...". */
static void test_ai_excerpt(void)
{
    content_text t = {0};
    char *req;

    CHECK_EQ_INT(content_text_from_string(&t, "an electric bicycle has an honor and a very fast "
                                              "motor"), 0);
    for (size_t i = 0; i < t.count; i++)
        t.tok[i].conf = 0.93f;
    t.tok[5].conf = 0.31f;                       /* honor */
    t.tok[7].conf = t.tok[8].conf = 0.45f;       /* "a very": one gap, not two */
    req = ai_build_request("m", NULL, 0, NULL, 0, "", &t);
    CHECK(req != NULL);
    if (req) {
        CHECK(strstr(req, "honor") == NULL);
        CHECK(strstr(req, "electric bicycle has an ... and ... fast motor") != NULL);
        CHECK(strstr(req, "could not make out") != NULL);
    }
    free(req);
    content_text_free(&t);
}

int main(void)
{
    ave_log_set_level(AVE_LOG_QUIET);
    test_titles_tags();
    test_summary_description();
    test_ai_excerpt();
    return CHECK_DONE();
}
