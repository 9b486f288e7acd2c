/* Stutter and restart detection on recognised words: immediate repetitions
 * ("the the", "I I I", a truncated "th- the") and restarted phrases ("we went
 * to the- we went to the store", "I think we- I think that"). The EARLIER
 * copy is flagged AVE_WORD_STUTTER; the last copy, the one the speaker
 * finished, is the one kept. Pure functions, unit-tested in
 * tests/unit/test_stutter.c; the rules are listed in docs/SPEECH.md. */
#ifndef AVE_SPEECH_STUTTER_H
#define AVE_SPEECH_STUTTER_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

typedef struct ave_stutter_params {
    int64_t max_gap_us;     /* copies further apart than this (1 s) are not a stutter */
    int64_t restart_gap_us; /* a pause this long (120 ms) before the repeat marks a restart */
    int max_ngram;          /* longest earlier copy of a restart, in words (4) */
} ave_stutter_params;

void ave_stutter_params_default(ave_stutter_params *p);

/* 1 when a word is commonly doubled on purpose ("that that", "had had",
 * "very very", "no no", numbers): such a pair is a stutter only when the
 * word comes three times or more in a row or a filler separates the copies. */
int ave_stutter_legit_double(const char *word);

/* Flag AVE_WORD_STUTTER on the earlier copies of repetitions and restarts in
 * w[0..n) (sorted by start). Words flagged AVE_WORD_FILLER are skipped when
 * comparing (they are removed anyway) but count as a hesitation between two
 * copies. Never flags the copy that is finally kept. *flagged (may be NULL)
 * receives the number of words newly flagged. Returns 0 or AVE_ERR_NOMEM
 * (nothing flagged then). */
int ave_stutter_detect(ave_word *w, size_t n, const ave_stutter_params *p, size_t *flagged);

#endif
