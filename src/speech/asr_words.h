/* Word post-processing shared by the recognisers: which raw tokens are words,
 * their normal form, the hesitation vocabulary, and frame-to-time conversion.
 * Pure functions, unit-tested in tests/unit/test_asr_words.c. */
#ifndef AVE_SPEECH_ASR_WORDS_H
#define AVE_SPEECH_ASR_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

/* Normalise a recogniser token into out (NUL-terminated, truncated to
 * outlen - 1): lower-case, surrounding blanks and punctuation removed (inner
 * apostrophes and hyphens kept; a trailing "-", en or em dash, which marks a
 * word the speaker cut off, becomes one trailing "-": "Th-" -> "th-"), PocketSphinx's alternate-pronunciation
 * suffix "(2)" stripped, and filler markup such as "++UH++" reduced to "uh".
 * Returns 1 for a word, 0 for a token that is not one: sentence and silence
 * markers (<s>, </s>, <sil>), noise classes ([NOISE], +NSN+), annotations in
 * brackets or parentheses ("[BLANK_AUDIO]", "(laughs)") and empty text. */
int ave_asr_normalize_token(const char *token, char *out, size_t outlen);

/* 1 when a normalised word is a hesitation (um, uh, er, ah, hmm, mm and
 * their spelling variants such as "umm", "erm", "hm"), else 0. These are
 * fillers in any context; discourse markers ("you know", "like") are not
 * listed here because they need context. This is the recogniser's built-in
 * list (filler markup, the flag set by ave_asr_make_word); the speech stage
 * re-flags words with the configurable --filler-words (filler_vocab.h). */
int ave_asr_is_hesitation(const char *word);

/* Source time of a decoder frame: offset_us (the chunk's start on the source
 * timeline) + frame / frame_rate seconds, rounded to the microsecond. A
 * word's end is the time of (last frame + 1). */
int64_t ave_asr_frame_to_us(int64_t offset_us, int64_t frame, int frame_rate);

/* Fill *w from a raw token: normalises it, sets times and confidence
 * (clamped to 0..1) and AVE_WORD_FILLER for hesitations. Returns 1 when the
 * token is a word (w filled), 0 when it is dropped (w untouched). */
int ave_asr_make_word(ave_word *w, const char *token, int64_t start_us, int64_t end_us,
                      double confidence);

/* Append *w to a growable array (doubling; *words is realloc'd and owned by
 * the caller). Returns 0 or AVE_ERR_NOMEM (the array is left valid). */
int ave_asr_words_push(ave_word **words, size_t *count, size_t *cap, const ave_word *w);

/* Sort words by start time (then end), stable for equal times. */
void ave_asr_words_sort(ave_word *words, size_t count);

#endif
