/* Is a voiced gap one held sound? (docs/SPEECH.md, "Steady voiced gaps").
 * A voiced gap is sound the recogniser wrote nothing for, said at speech
 * level: on real speech a filler, a word it left out, or a breath. A
 * hesitation holds one vowel or nasal ("uhhh", "mmm"): its spectral shape,
 * the formants, stays put; a word moves through several phones. Pure
 * measurements over the frames of filler_frames.c. */
#ifndef AVE_SPEECH_FILLER_STEADY_H
#define AVE_SPEECH_FILLER_STEADY_H

#include <stddef.h>
#include <stdint.h>

#include "speech/filler_detect.h"

/* A frame is "on" the gap's sound when its cepstrum (fr->cep) lies within
 * this distance of the gap's median cepstrum. */
#define AVE_GAP_SHAPE_RADIUS 4.0f
/* A voiced gap is one held sound when this share of its voiced frames is on
 * it (real set: fillers 0.14-0.94, left-out words 0-0.60, docs/SPEECH.md)
 * and they last AVE_GAP_HELD_MIN_US or more: a 130 ms gap of which 100 ms
 * were on its shape was an "uh" and the start of "that". */
#define AVE_GAP_STEADY_MIN 0.7f
#define AVE_GAP_HELD_MIN_US 120000

typedef struct ave_gap_shape {
    size_t frames;                 /* voiced (>= 0.6) frames 6 dB or more over the floor */
    float median[AVE_FILLER_CEPS]; /* their median cepstrum, per coefficient */
    float on;                      /* share of them within AVE_GAP_SHAPE_RADIUS of it, 0..1 */
    float spread;                  /* RMS distance of them from it */
} ave_gap_shape;

/* Measures [start_us, end_us) of fr into *out. Fewer than 5 voiced frames
 * give on 0; frames without cepstra (fr->cep NULL) give frames and on 0.
 * Returns 0, AVE_ERR_USAGE (NULL, negative or empty span), or
 * AVE_ERR_NOMEM. */
int ave_gap_shape_measure(const ave_filler_frames *fr, int64_t start_us, int64_t end_us,
                          ave_gap_shape *out);

/* 1 when the shape says one held sound: on >= AVE_GAP_STEADY_MIN over at
 * least AVE_GAP_HELD_MIN_US of frames. */
int ave_gap_shape_steady(const ave_gap_shape *s);

/* Where the voicing that reaches end_us ends: frames voiced (>= 0.6) and
 * 2 dB or more over the floor, dips of up to 2 frames bridged, never past
 * limit_us. end_us when the frame before it is not voiced. */
int64_t ave_gap_voicing_end(const ave_filler_frames *fr, int64_t end_us, int64_t limit_us);

/* A filler cut on its shape alone (c->steady at the rule, no second-pass
 * confirmation, confidence >= cut) ends with its voicing: the end of each acoustic filler word
 * of w over such a candidate is brought back to ave_gap_voicing_end from
 * the candidate's end, if the whole-filler fade took it further (before a
 * quiet "h" the fade took 50 ms of "hopefully"). Returns how many moved. */
size_t ave_gap_steady_trim(ave_word *w, size_t n, const ave_filler_cand *cands, size_t ncand,
                           const ave_filler_frames *fr, float cut);

#endif
