/* Held sounds the recogniser wrote as words (filler_held.h): the shape of a
 * word's phone alignment, the pitch and spectrum over its longest phone,
 * and the rule that turns them into a confidence. */
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "check.h"
#include "frames_fixture.h"
#include "word_fixture.h"
#include "speech/filler_held.h"

#define NF 200 /* 2 s of 10 ms frames */

static float energy[NF], voicing[NF], pitch[NF], flux[NF];

/* Frames of steady voiced sound at 10 semitones, flux 1 dB; then frames
 * [a, b) changed by set(). */
static ave_filler_frames frames(void)
{
    return fixture_frames(energy, voicing, pitch, flux, NF, -20.0f, 0.9f, 10.0f, 1.0f);
}

static ave_realign_phone phone(const char *name, double s, double e)
{
    ave_realign_phone p;
    memset(&p, 0, sizeof(p));
    snprintf(p.name, sizeof(p.name), "%s", name);
    p.start_us = (int64_t)(s * 1e6 + 0.5);
    p.end_us = (int64_t)(e * 1e6 + 0.5);
    return p;
}

static ave_word word(const char *t, double s, double e, float conf, unsigned flags)
{
    return fixture_word(t, s, e, conf, flags);
}

/* "amen" over a held "um": AA takes 0.40 of 0.49 s, the rest 30 ms each
 * (the decoder's 3-frame minimum). */
static void test_measure_squeezed(void)
{
    ave_filler_frames fr = frames();
    ave_realign_phone ph[4] = {phone("AA", 0.50, 0.90), phone("M", 0.90, 0.93),
                               phone("EH", 0.93, 0.96), phone("N", 0.96, 0.99)};
    ave_held_features f;

    CHECK_EQ_INT(ave_held_measure(ph, 4, &fr, &f), 0);
    CHECK_EQ_INT(f.phones, 4);
    CHECK_EQ_INT(f.span_us, 490000);
    CHECK_EQ_INT(f.held_us, 400000);
    CHECK(!strcmp(f.held, "AA"));
    CHECK_NEAR(f.share, 400.0 / 490.0, 1e-4);
    CHECK_NEAR(f.others_us, 30000.0, 1e-3);
    CHECK_EQ_INT(f.sonorant, 1);
    CHECK_NEAR(f.flat, 1.0, 1e-6);
    CHECK_NEAR(f.flux_db, 1.0, 1e-6);
}

/* Pitch and spectrum over the held phone only: a glide or unvoiced frames
 * there lower flat, flux elsewhere does not count. */
static void test_measure_pitch_flux(void)
{
    ave_filler_frames fr = frames();
    ave_realign_phone ph[2] = {phone("S", 0.20, 0.30), phone("OW", 0.30, 0.70)};
    ave_held_features f;

    for (size_t i = 20; i < 30; i++)
        flux[i] = 9.0f; /* the S: not the held phone */
    for (size_t i = 60; i < 70; i++)
        pitch[i] = 10.0f + 0.5f * (float)(i - 59); /* a rising glide */
    for (size_t i = 30; i < 40; i++)
        voicing[i] = 0.1f; /* unvoiced start */
    CHECK_EQ_INT(ave_held_measure(ph, 2, &fr, &f), 0);
    CHECK(!strcmp(f.held, "OW"));
    CHECK_NEAR(f.flux_db, 1.0, 1e-6);
    /* 40 frames: 10 unvoiced, 20 steady, the glide's first 3 within
     * 1.5 semitones of the median (10.0) -> 23 of 40 */
    CHECK_NEAR(f.flat, 23.0 / 40.0, 1e-4);
    CHECK_EQ_INT(f.sonorant, 1);
    CHECK_NEAR(f.others_us, 100000.0, 1e-3);

    /* A fricative held is no hesitation. */
    ph[0] = phone("S", 0.20, 0.60);
    ph[1] = phone("OW", 0.60, 0.70);
    CHECK_EQ_INT(ave_held_measure(ph, 2, &fr, &f), 0);
    CHECK_EQ_INT(f.sonorant, 0);
    CHECK_NEAR(ave_held_confidence(&f), 0.0, 1e-6);
}

static void test_measure_bad(void)
{
    ave_filler_frames fr = frames();
    ave_realign_phone ph[2] = {phone("AH", 0.2, 0.2), phone("M", 0.2, 0.3)};
    ave_held_features f;

    CHECK_EQ_INT(ave_held_measure(ph, 0, &fr, &f), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_held_measure(ph, 2, &fr, &f), AVE_ERR_USAGE);
    /* Past the end of the frames: measured on what there is. */
    ph[0] = phone("AH", 1.8, 2.4);
    CHECK_EQ_INT(ave_held_measure(ph, 1, &fr, &f), 0);
    CHECK_NEAR(f.flux_db, 1.0, 1e-6);
}

/* Only recognised real words the recogniser was unsure of, long enough to
 * hold a hesitation, are aligned. */
static void test_wanted(void)
{
    ave_word w = word("amen", 1.0, 1.5, 0.3f, 0);

    CHECK(ave_held_wanted(&w));
    w.confidence = 0.95f;
    CHECK(!ave_held_wanted(&w));
    w = word("be", 1.0, 1.1, 0.3f, 0);
    CHECK(!ave_held_wanted(&w));
    w = word("um", 1.0, 1.5, 0.3f, AVE_WORD_FILLER);
    CHECK(!ave_held_wanted(&w));
    w = word("[hesitation]", 1.0, 1.5, 0.45f, AVE_WORD_SUGGESTED | AVE_WORD_ACOUSTIC);
    CHECK(!ave_held_wanted(&w));
    w = word("something", 1.0, 3.0, 0.3f, 0);
    CHECK(!ave_held_wanted(&w));
}

static ave_held_features held(const char *name, double ms, float flat, float flux_db)
{
    ave_realign_phone ph[1] = {phone(name, 1.0, 1.0 + ms / 1000.0)};
    ave_held_features f;
    ave_filler_frames fr = frames();

    for (size_t i = 0; i < NF; i++)
        flux[i] = flux_db;
    CHECK_EQ_INT(ave_held_measure(ph, 1, &fr, &f), 0);
    f.flat = flat;
    return f;
}

/* The rule, on the real set's cases (docs/SPEECH.md, "Held words"). */
static void test_confidence(void)
{
    ave_held_features f;

    f = held("N", 630, 1.0f, 1.47f); /* "amen" over a held "um" */
    CHECK_NEAR(ave_held_confidence(&f), 0.85, 1e-6);
    f = held("M", 230, 1.0f, 1.45f); /* "i'm" over an "um" */
    CHECK_NEAR(ave_held_confidence(&f), 0.85, 1e-6);
    f = held("NG", 200, 0.8f, 2.0f); /* at every threshold */
    CHECK_NEAR(ave_held_confidence(&f), 0.85, 1e-6);
    f = held("N", 220, 0.41f, 2.07f); /* the real "one" of mfa_clip_surround */
    CHECK_NEAR(ave_held_confidence(&f), 0.0, 1e-6);
    f = held("M", 190, 1.0f, 1.0f); /* a nasal a word can have */
    CHECK_NEAR(ave_held_confidence(&f), 0.0, 1e-6);
    f = held("M", 400, 1.0f, 2.5f); /* changing spectrum */
    CHECK_NEAR(ave_held_confidence(&f), 0.0, 1e-6);
    f = held("AH", 650, 1.0f, 1.0f); /* a drawn-out "and": a word */
    CHECK_NEAR(ave_held_confidence(&f), 0.0, 1e-6);
}

/* The hesitation's phones: the held one and the vowels and nasals next to it. */
static void test_run(void)
{
    ave_realign_phone sitcom[6] = {phone("S", 5.42, 5.50),  phone("IH", 5.50, 5.60),
                                   phone("T", 5.60, 5.70),  phone("K", 5.70, 5.80),
                                   phone("AA", 5.80, 6.10), phone("M", 6.10, 6.50)};
    ave_realign_phone month[4] = {phone("M", 2.12, 2.37), phone("AH", 2.37, 2.45),
                                  phone("N", 2.45, 2.55), phone("TH", 2.55, 2.67)};
    ave_realign_phone amen[4] = {phone("AA", 3.73, 3.80), phone("M", 3.80, 3.90),
                                 phone("EH", 3.90, 4.00), phone("N", 4.00, 4.63)};
    size_t a, b;

    ave_held_run(sitcom, 6, 5, &a, &b);
    CHECK_EQ_INT(a, 4);
    CHECK_EQ_INT(b, 5);
    ave_held_run(month, 4, 0, &a, &b);
    CHECK_EQ_INT(a, 0);
    CHECK_EQ_INT(b, 2);
    ave_held_run(amen, 4, 3, &a, &b);
    CHECK_EQ_INT(a, 0);
    CHECK_EQ_INT(b, 3);
}

/* The word is replaced, or keeps its own phones beside the filler. */
static void test_split(void)
{
    ave_realign_phone im[2] = {phone("AY", 6.30, 6.43), phone("M", 6.43, 6.66)};
    ave_realign_phone sitcom[6] = {phone("S", 5.42, 5.50),  phone("IH", 5.50, 5.60),
                                   phone("T", 5.60, 5.70),  phone("K", 5.70, 5.80),
                                   phone("AA", 5.80, 6.10), phone("M", 6.10, 6.50)};
    ave_realign_phone month[4] = {phone("M", 2.12, 2.37), phone("AH", 2.37, 2.45),
                                  phone("N", 2.45, 2.55), phone("TH", 2.55, 2.67)};
    ave_word w = word("i'm", 6.275, 6.665, 0.68f, 0), out[2];

    CHECK_EQ_INT(ave_held_split(&w, im, 2, 0, 1, 0.85f, 1, out), 1);
    CHECK(!strcmp(out[0].text, "[hesitation]"));
    CHECK_EQ_INT(out[0].flags, AVE_WORD_FILLER | AVE_WORD_ACOUSTIC);
    CHECK_EQ_INT(out[0].start_us, 6275000);
    CHECK_EQ_INT(out[0].end_us, 6665000);
    CHECK_NEAR(out[0].confidence, 0.85, 1e-6);
    CHECK_NEAR(out[0].filler_score, 0.85, 1e-6);

    /* The held "m" at the end of "sitcom": the "sitc" is the "but" before it. */
    w = word("sitcom", 5.415, 6.545, 0.59f, 0);
    CHECK_EQ_INT(ave_held_split(&w, sitcom, 6, 4, 5, 0.85f, 1, out), 2);
    CHECK(!strcmp(out[0].text, "sitcom"));
    CHECK_EQ_INT(out[0].start_us, 5415000);
    CHECK_EQ_INT(out[0].end_us, 5800000);
    CHECK_EQ_INT(out[0].flags, 0);
    CHECK_NEAR(out[0].confidence, 0.59, 1e-6);
    CHECK(!strcmp(out[1].text, "[hesitation]"));
    CHECK_EQ_INT(out[1].start_us, 5800000);
    CHECK_EQ_INT(out[1].end_us, 6545000);

    /* At the start, and below the cut threshold: a suggestion. */
    w = word("month", 2.125, 2.665, 0.74f, 0);
    CHECK_EQ_INT(ave_held_split(&w, month, 4, 0, 2, 0.45f, 0, out), 2);
    CHECK_EQ_INT(out[0].flags, AVE_WORD_SUGGESTED | AVE_WORD_ACOUSTIC);
    CHECK_EQ_INT(out[0].start_us, 2125000);
    CHECK_EQ_INT(out[0].end_us, 2550000);
    CHECK(!strcmp(out[1].text, "month"));
    CHECK_EQ_INT(out[1].start_us, 2550000);
    CHECK_EQ_INT(out[1].end_us, 2665000);

    /* Phones of the word on both sides, or a bad run: nothing. */
    CHECK_EQ_INT(ave_held_split(&w, month, 4, 1, 2, 0.85f, 1, out), 0);
    CHECK_EQ_INT(ave_held_split(&w, month, 4, 2, 4, 0.85f, 1, out), 0);
    CHECK_EQ_INT(ave_held_split(&w, month, 0, 0, 0, 0.85f, 1, out), 0);
}

/* "all lion" of mfa_clip_internalsil: joined, 0 ms apart; a filler or a
 * suggestion between does not count, a 20 ms break does. */
static void test_joined(void)
{
    ave_word w[4] = {word("all", 7.13, 7.325, 0.89f, 0), word("lion", 7.325, 8.525, 0.11f, 0),
                     word("um", 8.6, 8.9, 0.5f, AVE_WORD_FILLER), word("but", 8.9, 9.2, 0.1f, 0)};

    CHECK(!ave_held_joined_before(w, 0));
    CHECK(ave_held_joined_before(w, 1));
    CHECK(!ave_held_joined_before(w, 3));
    w[3].start_us = 8545000 - 1;
    CHECK(ave_held_joined_before(w, 3));
    w[3].start_us = 8545000;
    CHECK(!ave_held_joined_before(w, 3));
}

int main(void)
{
    test_joined();
    test_split();
    test_confidence();
    test_run();
    test_wanted();
    test_measure_squeezed();
    test_measure_pitch_flux();
    test_measure_bad();
    return CHECK_DONE();
}
