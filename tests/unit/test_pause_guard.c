/* The pause guard: probe windows cover every pause cut that the speech
 * regions miss, and a word heard inside a pause cut takes its stretch of
 * the pause (a second either side) back from the cut, while words beside a
 * pause, hesitations and clicks change nothing. The timeline is the one
 * mfa_cold_corpus_spont gets: a pause cut over a mumbled "so this is". */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "speech/pause_guard.h"

static ave_word word(const char *t, double s, double e)
{
    ave_word w;
    memset(&w, 0, sizeof(w));
    snprintf(w.text, sizeof(w.text), "%s", t);
    w.start_us = (int64_t)(s * 1e6 + 0.5);
    w.end_us = (int64_t)(e * 1e6 + 0.5);
    w.confidence = 0.5f;
    return w;
}

static int kept_at(const ave_timeline *tl, double t)
{
    int64_t us = (int64_t)(t * 1e6 + 0.5);
    for (size_t i = 0; i < tl->count; i++)
        if (tl->segs[i].start_us <= us && us < tl->segs[i].end_us)
            return tl->segs[i].keep;
    return -1;
}

static void test_probe_windows(void)
{
    ave_timeline tl = {0};
    ave_pause_guard_params p;
    ave_interval regions[2] = {{0, 1495000}, {2225000, 12695000}}, *w = NULL;
    size_t n = 0;

    ave_pause_guard_params_default(&p);
    CHECK_EQ_INT(ave_timeline_init(&tl, 25700000), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, 1645000, 2175000, AVE_REASON_SILENCE), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, 12845000, 13405000, AVE_REASON_SILENCE), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, 20000000, 20300000, AVE_REASON_FILLER), 0);
    CHECK_EQ_INT(ave_pause_probe_windows(&tl, regions, 2, &p, &w, &n), 0);
    /* The first cut widened to 1.545-2.275 s minus the regions; the second
     * one wholly (the region ends before it); the filler cut never. */
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK_EQ_INT(w[0].start_us, 1545000);
        CHECK_EQ_INT(w[0].end_us, 2225000);
        CHECK_EQ_INT(w[1].start_us, 12745000);
        CHECK_EQ_INT(w[1].end_us, 13505000);
    }
    free(w);
    /* A region over the whole cut leaves nothing to probe. */
    regions[0].end_us = 25700000;
    CHECK_EQ_INT(ave_pause_probe_windows(&tl, regions, 1, &p, &w, &n), 0);
    CHECK_EQ_INT(n, 0);
    CHECK(w == NULL);
    ave_timeline_free(&tl);
}

static void test_rescue(void)
{
    ave_timeline tl = {0};
    ave_pause_guard_params p;
    ave_filler_vocab vocab;
    char err[80];
    ave_word w[5];
    size_t rescued = 9;

    ave_pause_guard_params_default(&p);
    CHECK_EQ_INT(ave_filler_vocab_parse(&vocab, AVE_FILLER_WORDS_DEFAULT, err, sizeof(err)), 0);
    CHECK_EQ_INT(ave_timeline_init(&tl, 30000000), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, 1645000, 4175000, AVE_REASON_SILENCE), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, 10000000, 12000000, AVE_REASON_SILENCE), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, 20000000, 23000000, AVE_REASON_SILENCE), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, 25000000, 25300000, AVE_REASON_FILLER), 0);
    w[0] = word("at", 1.605, 2.045);   /* heard in the first pause */
    w[1] = word("the", 9.50, 9.80);    /* beside the second: already has its margin */
    w[2] = word("um", 21.0, 21.4);     /* a hesitation in the third */
    w[3] = word("t", 22.0, 22.03);     /* a click the decoder named */
    w[4] = word("word", 25.05, 25.25); /* under a filler cut: not a pause */
    CHECK_EQ_INT(ave_pause_guard_apply(&tl, w, 5, &vocab, &p, &rescued), 0);
    CHECK_EQ_INT(rescued, 1);
    /* The first pause: kept from its start to a second after the word. */
    CHECK_EQ_INT(kept_at(&tl, 1.70), 1);
    CHECK_EQ_INT(kept_at(&tl, 2.9), 1);
    CHECK_EQ_INT(kept_at(&tl, 3.1), 0);
    CHECK_EQ_INT(kept_at(&tl, 4.0), 0);
    /* The others untouched. */
    CHECK_EQ_INT(kept_at(&tl, 10.5), 0);
    CHECK_EQ_INT(kept_at(&tl, 21.2), 0);
    CHECK_EQ_INT(kept_at(&tl, 22.01), 0);
    CHECK_EQ_INT(kept_at(&tl, 25.1), 0);
    /* Without a vocabulary, "um" is a word like any other. */
    CHECK_EQ_INT(ave_pause_guard_apply(&tl, w, 5, NULL, &p, &rescued), 0);
    CHECK_EQ_INT(rescued, 1);
    CHECK_EQ_INT(kept_at(&tl, 21.2), 1);
    ave_timeline_free(&tl);
}

int main(void)
{
    test_probe_windows();
    test_rescue();
    return CHECK_DONE();
}
