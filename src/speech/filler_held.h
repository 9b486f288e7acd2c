/* Held sounds the recogniser wrote as words (docs/SPEECH.md, "Held
 * words"): a hesitant speaker's "ummm" comes out of PocketSphinx as "amen",
 * "come" or "i'm", a long "uhhh" as "a" or "be". A real word's phones each
 * take about their usual length; a hesitation forced into a word's phones
 * puts one held vowel or nasal over most of the span and squeezes the
 * word's other phones to the decoder's minimum (3 frames). So the word's own
 * phones are aligned over its span (the second-pass decoder, one phone per
 * grammar word) and the shape of that alignment, with the pitch and
 * spectrum over the held phone, decides. */
#ifndef AVE_SPEECH_FILLER_HELD_H
#define AVE_SPEECH_FILLER_HELD_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"
#include "speech/filler_detect.h"
#include "speech/filler_realign.h"

/* What the alignment of a word's phones over its span looks like. */
typedef struct ave_held_features {
    int phones;      /* how many the word has */
    int64_t span_us; /* the phones' total */
    int64_t held_us; /* the longest phone */
    char held[8];    /* its name ("AH") */
    int held_index;  /* its place among the phones */
    float share;     /* held_us / span_us */
    float others_us; /* mean length of the other phones (0 with one phone) */
    int sonorant;    /* the held phone is a vowel, a nasal, L, R or ER */
    int nasal;       /* the held phone is M, N or NG */
    float flat;      /* share of the held phone's frames voiced, audible and
                        within 1.5 semitones of their median pitch */
    float flux_db;   /* mean spectral flux over the held phone */
} ave_held_features;

/* Measure the alignment ph[0..n) (times in us, in order) against the frame
 * features fr. Returns 0, or AVE_ERR_USAGE when n is 0 or a phone is
 * empty. */
int ave_held_measure(const ave_realign_phone *ph, size_t n, const ave_filler_frames *fr,
                     ave_held_features *out);

/* The calibrated confidence that a word with these features is a held
 * hesitation: a nasal held 200 ms or more on one pitch (flat >= 0.8) and
 * one spectrum (flux <= 2 dB) gives 0.85, anything else 0
 * (docs/SPEECH.md, the table of "Held words"). */
float ave_held_confidence(const ave_held_features *f);

/* The phones ph[*first..*last] of the hesitation around the held phone h:
 * it and the vowels and nasals (sonorants) next to it on either side. */
void ave_held_run(const ave_realign_phone *ph, size_t n, size_t h, size_t *first, size_t *last);

/* 1 for a word worth aligning: a recognised real word (no filler,
 * suggested or acoustic flag), long enough to hold a hesitation, that the
 * recogniser was not sure of. */
int ave_held_wanted(const ave_word *w);

/* Word w with phones ph[0..n) whose phones [a, b] are a hesitation at
 * confidence conf: out[0..return) replace it in order. The whole word
 * becomes "[hesitation]" (AVE_WORD_ACOUSTIC, with AVE_WORD_FILLER when
 * cut, else AVE_WORD_SUGGESTED; filler_score and confidence = conf) when
 * the run is all of it; else the word keeps its other phones and the
 * filler takes the rest of its span. 0 (nothing written) when phones of
 * the word are on both sides: a word is not split in three. */
size_t ave_held_split(const ave_word *w, const ave_realign_phone *ph, size_t n, size_t a, size_t b,
                      float conf, int cut, ave_word out[2]);

/* 1 when the real word before w[i] (fillers, suggestions and acoustic
 * words skipped) ends less than 20 ms before w[i] starts: the recogniser
 * heard the two as connected speech. */
int ave_held_joined_before(const ave_word *w, size_t i);

/* For every ave_held_wanted word of (*words)[0..*n), align its phones over
 * its span (r; NULL: nothing is done) and score it. At review or above,
 * the hesitation's phones (ave_held_run) become a filler or a suggestion
 * (ave_held_split, cut when the confidence is cut or above), unless they
 * start the word and it is joined to the word before
 * (ave_held_joined_before). *words is
 * replaced (stays sorted);
 * *cut_n and *suggested_n count the fillers and suggestions. Returns 0,
 * AVE_ERR_NOMEM (words unchanged) or the decoder's error. */
int ave_filler_held_check(ave_filler_realign *r, const int16_t *pcm, size_t count, int rate,
                          const ave_filler_frames *fr, ave_word **words, size_t *n, float cut,
                          float review, size_t *cut_n, size_t *suggested_n);

#endif
