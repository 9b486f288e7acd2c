/* Whole fillers (filler_whole.h): where a filler's sound ends, from the
 * voicing, level and pitch of its frames, and the guard against the words
 * around it. */
#include <string.h>

#include "check.h"
#include "frames_fixture.h"
#include "word_fixture.h"
#include "speech/filler_whole.h"

#define NF 300 /* 3 s of 10 ms frames */
#define US(s) ((int64_t)((s)*1e6 + 0.5))

static float energy[NF], voicing[NF], pitch[NF], flux[NF];

/* Silence at the floor (-60 dB), unvoiced. */
static ave_filler_frames frames(void)
{
    return fixture_frames(energy, voicing, pitch, flux, NF, -60.0f, 0.2f, 30.0f, 3.0f);
}

/* Frames [a, b) s: voiced hum starting at p0 semitones, gliding by dp per frame. */
static void hum(double a, double b, float p0, float dp)
{
    for (int f = (int)(a * 100 + 0.5), k = 0; f < (int)(b * 100 + 0.5); f++, k++) {
        energy[f] = -25.0f;
        voicing[f] = 0.9f;
        pitch[f] = p0 + dp * (float)k;
    }
}

static void set(double a, double b, float e_db, float v, float p)
{
    for (int f = (int)(a * 100 + 0.5); f < (int)(b * 100 + 0.5); f++) {
        energy[f] = e_db;
        voicing[f] = v;
        pitch[f] = p;
    }
}

/* The "amen" of mfa_clip_um: the hum goes on 150 ms past the word, rising
 * 7.6 -> 9 st, then an audible unvoiced frame (the next word's consonant). */
static void test_voicing_tail(void)
{
    ave_filler_frames fr = frames();
    hum(0.50, 1.20, 7.6f, 0.0f);
    hum(1.20, 1.35, 7.6f, 0.1f);
    set(1.35, 1.50, -30.0f, 0.3f, 30.0f);
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.20), 1, US(2.0), US(0.3)), US(1.35));
    /* an unvoiced dip of 20 ms inside the hum does not end it; 30 ms does */
    set(1.25, 1.27, -58.0f, 0.3f, 30.0f);
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.20), 1, US(2.0), US(0.3)), US(1.35));
    set(1.25, 1.28, -58.0f, 0.3f, 30.0f);
    /* the voicing ends at 1.25; 1.28 is an onset after its fade: 10 ms short */
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.20), 1, US(2.0), US(0.3)), US(1.27));
}

/* The "um" of mfa_cold_corpus_spont: the word ends in its fade, 70 ms of
 * floor, then the next word's voiced onset. */
static void test_fade_to_onset(void)
{
    ave_filler_frames fr = frames();
    hum(0.50, 1.00, 5.0f, 0.0f);
    set(0.95, 1.00, -57.0f, 0.4f, 30.0f); /* the word's own last frames fade */
    set(1.07, 1.20, -57.5f, 0.9f, 6.5f);  /* voiced 2.5 dB over the floor */
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.00), 1, US(2.0), US(0.3)), US(1.06));
    /* 110 ms of fade (as the cold "um") is still a fade; 160 ms is a pause:
     * nothing is added */
    set(1.07, 1.20, -60.0f, 0.2f, 30.0f);
    set(1.11, 1.20, -57.5f, 0.9f, 6.5f);
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.00), 1, US(2.0), US(0.3)), US(1.10));
    set(1.07, 1.20, -60.0f, 0.2f, 30.0f);
    set(1.16, 1.20, -57.5f, 0.9f, 6.5f);
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.00), 1, US(2.0), US(0.3)), US(1.00));
    /* a voiced frame 1.5 dB over the floor is still the fade */
    set(1.07, 1.20, -58.5f, 0.9f, 6.5f);
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.00), 1, US(2.0), US(0.3)), US(1.00));
}

/* The "uh" over "our team" of the generated corpus at 20 dB: the hum ends,
 * 70 ms of quiet, then the unvoiced burst of "t": the quiet is the stop's
 * closure, part of the next word, so the edge stays. */
static void test_unvoiced_onset(void)
{
    ave_filler_frames fr = frames();
    hum(0.50, 1.00, 11.5f, 0.0f);
    set(1.07, 1.12, -45.0f, 0.2f, 20.0f);
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.00), 1, US(2.0), US(0.3)), US(1.00));
    set(1.07, 1.12, -45.0f, 0.9f, 11.0f); /* voiced: the fade is the filler's */
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.00), 1, US(2.0), US(0.3)), US(1.06));
}

/* Another pitch right after the hum is the next word: the edge stays. */
static void test_pitch_jump(void)
{
    ave_filler_frames fr = frames();
    hum(0.50, 1.00, 8.0f, 0.0f);
    hum(1.00, 1.30, 11.0f, 0.0f);
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.00), 1, US(2.0), US(0.3)), US(1.00));
    /* an octave error is not a continuation either */
    hum(1.00, 1.30, 8.0f + 12.0f, 0.0f);
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.00), 1, US(2.0), US(0.3)), US(1.00));
}

/* The limit (the guard before the next word) and the longest step. */
static void test_limits(void)
{
    ave_filler_frames fr = frames();
    hum(0.50, 2.50, 8.0f, 0.0f);
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.00), 1, US(1.155), US(0.3)), US(1.155));
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.00), 1, US(2.0), US(0.3)), US(1.30));
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.00), 1, US(1.00), US(0.3)), US(1.00));
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.00), 1, US(0.90), US(0.3)), US(1.00));
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(1.00), 0, US(2.0), US(0.3)), US(1.00));
    CHECK_EQ_INT(ave_filler_sound_edge(NULL, US(1.00), 1, US(2.0), US(0.3)), US(1.00));
    /* the hum runs to the recording's end */
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(2.90), 1, US(3.5), US(0.3)), US(2.90));
}

/* The onset side mirrors the end: the hum started 80 ms before the word. */
static void test_onset(void)
{
    ave_filler_frames fr = frames();
    hum(0.42, 1.00, 8.0f, 0.0f);
    set(0.30, 0.42, -30.0f, 0.9f, 14.0f); /* the word before, voiced at another pitch */
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(0.50), -1, US(0.0), US(0.3)), US(0.42));
    /* its fade: 0.34-0.42 quiet, the onset (end of the word before) 10 ms clear */
    set(0.34, 0.42, -58.0f, 0.2f, 30.0f);
    hum(0.42, 1.00, 8.0f, 0.0f);
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(0.50), -1, US(0.0), US(0.3)), US(0.35));
    /* quiet up to the guard: the onset is not seen, the edge stays */
    CHECK_EQ_INT(ave_filler_sound_edge(&fr, US(0.50), -1, US(0.38), US(0.3)), US(0.42));
}

/* Only the detector's own fillers move, only their end, never closer than
 * the guard to the next word. */
static void test_make_whole(void)
{
    ave_filler_frames fr = frames();
    ave_word w[5];
    hum(0.60, 1.40, 8.0f, 0.0f);
    hum(1.90, 2.60, 8.0f, 0.0f);
    w[0] = fixture_word("so", 0.20, 0.55, 0.9f, 0);
    w[1] = fixture_word("[hesitation]", 0.70, 1.20, 0.85f, AVE_WORD_FILLER | AVE_WORD_ACOUSTIC);
    w[2] = fixture_word("this", 1.30, 1.50, 0.9f, 0);
    w[3] = fixture_word("um", 2.00, 2.20, 0.9f, AVE_WORD_FILLER);
    w[4] = fixture_word("is", 2.60, 2.80, 0.9f, 0);
    CHECK_EQ_INT((int)ave_filler_make_whole(w, 5, &fr, 20000, 300000), 1);
    CHECK_EQ_INT(w[1].start_us, US(0.70)); /* the onset stays */
    CHECK_EQ_INT(w[1].end_us, US(1.28));   /* the hum, up to the guard */
    CHECK_EQ_INT(w[0].end_us, US(0.55));
    CHECK_EQ_INT(w[2].start_us, US(1.30));
    CHECK_EQ_INT(w[3].end_us, US(2.20)); /* the recogniser's own: left */
    w[1].flags |= AVE_WORD_MUTED;
    w[1].end_us = US(1.20);
    CHECK_EQ_INT((int)ave_filler_make_whole(w, 5, &fr, 20000, 300000), 0);
    CHECK_EQ_INT(w[1].end_us, US(1.20));
    /* the last word runs to the recording's end at most */
    w[4] = fixture_word("[hesitation]", 2.60, 2.95, 0.85f, AVE_WORD_FILLER | AVE_WORD_ACOUSTIC);
    hum(2.60, 3.00, 8.0f, 0.0f);
    CHECK_EQ_INT((int)ave_filler_make_whole(w, 5, &fr, 20000, 300000), 1);
    CHECK_EQ_INT(w[4].end_us, US(3.00));
    CHECK_EQ_INT((int)ave_filler_make_whole(NULL, 4, &fr, 20000, 300000), 0);
}

int main(void)
{
    test_voicing_tail();
    test_fade_to_onset();
    test_unvoiced_onset();
    test_pitch_jump();
    test_limits();
    test_onset();
    test_make_whole();
    return CHECK_DONE();
}
