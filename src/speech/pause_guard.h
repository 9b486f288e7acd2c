/* Pause guard: a pause cut never removes a word.
 *
 * The silence stage decides "pause" from the level alone, and a real
 * speaker's mumbled or hoarse words can sit within a few dB of the noise
 * floor (measured on ../shared/media/real-dev: "so this is" at 1-7 dB above
 * it, "the acoustic" at 0-7 dB). Level cannot tell them from room noise, but
 * the recogniser can: the speech stage decodes the audio under every pause
 * cut too (probe windows), and any real word it hears there, or any word of
 * a recogniser that decodes the whole file, takes its stretch of the pause
 * back from the cut. Pure functions, unit-tested in
 * tests/unit/test_pause_guard.c. */
#ifndef AVE_SPEECH_PAUSE_GUARD_H
#define AVE_SPEECH_PAUSE_GUARD_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"
#include "speech/filler_vocab.h"

typedef struct ave_pause_guard_params {
    int64_t probe_pad_us;   /* decoded around each pause cut: the decoder needs context */
    int64_t keep_before_us; /* pause kept before a rescued word */
    int64_t keep_after_us;  /* pause kept after it */
    int64_t min_word_us;    /* shorter "words" are clicks the decoder named */
    /* A probe window holds nothing a word could be, and is not decoded,
     * when its loudest frame lies more than probe_below_speech_db under the
     * file's speech level and stands less than probe_steady_db over the
     * window's quietest tenth: digital silence, or a clean recording's
     * steady floor. 0 (either): decode every window. */
    double probe_below_speech_db;
    double probe_steady_db;
} ave_pause_guard_params;

void ave_pause_guard_params_default(ave_pause_guard_params *p);

/* The windows to decode so that every pause cut of tl (reason silence) is
 * heard: each cut widened by p->probe_pad_us, minus the parts that lie in
 * regions[0..nreg) (sorted, disjoint: decoded already). *out malloc'd
 * (caller frees; NULL when *count is 0), sorted and disjoint. Returns 0,
 * AVE_ERR_NOMEM or AVE_ERR_USAGE. */
int ave_pause_probe_windows(const ave_timeline *tl, const ave_interval *regions, size_t nreg,
                            const ave_pause_guard_params *p, ave_interval **out, size_t *count);

/* Drop from w[0..*count) (probe windows) those that hold nothing a word
 * could be (see ave_pause_guard_params), judged on the frame levels of
 * pcm[0..n) (mono, rate Hz, sample 0 = time 0; measured as the silence
 * detector does) against speech_db, the file's speech level. The kept ones
 * stay in order, compacted in place; *count is updated and *skipped_s (may
 * be NULL) receives the seconds dropped. Returns 0, AVE_ERR_NOMEM or
 * AVE_ERR_USAGE. */
int ave_pause_probe_filter(const int16_t *pcm, size_t n, int rate, double speech_db,
                           const ave_pause_guard_params *p, ave_interval *w, size_t *count,
                           double *skipped_s);

/* Give back to the edit every stretch of a pause cut that holds a word of
 * w[0..n) (sorted by start): the word plus keep_before/keep_after, only
 * where the timeline cut it as a pause (other cuts stay). Hesitations of
 * vocab (NULL: none) are not words to save. *rescued (may be NULL) counts
 * the words that were inside a pause cut. Returns 0 or AVE_ERR_NOMEM. */
int ave_pause_guard_apply(ave_timeline *tl, const ave_word *w, size_t n,
                          const ave_filler_vocab *vocab, const ave_pause_guard_params *p,
                          size_t *rescued);

#endif
