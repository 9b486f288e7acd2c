/* Word safety and review for fillers on real speech (issue 18): the
 * calibrated confidence and its inverse, the level and length vetoes of the
 * fusion rule, suggestions that never touch a real word, the demotion of an
 * unsure recognised "ah" joined to a word, and a filler cut growing over the
 * filler's fading tail. The cases are the real ones from
 * ../shared/media/real-dev (docs/SPEECH.md, "Confidence and suggestions"). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "word_fixture.h"
#include "speech/filler_detect.h"
#include "speech/filler_realign.h"

static ave_word word(const char *t, double s, double e, float conf, unsigned flags)
{
    return fixture_word(t, s, e, conf, flags);
}

static ave_filler_cand island(double s, double e)
{
    ave_filler_cand c;
    memset(&c, 0, sizeof(c));
    c.start_us = (int64_t)(s * 1e6 + 0.5);
    c.end_us = (int64_t)(e * 1e6 + 0.5);
    c.island = 1;
    c.bounded = 1;
    c.gap = 1;
    return c;
}

/* The recording's score threshold maps to 0.5, the default cut threshold;
 * the inverse gives the score a --filler-confidence stands for. */
static void test_calibration(void)
{
    ave_filler_cand c = island(1.0, 1.4);
    const float t = 0.69f; /* the threshold at 16 dB SNR (mfa_cold_corpus) */

    c.level_db = -30; /* not at speech level: the fused score alone */
    c.score = t;
    CHECK_NEAR(ave_filler_confidence(&c, t), 0.5, 1e-6);
    c.score = 1;
    CHECK_NEAR(ave_filler_confidence(&c, t), 1.0, 1e-6);
    c.score = 0;
    CHECK_NEAR(ave_filler_confidence(&c, t), 0.0, 1e-6);
    c.score = 0.65f; /* the "uh" of cold_corpus3 at 11.86 s with a keyword hit */
    CHECK_NEAR(ave_filler_confidence(&c, t), 0.5 * 0.65 / 0.69, 1e-5);
    for (float conf = 0.05f; conf <= 1.0f; conf += 0.05f) {
        c.score = ave_filler_score_for_confidence(conf, t);
        CHECK_NEAR(ave_filler_confidence(&c, t), conf, 1e-5);
    }
    CHECK_NEAR(ave_filler_score_for_confidence(0.5f, 0.44f), 0.44, 1e-6);
    /* Monotone: a higher score never lowers the confidence. */
    for (float s = 0; s < 1.0f; s += 0.01f) {
        c.score = s;
        float a = ave_filler_confidence(&c, t);
        c.score = s + 0.01f;
        CHECK(ave_filler_confidence(&c, t) >= a);
    }
}

/* A voiced island at speech level that the recogniser wrote nothing for is
 * a suggestion (its measured precision), never a cut at the defaults; a
 * breath (far under the speech), an unvoiced or a too long one is not. */
static void test_voiced_gap(void)
{
    ave_filler_cand c = island(3.33, 3.74); /* "uh", mfa_cold_corpus3 */
    const float t = 0.66f;

    c.level_db = -3.3f;
    c.voiced = 0.85f;
    c.score = 0.41f;
    CHECK_NEAR(ave_filler_confidence(&c, t), AVE_FILLER_CONF_VOICED_GAP, 1e-6);
    CHECK(AVE_FILLER_CONF_VOICED_GAP < 0.5f);
    c.level_db = -40; /* a breath in a quiet room */
    CHECK(ave_filler_confidence(&c, t) < 0.35f);
    c.level_db = -3.3f;
    c.voiced = 0.2f;
    CHECK(ave_filler_confidence(&c, t) < 0.35f);
    c.voiced = 0.85f;
    c.gap = 0.3f; /* the recogniser wrote words over most of it */
    CHECK(ave_filler_confidence(&c, t) < 0.35f);
    c.gap = 1;
    c.end_us = c.start_us + 1500000;
    CHECK(ave_filler_confidence(&c, t) < 0.35f);
}

/* The second pass turns a voiced gap into a cut when a hesitation explains
 * its sound better than any phone string by AVE_FILLER_REALIGN_MIN per
 * frame; it never lifts anything else, and a low score leaves the
 * suggestion as it was. */
static void test_second_pass(void)
{
    ave_filler_cand c = island(9.84, 10.21); /* "um", mfa_cold_corpus at 9.89 s */
    const float t = 0.69f;

    c.level_db = -1.9f;
    c.voiced = 0.8f;
    c.score = 0.0f;
    c.realign = 36.5f;
    CHECK_NEAR(ave_filler_confidence(&c, t), AVE_FILLER_CONF_REALIGN, 1e-6);
    CHECK(AVE_FILLER_CONF_REALIGN >= 0.5f);
    c.realign = AVE_FILLER_REALIGN_MIN;
    CHECK_NEAR(ave_filler_confidence(&c, t), AVE_FILLER_CONF_REALIGN, 1e-6);
    c.realign = AVE_FILLER_REALIGN_MIN - 0.5f; /* "ask" of jfk scored 3.2 */
    CHECK_NEAR(ave_filler_confidence(&c, t), AVE_FILLER_CONF_VOICED_GAP, 1e-6);
    c.realign = AVE_REALIGN_NONE;
    CHECK_NEAR(ave_filler_confidence(&c, t), AVE_FILLER_CONF_VOICED_GAP, 1e-6);
    /* Two words the recogniser left out, 0.94 s: the phone string pays per
     * phone, so a long gap is not confirmed however high it scores. */
    c.realign = 16.1f;
    c.end_us = c.start_us + 940000;
    CHECK_NEAR(ave_filler_confidence(&c, t), AVE_FILLER_CONF_VOICED_GAP, 1e-6);
    c.end_us = c.start_us + 370000;
    /* Not a voiced gap: the recogniser's words cover it, or a breath. */
    c.realign = 40.0f;
    c.gap = 0.2f;
    CHECK(ave_filler_confidence(&c, t) < 0.35f);
    c.gap = 1;
    c.level_db = -40;
    CHECK(ave_filler_confidence(&c, t) < 0.35f);
    /* A fused score above the second pass's level is kept. */
    c.level_db = -1.9f;
    c.score = 1;
    CHECK_NEAR(ave_filler_confidence(&c, t), 1.0, 1e-6);
}

/* The second pass is decoded only where its score can change the outcome:
 * a voiced gap of up to 0.8 s (0.45 -> 0.85), or a candidate already cut
 * (its span). A long gap, a breath or a low score cannot move. */
static void test_realign_matters(void)
{
    ave_filler_cand c = island(9.84, 10.21);
    const float t = 0.69f;

    c.level_db = -1.9f;
    c.voiced = 0.8f;
    c.realign = AVE_REALIGN_NONE;
    CHECK(ave_filler_realign_matters(&c, t, 0.5f));
    /* a cut threshold over 0.85: still the confidence written with the
     * suggestion changes */
    CHECK(ave_filler_realign_matters(&c, t, 0.9f));
    c.end_us = c.start_us + 940000; /* the 0.94 s gap of two left-out words */
    CHECK(!ave_filler_realign_matters(&c, t, 0.5f));
    c.score = 1; /* ... unless it is cut anyway: then its span */
    CHECK(ave_filler_realign_matters(&c, t, 0.5f));
    c.score = 0;
    c.end_us = c.start_us + 370000;
    c.level_db = -40; /* a breath */
    CHECK(!ave_filler_realign_matters(&c, t, 0.5f));
    c.level_db = -1.9f;
    c.gap = 0.2f; /* covered by recognised words */
    CHECK(!ave_filler_realign_matters(&c, t, 0.5f));
    /* the answer does not depend on a score already set */
    c.gap = 1;
    c.realign = 36.5f;
    CHECK(ave_filler_realign_matters(&c, t, 0.5f));
}

/* Without a recognised hesitation, a candidate far quieter than the speech
 * or a second of varied sound scores 0, however steady or bounded. */
static void test_vetoes(void)
{
    ave_filler_rule r;
    ave_filler_cand c = island(0.34, 0.52);

    ave_filler_rule_default(&r);
    c.acoustic = 0.49f; /* a breath of mfa_clip_crossword: 0.52 before */
    c.level_db = -40;
    CHECK_NEAR(ave_filler_fuse(&c, &r), 0.0, 1e-6);
    c.level_db = -3;
    CHECK(ave_filler_fuse(&c, &r) >= r.threshold);
    c.recog = 1;
    c.level_db = -40; /* the recogniser wrote "um": its word counts */
    CHECK_NEAR(ave_filler_fuse(&c, &r), 1.0, 1e-6);
    c = island(10.0, 13.3); /* a whole quiet phrase, 3.3 s */
    c.acoustic = 0.45f;
    c.kws = 1;
    CHECK_NEAR(ave_filler_fuse(&c, &r), 0.0, 1e-6);
    c.end_us = c.start_us + 900000; /* 0.9 s: a drawn-out "uhhh" is possible */
    CHECK(ave_filler_fuse(&c, &r) > 0);
    c.end_us = c.start_us + 1100000;
    c.acoustic = 0.8f; /* one held vowel of 1.1 s */
    CHECK(ave_filler_fuse(&c, &r) > 0);
}

/* Suggestions are inserted only between real words (20 ms clear), only in
 * the review band, never over a filler, and flagged for review. */
static void test_suggest(void)
{
    ave_word *w = malloc(3 * sizeof(*w));
    ave_filler_cand c[3];
    size_t n = 3, added = 9;

    w[0] = word("corpus", 2.700, 3.210, 0.1f, 0);
    w[1] = word("the", 4.075, 4.225, 0.7f, 0);
    w[2] = word("um", 5.000, 5.300, 0.9f, AVE_WORD_FILLER);
    c[0] = island(3.20, 3.74);
    c[0].confidence = 0.45f;
    c[1] = island(4.10, 4.20); /* inside "the": nothing clear */
    c[1].confidence = 0.45f;
    c[2] = island(5.1, 5.4); /* over the filler */
    c[2].confidence = 0.45f;
    CHECK_EQ_INT(ave_filler_suggest(&w, &n, c, 3, 0.35f, 0.5f, 80000, &added), 0);
    CHECK_EQ_INT(added, 1);
    CHECK_EQ_INT(n, 4);
    if (n == 4) {
        CHECK(w[1].flags & AVE_WORD_SUGGESTED);
        CHECK(w[1].flags & AVE_WORD_ACOUSTIC);
        CHECK(!(w[1].flags & AVE_WORD_FILLER));
        CHECK_EQ_INT(w[1].start_us, 3230000); /* 20 ms after "corpus" */
        CHECK_EQ_INT(w[1].end_us, 3740000);
        CHECK_NEAR(w[1].filler_score, 0.45, 1e-6);
    }
    /* Out of the band: nothing. */
    c[0].confidence = 0.3f;
    added = 9;
    n = 3;
    {
        ave_word *v = malloc(3 * sizeof(*v));
        v[0] = word("a", 0, 0.2, 1, 0);
        v[1] = word("b", 1.0, 1.2, 1, 0);
        v[2] = word("c", 2.0, 2.2, 1, 0);
        c[0] = island(0.3, 0.8);
        c[0].confidence = 0.3f;
        CHECK_EQ_INT(ave_filler_suggest(&v, &n, c, 1, 0.35f, 0.5f, 80000, &added), 0);
        CHECK_EQ_INT(added, 0);
        c[0].confidence = 0.6f; /* a cut, not a suggestion */
        CHECK_EQ_INT(ave_filler_suggest(&v, &n, c, 1, 0.35f, 0.5f, 80000, &added), 0);
        CHECK_EQ_INT(added, 0);
        CHECK_EQ_INT(n, 3);
        free(v);
    }
    free(w);
}

/* "there must be ah thanks": the recogniser's "ah" (0.03) is the "all" of
 * "must be all", joined to "be"; with no acoustic support it is only a
 * suggestion. A sure "um", or one in a pause, or one the acoustics back,
 * stays a filler. */
static void test_demote(void)
{
    ave_word w[6];
    ave_filler_cand c = island(6.0, 6.4);

    w[0] = word("must", 24.245, 24.465, 0.12f, 0);
    w[1] = word("be", 24.465, 24.555, 0.12f, 0);
    w[2] = word("ah", 24.555, 24.685, 0.03f, AVE_WORD_FILLER);
    w[3] = word("um", 25.500, 25.900, 0.30f, AVE_WORD_FILLER); /* in a pause */
    w[4] = word("so", 25.950, 26.100, 0.90f, 0);
    w[5] = word("uh", 26.100, 26.400, 0.80f, AVE_WORD_FILLER); /* sure of it */
    CHECK_EQ_INT(ave_filler_demote_unsure(w, 6, &c, 1, 0.25f, 0.42f), 1);
    CHECK(!(w[2].flags & AVE_WORD_FILLER));
    CHECK(w[2].flags & AVE_WORD_SUGGESTED);
    CHECK_NEAR(w[2].filler_score, 0.42, 1e-6);
    CHECK(w[3].flags & AVE_WORD_FILLER);
    CHECK(w[5].flags & AVE_WORD_FILLER);
    /* The "m" of "h m m" (a drawn-out "hmm") joined to the letter "h" stays. */
    {
        ave_word hm[2] = {word("h", 9.365, 9.585, 0.1f, 0),
                          word("m", 9.585, 9.775, 0.2f, AVE_WORD_FILLER)};
        CHECK_EQ_INT(ave_filler_demote_unsure(hm, 2, &c, 1, 0.25f, 0.42f), 0);
        CHECK(hm[1].flags & AVE_WORD_FILLER);
    }
    /* The same "ah" over a held vowel the acoustics found stays a filler. */
    w[2].flags = AVE_WORD_FILLER;
    c = island(24.50, 24.70);
    c.acoustic = 0.6f;
    CHECK_EQ_INT(ave_filler_demote_unsure(w, 6, &c, 1, 0.25f, 0.42f), 0);
    CHECK(w[2].flags & AVE_WORD_FILLER);
}

/* An "er" recognised at 14.875-15.167 s whose held vowel lasts 14.74-15.27
 * s grows over its onset and tail, stopping 20 ms before the next word; a
 * "filler" over varied sound (an engine's word list that left speech out)
 * does not grow at all. */
static void test_grow(void)
{
    static float energy[1600], voicing[1600], pitch[1600];
    ave_filler_frames fr;
    ave_word w[3];

    memset(&fr, 0, sizeof(fr));
    for (size_t f = 0; f < 1600; f++) {
        energy[f] = -60.0f;
        voicing[f] = 0.2f;
        pitch[f] = 0;
    }
    for (size_t f = 1474; f < 1527; f++) { /* the filler: 14.74-15.27 s at 20 st */
        energy[f] = -25.0f;
        voicing[f] = 0.9f;
        pitch[f] = 20.0f + 0.3f * (float)(f % 3);
    }
    for (size_t f = 1530; f < 1600; f++) { /* the next word from 15.30 s, same pitch */
        energy[f] = -20.0f;
        voicing[f] = 0.9f;
        pitch[f] = 20.0f;
    }
    fr.count = 1600;
    fr.hop = 160;
    fr.rate = 16000;
    fr.energy_db = energy;
    fr.voicing = voicing;
    fr.pitch_st = pitch;
    fr.floor_db = -60.0f;
    fr.speech_db = -20.0f;
    w[0] = word("so", 14.0, 14.3, 0.9f, 0);
    w[1] = word("er", 14.875, 15.167, 0.5f, AVE_WORD_FILLER);
    w[2] = word("next", 15.30, 15.9, 0.9f, 0);
    ave_filler_grow_to_sound(w, 3, &fr, 20000, 200000, 1);
    CHECK_EQ_INT(w[1].start_us, 14745000);
    CHECK(w[1].end_us >= 15265000 && w[1].end_us <= 15280000);
    /* A service's filler keeps its times; one the detector inserted grows. */
    w[1] = word("er", 14.875, 15.167, 0.5f, AVE_WORD_FILLER);
    ave_filler_grow_to_sound(w, 3, &fr, 20000, 200000, 0);
    CHECK_EQ_INT(w[1].start_us, 14875000);
    w[1].flags |= AVE_WORD_ACOUSTIC;
    ave_filler_grow_to_sound(w, 3, &fr, 20000, 200000, 0);
    CHECK_EQ_INT(w[1].start_us, 14745000);
    /* The sound runs right up to the next word: it stops at the guard. */
    for (size_t f = 1527; f < 1530; f++) {
        energy[f] = -25.0f;
        voicing[f] = 0.9f;
        pitch[f] = 20.0f;
    }
    w[1] = word("er", 14.875, 15.167, 0.5f, AVE_WORD_FILLER);
    ave_filler_grow_to_sound(w, 3, &fr, 20000, 200000, 1);
    CHECK(w[1].end_us <= 15280000);
    CHECK_EQ_INT(w[0].end_us, 14300000); /* real words never grow */
    /* Varied sound under the "filler": pitch wandering over 6 semitones. */
    for (size_t f = 1474; f < 1527; f++)
        pitch[f] = 17.0f + (float)(f % 7);
    w[1] = word("er", 14.875, 15.167, 0.5f, AVE_WORD_FILLER);
    ave_filler_grow_to_sound(w, 3, &fr, 20000, 200000, 1);
    CHECK_EQ_INT(w[1].start_us, 14875000);
    CHECK_EQ_INT(w[1].end_us, 15167000);
}

int main(void)
{
    test_calibration();
    test_voiced_gap();
    test_second_pass();
    test_realign_matters();
    test_vetoes();
    test_suggest();
    test_demote();
    test_grow();
    return CHECK_DONE();
}
