/* The pause guard: probe windows cover every pause cut that the speech
 * regions miss, those with nothing near the speech level in them (digital
 * silence, a clean recording's floor) are not decoded, and a word heard
 * inside a pause cut takes its stretch of the pause (a second either side)
 * back from the cut, while words beside a pause, hesitations and clicks
 * change nothing. The timeline is the one
 * mfa_cold_corpus_spont gets: a pause cut over a mumbled "so this is". */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
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

/* Uniform noise at rms_db dBFS over pcm[a..b) (16 kHz), deterministic. */
static void noise(int16_t *pcm, double a, double b, double rms_db, uint32_t *seed)
{
    double amp = 32767.0 * pow(10.0, rms_db / 20.0) * sqrt(3.0);
    for (size_t i = (size_t)(a * 16000); i < (size_t)(b * 16000); i++) {
        *seed = *seed * 1664525u + 1013904223u;
        pcm[i] = (int16_t)lrint(amp * ((*seed >> 8) / 8388608.0 - 1.0));
    }
}

static void test_probe_filter(void)
{
    enum { N = 10 * 16000 };
    int16_t *pcm = calloc(N, sizeof(*pcm));
    ave_pause_guard_params p;
    ave_interval w[6] = {{1000000, 2000000},   /* digital silence */
                         {2000000, 3000000},   /* a clean floor, 40 dB under */
                         {3000000, 4000000},   /* the same floor and a word 20 dB under */
                         {4000000, 5000000},   /* room noise 25 dB under */
                         {5000000, 6000000},   /* a lip noise 42 dB under, 18 dB out of its floor */
                         {9900000, 10500000}}; /* silent, and past the end */
    ave_interval all[6];
    double skipped = -1;
    size_t n = 6;
    uint32_t seed = 7;

    CHECK(pcm != NULL);
    if (!pcm)
        return;
    noise(pcm, 0.0, 1.0, -10.0, &seed); /* speech */
    noise(pcm, 2.0, 4.0, -50.0, &seed);
    noise(pcm, 3.4, 3.7, -30.0, &seed);
    noise(pcm, 4.0, 5.0, -35.0, &seed);
    noise(pcm, 5.0, 6.0, -70.0, &seed);
    noise(pcm, 5.5, 5.6, -52.0, &seed);
    memcpy(all, w, sizeof(w));
    ave_pause_guard_params_default(&p);
    CHECK(p.probe_below_speech_db > 25.0 && p.probe_below_speech_db < 40.0);
    CHECK(p.probe_steady_db > 6.0 && p.probe_steady_db < 18.0);
    CHECK_EQ_INT(ave_pause_probe_filter(pcm, N, 16000, -10.0, &p, w, &n, &skipped), 0);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK_EQ_INT(w[0].start_us, 3000000);
        CHECK_EQ_INT(w[1].start_us, 4000000);
        CHECK_EQ_INT(w[2].start_us, 5000000);
    }
    CHECK(fabs(skipped - 2.6) < 1e-9);
    /* 0 decodes every window. */
    memcpy(w, all, sizeof(w));
    n = 6;
    p.probe_below_speech_db = 0;
    CHECK_EQ_INT(ave_pause_probe_filter(pcm, N, 16000, -10.0, &p, w, &n, &skipped), 0);
    CHECK_EQ_INT(n, 6);
    CHECK(skipped == 0);
    CHECK_EQ_INT(ave_pause_probe_filter(pcm, N, 0, -10.0, &p, w, &n, NULL), AVE_ERR_USAGE);
    free(pcm);
}

int main(void)
{
    test_probe_windows();
    test_probe_filter();
    test_rescue();
    return CHECK_DONE();
}
