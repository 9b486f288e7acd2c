/* Filler detection: the fusion rule, the acoustic detector on a synthetic
 * held vowel ("uhhh") against synthetic syllables, candidate merging, the
 * gap share, word-boundary safety of the inserted fillers, which words
 * an island absorbs (one syllable, not connected to speech), recognised
 * hesitations growing to the candidate, and the void gap evidence next to
 * speech the recogniser left out. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "speech/filler_detect.h"

#define RATE 16000
#define PI 3.14159265358979323846

static unsigned rng_state = 12345;
static double noise(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return ((rng_state >> 8) & 0xffff) / 32768.0 - 1.0;
}

/* Harmonics of f0 shaped by two formants: a vowel-like sound. */
static double vowel(double t, double f0, double f1, double f2, double *phase)
{
    double s = 0;
    *phase += 2 * PI * f0 / RATE;
    for (int k = 1; k * f0 < 4000; k++) {
        double f = k * f0;
        double a = 1.0 / (1 + pow((f - f1) / 120, 2)) + 0.6 / (1 + pow((f - f2) / 150, 2));
        s += a * sin(k * *phase);
    }
    (void)t;
    return s;
}

/* 0.5 s silence, a 450 ms held "uh" (120 Hz, F1 600, F2 1200), 0.4 s
 * silence, 1.2 s of syllables (a 40 ms noise burst then 110 ms of vowel
 * with gliding pitch and a different vowel each time), 0.5 s silence. */
static int16_t *make_audio(size_t *n, double *uh0, double *uh1, double *w0, double *w1)
{
    size_t len = (size_t)(3.05 * RATE), i = 0;
    int16_t *pcm = calloc(len, sizeof(*pcm));
    double ph = 0;
    static const double f1s[] = {300, 700, 500, 800, 350, 650, 450, 750};
    static const double f2s[] = {2200, 1100, 1800, 1300, 900, 1700, 2000, 1000};

    if (!pcm)
        return NULL;
    i = (size_t)(0.5 * RATE);
    *uh0 = 0.5;
    for (size_t k = 0; k < (size_t)(0.45 * RATE); k++, i++) {
        double env = fmin(1.0, fmin(k, 0.45 * RATE - k) / 400.0);
        pcm[i] = (int16_t)(3000 * env * vowel(0, 120, 600, 1200, &ph) + 20 * noise());
    }
    *uh1 = (double)i / RATE;
    i += (size_t)(0.4 * RATE);
    *w0 = (double)i / RATE;
    for (int syl = 0; syl < 8; syl++) {
        for (size_t k = 0; k < (size_t)(0.04 * RATE); k++, i++)
            pcm[i] = (int16_t)(2500 * noise());
        for (size_t k = 0; k < (size_t)(0.11 * RATE); k++, i++) {
            double f0 = 100 + 40 * (double)k / (0.11 * RATE) + 15 * (syl % 3);
            double env = fmin(1.0, fmin(k, 0.11 * RATE - k) / 160.0);
            pcm[i] = (int16_t)(3000 * env * vowel(0, f0, f1s[syl], f2s[syl], &ph));
        }
    }
    *w1 = (double)i / RATE;
    for (; i < len; i++)
        pcm[i] = (int16_t)(20 * noise());
    *n = len;
    return pcm;
}

static void test_fuse(void)
{
    ave_filler_rule r;
    ave_filler_cand c;

    ave_filler_rule_default(&r);
    memset(&c, 0, sizeof(c));
    c.recog = 1;
    CHECK_NEAR(ave_filler_fuse(&c, &r), 1.0, 1e-6); /* the recogniser wrote "um" */
    memset(&c, 0, sizeof(c));
    c.gap = 1;
    c.bounded = 1;
    CHECK_NEAR(ave_filler_fuse(&c, &r), 0.0, 1e-6); /* no acoustic or keyword evidence */
    c.acoustic = 0.6f;
    CHECK_NEAR(ave_filler_fuse(&c, &r), r.w_acoustic * 0.6 + r.w_bounded, 1e-6);
    CHECK(ave_filler_fuse(&c, &r) >= r.threshold);
    c.kws = 1;
    CHECK_NEAR(ave_filler_fuse(&c, &r), r.w_acoustic * 0.6 + r.w_kws + r.w_bounded, 1e-6);
    c.gap = 0; /* a real word covers it: never a missed filler */
    CHECK_NEAR(ave_filler_fuse(&c, &r), 0.0, 1e-6);
    c.gap = 0.5f;
    CHECK_NEAR(ave_filler_fuse(&c, &r), 0.5 * (r.w_acoustic * 0.6 + r.w_kws + r.w_bounded), 1e-6);
    /* Weak acoustics, no keyword, inside speech: rejected. */
    memset(&c, 0, sizeof(c));
    c.acoustic = 0.3f;
    c.gap = 1;
    CHECK(ave_filler_fuse(&c, &r) < r.threshold);
}

static void test_acoustic(void)
{
    size_t n = 0, nc = 0;
    double uh0, uh1, w0, w1;
    int16_t *pcm = make_audio(&n, &uh0, &uh1, &w0, &w1);
    ave_filler_frames fr;
    ave_filler_cand *c = NULL;
    int found_uh = 0;
    float best_word = 0;

    CHECK(pcm != NULL);
    if (!pcm)
        return;
    CHECK_EQ_INT(ave_filler_frames_compute(pcm, n, RATE, &fr), 0);
    CHECK_EQ_INT(fr.count, n / 160);
    /* Pitch of the held vowel: 120 Hz = 12 * log2(120 / 55) semitones. */
    CHECK_NEAR(fr.pitch_st[(size_t)((uh0 + 0.2) * 100)], 12 * log2(120.0 / 55), 0.3);
    CHECK(fr.voicing[(size_t)((uh0 + 0.2) * 100)] > 0.8);
    CHECK(fr.voicing[(size_t)(0.2 * 100)] < 0.5); /* silence */
    CHECK_EQ_INT(ave_filler_acoustic(&fr, &c, &nc), 0);
    ave_filler_merge(c, &nc);
    for (size_t i = 0; i < nc; i++) {
        double s = c[i].start_us / 1e6, e = c[i].end_us / 1e6;
        if (s < uh1 && e > uh0) {
            /* One candidate, the whole held vowel, bounded by pauses. */
            found_uh++;
            CHECK_NEAR(s, uh0, 0.04);
            CHECK_NEAR(e, uh1, 0.04);
            CHECK(c[i].acoustic >= 0.6f);
            CHECK_NEAR(c[i].bounded, 1.0, 1e-6);
        } else if (s < w1 && e > w0 && c[i].acoustic > best_word) {
            best_word = c[i].acoustic;
        }
    }
    CHECK_EQ_INT(found_uh, 1);
    CHECK(best_word < 0.25f); /* syllables never look like a hesitation */
    free(c);
    ave_filler_frames_free(&fr);
    free(pcm);
}

static ave_word word(const char *t, double s, double e, unsigned flags)
{
    ave_word w;
    memset(&w, 0, sizeof(w));
    snprintf(w.text, sizeof(w.text), "%s", t);
    w.start_us = (int64_t)(s * 1e6);
    w.end_us = (int64_t)(e * 1e6);
    w.confidence = 0.9f;
    w.flags = flags;
    return w;
}

static void test_apply(void)
{
    ave_filler_rule r;
    ave_word *w = malloc(4 * sizeof(*w));
    ave_filler_cand c[3];
    size_t n = 4, added = 0;

    ave_filler_rule_default(&r);
    w[0] = word("hello", 0.10, 0.50, 0);
    w[1] = word("a", 1.00, 1.10, 0);     /* the recogniser's rendering of a filler */
    w[2] = word("world", 1.45, 1.90, 0);
    w[3] = word("um", 2.60, 2.90, AVE_WORD_FILLER);
    memset(c, 0, sizeof(c));
    c[0].start_us = 950000; /* around "a", up to "world" */
    c[0].end_us = 1440000;
    c[0].score = 0.8f;
    c[0].island = 1; /* sound between pauses: may absorb a short word */
    snprintf(c[0].text, sizeof(c[0].text), "uh");
    c[1].start_us = 1800000; /* overlaps the end of "world" (22% of it) */
    c[1].end_us = 2300000;
    c[1].score = 0.7f;
    c[2].start_us = 2650000; /* the recognised "um" */
    c[2].end_us = 2850000;
    c[2].score = 0.6f;
    CHECK_EQ_INT(ave_filler_apply(&w, &n, c, 3, &r, &added), 0);
    CHECK_EQ_INT(added, 2);
    CHECK_EQ_INT(n, 5); /* "a" replaced, two inserted */
    if (n == 5) {
        CHECK(!strcmp(w[0].text, "hello"));
        CHECK(!strcmp(w[1].text, "uh"));
        CHECK_EQ_INT(w[1].start_us, 950000);
        CHECK_EQ_INT(w[1].end_us, 1430000); /* stops 20 ms before "world" */
        CHECK(w[1].flags & AVE_WORD_FILLER);
        CHECK(w[1].flags & AVE_WORD_ACOUSTIC);
        CHECK(!strcmp(w[2].text, "world"));
        CHECK_EQ_INT(w[2].flags, 0);
        CHECK(!strcmp(w[3].text, "[hesitation]"));
        CHECK_EQ_INT(w[3].start_us, 1920000); /* starts 20 ms after "world" */
        CHECK_EQ_INT(w[3].end_us, 2300000);
        CHECK_NEAR(w[3].filler_score, 0.7, 1e-6);
        CHECK(!strcmp(w[4].text, "um"));
        CHECK_NEAR(w[4].filler_score, 0.6, 1e-6);
        /* No inserted filler overlaps a real word. */
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                if ((w[i].flags & AVE_WORD_ACOUSTIC) && !(w[j].flags & AVE_WORD_FILLER))
                    CHECK(w[i].end_us <= w[j].start_us || w[i].start_us >= w[j].end_us);
        for (size_t i = 1; i < n; i++)
            CHECK(w[i - 1].start_us <= w[i].start_us);
    }
    /* Below the threshold nothing changes. */
    c[0].score = c[1].score = c[2].score = 0.1f;
    CHECK_EQ_INT(ave_filler_apply(&w, &n, c, 3, &r, &added), 0);
    CHECK_EQ_INT(added, 0);
    CHECK_EQ_INT(n, 5);
    free(w);
}

static void test_merge_and_gap(void)
{
    ave_filler_cand c[3];
    size_t n = 3;
    size_t count = 0;
    double uh0, uh1, w0, w1;
    int16_t *pcm = make_audio(&count, &uh0, &uh1, &w0, &w1);
    ave_filler_frames fr;
    ave_word words[2];

    memset(c, 0, sizeof(c));
    c[0].start_us = 1000000; /* an island */
    c[0].end_us = 1600000;
    c[0].acoustic = 0.4f;
    c[0].island = 1;
    c[1].start_us = 1100000; /* a stable segment inside it */
    c[1].end_us = 1400000;
    c[1].acoustic = 0.9f;
    c[1].gap = 1;
    c[2].start_us = 2000000;
    c[2].end_us = 2200000;
    ave_filler_merge(c, &n);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(c[0].start_us, 1000000);
    CHECK_EQ_INT(c[0].end_us, 1600000);
    CHECK_NEAR(c[0].acoustic, 0.4, 1e-6); /* the island's own score */
    CHECK_NEAR(c[0].gap, 1.0, 1e-6);      /* other evidence is lent */

    if (!pcm || ave_filler_frames_compute(pcm, count, RATE, &fr) < 0) {
        CHECK(0);
        free(pcm);
        return;
    }
    /* A long word covering half of the held vowel: half its voiced frames
     * are unexplained. A short word inside it is absorbed (it is the filler). */
    words[0] = word("long", 0, uh0 + (uh1 - uh0) / 2, 0);
    CHECK_NEAR(ave_filler_gap_share(&fr, words, 1, (int64_t)(uh0 * 1e6), (int64_t)(uh1 * 1e6), 1),
               0.5, 0.12);
    words[0] = word("a", uh0 + 0.1, uh0 + 0.3, 0);
    CHECK_NEAR(ave_filler_gap_share(&fr, words, 1, (int64_t)(uh0 * 1e6), (int64_t)(uh1 * 1e6), 1),
               1.0, 1e-6);
    CHECK_NEAR(ave_filler_gap_share(&fr, words, 1, (int64_t)(uh0 * 1e6), (int64_t)(uh1 * 1e6), 0),
               0.42, 0.08); /* not an island: the word counts */
    /* Gap candidates: the held vowel is voiced and between the words. */
    words[0] = word("before", 0.05, 0.3, 0);
    words[1] = word("after", w0, w1, 0);
    {
        ave_filler_cand *g = NULL;
        size_t ng = 0;
        CHECK_EQ_INT(ave_filler_gap_candidates(&fr, words, 2, &g, &ng), 0);
        CHECK_EQ_INT(ng, 1);
        if (ng == 1) {
            CHECK_NEAR(g[0].start_us / 1e6, uh0, 0.05);
            CHECK_NEAR(g[0].end_us / 1e6, uh1, 0.05);
        }
        free(g);
    }
    ave_filler_frames_free(&fr);
    free(pcm);
}

static ave_word word_c(const char *t, double s, double e, float conf)
{
    ave_word w = word(t, s, e, 0);
    w.confidence = conf;
    return w;
}

/* Which recognised words an island may absorb as the recogniser's
 * rendering of the hesitation: one syllable, longer than 4 letters only
 * when the recogniser was unsure, and never a word decoded as connected to
 * a real word outside the island. */
static void test_absorb_rules(void)
{
    const int64_t s = 12050000, e = 12510000; /* an island */
    ave_word w[3];

    /* One syllable, as PocketSphinx renders "er" and "um". */
    w[0] = word_c("there", 12.06, 12.40, 0.50f);
    CHECK_EQ_INT(ave_filler_absorbs(&w[0], s, e), 1);
    w[0] = word_c("i'm", 12.06, 12.40, 1.0f);
    CHECK_EQ_INT(ave_filler_absorbs(&w[0], s, e), 1);
    w[0] = word_c("the", 12.06, 12.40, 0.9f);
    CHECK_EQ_INT(ave_filler_absorbs(&w[0], s, e), 1);
    /* A confident word of 5 letters, two syllables, or mostly outside. */
    w[0] = word_c("light", 12.06, 12.40, 0.74f);
    CHECK_EQ_INT(ave_filler_absorbs(&w[0], s, e), 0);
    w[0] = word_c("often", 12.06, 12.40, 0.1f);
    CHECK_EQ_INT(ave_filler_absorbs(&w[0], s, e), 0);
    w[0] = word_c("a", 11.80, 12.10, 0.1f); /* 17% inside */
    CHECK_EQ_INT(ave_filler_absorbs(&w[0], s, e), 0);

    /* "of time": the recogniser joined "time" to "of" with no silence
     * between, so the pause before the island was the closure of "t". */
    w[0] = word_c("of", 11.895, 11.965, 0.6f);
    w[1] = word_c("time", 11.965, 12.465, 0.86f);
    w[2] = word_c("leave", 13.30, 13.60, 0.5f);
    CHECK_EQ_INT(ave_filler_absorbs(&w[1], s, e), 1);
    CHECK_EQ_INT(ave_filler_absorbs_in(w, 3, 1, s, e), 0);
    CHECK_EQ_INT(ave_filler_absorbs_in(w, 3, 0, s, e), 0); /* outside the island */
    /* A decoded silence of 40 ms before it: a separate sound, absorbed. */
    w[0].end_us = 11925000;
    CHECK_EQ_INT(ave_filler_absorbs_in(w, 3, 1, s, e), 1);
    /* Joined to the next word instead: connected again. */
    w[2].start_us = w[1].end_us + 10000;
    CHECK_EQ_INT(ave_filler_absorbs_in(w, 3, 1, s, e), 0);
    /* Two words that both lie inside the island may abut each other
     * ("the door" rendering one long "er"), and a recognised hesitation
     * next to it is no real word. */
    w[0] = word_c("the", 12.06, 12.20, 0.5f);
    w[1] = word_c("door", 12.20, 12.45, 0.3f);
    w[2] = word("um", 12.45, 12.70, AVE_WORD_FILLER);
    CHECK_EQ_INT(ave_filler_absorbs_in(w, 3, 0, s, e), 1);
    CHECK_EQ_INT(ave_filler_absorbs_in(w, 3, 1, s, e), 1);
    CHECK_EQ_INT(ave_filler_absorbs_in(w, 3, 2, s, e), 0); /* a filler is never absorbed */
}

/* A recognised hesitation that covers only part of a long one grows to
 * the candidate's clear part when the candidate's own evidence (without
 * R) is accepted, replacing the short words it absorbs; else only its
 * score changes. */
static void test_widen_recognised(void)
{
    ave_filler_rule r;
    ave_filler_cand c;
    ave_word *w = malloc(5 * sizeof(*w));
    size_t n = 5, added = 9;

    ave_filler_rule_default(&r);
    w[0] = word("project", 8.595, 9.175, 0);
    w[1] = word("h", 9.365, 9.585, 0);
    w[2] = word("and", 9.585, 9.845, 0);
    w[3] = word("m", 9.845, 9.975, AVE_WORD_FILLER);
    w[4] = word("on", 10.135, 10.285, 0);
    w[1].confidence = w[2].confidence = 0.1f;
    memset(&c, 0, sizeof(c));
    c.start_us = 9350000;
    c.end_us = 10010000;
    c.island = 1;
    c.recog = 1;
    c.gap = 1;
    c.bounded = 1;
    c.acoustic = 0.1f; /* own evidence 0.305: only the score changes */
    c.score = ave_filler_fuse(&c, &r);
    CHECK_NEAR(c.score, 1.0, 1e-6);
    CHECK_EQ_INT(ave_filler_apply(&w, &n, &c, 1, &r, &added), 0);
    CHECK_EQ_INT(added, 0);
    CHECK_EQ_INT(n, 5);
    CHECK_EQ_INT(w[3].start_us, 9845000);
    CHECK_NEAR(w[3].filler_score, 1.0, 1e-6);
    c.acoustic = 0.6f; /* own evidence 0.58 >= 0.44 ... */
    c.paused = 0;      /* ... but the sound runs on into speech: no growth */
    CHECK_EQ_INT(ave_filler_apply(&w, &n, &c, 1, &r, &added), 0);
    CHECK_EQ_INT(n, 5);
    CHECK_EQ_INT(w[3].start_us, 9845000);
    CHECK_EQ_INT(w[3].end_us, 9975000);
    c.paused = 1; /* pauses on both sides (190 and 125 ms): the whole "hmm" */
    CHECK_EQ_INT(ave_filler_apply(&w, &n, &c, 1, &r, &added), 0);
    CHECK_EQ_INT(added, 0);
    CHECK_EQ_INT(n, 3); /* "h" and "and" absorbed */
    if (n == 3) {
        CHECK(!strcmp(w[1].text, "m"));
        CHECK_EQ_INT(w[1].start_us, 9350000);
        CHECK_EQ_INT(w[1].end_us, 10010000);
        CHECK(w[0].end_us + 20000 <= w[1].start_us); /* clear of "project" */
        CHECK(w[1].end_us + 20000 <= w[2].start_us);  /* and of "on" */
        CHECK(!strcmp(w[2].text, "on"));
    }
    free(w);
}

/* Gap evidence is void next to speech the recogniser left out, except for
 * an island with real pauses: they separate it from the missing words. */
static void test_gap_void(void)
{
    size_t count = 0;
    double uh0, uh1, w0, w1;
    int16_t *pcm = make_audio(&count, &uh0, &uh1, &w0, &w1);
    ave_filler_frames fr;
    ave_filler_cand c;
    ave_word words[1];

    if (!pcm || ave_filler_frames_compute(pcm, count, RATE, &fr) < 0) {
        CHECK(0);
        free(pcm);
        return;
    }
    memset(&c, 0, sizeof(c));
    c.start_us = (int64_t)(uh0 * 1e6);
    c.end_us = (int64_t)(uh1 * 1e6);
    /* 1.2 s of syllables 0.4 s after the held vowel, no word for them. */
    CHECK(ave_filler_unexplained_us(&fr, NULL, 0, c.end_us + 50000, c.end_us + 1500000) >
          500000);
    CHECK_EQ_INT(ave_filler_gap_void(&fr, NULL, 0, &c), 1);
    c.island = 1; /* an island whose "pauses" may be closures: still void */
    CHECK_EQ_INT(ave_filler_gap_void(&fr, NULL, 0, &c), 1);
    c.paused = 1; /* its pauses are real: exempt */
    CHECK_EQ_INT(ave_filler_gap_void(&fr, NULL, 0, &c), 0);
    /* Recognised, the syllables explain themselves. */
    c.island = c.paused = 0;
    words[0] = word("syllables", w0, w1, 0);
    CHECK_EQ_INT(ave_filler_gap_void(&fr, words, 1, &c), 0);
    ave_filler_frames_free(&fr);
    free(pcm);
}

/* 0.5 s, a 150 ms held vowel, 0.5 s, a 450 ms held vowel, 0.5 s, in
 * white noise of amplitude noise_amp. */
static int16_t *two_vowels(size_t *n, double noise_amp)
{
    size_t len = (size_t)(2.1 * RATE), i = 0;
    int16_t *pcm = calloc(len, sizeof(*pcm));
    double ph = 0;
    if (!pcm)
        return NULL;
    for (; i < len; i++) {
        double t = (double)i / RATE, v = 0;
        if ((t >= 0.5 && t < 0.65) || (t >= 1.15 && t < 1.6))
            v = 3000 * vowel(0, 120, 600, 1200, &ph);
        pcm[i] = (int16_t)(v + noise_amp * noise());
    }
    *n = len;
    return pcm;
}

/* In noise an island must outlast a stressed vowel (200 ms at 15 dB SNR
 * or less, 80 ms when clean), and only pauses longer than a closure make
 * it "paused". */
static void test_noisy_islands(void)
{
    for (int noisy = 0; noisy <= 1; noisy++) {
        size_t n = 0, nc = 0;
        int16_t *pcm = two_vowels(&n, noisy ? 1500 : 20);
        ave_filler_frames fr;
        ave_filler_cand *c = NULL;
        int short_island = 0, long_island = 0, long_paused = 0;
        if (!pcm || ave_filler_frames_compute(pcm, n, RATE, &fr) < 0) {
            CHECK(0);
            free(pcm);
            return;
        }
        if (noisy)
            CHECK(fr.speech_db - fr.floor_db <= 15);
        else
            CHECK(fr.speech_db - fr.floor_db >= 35);
        CHECK_EQ_INT(ave_filler_acoustic(&fr, &c, &nc), 0);
        for (size_t i = 0; i < nc; i++) {
            double s = c[i].start_us / 1e6, e = c[i].end_us / 1e6;
            if (!c[i].island)
                continue;
            if (s < 0.65 && e > 0.5)
                short_island++;
            if (s < 1.6 && e > 1.15) {
                long_island++;
                long_paused += c[i].paused;
            }
        }
        CHECK_EQ_INT(short_island, noisy ? 0 : 1);
        CHECK_EQ_INT(long_island, 1);
        CHECK_EQ_INT(long_paused, 1); /* 0.5 s of quiet on both sides */
        free(c);
        ave_filler_frames_free(&fr);
        free(pcm);
    }
}

/* Noisier recordings need stronger evidence: 0.44 when clean, 0.70 at
 * 15 dB and below, linear in between. */
static void test_threshold_for_snr(void)
{
    ave_filler_rule r;
    ave_filler_rule_default(&r);
    CHECK_NEAR(ave_filler_threshold_for_snr(&r, 80), 0.44, 1e-6);
    CHECK_NEAR(ave_filler_threshold_for_snr(&r, 35), 0.44, 1e-6);
    CHECK_NEAR(ave_filler_threshold_for_snr(&r, 25), 0.57, 1e-6);
    CHECK_NEAR(ave_filler_threshold_for_snr(&r, 15), 0.70, 1e-6);
    CHECK_NEAR(ave_filler_threshold_for_snr(&r, 3), 0.70, 1e-6);
}

int main(void)
{
    test_fuse();
    test_threshold_for_snr();
    test_acoustic();
    test_apply();
    test_merge_and_gap();
    test_absorb_rules();
    test_widen_recognised();
    test_gap_void();
    test_noisy_islands();
    return CHECK_DONE();
}
