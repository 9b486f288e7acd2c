/* Steady voiced gaps (filler_steady.h): a held vowel keeps one spectral
 * shape, a word moves through several; and the confidence a steady voiced
 * gap gets (filler_detect.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "check.h"
#include "frames_fixture.h"
#include "speech/filler_steady.h"

#define NF 200
#define US(s) ((int64_t)((s)*1e6 + 0.5))
#define RATE 16000

static float energy[NF], voicing[NF], pitch[NF], flux[NF], cep[NF * AVE_FILLER_CEPS];

static ave_filler_frames frames(void)
{
    ave_filler_frames fr =
        fixture_frames(energy, voicing, pitch, flux, NF, -60.0f, 0.2f, 30.0f, 3.0f);
    memset(cep, 0, sizeof(cep));
    fr.cep = cep;
    return fr;
}

/* Frames [a, b) (frame indices) voiced at speech level with shape c0 in the
 * first coefficient and c1 in the second, plus a deterministic wobble of
 * +-w in every coefficient (noise). */
static void sound(int a, int b, float c0, float c1, float w)
{
    for (int f = a; f < b; f++) {
        energy[f] = -22.0f;
        voicing[f] = 0.9f;
        for (int k = 0; k < AVE_FILLER_CEPS; k++)
            cep[f * AVE_FILLER_CEPS + k] = ((f + k) % 2 ? w : -w);
        cep[f * AVE_FILLER_CEPS] += c0;
        cep[f * AVE_FILLER_CEPS + 1] += c1;
    }
}

static void test_held_vs_word(void)
{
    ave_filler_frames fr = frames();
    ave_gap_shape g;

    /* a held "uhhh": one shape, 1 unit of wobble per coefficient */
    sound(20, 60, 10.0f, -5.0f, 1.0f);
    CHECK_EQ_INT(ave_gap_shape_measure(&fr, US(0.20), US(0.60), &g), 0);
    CHECK_EQ_INT((int)g.frames, 40);
    CHECK_NEAR(g.on, 1.0, 1e-6);
    CHECK(g.spread < 3.0f);
    CHECK(ave_gap_shape_steady(&g));
    /* its onset (the next word's first 8 frames) inside the gap: the median
     * stays with the hum */
    sound(60, 68, -10.0f, 5.0f, 1.0f);
    CHECK_EQ_INT(ave_gap_shape_measure(&fr, US(0.20), US(0.68), &g), 0);
    CHECK_NEAR(g.on, 40.0 / 48.0, 1e-6);
    CHECK(ave_gap_shape_steady(&g));
    /* a word: three phones of equal length, each its own shape */
    sound(100, 113, 10.0f, -5.0f, 1.0f);
    sound(113, 126, 0.0f, 6.0f, 1.0f);
    sound(126, 139, -9.0f, -2.0f, 1.0f);
    CHECK_EQ_INT(ave_gap_shape_measure(&fr, US(1.00), US(1.39), &g), 0);
    CHECK_EQ_INT((int)g.frames, 39);
    CHECK(g.on < AVE_GAP_STEADY_MIN);
    CHECK(!ave_gap_shape_steady(&g));
    CHECK(g.spread > AVE_GAP_SHAPE_RADIUS);
}

/* Unvoiced or quiet frames do not count; too few voiced ones decide
 * nothing; no cepstra, nothing. */
static void test_frames_counted(void)
{
    ave_filler_frames fr = frames();
    ave_gap_shape g;

    sound(20, 40, 3.0f, 3.0f, 0.5f);
    for (int f = 20; f < 30; f++)
        voicing[f] = 0.4f; /* a fricative */
    for (int f = 30; f < 33; f++)
        energy[f] = -57.0f; /* 3 dB over the floor */
    CHECK_EQ_INT(ave_gap_shape_measure(&fr, US(0.20), US(0.40), &g), 0);
    CHECK_EQ_INT((int)g.frames, 7);
    CHECK_NEAR(g.on, 1.0, 1e-6);
    CHECK(!ave_gap_shape_steady(&g)); /* 70 ms held: too short for a hesitation */
    CHECK_EQ_INT(ave_gap_shape_measure(&fr, US(0.20), US(0.37), &g), 0);
    CHECK_EQ_INT((int)g.frames, 4);
    CHECK_NEAR(g.on, 0.0, 1e-6);
    CHECK(!ave_gap_shape_steady(&g));
    /* past the recording's end: clipped */
    CHECK_EQ_INT(ave_gap_shape_measure(&fr, US(1.95), US(2.50), &g), 0);
    CHECK_EQ_INT((int)g.frames, 0);
    fr.cep = NULL;
    CHECK_EQ_INT(ave_gap_shape_measure(&fr, US(0.20), US(0.40), &g), 0);
    CHECK_EQ_INT((int)g.frames, 0);
    CHECK(!ave_gap_shape_steady(&g));
    CHECK_EQ_INT(ave_gap_shape_measure(NULL, US(0.20), US(0.40), &g), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_gap_shape_measure(&fr, US(0.40), US(0.40), &g), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_gap_shape_measure(&fr, -1, US(0.40), &g), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_gap_shape_measure(&fr, US(0.20), US(0.40), NULL), AVE_ERR_USAGE);
    CHECK(!ave_gap_shape_steady(NULL));
}

/* The "uh" and "that" of mfa_cold_corpus3_spont (20.70-21.06 s): 13 voiced
 * frames, 10 of them on one shape, is not held long enough; 12 are. */
static void test_held_length(void)
{
    ave_filler_frames fr = frames();
    ave_gap_shape g;

    sound(20, 30, 4.0f, 4.0f, 0.5f);
    sound(30, 33, -8.0f, 6.0f, 0.5f);
    CHECK_EQ_INT(ave_gap_shape_measure(&fr, US(0.20), US(0.33), &g), 0);
    CHECK_NEAR(g.on, 10.0 / 13.0, 1e-6);
    CHECK(!ave_gap_shape_steady(&g));
    sound(30, 32, 4.0f, 4.0f, 0.5f);
    CHECK_EQ_INT(ave_gap_shape_measure(&fr, US(0.20), US(0.33), &g), 0);
    CHECK_NEAR(g.on, 12.0 / 13.0, 1e-6);
    CHECK(ave_gap_shape_steady(&g));
}

/* The voicing's end: dips of 2 frames bridged, 3 not; never past the
 * limit; nothing when the frame before the end is not voiced. */
static void test_voicing_end(void)
{
    ave_filler_frames fr = frames();

    sound(20, 50, 0.0f, 0.0f, 0.0f);
    CHECK_EQ_INT(ave_gap_voicing_end(&fr, US(0.40), US(1.0)), US(0.50));
    CHECK_EQ_INT(ave_gap_voicing_end(&fr, US(0.40), US(0.45)), US(0.45));
    energy[45] = energy[46] = -59.0f; /* under 2 dB over the floor */
    CHECK_EQ_INT(ave_gap_voicing_end(&fr, US(0.40), US(1.0)), US(0.50));
    energy[47] = -59.0f;
    CHECK_EQ_INT(ave_gap_voicing_end(&fr, US(0.40), US(1.0)), US(0.45));
    CHECK_EQ_INT(ave_gap_voicing_end(&fr, US(0.60), US(1.0)), US(0.60));
    CHECK_EQ_INT(ave_gap_voicing_end(NULL, US(0.40), US(1.0)), US(0.40));
}

/* The "uh" before "hopefully" (mfa_cold_corpus3_spont, 3.32-3.78 s): the
 * whole-filler fade took the quiet "h"; a filler cut on its shape alone ends
 * with its voicing. One the second pass confirmed, one under the cut, and
 * the recogniser's own fillers keep their ends. */
static void test_trim(void)
{
    ave_filler_frames fr = frames();
    ave_filler_cand c[1];
    ave_word w[3];

    sound(20, 52, 2.0f, 2.0f, 0.5f);  /* the "uh", its voicing to 0.52 s */
    sound(62, 90, -6.0f, 3.0f, 0.5f); /* "hopefully" after a quiet "h" */
    memset(c, 0, sizeof(c));
    memset(w, 0, sizeof(w));
    c[0].start_us = US(0.20);
    c[0].end_us = US(0.48);
    c[0].steady = 0.9f;
    c[0].realign = -1000.0f;
    c[0].confidence = 0.85f;
    w[0].start_us = US(0.18);
    w[0].end_us = US(0.61); /* faded up to 10 ms short of the onset */
    w[0].flags = AVE_WORD_FILLER | AVE_WORD_ACOUSTIC;
    w[1].start_us = US(0.62);
    w[1].end_us = US(0.90);
    CHECK_EQ_INT((int)ave_gap_steady_trim(w, 2, c, 1, &fr, 0.5f), 1);
    CHECK_EQ_INT(w[0].end_us, US(0.52));
    CHECK_EQ_INT(w[0].start_us, US(0.18));
    CHECK_EQ_INT(w[1].start_us, US(0.62));
    w[0].end_us = US(0.61);
    c[0].realign = 12.0f; /* the second pass confirmed it: its span stands */
    CHECK_EQ_INT((int)ave_gap_steady_trim(w, 2, c, 1, &fr, 0.5f), 0);
    c[0].realign = -1000.0f;
    CHECK_EQ_INT((int)ave_gap_steady_trim(w, 2, c, 1, &fr, 0.9f), 0); /* not cut */
    w[0].flags = AVE_WORD_FILLER;                                     /* the recogniser's */
    CHECK_EQ_INT((int)ave_gap_steady_trim(w, 2, c, 1, &fr, 0.5f), 0);
    CHECK_EQ_INT(w[0].end_us, US(0.61));
    CHECK_EQ_INT((int)ave_gap_steady_trim(NULL, 2, c, 1, &fr, 0.5f), 0);
}

/* A vowel made of 120 Hz harmonics under two formant resonances. */
static void vowel(int16_t *pcm, size_t a, size_t b, double f1, double f2)
{
    for (size_t i = a; i < b; i++) {
        double t = (double)i / RATE, x = 0;
        for (int h = 1; h * 120.0 < 4000.0; h++) {
            double f = h * 120.0;
            double g =
                1.0 / (1.0 + pow((f - f1) / 90.0, 2)) + 0.6 / (1.0 + pow((f - f2) / 120.0, 2));
            x += g * sin(2 * M_PI * f * t);
        }
        pcm[i] = (int16_t)(3000.0 * x);
    }
}

/* Through ave_filler_frames_compute: a held "ah" is steady; "ee-ah-oo"
 * (three vowels of 130 ms, a word's phones at their most alike) is not. */
static void test_from_audio(void)
{
    size_t n = RATE * 2;
    int16_t *pcm = calloc(n, sizeof(*pcm));
    ave_filler_frames fr;
    ave_gap_shape g;

    CHECK(pcm != NULL);
    if (!pcm)
        return;
    /* a little noise everywhere, for a floor */
    for (size_t i = 0; i < n; i++)
        pcm[i] = (int16_t)((int)((i * 7919u) % 61u) - 30);
    vowel(pcm, RATE / 5, RATE * 3 / 5, 700, 1200);   /* "ah", 0.2-0.6 s */
    vowel(pcm, RATE, RATE + 2080, 300, 2300);        /* "ee", 1.00-1.13 s */
    vowel(pcm, RATE + 2080, RATE + 4160, 700, 1200); /* "ah", 1.13-1.26 s */
    vowel(pcm, RATE + 4160, RATE + 6240, 300, 800);  /* "oo", 1.26-1.39 s */
    CHECK_EQ_INT(ave_filler_frames_compute(pcm, n, RATE, &fr), 0);
    CHECK(fr.cep != NULL);
    CHECK_EQ_INT(ave_gap_shape_measure(&fr, US(0.20), US(0.60), &g), 0);
    CHECK(g.frames >= 35);
    CHECK(ave_gap_shape_steady(&g));
    CHECK_EQ_INT(ave_gap_shape_measure(&fr, US(1.00), US(1.39), &g), 0);
    CHECK(g.frames >= 30);
    CHECK(!ave_gap_shape_steady(&g));
    ave_filler_frames_free(&fr);
    free(pcm);
}

static ave_filler_cand gap(double s, double e, float steady)
{
    ave_filler_cand c;
    memset(&c, 0, sizeof(c));
    c.start_us = US(s);
    c.end_us = US(e);
    c.island = 1;
    c.bounded = 1;
    c.gap = 1;
    c.level_db = -3;
    c.voiced = 0.8f;
    c.realign = -1000.0f; /* not decoded */
    c.steady = steady;
    return c;
}

/* The real set's voiced gaps (docs/SPEECH.md, "Steady voiced gaps"). */
static void test_confidence(void)
{
    const float t = 0.69f;
    ave_filler_cand c = gap(14.59, 14.93, 0.94f); /* "um" of mfa_cold_corpus3_spont */

    CHECK_NEAR(ave_filler_confidence(&c, t), AVE_FILLER_CONF_REALIGN, 1e-6);
    c = gap(11.86, 12.06, 0.60f); /* "also" of mfa_cold_corpus_spont, left out */
    CHECK_NEAR(ave_filler_confidence(&c, t), AVE_FILLER_CONF_VOICED_GAP, 1e-6);
    /* the second pass's length limit (0.8 s) does not apply: the shape does
     * not lean towards hesitations as a gap grows */
    c = gap(4.95, 5.98, 0.81f);
    CHECK_NEAR(ave_filler_confidence(&c, t), AVE_FILLER_CONF_REALIGN, 1e-6);
    /* a voiced gap's other conditions still hold: 1.1 s at most, at speech
     * level, the recogniser wrote nothing there */
    c = gap(4.00, 5.20, 0.95f);
    CHECK(ave_filler_confidence(&c, t) < AVE_FILLER_CONF_VOICED_GAP);
    c = gap(4.00, 4.40, 0.95f);
    c.level_db = -20;
    CHECK(ave_filler_confidence(&c, t) < AVE_FILLER_CONF_VOICED_GAP);
    c = gap(4.00, 4.40, 0.95f);
    c.gap = 0.5f;
    CHECK(ave_filler_confidence(&c, t) < AVE_FILLER_CONF_VOICED_GAP);
}

int main(void)
{
    test_held_vs_word();
    test_frames_counted();
    test_held_length();
    test_voicing_end();
    test_trim();
    test_from_audio();
    test_confidence();
    return CHECK_DONE();
}
