/* The filler vocabulary: which recognised words are fillers by their text.
 * Hesitations from a configurable list (--filler-words) are fillers in any
 * context; discourse markers ("you know", "I mean", "like", "so",
 * "basically", "actually") only with --aggressive-fillers and only where the
 * surrounding words and pauses mark them as fillers (rules in
 * docs/SPEECH.md, "Fillers and stutters"). Pure functions over a word array,
 * unit-tested in tests/unit/test_filler_vocab.c. */
#ifndef AVE_SPEECH_FILLER_VOCAB_H
#define AVE_SPEECH_FILLER_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

/* The default --filler-words. Matching ignores repeated letters, so "umm",
 * "ummm", "uhh", "hmmm", "hm", "mmm" and "err" match too. */
#define AVE_FILLER_WORDS_DEFAULT "um,uh,uhm,er,erm,ah,hmm,mm"

#define AVE_FILLER_VOCAB_MAX 64     /* entries */
#define AVE_FILLER_ENTRY_MAX_WORDS 4 /* words in one entry ("you know") */

typedef struct ave_filler_entry {
    int nwords;
    char words[AVE_FILLER_ENTRY_MAX_WORDS][48]; /* lower-case, repeated letters squeezed */
} ave_filler_entry;

typedef struct ave_filler_vocab {
    size_t count;
    ave_filler_entry entries[AVE_FILLER_VOCAB_MAX];
} ave_filler_vocab;

/* Score given to a word flagged by the vocabulary (a recognised hesitation
 * is certain) and to a discourse marker (the context rule can be wrong). */
#define AVE_FILLER_SCORE_VOCAB 1.0f
#define AVE_FILLER_SCORE_DISCOURSE 0.7f

/* Pause that marks a phrase boundary for the discourse-marker rules. */
#define AVE_FILLER_PAUSE_US 150000

/* Parse a comma-separated list (NULL: the default) into *v: entries are
 * trimmed and lower-cased, blanks inside an entry separate its words, empty
 * entries are skipped, so "" gives an empty vocabulary. Letters, digits,
 * apostrophes and hyphens only. Returns 0, or AVE_ERR_USAGE with a one-line
 * reason in err (too many entries or words, a word too long, a bad
 * character). */
int ave_filler_vocab_parse(ave_filler_vocab *v, const char *list, char *err, size_t errlen);

/* Number of words of w[i..n) that an entry of v matches (the longest), 0 when
 * none. Words found by acoustics (AVE_WORD_ACOUSTIC) never match. */
size_t ave_filler_vocab_match(const ave_filler_vocab *v, const ave_word *w, size_t n, size_t i);

/* Number of words of the discourse marker starting at w[i] when the context
 * rules say it is a filler (1 or 2), else 0. Reads the neighbours' text,
 * times and AVE_WORD_FILLER flags. */
size_t ave_filler_discourse_match(const ave_word *w, size_t n, size_t i);

/* Re-flag recognised words: AVE_WORD_FILLER (score AVE_FILLER_SCORE_VOCAB) on
 * vocabulary matches, cleared on other recognised words (acoustic words keep
 * their flags); then, when aggressive, discourse markers that the rules
 * accept (score AVE_FILLER_SCORE_DISCOURSE), left to right so that a marker
 * next to a hesitation sees it. *flagged (may be NULL) receives the number
 * of words flagged. */
void ave_filler_flag(const ave_filler_vocab *v, int aggressive, ave_word *w, size_t n,
                     size_t *flagged);

#endif
